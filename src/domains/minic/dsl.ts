/**
 * Restricted C, the language of LaSynth (Chen, Song, Tian, NeurIPS'21; REFERENCE §2): `int *
 * func_1(int a[]) { … return a; }` over a list of 5 ints; int locals with constant initialisers; `=`,
 * `+=`, `-=`, `++`, `--`; if/else; `for (v = e; v < e; v++)`; break, continue; `+`/`−` expressions of at
 * most 2 operations; constants in [−4, 4] (a loop bound may be 5). Printed as C that gcc compiles.
 */

export const LIST_LENGTH = 5;
export const MAX_LOCALS = 6;
export const CONST_MIN = -4;
export const CONST_MAX = 4;
/** Most `+`/`−` operations in one expression (its indices included). */
export const MAX_OPS = 2;
/** Most C tokens in a whole program, the fixed header and `return a; }` included. */
export const MAX_PROGRAM_TOKENS = 256;

export type BinOp = '+' | '-';
export type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type AssignOp = '=' | '+=' | '-=';
export const BIN_OPS: readonly BinOp[] = ['+', '-'];
export const CMP_OPS: readonly CmpOp[] = ['<', '<=', '>', '>=', '==', '!='];
export const ASSIGN_OPS: readonly AssignOp[] = ['=', '+=', '-='];

/** Locals are slots 0 … MAX_LOCALS − 1, printed v0, v1, …; `at` is a[i]. */
export type Expr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'var'; readonly v: number }
  | { readonly k: 'at'; readonly i: Expr }
  | { readonly k: 'bin'; readonly op: BinOp; readonly l: Expr; readonly r: Expr };

export type Target = { readonly k: 'var'; readonly v: number } | { readonly k: 'at'; readonly i: Expr };

export interface Cond {
  readonly op: CmpOp;
  readonly l: Expr;
  readonly r: Expr;
}

export type Stmt =
  | { readonly k: 'set'; readonly op: AssignOp; readonly target: Target; readonly e: Expr }
  | { readonly k: 'step'; readonly op: '++' | '--'; readonly target: Target }
  | {
      readonly k: 'if';
      readonly c: Cond;
      readonly then: readonly Stmt[];
      readonly else: readonly Stmt[] | null;
    }
  | {
      readonly k: 'for';
      readonly v: number;
      readonly lo: Expr;
      readonly hi: Expr;
      readonly body: readonly Stmt[];
    }
  | { readonly k: 'break' }
  | { readonly k: 'continue' };

export interface Program {
  /** Initial values of the locals v0, v1, … (constants in [−4, 4]). */
  readonly locals: readonly number[];
  readonly body: readonly Stmt[];
}

export const FUNCTION_NAME = 'func_1';
export const varName = (v: number): string => `v${v}`;
/** `int * func_1 ( int a [ ] ) {` */
export const HEADER_TOKENS: readonly string[] = [
  'int',
  '*',
  FUNCTION_NAME,
  '(',
  'int',
  'a',
  '[',
  ']',
  ')',
  '{',
];
/** `return a ; }` */
export const TRAILER_TOKENS: readonly string[] = ['return', 'a', ';', '}'];
export const FIXED_TOKENS = HEADER_TOKENS.length + TRAILER_TOKENS.length;

// ------------------------------------------------------------------ constructors (for generators and tests)

export const num = (v: number): Expr => ({ k: 'num', v });
export const local = (v: number): { readonly k: 'var'; readonly v: number } => ({ k: 'var', v });
export const at = (i: Expr): { readonly k: 'at'; readonly i: Expr } => ({ k: 'at', i });
export const bin = (op: BinOp, l: Expr, r: Expr): Expr => ({ k: 'bin', op, l, r });

// ------------------------------------------------------------------ tokens

function numTokens(v: number): string[] {
  return v < 0 ? ['-', String(-v)] : [String(v)];
}

export function exprTokens(e: Expr, out: string[] = []): string[] {
  switch (e.k) {
    case 'num':
      out.push(...numTokens(e.v));
      break;
    case 'var':
      out.push(varName(e.v));
      break;
    case 'at':
      out.push('a', '[');
      exprTokens(e.i, out);
      out.push(']');
      break;
    case 'bin':
      exprTokens(e.l, out);
      out.push(e.op);
      if (e.r.k === 'bin') {
        out.push('(');
        exprTokens(e.r, out);
        out.push(')');
      } else exprTokens(e.r, out);
  }
  return out;
}

function targetTokens(t: Target, out: string[]): void {
  if (t.k === 'var') out.push(varName(t.v));
  else exprTokens(t, out);
}

function stmtTokens(s: Stmt, out: string[]): void {
  const block = (b: readonly Stmt[]): void => {
    out.push('{');
    for (const x of b) stmtTokens(x, out);
    out.push('}');
  };
  switch (s.k) {
    case 'set':
      targetTokens(s.target, out);
      out.push(s.op);
      exprTokens(s.e, out);
      out.push(';');
      return;
    case 'step':
      targetTokens(s.target, out);
      out.push(s.op, ';');
      return;
    case 'if': {
      out.push('if', '(');
      exprTokens(s.c.l, out);
      out.push(s.c.op);
      exprTokens(s.c.r, out);
      out.push(')');
      block(s.then);
      if (s.else) {
        out.push('else');
        block(s.else);
      }
      return;
    }
    case 'for': {
      const v = varName(s.v);
      out.push('for', '(', v, '=');
      exprTokens(s.lo, out);
      out.push(';', v, '<');
      exprTokens(s.hi, out);
      out.push(';', v, '++', ')');
      block(s.body);
      return;
    }
    case 'break':
    case 'continue':
      out.push(s.k, ';');
  }
}

/** The C tokens of the function body: declarations and statements (no header, no `return a; }`). */
export function bodyTokens(p: Program): string[] {
  const out: string[] = [];
  p.locals.forEach((init, v) => out.push('int', varName(v), '=', ...numTokens(init), ';'));
  for (const s of p.body) stmtTokens(s, out);
  return out;
}

/** C tokens of the whole function (what the 256-token limit counts). */
export const tokenCount = (p: Program): number => bodyTokens(p).length + FIXED_TOKENS;

// ------------------------------------------------------------------ printing

export function exprText(e: Expr): string {
  switch (e.k) {
    case 'num':
      return String(e.v);
    case 'var':
      return varName(e.v);
    case 'at':
      return `a[${exprText(e.i)}]`;
    case 'bin':
      return `${exprText(e.l)} ${e.op} ${e.r.k === 'bin' ? `(${exprText(e.r)})` : exprText(e.r)}`;
  }
}

const targetText = (t: Target): string => (t.k === 'var' ? varName(t.v) : exprText(t));
const condText = (c: Cond): string => `${exprText(c.l)} ${c.op} ${exprText(c.r)}`;

function stmtLines(s: Stmt, indent: string, out: string[]): void {
  const block = (b: readonly Stmt[]): void => {
    for (const x of b) stmtLines(x, `${indent}  `, out);
  };
  switch (s.k) {
    case 'set':
      out.push(`${indent}${targetText(s.target)} ${s.op} ${exprText(s.e)};`);
      return;
    case 'step':
      out.push(`${indent}${targetText(s.target)}${s.op};`);
      return;
    case 'if': {
      out.push(`${indent}if (${condText(s.c)}) {`);
      block(s.then);
      // `else if` is written `else { if … }`: one token sequence per program.
      if (s.else) {
        out.push(`${indent}} else {`);
        block(s.else);
      }
      out.push(`${indent}}`);
      return;
    }
    case 'for': {
      const v = varName(s.v);
      out.push(`${indent}for (${v} = ${exprText(s.lo)}; ${v} < ${exprText(s.hi)}; ${v}++) {`);
      block(s.body);
      out.push(`${indent}}`);
      return;
    }
    case 'break':
    case 'continue':
      out.push(`${indent}${s.k};`);
  }
}

/** The whole C function, one statement a line. */
export function printProgram(p: Program): string {
  const lines = [`int * ${FUNCTION_NAME}(int a[]) {`];
  p.locals.forEach((init, v) => lines.push(`  int ${varName(v)} = ${init};`));
  for (const s of p.body) stmtLines(s, '  ', lines);
  lines.push('  return a;', '}');
  return lines.join('\n');
}

// ------------------------------------------------------------------ the language's rules

/** A broken rule and the node that breaks it (parse.ts maps nodes to source positions). */
export interface RuleError {
  readonly message: string;
  readonly node: object | null;
}

/** Operations in an expression, its indices included. */
export function opCount(e: Expr): number {
  switch (e.k) {
    case 'num':
    case 'var':
      return 0;
    case 'at':
      return opCount(e.i);
    case 'bin':
      return 1 + opCount(e.l) + opCount(e.r);
  }
}

interface Ctx {
  readonly inLoop: boolean;
  /** Bit v is set while v is the variable of an enclosing loop (it may not be assigned). */
  readonly active: number;
}

/**
 * The first rule `p` breaks, or null: locals and constants in range, variables declared, at most
 * MAX_OPS operations per expression, 5 only in a loop bound, loop variables not assigned inside their
 * loop, break/continue inside loops, no empty block, at most MAX_PROGRAM_TOKENS tokens.
 */
export function programError(p: Program): RuleError | null {
  const fail = (message: string, node: object | null): RuleError => ({ message, node });
  if (p.locals.length > MAX_LOCALS) return fail(`at most ${MAX_LOCALS} locals`, null);
  for (const init of p.locals)
    if (!Number.isInteger(init) || init < CONST_MIN || init > CONST_MAX)
      return fail(`a local's initial value must be a constant in [${CONST_MIN}, ${CONST_MAX}]`, null);
  const n = p.locals.length;
  const expr = (e: Expr, allow5: boolean): RuleError | null => {
    switch (e.k) {
      case 'num': {
        const ok = Number.isInteger(e.v) && e.v >= CONST_MIN && (e.v <= CONST_MAX || (allow5 && e.v === 5));
        return ok ? null : fail(`constant ${e.v} outside [${CONST_MIN}, ${CONST_MAX}]`, e);
      }
      case 'var':
        return Number.isInteger(e.v) && e.v >= 0 && e.v < n ? null : fail(`undeclared variable v${e.v}`, e);
      case 'at':
        return expr(e.i, false);
      case 'bin':
        return expr(e.l, allow5) ?? expr(e.r, allow5);
    }
  };
  const top = (e: Expr, allow5 = false): RuleError | null =>
    opCount(e) > MAX_OPS ? fail(`at most ${MAX_OPS} operations in an expression`, e) : expr(e, allow5);
  const target = (t: Target, ctx: Ctx): RuleError | null => {
    if (t.k === 'at') return top(t.i);
    const bad = expr(t, false);
    if (bad) return bad;
    return ctx.active & (1 << t.v) ? fail(`loop variable v${t.v} is assigned inside its loop`, t) : null;
  };
  const block = (b: readonly Stmt[], ctx: Ctx, node: object): RuleError | null => {
    if (b.length === 0) return fail('empty block', node);
    for (const s of b) {
      const e = stmt(s, ctx);
      if (e) return e;
    }
    return null;
  };
  const stmt = (s: Stmt, ctx: Ctx): RuleError | null => {
    switch (s.k) {
      case 'set':
        return target(s.target, ctx) ?? top(s.e);
      case 'step':
        return target(s.target, ctx);
      case 'if':
        return top(s.c.l) ?? top(s.c.r) ?? block(s.then, ctx, s) ?? (s.else ? block(s.else, ctx, s) : null);
      case 'for': {
        if (!(Number.isInteger(s.v) && s.v >= 0 && s.v < n)) return fail(`undeclared variable v${s.v}`, s);
        if (ctx.active & (1 << s.v)) return fail(`loop variable v${s.v} is assigned inside its loop`, s);
        const bad = top(s.lo) ?? top(s.hi, true);
        return bad ?? block(s.body, { inLoop: true, active: ctx.active | (1 << s.v) }, s);
      }
      case 'break':
      case 'continue':
        return ctx.inLoop ? null : fail(`${s.k} outside a loop`, s);
    }
  };
  for (const s of p.body) {
    const e = stmt(s, { inLoop: false, active: 0 });
    if (e) return e;
  }
  const tokens = tokenCount(p);
  return tokens > MAX_PROGRAM_TOKENS ? fail(`${tokens} tokens (at most ${MAX_PROGRAM_TOKENS})`, null) : null;
}

/** Facts about a program's shape, for dataset statistics. */
export interface ProgramShape {
  readonly tokens: number;
  readonly loops: number;
  /** Deepest loop nesting (0: no loop). */
  readonly loopDepth: number;
  readonly ifs: number;
  readonly breaks: number;
  readonly continues: number;
  readonly statements: number;
}

export function programShape(p: Program): ProgramShape {
  let loops = 0;
  let loopDepth = 0;
  let ifs = 0;
  let breaks = 0;
  let continues = 0;
  let statements = 0;
  const walk = (b: readonly Stmt[], depth: number): void => {
    for (const s of b) {
      statements++;
      if (s.k === 'for') {
        loops++;
        loopDepth = Math.max(loopDepth, depth + 1);
        walk(s.body, depth + 1);
      } else if (s.k === 'if') {
        ifs++;
        walk(s.then, depth);
        if (s.else) walk(s.else, depth);
      } else if (s.k === 'break') breaks++;
      else if (s.k === 'continue') continues++;
    }
  };
  walk(p.body, 0);
  return { tokens: tokenCount(p), loops, loopDepth, ifs, breaks, continues, statements };
}
