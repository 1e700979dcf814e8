import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Proposal } from '../core/index.js';
import { bestCandidates } from './beam.js';
import { CallCostModel } from './common.js';
import { BoundedQueue, Heap } from './heap.js';

describe('Heap', () => {
  it('pops in priority order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (xs) => {
        const h = new Heap<number>((a, b) => a < b);
        xs.forEach((x) => h.push(x));
        const out: number[] = [];
        while (h.size) out.push(h.pop()!);
        expect(out).toEqual([...xs].sort((a, b) => a - b));
      }),
    );
  });
});

type Op = { push: number } | { pop: true };

describe('BoundedQueue', () => {
  it('matches a sorted-array model: pops the best, drops the worst when full', () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 20 }) }),
      fc.constant({ pop: true as const }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 300 }), (cap, ops: Op[]) => {
        const q = new BoundedQueue<number>(cap);
        const model: { f: number; seq: number }[] = [];
        let seq = 0;
        const worse = (a: { f: number; seq: number }, b: { f: number; seq: number }): boolean =>
          a.f > b.f || (a.f === b.f && a.seq > b.seq);
        for (const o of ops) {
          if ('push' in o) {
            const e = { f: o.push, seq: seq++ };
            q.push(e.f, e.seq);
            if (model.length >= cap) {
              const w = model.reduce((a, b) => (worse(a, b) ? a : b));
              if (!worse(w, e)) continue;
              model.splice(model.indexOf(w), 1);
            }
            model.push(e);
          } else {
            const best = model.length ? model.reduce((a, b) => (worse(a, b) ? b : a)) : undefined;
            if (best) model.splice(model.indexOf(best), 1);
            expect(q.pop()).toBe(best?.seq);
          }
          expect(q.size).toBe(model.length);
        }
      }),
    );
  });
});

describe('bestCandidates (beam k-way merge)', () => {
  it('equals sorting every (parent, proposal) pair', () => {
    const lists = fc.array(fc.array(fc.double({ min: -20, max: 0, noNaN: true }), { maxLength: 12 }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(lists, fc.integer({ min: 1, max: 40 }), (ls, k) => {
        const parents = ls.map((_, i) => -i * 0.37);
        const props: Proposal<number>[][] = ls.map((l) =>
          l.map((logPrior, a) => ({ action: a, logPrior, count: 1 })),
        );
        const got = bestCandidates(parents, props, k).map((c) => parents[c.parent] + c.proposal.logPrior);
        const want = props
          .flatMap((l, i) => l.map((p) => parents[i] + p.logPrior))
          .sort((a, b) => b - a)
          .slice(0, k);
        expect(got).toEqual(want);
      }),
    );
  });
});

describe('CallCostModel', () => {
  it('learns a fixed cost per call plus a cost per state', () => {
    const m = new CallCostModel();
    expect(m.predict(10)).toBe(0);
    for (const n of [1, 2, 4, 8, 16, 32]) m.observe(n, 2 + 0.5 * n);
    expect(m.predict(64)).toBeCloseTo(34, 6);
    expect(m.predict(1)).toBeCloseTo(2.5, 6);
  });
  it('with one batch size, assumes cost proportional to size', () => {
    const m = new CallCostModel();
    m.observe(4, 8);
    expect(m.predict(8)).toBeCloseTo(16, 9);
  });
});
