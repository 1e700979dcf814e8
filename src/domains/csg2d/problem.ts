/**
 * The csg2d problem (2D CAD, REFERENCE §1): a 64×64 target image; a program of circles and rectangles
 * combined by union and difference; its quality is the IoU of its drawing with the target. Users give
 * PNGs (or seeded generated scenes) and take away OpenSCAD, SVG or JSON, and a target | reconstruction
 * | difference picture. Refinement is registered as a refiner that any method can be followed by.
 */
import {
  Rng,
  type ItemResult,
  type OptionValues,
  type Problem,
  type Refiner,
  type TaskGenerator,
} from '../../core/index.js';
import { csgEvaluate, csgRefiner, csgReport, csgScenes } from '../../csg/problem.js';
import { createCsg2dDomain } from './domain.js';
import { isPrimitive, lineCount, parseProgram, printProgram, type Program } from './dsl.js';
import { toJson, toOpenScad, toSvg } from './export.js';
import { pngToRaster, sideBySidePng } from './image.js';
import { iou, type Raster } from './raster.js';
import { refineProgram } from './refine.js';
import { renderProgram } from './render.js';
import { rasterFromSpec, specFromRaster, type Csg2dSpec } from './spec.js';
import { csg2dFromTokens, csg2dTokens } from './tokens.js';

/** Tokens of a program: per line the operator plus its arguments (pointers for union/diff). */
export function tokenCount(p: Program): number {
  return isPrimitive(p) ? 1 + (p.op === 'circle' ? 3 : 4) : 3 + tokenCount(p.a) + tokenCount(p.b);
}

/** Scene i of a seed: the same in every shard, and for anyone re-creating an evaluation's targets. */
export const csg2dScenes: TaskGenerator<Csg2dSpec> = csgScenes(
  { default: 30, description: 'most shapes per scene (paper test: 30)' },
  () => createCsg2dDomain(),
);

/** Scene i of `seed` as `eval csg2d` generates it (for benches that re-create the targets). */
export function evalScene(seed: number, i: number, maxShapes: number, minShapes = 1) {
  return csg2dScenes.task(new Rng(seed), i, { maxShapes, minShapes });
}

function evaluateCsg2d(spec: Csg2dSpec, program: Program | null) {
  return csgEvaluate(rasterFromSpec(spec), program, { render: renderProgram, iou, lineCount, tokenCount });
}

interface RefineStats {
  readonly iouBefore: number;
  readonly linesBefore: number | null;
}

function human(r: ItemResult): string[] {
  if (!r.program)
    return [
      `no program found in ${(r.timeMs / 1000).toFixed(1)} s (${r.nodes} nodes); try a longer --timeout`,
    ];
  const rf = r.refine as RefineStats | null | undefined;
  const refined = rf
    ? `; refinement: IoU ${rf.iouBefore.toFixed(4)} → ${(r.iou as number).toFixed(4)}, ${rf.linesBefore ?? 0} → ${String(r.lines)} lines`
    : '';
  return [
    r.program ?? '',
    `# IoU ${(r.iou as number).toFixed(4)}, ${String(r.lines)} lines, ${String(r.tokens)} tokens; ${r.search} with ${String(r.model)} policy, ${r.nodes} nodes in ${(r.timeMs / 1000).toFixed(2)} s (${String(r.stopReason)})${refined}`,
  ];
}

/** IoU of the best program found by time t (0 before the first). */
export function iouAt(r: ItemResult, t: number): number {
  let best = 0;
  for (const p of r.trace as { timeMs: number; iou: number }[])
    if (p.timeMs <= t && p.iou > best) best = p.iou;
  return best;
}

export const csg2dProblem: Problem<Csg2dSpec, Program> = {
  id: 'csg2d',
  aliases: ['cad2d'],
  description: '2D CAD: circles and (45°) rectangles combined by union and difference to match a 64×64 image',
  validate(spec) {
    rasterFromSpec(spec);
  },
  evaluate: evaluateCsg2d,
  print: printProgram,
  parse: parseProgram,
  tokens: csg2dTokens,
  fromTokens: csg2dFromTokens,
  io: {
    inputs: [
      {
        id: 'images',
        single: 'image',
        description: 'PNG images (any size; thresholded and resized to 64×64)',
        kind: 'folder',
        extensions: ['.png'],
        // The third argument: the values of the options below (the CLI passes them to readers).
        parse(bytes: Uint8Array, name: string, values?: OptionValues) {
          const v = values?.invert;
          const img = pngToRaster(Buffer.from(bytes), name, {
            invert: v === 'yes' ? true : v === 'no' ? false : 'auto',
          });
          const base = name.replace(/^.*[\\/]/, '');
          return {
            specs: [{ name: base, spec: specFromRaster(img.raster), facts: { targetLines: null } }],
            warnings: img.warning ? [`${name}: ${img.warning}`] : [],
          };
        },
      },
    ],
    options: [
      {
        name: 'invert',
        type: 'enum',
        default: 'auto',
        choices: ['auto', 'yes', 'no'],
        description: 'read light shapes on a dark ground (auto: when the whole border is dark)',
      },
    ],
    generator: csg2dScenes,
    exporters: [
      { extension: '.scad', description: 'OpenSCAD', write: toOpenScad },
      { extension: '.svg', description: 'SVG', write: (p) => toSvg(p) },
      { extension: '.json', description: 'JSON', write: (p) => JSON.stringify(toJson(p), null, 2) + '\n' },
    ],
    render: (spec, program) => sideBySidePng(rasterFromSpec(spec), renderProgram(program)),
  },
  report: csgReport('2D CAD', iouAt, human),
  cli: {
    command: 'cad',
    synth: { timeoutS: 60, method: 'smc+refine', ok: (r) => r.program !== null },
    eval: { timeoutS: 30, methods: 'smc,beam,rollout' },
  },
};

/**
 * Greedy refinement against the target (refine.ts): delete lines that do not help, swap a primitive for
 * the best of all, or wrap a part in a union or difference with the best primitive.
 */
export const csg2dRefiner: Refiner<Csg2dSpec, Program> = csgRefiner<Csg2dSpec, Program, Raster>({
  problem: 'csg2d',
  description: 'greedy delete / replace / insert refinement of the program against the target image',
  target: rasterFromSpec,
  evaluate: evaluateCsg2d,
  lineCount,
  refineProgram,
});
