/**
 * The csg2d Domain: wires the DSL, REPL, generator and features into the core contract. Parameters
 * are declared once in `csg2dParams` and resolved by `createCsg2dDomain`.
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
import { actionKey, actionName, actionSpaceSize, type Csg2dAction } from './actions.js';
import { parseProgram, printProgram, type Program } from './dsl.js';
import { csg2dFeatures } from './features.js';
import { generateScene, traceFor } from './generator.js';
import { countOn } from './raster.js';
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
  type Csg2dState,
  type ReplLimits,
} from './repl.js';
import { rasterFromSpec, specFromRaster, type Csg2dSpec, type HexSpec } from './spec.js';

export const csg2dParams: readonly ParamSpec[] = [
  {
    name: 'maxObjects',
    type: 'int',
    default: 6,
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
    description: 'IoU with the spec at which an object solves the task (paper: 0.9 to count, 0.95 in RL)',
  },
  {
    name: 'maxShapes',
    type: 'int',
    default: 13,
    min: 1,
    max: 60,
    description: 'most shapes per generated scene (training)',
  },
  {
    name: 'triangleRate',
    type: 'float',
    default: 0.1,
    min: 0,
    max: 1,
    description: 'fraction of generated shapes that are triangles',
  },
];

export type Csg2dDomain = Domain<Csg2dSpec, Csg2dState, Csg2dAction, Program> & {
  readonly limits: ReplLimits;
};

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** One-line program text for JSON descriptions: statements joined by "; ". */
export function programOneLine(p: Program): string {
  return printProgram(p).split('\n').join('; ');
}

export function createCsg2dDomain(given: Readonly<Record<string, ParamValue>> = {}): Csg2dDomain {
  const params = resolveParams(csg2dParams, given);
  const limits: ReplLimits = {
    maxObjects: params.maxObjects as number,
    maxDepth: params.maxDepth as number,
    solveIoU: params.solveIoU as number,
  };

  const sampleTask = (rng: Rng, options: TaskOptions = {}): Task<HexSpec, Csg2dAction> => {
    const maxShapes = options.maxSize ?? (params.maxShapes as number);
    const minShapes = Number(options.extra?.minShapes ?? 1);
    for (let attempt = 0; attempt < 1000; attempt++) {
      const scene = generateScene(rng, { maxShapes, minShapes, triangleRate: params.triangleRate as number });
      const { trace, maxScope } = traceFor(scene.program);
      // Rare scenes that need more scope or lines than this instance allows are redrawn.
      if (maxScope > limits.maxObjects || trace.length > limits.maxDepth) continue;
      return {
        spec: specFromRaster(renderProgram(scene.program)),
        trace,
        name: `scene of ${scene.steps.length} shapes`,
      };
    }
    throw new Error(`csg2d: no scene with ≤ ${maxShapes} shapes fits maxObjects/maxDepth`);
  };

  return {
    id: 'csg2d',
    params,
    limits,
    maxDepth: limits.maxDepth,
    features: csg2dFeatures(limits.maxObjects),
    actionSpace: {
      size: actionSpaceSize(limits.maxObjects),
      flat: false,
      name: actionName,
      key: actionKey,
    },
    sampleTask,
    initialState: (spec) => initialReplState(rasterFromSpec(spec)),
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
      ...(state.steps === 0 ? { spec: specFromRaster(state.spec).rows } : {}),
      steps: state.steps,
      objects: state.objects.map((o) => ({
        program: programOneLine(o.program),
        pixels: countOn(o.raster),
        iou: round(o.iou),
      })),
    }),
  };
}
