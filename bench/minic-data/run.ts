/**
 * Dataset generation as `replsynth data minic --train 100000 --val 1000 --test 1000` does it (`--quick`:
 * a tenth), on one core: wall time, tasks per second, and the statistics beside the paper's
 * constraints (every one must hold).
 */
import { generateDataset, taskRecord } from '../../src/domains/minic/index.js';
import type { BenchContext } from '../run.js';

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const scale = ctx.args.includes('--quick') ? 10 : 1;
  const counts = { train: 100_000 / scale, val: 1000 / scale, test: 1000 / scale };
  let bytes = 0;
  const t0 = performance.now();
  const stats = generateDataset(counts, 1, {}, (_, t) => (bytes += taskRecord(t).length + 1));
  const seconds = (performance.now() - t0) / 1000;
  const total = counts.train + counts.val + counts.test;
  const out = {
    counts,
    seconds: Number(seconds.toFixed(1)),
    tasksPerSec: Math.round(total / seconds),
    megabytes: Number((bytes / 1e6).toFixed(1)),
    candidates: stats.candidates,
    rejected: stats.rejected,
    tokens: stats.all.tokens,
    share: stats.all.share,
    values: stats.all.values,
    paper: stats.paper,
    allConstraintsHold: stats.paper.every((c) => c.holds),
  };
  console.log(out);
  return out;
}
