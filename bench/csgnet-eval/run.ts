/**
 * REPL against no REPL on 2D CAD (issue 16): 20 seeded random scenes of up to 30 shapes, 30 s per
 * scene and method, 2 parallel jobs: SMC and SMC+refine (the REPL model) against CSGNet and
 * CSGNet+refine (the decoder without a REPL). `npm run bench -- csgnet-eval [--quick] [--nodes=N]`
 * (quick: 4 scenes, 5 s; --nodes=N adds a node budget that does not depend on the machine's load).
 * Writes bench/results/csgnet-eval-scenes.json (every scene) and csgnet-eval.svg (mean IoU vs time).
 */
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { runEvalCli } from '../eval-cli.js';
import type { BenchContext } from '../run.js';

/** Runs only when named (about 20 minutes). */
export const long = true;

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const nodes = ctx.args.find((a) => a.startsWith('--nodes='))?.slice('--nodes='.length);
  const out = join(ctx.resultsDir, 'csgnet-eval-scenes.json');
  const plot = join(ctx.resultsDir, 'csgnet-eval.svg');
  const timeout = quick ? '5' : '30';
  const loadBefore = loadavg();
  const t0 = performance.now();
  const doc = runEvalCli<{ summary: Record<string, unknown> }>(
    [
      'csg2d',
      '--scenes',
      quick ? '4' : '20',
      '--max-shapes',
      '30',
      '--timeout',
      timeout,
      ...(nodes ? ['--nodes', nodes] : []),
      '--methods',
      'smc,smc+refine,csgnet,csgnet+refine',
    ],
    out,
    plot,
  );
  return {
    timeoutS: Number(timeout),
    nodes: nodes ? Number(nodes) : null,
    wallSeconds: (performance.now() - t0) / 1000,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg(),
    summary: doc.summary,
    scenesFile: relative(process.cwd(), out),
    plot: relative(process.cwd(), plot),
  };
}
