/**
 * 3D constructive solid geometry, after the 3D CAD domain of "Write, Execute, Assess" (Ellis et al.
 * 2019): cuboids, spheres and axis-aligned cylinders on the grid {0, 4, …, 28} of a 32-voxel cube,
 * combined by union and difference. Programs print as one statement per line, exactly the lines typed
 * into the REPL: `a = cuboid(0, 4, 8, 12, 16, 20)`, `b = cylinder(z, 16, 16, 0, 8, 12)`, `c = diff(a, b)`.
 */
import { ParseError } from '../../core/index.js';
import {
  csgLineCount,
  csgPrimitiveCount,
  csgPrintProgram,
  csgProgramEquals,
  type CombineOp,
  type CsgCombine,
  type CsgProgram,
  type CsgTree,
} from '../../csg/program.js';

/** Side of the volume in voxels (1 unit = 1 voxel); z is up, as in OpenSCAD. */
export const SIDE = 32;
/** Coordinate grid: 0, 4, …, 28 (8 values). */
export const GRID: readonly number[] = Array.from({ length: 8 }, (_, i) => 4 * i);
export const SPHERE_RADII: readonly number[] = [4, 8, 12];
export const CYLINDER_RADII: readonly number[] = [2, 4, 8, 12];
export const CYLINDER_LENGTHS: readonly number[] = [4, 8, 12, 16, 20];
export const AXES = ['x', 'y', 'z'] as const;
export type Axis = (typeof AXES)[number];

/** Box with opposite corners (x1, y1, z1) < (x2, y2, z2) on the grid. */
export interface Cuboid {
  readonly op: 'cuboid';
  readonly x1: number;
  readonly y1: number;
  readonly z1: number;
  readonly x2: number;
  readonly y2: number;
  readonly z2: number;
}
/** Ball with centre (x, y, z) on the grid and radius r ∈ {4, 8, 12}, fully inside the volume. */
export interface Sphere {
  readonly op: 'sphere';
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly r: number;
}
/**
 * Cylinder along `axis`: its base disc is centred at (x, y, z) on the grid, radius r ∈ {2, 4, 8, 12},
 * and it extends by l ∈ {4, 8, …, 20} in the + direction of the axis (OpenSCAD's `center = false`), so
 * both end caps lie on grid planes. Fully inside the volume.
 */
export interface Cylinder {
  readonly op: 'cylinder';
  readonly axis: Axis;
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly r: number;
  readonly l: number;
}
export type Primitive = Cuboid | Sphere | Cylinder;
export type { CombineOp } from '../../csg/program.js';
/** Union(a, b) = a ∪ b; Difference(a, b) = a minus b. */
export type Combine = CsgCombine<Primitive>;
/** A CSG program: a tree of primitives and binary operators (plain data, JSON-able). */
export type Program = CsgProgram<Primitive>;

export const PRIMITIVE_OPS = ['cuboid', 'sphere', 'cylinder'] as const;
export type PrimitiveOp = (typeof PRIMITIVE_OPS)[number];
/** Argument names of each primitive, in printed order. */
export const FIELDS: Readonly<Record<PrimitiveOp, readonly string[]>> = {
  cuboid: ['x1', 'y1', 'z1', 'x2', 'y2', 'z2'],
  sphere: ['x', 'y', 'z', 'r'],
  cylinder: ['axis', 'x', 'y', 'z', 'r', 'l'],
};

export function isPrimitive(p: Program): p is Primitive {
  return p.op === 'cuboid' || p.op === 'sphere' || p.op === 'cylinder';
}

const onGrid = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= 28 && v % 4 === 0;
const inside = (lo: number, hi: number): boolean => lo >= 0 && hi <= SIDE;

/** Why a primitive is out of range, or null when it is valid. */
export function primitiveError(p: Primitive): string | null {
  switch (p.op) {
    case 'cuboid':
      if (![p.x1, p.y1, p.z1, p.x2, p.y2, p.z2].every(onGrid))
        return 'cuboid corners must be on the grid 0, 4, …, 28';
      if (!(p.x1 < p.x2 && p.y1 < p.y2 && p.z1 < p.z2)) return 'cuboid needs x1 < x2, y1 < y2 and z1 < z2';
      return null;
    case 'sphere':
      if (![p.x, p.y, p.z].every(onGrid)) return `sphere centre (${p.x}, ${p.y}, ${p.z}) is not on the grid`;
      if (!SPHERE_RADII.includes(p.r)) return `sphere radius ${p.r} is not 4, 8 or 12`;
      if (![p.x, p.y, p.z].every((c) => inside(c - p.r, c + p.r)))
        return `sphere(${p.x}, ${p.y}, ${p.z}, ${p.r}) is not fully inside the volume`;
      return null;
    case 'cylinder': {
      if (!(AXES as readonly string[]).includes(p.axis)) return `cylinder axis must be x, y or z`;
      if (![p.x, p.y, p.z].every(onGrid)) return `cylinder base (${p.x}, ${p.y}, ${p.z}) is not on the grid`;
      if (!CYLINDER_RADII.includes(p.r)) return `cylinder radius ${p.r} is not 2, 4, 8 or 12`;
      if (!CYLINDER_LENGTHS.includes(p.l)) return `cylinder length ${p.l} is not 4, 8, …, 20`;
      const ok = (['x', 'y', 'z'] as const).every((a) =>
        a === p.axis ? inside(p[a], p[a] + p.l) : inside(p[a] - p.r, p[a] + p.r),
      );
      return ok ? null : `cylinder(${primitiveArgs(p).join(', ')}) is not fully inside the volume`;
    }
  }
}

/** The numeric arguments of a primitive in printed order (a cylinder's axis as 0, 1, 2). */
export function primitiveArgs(p: Primitive): number[] {
  switch (p.op) {
    case 'cuboid':
      return [p.x1, p.y1, p.z1, p.x2, p.y2, p.z2];
    case 'sphere':
      return [p.x, p.y, p.z, p.r];
    case 'cylinder':
      return [AXES.indexOf(p.axis), p.x, p.y, p.z, p.r, p.l];
  }
}

/** Builds a primitive from its operator and numeric argument list (as `primitiveArgs` gives). */
export function makePrimitive(op: PrimitiveOp, args: readonly number[]): Primitive {
  switch (op) {
    case 'cuboid':
      return { op, x1: args[0], y1: args[1], z1: args[2], x2: args[3], y2: args[4], z2: args[5] };
    case 'sphere':
      return { op, x: args[0], y: args[1], z: args[2], r: args[3] };
    case 'cylinder':
      return { op, axis: AXES[args[0]], x: args[1], y: args[2], z: args[3], r: args[4], l: args[5] };
  }
}

/** `cuboid(0, 4, 8, 12, 16, 20)`, `cylinder(z, 16, 16, 0, 8, 12)`. */
export function primitiveText(p: Primitive): string {
  const args = primitiveArgs(p).map(String);
  if (p.op === 'cylinder') args[0] = p.axis;
  return `${p.op}(${args.join(', ')})`;
}

const TREE: CsgTree<Primitive> = { isPrimitive, primitiveArgs, primitiveText };

export function programEquals(p: Program, q: Program): boolean {
  return csgProgramEquals(TREE, p, q);
}

/** Number of primitives (shapes) in a program. */
export function primitiveCount(p: Program): number {
  return csgPrimitiveCount(TREE, p);
}

/** Number of lines (nodes) in a program: one per primitive and per operator. */
export function lineCount(p: Program): number {
  return csgLineCount(TREE, p);
}

/** Tokens of a program: per line the operator plus its arguments (two pointers for union/diff). */
export function tokenCount(p: Program): number {
  return isPrimitive(p) ? 1 + FIELDS[p.op].length : 3 + tokenCount(p.a) + tokenCount(p.b);
}

export { variableName } from '../../csg/program.js';

/** One statement per node in post-order; the last statement is the program's value. */
export function printProgram(p: Program): string {
  return csgPrintProgram(TREE, p);
}

interface Token {
  readonly kind: 'id' | 'num' | 'sym';
  readonly text: string;
  readonly pos: number;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /[ \t\r]+|#[^\n]*|\/\/[^\n]*|([A-Za-z_][A-Za-z0-9_]*)|(-?\d+)|([=(),;\n])|(.)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[4] !== undefined) throw new ParseError(`unexpected character '${m[4]}'`, m.index);
    if (m[1] !== undefined) out.push({ kind: 'id', text: m[1], pos: m.index });
    else if (m[2] !== undefined) out.push({ kind: 'num', text: m[2], pos: m.index });
    // Newlines end statements, like ';'.
    else if (m[3] !== undefined) out.push({ kind: 'sym', text: m[3] === '\n' ? ';' : m[3], pos: m.index });
  }
  return out;
}

const OPERATORS: Record<string, CombineOp> = { union: 'union', diff: 'diff', difference: 'diff' };

/**
 * Parses statements `name = expr` (or a bare final expression); expr is a primitive call, a variable,
 * or `union(expr, expr)` / `diff(expr, expr)`. Every variable but the last must be used exactly once,
 * so the text is one tree. Throws ParseError with the character offset of the problem.
 */
export function parseProgram(text: string): Program {
  const toks = tokenize(text);
  let i = 0;
  const env = new Map<string, { value: Program; used: boolean; pos: number }>();
  const peek = (): Token | undefined => toks[i];
  const fail = (msg: string, t = peek()): never => {
    throw new ParseError(msg, t ? t.pos : text.length);
  };
  const expect = (s: string): void => {
    if (peek()?.text !== s)
      fail(`expected '${s}'${peek() ? ` but found '${peek()!.text}'` : ' at end of text'}`);
    i++;
  };
  const argument = (op: PrimitiveOp, k: number): number => {
    const n = peek();
    if (op === 'cylinder' && k === 0) {
      if (!n || n.kind !== 'id' || !(AXES as readonly string[]).includes(n.text))
        return fail('cylinder expects its axis first: x, y or z');
      i++;
      return AXES.indexOf(n.text as Axis);
    }
    if (!n || n.kind !== 'num') return fail(`${op} expects ${FIELDS[op].length} arguments`);
    i++;
    return Number(n.text);
  };
  const expr = (): Program => {
    const t = peek();
    if (!t || t.kind !== 'id') return fail('expected a shape, an operator or a variable');
    i++;
    if (peek()?.text !== '(') {
      const v = env.get(t.text);
      if (!v) return fail(`unknown variable '${t.text}'`, t);
      if (v.used) return fail(`variable '${t.text}' is used twice`, t);
      v.used = true;
      return v.value;
    }
    expect('(');
    if (t.text in OPERATORS) {
      const a = expr();
      expect(',');
      const b = expr();
      expect(')');
      return { op: OPERATORS[t.text], a, b };
    }
    if (!(PRIMITIVE_OPS as readonly string[]).includes(t.text))
      return fail(`unknown function '${t.text}'`, t);
    const op = t.text as PrimitiveOp;
    const args: number[] = [];
    for (let k = 0; k < FIELDS[op].length; k++) {
      if (k > 0) expect(',');
      args.push(argument(op, k));
    }
    expect(')');
    const prim = makePrimitive(op, args);
    const err = primitiveError(prim);
    if (err) fail(err, t);
    return prim;
  };

  let last: { value: Program; name: string | null } | null = null;
  while (i < toks.length) {
    if (peek()!.text === ';' && ++i) continue;
    const start = peek()!;
    let name: string | null = null;
    if (start.kind === 'id' && toks[i + 1]?.text === '=') {
      name = start.text;
      if (env.has(name)) fail(`variable '${name}' is assigned twice`, start);
      i += 2;
    }
    if (last && last.name === null) fail('an expression without a name can only be the last line', start);
    const value = expr();
    if (peek() && peek()!.text !== ';') fail(`unexpected '${peek()!.text}' after a statement`);
    if (name !== null) env.set(name, { value, used: false, pos: start.pos });
    last = { value, name };
  }
  if (!last) throw new ParseError('empty program', 0);
  checkAllUsed(env, last.name);
  return last.value;
}

function checkAllUsed(env: Map<string, { used: boolean; pos: number }>, last: string | null): void {
  for (const [n, v] of env)
    if (!v.used && n !== last) throw new ParseError(`variable '${n}' is never used`, v.pos);
}
