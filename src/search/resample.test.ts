import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, uniformEvaluator } from '../core/index.js';
import { createToyDomain } from '../../test/fixtures/toy/toy-domain.js';
import { SearchRun } from './common.js';
import { sampleChildren } from './particles.js';
import { resampleCounts, resampleParticles, type ResamplingScheme } from './resample.js';

const weightsArb = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1e6, noNaN: true })), {
  minLength: 1,
  maxLength: 60,
});
const schemes: ResamplingScheme[] = ['systematic', 'multinomial'];

describe('resampling', () => {
  for (const scheme of schemes) {
    it(`${scheme}: preserves the total, gives nothing to zero weights`, () => {
      fc.assert(
        fc.property(weightsArb, fc.integer({ min: 1, max: 2000 }), fc.integer(), (w, total, seed) => {
          const counts = resampleCounts(scheme, w, total, new Rng(seed));
          const hasMass = w.some((x) => x > 0);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(hasMass ? total : 0);
          counts.forEach((c, i) => {
            expect(c).toBeGreaterThanOrEqual(0);
            if (w[i] === 0) expect(c).toBe(0);
          });
        }),
      );
    });
    it(`${scheme}: ignores NaN, infinite and negative weights`, () => {
      const counts = resampleCounts(scheme, [NaN, -1, 2, Infinity, 0, 1], 30, new Rng(3));
      expect([...counts]).toEqual([0, 0, counts[2], 0, 0, counts[5]]);
      expect(counts[2] + counts[5]).toBe(30);
    });
  }

  it('systematic: each count is the floor or ceiling of its expected share', () => {
    fc.assert(
      fc.property(weightsArb, fc.integer({ min: 1, max: 2000 }), fc.integer(), (w, total, seed) => {
        const sum = w.reduce((a, b) => a + b, 0);
        fc.pre(sum > 0);
        const counts = resampleCounts('systematic', w, total, new Rng(seed));
        counts.forEach((c, i) => expect(Math.abs(c - (total * w[i]) / sum)).toBeLessThan(1 + 1e-6));
      }),
    );
  });

  it('multinomial: counts follow the weights on average', () => {
    const w = [1, 3, 0, 6];
    const sums = [0, 0, 0, 0];
    const rng = new Rng(7);
    for (let r = 0; r < 200; r++)
      resampleCounts('multinomial', w, 100, rng).forEach((c, i) => (sums[i] += c));
    expect(sums.map((s) => Math.round(s / 2000))).toEqual([1, 3, 0, 6]);
  });

  it('resampleParticles returns fresh, unaliased records summing to the total', () => {
    fc.assert(
      fc.property(
        weightsArb,
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom(...schemes),
        fc.integer(),
        (w, total, scheme, seed) => {
          const parts = w.map((_, i) => ({ state: { id: i }, path: [i], count: 1 }));
          const out = resampleParticles(parts, w, total, scheme, new Rng(seed));
          expect(out.reduce((a, p) => a + p.count, 0)).toBe(w.some((x) => x > 0) ? total : 0);
          expect(new Set(out).size).toBe(out.length);
          for (const p of out) {
            expect(parts.includes(p)).toBe(false);
            expect(p.count).toBeGreaterThan(0);
          }
          // Distinct candidates never collapse into one record: states stay distinct too.
          expect(new Set(out.map((p) => p.state)).size).toBe(out.length);
          expect(parts.every((p) => p.count === 1)).toBe(true);
        },
      ),
    );
  });
});

describe('sampleChildren (SMC / rollout step)', () => {
  const domain = createToyDomain();
  const snapshot = (x: unknown): string => JSON.stringify(x);

  it('children never share mutable state with each other or their parents, and counts add up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 64 }), fc.integer(), async (count, seed) => {
        const task = domain.sampleTask(new Rng(seed));
        const run = new SearchRun({
          domain,
          evaluator: uniformEvaluator(domain),
          spec: task.spec,
          budget: { nodes: 1e6 },
          rng: new Rng(seed),
          stopOnSolve: false,
        });
        const gen1 = (await sampleChildren(run, [{ state: run.root, path: null, count }]))!;
        const before = snapshot(gen1);
        const gen2 = (await sampleChildren(run, gen1))!;
        expect(snapshot(gen1)).toBe(before);
        // The toy domain has no failing legal actions and all children of one depth are distinct keys.
        expect(gen1.reduce((a, c) => a + c.count, 0)).toBe(count);
        expect(gen2.reduce((a, c) => a + c.count, 0)).toBe(count);
        const states = [...gen1, ...gen2].map((c) => c.state);
        expect(new Set(states).size).toBe(states.length);
        expect(new Set(states.map((s) => s.stack)).size).toBe(states.length);
        expect(new Set(gen2.map((c) => domain.stateKey(c.state))).size).toBe(gen2.length);
      }),
      { numRuns: 50 },
    );
  });
});
