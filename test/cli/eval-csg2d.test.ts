import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../../src/core/index.js';
import { csg2dProblem, iouAt } from '../../src/domains/csg2d/index.js';
import { summarise } from '../../src/eval/summary.js';

const result = (
  scene: number,
  search: string,
  iou: number,
  lines: number,
  targetLines: number | null,
): ItemResult => ({
  scene,
  name: `s${scene}`,
  search,
  targetLines,
  iou,
  lines,
  tokens: lines * 4,
  program: 'p',
  timeMs: 1000,
  nodes: 10,
  trace: [
    { timeMs: 100, iou: iou / 2 },
    { timeMs: 800, iou },
  ],
  objectsNeeded: 0,
  objectsEncoded: 0,
  solved: false,
  firstSolutionMs: null,
  firstSolutionNodes: null,
});

describe("eval csg2d summary (from the problem's declared report)", () => {
  it('mean IoU, any-time IoU, and the largest program and scene reconstructed at IoU ≥ 0.9', () => {
    const rs = [
      result(0, 'smc', 0.95, 40, 5),
      result(1, 'smc', 0.91, 12, 20),
      result(2, 'smc', 0.5, 90, 30),
      result(0, 'beam', 0.2, 3, 5),
    ];
    const s = summarise(csg2dProblem, rs, ['smc', 'beam'], 1000) as Record<string, Record<string, never>>;
    expect(s.smc.meanIoU).toBeCloseTo((0.95 + 0.91 + 0.5) / 3, 12);
    expect(s.smc.solvedAt90).toBe(2);
    expect(s.smc.largestProgramLines).toBe(40);
    expect(s.smc.largestTargetLines).toBe(20);
    expect(s.beam.largestProgramLines).toBeNull();
    expect(s.beam.largestTargetLines).toBeNull();
    expect(iouAt(rs[0], 50)).toBe(0);
    expect(iouAt(rs[0], 500)).toBeCloseTo(0.475, 12);
    expect(s.smc.meanIoUAt['0.50s']).toBeCloseTo((0.95 + 0.91 + 0.5) / 6, 12);
  });
});
