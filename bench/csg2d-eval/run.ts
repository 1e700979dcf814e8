/**
 * The 2D CAD evaluation of issue 6: 50 seeded random scenes of up to 30 shapes, 60 s per scene and
 * method, 2 parallel jobs; mean IoU of the best program so far vs time (the layout of the paper's
 * Fig. 5), for the four searches alone, for three of them followed by refinement of their best program
 * (`X+refine`, the last fifth of the same budget) and for refinement alone from an empty program.
 * `npm run bench -- csg2d-eval [--quick]` (quick: 6 scenes, 10 s; the full run takes about 3 hours).
 * Writes bench/results/csg2d-eval-scenes.json (every scene) and csg2d-eval.svg (the curves).
 */
import { join, relative } from 'node:path';
import { runEvalCli } from '../eval-cli.js';
import type { BenchContext } from '../run.js';

/** Runs only when named (about 3 hours). */
export const long = true;

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const out = join(ctx.resultsDir, 'csg2d-eval-scenes.json');
  const plot = join(ctx.resultsDir, 'csg2d-eval.svg');
  const timeout = quick ? '10' : '60';
  const doc = runEvalCli<{ summary: Record<string, unknown> }>(
    [
      'csg2d',
      '--scenes',
      quick ? '6' : '50',
      '--max-shapes',
      '30',
      '--timeout',
      timeout,
      '--methods',
      'smc,rollout,beam,beam-value,smc+refine,rollout+refine,beam+refine,refine',
    ],
    out,
    plot,
  );
  return {
    timeoutS: Number(timeout),
    summary: doc.summary,
    scenesFile: relative(process.cwd(), out),
    plot: relative(process.cwd(), plot),
  };
}
