/**
 * The lines of code a policy can type: every valid primitive (enumerated once, in a fixed order) and
 * the two operators with two pointers into the objects in scope. Names and keys for the ActionSpace.
 */
import {
  CANVAS,
  DIAMETERS,
  GRID,
  primitiveArgs,
  primitiveError,
  type CombineOp,
  type Primitive,
} from './dsl.js';

/** Union(a, b) / Difference(a, b) of the objects at positions a and b of the scope (0-based). */
export interface CombineAction {
  readonly op: CombineOp;
  readonly a: number;
  readonly b: number;
}
/** One REPL line: a primitive (adds an object) or an operator on two objects (replaces them). */
export type Csg2dAction = Primitive | CombineAction;

export function isCombineAction(a: Csg2dAction): a is CombineAction {
  return a.op === 'union' || a.op === 'diff';
}

function enumerate(): Primitive[] {
  const out: Primitive[] = [];
  for (const d of DIAMETERS)
    for (const y of GRID)
      for (const x of GRID) {
        const r = d / 2;
        if (x - r >= 0 && x + r <= CANVAS && y - r >= 0 && y + r <= CANVAS)
          out.push({ op: 'circle', x, y, d });
      }
  for (const x1 of GRID)
    for (const x2 of GRID)
      for (const y1 of GRID)
        for (const y2 of GRID) if (x1 < x2 && y1 < y2) out.push({ op: 'rect', x1, y1, x2, y2 });
  for (const x of GRID)
    for (const y of GRID)
      for (const a of GRID)
        for (const b of GRID) {
          const p: Primitive = { op: 'rect45', x, y, a, b };
          if (primitiveError(p) === null) out.push(p);
        }
  return out;
}

/** Every valid primitive line, in a fixed order (circles, rects, rect45s). */
export const ALL_PRIMITIVES: readonly Primitive[] = enumerate();

/** Number of distinct primitive lines of each kind. */
export const PRIMITIVE_COUNTS: Readonly<Record<Primitive['op'], number>> = {
  circle: ALL_PRIMITIVES.filter((p) => p.op === 'circle').length,
  rect: ALL_PRIMITIVES.filter((p) => p.op === 'rect').length,
  rect45: ALL_PRIMITIVES.filter((p) => p.op === 'rect45').length,
};

const indexByKey = new Map<string, number>(ALL_PRIMITIVES.map((p, i) => [actionKey(p), i]));

/** Position of a valid primitive in ALL_PRIMITIVES (for flat policy heads), or −1. */
export function primitiveIndex(p: Primitive): number {
  return indexByKey.get(actionKey(p)) ?? -1;
}

/**
 * Distinct lines with at most `maxObjects` objects in scope: every primitive, plus union and
 * difference over ordered pairs of distinct pointers (union(i, j) and union(j, i) are different
 * programs with the same picture).
 */
export function actionSpaceSize(maxObjects: number): number {
  return ALL_PRIMITIVES.length + 2 * maxObjects * (maxObjects - 1);
}

/** A compact key, e.g. "circle(10,12,8)" or "union(0,2)". */
export function actionKey(a: Csg2dAction): string {
  return isCombineAction(a) ? `${a.op}(${a.a},${a.b})` : `${a.op}(${primitiveArgs(a).join(',')})`;
}

/** A readable name, e.g. "circle(10, 12, 8)" or "union(#0, #2)". */
export function actionName(a: Csg2dAction): string {
  return isCombineAction(a) ? `${a.op}(#${a.a}, #${a.b})` : `${a.op}(${primitiveArgs(a).join(', ')})`;
}

/** Why a value is not a well-formed action (wrong shape or types), or null. Range checks come later. */
export function actionShapeError(a: unknown): string | null {
  if (typeof a !== 'object' || a === null) return 'action is not an object';
  const o = a as Record<string, unknown>;
  const fields: Record<string, string[]> = {
    circle: ['x', 'y', 'd'],
    rect: ['x1', 'y1', 'x2', 'y2'],
    rect45: ['x', 'y', 'a', 'b'],
    union: ['a', 'b'],
    diff: ['a', 'b'],
  };
  const want = typeof o.op === 'string' && Object.hasOwn(fields, o.op) ? fields[o.op] : undefined;
  if (!want) return `unknown action op '${String(o.op)}'`;
  for (const f of want)
    if (!Number.isInteger(o[f])) return `${String(o.op)}: field '${f}' must be an integer`;
  return null;
}
