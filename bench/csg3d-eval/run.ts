/**
 * The 3D CAD evaluation of issue 18: 20 seeded scenes of up to 20 shapes, 60 s per scene and method,
 * 2 parallel jobs; mean IoU of the best program so far vs time (the layout of the paper's Fig. 5,
 * right) for SMC, policy rollouts, beam search with and without the value, SMC followed by refinement
 * (the last fifth of the budget) and refinement alone; and SMC with the uniform policy (no network),
 * the bar a shipped model must beat. `npm run bench -- csg3d-eval [--quick]` (quick: 4 scenes, 10 s;
 * the full run takes about 75 minutes). Writes bench/results/csg3d-eval-scenes.json (every scene),
 * csg3d-eval-uniform-scenes.json and csg3d-eval.svg (the curves).
 */
import { join, relative } from 'node:path';
import { runEvalCli } from '../eval-cli.js';
import type { BenchContext } from '../run.js';

/** Runs only when named (about 75 minutes). */
export const long = true;

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const timeout = quick ? '10' : '60';
  const common = ['csg3d', '--scenes', quick ? '4' : '20', '--max-shapes', '20', '--timeout', timeout];
  const out = join(ctx.resultsDir, 'csg3d-eval-scenes.json');
  const plot = join(ctx.resultsDir, 'csg3d-eval.svg');
  const doc = runEvalCli<{ summary: Record<string, unknown> }>(
    [...common, '--methods', 'smc,rollout,beam,beam-value,smc+refine,refine'],
    out,
    plot,
  );
  const uOut = join(ctx.resultsDir, 'csg3d-eval-uniform-scenes.json');
  const uPlot = join(ctx.resultsDir, 'csg3d-eval-uniform.svg');
  const uniform = runEvalCli<{ summary: Record<string, unknown> }>(
    [...common, '--methods', 'smc', '--model', 'uniform'],
    uOut,
    uPlot,
  );
  return {
    timeoutS: Number(timeout),
    summary: doc.summary,
    uniformSmc: uniform.summary,
    scenesFile: relative(process.cwd(), out),
    plot: relative(process.cwd(), plot),
  };
}
