import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stopReasonOf } from './best-tracker.js';
import { BudgetTracker, systemClock, type Clock } from './budget.js';

/** A clock that moves only when told to. */
function manualClock(start = 1000): Clock & { now: number } {
  const clock = (() => clock.now) as Clock & { now: number };
  clock.now = start;
  return clock;
}

describe('BudgetTracker', () => {
  it('needs a time or a node limit', () => {
    expect(() => new BudgetTracker({})).toThrow('Budget needs a time limit or a node limit');
    expect(() => new BudgetTracker({ timeMs: undefined, nodes: undefined })).toThrow(
      /time limit or a node limit/,
    );
    expect(() => new BudgetTracker({ nodes: 1 })).not.toThrow();
    expect(() => new BudgetTracker({ timeMs: Infinity })).not.toThrow();
  });

  it('measures time from its creation on the injected clock', () => {
    const clock = manualClock(5000);
    const t = new BudgetTracker({ timeMs: 100 }, clock);
    expect(t.elapsedMs()).toBe(0);
    clock.now += 30;
    expect(t.elapsedMs()).toBe(30);
    expect(t.remainingMs()).toBe(70);
    expect(t.exhausted()).toBe(false);
    clock.now += 69.5;
    expect(t.exhausted()).toBe(false);
    clock.now += 0.5;
    expect(t.remainingMs()).toBe(0);
    expect(t.exhausted()).toBe(true);
  });

  it('counts expanded nodes and is exhausted exactly at the node limit', () => {
    const t = new BudgetTracker({ nodes: 10 }, manualClock());
    t.expand(4);
    t.expand();
    expect(t.nodesExpanded).toBe(5);
    expect(t.remainingNodes()).toBe(5);
    t.expand(4);
    expect(t.exhausted()).toBe(false);
    t.expand();
    expect(t.exhausted()).toBe(true);
    t.expand(3);
    expect(t.remainingNodes()).toBe(-3);
  });

  it('an absent limit never runs out', () => {
    const clock = manualClock();
    const nodesOnly = new BudgetTracker({ nodes: 5 }, clock);
    const timeOnly = new BudgetTracker({ timeMs: 50 }, clock);
    clock.now += 1e9;
    timeOnly.expand(1e9);
    expect(nodesOnly.remainingMs()).toBe(Infinity);
    expect(nodesOnly.exhausted()).toBe(false);
    expect(timeOnly.remainingNodes()).toBe(Infinity);
    expect(timeOnly.exhausted()).toBe(true); // by time, not by nodes
  });

  it('whichever limit ends first stops it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), (nodes, timeMs) => {
        // One node per millisecond: the smaller limit decides.
        const clock = manualClock(0);
        const t = new BudgetTracker({ nodes, timeMs }, clock);
        let steps = 0;
        while (!t.exhausted()) {
          t.expand();
          clock.now += 1;
          steps++;
        }
        expect(steps).toBe(Math.min(nodes, timeMs));
      }),
    );
  });

  it('stop() ends it early', () => {
    const t = new BudgetTracker({ nodes: 100, timeMs: 100 }, manualClock());
    expect(t.exhausted()).toBe(false);
    t.stop();
    expect(t.exhausted()).toBe(true);
    expect(t.remainingNodes()).toBe(100);
  });

  it('the system clock is a millisecond clock that does not go back', () => {
    const a = systemClock();
    const b = systemClock();
    expect(b).toBeGreaterThanOrEqual(a);
    const t = new BudgetTracker({ timeMs: 60_000 });
    expect(t.elapsedMs()).toBeGreaterThanOrEqual(0);
    expect(t.elapsedMs()).toBeLessThan(60_000);
  });
});

describe('stopReasonOf', () => {
  it('prefers solved, then nodes, then time, else exhausted', () => {
    const clock = manualClock();
    const t = new BudgetTracker({ nodes: 2, timeMs: 10 }, clock);
    expect(stopReasonOf(t, false)).toBe('exhausted');
    clock.now += 10;
    expect(stopReasonOf(t, false)).toBe('time');
    t.expand(2);
    expect(stopReasonOf(t, false)).toBe('nodes');
    expect(stopReasonOf(t, true)).toBe('solved');
  });
});
