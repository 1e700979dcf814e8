import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BestTracker } from './best-tracker.js';
import { BudgetTracker, type Clock } from './budget.js';
import type { Domain } from './domain.js';
import type { AnytimePoint, Found } from './search.js';

// States are plain records: a score, and whether they are solved.
interface S {
  readonly score: number;
  readonly solved?: boolean;
  readonly id?: string;
}
const domain = {
  isSolved: (s: S) => s.solved === true,
  score: (s: S) => s.score,
} as unknown as Domain<unknown, S, number>;

function setup(onImprove?: (f: Found<S, number>, p: AnytimePoint) => void) {
  const clock = (() => clock.now) as Clock & { now: number };
  clock.now = 0;
  const budget = new BudgetTracker({ nodes: 1000 }, clock);
  return { clock, budget, best: new BestTracker<S, number>(domain, budget, onImprove) };
}

describe('BestTracker', () => {
  it('keeps the highest score, the first one on ties, and records each improvement once', () => {
    const { clock, budget, best } = setup();
    best.offer({ score: 0, id: 'a' }, []);
    budget.expand(3);
    clock.now = 5;
    best.offer({ score: 0.5, id: 'b' }, [1]);
    best.offer({ score: 0.5, id: 'c' }, [2]);
    best.offer({ score: 0.2, id: 'd' }, [3]);
    expect(best.best).toEqual({ state: { score: 0.5, id: 'b' }, actions: [1], score: 0.5, solved: false });
    expect(best.trace).toEqual([
      { timeMs: 0, nodes: 0, score: 0 },
      { timeMs: 5, nodes: 3, score: 0.5 },
    ]);
  });

  it('a solved state scores 1 whatever the domain score says, and records the first solution only', () => {
    const { clock, budget, best } = setup();
    best.offer({ score: 0.9 }, [0]);
    budget.expand(7);
    clock.now = 12;
    expect(best.offer({ score: 0.3, solved: true, id: 'x' }, [0, 1])).toBe(true);
    budget.expand(1);
    clock.now = 20;
    expect(best.offer({ score: 0.6, solved: true, id: 'y' }, [2])).toBe(true);
    expect(best.best).toMatchObject({ score: 1, solved: true, actions: [0, 1], state: { id: 'x' } });
    expect(best.firstSolution).toEqual({ timeMs: 12, nodes: 7 });
    expect(best.offer({ score: 0.99 }, [])).toBe(false);
  });

  it('a solution replaces an unsolved best of score 1 (a domain score can reach 1 unsolved)', () => {
    const { best } = setup();
    best.offer({ score: 1, id: 'almost' }, [0]);
    expect(best.offer({ score: 1, solved: true, id: 'yes' }, [0, 1])).toBe(true);
    expect(best.best).toMatchObject({ solved: true, state: { id: 'yes' } });
    expect(best.trace.map((p) => p.score)).toEqual([1]); // scores only rise in the trace
  });

  it('offerShorter: another solution replaces the best only when it has fewer actions', () => {
    const { best } = setup();
    best.offerShorter({ score: 1, solved: true, id: 'early' }, [0]);
    expect(best.best).toBeNull(); // nothing solved yet: not its job
    best.offer({ score: 0.2, solved: true, id: 'first' }, [0, 1, 2]);
    best.offerShorter({ score: 1, solved: true, id: 'same' }, [3, 4, 5]);
    best.offerShorter({ score: 1, id: 'unsolved' }, [6]);
    expect(best.best?.state.id).toBe('first');
    best.offerShorter({ score: 0, solved: true, id: 'short' }, [7, 8]);
    expect(best.best).toMatchObject({ state: { id: 'short' }, actions: [7, 8], score: 1, solved: true });
    expect(best.trace.length).toBe(1);
  });

  it('copies the actions it is given', () => {
    const { best } = setup();
    const actions = [1, 2];
    best.offer({ score: 0.4 }, actions);
    actions.push(3);
    expect(best.best?.actions).toEqual([1, 2]);
  });

  it('tells onImprove about every improvement, and only those', () => {
    const seen: [number, AnytimePoint][] = [];
    const { best } = setup((f, p) => seen.push([f.score, p]));
    for (const score of [0.1, 0.1, 0.3, 0.2, 0.7]) best.offer({ score }, []);
    expect(seen.map(([s]) => s)).toEqual([0.1, 0.3, 0.7]);
    expect(seen.map(([, p]) => p.score)).toEqual([0.1, 0.3, 0.7]);
  });

  it('result() reports the best, counters, trace and stop reason', () => {
    const { clock, budget, best } = setup();
    expect(best.result('exhausted', {}).best).toBeNull();
    best.offer({ score: 0.25 }, [4]);
    budget.expand(9);
    clock.now = 3;
    const r = best.result('nodes', { rounds: 2 });
    expect(r).toEqual({
      best: { state: { score: 0.25 }, actions: [4], score: 0.25, solved: false },
      nodesExpanded: 9,
      timeMs: 3,
      firstSolution: undefined,
      trace: [{ timeMs: 0, nodes: 0, score: 0.25 }],
      stopReason: 'nodes',
      stats: { rounds: 2 },
    });
  });

  it('for any offers: best is the first maximum and the trace is its strictly increasing prefix maxima', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 40 }), (scores) => {
        const { budget, best } = setup();
        scores.forEach((s, i) => {
          budget.expand();
          best.offer({ score: s / 10, id: String(i) }, [i]);
        });
        const max = Math.max(...scores);
        expect(best.best?.state.id).toBe(String(scores.indexOf(max)));
        const prefixMaxima: number[] = [];
        for (const s of scores)
          if (prefixMaxima.length === 0 || s > prefixMaxima[prefixMaxima.length - 1]) prefixMaxima.push(s);
        expect(best.trace.map((p) => p.score)).toEqual(prefixMaxima.map((s) => s / 10));
        for (let i = 1; i < best.trace.length; i++)
          expect(best.trace[i].nodes).toBeGreaterThan(best.trace[i - 1].nodes);
      }),
    );
  });
});
