/**
 * The REPL as an MDP over the set of objects in scope (paper §3.1), the shared CSG REPL of
 * src/csg/repl.ts over voxels: a primitive line adds an object; union/diff of two objects replaces
 * both by the result (garbage collection). Every object carries its voxels and IoU with the spec, so
 * scoring and observational-equivalence keys are cheap.
 */
import type { Rng, StepResult } from '../../core/index.js';
import { csgRepl } from '../../csg/repl.js';
import { ALL_PRIMITIVES, actionShapeError, type CombineAction, type Csg3dAction } from './actions.js';
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

export interface Csg3dState {
  readonly spec: Voxels;
  /** Objects in scope, in the order pointers address them (new objects are appended). */
  readonly objects: readonly SceneObject[];
  /** Lines typed so far. */
  readonly steps: number;
}

export type { ReplLimits } from '../../csg/repl.js';
import type { ReplLimits } from '../../csg/repl.js';

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

export function initialReplState(spec: Voxels): Csg3dState {
  return repl.initialReplState(spec);
}

/** The result voxels of an operator, or why the operator is not a legal line here. */
export const combineResult: (state: Csg3dState, act: CombineAction) => Voxels | string = repl.combineResult;

/** One REPL line. Never throws and never mutates `state`. */
export const replStep: (state: Csg3dState, action: Csg3dAction, lim: ReplLimits) => StepResult<Csg3dState> =
  repl.replStep;

/** Legal operator lines in a fixed order (union before diff, then by pointers). */
export const legalCombines: (state: Csg3dState, lim: ReplLimits) => CombineAction[] = repl.legalCombines;

/** All legal lines, lazily: operators first (few), then every primitive when the scope has room. */
export const legalReplActions: (state: Csg3dState, lim: ReplLimits) => Generator<Csg3dAction> =
  repl.legalReplActions;

/** A uniformly random legal line, or null when none is legal (rejection keeps it uniform). */
export const randomReplAction: (state: Csg3dState, lim: ReplLimits, rng: Rng) => Csg3dAction | null =
  repl.randomReplAction;

/** Best IoU over the objects in scope (0 when the scope is empty). */
export const bestIoU: (state: Csg3dState) => number = repl.bestIoU;

/** The object with the best IoU (the first on ties), or null. */
export const bestObject: (state: Csg3dState) => SceneObject | null = repl.bestObject;

export const replSolved: (state: Csg3dState, lim: ReplLimits) => boolean = repl.replSolved;

/** Solved, out of lines, or a full scope in which no operator is legal. */
export const replTerminal: (state: Csg3dState, lim: ReplLimits) => boolean = repl.replTerminal;

/** Order-independent key of the set of object pictures. */
export const replStateKey: (state: Csg3dState) => string = repl.replStateKey;
