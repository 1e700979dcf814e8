/**
 * The REPL as an MDP over the set of objects in scope (paper §3.1), the shared CSG REPL of
 * src/csg/repl.ts over rasters: a primitive line adds an object; union/diff of two objects replaces
 * both by the result (garbage collection). Every object carries its raster and IoU with the spec, so
 * scoring and observational-equivalence keys are cheap.
 */
import type { Rng, StepResult } from '../../core/index.js';
import { csgRepl } from '../../csg/repl.js';
import { ALL_PRIMITIVES, actionShapeError, type CombineAction, type Csg2dAction } from './actions.js';
import { makePrimitive, primitiveArgs, primitiveError, type Primitive, type Program } from './dsl.js';
import {
  countOn,
  differenceRaster,
  iou,
  rasterEquals,
  rasterKey,
  unionRaster,
  type Raster,
} from './raster.js';
import { renderPrimitive } from './render.js';

export type { ReplLimits } from '../../csg/repl.js';
import type { ReplLimits } from '../../csg/repl.js';

/** One variable in scope: its program tree, its picture and how well the picture matches the spec. */
export interface SceneObject {
  readonly program: Program;
  readonly raster: Raster;
  readonly iou: number;
  /** Exact string key of the raster (observational equivalence). */
  readonly key: string;
}

export interface Csg2dState {
  readonly spec: Raster;
  /** Objects in scope, in the order pointers address them (new objects are appended). */
  readonly objects: readonly SceneObject[];
  /** Lines typed so far. */
  readonly steps: number;
}

/** op(a, b), or why it is no legal line. */
function combine(op: CombineAction['op'], ra: Raster, rb: Raster): Raster | string {
  const out = op === 'union' ? unionRaster(ra, rb) : differenceRaster(ra, rb);
  if (rasterEquals(out, ra) || rasterEquals(out, rb)) return 'changes nothing';
  if (countOn(out) === 0) return 'is empty';
  return out;
}

const repl = csgRepl<Primitive, Raster, SceneObject>({
  makeObject: (program, raster, spec) => ({
    program,
    raster,
    iou: iou(raster, spec),
    key: rasterKey(raster),
  }),
  picture: (o) => o.raster,
  allPrimitives: ALL_PRIMITIVES,
  actionShapeError,
  primitiveError,
  makePrimitive,
  primitiveArgs,
  render: renderPrimitive,
  combine,
  combineLegal: (op, a, b) => typeof combine(op, a, b) !== 'string',
});

export function initialReplState(spec: Raster): Csg2dState {
  return repl.initialReplState(spec);
}

/** The result raster of an operator, or why the operator is not a legal line here. */
export const combineResult: (state: Csg2dState, act: CombineAction) => Raster | string = repl.combineResult;

/** One REPL line. Never throws and never mutates `state`. */
export const replStep: (state: Csg2dState, action: Csg2dAction, lim: ReplLimits) => StepResult<Csg2dState> =
  repl.replStep;

/** Legal operator lines in a fixed order (union before diff, then by pointers). */
export const legalCombines: (state: Csg2dState, lim: ReplLimits) => CombineAction[] = repl.legalCombines;

/** All legal lines, lazily: operators first (few), then every primitive when the scope has room. */
export const legalReplActions: (state: Csg2dState, lim: ReplLimits) => Generator<Csg2dAction> =
  repl.legalReplActions;

/** A uniformly random legal line, or null when none is legal (rejection keeps it uniform). */
export const randomReplAction: (state: Csg2dState, lim: ReplLimits, rng: Rng) => Csg2dAction | null =
  repl.randomReplAction;

/** Best IoU over the objects in scope (0 when the scope is empty). */
export const bestIoU: (state: Csg2dState) => number = repl.bestIoU;

/** The object with the best IoU (the first on ties), or null. */
export const bestObject: (state: Csg2dState) => SceneObject | null = repl.bestObject;

export const replSolved: (state: Csg2dState, lim: ReplLimits) => boolean = repl.replSolved;

/** Solved, out of lines, or a full scope in which no operator is legal. */
export const replTerminal: (state: Csg2dState, lim: ReplLimits) => boolean = repl.replTerminal;

/** Order-independent key of the set of object pictures. */
export const replStateKey: (state: Csg2dState) => string = repl.replStateKey;
