/**
 * The REPL as an MDP over the set of objects in scope (paper §3.1): a primitive line adds an object;
 * union/diff of two objects replaces both by the result (garbage collection). Every object carries its
 * voxels and IoU with the spec, so scoring and observational-equivalence keys are cheap.
 */
import type { Rng, StepResult } from '../../core/index.js';
import {
  ALL_PRIMITIVES,
  actionShapeError,
  isCombineAction,
  type CombineAction,
  type Csg3dAction,
} from './actions.js';
import { makePrimitive, primitiveArgs, primitiveError, type Program } from './dsl.js';
import { WORDS, differenceVoxels, iou, unionVoxels, voxelsKey, type Voxels } from './voxels.js';
import { renderPrimitive } from './render.js';

/** One variable in scope: its program tree, its voxels and how well they match the spec. */
export interface SceneObject {
  readonly program: Program;
  readonly voxels: Voxels;
  readonly iou: number;
  /** Exact string key of the voxels (observational equivalence). */
  readonly key: string;
}

export interface Csg3dState {
  readonly spec: Voxels;
  /** Objects in scope, in the order pointers address them (new objects are appended). */
  readonly objects: readonly SceneObject[];
  /** Lines typed so far. */
  readonly steps: number;
}

export interface ReplLimits {
  /** Most objects in scope at once; a primitive line beyond it fails. */
  readonly maxObjects: number;
  /** Most lines per episode (depth cap). */
  readonly maxDepth: number;
  /** IoU at which an object counts as solving the spec (1 = exact). */
  readonly solveIoU: number;
}

export function initialReplState(spec: Voxels): Csg3dState {
  return { spec, objects: [], steps: 0 };
}

function makeObject(program: Program, voxels: Voxels, spec: Voxels): SceneObject {
  return { program, voxels, iou: iou(voxels, spec), key: voxelsKey(voxels) };
}

const fail = (reason: string): StepResult<Csg3dState> => ({ ok: false, reason });

/** Why `op(a, b)` is no legal line (it changes nothing or is empty), or null; one pass, no allocation. */
export function combineFault(op: CombineAction['op'], a: Voxels, b: Voxels): string | null {
  let aInB = true; // a ⊆ b
  let bInA = true; // b ⊆ a
  let disjoint = true;
  let diffIsB = true; // a − b = b
  for (let w = 0; w < WORDS; w++) {
    const x = a[w];
    const y = b[w];
    if ((x & ~y) !== 0) aInB = false;
    if ((y & ~x) !== 0) bInA = false;
    if ((x & y) !== 0) disjoint = false;
    if ((x & ~y) >>> 0 !== y) diffIsB = false;
  }
  // union = a ⇔ b ⊆ a; union = b ⇔ a ⊆ b; a − b = a ⇔ disjoint; a − b = ∅ ⇔ a ⊆ b.
  if (op === 'union') return aInB || bInA ? 'changes nothing' : null;
  if (disjoint || diffIsB) return 'changes nothing';
  return aInB ? 'is empty' : null;
}

/** The result voxels of an operator, or why the operator is not a legal line here. */
export function combineResult(state: Csg3dState, act: CombineAction): Voxels | string {
  const n = state.objects.length;
  const { a, b } = act;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n)
    return `${act.op}(${a}, ${b}): pointer out of range (${n} objects in scope)`;
  if (a === b) return `${act.op}(${a}, ${b}): the same object twice`;
  const ra = state.objects[a].voxels;
  const rb = state.objects[b].voxels;
  const fault = combineFault(act.op, ra, rb);
  if (fault) return `${act.op}(${a}, ${b}) ${fault}`;
  return act.op === 'union' ? unionVoxels(ra, rb) : differenceVoxels(ra, rb);
}

/** One REPL line. Never throws and never mutates `state`. */
export function replStep(state: Csg3dState, action: Csg3dAction, lim: ReplLimits): StepResult<Csg3dState> {
  const shapeErr = actionShapeError(action);
  if (shapeErr) return fail(shapeErr);
  if (state.steps >= lim.maxDepth) return fail(`depth cap: ${lim.maxDepth} lines written`);
  if (isCombineAction(action)) {
    const r = combineResult(state, action);
    if (typeof r === 'string') return fail(r);
    const x = state.objects[action.a];
    const y = state.objects[action.b];
    const obj = makeObject({ op: action.op, a: x.program, b: y.program }, r, state.spec);
    const rest = state.objects.filter((_, i) => i !== action.a && i !== action.b);
    return { ok: true, state: { spec: state.spec, objects: [...rest, obj], steps: state.steps + 1 } };
  }
  const err = primitiveError(action);
  if (err) return fail(err);
  if (state.objects.length >= lim.maxObjects) return fail(`scope full: ${lim.maxObjects} objects`);
  // Copy the fields so a caller's action object (maybe with extra fields) never ends up in the tree.
  const prim = makePrimitive(action.op, primitiveArgs(action));
  const obj = makeObject(prim, renderPrimitive(prim), state.spec);
  return { ok: true, state: { spec: state.spec, objects: [...state.objects, obj], steps: state.steps + 1 } };
}

/** Legal operator lines in a fixed order (union before diff, then by pointers). */
export function legalCombines(state: Csg3dState, lim: ReplLimits): CombineAction[] {
  const out: CombineAction[] = [];
  if (state.steps >= lim.maxDepth) return out;
  const n = state.objects.length;
  for (const op of ['union', 'diff'] as const)
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        if (combineFault(op, state.objects[a].voxels, state.objects[b].voxels) === null)
          out.push({ op, a, b });
      }
  return out;
}

/** All legal lines, lazily: operators first (few), then every primitive when the scope has room. */
export function* legalReplActions(state: Csg3dState, lim: ReplLimits): Generator<Csg3dAction> {
  if (state.steps >= lim.maxDepth) return;
  yield* legalCombines(state, lim);
  if (state.objects.length < lim.maxObjects) yield* ALL_PRIMITIVES;
}

/**
 * A uniformly random legal line, or null when none is legal. Draws from all candidate lines and
 * redraws illegal operators (rejection keeps it uniform without testing every pair each call).
 */
export function randomReplAction(state: Csg3dState, lim: ReplLimits, rng: Rng): Csg3dAction | null {
  if (state.steps >= lim.maxDepth) return null;
  const n = state.objects.length;
  const prims = n < lim.maxObjects ? ALL_PRIMITIVES.length : 0;
  const pairs = n * (n - 1);
  if (prims === 0 && legalCombines(state, lim).length === 0) return null;
  for (;;) {
    const k = rng.int(prims + 2 * pairs);
    if (k < prims) return ALL_PRIMITIVES[k];
    const c = k - prims;
    const a = Math.floor((c % pairs) / (n - 1));
    let b = (c % pairs) % (n - 1);
    if (b >= a) b++;
    const act: CombineAction = { op: c < pairs ? 'union' : 'diff', a, b };
    if (typeof combineResult(state, act) !== 'string') return act;
  }
}

/** Best IoU over the objects in scope (0 when the scope is empty). */
export function bestIoU(state: Csg3dState): number {
  let best = 0;
  for (const o of state.objects) if (o.iou > best) best = o.iou;
  return best;
}

/** The object with the best IoU (the first on ties), or null. */
export function bestObject(state: Csg3dState): SceneObject | null {
  let best: SceneObject | null = null;
  for (const o of state.objects) if (best === null || o.iou > best.iou) best = o;
  return best;
}

export function replSolved(state: Csg3dState, lim: ReplLimits): boolean {
  return state.objects.some((o) => o.iou >= lim.solveIoU);
}

/** Solved, out of lines, or a full scope in which no operator is legal. */
export function replTerminal(state: Csg3dState, lim: ReplLimits): boolean {
  if (replSolved(state, lim) || state.steps >= lim.maxDepth) return true;
  return state.objects.length >= lim.maxObjects && legalCombines(state, lim).length === 0;
}

/** Order-independent key of the set of object pictures. */
export function replStateKey(state: Csg3dState): string {
  return state.objects
    .map((o) => o.key)
    .sort()
    .join('|');
}
