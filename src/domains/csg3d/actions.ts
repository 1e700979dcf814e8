/**
 * The lines of code a policy can type: every valid primitive (enumerated once, in a fixed order:
 * cuboids, spheres, cylinders) and the two operators with two pointers into the objects in scope.
 */
import {
  AXES,
  CYLINDER_LENGTHS,
  CYLINDER_RADII,
  GRID,
  SPHERE_RADII,
  makePrimitive,
  primitiveError,
  type CombineOp,
  type Primitive,
  type PrimitiveOp,
} from './dsl.js';
import { primitiveKey } from './render.js';

/** Union(a, b) / Difference(a, b) of the objects at positions a and b of the scope (0-based). */
export interface CombineAction {
  readonly op: CombineOp;
  readonly a: number;
  readonly b: number;
}
/** One REPL line: a primitive (adds an object) or an operator on two objects (replaces them). */
export type Csg3dAction = Primitive | CombineAction;

export function isCombineAction(a: Csg3dAction): a is CombineAction {
  return a.op === 'union' || a.op === 'diff';
}

function enumerate(): Primitive[] {
  const out: Primitive[] = [];
  const push = (op: PrimitiveOp, args: number[]): void => {
    const p = makePrimitive(op, args);
    if (primitiveError(p) === null) out.push(p);
  };
  for (const x1 of GRID)
    for (const y1 of GRID)
      for (const z1 of GRID)
        for (const x2 of GRID)
          for (const y2 of GRID) for (const z2 of GRID) push('cuboid', [x1, y1, z1, x2, y2, z2]);
  for (const r of SPHERE_RADII)
    for (const x of GRID) for (const y of GRID) for (const z of GRID) push('sphere', [x, y, z, r]);
  for (let axis = 0; axis < AXES.length; axis++)
    for (const r of CYLINDER_RADII)
      for (const l of CYLINDER_LENGTHS)
        for (const x of GRID)
          for (const y of GRID) for (const z of GRID) push('cylinder', [axis, x, y, z, r, l]);
  return out;
}

/** Every valid primitive line, in a fixed order (cuboids, spheres, cylinders). */
export const ALL_PRIMITIVES: readonly Primitive[] = enumerate();

const indexByKey = new Map<string, number>(ALL_PRIMITIVES.map((p, i) => [primitiveKey(p), i]));

/** Position of a valid primitive in ALL_PRIMITIVES (for flat policy heads), or −1. */
export function primitiveIndex(p: Primitive): number {
  return indexByKey.get(primitiveKey(p)) ?? -1;
}

/** Distinct lines with at most `maxObjects` in scope: every primitive, and both operators per ordered pair. */
export function actionSpaceSize(maxObjects: number): number {
  return ALL_PRIMITIVES.length + 2 * maxObjects * (maxObjects - 1);
}

/** A compact key, e.g. "sphere(16,16,16,8)" or "union(0,2)". */
export function actionKey(a: Csg3dAction): string {
  return isCombineAction(a) ? `${a.op}(${a.a},${a.b})` : primitiveKey(a);
}

/** A readable name, e.g. "sphere(16, 16, 16, 8)" or "union(#0, #2)". */
export function actionName(a: Csg3dAction): string {
  return isCombineAction(a) ? `${a.op}(#${a.a}, #${a.b})` : primitiveKey(a).replace(/,/g, ', ');
}

const SHAPE_FIELDS: Record<string, readonly string[]> = {
  cuboid: ['x1', 'y1', 'z1', 'x2', 'y2', 'z2'],
  sphere: ['x', 'y', 'z', 'r'],
  cylinder: ['x', 'y', 'z', 'r', 'l'],
  union: ['a', 'b'],
  diff: ['a', 'b'],
};

/** Why a value is not a well-formed action (wrong shape or types), or null. Range checks come later. */
export function actionShapeError(a: unknown): string | null {
  if (typeof a !== 'object' || a === null) return 'action is not an object';
  const o = a as Record<string, unknown>;
  const want = typeof o.op === 'string' && Object.hasOwn(SHAPE_FIELDS, o.op) ? SHAPE_FIELDS[o.op] : undefined;
  if (!want) return `unknown action op '${String(o.op)}'`;
  for (const f of want)
    if (!Number.isInteger(o[f])) return `${String(o.op)}: field '${f}' must be an integer`;
  if (o.op === 'cylinder' && !(AXES as readonly unknown[]).includes(o.axis))
    return "cylinder: field 'axis' must be x, y or z";
  return null;
}
