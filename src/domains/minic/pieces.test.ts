import { describe, expect, it } from 'vitest';
import { candidatePiece, generateDataset, MinicAssembler, taskRecord } from './datasets.js';
import type { MinicTask } from './dataset.js';

const counts = { train: 120, val: 15, test: 15 };

/** The dataset as generated here, one record a line per split, and its statistics. */
function here(seed: number) {
  const lines: string[] = [];
  const stats = generateDataset(counts, seed, {}, (s, t) => lines.push(`${s} ${taskRecord(t)}`));
  return { lines, stats };
}

describe('minic datasets in pieces (for a job queue)', () => {
  it('pieces made without `want`, assembled in order, give exactly the local dataset and statistics', () => {
    for (const [seed, size] of [
      [1, 97],
      [7, 500],
    ]) {
      const lines: string[] = [];
      const a = new MinicAssembler(counts, seed, {}, (s, t) => lines.push(`${s} ${taskRecord(t)}`));
      // Outcomes travel as JSON, as a queue carries them.
      for (let from = 0; !a.offer(JSON.parse(JSON.stringify(candidatePiece(seed, {}, from, from + size))));)
        from += size;
      const ref = here(seed);
      expect(lines).toEqual(ref.lines);
      expect(a.result()).toEqual(ref.stats);
      expect(ref.stats.rejected.unwanted).toBeGreaterThan(0);
    }
  });

  it('a piece depends only on the seed and its range', () => {
    const whole = candidatePiece(3, {}, 0, 60);
    const parts = [...candidatePiece(3, {}, 0, 25), ...candidatePiece(3, {}, 25, 60)];
    expect(parts).toEqual(whole);
    expect(whole.some((t) => !('reject' in t))).toBe(true);
    expect((whole.find((t) => !('reject' in t)) as MinicTask).key).toMatch(/^[0-9a-f]{16}$/);
  });
});
