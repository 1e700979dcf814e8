/**
 * The 3D CAD evaluation of issue 18 on 20 seeded scenes of up to 20 shapes, 2 parallel jobs:
 * - the bar run, 60 s per scene and method: mean IoU of the best program so far vs time (the layout of
 *   the paper's Fig. 5, right) for SMC followed by refinement (the last fifth of the budget), SMC,
 *   policy rollouts, beam search with and without the value;
 * - the same searches without refinement at 3000 nodes per scene (the same programs on any machine,
 *   whatever the load; refinement is left out as it is bounded by time only), and SMC without the value
 *   (a copy of the model whose value is constant).
 * `npm run bench -- csg3d-eval [--quick]` (quick: 4 scenes, 10 s, 500 nodes; the full run takes about
 * 90 minutes on a free machine). Writes bench/results/csg3d-eval-scenes.json (+ .svg),
 * csg3d-eval-nodes.json (+ .svg), csg3d-eval-nodes-novalue.json; summary.ts reads the bars from them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEvalCli } from '../eval-cli.js';
import type { BenchContext } from '../run.js';
import { summarize } from './summary.js';

/** Runs only when named (about 90 minutes). */
export const long = true;

/** A copy of the shipped model whose search value is constant (SMC without the value). */
function modelWithoutValue(): string {
  const dir = mkdtempSync(join(tmpdir(), 'csg3d-novalue-'));
  cpSync('models/csg3d', dir, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, value: { network: 0, iouPower: 0 } }));
  return dir;
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const scenes = ['csg3d', '--scenes', quick ? '4' : '20', '--max-shapes', '20'];
  const nodes = ['--nodes', quick ? '500' : '3000', '--timeout', '86400'];
  const file = (n: string): string => join(ctx.resultsDir, n);
  const load = [loadavg()];
  runEvalCli(
    [...scenes, '--timeout', quick ? '10' : '60', '--methods', 'smc+refine,smc,rollout,beam,beam-value'],
    file('csg3d-eval-scenes.json'),
    file('csg3d-eval.svg'),
  );
  runEvalCli(
    [...scenes, ...nodes, '--methods', 'smc,rollout,beam,beam-value'],
    file('csg3d-eval-nodes.json'),
    file('csg3d-eval-nodes.svg'),
  );
  const noValue = modelWithoutValue();
  try {
    runEvalCli(
      [...scenes, ...nodes, '--methods', 'smc', '--model', noValue],
      file('csg3d-eval-nodes-novalue.json'),
      file('csg3d-eval-nodes-novalue.svg'),
    );
  } finally {
    rmSync(noValue, { recursive: true, force: true });
  }
  load.push(loadavg());
  return { loadAverage: load, ...summarize(ctx.resultsDir) };
}
