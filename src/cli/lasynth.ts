/**
 * `replsynth lasynth`: the LaSynth seed's command line (REFERENCE §2; seeds/lasynth-readme.txt). Its
 * switches pick one model of Table 4, as the seed README's sample usages do:
 *
 *   --latent_execution --operation_predictor --decoder_self_attention   → lasynth (LaSynth)
 *   … --no_partial_execution                                           → lasynth-no-partial-executor
 *   --operation_predictor --decoder_self_attention (no executor)       → lasynth-no-executor
 *   --latent_execution --decoder_self_attention                         → lasynth-no-op-predictor
 *   --latent_execution --operation_predictor                            → lasynth-no-self-attention
 *   (no switch)                                                         → robustfill-minic (RobustFill)
 *   --use_properties                                                    → propsig-minic (Property Signatures)
 *
 * Training (the default) runs the shared imitation trainer with checkpoints in --model_dir every
 * --log_interval steps (resumed when the folder holds one; --load_model warm-starts a new one); an
 * epoch is as many programs as the train split of --data_folder holds (a `replsynth data minic`
 * folder; 10,000 without one), drawn from the same generated training split every minic sequence
 * model trains on. `--eval` runs `eval minic` with the chosen method on --data_folder's test split (or
 * on generated test tasks), beam decoding of width --beam.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError, models, type ParamValue, type TrainSettings } from '../core/index.js';
import { checkWorkFolder, openFolder } from '../io/files.js';
import { trainImitation } from '../train/index.js';
import { intOption, numberOption } from './options.js';
import type { TokenDomainLike } from '../models/seq/codec.js';
import { datasetTasks, retrainRound } from './lasynth-retrain.js';
import { trainLogger } from './train.js';

export interface LaSynthSwitchFlags {
  readonly latentExecution?: boolean;
  readonly noPartialExecution?: boolean;
  readonly operationPredictor?: boolean;
  readonly decoderSelfAttention?: boolean;
  readonly useProperties?: boolean;
}

/** The model and method a set of switches selects (a UserError, exit 2, for a combination of none). */
export function selectLaSynthModel(f: LaSynthSwitchFlags): { model: string; method: string } {
  const on = (b?: boolean) => b === true;
  const [x, np, op, sa, pr] = [
    on(f.latentExecution),
    on(f.noPartialExecution),
    on(f.operationPredictor),
    on(f.decoderSelfAttention),
    on(f.useProperties),
  ];
  const pick = (model: string, method = model) => ({ model, method });
  if (pr) {
    if (x || np || op || sa)
      throw new UserError('--use_properties: the Property Signatures baseline takes no LaSynth switch', 2);
    return pick('propsig-minic', 'propsig');
  }
  if (np && !x) throw new UserError('--no_partial_execution: needs --latent_execution', 2);
  if (!x && !op && !sa) return pick('robustfill-minic', 'robustfill');
  if (x && op && sa) return pick(np ? 'lasynth-no-partial-executor' : 'lasynth');
  if (!np) {
    if (!x && op && sa) return pick('lasynth-no-executor');
    if (x && !op && sa) return pick('lasynth-no-op-predictor');
    if (x && op && !sa) return pick('lasynth-no-self-attention');
  }
  throw new UserError(
    'lasynth: no Table 4 model has these switches (LaSynth = --latent_execution --operation_predictor --decoder_self_attention; each ablation drops one, or adds --no_partial_execution)',
    2,
  );
}

interface LaSynthOpts extends LaSynthSwitchFlags {
  dataFolder?: string;
  modelDir?: string;
  loadModel?: string;
  eval?: boolean;
  numEpochs: string;
  logInterval: string;
  batchSize: string;
  lr: string;
  beam: string;
  timeout: string;
  seed: string;
  jobs: string;
  threads?: string;
  out?: string;
  iterativeRetrainingProgGen?: boolean;
  retrainRounds?: string;
  retrainTasks?: string;
}

function lines(file: string): number {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '').length;
}

/** A split file of --data_folder, or null without a folder (a named folder must hold it). */
function splitFile(o: LaSynthOpts, split: string): string | null {
  if (!o.dataFolder) return null;
  const f = join(o.dataFolder, `${split}.jsonl`);
  if (!existsSync(f))
    throw new UserError(
      `--data_folder ${o.dataFolder}: no ${split}.jsonl (make one with replsynth data minic)`,
      2,
    );
  return f;
}

/** The selected model's learner over --model_dir (resumed, or new from --load_model). */
async function selectedLearner(id: string, o: LaSynthOpts) {
  const def = models.get(id);
  const t = def?.trainer;
  if (!t) throw new UserError(`lasynth: the model ${id} has no trainer`, 2);
  const dir = o.modelDir ?? `checkpoints/${id}`;
  checkWorkFolder('--model_dir', dir);
  const batch = intOption('--batch_size', o.batchSize, 1);
  const values: Record<string, ParamValue> = Object.fromEntries(t.params.map((p) => [p.name, p.default]));
  if (o.loadModel) values.from = o.loadModel;
  const settings: TrainSettings = {
    seconds: Infinity,
    threads: o.threads ? intOption('--threads', o.threads, 1) : undefined,
    seed: intOption('--seed', o.seed),
    lr: numberOption('--lr', o.lr, 0),
    batchSize: batch,
    resume: existsSync(join(dir, 'training-state.json')),
    checkpoint: openFolder(dir),
  };
  const { learner, domain } = await t.learner(values, settings, openFolder);
  return { t, dir, batch, values, settings, learner, domain };
}

async function trainSelected(id: string, o: LaSynthOpts): Promise<void> {
  const logInterval = intOption('--log_interval', o.logInterval, 1);
  const epochs = numberOption('--num_epochs', o.numEpochs, 0);
  const train = splitFile(o, 'train');
  const { t, dir, batch, values, settings, learner, domain } = await selectedLearner(id, o);
  const perEpoch = train ? lines(train) : 10_000;
  const steps = Math.max(1, Math.ceil((epochs * perEpoch) / batch));
  process.stderr.write(
    `lasynth: training ${id} in ${dir} to step ${steps} (${epochs} epochs of ${perEpoch} programs, batch ${batch})${settings.resume ? `, resuming at step ${learner.step}` : ''}\n`,
  );
  await trainImitation(
    domain,
    learner,
    {
      ...t.imitation,
      validateEvery: logInterval,
      checkpointEvery: logInterval,
      batchSize: batch,
      checkpointDir: dir,
      steps,
      seed: settings.seed,
    },
    t.source?.(domain, values),
    trainLogger(dir),
  );
  await learner.dispose();
}

/** Iterative retraining rounds (lasynth-retrain.ts) on the train split; one JSON line per round. */
async function retrainSelected(id: string, o: LaSynthOpts): Promise<void> {
  const file = splitFile(o, 'train');
  if (!file) throw new UserError('--iterative_retraining_prog_gen: needs --data_folder (its train.jsonl)', 2);
  const rounds = intOption('--retrain_rounds', o.retrainRounds ?? '2', 1);
  const limit = intOption('--retrain_tasks', o.retrainTasks ?? '1000', 1);
  const epochs = numberOption('--num_epochs', o.numEpochs, 0);
  const { dir, batch, settings, learner } = await selectedLearner(id, o);
  const l = learner as unknown as Parameters<typeof retrainRound>[2] & {
    tokens: TokenDomainLike;
    config: { net: { steps: number } };
  };
  const maxSteps = l.config.net.steps;
  let tasks = datasetTasks(file, l.tokens, maxSteps).slice(0, limit);
  const steps = Math.max(1, Math.ceil((epochs * tasks.length) / batch));
  for (let r = 1; r <= rounds; r++) {
    const out = await retrainRound(r, tasks, l, {
      tokens: l.tokens,
      maxSteps,
      steps,
      batchSize: batch,
      seed: settings.seed,
      checkpointDir: dir,
      log: trainLogger(dir),
    });
    tasks = out.tasks;
    process.stdout.write(JSON.stringify(out.report) + '\n');
  }
  await learner.dispose();
}

/** The `eval minic` command line of --eval. */
export function lasynthEvalArgs(sel: { model: string; method: string }, o: LaSynthOpts): string[] {
  const model = o.loadModel ?? o.modelDir ?? `checkpoints/${sel.model}`;
  const test = splitFile(o, 'test');
  return [
    'eval',
    'minic',
    '--methods',
    sel.method,
    '--model',
    model,
    ...(test ? ['--tasks', test] : []),
    '--decode',
    'beam',
    '--width',
    String(intOption('--beam', o.beam, 1)),
    '--timeout',
    o.timeout,
    '--jobs',
    String(intOption('--jobs', o.jobs, 1)),
    '--seed',
    String(intOption('--seed', o.seed)),
    ...(o.out ? ['--out', o.out] : []),
  ];
}

/** Adds `replsynth lasynth`; `run(args)` runs another command line of the same program (for --eval). */
export function registerLaSynthCommand(parent: Command, run: (args: string[]) => Promise<void>): void {
  parent
    .command('lasynth')
    .description(
      "LaSynth's command line (seed README): train (default) or --eval one Table 4 model chosen by the switches",
    )
    .option(
      '--data_folder <dir>',
      'a `replsynth data minic` folder (train.jsonl sets the epoch, test.jsonl is evaluated)',
    )
    .option('--model_dir <dir>', 'checkpoint folder (default checkpoints/<model>)')
    .option('--load_model <dir>', 'training: warm start from this model folder; --eval: the model evaluated')
    .option('--eval', 'evaluate instead of training')
    .option('--num_epochs <n>', 'training epochs', '10')
    .option('--log_interval <n>', 'checkpoint and validate every n steps', '100')
    .option('--batch_size <n>', 'programs per training step', '32')
    .option('--lr <x>', 'Adam learning rate', '0.002')
    .option('--latent_execution', 'the latent executor (every 16 tokens and at the end)')
    .option('--no_partial_execution', 'the executor is trained but used only at the end (NoPartialExecutor)')
    .option('--operation_predictor', 'the operation predictor')
    .option('--decoder_self_attention', 'decoder self-attention over the emitted tokens')
    .option('--use_properties', 'the Property Signatures baseline')
    .option('--iterative_retraining_prog_gen', 'decode training programs for iterative retraining')
    .option('--retrain_rounds <n>', 'iterative retraining: rounds', '2')
    .option('--retrain_tasks <n>', 'iterative retraining: the first n programs of the train split', '1000')
    .option('--beam <n>', '--eval: beam width', '64')
    .option('--timeout <s>', '--eval: seconds per task', '10')
    .option('--seed <n>', 'seed', '1')
    .option('--jobs <n>', '--eval: tasks in parallel processes', '1')
    .option('--threads <n>', 'ONNX Runtime threads (training)')
    .option('--out <file>', '--eval: results JSON')
    .action(async (raw: Record<string, unknown>) => {
      // Commander keeps snake_case flags as they are: data_folder → dataFolder.
      const o = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
      ) as unknown as LaSynthOpts;
      const sel = selectLaSynthModel(o);
      if (o.iterativeRetrainingProgGen) {
        if (o.eval) throw new UserError('--iterative_retraining_prog_gen: not with --eval', 2);
        await retrainSelected(sel.model, o);
      } else if (o.eval) await run(lasynthEvalArgs(sel, o));
      else await trainSelected(sel.model, o);
    });
}
