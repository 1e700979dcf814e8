/**
 * Random scenes after the paper's 3D generator (REFERENCE §1): 15 % spheres, else half cylinders and
 * half cuboids; each new shape joins by union (70 %) or difference (30 %) and must change a meaningful
 * share of the voxels (|on(new) − on(old)| / on(old) within [minChange, maxChange]); dead code is removed
 * at the end. A scene is left-deep, so its trace needs at most two objects in scope.
 */
import type { Rng } from '../../core/index.js';
import type { CombineAction, Csg3dAction } from './actions.js';
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
import { countOn, differenceVoxels, unionVoxels, voxelsEqual } from './voxels.js';

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

/** Trees with one subtree removed: a union by either child, a difference by its left child. */
function* simplifications(p: Program): Generator<Program> {
  if (isPrimitive(p)) return;
  for (const a of simplifications(p.a)) yield { op: p.op, a, b: p.b };
  for (const b of simplifications(p.b)) yield { op: p.op, a: p.a, b };
  yield p.a;
  if (p.op === 'union') yield p.b;
}

/** Removes code that does not change the voxels (the paper's dead code removal). */
export function removeDeadCode(p: Program): Program {
  const target = renderProgram(p);
  for (let changed = true; changed;) {
    changed = false;
    for (const q of simplifications(p)) {
      if (voxelsEqual(renderProgram(q), target)) {
        p = q;
        changed = true;
        break;
      }
    }
  }
  return p;
}

/** A random scene; shapes that break the change rule are redrawn (at most 30 tries per shape). */
export function generateScene(rng: Rng, opts: Partial<SceneOptions> = {}): Scene {
  const o = { ...defaultSceneOptions, ...opts };
  const desired = rng.range(Math.min(o.minShapes, o.maxShapes), o.maxShapes);
  const first = randomShape(rng, o.sphereRate);
  const steps: SceneStep[] = [{ op: null, shape: first }];
  let scene: Program = first;
  // The current voxels and their count: each candidate costs one word operation, not a re-render.
  let voxels = renderPrimitive(first);
  let on = countOn(voxels);
  for (let tries = 0; steps.length < desired && tries < 30 * desired; tries++) {
    const shape = randomShape(rng, o.sphereRate);
    const op = rng.float() < o.unionRate ? 'union' : 'diff';
    const v = renderPrimitive(shape);
    const next = op === 'union' ? unionVoxels(voxels, v) : differenceVoxels(voxels, v);
    const nextOn = countOn(next);
    const change = Math.abs(nextOn - on) / on;
    if (change < o.minChange || change > o.maxChange) continue;
    scene = { op, a: scene, b: shape };
    voxels = next;
    on = nextOn;
    steps.push({ op, shape });
  }
  return { program: removeDeadCode(scene), steps };
}

/**
 * The post-order action trace that builds `p` in the set MDP: children first, then the operator on
 * their positions in scope. Also returns the most objects in scope at any time.
 */
export function traceFor(p: Program): { trace: Csg3dAction[]; maxScope: number } {
  const trace: Csg3dAction[] = [];
  const scope: number[] = []; // ids of objects in scope, in pointer order
  let nextId = 0;
  let maxScope = 0;
  const walk = (q: Program): number => {
    if (isPrimitive(q)) {
      trace.push(q);
    } else {
      const a = walk(q.a);
      const b = walk(q.b);
      trace.push({ op: q.op, a: scope.indexOf(a), b: scope.indexOf(b) } satisfies CombineAction);
      scope.splice(scope.indexOf(a), 1);
      scope.splice(scope.indexOf(b), 1);
    }
    const id = nextId++;
    scope.push(id);
    maxScope = Math.max(maxScope, scope.length);
    return id;
  };
  walk(p);
  return { trace, maxScope };
}
