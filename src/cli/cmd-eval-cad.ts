/**
 * `replsynth eval cad2d`: generated scenes (up to --max-shapes shapes, the paper's out-of-sample test)
 * or a folder of PNGs (--images), every search with the same budget; the any-time IoU of the best
 * program so far, mean IoU vs time per search, and the largest program found with IoU ≥ 0.9 (lines
 * and tokens).
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { Rng, UserError } from '../core/index.js';
import {
  lineCount,
  printProgram,
  rasterFromSpec,
  readPngRaster,
  sideBySidePng,
  type Csg2dDomain,
  type HexSpec,
  type Raster,
} from '../domains/csg2d/index.js';
import { CadEngine, defaultRefineShare, parseCadMethod, type RefineReport } from './cad-engine.js';
import { tokenCount } from './cmd-cad.js';
import { refuseOverwrite, runResumable, shardControl, writeFileAtomic, type EvalControl } from './shards.js';
import { intOption, numberOption } from './options.js';
import { curvesSvg, type CurvePoint } from './plots.js';

/** One search on one scene. */
export interface CadSceneResult {
  readonly scene: number;
  readonly name: string;
  readonly search: string;
  /** Lines of the ground-truth program (null for images, which have none). */
  readonly targetLines: number | null;
  readonly iou: number;
  readonly lines: number | null;
  readonly tokens: number | null;
  readonly program: string | null;
  readonly timeMs: number;
  readonly nodes: number;
  /** Any-time trace: IoU of the best program so far, when it improved. */
  readonly trace: readonly { readonly timeMs: number; readonly iou: number }[];
  readonly objectsNeeded: number;
  readonly objectsEncoded: number;
  /** For `X+refine` and `refine`: the IoU and length before refinement, and the moves it made. */
  readonly refine?: RefineReport | null;
}

export interface CadSearchSummary {
  readonly meanIoU: number;
  readonly scenes: number;
  /** Largest program (lines, then its tokens) among results with IoU ≥ 0.9; null when none. */
  readonly largestProgramLines: number | null;
  readonly largestProgramTokens: number | null;
  /**
   * Largest ground-truth program (lines) among the scenes reconstructed with IoU ≥ 0.9: how big a
   * scene the method can handle, independent of how long its own program came out.
   */
  readonly largestTargetLines: number | null;
  readonly solvedAt90: number;
  /** Mean IoU of the best-so-far program at fractions of the budget. */
  readonly meanIoUAt: Readonly<Record<string, number>>;
}

/** IoU of the best program found by time t (0 before the first). */
export function iouAt(r: CadSceneResult, t: number): number {
  let best = 0;
  for (const p of r.trace) if (p.timeMs <= t && p.iou > best) best = p.iou;
  return best;
}

export function summariseCad(
  results: readonly CadSceneResult[],
  searches: readonly string[],
  timeoutMs: number,
): Record<string, CadSearchSummary> {
  const out: Record<string, CadSearchSummary> = {};
  for (const s of searches) {
    const rs = results.filter((r) => r.search === s);
    const good = rs
      .filter((r) => r.iou >= 0.9 && r.lines !== null)
      .sort((a, b) => b.lines! - a.lines! || b.tokens! - a.tokens!);
    const at: Record<string, number> = {};
    for (const f of [0.1, 0.25, 0.5, 1])
      at[`${((f * timeoutMs) / 1000).toFixed(2)}s`] =
        rs.reduce((a, r) => a + iouAt(r, f * timeoutMs), 0) / Math.max(1, rs.length);
    out[s] = {
      meanIoU: rs.reduce((a, r) => a + r.iou, 0) / Math.max(1, rs.length),
      scenes: rs.length,
      largestProgramLines: good[0]?.lines ?? null,
      largestProgramTokens: good[0]?.tokens ?? null,
      largestTargetLines: good.reduce<number | null>(
        (m, r) => (r.targetLines === null ? m : Math.max(m ?? 0, r.targetLines)),
        null,
      ),
      solvedAt90: good.length,
      meanIoUAt: at,
    };
  }
  return out;
}

interface EvalCadOpts {
  scenes: string;
  maxShapes: string;
  minShapes: string;
  timeout: string;
  search: string;
  refineShare: string;
  out?: string;
  plot?: string;
  images?: string;
  renders?: string;
  jobs: string;
  seed: string;
  model?: string;
  force?: boolean;
  shard?: string;
  shardOut?: string;
  skipDone?: string;
  resume?: boolean;
  nodes?: string;
}

/** Scene i of a seed: the same in every shard, and for anyone re-creating an evaluation's targets. */
export function evalScene(
  domain: Csg2dDomain,
  seed: number,
  i: number,
  maxShapes: number,
  minShapes: number,
) {
  return domain.sampleTask(new Rng(seed).derive(`scene/${i}`), { maxSize: maxShapes, extra: { minShapes } });
}

/** The PNG files of a folder, sorted by name; a missing or empty folder is a user error. */
export function pngFiles(dir: string): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UserError(`--images ${dir}: not a folder`, 2);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      `--images ${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      2,
    );
  }
  const pngs = names.filter((n) => n.toLowerCase().endsWith('.png')).sort();
  if (pngs.length === 0) throw new UserError(`--images ${dir}: no .png files`, 2);
  return pngs.map((n) => join(dir, n));
}

/** Target i: a generated scene, or the i-th PNG of --images (thresholded and resized as by `cad`). */
function target(
  images: readonly string[] | null,
  engine: CadEngine,
  i: number,
  seed: number,
  maxShapes: number,
  minShapes: number,
): { name: string; raster: Raster; lines: number | null } {
  if (images) {
    const file = images[i];
    const img = readPngRaster(file);
    if (img.warning) process.stderr.write(`${file}: ${img.warning}\n`);
    return { name: basename(file), raster: img.raster, lines: null };
  }
  const task = evalScene(engine.domain, seed, i, maxShapes, minShapes);
  return {
    name: task.name ?? `scene ${i}`,
    raster: rasterFromSpec(task.spec as HexSpec),
    lines: task.trace.length,
  };
}

async function runShard(
  o: EvalCadOpts,
  searches: string[],
  images: readonly string[] | null,
  idx: number[],
  ctl: EvalControl<CadSceneResult>,
  threads?: number,
): Promise<CadSceneResult[]> {
  const timeoutMs = numberOption('--timeout', o.timeout, 0.01) * 1000;
  const seed = intOption('--seed', o.seed);
  const maxShapes = intOption('--max-shapes', o.maxShapes, 1, 60);
  const minShapes = intOption('--min-shapes', o.minShapes, 1, maxShapes);
  const share = numberOption('--refine-share', o.refineShare, 0, 1);
  const engine = await CadEngine.create(o.model, searches, threads, !o.shard);
  const out: CadSceneResult[] = [];
  for (const i of idx) {
    const t = target(images, engine, i, seed, maxShapes, minShapes);
    for (const search of searches) {
      if (!ctl.pending(cadResultKey({ scene: i, search }))) continue;
      const nodes = o.nodes ? intOption('--nodes', o.nodes, 1) : undefined;
      const run = await engine.run(t.raster, search, timeoutMs, seed + i, share, nodes);
      const r: CadSceneResult = {
        scene: i,
        name: t.name,
        search,
        targetLines: t.lines,
        iou: run.iou,
        lines: run.program ? lineCount(run.program) : null,
        tokens: run.program ? tokenCount(run.program) : null,
        program: run.program ? printProgram(run.program) : null,
        timeMs: run.timeMs,
        nodes: run.nodes,
        trace: run.trace,
        objectsNeeded: run.cache.objectsNeeded,
        objectsEncoded: run.cache.objectsEncoded,
        refine: run.refine,
      };
      out.push(r);
      ctl.keep(r);
      if (o.renders && run.raster) {
        mkdirSync(o.renders, { recursive: true });
        writeFileAtomic(join(o.renders, `scene-${i}-${search}.png`), sideBySidePng(t.raster, run.raster));
      }
      process.stderr.write(
        `[scene ${i}] ${r.name} ${search}: IoU ${r.iou.toFixed(3)}, ${r.lines ?? 0} lines${r.targetLines === null ? '' : ` (target ${r.targetLines})`}, ${r.nodes} nodes\n`,
      );
    }
  }
  return out;
}

/** What identifies a result, for --resume. */
export const cadResultKey = (r: Pick<CadSceneResult, 'scene' | 'search'>): string => `${r.scene}/${r.search}`;

/** Mean IoU of the best-so-far program vs time, as a step curve per search. */
export function meanIoUCurve(
  results: readonly CadSceneResult[],
  search: string,
  timeoutMs: number,
  points = 60,
): CurvePoint[] {
  const rs = results.filter((r) => r.search === search);
  return Array.from({ length: points + 1 }, (_, k) => {
    const t = (k / points) * timeoutMs;
    return {
      series: search,
      x: t / 1000,
      y: rs.reduce((a, r) => a + iouAt(r, t), 0) / Math.max(1, rs.length),
    };
  });
}

/** What a cad2d evaluation ran on, as its settings record it. */
export interface CadEvalSettings {
  readonly scenes: number;
  readonly images: string | null;
  readonly maxShapes: number;
  readonly timeoutS: number;
}

/** The mean-IoU-vs-time plot (the layout of the paper's Fig. 5), one line per search. */
export function cadIoUPlot(
  results: readonly CadSceneResult[],
  searches: readonly string[],
  s: CadEvalSettings,
): Promise<string> {
  const on = s.images ? `${s.scenes} images from ${s.images}` : `${s.scenes} scenes ≤ ${s.maxShapes} shapes`;
  return curvesSvg(
    [
      {
        title: 'mean IoU of the best program so far',
        xTitle: 'seconds',
        yTitle: 'mean IoU',
        yDomain: [0, 1],
        points: searches.flatMap((x) => meanIoUCurve(results, x, s.timeoutS * 1000)),
      },
    ],
    `replsynth 2D CAD: ${on}, ${s.timeoutS} s budget`,
  );
}

export function registerEvalCadCommand(evalCommand: Command): void {
  evalCommand
    .command('cad2d')
    .description(
      'evaluate searches on generated 2D CAD scenes: mean IoU vs time, largest program with IoU ≥ 0.9',
    )
    .option('--scenes <n>', 'number of generated scenes', '20')
    .option('--max-shapes <n>', 'most shapes per scene (paper test: 30)', '30')
    .option('--min-shapes <n>', 'fewest shapes per scene', '1')
    .option('--timeout <s>', 'budget per scene and search, seconds', '30')
    .option(
      '--search <list>',
      'comma-separated methods: smc, beam, beam-value, astar, rollout, enum, each optionally +refine, or refine alone',
      'smc,beam,rollout',
    )
    .option(
      '--refine-share <x>',
      'share of the budget that +refine leaves to refinement',
      String(defaultRefineShare),
    )
    .option('--nodes <n>', 'node budget per scene and search (besides --timeout)')
    .option('--out <file>', 'results JSON')
    .option('--plot <file>', 'SVG plot of mean IoU vs time')
    .option('--images <dir>', 'evaluate on the PNG files of this folder instead of generated scenes')
    .option('--renders <dir>', 'write target | reconstruction | difference PNGs here')
    .option('--jobs <n>', 'scenes run in parallel processes', '1')
    .option('--seed <n>', 'seed of the scenes and searches', '1')
    .option('--model <dir>', "model folder, or 'uniform' (default: shipped model if present)")
    .option('--force', 'overwrite existing --out/--plot files')
    .option('--resume', 'finish a stopped evaluation: keep the results in OUT.partial.json, run the rest')
    .option('--shard <k/n>', 'internal: run every n-th scene starting at k')
    .option('--shard-out <file>', 'internal: where a shard writes its results')
    .option('--skip-done <file>', 'internal: results a resumed shard skips')
    .action(async (o: EvalCadOpts) => {
      const searches = o.search
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      searches.forEach(parseCadMethod);
      const images = o.images ? pngFiles(o.images) : null;
      const n = images?.length ?? intOption('--scenes', o.scenes, 1);
      const all = Array.from({ length: n }, (_, i) => i);
      if (o.shard) {
        const [k, m] = o.shard.split('/').map(Number);
        await runShard(
          o,
          searches,
          images,
          all.filter((i) => i % m === k),
          shardControl(o.shardOut, o.skipDone, cadResultKey),
          1,
        );
        return;
      }
      refuseOverwrite('--out', o.out, o.force);
      refuseOverwrite('--plot', o.plot, o.force);
      const jobs = intOption('--jobs', o.jobs, 1);
      const results = await runResumable<CadSceneResult>({
        label: 'eval-cad2d',
        out: o.out,
        resume: o.resume ?? false,
        jobs,
        n,
        key: cadResultKey,
        here: (ctl) => runShard(o, searches, images, all, ctl),
      });
      results.sort((a, b) => a.scene - b.scene || searches.indexOf(a.search) - searches.indexOf(b.search));
      const timeoutMs = numberOption('--timeout', o.timeout, 0.01) * 1000;
      const summary = summariseCad(results, searches, timeoutMs);
      for (const [s, v] of Object.entries(summary))
        process.stdout.write(
          `${s.padEnd(11)} mean IoU ${v.meanIoU.toFixed(3)} over ${v.scenes} scenes; IoU ≥ 0.9 on ${v.solvedAt90}; largest such program ${v.largestProgramLines ?? '-'} lines / ${v.largestProgramTokens ?? '-'} tokens; largest such scene ${v.largestTargetLines ?? '-'} lines\n`,
        );
      const settings = {
        scenes: n,
        images: o.images ?? null,
        maxShapes: Number(o.maxShapes),
        minShapes: Number(o.minShapes),
        timeoutS: timeoutMs / 1000,
        searches,
        refineShare: Number(o.refineShare),
        seed: Number(o.seed),
        jobs,
        model: o.model ?? 'default',
      };
      if (o.out)
        writeFileAtomic(o.out, JSON.stringify({ summary, settings, scenes: results }, null, 1) + '\n');
      if (o.plot) writeFileAtomic(o.plot, await cadIoUPlot(results, searches, settings));
    });
}
