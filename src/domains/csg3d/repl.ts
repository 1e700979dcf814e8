/**
 * The REPL as an MDP over the set of objects in scope (paper §3.1), the shared CSG REPL of
 * src/csg/repl.ts over voxels: a primitive line adds an object; union/diff of two objects replaces
 * both by the result (garbage collection). Every object carries its voxels and IoU with the spec, so
 * scoring and observational-equivalence keys are cheap.
 */
import { csgRepl, type CsgReplState } from '../../csg/repl.js';
import { ALL_PRIMITIVES, actionShapeError, type CombineAction } from './actions.js';
import { makePrimitive, primitiveArgs, primitiveError, type Primitive, type Program } from './dsl.js';
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

/** Objects in scope (in the order pointers address them), the spec and the lines typed so far. */
export type Csg3dState = CsgReplState<Voxels, SceneObject>;

export type { ReplLimits } from '../../csg/repl.js';

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

const repl = csgRepl<Primitive, Voxels, SceneObject>({
  makeObject: (program, voxels, spec) => ({
    program,
    voxels,
    iou: iou(voxels, spec),
    key: voxelsKey(voxels),
  }),
  picture: (o) => o.voxels,
  allPrimitives: ALL_PRIMITIVES,
  actionShapeError,
  primitiveError,
  makePrimitive,
  primitiveArgs,
  render: renderPrimitive,
  combine: (op, a, b) =>
    combineFault(op, a, b) ?? (op === 'union' ? unionVoxels(a, b) : differenceVoxels(a, b)),
  combineLegal: (op, a, b) => combineFault(op, a, b) === null,
});

/** The REPL's functions over this problem's states (documented in src/csg/repl.ts). */
export const {
  initialReplState,
  combineResult,
  replStep,
  legalCombines,
  legalReplActions,
  randomReplAction,
  bestIoU,
  bestObject,
  replSolved,
  replTerminal,
  replStateKey,
} = repl;
