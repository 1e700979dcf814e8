import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbInput, arbProgram } from './arbitrary.test-util.js';
import type { Cond, Expr, Program, Stmt } from './dsl.js';
import {
  compileProgram,
  MAX_STEPS,
  RUN_INDEX,
  RUN_OK,
  RUN_STEPS,
  runProgram,
  type RunResult,
} from './interpreter.js';
import { parseProgram } from './parse.js';

/**
 * A second interpreter, written as plainly as possible (a tree walk with exceptions for control
 * flow), to check the closure compiler against; the steps are counted the same way.
 */
function reference(p: Program, input: readonly number[], maxSteps = MAX_STEPS): RunResult {
  const a = input.map((v) => v | 0);
  const v = [...p.locals];
  let steps = 0;
  class Jump {
    constructor(readonly kind: 'break' | 'continue' | 'index' | 'steps') {}
  }
  const tick = (): void => {
    if (++steps > maxSteps) throw new Jump('steps');
  };
  const cell = (i: number): number => {
    if (i < 0 || i > 4) throw new Jump('index');
    return i;
  };
  const ev = (e: Expr): number => {
    if (e.k === 'num') return e.v;
    if (e.k === 'var') return v[e.v];
    if (e.k === 'at') return a[cell(ev(e.i))];
    return e.op === '+' ? (ev(e.l) + ev(e.r)) | 0 : (ev(e.l) - ev(e.r)) | 0;
  };
  const test = (c: Cond): boolean => {
    const [l, r] = [ev(c.l), ev(c.r)];
    return { '<': l < r, '<=': l <= r, '>': l > r, '>=': l >= r, '==': l === r, '!=': l !== r }[c.op];
  };
  const write = (s: Stmt & { k: 'set' | 'step' }, f: (old: number) => number): void => {
    if (s.target.k === 'var') v[s.target.v] = f(v[s.target.v]) | 0;
    else {
      const i = cell(ev(s.target.i));
      a[i] = f(a[i]) | 0;
    }
  };
  const run = (b: readonly Stmt[]): void => {
    for (const s of b) {
      tick();
      switch (s.k) {
        case 'set': {
          // The target's index first, then the value (both pure: only which error comes first differs).
          if (s.target.k === 'at') cell(ev(s.target.i));
          const x = ev(s.e);
          write(s, (old) => (s.op === '=' ? x : s.op === '+=' ? old + x : old - x));
          break;
        }
        case 'step':
          write(s, (old) => old + (s.op === '++' ? 1 : -1));
          break;
        case 'if':
          if (test(s.c)) run(s.then);
          else if (s.else) run(s.else);
          break;
        case 'for':
          v[s.v] = ev(s.lo);
          for (;;) {
            tick();
            if (!(v[s.v] < ev(s.hi))) break;
            try {
              run(s.body);
            } catch (j) {
              if (j instanceof Jump && j.kind === 'break') break;
              if (!(j instanceof Jump && j.kind === 'continue')) throw j;
            }
            v[s.v] = (v[s.v] + 1) | 0;
          }
          break;
        case 'break':
        case 'continue':
          throw new Jump(s.k);
      }
    }
  };
  try {
    run(p.body);
    return { ok: true, output: a };
  } catch (j) {
    if (j instanceof Jump && (j.kind === 'index' || j.kind === 'steps')) return { ok: false, error: j.kind };
    throw j;
  }
}

const strip = (r: RunResult): RunResult => (r.ok ? r : { ok: false, error: r.error });

describe('minic interpreter', () => {
  it('agrees with a plain tree-walking interpreter on any program and input (errors included)', () => {
    fc.assert(
      fc.property(arbProgram, fc.array(arbInput, { minLength: 1, maxLength: 4 }), (p, inputs) => {
        const c = compileProgram(p, 2000);
        for (const input of inputs) {
          const out = new Array<number>(5);
          const code = c.run(input, out);
          const got: RunResult =
            code === RUN_OK
              ? { ok: true, output: out }
              : { ok: false, error: code === RUN_INDEX ? 'index' : 'steps' };
          expect(got).toEqual(reference(p, input, 2000));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never modifies its input and gives the same result every time', () => {
    fc.assert(
      fc.property(arbProgram, arbInput, (p, input) => {
        const copy = [...input];
        const first = strip(runProgram(p, input));
        expect(input).toEqual(copy);
        expect(strip(runProgram(p, input))).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  const run = (body: string, input: number[], decls = 'int i = 0; int x = 0;') =>
    runProgram(parseProgram(`int * func_1(int a[]) { ${decls} ${body} return a; }`), input);

  it('wraps around in 32 bits like C with -fwrapv', () => {
    expect(run('a[0] = a[0] + 1; a[1]--; a[2] += a[2];', [2 ** 31 - 1, -(2 ** 31), 2 ** 30, 0, 0])).toEqual({
      ok: true,
      output: [-(2 ** 31), 2 ** 31 - 1, -(2 ** 31), 0, 0],
    });
    // Doubling in nested loops overflows to 0; comparisons see the wrapped value.
    const loops = runProgram(
      parseProgram(
        'int * f(int a[]) { int x = 1; int i = 0; int j = 0; for (i = 0; i < 5; i++) for (j = 0; j < 5; j++) { x += x; x += x; } if (x == 0) a[0] = 1; return a; }',
      ),
      [0, 0, 0, 0, 0],
    );
    expect(loops).toEqual({ ok: true, output: [1, 0, 0, 0, 0] });
  });

  it('break leaves the innermost loop, continue skips to its increment', () => {
    expect(run('for (i = 0; i < 5; i++) { if (i == 3) break; a[i] = 1; }', [0, 0, 0, 0, 0])).toEqual({
      ok: true,
      output: [1, 1, 1, 0, 0],
    });
    expect(run('for (i = 0; i < 5; i++) { if (i == 1) continue; a[i] = i; }', [0, 0, 0, 0, 0])).toEqual({
      ok: true,
      output: [0, 0, 2, 3, 4],
    });
    expect(
      run(
        'for (i = 0; i < 3; i++) { for (x = 0; x < 5; x++) { if (x > i) break; a[x] += 1; } }',
        [0, 0, 0, 0, 0],
      ),
    ).toEqual({ ok: true, output: [3, 2, 1, 0, 0] });
  });

  it('re-tests a loop bound every iteration (the bound may be read from the list)', () => {
    expect(run('for (i = 0; i < a[0]; i++) { a[0] -= 1; a[4] += 1; }', [4, 0, 0, 0, 0])).toEqual({
      ok: true,
      output: [2, 0, 0, 0, 2],
    });
  });

  it('reports an index out of bounds as a typed error with the index', () => {
    expect(run('a[i - 1] = 0;', [0, 0, 0, 0, 0])).toEqual({ ok: false, error: 'index', index: -1 });
    expect(run('x = a[a[0]];', [7, 0, 0, 0, 0])).toEqual({ ok: false, error: 'index', index: 7 });
    expect(run('for (i = 0; i < 5; i++) a[i + 1] = a[i];', [1, 2, 3, 4, 0])).toMatchObject({ index: 5 });
  });

  it('stops a loop whose bound runs away at the step limit', () => {
    expect(run('for (i = 0; i < x + 1; i++) { x++; }', [0, 0, 0, 0, 0])).toEqual({
      ok: false,
      error: 'steps',
    });
    const c = compileProgram(
      parseProgram('int * f(int a[]) { int i = 0; for (i = 0; i < 5; i++) a[i] = 1; return a; }'),
      5,
    );
    expect(c.run([0, 0, 0, 0, 0], [])).toBe(RUN_STEPS);
  });
});
