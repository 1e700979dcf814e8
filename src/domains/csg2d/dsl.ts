/**
 * 2D constructive solid geometry, after the 2D CAD domain of "Write, Execute, Assess" (Ellis et al.
 * 2019, CAD.py): circles, axis-aligned rectangles and 45°-rotated rectangles on the grid {0, 2, …, 30}
 * of a 32-unit canvas, combined by union and difference. Programs print as one statement per line
 * (`a = circle(10, 12, 8)`, `c = union(a, b)`), exactly the lines typed into the REPL.
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

/** Canvas side in units; the raster has 2 pixels per unit. y grows downwards (image rows). */
export const CANVAS = 32;
/** Coordinate grid: 0, 2, …, 30 (16 values). */
export const GRID: readonly number[] = Array.from({ length: 16 }, (_, i) => 2 * i);
/** Circle diameters: 6, 8, …, 30. */
export const DIAMETERS: readonly number[] = Array.from({ length: 13 }, (_, i) => 6 + 2 * i);

/** Circle with centre (x, y) and diameter d, fully inside the canvas. */
export interface Circle {
  readonly op: 'circle';
  readonly x: number;
  readonly y: number;
  readonly d: number;
}
/** Axis-aligned rectangle with opposite corners (x1, y1) < (x2, y2). */
export interface Rect {
  readonly op: 'rect';
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}
/**
 * Rectangle rotated 45°, as in CAD.py's slanted quadrilateral: top vertex (x, y), side a along the
 * down-left diagonal and side b along the down-right one. Vertices (x, y), (x−a, y+a), (x−a+b, y+a+b),
 * (x+b, y+b) all lie on the grid, so a and b are even and ≥ 2. Its sides are a√2 and b√2 long.
 */
export interface Rect45 {
  readonly op: 'rect45';
  readonly x: number;
  readonly y: number;
  readonly a: number;
  readonly b: number;
}
export type Primitive = Circle | Rect | Rect45;
export type { CombineOp } from '../../csg/program.js';
/** Union(a, b) = a ∪ b; Difference(a, b) = a minus b. */
export type Combine = CsgCombine<Primitive>;
/** A CSG program: a tree of primitives and binary operators (plain data, JSON-able). */
export type Program = CsgProgram<Primitive>;

export const PRIMITIVE_OPS = ['circle', 'rect', 'rect45'] as const;
const ARITY: Record<Primitive['op'], number> = { circle: 3, rect: 4, rect45: 4 };

export function isPrimitive(p: Program): p is Primitive {
  return p.op === 'circle' || p.op === 'rect' || p.op === 'rect45';
}

const onGrid = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= 30 && v % 2 === 0;

/** Why a primitive is out of range, or null when it is valid. */
export function primitiveError(p: Primitive): string | null {
  switch (p.op) {
    case 'circle': {
      if (!onGrid(p.x) || !onGrid(p.y))
        return `circle centre (${p.x}, ${p.y}) is not on the grid 0, 2, …, 30`;
      if (!DIAMETERS.includes(p.d)) return `circle diameter ${p.d} is not in 6, 8, …, 30`;
      const r = p.d / 2;
      if (p.x - r < 0 || p.x + r > CANVAS || p.y - r < 0 || p.y + r > CANVAS)
        return `circle(${p.x}, ${p.y}, ${p.d}) is not fully inside the canvas`;
      return null;
    }
    case 'rect':
      if (![p.x1, p.y1, p.x2, p.y2].every(onGrid)) return 'rect corners must be on the grid 0, 2, …, 30';
      if (!(p.x1 < p.x2 && p.y1 < p.y2)) return `rect needs x1 < x2 and y1 < y2`;
      return null;
    case 'rect45':
      if (!onGrid(p.x) || !onGrid(p.y)) return `rect45 top vertex (${p.x}, ${p.y}) is not on the grid`;
      if (!onGrid(p.a) || !onGrid(p.b) || p.a < 2 || p.b < 2) return 'rect45 sides a, b must be even and ≥ 2';
      if (p.x - p.a < 0 || p.x + p.b > 30 || p.y + p.a + p.b > 30) return 'rect45 vertices leave the grid';
      return null;
  }
}

/** Builds a primitive from its operator and argument list (in printed order). */
export function makePrimitive(op: Primitive['op'], args: readonly number[]): Primitive {
  switch (op) {
    case 'circle':
      return { op, x: args[0], y: args[1], d: args[2] };
    case 'rect':
      return { op, x1: args[0], y1: args[1], x2: args[2], y2: args[3] };
    case 'rect45':
      return { op, x: args[0], y: args[1], a: args[2], b: args[3] };
  }
}

export function primitiveArgs(p: Primitive): number[] {
  switch (p.op) {
    case 'circle':
      return [p.x, p.y, p.d];
    case 'rect':
      return [p.x1, p.y1, p.x2, p.y2];
    case 'rect45':
      return [p.x, p.y, p.a, p.b];
  }
}

/** `circle(10, 12, 8)`. */
export function primitiveText(p: Primitive): string {
  return `${p.op}(${primitiveArgs(p).join(', ')})`;
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

export function programDepth(p: Program): number {
  return isPrimitive(p) ? 1 : 1 + Math.max(programDepth(p.a), programDepth(p.b));
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
  const re = /\s+|#[^\n]*|\/\/[^\n]*|([A-Za-z_][A-Za-z0-9_]*)|(-?\d+)|([=(),;\n])|(.)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[4] !== undefined) throw new ParseError(`unexpected character '${m[4]}'`, m.index);
    // Newlines end statements; other whitespace and comments are skipped.
    if (m[0].includes('\n') && m[1] === undefined && m[2] === undefined)
      out.push({ kind: 'sym', text: ';', pos: m.index });
    else if (m[1] !== undefined) out.push({ kind: 'id', text: m[1], pos: m.index });
    else if (m[2] !== undefined) out.push({ kind: 'num', text: m[2], pos: m.index });
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
    const t = peek();
    if (!t || t.text !== s) fail(`expected '${s}'${t ? ` but found '${t.text}'` : ' at end of text'}`);
    i++;
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
    const op = t.text as Primitive['op'];
    const args: number[] = [];
    for (let k = 0; k < ARITY[op]; k++) {
      if (k > 0) expect(',');
      const n = peek();
      if (!n || n.kind !== 'num') return fail(`${op} expects ${ARITY[op]} integer arguments`);
      args.push(Number(n.text));
      i++;
    }
    expect(')');
    const prim = makePrimitive(op, args);
    const err = primitiveError(prim);
    if (err) fail(err, t);
    return prim;
  };

  let last: { value: Program; name: string | null; pos: number } | null = null;
  while (i < toks.length) {
    if (peek()!.text === ';') {
      i++;
      continue;
    }
    const start = peek()!;
    let name: string | null = null;
    if (start.kind === 'id' && toks[i + 1]?.text === '=') {
      name = start.text;
      if (env.has(name)) fail(`variable '${name}' is assigned twice`, start);
      i += 2;
    }
    const value = expr();
    const end = peek();
    if (end && end.text !== ';') fail(`unexpected '${end.text}' after a statement`);
    if (last && last.name === null) fail('an expression without a name can only be the last line', start);
    if (name !== null) env.set(name, { value, used: false, pos: start.pos });
    last = { value, name, pos: start.pos };
  }
  if (!last) throw new ParseError('empty program', 0);
  for (const [n, v] of env)
    if (!v.used && n !== last.name) throw new ParseError(`variable '${n}' is never used`, v.pos);
  return last.value;
}
