import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../core/index.js';
import { createStringsDomain, realisticInputTask, splitFamilyTask, type StringsDomain } from '../domains/strings/index.js';
import { StringsLearner, readStringsConfig } from '../models/strings/index.js';
import { trainImitation, trainReinforce, type TaskSource } from '../train/index.js';
import { intOption, numberOption } from './options.js';
import { shipModel, trainLogger } from './train-common.js';

interface TrainOpts {
  phase: string;
  steps: string;
  iterations: string;
  batch: string;
  lr: string;
  checkpoint: string;
  ship?: string;
  from?: string;
  rlPolicy: boolean;
  seconds: string;
  seed: string;
  threads?: string;
  dense?: string;
  growth?: string;
  tasks: string;
}

function taskSource(domain: StringsDomain, kind: string): TaskSource<never, number> {
  if (kind === 'random') return ((rng) => domain.sampleTask(rng)) as TaskSource<never, number>;
  // mixed: a third random programs on generated inputs (the paper's stream), a third random programs on
  // realistic rows, a third realistic tasks from the training half of the template split.
  if (kind === 'mixed')
    return ((rng) => {
      const u = rng.int(3);
      if (u === 1) return realisticInputTask(rng, domain) ?? domain.sampleTask(rng);
      if (u === 2) return splitFamilyTask(rng, domain, 'train');
      return domain.sampleTask(rng);
    }) as TaskSource<never, number>;
  throw new UserError(`--tasks: expected random or mixed, got '${kind}'`, 2);
}



/** `replsynth train strings`: imitation then RL; resumes from --checkpoint when it holds one. */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train the policy/value network of a domain (resumes from the checkpoint folder)')
    .argument('<domain>', 'domain to train (strings)')
    .option('--phase <phase>', 'imitation, rl, or both', 'both')
    .option('--steps <n>', 'imitation: train until this many total steps', '20000')
    .option('--iterations <n>', 'rl: iterations in this run', '200')
    .option('--batch <n>', 'states per training step', '256')
    .option('--lr <x>', 'Adam learning rate', '0.001')
    .option('--tasks <kind>', 'training tasks: random (DSL programs) or mixed (plus realistic families)', 'random')
    .option('--checkpoint <dir>', 'checkpoint folder (created, or resumed from)', 'checkpoints/strings')
    .option('--no-rl-policy', 'rl: train only the value (keep the imitation policy as it is)')
    .option('--from <dir>', 'when the checkpoint folder is empty, start from the weights of this model folder (e.g. models/strings)')
    .option('--ship <dir>', 'copy the final model into this folder (e.g. models/strings)')
    .option('--seconds <s>', 'stop each phase after this many seconds (a checkpoint is written)', 'Infinity')
    .option('--seed <n>', 'seed of the data stream and initial weights', '1')
    .option('--threads <n>', 'ONNX Runtime threads (default: all cores)')
    .option('--dense <n>', 'dense block layers (new models only)')
    .option('--growth <n>', 'dense block growth (new models only)')
    .action(async (domainId: string, o: TrainOpts) => {
      if (domainId !== 'strings') throw new UserError(`train: domain '${domainId}' has no trainer yet (have: strings)`, 2);
      if (!['imitation', 'rl', 'both'].includes(o.phase)) throw new UserError(`--phase: expected imitation, rl or both, got '${o.phase}'`, 2);
      const seconds = o.seconds === 'Infinity' ? Infinity : numberOption('--seconds', o.seconds, 0);
      const threads = o.threads ? intOption('--threads', o.threads, 1) : undefined;
      const resume = existsSync(join(o.checkpoint, 'training-state.json'));
      let learner: StringsLearner;
      if (resume) {
        const cfg = readStringsConfig(o.checkpoint);
        learner = await StringsLearner.resume(createStringsDomain(cfg.domainParams), o.checkpoint, cfg, threads);
        process.stderr.write(`resuming from ${o.checkpoint} at step ${learner.step}\n`);
      } else if (o.from) {
        const cfg = readStringsConfig(o.from);
        learner = await StringsLearner.warmStart(createStringsDomain(cfg.domainParams), o.from, cfg, {
          lr: numberOption('--lr', o.lr, 0),
          seed: intOption('--seed', o.seed),
          threads,
        });
        process.stderr.write(`starting from the weights in ${o.from} (step ${learner.step}; fresh optimizer state)\n`);
      } else {
        const net = {
          ...(o.dense ? { denseLayers: intOption('--dense', o.dense, 1) } : {}),
          ...(o.growth ? { growth: intOption('--growth', o.growth, 1) } : {}),
        };
        const seed = intOption('--seed', o.seed);
        learner = await StringsLearner.create(createStringsDomain(), net, { lr: numberOption('--lr', o.lr, 0), seed, threads });
      }
      const domain = learner.domain;
      const source = taskSource(domain, o.tasks);
      const log = trainLogger(o.checkpoint);
      const batchSize = intOption('--batch', o.batch, 1);
      if (o.phase !== 'rl') {
        await trainImitation(
          domain,
          learner,
          { steps: intOption('--steps', o.steps, 1), batchSize, checkpointDir: o.checkpoint, maxSeconds: seconds, seed: intOption('--seed', o.seed) },
          source,
          log,
        );
      }
      if (o.phase !== 'imitation') {
        await trainReinforce(
          domain,
          learner,
          { iterations: intOption('--iterations', o.iterations, 1), trainPolicy: o.rlPolicy, batchSize, checkpointDir: o.checkpoint, maxSeconds: seconds, seed: intOption('--seed', o.seed) + 1000 },
          source,
          log,
        );
      }
      if (o.ship) {
        shipModel(o.checkpoint, o.ship, ['model.onnx', 'config.json']);
        process.stderr.write(`shipped the model to ${o.ship}\n`);
      }
      await learner.dispose();
    });
}
