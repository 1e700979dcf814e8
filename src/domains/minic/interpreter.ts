/**
 * The interpreter: a program is compiled once into closures over one Int32Array (the list, then the
 * locals) and then run on any number of inputs. C's semantics for the subset: 32-bit wrap-around
 * (what gcc does with -fwrapv), loops re-test their bound every iteration, an index outside 0 … 4 is a
 * typed error (undefined behaviour in C), and a step limit stops programs whose bounds keep moving.
 * Expressions have no side effects, so C's unspecified operand order could only change which of two
 * bad indices is reported, never a result.
 */
import { LIST_LENGTH, type Cond, type Expr, type Program, type Stmt, type Target } from './dsl.js';

/** Statements and loop tests one run may execute before it fails with 'steps'. */
export const MAX_STEPS = 10_000;

export const RUN_OK = 0;
export const RUN_INDEX = 1;
export const RUN_STEPS = 2;
export type RunCode = typeof RUN_OK | typeof RUN_INDEX | typeof RUN_STEPS;
export type RunError = 'index' | 'steps';

export interface CompiledProgram {
  /**
   * Runs on a list of 5 ints (not modified) and writes the returned list into `out`; returns RUN_OK or
   * the error. Not re-entrant (one scratch array per compiled program).
   */
  run(input: ArrayLike<number>, out: Int32Array | number[]): RunCode;
  /** After a run that failed with RUN_INDEX: the first index that was out of bounds. */
  readonly badIndex: number;
}

export type RunResult =
  | { readonly ok: true; readonly output: number[] }
  | { readonly ok: false; readonly error: RunError; readonly index?: number };

// Statement results: go on, break, continue, or an error (its kind is in `vm.err`).
const NEXT = 0;
const BRK = 1;
const CNT = 2;
const ERR = 3;

type Ev = () => number;
type Ex = () => number;

/** The state one compiled program runs on. */
class Vm {
  readonly m: Int32Array;
  err: RunCode = RUN_OK;
  steps = 0;
  badIndex = 0;

  constructor(
    locals: number,
    readonly maxSteps: number,
  ) {
    this.m = new Int32Array(LIST_LENGTH + locals);
  }

  /** Records an index error (the first one of a run) and gives the value reads continue with. */
  outOfBounds(j: number): 0 {
    if (this.err === RUN_OK) this.badIndex = j;
    this.err = RUN_INDEX;
    return 0;
  }

  /** Records passing the step limit; gives the statement result of an error. */
  stepLimit(): typeof ERR {
    this.err = RUN_STEPS;
    return ERR;
  }
}

const slot = (v: number): number => LIST_LENGTH + v;

function expr(vm: Vm, e: Expr): Ev {
  const m = vm.m;
  switch (e.k) {
    case 'num': {
      const c = e.v;
      return () => c;
    }
    case 'var': {
      const k = slot(e.v);
      return () => m[k];
    }
    case 'at': {
      if (e.i.k === 'var') {
        const k = slot(e.i.v);
        return () => {
          const j = m[k];
          return j >= 0 && j < LIST_LENGTH ? m[j] : vm.outOfBounds(j);
        };
      }
      const f = expr(vm, e.i);
      return () => {
        const j = f();
        return j >= 0 && j < LIST_LENGTH ? m[j] : vm.outOfBounds(j);
      };
    }
    case 'bin': {
      const l = expr(vm, e.l);
      const r = expr(vm, e.r);
      return e.op === '+' ? () => (l() + r()) | 0 : () => (l() - r()) | 0;
    }
  }
}

function cond(vm: Vm, c: Cond): () => boolean {
  const l = expr(vm, c.l);
  const r = expr(vm, c.r);
  switch (c.op) {
    case '<':
      return () => l() < r();
    case '<=':
      return () => l() <= r();
    case '>':
      return () => l() > r();
    case '>=':
      return () => l() >= r();
    case '==':
      return () => l() === r();
    case '!=':
      return () => l() !== r();
  }
}

/** Where an assignment writes: a slot of m, or −1 after an index error. */
function place(vm: Vm, t: Target): () => number {
  if (t.k === 'var') {
    const k = slot(t.v);
    return () => k;
  }
  const f = expr(vm, t.i);
  return () => {
    const j = f();
    if (j >= 0 && j < LIST_LENGTH) return j;
    vm.outOfBounds(j);
    return -1;
  };
}

function block(vm: Vm, b: readonly Stmt[]): Ex {
  const fs = b.map((s) => stmt(vm, s));
  // One statement (most blocks) without the loop over an array.
  if (fs.length === 1) {
    const f = fs[0];
    return () => (++vm.steps > vm.maxSteps ? vm.stepLimit() : f());
  }
  return () => {
    for (let i = 0; i < fs.length; i++) {
      if (++vm.steps > vm.maxSteps) return vm.stepLimit();
      const c = fs[i]();
      if (c !== NEXT) return c;
    }
    return NEXT;
  };
}

function assign(vm: Vm, s: Stmt & { k: 'set' }): Ex {
  const m = vm.m;
  const f = expr(vm, s.e);
  const op = s.op;
  // Stores into the Int32Array wrap like C with -fwrapv.
  if (s.target.k === 'var') {
    const k = slot(s.target.v);
    const sign = op === '-=' ? -1 : 1;
    return op === '='
      ? () => {
          const v = f();
          if (vm.err !== RUN_OK) return ERR;
          m[k] = v;
          return NEXT;
        }
      : () => {
          const v = f();
          if (vm.err !== RUN_OK) return ERR;
          m[k] = m[k] + sign * v;
          return NEXT;
        };
  }
  const p = place(vm, s.target);
  return () => {
    const k = p();
    const v = f();
    if (vm.err !== RUN_OK) return ERR;
    m[k] = op === '=' ? v : op === '+=' ? m[k] + v : m[k] - v;
    return NEXT;
  };
}

function forLoop(vm: Vm, s: Stmt & { k: 'for' }): Ex {
  const m = vm.m;
  const k = slot(s.v);
  const lo = expr(vm, s.lo);
  const hi = expr(vm, s.hi);
  const body = block(vm, s.body);
  return () => {
    const start = lo();
    if (vm.err !== RUN_OK) return ERR;
    m[k] = start;
    for (;;) {
      if (++vm.steps > vm.maxSteps) return vm.stepLimit();
      const h = hi();
      if (vm.err !== RUN_OK) return ERR;
      if (!(m[k] < h)) return NEXT;
      const c = body();
      if (c === ERR) return ERR;
      if (c === BRK) return NEXT;
      m[k] = m[k] + 1;
    }
  };
}

function stmt(vm: Vm, s: Stmt): Ex {
  switch (s.k) {
    case 'set':
      return assign(vm, s);
    case 'step': {
      const m = vm.m;
      const p = place(vm, s.target);
      const d = s.op === '++' ? 1 : -1;
      return () => {
        const k = p();
        if (vm.err !== RUN_OK) return ERR;
        m[k] = m[k] + d;
        return NEXT;
      };
    }
    case 'if': {
      const c = cond(vm, s.c);
      const then = block(vm, s.then);
      const otherwise = s.else ? block(vm, s.else) : null;
      return () => {
        const yes = c();
        if (vm.err !== RUN_OK) return ERR;
        return yes ? then() : otherwise ? otherwise() : NEXT;
      };
    }
    case 'for':
      return forLoop(vm, s);
    case 'break':
      return () => BRK;
    case 'continue':
      return () => CNT;
  }
}

export function compileProgram(program: Program, maxSteps = MAX_STEPS): CompiledProgram {
  const vm = new Vm(program.locals.length, maxSteps);
  const m = vm.m;
  const body = program.body.length ? block(vm, program.body) : () => NEXT;
  const inits = Int32Array.from(program.locals);
  return {
    get badIndex() {
      return vm.badIndex;
    },
    run(input, out) {
      for (let i = 0; i < LIST_LENGTH; i++) m[i] = input[i];
      m.set(inits, LIST_LENGTH);
      vm.err = RUN_OK;
      vm.steps = 0;
      if (body() === ERR) return vm.err;
      for (let i = 0; i < LIST_LENGTH; i++) out[i] = m[i];
      return RUN_OK;
    },
  };
}

const compiled = new WeakMap<Program, CompiledProgram>();

/** The compiled form of a program, made once per program object. */
export function compiledOf(program: Program): CompiledProgram {
  let c = compiled.get(program);
  if (!c) {
    c = compileProgram(program);
    compiled.set(program, c);
  }
  return c;
}

/** Runs a program on one list: the returned list, or the typed error. */
export function runProgram(program: Program, input: ArrayLike<number>): RunResult {
  const out = new Array<number>(LIST_LENGTH);
  const c = compiledOf(program);
  const code = c.run(input, out);
  if (code === RUN_OK) return { ok: true, output: out };
  return code === RUN_INDEX
    ? { ok: false, error: 'index', index: c.badIndex }
    : { ok: false, error: 'steps' };
}
