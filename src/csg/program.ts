/**
 * The program tree both CSG problems (csg2d, csg3d) share: primitives of the problem's own kinds
 * combined by union and difference. Generic over the primitive type; each problem's dsl.ts fixes it.
 */

export type CombineOp = 'union' | 'diff';
/** Union(a, b) = a ∪ b; Difference(a, b) = a minus b. */
export interface CsgCombine<P> {
  readonly op: CombineOp;
  readonly a: CsgProgram<P>;
  readonly b: CsgProgram<P>;
}
/** A CSG program: a tree of primitives and binary operators (plain data, JSON-able). */
export type CsgProgram<P> = P | CsgCombine<P>;

/** What shared code needs to know of a problem's primitives. */
export interface CsgPrimitives<P extends { readonly op: string }> {
  /** Primitive kinds in their fixed order (the order of enumeration and of token vocabularies). */
  readonly kinds: readonly P['op'][];
  /** Argument names of each kind, in printed order. */
  readonly fields: Readonly<Record<P['op'], readonly string[]>>;
  isPrimitive(p: CsgProgram<P>): p is P;
  /** The numeric arguments in printed order. */
  primitiveArgs(p: P): number[];
  makePrimitive(op: P['op'], args: readonly number[]): P;
  /** Why a primitive is out of range, or null when it is valid. */
  primitiveError(p: P): string | null;
}

/** How shared tree code reads a problem's primitives. */
export interface CsgTree<P extends { readonly op: string }> {
  isPrimitive(p: CsgProgram<P>): p is P;
  primitiveArgs(p: P): number[];
  /** `circle(10, 12, 8)`. */
  primitiveText(p: P): string;
}

export function csgProgramEquals<P extends { readonly op: string }>(
  t: CsgTree<P>,
  p: CsgProgram<P>,
  q: CsgProgram<P>,
): boolean {
  if (p.op !== q.op) return false;
  if (t.isPrimitive(p)) {
    const a = t.primitiveArgs(p);
    const b = t.primitiveArgs(q as P);
    return a.every((v, i) => v === b[i]);
  }
  const c = q as CsgCombine<P>;
  return csgProgramEquals(t, p.a, c.a) && csgProgramEquals(t, p.b, c.b);
}

/** Number of primitives (shapes) in a program. */
export function csgPrimitiveCount<P extends { readonly op: string }>(
  t: CsgTree<P>,
  p: CsgProgram<P>,
): number {
  return t.isPrimitive(p) ? 1 : csgPrimitiveCount(t, p.a) + csgPrimitiveCount(t, p.b);
}

/** Number of lines (nodes) in a program: one per primitive and per operator. */
export function csgLineCount<P extends { readonly op: string }>(t: CsgTree<P>, p: CsgProgram<P>): number {
  return t.isPrimitive(p) ? 1 : 1 + csgLineCount(t, p.a) + csgLineCount(t, p.b);
}

/** Variable names a, b, …, z, a1, b1, … */
export function variableName(i: number): string {
  const letter = String.fromCharCode(97 + (i % 26));
  return i < 26 ? letter : `${letter}${Math.floor(i / 26)}`;
}

/** One statement per node in post-order; the last statement is the program's value. */
export function csgPrintProgram<P extends { readonly op: string }>(t: CsgTree<P>, p: CsgProgram<P>): string {
  const lines: string[] = [];
  const walk = (q: CsgProgram<P>): string => {
    const rhs = t.isPrimitive(q) ? t.primitiveText(q) : `${q.op}(${walk(q.a)}, ${walk(q.b)})`;
    const name = variableName(lines.length);
    lines.push(`${name} = ${rhs}`);
    return name;
  };
  walk(p);
  return lines.join('\n');
}
