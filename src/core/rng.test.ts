import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

const draws = (r: Rng, n: number): number[] => Array.from({ length: n }, () => r.nextUint32());
const seedArb = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.string());

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

describe('Rng determinism', () => {
  it('the same seed gives the same stream (numbers and strings)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        expect(draws(new Rng(seed), 8)).toEqual(draws(new Rng(seed), 8));
      }),
    );
  });

  it('nearby seeds give unrelated streams', () => {
    const firsts = new Set<number>();
    for (let s = 0; s < 10_000; s++) firsts.add(new Rng(s).nextUint32());
    expect(firsts.size).toBe(10_000);
    expect(draws(new Rng('a'), 4)).not.toEqual(draws(new Rng('b'), 4));
    expect(draws(new Rng(1), 4)).not.toEqual(draws(new Rng('1'), 4));
  });

  it('state() resumes the stream exactly, also after a JSON round trip', () => {
    fc.assert(
      fc.property(seedArb, fc.nat(50), (seed, skip) => {
        const r = new Rng(seed);
        draws(r, skip);
        const saved = JSON.parse(JSON.stringify(r.state())) as ReturnType<Rng['state']>;
        const resumed = Rng.fromState(saved);
        expect(draws(resumed, 10)).toEqual(draws(r, 10));
      }),
    );
  });

  it('state() is a copy: drawing afterwards does not change a saved state', () => {
    const r = new Rng(3);
    const saved = r.state();
    const copy = JSON.stringify(saved);
    draws(r, 5);
    expect(JSON.stringify(saved)).toBe(copy);
  });
});

describe('Rng.split', () => {
  it('is deterministic: twins split into identical children and stay identical', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const a = new Rng(seed);
        const b = new Rng(seed);
        expect(draws(a.split(), 6)).toEqual(draws(b.split(), 6));
        expect(draws(a, 6)).toEqual(draws(b, 6));
      }),
    );
  });

  it('consumes from the parent, and the child differs from the parent', () => {
    const parent = new Rng(7);
    const twin = new Rng(7);
    const child = parent.split();
    const next = draws(parent, 6);
    expect(next).not.toEqual(draws(twin, 6));
    expect(draws(child, 6)).not.toEqual(next);
  });

  it('successive children are distinct streams', () => {
    const parent = new Rng(11);
    const kids = Array.from({ length: 50 }, () => parent.split().nextUint32());
    expect(new Set(kids).size).toBe(50);
  });
});

describe('Rng.derive', () => {
  it('does not consume from the parent', () => {
    const parent = new Rng(5);
    const twin = new Rng(5);
    parent.derive('worker/1');
    parent.derive(42);
    expect(draws(parent, 8)).toEqual(draws(twin, 8));
  });

  it('the same label gives the same child; different labels, different children', () => {
    fc.assert(
      fc.property(seedArb, fc.string(), fc.string(), (seed, x, y) => {
        const r = new Rng(seed);
        expect(draws(r.derive(x), 4)).toEqual(draws(r.derive(x), 4));
        if (x !== y) expect(draws(r.derive(x), 4)).not.toEqual(draws(r.derive(y), 4));
      }),
    );
  });

  it('numeric labels are distinct from each other and from the parent', () => {
    const r = new Rng(9);
    const firsts = new Set(Array.from({ length: 1000 }, (_, i) => r.derive(i).nextUint32()));
    expect(firsts.size).toBe(1000);
    expect(draws(r.derive(0), 4)).not.toEqual(draws(new Rng(9), 4));
  });

  it('depends on the parent state: deriving after a draw gives another child', () => {
    const r = new Rng(13);
    const before = draws(r.derive('x'), 4);
    r.nextUint32();
    expect(draws(r.derive('x'), 4)).not.toEqual(before);
  });
});

describe('Rng distributions', () => {
  it('float is in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12', () => {
    const r = new Rng(1);
    const n = 50_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = r.float();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      sq += x * x;
    }
    const mean = sum / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(0.005);
  });

  it('int(n) is uniform on [0, n): chi-square below the 0.1 % critical value', () => {
    const r = new Rng(2);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.int(10)]++;
    expect(chiSquareUniform(counts)).toBeLessThan(27.88); // df 9, p = 0.001
  });

  it('int and range stay in bounds and reach both ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: -50, max: 50 }), (n, lo) => {
        const r = new Rng(n * 1000 + lo);
        const seen = new Set<number>();
        for (let i = 0; i < 40 * n; i++) {
          const x = r.range(lo, lo + n - 1);
          expect(Number.isInteger(x) && x >= lo && x <= lo + n - 1).toBe(true);
          seen.add(x);
        }
        expect(seen.has(lo) && seen.has(lo + n - 1)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('int rejects a non-positive n and pick an empty list', () => {
    const r = new Rng(0);
    expect(() => r.int(0)).toThrow(/Rng.int: n must be positive, got 0/);
    expect(() => r.int(-3)).toThrow(RangeError);
    expect(() => r.int(Number.NaN)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(/Rng.pick: empty list/);
  });

  it('bool(p) is true with frequency ≈ p', () => {
    const r = new Rng(3);
    for (const p of [0, 0.2, 0.9, 1]) {
      let t = 0;
      for (let i = 0; i < 20_000; i++) if (r.bool(p)) t++;
      expect(Math.abs(t / 20_000 - p)).toBeLessThan(0.015);
    }
  });

  it('weighted draws in proportion to the weights and never a zero weight', () => {
    const r = new Rng(4);
    const w = [1, 0, 3, 0, 6];
    const counts = new Array(w.length).fill(0);
    const n = 40_000;
    for (let i = 0; i < n; i++) counts[r.weighted(w)]++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    for (const i of [0, 2, 4]) expect(Math.abs(counts[i] / n - w[i] / 10)).toBeLessThan(0.01);
  });

  it('weighted returns -1 when every weight is zero, and the only positive index otherwise', () => {
    const r = new Rng(5);
    expect(r.weighted([0, 0, 0])).toBe(-1);
    expect(r.weighted([])).toBe(-1);
    for (let i = 0; i < 100; i++) expect(r.weighted([0, 0, 2e-300, 0])).toBe(2);
  });

  it('shuffle returns the same array holding a permutation of its items', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.nat(), (xs, seed) => {
        const copy = xs.slice();
        const out = new Rng(seed).shuffle(copy);
        expect(out).toBe(copy);
        expect(out.slice().sort((a, b) => a - b)).toEqual(xs.slice().sort((a, b) => a - b));
      }),
    );
  });

  it('shuffle reaches every permutation of three items about equally often', () => {
    const r = new Rng(6);
    const counts = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const k = r.shuffle([1, 2, 3]).join('');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expect(chiSquareUniform([...counts.values()])).toBeLessThan(20.52); // df 5, p = 0.001
  });

  it('normal has mean ≈ 0 and variance ≈ 1, and is always finite', () => {
    const r = new Rng(7);
    const n = 50_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      expect(Number.isFinite(x)).toBe(true);
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.03);
  });
});
