/**
 * The REPL both CSG problems share, as an MDP over the set of objects in scope (paper §3.1): a
 * primitive line adds an object; union/diff of two objects replaces both by the result (garbage
 * collection). Every object carries its picture (raster or voxels) and IoU with the spec, so scoring
 * and observational-equivalence keys are cheap. Generic over the primitive type and the picture.
 */
import type { Rng, StepResult } from '../core/index.js';
import type { CombineOp, CsgProgram } from './program.js';

/** What every object in scope has besides its picture. */
export interface CsgObjectBase<P> {
  readonly program: CsgProgram<P>;
  readonly iou: number;
  /** Exact string key of the picture (observational equivalence). */
  readonly key: string;
}

export interface CsgReplState<Pic, O> {
  readonly spec: Pic;
  /** Objects in scope, in the order pointers address them (new objects are appended). */
  readonly objects: readonly O[];
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

/** Union(a, b) / Difference(a, b) of the objects at positions a and b of the scope (0-based). */
export interface CsgCombineAction {
  readonly op: CombineOp;
  readonly a: number;
  readonly b: number;
}

/** What the shared REPL needs of a problem: its primitives, its pictures and its objects. */
export interface CsgReplParts<P extends { readonly op: string }, Pic, O extends CsgObjectBase<P>> {
  /** An object of a program and its picture (its IoU with the spec and key computed). */
  makeObject(program: CsgProgram<P>, picture: Pic, spec: Pic): O;
  /** The picture of an object. */
  picture(o: O): Pic;
  /** Every valid primitive line, in the fixed order of the action space. */
  readonly allPrimitives: readonly P[];
  /** Why a value is not a well-formed action (wrong shape or types), or null. */
  actionShapeError(a: unknown): string | null;
  primitiveError(p: P): string | null;
  makePrimitive(op: P['op'], args: readonly number[]): P;
  primitiveArgs(p: P): number[];
  render(p: P): Pic;
  /** op(a, b), or why it is no legal line ('changes nothing', 'is empty'). */
  combine(op: CombineOp, a: Pic, b: Pic): Pic | string;
  /** Whether op(a, b) is a legal line (as `combine` not giving a reason, maybe cheaper). */
  combineLegal(op: CombineOp, a: Pic, b: Pic): boolean;
}

/** Best IoU over the objects in scope (0 when the scope is empty). */
export function csgBestIoU(state: { readonly objects: readonly { readonly iou: number }[] }): number {
  let best = 0;
  for (const o of state.objects) if (o.iou > best) best = o.iou;
  return best;
}

/** The object with the best IoU (the first on ties), or null. */
export function csgBestObject<O extends { readonly iou: number }>(state: {
  readonly objects: readonly O[];
}): O | null {
  let best: O | null = null;
  for (const o of state.objects) if (best === null || o.iou > best.iou) best = o;
  return best;
}

export function csgReplSolved(
  state: { readonly objects: readonly { readonly iou: number }[] },
  lim: ReplLimits,
): boolean {
  return state.objects.some((o) => o.iou >= lim.solveIoU);
}

/** Order-independent key of the set of object pictures. */
export function csgReplStateKey(state: { readonly objects: readonly { readonly key: string }[] }): string {
  return state.objects
    .map((o) => o.key)
    .sort()
    .join('|');
}

/** The result picture of an operator, or why the operator is not a legal line here. */
export function csgCombineResult<P extends { readonly op: string }, Pic, O extends CsgObjectBase<P>>(
  r: CsgReplParts<P, Pic, O>,
  state: CsgReplState<Pic, O>,
  act: CsgCombineAction,
): Pic | string {
  const n = state.objects.length;
  const { a, b } = act;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n)
    return `${act.op}(${a}, ${b}): pointer out of range (${n} objects in scope)`;
  if (a === b) return `${act.op}(${a}, ${b}): the same object twice`;
  const out = r.combine(act.op, r.picture(state.objects[a]), r.picture(state.objects[b]));
  return typeof out === 'string' ? `${act.op}(${a}, ${b}) ${out}` : out;
}

/** Legal operator lines in a fixed order (union before diff, then by pointers). */
export function csgLegalCombines<P extends { readonly op: string }, Pic, O extends CsgObjectBase<P>>(
  r: CsgReplParts<P, Pic, O>,
  state: CsgReplState<Pic, O>,
  lim: ReplLimits,
): CsgCombineAction[] {
  const out: CsgCombineAction[] = [];
  if (state.steps >= lim.maxDepth) return out;
  const n = state.objects.length;
  for (const op of ['union', 'diff'] as const)
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        if (r.combineLegal(op, r.picture(state.objects[a]), r.picture(state.objects[b])))
          out.push({ op, a, b });
      }
  return out;
}

/** The REPL of one problem: every function over its states. */
export function csgRepl<P extends { readonly op: string }, Pic, O extends CsgObjectBase<P>>(
  r: CsgReplParts<P, Pic, O>,
) {
  type S = CsgReplState<Pic, O>;
  type A = P | CsgCombineAction;
  const isCombine = (a: A): a is CsgCombineAction => a.op === 'union' || a.op === 'diff';
  const makeObject = r.makeObject;
  const combineResult = (state: S, act: CsgCombineAction): Pic | string => csgCombineResult(r, state, act);
  const legalCombines = (state: S, lim: ReplLimits): CsgCombineAction[] => csgLegalCombines(r, state, lim);
  const fail = (reason: string): StepResult<S> => ({ ok: false, reason });

  function initialReplState(spec: Pic): S {
    return { spec, objects: [], steps: 0 };
  }

  /** One REPL line. Never throws and never mutates `state`. */
  function replStep(state: S, action: A, lim: ReplLimits): StepResult<S> {
    const shapeErr = r.actionShapeError(action);
    if (shapeErr) return fail(shapeErr);
    if (state.steps >= lim.maxDepth) return fail(`depth cap: ${lim.maxDepth} lines written`);
    if (isCombine(action)) {
      const res = combineResult(state, action);
      if (typeof res === 'string') return fail(res);
      const x = state.objects[action.a];
      const y = state.objects[action.b];
      const obj = makeObject({ op: action.op, a: x.program, b: y.program }, res, state.spec);
      const rest = state.objects.filter((_, i) => i !== action.a && i !== action.b);
      return { ok: true, state: { spec: state.spec, objects: [...rest, obj], steps: state.steps + 1 } };
    }
    const err = r.primitiveError(action);
    if (err) return fail(err);
    if (state.objects.length >= lim.maxObjects) return fail(`scope full: ${lim.maxObjects} objects`);
    // Copy the fields so a caller's action object (maybe with extra fields) never ends up in the tree.
    const prim = r.makePrimitive(action.op, r.primitiveArgs(action));
    const obj = makeObject(prim, r.render(prim), state.spec);
    return {
      ok: true,
      state: { spec: state.spec, objects: [...state.objects, obj], steps: state.steps + 1 },
    };
  }

  /** All legal lines, lazily: operators first (few), then every primitive when the scope has room. */
  function* legalReplActions(state: S, lim: ReplLimits): Generator<A> {
    if (state.steps >= lim.maxDepth) return;
    yield* legalCombines(state, lim);
    if (state.objects.length < lim.maxObjects) yield* r.allPrimitives;
  }

  /**
   * A uniformly random legal line, or null when none is legal. Draws from all candidate lines and
   * redraws illegal operators (rejection keeps it uniform without testing every pair each call).
   */
  function randomReplAction(state: S, lim: ReplLimits, rng: Rng): A | null {
    if (state.steps >= lim.maxDepth) return null;
    const n = state.objects.length;
    const prims = n < lim.maxObjects ? r.allPrimitives.length : 0;
    const pairs = n * (n - 1);
    if (prims === 0 && legalCombines(state, lim).length === 0) return null;
    for (;;) {
      const k = rng.int(prims + 2 * pairs);
      if (k < prims) return r.allPrimitives[k];
      const c = k - prims;
      const a = Math.floor((c % pairs) / (n - 1));
      let b = (c % pairs) % (n - 1);
      if (b >= a) b++;
      const act: CsgCombineAction = { op: c < pairs ? 'union' : 'diff', a, b };
      if (typeof combineResult(state, act) !== 'string') return act;
    }
  }

  /** Solved, out of lines, or a full scope in which no operator is legal. */
  function replTerminal(state: S, lim: ReplLimits): boolean {
    if (csgReplSolved(state, lim) || state.steps >= lim.maxDepth) return true;
    return state.objects.length >= lim.maxObjects && legalCombines(state, lim).length === 0;
  }

  return {
    initialReplState,
    combineResult,
    replStep,
    legalCombines,
    legalReplActions,
    randomReplAction,
    bestIoU: csgBestIoU,
    bestObject: csgBestObject<O>,
    replSolved: csgReplSolved,
    replTerminal,
    replStateKey: csgReplStateKey,
  };
}
