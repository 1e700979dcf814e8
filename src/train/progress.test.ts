import { describe, expect, it } from 'vitest';
import { estimateEta, formatSeconds } from './progress.js';

describe('estimateEta', () => {
  it('uses only the work done in this run when resuming', () => {
    // Resumed at step 14,000 of 100,000; 100 steps in 10 s → 10 steps/s → 8,590 s left.
    expect(estimateEta(10, 14_100, 14_000, 100_000)).toBeCloseTo(8_590, 6);
  });
  it('is capped by the time limit of the run', () => {
    expect(estimateEta(10, 14_100, 14_000, 100_000, 60)).toBe(50);
    expect(estimateEta(70, 14_100, 14_000, 100_000, 60)).toBe(0);
  });
  it('is unknown before any work in this run, unless a limit bounds it', () => {
    expect(Number.isNaN(estimateEta(1, 500, 500, 1_000))).toBe(true);
    expect(estimateEta(1, 500, 500, 1_000, 30)).toBe(29);
    expect(formatSeconds(NaN)).toBe('?');
  });
});
