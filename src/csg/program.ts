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
