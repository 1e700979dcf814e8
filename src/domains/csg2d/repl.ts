/**
 * The REPL as an MDP over the set of objects in scope (paper §3.1), the shared CSG REPL of
 * src/csg/repl.ts over rasters: a primitive line adds an object; union/diff of two objects replaces
 * both by the result (garbage collection). Every object carries its raster and IoU with the spec, so
 * scoring and observational-equivalence keys are cheap.
 */
import { csgRepl, type CsgReplState } from '../../csg/repl.js';
import { ALL_PRIMITIVES, actionShapeError, type CombineAction } from './actions.js';
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

/** One variable in scope: its program tree, its picture and how well the picture matches the spec. */
export interface SceneObject {
  readonly program: Program;
  readonly raster: Raster;
  readonly iou: number;
  /** Exact string key of the raster (observational equivalence). */
  readonly key: string;
}

/** Objects in scope (in the order pointers address them), the spec and the lines typed so far. */
export type Csg2dState = CsgReplState<Raster, SceneObject>;

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
