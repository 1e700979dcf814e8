import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../../src/core/index.js';
import { beats, scoreAtNodes, scoresAt, versus } from '../../src/experiments/index.js';
import { signTestP, wilson95 } from '../../src/experiments/compare.js';

const r = (scene: number, search: string, iou: number, trace: [number, number, number][]): ItemResult => ({
  scene,
  name: `s${scene}`,
  search,
  iou,
  solved: false,
  program: null,
  timeMs: 1000,
  nodes: 100,
  firstSolutionMs: null,
  firstSolutionNodes: null,
  trace: trace.map(([timeMs, nodes, v]) => ({ timeMs, nodes, iou: v })),
});

describe('experiment comparisons', () => {
  const rs = [
    r(0, 'smc', 0.9, [
      [100, 5, 0.5],
      [800, 40, 0.9],
    ]),
    r(1, 'smc', 0.6, [[300, 10, 0.6]]),
    r(0, 'csgnet', 0.7, [[50, 60, 0.7]]),
    r(1, 'csgnet', 0.6, [[900, 90, 0.6]]),
  ];

  it('scores by time and by nodes come from the any-time trace (0 before the first program)', () => {
    expect([...scoresAt(rs, 'smc', 'iou', 'scene', 200).values()]).toEqual([0.5, 0]);
    expect([...scoresAt(rs, 'smc', 'iou', 'scene').values()]).toEqual([0.9, 0.6]);
    expect(scoreAtNodes(rs[0], 39, 'iou')).toBe(0.5);
    expect(scoreAtNodes(rs[0], 40, 'iou')).toBe(0.9);
    expect(scoreAtNodes(rs[2], 10, 'iou')).toBe(0);
  });

  it('a claim holds, fails or cannot be told from the means, with per-item wins as evidence', () => {
    const v = versus(scoresAt(rs, 'smc', 'iou', 'scene'), scoresAt(rs, 'csgnet', 'iou', 'scene'))!;
    expect(v).toMatchObject({ winsA: 1, winsB: 0, items: 2 });
    const c = beats('smc beats csgnet', 'Fig. 5', 'smc', 'csgnet', v, 'at the budget');
    expect(c.holds).toBe(true);
    expect(c.evidence).toBe(
      'at the budget: mean smc 0.750 vs csgnet 0.650; smc higher on 1, csgnet on 0 of 2 items (sign test: p = 1, not significant at 0.05)',
    );
    const early = versus(scoresAt(rs, 'smc', 'iou', 'scene', 60), scoresAt(rs, 'csgnet', 'iou', 'scene', 60));
    expect(beats('x', 'y', 'smc', 'csgnet', early, 'at 0.06 s').holds).toBe(false);
    const tie = versus(new Map([[0, 0.5]]), new Map([[0, 0.5]]));
    expect(beats('x', 'y', 'a', 'b', tie, 'now').holds).toBeNull();
    expect(beats('x', 'y', 'a', 'b', versus(new Map([[0, 1]]), new Map()), 'now').holds).toBeNull();
    expect(beats('x', 'y', 'a', 'b', tie, 'now').evidence).not.toContain('sign test');
  });

  it('the sign test: exact binomial tails, symmetric, no underflow at thousands of items', () => {
    expect(signTestP(0, 0)).toBeNull();
    expect(signTestP(10, 0)).toBeCloseTo(2 / 1024, 12);
    expect(signTestP(0, 10)).toBe(signTestP(10, 0));
    expect(signTestP(5, 5)).toBe(1);
    // P(X ≤ 2) for Bin(10, ½) = (1 + 10 + 45)/1024.
    expect(signTestP(8, 2)).toBeCloseTo((2 * 56) / 1024, 12);
    // 60 against 40 of 100: 0.0569 (R: binom.test(60, 100)$p.value = 0.05688793).
    expect(signTestP(60, 40)).toBeCloseTo(0.05688793, 7);
    const big = signTestP(1100, 900)!;
    expect(big).toBeGreaterThan(0);
    expect(big).toBeLessThan(1e-4);
    const a = Array.from({ length: 20 }, (_, i) => [i, 1] as [number, number]);
    const b = a.map(([i]) => [i, i < 15 ? 0 : 1] as [number, number]);
    const c = beats('x', 'y', 'a', 'b', versus(new Map(a), new Map(b)), 'now');
    expect(c.evidence).toMatch(/a higher on 15, b on 0 of 20 items \(sign test: p < 0.001\)$/);
  });

  it('Wilson intervals: inside [0, 100], not empty at 0 or n, narrower with more items', () => {
    expect(wilson95(0, 0)).toBeNull();
    // 54 of 100: 44.3–63.4 % (the Wilson interval; k/n ± 1.96·SE would give 44.2–63.8).
    expect(wilson95(54, 100)).toEqual([44.3, 63.4]);
    expect(wilson95(0, 10)![0]).toBe(0);
    expect(wilson95(0, 10)![1]).toBeGreaterThan(0);
    expect(wilson95(10, 10)![1]).toBe(100);
    const [lo, hi] = wilson95(540, 1000)!;
    expect(hi - lo).toBeLessThan(7);
    expect(lo).toBeLessThan(54);
    expect(hi).toBeGreaterThan(54);
  });
});
