/**
 * `replsynth train-cad`: imitation on generated scenes (≤ --max-shapes shapes, paper: 13), then RL where
 * a rollout succeeds when its best object has IoU > 0.95 and is no longer than the ground truth (paper).
 * Resumes from --checkpoint when it holds a checkpoint; --ship copies the model into a shipping folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError, type Task } from '../core/index.js';
import { bestObject, createCsg2dDomain, lineCount, type Csg2dAction, type Csg2dState } from '../domains/csg2d/index.js';
import { Csg2dLearner, PIECE_FILES, readCsg2dConfig } from '../models/csg2d/index.js';
import { trainImitation, trainReinforce } from '../train/index.js';
import { intOption, numberOption } from './options.js';
import { shipModel, trainLogger } from './train-common.js';

interface TrainCadOpts {
  phase: string;
  steps: string;
  iterations: string;
  batch: string;
  lr: string;
  checkpoint: string;
  ship?: string;
  seconds: string;
  seed: string;
  threads?: string;
  maxShapes: string;
  tasksPerIteration: string;
  rollouts: string;
  rlPolicy: boolean;
}

/** RL success (paper): IoU > 0.95 and no more lines than the ground-truth program. */
export function cadSuccess(state: Csg2dState, task: Task<unknown, Csg2dAction>): boolean {
  const best = bestObject(state);
  return best !== null && best.iou > 0.95 && lineCount(best.program) <= task.trace.length;
}



export function registerTrainCadCommand(program: Command): void {
  program
    .command('train-cad')
    .description('train the 2D CAD policy/value network (resumes from the checkpoint folder)')
    .option('--phase <phase>', 'imitation, rl, or both', 'both')
    .option('--steps <n>', 'imitation: train until this many total steps', '20000')
    .option('--iterations <n>', 'rl: iterations in this run', '100')
    .option('--batch <n>', 'states per training step', '32')
    .option('--lr <x>', 'Adam learning rate (paper: 1e-3)', '0.001')
    .option('--max-shapes <n>', 'most shapes per training scene (paper: 13)', '13')
    .option('--tasks-per-iteration <n>', 'rl: scenes per iteration', '16')
    .option('--rollouts <n>', 'rl: rollouts per scene', '8')
    .option('--no-rl-policy', 'rl: train only the value (keep the imitation policy as it is)')
    .option('--checkpoint <dir>', 'checkpoint folder (created, or resumed from)', 'checkpoints/csg2d')
    .option('--ship <dir>', 'copy the final model into this folder (e.g. models/csg2d)')
    .option('--seconds <s>', 'stop each phase after this many seconds (a checkpoint is written)', 'Infinity')
    .option('--seed <n>', 'seed of the data stream and initial weights', '1')
    .option('--threads <n>', 'ONNX Runtime threads (default: all cores)')
    .action(async (o: TrainCadOpts) => {
      if (!['imitation', 'rl', 'both'].includes(o.phase)) throw new UserError(`--phase: expected imitation, rl or both, got '${o.phase}'`, 2);
      const seconds = o.seconds === 'Infinity' ? Infinity : numberOption('--seconds', o.seconds, 0);
      const threads = o.threads ? intOption('--threads', o.threads, 1) : undefined;
      const seed = intOption('--seed', o.seed);
      let learner: Csg2dLearner;
      if (existsSync(join(o.checkpoint, 'training-state.json'))) {
        const cfg = readCsg2dConfig(o.checkpoint);
        learner = await Csg2dLearner.resume(createCsg2dDomain(cfg.domainParams), o.checkpoint, cfg, threads);
        process.stderr.write(`resuming from ${o.checkpoint} at step ${learner.step}\n`);
      } else {
        const domain = createCsg2dDomain({ maxShapes: intOption('--max-shapes', o.maxShapes, 1, 60) });
        learner = await Csg2dLearner.create(domain, {}, { lr: numberOption('--lr', o.lr, 0), seed, threads });
      }
      const domain = learner.domain;
      const log = trainLogger(o.checkpoint);
      const batchSize = intOption('--batch', o.batch, 1);
      if (o.phase !== 'rl')
        await trainImitation(domain, learner, { steps: intOption('--steps', o.steps, 1), batchSize, validationSize: 256, validateEvery: 100, checkpointEvery: 200, checkpointDir: o.checkpoint, maxSeconds: seconds, seed }, undefined, log);
      if (o.phase !== 'imitation')
        await trainReinforce(
          domain,
          learner,
          {
            iterations: intOption('--iterations', o.iterations, 1),
            tasksPerIteration: intOption('--tasks-per-iteration', o.tasksPerIteration, 1),
            rolloutsPerTask: intOption('--rollouts', o.rollouts, 1),
            trainPolicy: o.rlPolicy,
            batchSize,
            checkpointDir: o.checkpoint,
            maxSeconds: seconds,
            seed: seed + 1000,
          },
          undefined,
          log,
          cadSuccess as (s: Csg2dState, t: Task<unknown, Csg2dAction>) => boolean,
        );
      if (o.ship) {
        shipModel(o.checkpoint, o.ship, ['model.onnx', 'config.json', ...Object.values(PIECE_FILES)]);
        process.stderr.write(`shipped the model to ${o.ship}\n`);
      }
      await learner.dispose();
    });
}
