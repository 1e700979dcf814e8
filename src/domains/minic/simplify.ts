/**
 * A shorter program with the same behaviour: the training targets of the sequence models.
 *
 * The generator writes programs with dead code, constant conditions and expressions such as
 * `2 + -2 + 1` or `a[1] - a[1] + a[0]`. A decoder trained on them has to learn many spellings of one
 * behaviour, and long ones. LaSynth's iterative retraining replaces a target by a decoded program that
 * satisfies the spec for the same reason. This module does the same thing up front, in two ways:
 *
 * - **Exact rewrites.** An expression is a sum of atoms (locals, `a[i]`) with integer coefficients and a
 *   constant. It is rewritten as the shortest left-nested chain of the same sum, with its terms in a
 *   fixed order. The rewrite is exact in two's-complement arithmetic, because + and − commute and
 *   associate there.
 * - **Checked edits.** An edit deletes a statement, replaces an `if` by one branch, drops an `else`,
 *   rewrites an assignment (`x = x + e` → `x += e`, `x += 1` → `x++`, `x op= e` → `x = c`), or drops an
 *   unused local. It is kept only when the program gives the same result as the original, output or
 *   error, on every check input. The check inputs are the 16 behaviour probes, 64 fixed random lists
 *   drawn the way spec inputs are drawn, and any inputs the caller adds, such as the task's examples and
 *   tests.
 *
 * Edits are tried cheapest result first. An edit is kept only when it lowers (tokens, reads), compared
 * in that order, and this repeats until no edit helps. The result keeps the behaviour key and the split
 * of the original (the probes are among the check inputs), and it obeys the language's rules.
 */
import { Rng } from '../../core/index.js';
import { PROBES } from './dataset.js';
import {
  CONST_MAX,
  CONST_MIN,
  LIST_LENGTH,
  MAX_OPS,
  opCount,
  programError,
  type Expr,
  type Program,
  type Stmt,
  type Target,
} from './dsl.js';
import { compileProgram, RUN_OK } from './interpreter.js';

// ------------------------------------------------------------------ check inputs

function randomInputs(n: number): Int32Array[] {
  const rng = new Rng('minic/simplify/v1');
  return Array.from({ length: n }, (_, k) => {
    const r = k % 2 === 0 ? CONST_MAX : 2;
    return Int32Array.from({ length: LIST_LENGTH }, () => rng.range(-r, r));
  });
}

const FIXED_INPUTS: readonly Int32Array[] = [...PROBES, ...randomInputs(64)];

/** Results of a program on inputs: per input the run code, then the output list. */
class Results {
  constructor(
    readonly inputs: readonly Int32Array[],
    readonly codes: Int32Array,
    readonly outputs: Int32Array,
  ) {}

  static of(p: Program, inputs: readonly Int32Array[]): Results {
    const c = compileProgram(p);
    const codes = new Int32Array(inputs.length);
    const outputs = new Int32Array(inputs.length * LIST_LENGTH);
    const out = new Int32Array(LIST_LENGTH);
    inputs.forEach((x, i) => {
      codes[i] = c.run(x, out);
      if (codes[i] === RUN_OK) outputs.set(out, i * LIST_LENGTH);
    });
    return new Results(inputs, codes, outputs);
  }

  /** Whether `p` gives the same results; stops at the first difference. */
  same(p: Program): boolean {
    const c = compileProgram(p);
    const out = new Int32Array(LIST_LENGTH);
    for (let i = 0; i < this.inputs.length; i++) {
      const code = c.run(this.inputs[i], out);
      if (code !== this.codes[i]) return false;
      if (code !== RUN_OK) continue;
      for (let k = 0; k < LIST_LENGTH; k++) if (out[k] !== this.outputs[i * LIST_LENGTH + k]) return false;
    }
    return true;
  }
}

// ------------------------------------------------------------------ exact: linear expressions

/** A sum of atoms with coefficients, plus a constant; null for an expression that is not one. */
interface Linear {
  readonly terms: Map<string, { atom: Expr; k: number }>;
  c: number;
}

/** A structural key of an expression; the key of an atom or an assignment target too. */
function exprKey(e: Expr): string {
  switch (e.k) {
    case 'num':
      return String(e.v);
    case 'var':
      return `v${e.v}`;
    case 'at':
      return `a[${exprKey(e.i)}]`;
    case 'bin':
      return `(${exprKey(e.l)}${e.op}${exprKey(e.r)})`;
  }
}

function linear(e: Expr, sign: number, into: Linear): void {
  switch (e.k) {
    case 'num':
      into.c += sign * e.v;
      return;
    case 'var':
    case 'at': {
      const atom = e.k === 'at' ? { k: 'at' as const, i: normalizeExpr(e.i) } : e;
      const key = exprKey(atom);
      const t = into.terms.get(key);
      if (t) t.k += sign;
      else into.terms.set(key, { atom, k: sign });
      return;
    }
    case 'bin':
      linear(e.l, sign, into);
      linear(e.r, e.op === '+' ? sign : -sign, into);
  }
}

/** A read that never fails: a local, or a list cell at a constant index in range. */
const safeRead = (e: Expr): boolean =>
  e.k === 'var' || (e.k === 'at' && e.i.k === 'num' && e.i.v >= 0 && e.i.v < LIST_LENGTH);

/** Atoms in a fixed order: locals before list cells, by index. */
function atomOrder(a: string, b: string): number {
  const rank = (s: string): number => (s.startsWith('v') ? 0 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The constant as one token when it fits, as the sum of two in-range constants otherwise. */
function constantParts(c: number): number[] {
  if (c >= CONST_MIN && c <= CONST_MAX) return [c];
  const first = c > 0 ? CONST_MAX : CONST_MIN;
  const rest = c - first;
  return rest >= CONST_MIN && rest <= CONST_MAX ? [first, rest] : [];
}

/**
 * The shortest left-nested chain of a linear form: positive atoms first (in order), then negative ones,
 * then the constant; a form with no positive atom leads with its constant (`4 - v0`, `0 - a[1]`).
 * Null when a coefficient is not ±1 or ±2 or the constant does not fit in two constants.
 */
function chain(l: Linear): Expr | null {
  const pos: Expr[] = [];
  const neg: Expr[] = [];
  const keys = [...l.terms.keys()].sort(atomOrder);
  for (const key of keys) {
    const { atom, k } = l.terms.get(key)!;
    // A cancelled read may only go when it cannot fail: a[v] - a[v] is an error for v outside 0…4.
    if (k === 0 && !safeRead(atom)) return null;
    if (k === 0) continue;
    if (Math.abs(k) > 2) return null;
    for (let i = 0; i < Math.abs(k); i++) (k > 0 ? pos : neg).push(atom);
  }
  const consts = constantParts(l.c);
  if (consts.length === 0) return null;
  const c = consts.reduce((x, y) => x + y, 0);
  let e: Expr;
  const rest: { op: '+' | '-'; e: Expr }[] = [];
  if (pos.length > 0) {
    e = pos[0];
    for (const x of pos.slice(1)) rest.push({ op: '+', e: x });
    for (const x of neg) rest.push({ op: '-', e: x });
    for (const v of consts) if (v !== 0) rest.push(v > 0 ? { op: '+', e: num(v) } : { op: '-', e: num(-v) });
  } else {
    // Leading constant: the first part leads, a second part follows with its sign.
    e = num(neg.length > 0 ? consts[0] : c);
    for (const x of neg) rest.push({ op: '-', e: x });
    if (neg.length > 0)
      for (const v of consts.slice(1))
        if (v !== 0) rest.push(v > 0 ? { op: '+', e: num(v) } : { op: '-', e: num(-v) });
    if (neg.length === 0 && consts.length > 1)
      e = { k: 'bin', op: '+', l: num(consts[0]), r: num(consts[1]) };
  }
  for (const r of rest) e = { k: 'bin', op: r.op, l: e, r: r.e };
  return e;
}

const num = (v: number): Expr => ({ k: 'num', v });

/** Token length of an expression as printed (negative constants are two tokens, right operands bracketed). */
function exprLength(e: Expr): number {
  switch (e.k) {
    case 'num':
      return e.v < 0 ? 2 : 1;
    case 'var':
      return 1;
    case 'at':
      return 3 + exprLength(e.i);
    case 'bin':
      return exprLength(e.l) + 1 + exprLength(e.r) + (e.r.k === 'bin' ? 2 : 0);
  }
}

/** The canonical chain of an expression when it is no longer and within the operation limit. */
export function normalizeExpr(e: Expr): Expr {
  if (e.k === 'num' || e.k === 'var') return e;
  if (e.k === 'at') return { k: 'at', i: normalizeExpr(e.i) };
  const l: Linear = { terms: new Map(), c: 0 };
  linear(e, 1, l);
  const n = chain(l);
  if (!n || opCount(n) > MAX_OPS || exprLength(n) > exprLength(e)) return e;
  return n;
}

function normalizeTarget(t: Target): Target {
  return t.k === 'var' ? t : { k: 'at', i: normalizeExpr(t.i) };
}

/** Every expression of the program in canonical form (loop bounds too, where the rules allow). */
function normalizeStmts(b: readonly Stmt[]): Stmt[] {
  return b.map((s): Stmt => {
    switch (s.k) {
      case 'set':
        return { ...s, target: normalizeTarget(s.target), e: normalizeExpr(s.e) };
      case 'step':
        return { ...s, target: normalizeTarget(s.target) };
      case 'if':
        return {
          ...s,
          c: { op: s.c.op, l: normalizeExpr(s.c.l), r: normalizeExpr(s.c.r) },
          then: normalizeStmts(s.then),
          else: s.else ? normalizeStmts(s.else) : null,
        };
      case 'for':
        return { ...s, lo: normalizeExpr(s.lo), hi: s.hi, body: normalizeStmts(s.body) };
      default:
        return s;
    }
  });
}

function normalizeProgram(p: Program): Program {
  const n: Program = { locals: p.locals, body: normalizeStmts(p.body) };
  return programError(n) ? p : n;
}

// ------------------------------------------------------------------ checked edits

/** Reads of a program: atoms in expressions, plus the implicit read of op= and ++/--. */
function reads(p: Program): number {
  const expr = (e: Expr): number =>
    e.k === 'num' ? 0 : e.k === 'var' ? 1 : e.k === 'at' ? 1 + expr(e.i) : expr(e.l) + expr(e.r);
  const target = (t: Target): number => (t.k === 'var' ? 0 : expr(t.i));
  const block = (b: readonly Stmt[]): number => b.reduce((n, s) => n + stmt(s), 0);
  const stmt = (s: Stmt): number => {
    switch (s.k) {
      case 'set':
        return target(s.target) + expr(s.e) + (s.op === '=' ? 0 : 1);
      case 'step':
        return target(s.target) + 1;
      case 'if':
        return expr(s.c.l) + expr(s.c.r) + block(s.then) + (s.else ? block(s.else) : 0);
      case 'for':
        return expr(s.lo) + expr(s.hi) + block(s.body);
      default:
        return 0;
    }
  };
  return block(p.body);
}

/** Rewrites of one assignment or step, each a replacement statement list (empty: delete it). */
function stmtRewrites(s: Stmt): Stmt[][] {
  const out: Stmt[][] = [[]];
  if (s.k === 'set') {
    const { target } = s;
    if (s.op === '=') {
      // x = x + e → x += e and x -= −e, whatever the position of x in the sum.
      const l: Linear = { terms: new Map(), c: 0 };
      linear(s.e, 1, l);
      const key = exprKey(target.k === 'var' ? target : { k: 'at', i: normalizeExpr(target.i) });
      if (l.terms.get(key)?.k === 1) {
        l.terms.delete(key);
        const plus = chain(l);
        if (plus) out.push([{ k: 'set', op: '+=', target, e: plus }]);
        const minus = chain({
          terms: new Map([...l.terms].map(([k, t]) => [k, { atom: t.atom, k: -t.k }])),
          c: -l.c,
        });
        if (minus) out.push([{ k: 'set', op: '-=', target, e: minus }]);
      }
    }
    if (s.op !== '=' && s.e.k === 'num' && Math.abs(s.e.v) === 1) {
      const up = (s.op === '+=') === s.e.v > 0;
      out.push([{ k: 'step', op: up ? '++' : '--', target }]);
    }
    for (let c = CONST_MIN; c <= CONST_MAX; c++) out.push([{ k: 'set', op: '=', target, e: num(c) }]);
  } else if (s.k === 'step') {
    for (let c = CONST_MIN; c <= CONST_MAX; c++)
      out.push([{ k: 'set', op: '=', target: s.target, e: num(c) }]);
  } else if (s.k === 'if') {
    out.push([...s.then]);
    if (s.else) {
      out.push([...s.else]);
      out.push([{ ...s, else: null }]);
    }
  } else if (s.k === 'for') out.push([...s.body]);
  return out;
}

/** Every program one edit away: a statement of some block replaced by one of its rewrites. */
function blockEdits(b: readonly Stmt[]): Stmt[][] {
  const out: Stmt[][] = [];
  b.forEach((s, i) => {
    const put = (r: readonly Stmt[]): void => void out.push([...b.slice(0, i), ...r, ...b.slice(i + 1)]);
    for (const r of stmtRewrites(s)) put(r);
    // Two statements writing one place merged into a constant: x = 1; x += 2 → x = 3.
    if (s.k === 'set' || s.k === 'step')
      for (let j = i + 1; j < b.length; j++) {
        const t = b[j];
        if ((t.k !== 'set' && t.k !== 'step') || exprKey(t.target) !== exprKey(s.target)) continue;
        for (let c = CONST_MIN; c <= CONST_MAX; c++)
          out.push([
            ...b.slice(0, i),
            ...b.slice(i + 1, j),
            { k: 'set', op: '=', target: t.target, e: num(c) },
            ...b.slice(j + 1),
          ]);
      }
    if (s.k === 'if') {
      for (const t of blockEdits(s.then)) put([{ ...s, then: t }]);
      if (s.else) for (const e of blockEdits(s.else)) put([{ ...s, else: e }]);
    } else if (s.k === 'for') for (const body of blockEdits(s.body)) put([{ ...s, body }]);
  });
  return out;
}

/** Locals no statement mentions, highest first. */
function unusedLocals(p: Program): number[] {
  const used = new Set<number>();
  const expr = (e: Expr): void => {
    if (e.k === 'var') used.add(e.v);
    else if (e.k === 'at') expr(e.i);
    else if (e.k === 'bin') {
      expr(e.l);
      expr(e.r);
    }
  };
  const block = (b: readonly Stmt[]): void => {
    for (const s of b) {
      if (s.k === 'set' || s.k === 'step') {
        if (s.target.k === 'var') used.add(s.target.v);
        else expr(s.target.i);
        if (s.k === 'set') expr(s.e);
      } else if (s.k === 'if') {
        expr(s.c.l);
        expr(s.c.r);
        block(s.then);
        if (s.else) block(s.else);
      } else if (s.k === 'for') {
        used.add(s.v);
        expr(s.lo);
        expr(s.hi);
        block(s.body);
      }
    }
  };
  block(p.body);
  return p.locals
    .map((_, v) => v)
    .filter((v) => !used.has(v))
    .reverse();
}

/** The program without local `gone` (unused), later locals renumbered. */
function dropLocal(p: Program, gone: number): Program {
  const v = (x: number): number => (x > gone ? x - 1 : x);
  const expr = (e: Expr): Expr =>
    e.k === 'var'
      ? { k: 'var', v: v(e.v) }
      : e.k === 'at'
        ? { k: 'at', i: expr(e.i) }
        : e.k === 'bin'
          ? { ...e, l: expr(e.l), r: expr(e.r) }
          : e;
  const target = (t: Target): Target => (t.k === 'var' ? { k: 'var', v: v(t.v) } : { k: 'at', i: expr(t.i) });
  const block = (b: readonly Stmt[]): Stmt[] =>
    b.map((s): Stmt => {
      switch (s.k) {
        case 'set':
          return { ...s, target: target(s.target), e: expr(s.e) };
        case 'step':
          return { ...s, target: target(s.target) };
        case 'if':
          return {
            ...s,
            c: { op: s.c.op, l: expr(s.c.l), r: expr(s.c.r) },
            then: block(s.then),
            else: s.else ? block(s.else) : null,
          };
        case 'for':
          return { ...s, v: v(s.v), lo: expr(s.lo), hi: expr(s.hi), body: block(s.body) };
        default:
          return s;
      }
    });
  return { locals: p.locals.filter((_, i) => i !== gone), body: block(p.body) };
}

export interface SimplifyOptions {
  /** More inputs the result must agree on (the task's examples and tests). */
  readonly inputs?: readonly (readonly number[])[];
  /** Most candidate programs run (bounds the time; default 4,000). */
  readonly maxChecks?: number;
}

export interface Simplified {
  readonly program: Program;
  /** Candidate programs run against the original. */
  readonly checks: number;
}

/** Token count of statements as printed (what tokenCount counts, without building the tokens). */
function stmtsLength(b: readonly Stmt[]): number {
  let n = 0;
  for (const s of b) {
    switch (s.k) {
      case 'set':
        n += targetLength(s.target) + 1 + exprLength(s.e) + 1;
        break;
      case 'step':
        n += targetLength(s.target) + 2;
        break;
      case 'if':
        n += 6 + exprLength(s.c.l) + exprLength(s.c.r) + stmtsLength(s.then);
        if (s.else) n += 3 + stmtsLength(s.else);
        break;
      case 'for':
        n += 13 + exprLength(s.lo) + exprLength(s.hi) + stmtsLength(s.body);
        break;
      default:
        n += 2;
    }
  }
  return n;
}

const targetLength = (t: Target): number => (t.k === 'var' ? 1 : exprLength(t));

/** tokenCount(p) less the fixed header and trailer. */
export const programLength = (p: Program): number =>
  stmtsLength(p.body) + p.locals.reduce((n, init) => n + (init < 0 ? 6 : 5), 0);

const better = (a: readonly [number, number], b: readonly [number, number]): boolean =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** A program no longer than `p` (usually much shorter) with the same results on every check input. */
export function simplifyProgram(p: Program, o: SimplifyOptions = {}): Simplified {
  const extra = (o.inputs ?? []).map((x) => Int32Array.from(x));
  // The task's own inputs first: they are the likeliest to tell a wrong edit apart.
  const reference = Results.of(p, [...extra, ...FIXED_INPUTS]);
  const maxChecks = o.maxChecks ?? 4000;
  const cost = (q: Program): [number, number] => [programLength(q), reads(q)];
  let checks = 0;
  const accept = (q: Program): boolean => {
    checks++;
    return reference.same(q) && programError(q) === null;
  };
  let cur = normalizeProgram(p);
  if (cur !== p && !accept(cur)) cur = p;
  let curCost = cost(cur);
  for (;;) {
    const candidates: { q: Program; c: [number, number] }[] = [];
    for (const gone of unusedLocals(cur)) {
      const q = dropLocal(cur, gone);
      candidates.push({ q, c: cost(q) });
    }
    for (const body of blockEdits(cur.body)) {
      // Rewrites keep expressions canonical (the start was normalized), so no normalizing here.
      const q: Program = { locals: cur.locals, body };
      const length = programLength(q);
      if (length > curCost[0]) continue;
      // Reads only break ties, so they are counted only then.
      const c: [number, number] = [length, length === curCost[0] ? reads(q) : 0];
      if (better(c, curCost)) candidates.push({ q, c });
    }
    candidates.sort((x, y) => x.c[0] - y.c[0] || x.c[1] - y.c[1]);
    let moved = false;
    for (const { q, c } of candidates) {
      if (checks >= maxChecks) return { program: cur, checks };
      if (accept(q)) {
        cur = q;
        curCost = [c[0], reads(q)];
        moved = true;
        break;
      }
    }
    if (!moved) return { program: cur, checks };
  }
}
