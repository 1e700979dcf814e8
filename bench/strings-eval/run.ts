/**
 * The strings evaluation of issue 7: 100 realistic tasks from held-out templates, 30 s per task and
 * method, 2 parallel jobs. `npm run bench -- strings-eval [--quick]` (quick: 20 tasks, 5 s).
 * Writes bench/results/strings-eval-tasks.json (every task) and strings-eval.svg (the curves).
 */
import { join, relative } from 'node:path';
import { runEvalCli } from '../eval-cli.js';
import type { BenchContext } from '../run.js';

/** Runs only when named (about 30 minutes). */
export const long = true;

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const out = join(ctx.resultsDir, 'strings-eval-tasks.json');
  const plot = join(ctx.resultsDir, 'strings-eval.svg');
  const timeout = quick ? '5' : '30';
  const doc = runEvalCli<{
    summary: Record<string, { solved: number; total: number; heldOutCorrect: number; heldOutTotal: number }>;
  }>(
    [
      'strings',
      '--tasks',
      'bench/strings-eval/heldout-100.jsonl',
      '--timeout',
      timeout,
      '--methods',
      'smc,rollout,beam,beam-value,enum',
      ...(quick ? ['--limit', '20'] : []),
    ],
    out,
    plot,
  );
  const solvedPct = Object.fromEntries(
    Object.entries(doc.summary).map(([k, v]) => [
      k,
      Math.round((1000 * v.solved) / Math.max(1, v.total)) / 10,
    ]),
  );
  return {
    timeoutS: Number(timeout),
    summary: doc.summary,
    solvedPct,
    tasksFile: relative(process.cwd(), out),
    plot: relative(process.cwd(), plot),
  };
}
