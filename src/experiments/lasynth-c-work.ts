/**
 * The work of `experiment lasynth-c` (lasynth-c.ts), each piece through an ordinary command of the
 * program: test and retraining tasks (`data minic`), a training segment of a variant up to a snapshot
 * (`train <model> --phase imitation`, resumed from its checkpoint folder), an iterative retraining
 * round (`lasynth --iterative_retraining_prog_gen`, one round from the previous snapshot). Each is kept
 * when finished (snapshot folders are renamed into place whole), and a stopped one is a UserError with
 * exit code 130.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/index.js';
import type { ExperimentRunContext } from './experiment.js';
import { duration, type LaSynthCVariant } from './lasynth-c-report.js';
import {
  ID,
  checkpointDir,
  retrainData,
  snapshotDir,
  snapshotSteps,
  testFile,
  type LaSynthCPlan,
} from './lasynth-c-plan.js';

/** The record of a checkpoint folder's training by this experiment (settings and timed segments). */
const RECORD = 'lasynth-c.json';
/** The record of a retraining round, in its snapshot. */
export const ROUND_RECORD = 'lasynth-c-round.json';

export function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new UserError(`${file}: not readable JSON (${e instanceof Error ? e.message : String(e)})`, 2);
  }
}

/** The training step a checkpoint folder holds (0: none yet). */
export function checkpointStep(dir: string): number {
  const f = join(dir, 'training-state.json');
  if (!existsSync(f)) return 0;
  const step = readJson<{ step?: unknown }>(f).step;
  if (typeof step !== 'number') throw new UserError(`${f}: field 'step': expected a number`, 2);
  return step;
}

/**
 * The files of a checkpoint folder that only training reads: weights, optimizer state and the state's
 * record (evaluation reads the inference graphs).
 */
const TRAINING_FILES = ['model.onnx', 'training-state.bin', 'training-state.json'];

/**
 * Puts a snapshot in the form a model ships in (`train --ship`): its inference graphs with float16
 * weights, and without the training state unless a retraining round trains from it (`keepTraining`).
 * Every evaluation of the run reads such a folder, so every variant is measured in the same precision,
 * the one users get. A 10,000-step LaSynth snapshot shrinks from 12 MB to about 1.5 MB. Each file is
 * replaced atomically.
 */
function compactSnapshot(ctx: ExperimentRunContext, dir: string, keepTraining: boolean): void {
  ctx.float16Graphs(dir);
  if (!keepTraining) for (const f of TRAINING_FILES) rmSync(join(dir, f), { force: true });
}

/**
 * Copies a model folder (its files) to dest through a temporary folder and a rename, compacted as a
 * snapshot (compactSnapshot) before the rename.
 */
function snapshotFolder(ctx: ExperimentRunContext, from: string, dest: string, keepTraining: boolean): void {
  const tmp = `${dest}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(dest, '..'), { recursive: true });
  cpSync(from, tmp, { recursive: true });
  compactSnapshot(ctx, tmp, keepTraining);
  renameSync(tmp, dest);
}

/** Does a retraining round start from this training snapshot (the last one of a retrained variant)? */
const retrainedFrom = (p: LaSynthCPlan, v: LaSynthCVariant, step: number): boolean =>
  step === p.steps && p.rounds > 0 && p.retrain.includes(v.method);

/** Does a folder hold a whole checkpoint (every one of TRAINING_FILES)? */
const trainable = (dir: string): boolean => TRAINING_FILES.every((f) => existsSync(join(dir, f)));

export interface TrainRecord {
  readonly experiment: string;
  readonly model: string;
  readonly batch: number;
  readonly lr: number;
  readonly seed: number;
  readonly sizes: Readonly<Record<string, number>>;
  /** Timed training segments; `parallel`: trainings of the run going at once (absent: 1). */
  readonly segments: { from: number; to: number; seconds: number; parallel?: number }[];
}

/** The training record of a variant's folder, made or checked against this run's settings. */
export function trainRecord(p: LaSynthCPlan, v: LaSynthCVariant): TrainRecord {
  const dir = checkpointDir(p, v);
  const file = join(dir, RECORD);
  const want: TrainRecord = {
    experiment: ID,
    model: v.model,
    batch: p.batch,
    lr: p.lr,
    seed: p.seed,
    sizes: p.sizes,
    segments: [],
  };
  if (!existsSync(file)) {
    if (checkpointStep(dir) > 0)
      throw new UserError(
        `${dir}: holds a checkpoint this experiment did not make (no ${RECORD}); give another --checkpoints`,
        2,
      );
    return want;
  }
  const have = readJson<TrainRecord>(file);
  for (const k of ['model', 'batch', 'lr', 'seed', 'sizes'] as const)
    if (JSON.stringify(have[k]) !== JSON.stringify(want[k]))
      throw new UserError(
        `${file}: field '${k}' is ${JSON.stringify(have[k])} but this run asks for ${JSON.stringify(want[k])}: train with the same settings, or give another --checkpoints`,
        2,
      );
  return { ...have, segments: [...(have.segments ?? [])] };
}

/** Ctrl-C between the pieces of work: the running piece keeps its own handling; the run stops after it. */
export function interruptWatch(): { readonly requested: boolean; dispose(): void } {
  let at = 0;
  const onInt = (): void => {
    if (at && Date.now() - at > 1500) process.exit(130);
    at ||= Date.now();
  };
  process.on('SIGINT', onInt);
  return {
    get requested() {
      return at > 0;
    },
    dispose: () => void process.off('SIGINT', onInt),
  };
}

export const stopped = (what: string): UserError =>
  new UserError(`interrupted ${what}: the finished work is kept; run the same command again to go on`, 130);

/** Runs a command line in this process and fails with its message's exit code unless it succeeded. */
export async function cli(ctx: ExperimentRunContext, args: readonly string[]): Promise<void> {
  const code = await ctx.cli(args);
  if (code === 130) throw stopped(`in \`${args.slice(0, 2).join(' ')}\``);
  if (code !== 0)
    throw new UserError(
      `\`replsynth ${args.join(' ')}\` failed with exit code ${code}; its message is above`,
      code === 2 ? 2 : 3,
    );
}

function lineCount(file: string): number {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '').length;
}

/** The test tasks: the given file, or generated once into OUT/tasks (checked against --test and --seed). */
export async function testTasks(ctx: ExperimentRunContext, p: LaSynthCPlan, force: boolean): Promise<number> {
  if (p.tasksFile) return lineCount(p.tasksFile);
  const dir = join(p.out, 'tasks');
  await dataset(ctx, dir, { test: p.test }, p.seed, force);
  return lineCount(testFile(p));
}

/** A `data minic` folder of these split sizes and seed: made when missing, else checked. */
export async function dataset(
  ctx: ExperimentRunContext,
  dir: string,
  counts: { train?: number; test?: number },
  seed: number,
  force: boolean,
): Promise<void> {
  const stats = join(dir, 'stats.json');
  const want = { train: counts.train ?? 0, val: 0, test: counts.test ?? 0 };
  if (existsSync(stats) && !force) {
    const have = readJson<{ counts?: Record<string, number>; seed?: number }>(stats);
    if (have.seed !== seed || JSON.stringify(have.counts) !== JSON.stringify(want))
      throw new UserError(
        `${stats}: made with seed ${String(have.seed)} and counts ${JSON.stringify(have.counts)}, this run asks for seed ${seed} and ${JSON.stringify(want)}; pass --force to make it again`,
        2,
      );
    return;
  }
  mkdirSync(dir, { recursive: true });
  await cli(ctx, [
    'data',
    'minic',
    ...Object.entries(want).flatMap(([k, n]) => [`--${k}`, String(n)]),
    '--seed',
    String(seed),
    '--out',
    dir,
    ...(existsSync(stats) ? ['--force'] : []),
  ]);
}

/** Progress over the whole run: training steps left at the rate measured so far, evaluations' upper bound. */
export class Eta {
  private trainedSteps = 0;
  private trainedSeconds = 0;
  /** `parallel`: trainings running at once (the rate of one is measured; they share the wall time). */
  constructor(
    private trainLeft: number,
    private evalLeft: number,
    private readonly parallel = 1,
  ) {}
  trained(steps: number, seconds: number): void {
    this.trainedSteps += steps;
    this.trainedSeconds += seconds;
    this.trainLeft = Math.max(0, this.trainLeft - steps);
  }
  planned(steps: number): void {
    this.trainLeft = Math.max(0, this.trainLeft - steps);
  }
  evaluated(bound: number): void {
    this.evalLeft = Math.max(0, this.evalLeft - bound);
  }
  line(): string {
    const rate = this.trainedSteps ? this.trainedSeconds / this.trainedSteps : NaN;
    return `left: ${this.trainLeft} training steps (${this.trainedSteps ? `ETA ${duration((rate * this.trainLeft) / this.parallel)} at ${rate.toFixed(2)} s/step` : 'ETA ? until a first segment is timed'}), evaluations at most ${duration(this.evalLeft)}`;
  }
}

/** Runs f with stdout captured: its exit code and the last JSON object line it printed (the round report). */
async function captureJsonLine(f: () => Promise<number>): Promise<{ code: number; line: unknown }> {
  const write = process.stdout.write.bind(process.stdout);
  let line: unknown = null;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    for (const l of String(chunk).split('\n'))
      if (l.startsWith('{"round"'))
        try {
          line = JSON.parse(l);
        } catch {
          /* not the report */
        }
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    return { code: await f(), line };
  } finally {
    process.stdout.write = write;
  }
}

/** The `train` command line of a variant up to step `to` (the same for every variant but the model). */
function trainArgs(p: LaSynthCPlan, v: LaSynthCVariant, to: number): string[] {
  return [
    'train',
    v.model,
    '--phase',
    'imitation',
    '--steps',
    String(to),
    '--batch',
    String(p.batch),
    '--lr',
    String(p.lr),
    '--seed',
    String(p.seed),
    '--checkpoint',
    checkpointDir(p, v),
    ...(p.threads !== null ? ['--threads', String(p.threads)] : []),
    ...(p.validation !== null ? ['--validation', String(p.validation)] : []),
    ...Object.entries(p.sizes).flatMap(([f, x]) => [`--${f}`, String(x)]),
  ];
}

export interface WorkContext {
  readonly ctx: ExperimentRunContext;
  readonly p: LaSynthCPlan;
  readonly watch: { readonly requested: boolean };
  readonly eta: Eta;
  readonly log: (line: string) => void;
}

/**
 * Trains a variant through each snapshot step not yet snapshotted (resuming its checkpoint folder),
 * copying the checkpoint to the snapshot at each; returns its training record (timed segments).
 */
export async function trainVariant(w: WorkContext, v: LaSynthCVariant, label: string): Promise<TrainRecord> {
  const { ctx, p, eta } = w;
  const rec = trainRecord(p, v);
  const dir = checkpointDir(p, v);
  const snaps = snapshotSteps(p);
  for (const [i, s] of snaps.entries()) {
    const snap = snapshotDir(p, v, 'step', s);
    if (existsSync(snap)) {
      // A snapshot kept from an earlier run: its graphs to float16, its training state left (this
      // run's --retrain may differ from the one that made it, and that state may be the only copy).
      ctx.float16Graphs(snap);
      eta.planned(s - (snaps[i - 1] ?? 0));
      continue;
    }
    const from = checkpointStep(dir);
    if (from > s)
      throw new UserError(
        `${dir}: trained to step ${from}, past the snapshot at step ${s} this run needs (--steps ${p.steps}, --fractions ${p.fractions.join(',')}); give another --checkpoints`,
        2,
      );
    // Steps trained before this run (a resumed checkpoint) are not left to do.
    eta.planned(Math.max(0, from - (snaps[i - 1] ?? 0)));
    if (w.watch.requested) throw stopped('before a training segment');
    w.log(`train ${label} ${v.model}: step ${from} → ${s}; ${eta.line()}`);
    const t0 = performance.now();
    mkdirSync(dir, { recursive: true });
    const args = trainArgs(p, v, s);
    const code = await (p.trainJobs > 1 ? ctx.cliChild(args, v.model) : ctx.cli(args));
    const seconds = (performance.now() - t0) / 1000;
    const to = checkpointStep(dir);
    if (to > from) {
      rec.segments.push({ from, to, seconds, ...(p.trainJobs > 1 ? { parallel: p.trainJobs } : {}) });
      ctx.write(join(dir, RECORD), JSON.stringify(rec, null, 1) + '\n');
      eta.trained(to - from, seconds);
    }
    if (code !== 0 && code !== 130)
      throw new UserError(
        `training ${v.model} failed with exit code ${code}; its message is above`,
        code === 2 ? 2 : 3,
      );
    if (to < s) throw stopped(`while training ${v.model} (checkpoint at step ${to} of ${s})`);
    snapshotFolder(ctx, dir, snap, retrainedFrom(p, v, s));
  }
  return rec;
}

export interface RoundRecord {
  readonly round: number;
  /** The step it started from and reached. */
  readonly from: number;
  readonly step: number;
  /** Specs decoded, solved by the greedy program, targets replaced (the round's report line). */
  readonly tasks: number;
  readonly solved: number;
  readonly replaced: number;
  readonly seconds: number;
  readonly retrainTasks: number;
  readonly roundEpochs: number;
}

/**
 * The folder retraining round r trains from: the previous round's snapshot, or for round 1 the last
 * training snapshot, or its checkpoint folder (still at that step) when the snapshot was made without
 * the training state (the variant was not to be retrained then).
 */
function roundStart(p: LaSynthCPlan, v: LaSynthCVariant, r: number): string {
  if (r > 1) return snapshotDir(p, v, 'round', r - 1);
  const snap = snapshotDir(p, v, 'step', p.steps);
  if (trainable(snap)) return snap;
  const dir = checkpointDir(p, v);
  if (!trainable(dir) || checkpointStep(dir) !== p.steps)
    throw new UserError(
      `${snap}: holds no whole training state to retrain from (${TRAINING_FILES.join(', ')}), and ${dir} holds none at step ${p.steps}; give another --checkpoints`,
      2,
    );
  return dir;
}

/**
 * Retraining round r of a variant, from the previous round's snapshot (round 1: the last training
 * snapshot), in a work folder renamed to the round's snapshot when the round is complete; kept when
 * that snapshot exists. Returns the round's record.
 */
export async function retrainRound(w: WorkContext, v: LaSynthCVariant, r: number): Promise<RoundRecord> {
  const { ctx, p } = w;
  const dest = snapshotDir(p, v, 'round', r);
  if (existsSync(dest)) {
    const file = join(dest, ROUND_RECORD);
    const have = readJson<RoundRecord>(file);
    for (const k of ['retrainTasks', 'roundEpochs'] as const)
      if (have[k] !== p[k])
        throw new UserError(
          `${file}: field '${k}' is ${have[k]} but this run asks for ${p[k]}: retrain with the same settings, or give another --checkpoints`,
          2,
        );
    return have;
  }
  if (w.watch.requested) throw stopped('before a retraining round');
  const prev = roundStart(p, v, r);
  const work = `${dest}.training`;
  rmSync(work, { recursive: true, force: true });
  cpSync(prev, work, { recursive: true });
  rmSync(join(work, ROUND_RECORD), { force: true });
  const from = checkpointStep(work);
  w.log(`retrain ${v.method}: round ${r}/${p.rounds} from step ${from}; ${w.eta.line()}`);
  const t0 = performance.now();
  const { code, line } = await captureJsonLine(() =>
    ctx.cli([
      'lasynth',
      ...v.switches,
      '--iterative_retraining_prog_gen',
      '--data_folder',
      retrainData(p),
      '--model_dir',
      work,
      '--retrain_rounds',
      '1',
      '--retrain_tasks',
      String(p.retrainTasks),
      '--num_epochs',
      String(p.roundEpochs),
      '--batch_size',
      String(p.batch),
      '--lr',
      String(p.lr),
      '--seed',
      String(p.seed + r - 1),
      ...(p.threads !== null ? ['--threads', String(p.threads)] : []),
    ]),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (code === 130) throw stopped(`in retraining round ${r} of ${v.method}`);
  if (code !== 0 || !line)
    throw new UserError(
      `retraining ${v.method} failed with exit code ${code}; its message is above`,
      code === 2 ? 2 : 3,
    );
  const report = line as { tasks: number; solved: number; replaced: number; step: number };
  const want = from + Math.max(1, Math.ceil((p.roundEpochs * report.tasks) / p.batch));
  if (report.step < want)
    throw stopped(`in retraining round ${r} of ${v.method} (step ${report.step} of ${want})`);
  w.eta.trained(report.step - from, seconds);
  const rec: RoundRecord = {
    round: r,
    from,
    step: report.step,
    tasks: report.tasks,
    solved: report.solved,
    replaced: report.replaced,
    seconds,
    retrainTasks: p.retrainTasks,
    roundEpochs: p.roundEpochs,
  };
  ctx.write(join(work, ROUND_RECORD), JSON.stringify(rec, null, 1) + '\n');
  // The next round trains from this one, so only its graphs change.
  ctx.float16Graphs(work);
  renameSync(work, dest);
  return rec;
}
