/**
 * Random scenes after the paper's 3D generator (REFERENCE §1): 15 % spheres, else half cylinders and
 * half cuboids; each new shape joins by union (70 %) or difference (30 %) and must change a meaningful
 * share of the voxels (|on(new) − on(old)| / on(old) within [minChange, maxChange]); dead code is removed
 * at the end. A scene is left-deep, so its trace needs at most two objects in scope.
 */
import type { Rng } from '../../core/index.js';
import { csgGenerateScene, csgRemoveDeadCode, csgTraceFor, type CsgPictureOps } from '../../csg/generator.js';
import type { Csg3dAction } from './actions.js';
import {
  AXES,
  CYLINDER_LENGTHS,
  CYLINDER_RADII,
  GRID,
  SIDE,
  SPHERE_RADII,
  isPrimitive,
  type Primitive,
  type Program,
} from './dsl.js';
import { renderPrimitive, renderProgram } from './render.js';
import { countOn, differenceVoxels, unionVoxels, voxelsEqual, type Voxels } from './voxels.js';

export interface SceneOptions {
  /** Shapes drawn uniformly from minShapes … maxShapes (before dead code removal). */
  readonly maxShapes: number;
  readonly minShapes: number;
  /** Fraction of shapes that are spheres; the rest are half cylinders, half cuboids. */
  readonly sphereRate: number;
  /** Probability that a shape joins by union (else difference). */
  readonly unionRate: number;
  /** Accepted range of the changed-voxel fraction. */
  readonly minChange: number;
  readonly maxChange: number;
}

export const defaultSceneOptions: SceneOptions = {
  maxShapes: 13,
  minShapes: 1,
  sphereRate: 0.15,
  unionRate: 0.7,
  minChange: 0.1,
  maxChange: 0.6,
};

/** One accepted shape of a scene, in drawing order (before dead code removal). */
export interface SceneStep {
  readonly op: 'union' | 'diff' | null;
  readonly shape: Primitive;
}

export interface Scene {
  /** The scene after dead code removal. */
  readonly program: Program;
  /** The accepted shapes in order; replaying them reproduces the scene before dead code removal. */
  readonly steps: readonly SceneStep[];
}

const fits = (c: number, lo: number, hi: number): boolean => c - lo >= 0 && c + hi <= SIDE;

function randomCuboid(rng: Rng): Primitive {
  const pair = (): [number, number] => {
    const a = rng.pick(GRID.slice(0, -1));
    return [a, rng.pick(GRID.filter((v) => v > a))];
  };
  const [x1, x2] = pair();
  const [y1, y2] = pair();
  const [z1, z2] = pair();
  return { op: 'cuboid', x1, y1, z1, x2, y2, z2 };
}

function randomSphere(rng: Rng): Primitive {
  const r = rng.pick(SPHERE_RADII);
  const c = (): number => rng.pick(GRID.filter((v) => fits(v, r, r)));
  return { op: 'sphere', x: c(), y: c(), z: c(), r };
}

function randomCylinder(rng: Rng): Primitive {
  const axis = rng.pick(AXES);
  const r = rng.pick(CYLINDER_RADII);
  const l = rng.pick(CYLINDER_LENGTHS);
  const c = (a: string): number => rng.pick(GRID.filter((v) => (a === axis ? fits(v, 0, l) : fits(v, r, r))));
  return { op: 'cylinder', axis, x: c('x'), y: c('y'), z: c('z'), r, l };
}

export function randomShape(rng: Rng, sphereRate = defaultSceneOptions.sphereRate): Primitive {
  if (rng.float() < sphereRate) return randomSphere(rng);
  return rng.bool() ? randomCylinder(rng) : randomCuboid(rng);
}

const OPS: CsgPictureOps<Primitive, Voxels> = {
  isPrimitive,
  renderProgram,
  equals: voxelsEqual,
  union: unionVoxels,
  difference: differenceVoxels,
  countOn,
};

/** Removes code that does not change the picture (CAD.py's removeCodeNotChangingRender). */
export function removeDeadCode(p: Program): Program {
  return csgRemoveDeadCode(OPS, p);
}

/** A random scene; shapes that break the change rule are redrawn (at most 30 tries per shape). */
export function generateScene(rng: Rng, opts: Partial<SceneOptions> = {}): Scene {
  const o = { ...defaultSceneOptions, ...opts };
  return csgGenerateScene(OPS, rng, o, (r) => randomShape(r, o.sphereRate), renderPrimitive);
}

/**
 * The post-order action trace that builds `p` in the set MDP: children first, then the operator on
 * their positions in scope. Also returns the most objects in scope at any time.
 */
export function traceFor(p: Program): { trace: Csg3dAction[]; maxScope: number } {
  return csgTraceFor(isPrimitive, p);
}
