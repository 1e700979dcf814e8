/**
 * The csg3d problem (3D CAD, REFERENCE §1): a 32³ target volume; a program of cuboids, spheres and
 * cylinders combined by union and difference; its quality is the IoU of its voxels with the target.
 * Users give voxel files (JSON, binary, binvox) or STL meshes (voxelized with a stated fit), or seeded
 * generated scenes, and take away OpenSCAD, STL or JSON, and renders of target | reconstruction |
 * difference from several viewpoints. Refinement is registered as a refiner any method can use.
 */
import {
  InputError,
  Rng,
  type InputFormat,
  type ItemResult,
  type Problem,
  type Refiner,
  type TaskGenerator,
} from '../../core/index.js';
import { csgEvaluate, csgRefiner, csgReport, csgScenes } from '../../csg/problem.js';
import { createCsg3dDomain } from './domain.js';
import { lineCount, parseProgram, printProgram, tokenCount, type Program } from './dsl.js';
import { toJson, toOpenScad, toStl } from './export.js';
import { comparisonPng } from './image.js';
import { refineProgram } from './refine.js';
import { renderProgram } from './render.js';
import { specFromVoxels, voxelsFromSpec, type Csg3dSpec } from './spec.js';
import { meshToVoxels } from './stl.js';
import { csg3dFromTokens, csg3dTokens } from './tokens.js';
import { parseVoxelFile } from './voxel-io.js';
import { countOn, iou, type Voxels } from './voxels.js';

/** Scene i of a seed: the same in every shard, and for anyone re-creating an evaluation's targets. */
export const csg3dScenes: TaskGenerator<Csg3dSpec> = csgScenes(
  { default: 20, description: 'most shapes per scene (paper test: 20)' },
  () => createCsg3dDomain(),
);

/** Scene i of `seed` as `eval csg3d` generates it (for benches that re-create the targets). */
export function evalScene3d(seed: number, i: number, maxShapes: number, minShapes = 1) {
  return csg3dScenes.task(new Rng(seed), i, { maxShapes, minShapes });
}

export function evaluateCsg3d(spec: Csg3dSpec, program: Program | null) {
  return csgEvaluate(voxelsFromSpec(spec), program, { render: renderProgram, iou, lineCount, tokenCount });
}

const baseName = (name: string): string => name.replace(/^.*[\\/]/, '');

/** Voxel files, and STL meshes too (so `--voxels part.stl` works where only one input flag exists). */
const voxelInput: InputFormat<Csg3dSpec> = {
  id: 'voxels',
  single: 'voxels',
  description:
    'voxel files: replsynth-voxels JSON, RSVOX1 binary or .binvox (resampled to 32³), or an STL mesh (voxelized at 32³)',
  kind: 'folder',
  extensions: ['.json', '.rsvox', '.binvox', '.stl'],
  parse(bytes, name) {
    if (name.toLowerCase().endsWith('.stl')) return meshInput.parse(bytes, name);
    const r = parseVoxelFile(bytes, name);
    if (countOn(r.voxels) === 0)
      throw new InputError(name, 0, null, 'nothing to reconstruct: no voxel is filled');
    return {
      specs: [{ name: baseName(name), spec: specFromVoxels(r.voxels), facts: { targetLines: null } }],
      warnings: r.warnings.map((w) => `${name}: ${w}`),
    };
  },
};

const meshInput: InputFormat<Csg3dSpec> = {
  id: 'meshes',
  single: 'mesh',
  description: 'STL meshes, ASCII or binary (centred and scaled so the longest side spans 28 voxels)',
  kind: 'folder',
  extensions: ['.stl'],
  parse(bytes, name) {
    const m = meshToVoxels(bytes, name);
    if (countOn(m.voxels) === 0)
      throw new InputError(
        name,
        0,
        null,
        'nothing to reconstruct: the mesh encloses no voxel centre (is it closed?)',
      );
    return {
      specs: [{ name: baseName(name), spec: specFromVoxels(m.voxels), facts: { targetLines: null } }],
      warnings: [m.warning],
    };
  },
};

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
    r.program,
    `# IoU ${(r.iou as number).toFixed(4)}, ${String(r.lines)} lines, ${String(r.tokens)} tokens; ${r.search} with ${String(r.model)} policy, ${r.nodes} nodes in ${(r.timeMs / 1000).toFixed(2)} s (${String(r.stopReason)})${refined}`,
  ];
}

/** IoU of the best program found by time t (0 before the first). */
export function iouAt(r: ItemResult, t: number): number {
  let best = 0;
  for (const p of r.trace as { timeMs: number; iou?: number; score?: number }[]) {
    const v = p.iou ?? p.score ?? 0;
    if (p.timeMs <= t && v > best) best = v;
  }
  return best;
}

export const csg3dProblem: Problem<Csg3dSpec, Program> = {
  id: 'csg3d',
  aliases: ['cad3d'],
  description: '3D CAD: cuboids, spheres and cylinders combined by union and difference to match 32³ voxels',
  validate(spec) {
    voxelsFromSpec(spec);
  },
  evaluate: evaluateCsg3d,
  print: printProgram,
  parse: parseProgram,
  tokens: csg3dTokens,
  fromTokens: csg3dFromTokens,
  io: {
    inputs: [voxelInput, meshInput],
    generator: csg3dScenes,
    exporters: [
      { extension: '.scad', description: 'OpenSCAD', write: toOpenScad },
      { extension: '.stl', description: 'binary STL (closed surface)', write: (p) => toStl(p) },
      { extension: '.json', description: 'JSON', write: (p) => JSON.stringify(toJson(p), null, 2) + '\n' },
    ],
    render: (spec, program) => comparisonPng(voxelsFromSpec(spec), renderProgram(program)),
  },
  report: csgReport('3D CAD', iouAt, human),
  cli: {
    // Shared with csg2d: `cad --voxels/--mesh` picks csg3d, `cad --image` csg2d.
    command: 'cad',
    synth: { timeoutS: 60, method: 'smc+refine', ok: (r) => r.program !== null },
    eval: { timeoutS: 60, methods: 'smc,smc+refine,rollout,beam,beam-value' },
  },
};

/**
 * Greedy refinement against the target (refine.ts): delete lines that do not help, swap a primitive for
 * the best of all, or wrap a part in a union or difference with the best primitive.
 */
export const csg3dRefiner: Refiner<Csg3dSpec, Program> = csgRefiner<Csg3dSpec, Program, Voxels>({
  problem: 'csg3d',
  description: 'greedy delete / replace / insert refinement of the program against the target volume',
  target: voxelsFromSpec,
  evaluate: evaluateCsg3d,
  lineCount,
  refineProgram,
});
