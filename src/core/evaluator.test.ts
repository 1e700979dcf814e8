import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Domain } from './domain.js';
import {
  FlatEvaluator,
  clampValue,
  maskedLogSoftmax,
  sampleMerged,
  topK,
  uniformEvaluator,
  type FlatScores,
} from './evaluator.js';
import { Rng } from './rng.js';

/** Logits and a legality mask of the same length (the mask may be all zero). */
const scoresArb = fc
  .integer({ min: 1, max: 24 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.float({ min: -20, max: 20, noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
    ),
  );
const withLegal = scoresArb.filter(([, m]) => m.some((x) => x === 1));
const logSoftmaxOf = ([l, m]: [number[], number[]]): Float64Array =>
  maskedLogSoftmax(Float32Array.from(l), Uint8Array.from(m));
const sumExp = (logp: Float64Array): number => logp.reduce((s, x) => s + Math.exp(x), 0);

describe('maskedLogSoftmax', () => {
  it('gives −∞ exactly to illegal actions and probabilities summing to 1 over legal ones', () => {
    fc.assert(
      fc.property(withLegal, (s) => {
        const logp = logSoftmaxOf(s);
        s[1].forEach((legal, a) => expect(logp[a] === -Infinity).toBe(legal === 0));
        expect(sumExp(logp)).toBeCloseTo(1, 9);
        for (const x of logp) expect(x <= 1e-12).toBe(true);
      }),
    );
  });

  it('is unchanged by adding a constant to every logit, and keeps their order', () => {
    fc.assert(
      fc.property(withLegal, fc.integer({ min: -1000, max: 1000 }), ([l, m], c) => {
        const a = logSoftmaxOf([l, m]);
        const b = logSoftmaxOf([l.map((x) => x + c), m]);
        for (let i = 0; i < a.length; i++) if (m[i]) expect(b[i]).toBeCloseTo(a[i], 2);
        for (let i = 0; i < a.length; i++)
          for (let j = 0; j < a.length; j++)
            if (m[i] && m[j] && l[i] > l[j]) expect(a[i]).toBeGreaterThanOrEqual(a[j]);
      }),
    );
  });

  it('ignores whatever illegal entries hold, even huge or infinite logits', () => {
    const mask = Uint8Array.from([1, 0, 1, 0]);
    const a = maskedLogSoftmax(Float32Array.from([1, 0, 2, 0]), mask);
    const b = maskedLogSoftmax(Float32Array.from([1, 1e30, 2, Infinity]), mask);
    expect(b).toEqual(a);
    expect(Math.exp(a[2]) / Math.exp(a[0])).toBeCloseTo(Math.E, 6);
  });

  it('does not overflow for logits far beyond exp range, and is all −∞ when nothing is legal', () => {
    const logp = maskedLogSoftmax(Float32Array.from([1000, 1000, -1000]), Uint8Array.from([1, 1, 1]));
    expect(logp[0]).toBeCloseTo(Math.log(0.5), 9);
    expect(logp[1]).toBeCloseTo(Math.log(0.5), 9);
    expect(logp[2]).toBeCloseTo(-2000 - Math.log(2), 6);
    expect([...maskedLogSoftmax(Float32Array.from([1, 2]), Uint8Array.from([0, 0]))]).toEqual([
      -Infinity,
      -Infinity,
    ]);
  });
});

describe('topK', () => {
  it('lists the k most probable legal actions, best first, ties by action index', () => {
    const logp = Float64Array.from([-2, -1, -Infinity, -1, -3, -1]);
    expect(topK(logp, 4)).toEqual([
      { action: 1, logPrior: -1, count: 1 },
      { action: 3, logPrior: -1, count: 1 },
      { action: 5, logPrior: -1, count: 1 },
      { action: 0, logPrior: -2, count: 1 },
    ]);
  });

  it('never proposes an illegal action, and gives all legal ones when k is large', () => {
    fc.assert(
      fc.property(scoresArb, fc.integer({ min: 0, max: 30 }), (s, k) => {
        const logp = logSoftmaxOf(s);
        const out = topK(logp, k);
        const legal = s[1].filter((x) => x === 1).length;
        expect(out).toHaveLength(Math.min(k, legal));
        for (const p of out) expect(s[1][p.action]).toBe(1);
        for (let i = 1; i < out.length; i++) {
          const [x, y] = [out[i - 1], out[i]];
          expect(x.logPrior > y.logPrior || (x.logPrior === y.logPrior && x.action < y.action)).toBe(true);
        }
        // Nothing left out beats the last one taken.
        const taken = new Set(out.map((p) => p.action));
        const last = out[out.length - 1];
        if (last)
          for (let a = 0; a < logp.length; a++)
            if (!taken.has(a) && logp[a] > -Infinity) expect(logp[a]).toBeLessThanOrEqual(last.logPrior);
      }),
    );
  });

  it('k = 0 gives nothing', () => {
    expect(topK(Float64Array.from([0]), 0)).toEqual([]);
  });
});

describe('sampleMerged', () => {
  it('proposes only legal actions, each once, ordered by action, counts summing to the draws', () => {
    fc.assert(
      fc.property(withLegal, fc.integer({ min: 1, max: 200 }), fc.nat(), (s, count, seed) => {
        const logp = logSoftmaxOf(s);
        const out = sampleMerged(logp, count, new Rng(seed));
        expect(out.reduce((t, p) => t + p.count, 0)).toBe(count);
        for (const p of out) {
          expect(s[1][p.action]).toBe(1);
          expect(p.logPrior).toBe(logp[p.action]);
          expect(p.count).toBeGreaterThan(0);
        }
        for (let i = 1; i < out.length; i++) expect(out[i].action).toBeGreaterThan(out[i - 1].action);
      }),
    );
  });

  it('draws in proportion to the probabilities', () => {
    const p = [0.1, 0, 0.2, 0.7];
    const logp = Float64Array.from(p.map(Math.log));
    const n = 50_000;
    const out = sampleMerged(logp, n, new Rng(1));
    const freq = new Map(out.map((x) => [x.action, x.count / n]));
    expect(freq.has(1)).toBe(false);
    for (const a of [0, 2, 3]) expect(Math.abs(freq.get(a)! - p[a])).toBeLessThan(0.01);
  });

  it('is deterministic for the same rng state, and consumes one float per draw', () => {
    const logp = maskedLogSoftmax(Float32Array.from([0, 1, 2, 3]), Uint8Array.from([1, 1, 1, 1]));
    const a = new Rng(9);
    const b = new Rng(9);
    expect(sampleMerged(logp, 30, a)).toEqual(sampleMerged(logp, 30, b));
    const c = new Rng(9);
    for (let i = 0; i < 30; i++) c.float();
    expect(a.float()).toBe(c.float());
  });

  it('gives nothing for no draws or when nothing is legal', () => {
    expect(sampleMerged(Float64Array.from([0]), 0, new Rng(1))).toEqual([]);
    expect(sampleMerged(Float64Array.from([-Infinity, -Infinity]), 5, new Rng(1))).toEqual([]);
  });
});

describe('clampValue', () => {
  it('keeps values in [1e-6, 1] and maps non-finite values to 1e-6', () => {
    expect(clampValue(0.3)).toBe(0.3);
    expect(clampValue(2)).toBe(1);
    expect(clampValue(0)).toBe(1e-6);
    expect(clampValue(-5)).toBe(1e-6);
    expect(clampValue(Number.NaN)).toBe(1e-6);
    expect(clampValue(Infinity)).toBe(1e-6);
  });
});

// A flat domain over 6 actions where a state is its legality mask.
type MaskState = readonly number[];
const maskDomain = (flat = true): Domain<unknown, MaskState, number> =>
  ({
    id: 'masks',
    actionSpace: { size: 6, flat, name: String, key: (a: number) => a },
    legalMask: (s: MaskState) => Uint8Array.from(s),
  }) as unknown as Domain<unknown, MaskState, number>;

describe('FlatEvaluator', () => {
  it('needs a flat action space with a legality mask', () => {
    expect(() => new FlatEvaluator('x', maskDomain(false), () => [])).toThrow(
      /flat action space with legalMask \(domain masks\)/,
    );
    const noMask = { ...maskDomain(), legalMask: undefined };
    expect(() => new FlatEvaluator('x', noMask, () => [])).toThrow(/legalMask/);
  });

  it('scores the whole batch in one call and answers each request in kind', async () => {
    const calls: number[] = [];
    const logits = Float32Array.from([5, 4, 3, 2, 1, 0]);
    const ev = new FlatEvaluator<MaskState>('test', maskDomain(), (states) => {
      calls.push(states.length);
      return states.map((_, i): FlatScores => ({ logits, value: [0.4, 7, Number.NaN][i] }));
    });
    const states: MaskState[] = [
      [0, 1, 1, 0, 1, 0],
      [1, 1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0, 1],
    ];
    const out = await ev.evaluate(
      states,
      [
        { kind: 'top', k: 2 },
        { kind: 'sample', count: 10 },
        { kind: 'top', k: 3 },
      ],
      new Rng(1),
    );
    expect(calls).toEqual([3]);
    expect(out.map((e) => e.value)).toEqual([0.4, 1, 1e-6]);
    expect(out[0].proposals.map((p) => p.action)).toEqual([1, 2]);
    expect(out[0].proposals[0].logPrior).toBeCloseTo(
      Math.log(Math.E ** 4 / (Math.E ** 4 + Math.E ** 3 + Math.E)),
      6,
    );
    expect(out[1].proposals.reduce((s, p) => s + p.count, 0)).toBe(10);
    expect(out[2].proposals).toEqual([{ action: 5, logPrior: 0, count: 1 }]);
  });

  it('with null requests gives values only; with no states does not call the scorer', async () => {
    let called = 0;
    const ev = new FlatEvaluator<MaskState>('test', maskDomain(), (states) => {
      called++;
      return states.map(() => ({ logits: new Float32Array(6), value: 0.5 }));
    });
    expect(await ev.evaluate([[1, 1, 1, 1, 1, 1]], null, new Rng(0))).toEqual([
      { proposals: [], value: 0.5 },
    ]);
    expect(await ev.evaluate([], null, new Rng(0))).toEqual([]);
    expect(called).toBe(1);
  });

  it('accepts an async scorer', async () => {
    const ev = new FlatEvaluator<MaskState>('async', maskDomain(), async (states) =>
      states.map(() => ({ logits: new Float32Array(6), value: 0.25 })),
    );
    const [e] = await ev.evaluate([[1, 0, 0, 0, 0, 0]], [{ kind: 'sample', count: 3 }], new Rng(0));
    expect(e).toEqual({ proposals: [{ action: 0, logPrior: 0, count: 3 }], value: 0.25 });
  });
});

describe('uniformEvaluator', () => {
  it('gives every legal action the same prior, log(1 / #legal), and the constant value', async () => {
    const ev = uniformEvaluator(maskDomain(), 0.3);
    const [e] = await ev.evaluate([[1, 0, 1, 1, 0, 0]], [{ kind: 'top', k: 6 }], new Rng(0));
    expect(e.value).toBe(0.3);
    expect(e.proposals.map((p) => p.action)).toEqual([0, 2, 3]);
    for (const p of e.proposals) expect(p.logPrior).toBeCloseTo(-Math.log(3), 12);
  });
});
