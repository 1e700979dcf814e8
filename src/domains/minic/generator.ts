/**
 * Random restricted-C programs in the style of LaSynth's Csmith-made data: loops over the list (nested
 * sometimes, bounds that may follow an outer loop or the data), updates of list cells and scalar
 * locals, ifs with comparisons, break and continue. Index expressions are kept inside 0 … 4 by
 * tracking each loop variable's range, so few programs fail; dataset.ts filters the rest.
 */
import type { Rng } from '../../core/index.js';
import {
  CONST_MAX,
  CONST_MIN,
  LIST_LENGTH,
  MAX_LOCALS,
  MAX_OPS,
  at,
  bin,
  local,
  num,
  type AssignOp,
  type CmpOp,
  type Cond,
  type Expr,
  type Program,
  type Stmt,
  type Target,
} from './dsl.js';

export interface GeneratorOptions {
  /** Most statements in a program, nested ones included. */
  readonly maxStatements: number;
  /** Share of programs built around a for loop. */
  readonly loopRate: number;
}

export const defaultGeneratorOptions: GeneratorOptions = { maxStatements: 8, loopRate: 0.7 };

interface Loop {
  readonly v: number;
  /** The values the loop variable can take, inclusive (a safe over-approximation). */
  readonly min: number;
  readonly max: number;
}

/** What the generator knows while writing: locals, the loops around it, statements left. */
class Scope {
  readonly locals: number[] = [];
  readonly scalars: number[] = [];
  /** Loop variables not in use by an enclosing loop (reused by later loops, as C programmers do). */
  readonly freeLoopVars: number[] = [];
  readonly loops: Loop[] = [];
  budget: number;

  constructor(
    readonly rng: Rng,
    maxStatements: number,
  ) {
    this.budget = maxStatements;
  }

  private declare(init: number): number | null {
    if (this.locals.length >= MAX_LOCALS) return null;
    this.locals.push(init);
    return this.locals.length - 1;
  }

  /** A scalar local to read or write (a new one sometimes), or null when no slot is left. */
  scalar(fresh = 0.3): number | null {
    if (this.scalars.length === 0 || (this.rng.bool(fresh) && this.locals.length < MAX_LOCALS)) {
      const v = this.declare(this.rng.range(CONST_MIN, CONST_MAX));
      if (v !== null) this.scalars.push(v);
      return v ?? (this.scalars.length ? this.rng.pick(this.scalars) : null);
    }
    return this.rng.pick(this.scalars);
  }

  loopVar(): number | null {
    return this.freeLoopVars.pop() ?? this.declare(0);
  }
}

const inList = (lo: number, hi: number): boolean => lo >= 0 && hi <= LIST_LENGTH - 1;

/** A constant for an expression: small and rarely 0. */
function constant(rng: Rng): number {
  const c = rng.range(1, rng.bool(0.7) ? 2 : CONST_MAX);
  return rng.bool(0.7) ? c : -c;
}

/** An index that stays in 0 … 4 for every value of the loop variables: (expression, ops used). */
function index(sc: Scope, ops: number): [Expr, number] {
  const rng = sc.rng;
  if (sc.loops.length === 0 || rng.bool(0.15)) return [num(rng.int(LIST_LENGTH)), 0];
  // Mostly the innermost loop's variable.
  const loop = rng.bool(0.7) ? sc.loops[sc.loops.length - 1] : rng.pick(sc.loops);
  const v = local(loop.v);
  if (ops > 0 && rng.bool(0.35)) {
    const offsets: number[] = [];
    for (let c = -2; c <= 2; c++) if (c !== 0 && inList(loop.min + c, loop.max + c)) offsets.push(c);
    // k − v reverses the list.
    const k = LIST_LENGTH - 1;
    if (rng.bool(0.25) && inList(k - loop.max, k - loop.min)) return [bin('-', num(k), v), 1];
    if (offsets.length) {
      const c = rng.pick(offsets);
      return [bin(c > 0 ? '+' : '-', v, num(Math.abs(c))), 1];
    }
  }
  return inList(loop.min, loop.max) ? [v, 0] : [num(rng.int(LIST_LENGTH)), 0];
}

/** A term and the operations it used: a list cell, a local, a loop variable or a constant. */
function term(sc: Scope, ops: number): [Expr, number] {
  const rng = sc.rng;
  const u = rng.float();
  if (u < 0.55) {
    const [i, used] = index(sc, ops);
    return [at(i), used];
  }
  if (u < 0.7 && sc.scalars.length) return [local(rng.pick(sc.scalars)), 0];
  if (u < 0.8 && sc.loops.length) return [local(rng.pick(sc.loops).v), 0];
  return [num(constant(rng)), 0];
}

/** An expression with at most `maxOps` operations, mostly left-leaning chains. */
function expr(sc: Scope, maxOps = MAX_OPS): Expr {
  const rng = sc.rng;
  let ops = rng.bool(0.25) ? 0 : rng.bool(0.6) ? 1 : 2;
  ops = Math.min(ops, maxOps);
  const [first, used] = term(sc, ops);
  let e = first;
  ops -= used;
  while (ops > 0) {
    const op = rng.bool(0.55) ? '+' : '-';
    ops--;
    if (ops > 0 && rng.bool(0.15)) {
      // x − (y + z): a parenthesised right operand.
      const [l] = term(sc, 0);
      const [r] = term(sc, 0);
      e = bin(op, e, bin(rng.bool() ? '+' : '-', l, r));
      ops--;
      continue;
    }
    const [r, u] = term(sc, ops);
    ops -= u;
    e = bin(op, e, r);
  }
  return e;
}

function cond(sc: Scope): Cond {
  const rng = sc.rng;
  const ops: CmpOp[] = ['<', '<=', '>', '>=', '==', '!='];
  const l = expr(sc, rng.bool(0.7) ? 0 : 1);
  const r = rng.bool(0.55) ? num(rng.range(CONST_MIN, CONST_MAX)) : expr(sc, 0);
  return { op: rng.pick(ops), l, r };
}

function assignment(sc: Scope, target: Target): Stmt {
  const rng = sc.rng;
  const u = rng.float();
  if (u < 0.15) return { k: 'step', op: rng.bool(0.6) ? '++' : '--', target };
  const op: AssignOp = u < 0.6 ? '=' : u < 0.85 ? '+=' : '-=';
  // The target's index uses operations of its own expression, not of the right-hand side.
  return { k: 'set', op, target, e: expr(sc) };
}

function cellTarget(sc: Scope): Target {
  return at(index(sc, 1)[0]);
}

function simple(sc: Scope): Stmt {
  sc.budget--;
  if (sc.rng.bool(0.25)) {
    const v = sc.scalar();
    if (v !== null) return assignment(sc, local(v));
  }
  return assignment(sc, cellTarget(sc));
}

function block(sc: Scope, max: number, make: () => Stmt): Stmt[] {
  const n = 1 + sc.rng.int(max);
  const out: Stmt[] = [];
  for (let i = 0; i < n && (i === 0 || sc.budget > 0); i++) out.push(make());
  return out;
}

function ifStmt(sc: Scope, inLoop: boolean): Stmt {
  const rng = sc.rng;
  sc.budget--;
  const c = cond(sc);
  const jump = (): Stmt | null => {
    if (!inLoop || !rng.bool(0.35)) return null;
    sc.budget--;
    return { k: rng.bool(0.6) ? 'break' : 'continue' };
  };
  const then = [jump() ?? simple(sc)];
  if (rng.bool(0.3) && sc.budget > 0) then.push(simple(sc));
  const otherwise = rng.bool(0.3) && sc.budget > 0 ? [simple(sc)] : null;
  return { k: 'if', c, then, else: otherwise };
}

/** Loop bounds: the list, a part of it, or relative to an outer loop; sometimes the data's. */
function bounds(sc: Scope): { lo: Expr; hi: Expr; min: number; max: number } {
  const rng = sc.rng;
  const outer = sc.loops[sc.loops.length - 1];
  if (outer && rng.bool(0.6)) {
    const o = local(outer.v);
    switch (rng.int(3)) {
      case 0:
        return { lo: bin('+', o, num(1)), hi: num(LIST_LENGTH), min: outer.min + 1, max: LIST_LENGTH - 1 };
      case 1:
        return { lo: num(0), hi: o, min: 0, max: outer.max - 1 };
      default:
        return { lo: o, hi: num(LIST_LENGTH), min: outer.min, max: LIST_LENGTH - 1 };
    }
  }
  if (rng.bool(0.08)) {
    // A bound read from the list: the loop runs a data-dependent number of times.
    return { lo: num(0), hi: at(num(rng.int(LIST_LENGTH))), min: 0, max: CONST_MAX - 1 };
  }
  const lo = rng.bool(0.75) ? 0 : 1;
  const hi = rng.bool(0.7) ? LIST_LENGTH : LIST_LENGTH - 1;
  return { lo: num(lo), hi: num(hi), min: lo, max: hi - 1 };
}

function forStmt(sc: Scope): Stmt | null {
  const v = sc.loopVar();
  if (v === null) return null;
  sc.budget--;
  const { lo, hi, min, max } = bounds(sc);
  sc.loops.push({ v, min, max });
  const nested = sc.loops.length < 3 && sc.budget >= 2 && sc.rng.bool(sc.loops.length === 1 ? 0.3 : 0.1);
  const body = block(sc, 3, () => (nested && sc.rng.bool(0.5) ? loopBodyOrFor(sc) : loopBody(sc)));
  if (nested && !body.some((s) => s.k === 'for')) {
    const inner = forStmt(sc);
    if (inner) body.push(inner);
  }
  sc.loops.pop();
  sc.freeLoopVars.push(v);
  return { k: 'for', v, lo, hi, body };
}

function loopBody(sc: Scope): Stmt {
  return sc.rng.bool(0.3) ? ifStmt(sc, true) : simple(sc);
}

function loopBodyOrFor(sc: Scope): Stmt {
  return forStmt(sc) ?? loopBody(sc);
}

function topStmt(sc: Scope, loop: boolean): Stmt {
  if (loop) return forStmt(sc) ?? simple(sc);
  return sc.rng.bool(0.3) ? ifStmt(sc, false) : simple(sc);
}

/** A random program (not yet checked for behaviour: dataset.ts does that). */
export function randomProgram(rng: Rng, options: Partial<GeneratorOptions> = {}): Program {
  const o = { ...defaultGeneratorOptions, ...options };
  const sc = new Scope(rng, Math.max(1, o.maxStatements));
  const withLoop = rng.bool(o.loopRate);
  const n = 1 + rng.int(3);
  const loopAt = withLoop ? rng.int(n) : -1;
  const body: Stmt[] = [];
  for (let i = 0; i < n && (i === 0 || sc.budget > 0); i++)
    body.push(topStmt(sc, i === loopAt || (withLoop && rng.bool(0.15))));
  // A scalar that is written but never read into the list is dead: sometimes store it.
  if (sc.scalars.length && rng.bool(0.5))
    body.push({ k: 'set', op: '=', target: at(num(rng.int(LIST_LENGTH))), e: local(rng.pick(sc.scalars)) });
  return { locals: sc.locals, body };
}
