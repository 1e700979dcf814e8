/**
 * The csg3d Domain (the REPL formulation): wires the DSL, REPL, generator and features into the core
 * contract. Parameters are declared once in `csg3dParams` and resolved by `createCsg3dDomain`.
 */
import {
  resolveParams,
  type Domain,
  type ParamSpec,
  type ParamValue,
  type Rng,
  type Task,
  type TaskOptions,
} from '../../core/index.js';
import { actionKey, actionName, actionSpaceSize, type Csg3dAction } from './actions.js';
import { parseProgram, printProgram, type Program } from './dsl.js';
import { csg3dFeatures } from './features.js';
import { generateScene, traceFor } from './generator.js';
import { renderProgram } from './render.js';
import {
  bestIoU,
  bestObject,
  initialReplState,
  legalReplActions,
  randomReplAction,
  replSolved,
  replStateKey,
  replStep,
  replTerminal,
  type Csg3dState,
  type ReplLimits,
} from './repl.js';
import { specFromVoxels, voxelsFromSpec, type Csg3dSpec } from './spec.js';
import { countOn } from './voxels.js';

export const csg3dParams: readonly ParamSpec[] = [
  {
    name: 'maxObjects',
    type: 'int',
    default: 4,
    min: 2,
    max: 16,
    description: 'most objects in scope at once',
  },
  { name: 'maxDepth', type: 'int', default: 100, min: 1, max: 1000, description: 'most lines per episode' },
  {
    name: 'solveIoU',
    type: 'float',
    default: 1,
    min: 0.5,
    max: 1,
    description: 'IoU with the spec at which an object solves the task (paper: 0.9 to count)',
  },
  {
    name: 'maxShapes',
    type: 'int',
    default: 13,
    min: 1,
    max: 60,
    description: 'most shapes per generated scene (paper: 13 in training, 20 in tests)',
  },
  {
    name: 'sphereRate',
    type: 'float',
    default: 0.15,
    min: 0,
    max: 1,
    description: 'fraction of generated shapes that are spheres (the rest: half cylinders, half cuboids)',
  },
];

export type Csg3dDomain = Domain<Csg3dSpec, Csg3dState, Csg3dAction, Program> & {
  readonly limits: ReplLimits;
};

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** One-line program text for JSON descriptions: statements joined by "; ". */
export function programOneLine(p: Program): string {
  return printProgram(p).split('\n').join('; ');
}

export function createCsg3dDomain(given: Readonly<Record<string, ParamValue>> = {}): Csg3dDomain {
  const params = resolveParams(csg3dParams, given);
  const limits: ReplLimits = {
    maxObjects: params.maxObjects as number,
    maxDepth: params.maxDepth as number,
    solveIoU: params.solveIoU as number,
  };

  const sampleTask = (rng: Rng, options: TaskOptions = {}): Task<Csg3dSpec, Csg3dAction> => {
    const maxShapes = options.maxSize ?? (params.maxShapes as number);
    const minShapes = Number(options.extra?.minShapes ?? 1);
    for (let attempt = 0; attempt < 1000; attempt++) {
      const scene = generateScene(rng, { maxShapes, minShapes, sphereRate: params.sphereRate as number });
      const { trace, maxScope } = traceFor(scene.program);
      if (maxScope > limits.maxObjects || trace.length > limits.maxDepth) continue;
      return {
        spec: specFromVoxels(renderProgram(scene.program)),
        trace,
        name: `scene of ${scene.steps.length} shapes`,
      };
    }
    throw new Error(`csg3d: no scene with ≤ ${maxShapes} shapes fits maxObjects/maxDepth`);
  };

  return {
    id: 'csg3d',
    params,
    limits,
    maxDepth: limits.maxDepth,
    features: csg3dFeatures(limits.maxObjects),
    actionSpace: { size: actionSpaceSize(limits.maxObjects), flat: false, name: actionName, key: actionKey },
    sampleTask,
    initialState: (spec) => initialReplState(voxelsFromSpec(spec)),
    randomLegalAction: (state, rng) => randomReplAction(state, limits, rng),
    legalActions: (state) => legalReplActions(state, limits),
    step: (state, action) => replStep(state, action, limits),
    isSolved: (state) => replSolved(state, limits),
    isTerminal: (state) => replTerminal(state, limits),
    score: bestIoU,
    stateKey: replStateKey,
    program: (state) => bestObject(state)?.program ?? null,
    print: printProgram,
    parse: parseProgram,
    describe: (state) => ({
      ...(state.steps === 0 ? { spec: specFromVoxels(state.spec).runs } : {}),
      steps: state.steps,
      objects: state.objects.map((o) => ({
        program: programOneLine(o.program),
        voxels: countOn(o.voxels),
        iou: round(o.iou),
      })),
    }),
  };
}
