/**
 * `replsynth train cad2d`: imitation on generated scenes (≤ --max-shapes shapes, paper: 13), then RL where
 * a rollout succeeds when its best object has IoU > 0.95 and is no longer than the ground truth (paper).
 * Resumes from --checkpoint when it holds a checkpoint; --ship copies the model into a shipping folder.
 */
import type { Command } from 'commander';
import type { Task } from '../core/index.js';
import {
  bestObject,
  createCsg2dDomain,
  lineCount,
  type Csg2dAction,
  type Csg2dDomain,
  type Csg2dState,
  type Csg2dSpec,
} from '../domains/csg2d/index.js';
import { Csg2dLearner, PIECE_FILES, readCsg2dConfig } from '../models/csg2d/index.js';
import { intOption } from './options.js';
import { registerTrainer, type CommonTrainOpts } from './train-common.js';

interface TrainCadOpts extends CommonTrainOpts {
  maxShapes: string;
  tasksPerIteration: string;
  rollouts: string;
}

/** RL success (paper): IoU > 0.95 and no more lines than the ground-truth program. */
export function cadSuccess(state: Csg2dState, task: Task<Csg2dSpec, Csg2dAction>): boolean {
  const best = bestObject(state);
  return best !== null && best.iou > 0.95 && lineCount(best.program) <= task.trace.length;
}

export function registerTrainCadCommand(trainCommand: Command): void {
  registerTrainer<TrainCadOpts, Csg2dSpec, Csg2dState, Csg2dAction, Csg2dDomain>(trainCommand, {
    name: 'cad2d',
    description: 'train the 2D CAD policy/value network (resumes from the checkpoint folder)',
    defaults: {
      iterations: '100',
      batch: '32',
      checkpoint: 'checkpoints/csg2d',
      models: 'models/csg2d',
      lrNote: ' (paper: 1e-3)',
    },
    options: (cmd) =>
      cmd
        .option('--max-shapes <n>', 'most shapes per training scene (paper: 13)', '13')
        .option('--tasks-per-iteration <n>', 'rl: scenes per iteration', '16')
        .option('--rollouts <n>', 'rl: rollouts per scene', '8'),
    async learner(o, s) {
      const cfg = s.resume ? readCsg2dConfig(o.checkpoint) : null;
      const learner = cfg
        ? await Csg2dLearner.resume(createCsg2dDomain(cfg.domainParams), o.checkpoint, cfg, s.threads)
        : await Csg2dLearner.create(
            createCsg2dDomain({ maxShapes: intOption('--max-shapes', o.maxShapes, 1, 60) }),
            {},
            { lr: s.lr, seed: s.seed, threads: s.threads },
          );
      return { learner, domain: learner.domain };
    },
    imitation: { validationSize: 256, validateEvery: 100, checkpointEvery: 200 },
    reinforce: (o) => ({
      tasksPerIteration: intOption('--tasks-per-iteration', o.tasksPerIteration, 1),
      rolloutsPerTask: intOption('--rollouts', o.rollouts, 1),
      // Successes (IoU > 0.95, no longer than the truth) are rare for a young policy: the value also
      // learns the best IoU a rollout reaches. A rollout longer than twice the truth cannot succeed.
      valueTargets: 'best-score',
      rolloutDepth: (task) => 2 * task.trace.length,
    }),
    success: cadSuccess,
    // The optimizer state is small here (≈ 4 MB), so the shipped folder is also a resumable checkpoint.
    shipFiles: [
      'model.onnx',
      'config.json',
      ...Object.values(PIECE_FILES),
      'training-state.json',
      'training-state.bin',
    ],
  });
}
