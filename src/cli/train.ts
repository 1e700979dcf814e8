import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  UserError,
  checkpointError,
  type ModelCommand,
  type ModelDefinition,
  type ParamValue,
  type TrainerDefinition,
  type TrainSettings,
} from '../core/index.js';
import { checkFolderOutput, checkWorkFolder, openFolder, writeFolderAtomic } from '../io/files.js';
import { toFloat16Model } from '../nn/index.js';
import { trainImitation, trainReinforce, type TrainLogEntry } from '../train/index.js';
import { addParamOptions, intOption, numberOption, paramValues } from './options.js';

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

/** The model card of a model folder: it describes one set of weights, so it travels with them only. */
export const MODEL_CARD = 'MODEL_CARD.md';

/**
 * Writes a checkpoint's model files, its training log and its model card (if it has one) as a new
 * model folder: all through a temporary folder and one rename, so `dest` never holds a mix of two
 * models, and a card that described the old weights is not left beside the new ones.
 */
export function shipModel(
  checkpoint: string,
  dest: string,
  files: readonly string[],
  float16 = false,
): { readonly droppedCard: boolean } {
  const out = new Map<string, string | Uint8Array>();
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(join(checkpoint, f)));
    out.set(f, float16 && f.endsWith('.onnx') ? toFloat16Model(bytes).bytes : bytes);
  }
  for (const f of ['train-log.jsonl', MODEL_CARD])
    if (existsSync(join(checkpoint, f))) out.set(f, new Uint8Array(readFileSync(join(checkpoint, f))));
  out.set('.shipped-from', `${checkpoint}\n`);
  const droppedCard = !out.has(MODEL_CARD) && existsSync(join(dest, MODEL_CARD));
  writeFolderAtomic(dest, out);
  return { droppedCard };
}

/** The options every `train <model>` command has. */
interface TrainOpts {
  [k: string]: unknown;
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
  validation?: string;
  force?: boolean;
}

async function train(t: TrainerDefinition, o: TrainOpts): Promise<void> {
  if (!['imitation', 'rl', 'both'].includes(o.phase))
    throw new UserError(`--phase: expected imitation, rl or both, got '${o.phase}'`, 2);
  if (t.imitationOnly && o.phase === 'rl')
    throw new UserError(`--phase rl: this model trains by imitation only (it has no value head)`, 2);
  const values = paramValues(t.params, o) as Record<string, ParamValue>;
  // Checked before training, so an hour of training never ends in a refused or failed ship.
  checkWorkFolder('--checkpoint', o.checkpoint);
  checkFolderOutput('--ship', o.ship, o.force);
  if (o.ship && resolve(o.ship) === resolve(o.checkpoint))
    throw new UserError(`--ship ${o.ship} is the checkpoint folder; ship into another folder`, 2);
  const settings: TrainSettings = {
    seconds: o.seconds === 'Infinity' ? Infinity : numberOption('--seconds', o.seconds, 0),
    threads: o.threads ? intOption('--threads', o.threads, 1) : undefined,
    seed: intOption('--seed', o.seed),
    lr: numberOption('--lr', o.lr, 0),
    batchSize: intOption('--batch', o.batch, 1),
    resume: existsSync(join(o.checkpoint, 'training-state.json')),
    checkpoint: openFolder(o.checkpoint),
  };
  const steps = intOption('--steps', o.steps, 1);
  const validation =
    o.validation !== undefined ? { validationSize: intOption('--validation', o.validation, 1) } : {};
  const iterations = intOption('--iterations', o.iterations, 1);
  const { learner, domain } = await t.learner(values, settings, openFolder).catch((e: unknown) => {
    throw settings.resume ? checkpointError(o.checkpoint, e) : e;
  });
  if (settings.resume) process.stderr.write(`resuming from ${o.checkpoint} at step ${learner.step}\n`);
  else if (values.from)
    process.stderr.write(
      `starting from the weights in ${String(values.from)} (step ${learner.step}; fresh optimizer state)\n`,
    );
  const source = t.source?.(domain, values);
  const log = trainLogger(o.checkpoint);
  const common = { batchSize: settings.batchSize, checkpointDir: o.checkpoint, maxSeconds: settings.seconds };
  if (o.phase !== 'rl')
    await trainImitation(
      domain,
      learner,
      { ...t.imitation, ...validation, ...common, steps, seed: settings.seed },
      source,
      log,
    );
  if (o.phase !== 'imitation' && !t.imitationOnly)
    await trainReinforce(
      domain,
      learner,
      {
        ...t.reinforce?.(values),
        ...common,
        iterations,
        trainPolicy: o.rlPolicy,
        seed: settings.seed + 1000,
      },
      source,
      log,
      t.success,
    );
  if (o.ship) {
    const { droppedCard } = shipModel(o.checkpoint, o.ship, t.shipFiles, t.shipFloat16);
    process.stderr.write(`shipped the model to ${o.ship}\n`);
    if (droppedCard)
      process.stderr.write(
        `note: the ${MODEL_CARD} of the model that was in ${o.ship} described its weights, not these: it was not kept; write one for the new model\n`,
      );
  }
  await learner.dispose();
}

/**
 * Adds `train <model>`: imitation then RL (or one phase), resumable from --checkpoint, --ship to copy
 * the result into a model folder. One definition for every model; its own options come from its
 * declared params.
 */
export function registerTrain(parent: Command, def: ModelDefinition): void {
  const t = def.trainer;
  if (!t) return;
  const cmd = parent.command(def.id).description(t.description);
  for (const a of def.aliases ?? []) cmd.alias(a);
  cmd
    .option('--phase <phase>', 'imitation, rl, or both', 'both')
    .option('--steps <n>', 'imitation: train until this many total steps', '20000')
    .option('--iterations <n>', 'rl: iterations in this run', String(t.defaults.iterations))
    .option('--batch <n>', 'states per training step', String(t.defaults.batch))
    .option('--lr <x>', `Adam learning rate${t.defaults.lrNote ?? ''}`, '0.001')
    .option('--checkpoint <dir>', 'checkpoint folder (created, or resumed from)', `checkpoints/${def.id}`)
    .option('--no-rl-policy', 'rl: train only the value (keep the imitation policy as it is)')
    .option('--ship <dir>', `copy the final model into this folder (e.g. models/${def.shipped ?? def.id})`)
    .option('--seconds <s>', 'stop each phase after this many seconds (a checkpoint is written)', 'Infinity')
    .option('--seed <n>', 'seed of the data stream and initial weights', '1')
    .option('--threads <n>', 'ONNX Runtime threads (default: all cores)')
    .option(
      '--validation <n>',
      `imitation: held-out (state, action) pairs of the validation accuracy (default ${t.imitation?.validationSize ?? 1024})`,
    )
    .option('--force', 'replace an existing --ship folder');
  addParamOptions(cmd, t.params).action((o: TrainOpts) => train(t, o));
}

/** Adds a model's own command as `replsynth <name>`, its options from the declared params. */
export function registerModelCommand(parent: Command, c: ModelCommand): void {
  const cmd = parent.command(c.name).description(c.description);
  addParamOptions(cmd, c.params).action(async (o: Record<string, unknown>) => {
    const code = await c.run(paramValues(c.params, o) as Record<string, ParamValue>, {
      open: openFolder,
      print: (line) => process.stdout.write(line + '\n'),
    });
    if (code !== 0) process.exitCode = code;
  });
}
