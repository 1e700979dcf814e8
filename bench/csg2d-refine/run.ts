/**
 * csg2d refinement speed and effect, offline and deterministic: the SMC programs that the shipped
 * evaluation found (bench/results/csg2d-eval-main.json, 50 seeded scenes, 60 s each) are refined to
 * convergence against their scenes, and 20 generated scenes are refined from nothing. Reports the time
 * per refinement, the IoU and the length before and after. `--quick`: the first 10 scenes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/index.js';
import {
  createCsg2dDomain,
  evalScene,
  iou,
  lineCount,
  parseProgram,
  rasterFromSpec,
  refineProgram,
  renderProgram,
  type HexSpec,
} from '../../src/domains/csg2d/index.js';
import type { BenchContext } from '../run.js';

interface EvalDoc {
  settings: { seed: number; maxShapes: number; minShapes: number };
  scenes: { scene: number; search: string; program: string | null }[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const doc = JSON.parse(readFileSync(join(ctx.resultsDir, 'csg2d-eval-main.json'), 'utf8')) as EvalDoc;
  const domain = createCsg2dDomain();
  const rows = doc.scenes
    .filter((s) => s.search === 'smc' && s.program !== null)
    .slice(0, quick ? 10 : undefined);
  const fromSmc = rows.map((s) => {
    const { seed, maxShapes, minShapes } = doc.settings;
    const task = evalScene(seed, s.scene, maxShapes, minShapes);
    const target = rasterFromSpec(task.spec as HexSpec);
    const start = parseProgram(s.program!);
    const t0 = performance.now();
    const res = refineProgram(start, target);
    return {
      ms: performance.now() - t0,
      iouBefore: iou(renderProgram(start), target),
      iouAfter: res.iou,
      linesBefore: lineCount(start),
      linesAfter: lineCount(res.program),
      moves: res.moves,
    };
  });
  const rng = new Rng(7);
  const fromNothing = Array.from({ length: quick ? 5 : 20 }, () => {
    const target = rasterFromSpec(domain.sampleTask(rng.split(), { maxSize: 30 }).spec as HexSpec);
    const t0 = performance.now();
    const res = refineProgram(null, target);
    return { ms: performance.now() - t0, iou: res.iou, lines: lineCount(res.program) };
  });
  return {
    smcPrograms: {
      refined: fromSmc.length,
      medianMs: median(fromSmc.map((r) => r.ms)),
      maxMs: Math.max(...fromSmc.map((r) => r.ms)),
      meanIoUBefore: mean(fromSmc.map((r) => r.iouBefore)),
      meanIoUAfter: mean(fromSmc.map((r) => r.iouAfter)),
      medianLinesBefore: median(fromSmc.map((r) => r.linesBefore)),
      medianLinesAfter: median(fromSmc.map((r) => r.linesAfter)),
      moves: {
        delete: fromSmc.reduce((a, r) => a + r.moves.delete, 0),
        replace: fromSmc.reduce((a, r) => a + r.moves.replace, 0),
        insert: fromSmc.reduce((a, r) => a + r.moves.insert, 0),
      },
    },
    fromNothing: {
      scenes: fromNothing.length,
      medianMs: median(fromNothing.map((r) => r.ms)),
      maxMs: Math.max(...fromNothing.map((r) => r.ms)),
      meanIoU: mean(fromNothing.map((r) => r.iou)),
      medianLines: median(fromNothing.map((r) => r.lines)),
    },
  };
}
