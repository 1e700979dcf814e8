/**
 * The 2D CAD policy/value network as a registered model: imitation on generated scenes (≤ maxShapes,
 * paper: 13), then RL where a rollout succeeds when its best object has IoU > 0.95 and is no longer
 * than the ground truth (paper). The learner is imported only when training.
 */
import type { ModelDefinition, Task } from '../../core/index.js';
import {
  bestObject,
  createCsg2dDomain,
  lineCount,
  type Csg2dAction,
  type Csg2dDomain,
  type Csg2dSpec,
  type Csg2dState,
} from '../../domains/csg2d/index.js';
import { uniformCsg2dEvaluator } from './evaluator.js';
import { PIECE_FILES, loadCsg2dModel, readCsg2dConfig } from './store.js';

/** RL success (paper): IoU > 0.95 and no more lines than the ground-truth program. */
export function cadSuccess(state: Csg2dState, task: Task<Csg2dSpec, Csg2dAction>): boolean {
  const best = bestObject(state);
  return best !== null && best.iou > 0.95 && lineCount(best.program) <= task.trace.length;
}

export const csg2dModel: ModelDefinition = {
  id: 'csg2d',
  aliases: ['cad2d'],
  problem: 'csg2d',
  formulation: 'csg2d',
  description: '2D CAD policy/value network (per-object CNN encoder, factorised line policy, value head)',
  shipped: 'csg2d',
  files: ['config.json', ...Object.values(PIECE_FILES)],
  load: (files, o) => loadCsg2dModel(files, o.threads),
  uniform: (domain) => uniformCsg2dEvaluator(domain as Csg2dDomain) as never,
  trainer: {
    description: 'train the 2D CAD policy/value network (resumes from the checkpoint folder)',
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
      const { Csg2dLearner } = await import('./learner.js');
      const cfg = s.resume ? await readCsg2dConfig(s.checkpoint) : null;
      const learner = cfg
        ? await Csg2dLearner.resume(
            createCsg2dDomain(cfg.domainParams),
            s.checkpoint.location,
            cfg,
            s.threads,
          )
        : await Csg2dLearner.create(
            createCsg2dDomain({ maxShapes: o.maxShapes as number }),
            {},
            { lr: s.lr, seed: s.seed, threads: s.threads },
          );
      return { learner, domain: learner.domain };
    },
    imitation: { validationSize: 256, validateEvery: 100, checkpointEvery: 200 },
    reinforce: (o) => ({
      tasksPerIteration: o.tasksPerIteration as number,
      rolloutsPerTask: o.rollouts as number,
      // Successes (IoU > 0.95, no longer than the truth) are rare for a young policy: the value also
      // learns the best IoU a rollout reaches. A rollout longer than twice the truth cannot succeed.
      valueTargets: 'best-score',
      rolloutDepth: (task: Task<unknown, unknown>) => 2 * task.trace.length,
    }),
    success: cadSuccess as never,
    // The optimizer state is small here (≈ 4 MB), so the shipped folder is also a resumable checkpoint.
    shipFiles: ['config.json', ...Object.values(PIECE_FILES), 'training-state.json', 'training-state.bin'],
    // Checked: float16 storage keeps top-1 agreement at 100 % (scripts/check-fp16.ts).
    shipFloat16: true,
  },
};
