/**
 * Positions in a CSG tree, for the refiners of csg2d and csg3d: a node is addressed by the path of
 * 'a'/'b' steps from the root; a program can be rendered with one node's picture replaced, or
 * rewritten with one node replaced.
 */
import type { CsgProgram } from './program.js';

/** The path from the root to a node: 'a' to the left child, 'b' to the right. */
export type Where = readonly ('a' | 'b')[];

/** The picture operations a rendering with one node replaced needs. */
export interface CsgRenderOps<P, Pic> {
  isPrimitive(p: CsgProgram<P>): p is P;
  renderProgram(p: CsgProgram<P>): Pic;
  union(a: Pic, b: Pic): Pic;
  difference(a: Pic, b: Pic): Pic;
}

/** The program's picture with the node at `where` replaced by the picture `fill`. */
export function renderWith<P, Pic>(
  ops: CsgRenderOps<P, Pic>,
  p: CsgProgram<P>,
  where: Where,
  depth: number,
  fill: Pic,
): Pic {
  if (depth === where.length) return fill;
  if (ops.isPrimitive(p)) throw new Error('refine: path runs past a primitive');
  const a = where[depth] === 'a' ? renderWith(ops, p.a, where, depth + 1, fill) : ops.renderProgram(p.a);
  const b = where[depth] === 'b' ? renderWith(ops, p.b, where, depth + 1, fill) : ops.renderProgram(p.b);
  return p.op === 'union' ? ops.union(a, b) : ops.difference(a, b);
}

/** The program with the node at `where` replaced by `by`. */
export function replaceAt<P>(
  isPrimitive: (p: CsgProgram<P>) => p is P,
  p: CsgProgram<P>,
  where: Where,
  depth: number,
  by: CsgProgram<P>,
): CsgProgram<P> {
  if (depth === where.length) return by;
  if (isPrimitive(p)) throw new Error('refine: path runs past a primitive');
  return where[depth] === 'a'
    ? { op: p.op, a: replaceAt(isPrimitive, p.a, where, depth + 1, by), b: p.b }
    : { op: p.op, a: p.a, b: replaceAt(isPrimitive, p.b, where, depth + 1, by) };
}

/** Every node with its position, root first (pre-order). */
export function positions<P>(
  isPrimitive: (p: CsgProgram<P>) => p is P,
  p: CsgProgram<P>,
  prefix: ('a' | 'b')[] = [],
  out: { where: Where; node: CsgProgram<P> }[] = [],
): { where: Where; node: CsgProgram<P> }[] {
  out.push({ where: [...prefix], node: p });
  if (!isPrimitive(p)) {
    positions(isPrimitive, p.a, [...prefix, 'a'], out);
    positions(isPrimitive, p.b, [...prefix, 'b'], out);
  }
  return out;
}
