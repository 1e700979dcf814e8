/**
 * Random scenes as in CAD.py's randomScene: shapes are circles or quadrilaterals (axis-aligned or 45°,
 * half and half), plus triangles (a 45° square minus an axis-aligned rectangle over half of it) for
 * 10 % of shapes; each new shape joins by union (2/3) or difference (1/3) and must change 10–60 % of
 * the pixels (|on(new) − on(old)| / on(old)); dead code is removed at the end.
 */
import type { Rng } from '../../core/index.js';
import { csgGenerateScene, csgRemoveDeadCode, csgTraceFor, type CsgPictureOps } from '../../csg/generator.js';
import type { Csg2dAction } from './actions.js';
import { CANVAS, DIAMETERS, GRID, isPrimitive, type Primitive, type Program } from './dsl.js';
import { countOn, differenceRaster, rasterEquals, unionRaster, type Raster } from './raster.js';
import { renderProgram } from './render.js';

export interface SceneOptions {
  /** Shapes drawn uniformly from minShapes … maxShapes (before dead code removal). */
  readonly maxShapes: number;
  readonly minShapes: number;
  /** Fraction of shapes that are triangles. */
  readonly triangleRate: number;
  /** Probability that a shape joins by union (else difference). */
  readonly unionRate: number;
  /** Accepted range of the changed-pixel fraction. */
  readonly minChange: number;
  readonly maxChange: number;
}

export const defaultSceneOptions: SceneOptions = {
  maxShapes: 13,
  minShapes: 1,
  triangleRate: 0.1,
  unionRate: 2 / 3,
  minChange: 0.1,
  maxChange: 0.6,
};

/** One accepted shape of a scene, in drawing order (before dead code removal). */
export interface SceneStep {
  readonly op: 'union' | 'diff' | null;
  readonly shape: Program;
}

export interface Scene {
  /** The scene after dead code removal. */
  readonly program: Program;
  /** The accepted shapes in order; replaying them reproduces the scene before dead code removal. */
  readonly steps: readonly SceneStep[];
}

const GRID_NO_LAST = GRID.slice(0, -1);

function randomRect(rng: Rng): Primitive {
  const x1 = rng.pick(GRID_NO_LAST);
  const y1 = rng.pick(GRID_NO_LAST);
  const x2 = rng.pick(GRID.filter((v) => v > x1));
  const y2 = rng.pick(GRID.filter((v) => v > y1));
  return { op: 'rect', x1, y1, x2, y2 };
}

function randomRect45(rng: Rng, square = false): Primitive {
  for (;;) {
    const x = rng.pick(GRID);
    const y = rng.pick(GRID);
    const as = GRID.filter(
      (a) => a >= 2 && x - a >= 0 && y + a <= 30 && (!square || (x + a <= 30 && y + 2 * a <= 30)),
    );
    if (as.length === 0) continue;
    const a = rng.pick(as);
    if (square) return { op: 'rect45', x, y, a, b: a };
    const bs = GRID.filter((b) => b >= 2 && x + b <= 30 && y + a + b <= 30);
    if (bs.length === 0) continue;
    return { op: 'rect45', x, y, a, b: rng.pick(bs) };
  }
}

function randomCircle(rng: Rng): Primitive {
  const d = rng.pick(DIAMETERS);
  const fits = (v: number): boolean => v - d / 2 >= 0 && v + d / 2 <= CANVAS;
  return { op: 'circle', x: rng.pick(GRID.filter(fits)), y: rng.pick(GRID.filter(fits)), d };
}

/** A 45° square minus the axis-aligned rectangle over one of its halves (top, bottom, left, right). */
function randomTriangle(rng: Rng): Program {
  const sq = randomRect45(rng, true) as Extract<Primitive, { op: 'rect45' }>;
  const { x, y, a } = sq;
  const halves: Primitive[] = [
    { op: 'rect', x1: x - a, y1: y, x2: x + a, y2: y + a },
    { op: 'rect', x1: x - a, y1: y + a, x2: x + a, y2: y + 2 * a },
    { op: 'rect', x1: x - a, y1: y, x2: x, y2: y + 2 * a },
    { op: 'rect', x1: x, y1: y, x2: x + a, y2: y + 2 * a },
  ];
  return { op: 'diff', a: sq, b: rng.pick(halves) };
}

export function randomShape(rng: Rng, triangleRate = defaultSceneOptions.triangleRate): Program {
  if (rng.float() < triangleRate) return randomTriangle(rng);
  if (rng.bool()) return rng.bool() ? randomRect(rng) : randomRect45(rng);
  return randomCircle(rng);
}

/** The changed-pixel fraction of the 10–60 % rule: |on(after) − on(before)| / on(before). */
export function changeFraction(before: Program, after: Program): number {
  const old = countOn(renderProgram(before));
  return Math.abs(countOn(renderProgram(after)) - old) / old;
}

const OPS: CsgPictureOps<Primitive, Raster> = {
  isPrimitive,
  renderProgram,
  equals: rasterEquals,
  union: unionRaster,
  difference: differenceRaster,
  countOn,
};

/** Removes code that does not change the picture (CAD.py's removeCodeNotChangingRender). */
export function removeDeadCode(p: Program): Program {
  return csgRemoveDeadCode(OPS, p);
}

/** A random scene; shapes that break the 10–60 % rule are redrawn (at most 30 tries per shape). */
export function generateScene(rng: Rng, opts: Partial<SceneOptions> = {}): Scene {
  const o = { ...defaultSceneOptions, ...opts };
  return csgGenerateScene(OPS, rng, o, (r) => randomShape(r, o.triangleRate), renderProgram);
}

/**
 * The post-order action trace that builds `p` in the set MDP: children first, then the operator on
 * their positions in scope. For a scene (left-deep) that is: a shape's lines, then combine it with the
 * accumulated object. Also returns the most objects in scope at any time.
 */
export function traceFor(p: Program): { trace: Csg2dAction[]; maxScope: number } {
  return csgTraceFor(isPrimitive, p);
}
