/**
 * `replsynth cad --image shape.png`: infer a CSG program for a picture (REFERENCE §1, 2D CAD), print it,
 * and write OpenSCAD / SVG / JSON plus a target | reconstruction | difference PNG (the engine is in
 * cad-engine.ts). Also the registration of the CAD commands (one call in program.ts).
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { refuseOverwrite, writeFileAtomic } from './shards.js';
import { UserError } from '../core/index.js';
import {
  isPrimitive,
  lineCount,
  printProgram,
  readPngRaster,
  sideBySidePng,
  toJson,
  toOpenScad,
  toSvg,
  type Program,
} from '../domains/csg2d/index.js';
import { CadEngine, cadSearchIds, defaultRefineShare, parseCadMethod } from './cad-engine.js';
import { registerEvalCadCommand } from './cmd-eval-cad.js';
import { registerTrainCadCommand } from './cmd-train-cad.js';
import { intOption, numberOption } from './options.js';

/** Tokens of a program: per line the operator plus its arguments (pointers for union/diff). */
export function tokenCount(p: Program): number {
  return isPrimitive(p) ? 1 + (p.op === 'circle' ? 3 : 4) : 3 + tokenCount(p.a) + tokenCount(p.b);
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
  refineShare: string;
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
    .option(
      '--compare <png>',
      'side-by-side target | reconstruction | difference PNG (default: next to --out)',
    )
    .option(
      '--search <id>',
      `method: ${cadSearchIds.join(', ')}, each optionally +refine (refine the best program in the last part of the budget), or refine alone`,
      'smc+refine',
    )
    .option(
      '--refine-share <x>',
      'share of the budget that +refine leaves to refinement',
      String(defaultRefineShare),
    )
    .option('--model <dir>', "model folder, or 'uniform' (default: shipped model if present)")
    .option('--seed <n>', 'random seed', '1')
    .option('--threads <n>', 'ONNX Runtime threads')
    .option('--force', 'overwrite existing output files')
    .action(async (o: CadOpts) => {
      const timeoutMs = numberOption('--timeout', o.timeout, 0.01) * 1000;
      const seed = intOption('--seed', o.seed);
      const share = numberOption('--refine-share', o.refineShare, 0, 1);
      parseCadMethod(o.search);
      const threads = o.threads ? intOption('--threads', o.threads, 1) : undefined;
      const ext = o.out ? extname(o.out).toLowerCase() : '';
      if (o.out && !EXPORTERS[ext])
        throw new UserError(
          `--out ${o.out}: unknown format '${ext || '(none)'}' (use .scad, .svg or .json)`,
          2,
        );
      const compare = o.compare ?? (o.out ? comparePathFor(o.out) : undefined);
      // Refuse before the (long) search, not after it.
      refuseOverwrite('--out', o.out, o.force);
      refuseOverwrite('--compare', compare, o.force);
      const img = readPngRaster(o.image);
      if (img.warning) process.stderr.write(`${o.image}: ${img.warning}\n`);
      const engine = await CadEngine.create(o.model, [o.search], threads);
      const run = await engine.run(img.raster, o.search, timeoutMs, seed, share);
      if (!run.program || !run.raster)
        throw new UserError(`${o.image}: the search found no program within ${o.timeout} s`);
      process.stdout.write(printProgram(run.program) + '\n');
      const rf = run.refine;
      const refined = rf
        ? `; refinement: IoU ${rf.iouBefore.toFixed(4)} → ${run.iou.toFixed(4)}, ${rf.linesBefore ?? 0} → ${lineCount(run.program)} lines`
        : '';
      process.stdout.write(
        `# IoU ${run.iou.toFixed(4)}, ${lineCount(run.program)} lines, ${tokenCount(run.program)} tokens; ${o.search} with ${engine.source} policy, ${run.nodes} nodes in ${(run.timeMs / 1000).toFixed(2)} s (${run.stopReason})${refined}\n`,
      );
      if (o.out) {
        writeFileAtomic(o.out, EXPORTERS[ext](run.program));
        process.stderr.write(`wrote ${o.out}\n`);
      }
      if (compare) {
        writeFileAtomic(compare, sideBySidePng(img.raster, run.raster));
        process.stderr.write(
          `wrote ${compare} (target | reconstruction | difference, IoU ${run.iou.toFixed(4)})\n`,
        );
      }
    });
}

/** Registers cad, eval cad2d and train cad2d. */
export function registerCadCommands(program: Command, evalCommand: Command, trainCommand: Command): void {
  registerCadCommand(program);
  registerEvalCadCommand(evalCommand);
  registerTrainCadCommand(trainCommand);
}
