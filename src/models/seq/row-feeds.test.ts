import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowFeeds } from './row-feeds.js';

const naive = (sources: readonly Float32Array[], w: number, at: number): Float32Array => {
  const a = new Float32Array(sources.length * w);
  sources.forEach((s, k) => a.set(s.subarray(at, at + w), k * w));
  return a;
};

describe('RowFeeds', () => {
  it('every fill equals the rows copied afresh, whatever the order, repeats and batch sizes', () => {
    const w = 3;
    const at = 2;
    const pool = Array.from({ length: 5 }, (_, i) => Float32Array.from({ length: 8 }, (_, k) => i * 10 + k));
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(4), { maxLength: 9 }), { maxLength: 8 }), (calls) => {
        const f = new RowFeeds(w, at);
        for (const c of calls) {
          const sources = c.map((i) => pool[i]);
          const rows = f.fill(sources);
          expect(Array.from(rows)).toEqual(Array.from(naive(sources, w, at)));
          f.release(rows);
        }
      }),
    );
  });

  it('a fill while the rows are in use gets its own array; releasing that one frees nothing', () => {
    const a = Float32Array.of(1, 2);
    const b = Float32Array.of(3, 4);
    const f = new RowFeeds(2);
    const first = f.fill([a, b]);
    const second = f.fill([b]);
    expect(second.buffer).not.toBe(first.buffer);
    f.release(second);
    const third = f.fill([a]);
    expect(third.buffer).not.toBe(first.buffer);
    expect(Array.from(first)).toEqual([1, 2, 3, 4]);
    f.release(first);
    expect(f.fill([b, a]).buffer).toBe(first.buffer);
  });
});
