/**
 * `replsynth cad --image shape.png`: infer a CSG program for a picture (REFERENCE §1, 2D CAD), print it,
 * and write OpenSCAD / SVG / JSON plus a target | reconstruction | difference PNG. Also the shared
 * engine (model or uniform prior + search) that `eval cad2d` runs, and the registration of the CAD
 * commands (one call in program.ts).
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { refuseOverwrite, writeFileAtomic } from './shards.js';
import { Rng, UserError, getSearch, type SearchResult } from '../core/index.js';
import {
  bestObject,
  createCsg2dDomain,
  isPrimitive,
  lineCount,
  printProgram,
  readPngRaster,
  sideBySidePng,
  specFromRaster,
  toJson,
  toOpenScad,
  toSvg,
  type Csg2dAction,
  type Csg2dDomain,
  type Csg2dState,
  type Program,
  type Raster,
} from '../domains/csg2d/index.js';
import { hasCsg2dModel, loadCsg2dModel, shippedCsg2dModelDir, uniformCsg2dEvaluator, type Csg2dEvaluator, type LoadedCsg2dModel } from '../models/csg2d/index.js';
import '../search/index.js';
import { registerEvalCadCommand } from './cmd-eval-cad.js';
import { registerTrainCadCommand } from './cmd-train-cad.js';
import { intOption, numberOption } from './options.js';

export const cadSearchIds = ['smc', 'beam', 'beam-value', 'astar', 'rollout', 'enum'] as const;

/** Tokens of a program: per line the operator plus its arguments (pointers for union/diff). */
export function tokenCount(p: Program): number {
  return isPrimitive(p) ? 1 + (p.op === 'circle' ? 3 : 4) : 3 + tokenCount(p.a) + tokenCount(p.b);
}


/** The domain plus a way to make evaluators: the trained model, or the uniform factorised prior. */
export class CadEngine {
  private constructor(
    readonly domain: Csg2dDomain,
    readonly model: LoadedCsg2dModel | null,
    /** Where the policy came from, for reports. */
    readonly source: string,
  ) {}

  /** `model`: a folder, 'uniform', or undefined (shipped model if present, else uniform with a note). */
  static async create(model: string | undefined, searches: readonly string[], threads?: number, warn = true): Promise<CadEngine> {
    for (const s of searches)
      if (!(cadSearchIds as readonly string[]).includes(s)) throw new UserError(`--search: unknown method '${s}' (have: ${cadSearchIds.join(', ')})`, 2);
    const neural = searches.some((s) => s !== 'enum');
    if (model === 'uniform' || !neural) return new CadEngine(createCsg2dDomain(), null, 'uniform');
    if (model === undefined && !hasCsg2dModel(shippedCsg2dModelDir)) {
      if (warn) process.stderr.write(`note: no trained csg2d model in ${shippedCsg2dModelDir}; searching with the uniform policy\n`);
      return new CadEngine(createCsg2dDomain(), null, 'uniform');
    }
    const loaded = await loadCsg2dModel(model ?? shippedCsg2dModelDir, threads);
    return new CadEngine(loaded.domain, loaded, loaded.dir);
  }

  evaluator(search: string): Csg2dEvaluator {
    return search === 'enum' || !this.model ? uniformCsg2dEvaluator(this.domain) : this.model.evaluator();
  }

  async run(target: Raster, search: string, timeoutMs: number, seed: number): Promise<CadRun> {
    const evaluator = this.evaluator(search);
    const result: SearchResult<Csg2dState, Csg2dAction> = await getSearch(search).run({
      domain: this.domain,
      evaluator,
      spec: specFromRaster(target),
      budget: { timeMs: timeoutMs },
      rng: new Rng(seed),
      stopOnSolve: true,
    });
    const best = result.best ? bestObject(result.best.state) : null;
    return { result, program: best?.program ?? null, raster: best?.raster ?? null, iou: best?.iou ?? 0, cache: { ...evaluator.stats } };
  }
}

export interface CadRun {
  readonly result: SearchResult<Csg2dState, Csg2dAction>;
  readonly program: Program | null;
  readonly raster: Raster | null;
  readonly iou: number;
  readonly cache: Csg2dEvaluator['stats'];
}

const EXPORTERS: Record<string, (p: Program) => string> = {
  '.scad': toOpenScad,
  '.svg': (p) => toSvg(p),
  '.json': (p) => JSON.stringify(toJson(p), null, 2) + '\n',
};

interface CadOpts {
  image: string;
  timeout: string;
  out?: string;
  compare?: string;
  search: string;
  model?: string;
  seed: string;
  threads?: string;
  force?: boolean;
}

/** The comparison PNG next to --out: `prog.svg` → `prog.compare.png`. */
export function comparePathFor(out: string): string {
  const ext = extname(out);
  return `${ext ? out.slice(0, -ext.length) : out}.compare.png`;
}

export function registerCadCommand(program: Command): void {
  program
    .command('cad')
    .description('infer a 2D CSG program (circles, rectangles, union, difference) that draws a PNG image')
    .requiredOption('--image <png>', 'target image (any size; resized to 64×64)')
    .option('--timeout <s>', 'search budget in seconds', '60')
    .option('--out <file>', 'write the program: .scad (OpenSCAD), .svg or .json')
    .option('--compare <png>', 'side-by-side target | reconstruction | difference PNG (default: next to --out)')
    .option('--search <id>', `search method (${cadSearchIds.join(', ')})`, 'smc')
    .option('--model <dir>', "model folder, or 'uniform' (default: shipped model if present)")
    .option('--seed <n>', 'random seed', '1')
    .option('--threads <n>', 'ONNX Runtime threads')
    .option('--force', 'overwrite existing output files')
    .action(async (o: CadOpts) => {
      const timeoutMs = numberOption('--timeout', o.timeout, 0.01) * 1000;
      const seed = intOption('--seed', o.seed);
      const threads = o.threads ? intOption('--threads', o.threads, 1) : undefined;
      const ext = o.out ? extname(o.out).toLowerCase() : '';
      if (o.out && !EXPORTERS[ext]) throw new UserError(`--out ${o.out}: unknown format '${ext || '(none)'}' (use .scad, .svg or .json)`, 2);
      const compare = o.compare ?? (o.out ? comparePathFor(o.out) : undefined);
      // Refuse before the (long) search, not after it.
      refuseOverwrite('--out', o.out, o.force);
      refuseOverwrite('--compare', compare, o.force);
      const img = readPngRaster(o.image);
      if (img.warning) process.stderr.write(`${o.image}: ${img.warning}\n`);
      const engine = await CadEngine.create(o.model, [o.search], threads);
      const run = await engine.run(img.raster, o.search, timeoutMs, seed);
      if (!run.program || !run.raster) throw new UserError(`${o.image}: the search found no program within ${o.timeout} s`);
      process.stdout.write(printProgram(run.program) + '\n');
      const r = run.result;
      process.stdout.write(
        `# IoU ${run.iou.toFixed(4)}, ${lineCount(run.program)} lines, ${tokenCount(run.program)} tokens; ${o.search} with ${engine.source} policy, ${r.nodesExpanded} nodes in ${(r.timeMs / 1000).toFixed(2)} s (${r.stopReason})\n`,
      );
      if (o.out) {
        writeFileAtomic(o.out, EXPORTERS[ext](run.program));
        process.stderr.write(`wrote ${o.out}\n`);
      }
      if (compare) {
        writeFileAtomic(compare, sideBySidePng(img.raster, run.raster));
        process.stderr.write(`wrote ${compare} (target | reconstruction | difference, IoU ${run.iou.toFixed(4)})\n`);
      }
    });
}

/** Registers cad, eval cad2d and train cad2d. */
export function registerCadCommands(program: Command, evalCommand: Command, trainCommand: Command): void {
  registerCadCommand(program);
  registerEvalCadCommand(evalCommand);
  registerTrainCadCommand(trainCommand);
}
