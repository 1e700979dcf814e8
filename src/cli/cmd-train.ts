import type { Command } from 'commander';
import { UserError } from '../core/index.js';
import {
  createStringsDomain,
  realisticInputTask,
  splitFamilyTask,
  type StringsDomain,
  type StringsSpec,
  type StringsState,
} from '../domains/strings/index.js';
import { StringsLearner, readStringsConfig } from '../models/strings/index.js';
import type { TaskSource } from '../train/index.js';
import { intOption } from './options.js';
import { registerTrainer, type CommonTrainOpts } from './train-common.js';

interface TrainOpts extends CommonTrainOpts {
  from?: string;
  dense?: string;
  growth?: string;
  tasks: string;
}

function taskSource(domain: StringsDomain, kind: string): TaskSource<StringsSpec, number> {
  if (kind === 'random') return (rng) => domain.sampleTask(rng);
  // mixed: a third random programs on generated inputs (the paper's stream), a third random programs on
  // realistic rows, a third realistic tasks from the training half of the template split.
  if (kind === 'mixed')
    return (rng) => {
      const u = rng.int(3);
      if (u === 1) return realisticInputTask(rng, domain) ?? domain.sampleTask(rng);
      if (u === 2) return splitFamilyTask(rng, domain, 'train');
      return domain.sampleTask(rng);
    };
  throw new UserError(`--tasks: expected random or mixed, got '${kind}'`, 2);
}

/** `replsynth train strings`: imitation then RL; resumes from --checkpoint when it holds one. */
export function registerTrainStringsCommand(trainCommand: Command): void {
  registerTrainer<TrainOpts, StringsSpec, StringsState, number, StringsDomain>(trainCommand, {
    name: 'strings',
    description: 'train the strings policy/value network (resumes from the checkpoint folder)',
    defaults: {
      iterations: '200',
      batch: '256',
      checkpoint: 'checkpoints/strings',
      models: 'models/strings',
    },
    options: (cmd) =>
      cmd
        .option(
          '--tasks <kind>',
          'training tasks: random (DSL programs) or mixed (plus realistic families)',
          'random',
        )
        .option(
          '--from <dir>',
          'when the checkpoint folder is empty, start from the weights of this model folder (e.g. models/strings)',
        )
        .option('--dense <n>', 'dense block layers (new models only)')
        .option('--growth <n>', 'dense block growth (new models only)'),
    async learner(o, s) {
      let learner: StringsLearner;
      if (s.resume) {
        const cfg = readStringsConfig(o.checkpoint);
        learner = await StringsLearner.resume(
          createStringsDomain(cfg.domainParams),
          o.checkpoint,
          cfg,
          s.threads,
        );
      } else if (o.from) {
        const cfg = readStringsConfig(o.from);
        learner = await StringsLearner.warmStart(createStringsDomain(cfg.domainParams), o.from, cfg, {
          lr: s.lr,
          seed: s.seed,
          threads: s.threads,
        });
        process.stderr.write(
          `starting from the weights in ${o.from} (step ${learner.step}; fresh optimizer state)\n`,
        );
      } else {
        const net = {
          ...(o.dense ? { denseLayers: intOption('--dense', o.dense, 1) } : {}),
          ...(o.growth ? { growth: intOption('--growth', o.growth, 1) } : {}),
        };
        learner = await StringsLearner.create(createStringsDomain(), net, {
          lr: s.lr,
          seed: s.seed,
          threads: s.threads,
        });
      }
      return { learner, domain: learner.domain };
    },
    source: (domain, o) => taskSource(domain, o.tasks),
    shipFiles: ['model.onnx', 'config.json'],
  });
}
