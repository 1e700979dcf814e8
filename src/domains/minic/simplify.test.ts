import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { arbExpr, arbInput, arbProgram } from './arbitrary.test-util.js';
import { behaviourOf, PROBES, sampleSplitTask } from './dataset.js';
import { FIXED_TOKENS, printProgram, programError, tokenCount, type Expr, type Program } from './dsl.js';
import { compileProgram, runProgram as runFull } from './interpreter.js';
import { parseProgram } from './parse.js';
import { normalizeExpr, programLength, simplifyProgram } from './simplify.js';
import { minicTokenParts } from './tokens.js';

/** A run's result without the failing index (terms may be read in another order). */
const runProgram = (p: Program, x: ArrayLike<number>) => {
  const r = runFull(p, x);
  return r.ok ? r : { ok: false, error: r.error };
};

const fn = (body: string): Program => parseProgram(`int * func_1(int a[]) { ${body} return a; }`);
const body = (p: Program): string =>
  printProgram(p)
    .split('\n')
    .slice(1, -2)
    .map((l) => l.trim())
    .join(' ');

describe('minic simplify', () => {
  it('counts tokens as tokenCount does', () => {
    fc.assert(
      fc.property(arbProgram, (p) => programLength(p) + FIXED_TOKENS === tokenCount(p)),
      { numRuns: 300 },
    );
  });

  it('normalizes an expression to one with the same value on every input (exact rewrite)', () => {
    // Six locals with arbitrary values; the expression is assigned to a[0].
    fc.assert(
      fc.property(
        arbExpr(6, 2),
        arbInput,
        fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 6, maxLength: 6 }),
        (e: Expr, input, locals) => {
          const n = normalizeExpr(e);
          const run = (x: Expr) =>
            runProgram(
              { locals, body: [{ k: 'set', op: '=', target: { k: 'at', i: { k: 'num', v: 0 } }, e: x }] },
              input,
            );
          const p: Program = {
            locals,
            body: [{ k: 'set', op: '=', target: { k: 'at', i: { k: 'num', v: 0 } }, e: n }],
          };
          expect(programError(p)).toBeNull();
          expect(run(n)).toEqual(run(e));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('removes dead code, constant conditions and folds constants', () => {
    const cases: [string, string][] = [
      ['a[0] = 1; a[0] += 2 + -2 + 1;', 'a[0] = 2;'],
      ['if (2 > 4) { a[1] = 3; } a[2] = a[0];', 'a[2] = a[0];'],
      ['a[1] += a[1] - a[1] + a[0];', 'a[1] += a[0];'],
      ['int v0 = 2; a[3] = a[3] + a[1]; v0 = v0 + 1;', 'a[3] += a[1];'],
      ['a[4] = -1 - a[1] - 1;', 'a[4] = -2 - a[1];'],
      ['a[2] += 1;', 'a[2]++;'],
      // A read that may fail stays: a[v0] - a[v0] is an index error for v0 = -1.
      ['int v0 = -1; a[1] = a[v0] + a[0] - a[v0];', 'int v0 = -1; a[1] = a[v0] + a[0] - a[v0];'],
    ];
    for (const [given, want] of cases) expect(body(simplifyProgram(fn(given)).program)).toBe(want);
  });

  it('keeps what matters: a loop that changes the list is not removed', () => {
    const p = fn('int v0 = 0; for (v0 = 1; v0 < 4; v0++) { a[v0] = a[v0 - 1] + 1; }');
    const s = simplifyProgram(p).program;
    for (const x of PROBES) expect(runProgram(s, x)).toEqual(runProgram(p, x));
    expect(body(s)).toContain('for');
  });

  it('never lengthens a program, obeys the rules and agrees on the given and fixed inputs', () => {
    fc.assert(
      fc.property(arbProgram, fc.array(arbInput, { minLength: 1, maxLength: 5 }), (p, inputs) => {
        const s = simplifyProgram(p, { inputs }).program;
        expect(programError(s)).toBeNull();
        expect(tokenCount(s)).toBeLessThanOrEqual(tokenCount(p));
        for (const x of [...inputs, ...PROBES]) expect(runProgram(s, x)).toEqual(runProgram(p, x));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a generated task’s behaviour key, split and tests, and shortens programs on average', () => {
    const rng = new Rng('simplify-test');
    let before = 0;
    let after = 0;
    for (let i = 0; i < 60; i++) {
      const t = sampleSplitTask(rng, 'train', { maxStatements: 8, loopRate: 0.7 });
      const s = simplifyProgram(t.program, { inputs: t.spec.tests.map((e) => e.input) }).program;
      const b = behaviourOf(compileProgram(s));
      expect(b?.key).toBe(t.key);
      for (const e of [...t.spec.examples, ...t.spec.tests])
        expect(runProgram(s, e.input)).toEqual({ ok: true, output: e.output });
      before += tokenCount(t.program);
      after += tokenCount(s);
    }
    expect(after).toBeLessThan(0.85 * before);
  });

  it('is the default of the token formulation’s training stream (simplify: false keeps the generated program)', () => {
    const on = minicTokenParts();
    const off = minicTokenParts({ simplify: false });
    let shorter = 0;
    for (let i = 0; i < 20; i++) {
      const a = on.sampleProgram(new Rng(`tok${i}`));
      const b = off.sampleProgram(new Rng(`tok${i}`));
      expect(a.spec).toEqual(b.spec);
      expect(tokenCount(a.program)).toBeLessThanOrEqual(tokenCount(b.program));
      if (tokenCount(a.program) < tokenCount(b.program)) shorter++;
    }
    expect(shorter).toBeGreaterThan(5);
  });
});
