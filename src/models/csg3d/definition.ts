/**
 * The 3D CAD policy/value network as a registered model: imitation on generated scenes (≤ maxShapes,
 * paper: 13), then RL where a rollout succeeds when its best object has IoU > 0.95 and is no longer
 * than the ground truth (as the paper's 2D criterion). The learner is imported only when training.
 */
import type { ModelDefinition, Task } from '../../core/index.js';
import {
  bestObject,
  createCsg3dDomain,
  lineCount,
  type Csg3dAction,
  type Csg3dDomain,
  type Csg3dSpec,
  type Csg3dState,
} from '../../domains/csg3d/index.js';
import { uniformCsg3dEvaluator } from './evaluator.js';
import { PIECE_FILES, loadCsg3dModel, readCsg3dConfig } from './store.js';

/** RL success: IoU > 0.95 and no more lines than the ground-truth program. */
export function cad3dSuccess(state: Csg3dState, task: Task<Csg3dSpec, Csg3dAction>): boolean {
  const best = bestObject(state);
  return best !== null && best.iou > 0.95 && lineCount(best.program) <= task.trace.length;
}

export const csg3dModel: ModelDefinition = {
  id: 'csg3d',
  aliases: ['cad3d'],
  problem: 'csg3d',
  formulation: 'csg3d',
  description: '3D CAD policy/value network (per-object Conv3d encoder, factorised line policy, value head)',
  shipped: 'csg3d',
  files: ['config.json', ...Object.values(PIECE_FILES)],
  load: (files, o) => loadCsg3dModel(files, o.threads),
  uniform: (domain) => uniformCsg3dEvaluator(domain as Csg3dDomain) as never,
  trainer: {
    description: 'train the 3D CAD policy/value network (resumes from the checkpoint folder)',
    defaults: { iterations: 100, batch: 32, lrNote: ' (paper: 1e-3)' },
    params: [
      {
        name: 'maxShapes',
        type: 'int',
        default: 13,
        min: 1,
        max: 60,
        description: 'most shapes per training scene (paper: 13)',
      },
      {
        name: 'tasksPerIteration',
        type: 'int',
        default: 16,
        min: 1,
        description: 'rl: scenes per iteration',
      },
      { name: 'rollouts', type: 'int', default: 8, min: 1, description: 'rl: rollouts per scene' },
    ],
    async learner(o, s) {
      const { Csg3dLearner } = await import('./learner.js');
      const cfg = s.resume ? await readCsg3dConfig(s.checkpoint) : null;
      const learner = cfg
        ? await Csg3dLearner.resume(
            createCsg3dDomain(cfg.domainParams),
            s.checkpoint.location,
            cfg,
            s.threads,
            s.batchSize,
          )
        : await Csg3dLearner.create(
            createCsg3dDomain({ maxShapes: o.maxShapes as number }),
            {},
            { lr: s.lr, seed: s.seed, threads: s.threads },
            s.batchSize,
          );
      return { learner, domain: learner.domain };
    },
    imitation: { validationSize: 256, validateEvery: 100, checkpointEvery: 200 },
    reinforce: (o) => ({
      tasksPerIteration: o.tasksPerIteration as number,
      rolloutsPerTask: o.rollouts as number,
      // Successes are rare for a young policy: the value also learns the best IoU a rollout reaches.
      valueTargets: 'best-score',
      rolloutDepth: (task: Task<unknown, unknown>) => 2 * task.trace.length,
    }),
    success: cad3dSuccess as never,
    // The optimizer state is small (≈ 3 MB), so the shipped folder is also a resumable checkpoint.
    shipFiles: ['config.json', ...Object.values(PIECE_FILES), 'training-state.json', 'training-state.bin'],
    // Checked: float16 storage keeps top-1 agreement (bench/csg3d-fp16, see the model card).
    shipFloat16: true,
  },
};
