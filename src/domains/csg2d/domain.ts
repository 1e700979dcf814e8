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
import { csgDomainParams, csgLimits, csgProgramOneLine, csgSampleTask, roundIoU } from '../../csg/domain.js';
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

export const csg2dParams: readonly ParamSpec[] = csgDomainParams({
  maxObjects: 6,
  solveIoU: 'IoU with the spec at which an object solves the task (paper: 0.9 to count, 0.95 in RL)',
  maxShapes: 'most shapes per generated scene (training)',
  rate: {
    name: 'triangleRate',
    type: 'float',
    default: 0.1,
    min: 0,
    max: 1,
    description: 'fraction of generated shapes that are triangles',
  },
});

export type Csg2dDomain = Domain<Csg2dSpec, Csg2dState, Csg2dAction, Program> & {
  readonly limits: ReplLimits;
};

/** One-line program text for JSON descriptions: statements joined by "; ". */
export function programOneLine(p: Program): string {
  return csgProgramOneLine(printProgram, p);
}

export function createCsg2dDomain(given: Readonly<Record<string, ParamValue>> = {}): Csg2dDomain {
  const params = resolveParams(csg2dParams, given);
  const limits = csgLimits(params);
  const sampleTask: (rng: Rng, options?: TaskOptions) => Task<HexSpec, Csg2dAction> = csgSampleTask(
    'csg2d',
    limits,
    params.maxShapes as number,
    (rng, o) => generateScene(rng, { ...o, triangleRate: params.triangleRate as number }),
    traceFor,
    (program) => specFromRaster(renderProgram(program)),
  );

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
        iou: roundIoU(o.iou),
      })),
    }),
  };
}
