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
import { csgDomainParams, csgLimits, csgProgramOneLine, csgSampleTask, roundIoU } from '../../csg/domain.js';
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

export const csg3dParams: readonly ParamSpec[] = csgDomainParams({
  maxObjects: 4,
  solveIoU: 'IoU with the spec at which an object solves the task (paper: 0.9 to count)',
  maxShapes: 'most shapes per generated scene (paper: 13 in training, 20 in tests)',
  rate: {
    name: 'sphereRate',
    type: 'float',
    default: 0.15,
    min: 0,
    max: 1,
    description: 'fraction of generated shapes that are spheres (the rest: half cylinders, half cuboids)',
  },
});

export type Csg3dDomain = Domain<Csg3dSpec, Csg3dState, Csg3dAction, Program> & {
  readonly limits: ReplLimits;
};

/** One-line program text for JSON descriptions: statements joined by "; ". */
export function programOneLine(p: Program): string {
  return csgProgramOneLine(printProgram, p);
}

export function createCsg3dDomain(given: Readonly<Record<string, ParamValue>> = {}): Csg3dDomain {
  const params = resolveParams(csg3dParams, given);
  const limits = csgLimits(params);
  const sampleTask: (rng: Rng, options?: TaskOptions) => Task<Csg3dSpec, Csg3dAction> = csgSampleTask(
    'csg3d',
    limits,
    params.maxShapes as number,
    (rng, o) => generateScene(rng, { ...o, sphereRate: params.sphereRate as number }),
    traceFor,
    (program) => specFromVoxels(renderProgram(program)),
  );

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
        iou: roundIoU(o.iou),
      })),
    }),
  };
}
