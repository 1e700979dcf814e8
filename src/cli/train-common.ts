import { appendFileSync, copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError, type Domain, type Learner, type Task } from '../core/index.js';
import {
  trainImitation,
  trainReinforce,
  type ImitationOptions,
  type ReinforceOptions,
  type TaskSource,
  type TrainLogEntry,
} from '../train/index.js';
import { intOption, numberOption } from './options.js';

/** Appends each log entry to DIR/train-log.jsonl and echoes it on stderr. */
export function trainLogger(dir: string): (e: TrainLogEntry) => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'train-log.jsonl');
  return (e) => {
    appendFileSync(path, JSON.stringify(e) + '\n');
    process.stderr.write(
      `${Object.entries(e)
        .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
        .join(' ')}\n`,
    );
  };
}

/** Copies a checkpoint's model files (each atomically) and its training log into a shipping folder. */
export function shipModel(checkpoint: string, dest: string, files: readonly string[]): void {
  mkdirSync(dest, { recursive: true });
  for (const f of files) {
    copyFileSync(join(checkpoint, f), join(dest, `${f}.tmp`));
    renameSync(join(dest, `${f}.tmp`), join(dest, f));
  }
  if (existsSync(join(checkpoint, 'train-log.jsonl')))
    copyFileSync(join(checkpoint, 'train-log.jsonl'), join(dest, 'train-log.jsonl'));
  writeFileSync(join(dest, '.shipped-from'), `${checkpoint}\n`);
}

/** The options every `train <domain>` command has. */
export interface CommonTrainOpts {
  phase: string;
  steps: string;
  iterations: string;
  batch: string;
  lr: string;
  checkpoint: string;
  ship?: string;
  rlPolicy: boolean;
  seconds: string;
  seed: string;
  threads?: string;
}

/** The common options, parsed and checked. */
export interface TrainSettings {
  readonly seconds: number;
  readonly threads: number | undefined;
  readonly seed: number;
  readonly lr: number;
  readonly batchSize: number;
  readonly resume: boolean;
}

/** What a domain adds to the shared training command. */
export interface DomainTrainer<
  O extends CommonTrainOpts,
  Spec,
  State,
  Action,
  D extends Domain<Spec, State, Action, unknown>,
> {
  readonly name: string;
  readonly description: string;
  readonly defaults: {
    readonly iterations: string;
    readonly batch: string;
    readonly checkpoint: string;
    /** Where shipped weights live, for the --ship help. */
    readonly models: string;
    readonly lrNote?: string;
  };
  /** Domain-only options (declared after the shared ones). */
  options(cmd: Command): Command;
  /** A resumed, warm-started or new learner (with its domain). */
  learner(o: O, s: TrainSettings): Promise<{ learner: Learner<State, Action>; domain: D }>;
  source?(domain: D, o: O): TaskSource<Spec, Action>;
  imitation?: Partial<ImitationOptions>;
  reinforce?(o: O): Partial<ReinforceOptions>;
  success?: (state: State, task: Task<Spec, Action>) => boolean;
  /** Files of a checkpoint that make a shipped model. */
  readonly shipFiles: readonly string[];
}

/**
 * Registers `train <name>` under the `train` command: imitation then RL (or one phase), resumable from
 * --checkpoint, --ship to copy the result into a model folder. One definition for every domain.
 */
export function registerTrainer<
  O extends CommonTrainOpts,
  Spec,
  State,
  Action,
  D extends Domain<Spec, State, Action, unknown>,
>(parent: Command, t: DomainTrainer<O, Spec, State, Action, D>): void {
  const cmd = parent
    .command(t.name)
    .description(t.description)
    .option('--phase <phase>', 'imitation, rl, or both', 'both')
    .option('--steps <n>', 'imitation: train until this many total steps', '20000')
    .option('--iterations <n>', 'rl: iterations in this run', t.defaults.iterations)
    .option('--batch <n>', 'states per training step', t.defaults.batch)
    .option('--lr <x>', `Adam learning rate${t.defaults.lrNote ?? ''}`, '0.001')
    .option('--checkpoint <dir>', 'checkpoint folder (created, or resumed from)', t.defaults.checkpoint)
    .option('--no-rl-policy', 'rl: train only the value (keep the imitation policy as it is)')
    .option('--ship <dir>', `copy the final model into this folder (e.g. ${t.defaults.models})`)
    .option('--seconds <s>', 'stop each phase after this many seconds (a checkpoint is written)', 'Infinity')
    .option('--seed <n>', 'seed of the data stream and initial weights', '1')
    .option('--threads <n>', 'ONNX Runtime threads (default: all cores)');
  t.options(cmd).action(async (o: O) => {
    if (!['imitation', 'rl', 'both'].includes(o.phase))
      throw new UserError(`--phase: expected imitation, rl or both, got '${o.phase}'`, 2);
    const settings: TrainSettings = {
      seconds: o.seconds === 'Infinity' ? Infinity : numberOption('--seconds', o.seconds, 0),
      threads: o.threads ? intOption('--threads', o.threads, 1) : undefined,
      seed: intOption('--seed', o.seed),
      lr: numberOption('--lr', o.lr, 0),
      batchSize: intOption('--batch', o.batch, 1),
      resume: existsSync(join(o.checkpoint, 'training-state.json')),
    };
    const { learner, domain } = await t.learner(o, settings);
    if (settings.resume) process.stderr.write(`resuming from ${o.checkpoint} at step ${learner.step}\n`);
    const source = t.source?.(domain, o);
    const log = trainLogger(o.checkpoint);
    const common = {
      batchSize: settings.batchSize,
      checkpointDir: o.checkpoint,
      maxSeconds: settings.seconds,
    };
    if (o.phase !== 'rl')
      await trainImitation(
        domain,
        learner,
        { ...t.imitation, ...common, steps: intOption('--steps', o.steps, 1), seed: settings.seed },
        source,
        log,
      );
    if (o.phase !== 'imitation')
      await trainReinforce(
        domain,
        learner,
        {
          ...t.reinforce?.(o),
          ...common,
          iterations: intOption('--iterations', o.iterations, 1),
          trainPolicy: o.rlPolicy,
          seed: settings.seed + 1000,
        },
        source,
        log,
        t.success,
      );
    if (o.ship) {
      shipModel(o.checkpoint, o.ship, t.shipFiles);
      process.stderr.write(`shipped the model to ${o.ship}\n`);
    }
    await learner.dispose();
  });
}
