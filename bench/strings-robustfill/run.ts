/**
 * Issue 16's strings evaluation: REPL methods (smc, beam) against RobustFill (no REPL) on the held-out
 * realistic tasks (bench/strings-eval/heldout-100.jsonl) and the EC sanity set (when present:
 * REPLSYNTH_EC_TASKS, default ../shared/data/ec-text-tasks.jsonl), 10 s per task and method, 2 jobs.
 * `npm run bench -- strings-robustfill [--quick]` (quick: 10 tasks each, 2 s). Writes
 * bench/results/strings-robustfill-<set>.json (every task) and .svg (curves); the summary records
 * the load average before and after each evaluation.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { runEvalCli } from '../eval-cli.js';
import type { BenchContext } from '../run.js';

/** Runs only when named (about 30 minutes). */
export const long = true;

type Summary = Record<string, { solved: number; total: number; medianSolveMs: number | null }>;

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const timeout = quick ? '2' : '10';
  const ec = process.env.REPLSYNTH_EC_TASKS ?? '../shared/data/ec-text-tasks.jsonl';
  const sets: [string, string][] = [['heldout', 'bench/strings-eval/heldout-100.jsonl']];
  if (existsSync(ec)) sets.push(['ec', ec]);
  const out: Record<string, unknown> = { timeoutS: Number(timeout), methods: ['smc', 'beam', 'robustfill'] };
  for (const [name, file] of sets) {
    const res = join(ctx.resultsDir, `strings-robustfill-${name}.json`);
    const plot = join(ctx.resultsDir, `strings-robustfill-${name}.svg`);
    const before = loadavg();
    const started = performance.now();
    const doc = runEvalCli<{ summary: Summary }>(
      [
        'strings',
        '--tasks',
        file,
        '--timeout',
        timeout,
        '--methods',
        'smc,beam,robustfill',
        ...(quick ? ['--limit', '10'] : []),
      ],
      res,
      plot,
    );
    out[name] = {
      tasks: file,
      summary: doc.summary,
      wallS: Math.round((performance.now() - started) / 1000),
      loadBefore: before.map((x) => Math.round(100 * x) / 100),
      loadAfter: loadavg().map((x) => Math.round(100 * x) / 100),
      results: relative(process.cwd(), res),
      plot: relative(process.cwd(), plot),
    };
  }
  return out;
}
