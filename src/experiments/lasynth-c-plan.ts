/**
 * The settings of `experiment lasynth-c` (lasynth-c.ts): its own options, their defaults for a full
 * run and for --quick, and where each piece of work lives (checkpoints, snapshots, test tasks).
 */
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/index.js';
import type { ExperimentSettings } from './experiment.js';
import { LASYNTH_C_VARIANTS, type LaSynthCVariant } from './lasynth-c-report.js';

export const ID = 'lasynth-c';

/** The run's resolved settings. */
export interface LaSynthCPlan {
  readonly quick: boolean;
  readonly out: string;
  readonly root: string;
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
  readonly seed: number;
  readonly threads: number | null;
  /** Variants trained at once, each in its own process (1: in this process, one after another). */
  readonly trainJobs: number;
  /** Held-out pairs of each training's validation accuracy (null: the model's default). */
  readonly validation: number | null;
  /** Network sizes passed to `train` (absent: the model's default). */
  readonly sizes: Readonly<Record<string, number>>;
  /** A given task file, or null: generated (`data minic --test N --seed`). */
  readonly tasksFile: string | null;
  readonly test: number;
  readonly timeoutS: number;
  readonly nodes: number | null;
  readonly decode: string | null;
  readonly fractions: readonly number[];
  /** Test tasks of the Fig. 7a points (null: all). */
  readonly curveTasks: number | null;
  readonly rounds: number;
  /** The methods of the variants this run trains and evaluates (all by default). */
  readonly variants: readonly string[];
  readonly retrain: readonly string[];
  readonly retrainTasks: number;
  readonly roundEpochs: number;
}

const FULL = {
  steps: 15_625, // 500k programs at batch 32: the paper's training-set size
  batch: 32,
  lr: 0.002,
  test: 1000,
  timeoutS: 10,
  fractions: [0.25, 0.5, 0.75, 1],
  curveTasks: 300,
  rounds: 2,
  retrainTasks: 1000,
  roundEpochs: 1,
};
const QUICK = {
  steps: 4,
  batch: 2,
  lr: 0.002,
  test: 3,
  timeoutS: 60,
  nodes: 40,
  // One snapshot: every training segment is a training-graph compilation (seconds each).
  fractions: [1],
  rounds: 1,
  retrainTasks: 100,
  roundEpochs: 1,
  threads: 1,
  // Generating the model's 256 validation programs costs about as much as a training graph compilation.
  validation: 16,
  sizes: { hidden: 8, embed: 4, attention: 4, 'train-tokens': 16 },
};

export const LASYNTH_C_OPTIONS = [
  {
    flags: '--tasks <file>',
    description: 'test tasks (JSONL; default: generated with data minic, --test N)',
  },
  { flags: '--test <n>', description: `generated test tasks (default ${FULL.test})` },
  { flags: '--steps <n>', description: `training steps of every variant (default ${FULL.steps})` },
  { flags: '--batch <n>', description: `programs per training step (default ${FULL.batch})` },
  { flags: '--lr <x>', description: `Adam learning rate (default ${FULL.lr})` },
  {
    flags: '--checkpoints <dir>',
    description: 'root of the checkpoint folders (default checkpoints/lasynth-c)',
  },
  {
    flags: '--threads <n>',
    description: 'ONNX Runtime threads of each training (default: the cores shared among --train-jobs)',
  },
  {
    flags: '--train-jobs <n>',
    description: 'variants trained at once, each in its own process (default 1)',
  },
  { flags: '--hidden <n>', description: 'LSTM width of every variant (default: the models’ own)' },
  {
    flags: '--train-tokens <n>',
    description: 'teacher-forced tokens per program (default: the models’ own)',
  },
  {
    flags: '--fractions <list>',
    description: 'snapshots for Fig. 7a, as fractions of the steps (default 0.25,0.5,0.75,1)',
  },
  {
    flags: '--curve-tasks <n>',
    description: `test tasks of the Fig. 7a points (default ${FULL.curveTasks})`,
  },
  { flags: '--rounds <k>', description: `iterative retraining rounds, 0 = none (default ${FULL.rounds})` },
  { flags: '--retrain <methods>', description: 'the methods retrained (default lasynth)' },
  {
    flags: '--variants <methods>',
    description:
      'the variants this run trains and evaluates, as methods (default all); a later run with more finishes the rest',
  },
  {
    flags: '--retrain-tasks <n>',
    description: `training specs decoded per round (default ${FULL.retrainTasks})`,
  },
  { flags: '--round-epochs <x>', description: 'epochs over the relabelled specs per round (default 1)' },
  {
    flags: '--status',
    description: 'print what is trained and evaluated so far, and exit (runs and changes nothing)',
  },
  { flags: '--decode <d>', description: 'decoding of every method in eval (default: eval’s, sample)' },
] as const;

function int(flag: string, v: unknown, min: number): number {
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim()) || n < min)
    throw new UserError(`${flag}: expected a whole number ≥ ${min}, got '${String(v)}'`, 2);
  return n;
}

function real(flag: string, v: unknown, min: number): number {
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n <= min)
    throw new UserError(`${flag}: expected a number above ${min}, got '${String(v)}'`, 2);
  return n;
}

/** The settings of a run from the command line (`o`: commander's attribute names). */
export function lasynthCPlan(
  o: Readonly<Record<string, unknown>>,
  s: ExperimentSettings,
  out: string,
): LaSynthCPlan {
  const q = s.quick;
  const d = q ? QUICK : FULL;
  const opt = <T>(k: string, parse: (v: unknown) => T, dflt: T): T =>
    o[k] === undefined ? dflt : parse(o[k]);
  if (s.items !== undefined)
    throw new UserError(`experiment ${ID}: give --test N (or --tasks FILE), not --items`, 2);
  const fractions = opt(
    'fractions',
    (v) =>
      String(v)
        .split(',')
        .map((x) => {
          const f = Number(x);
          if (!(f > 0 && f <= 1)) throw new UserError(`--fractions: '${x}' is not a fraction in (0, 1]`, 2);
          return f;
        }),
    d.fractions,
  );
  const methods = (flag: string) => (v: unknown) => {
    const list = [...new Set(String(v).split(',').filter(Boolean))];
    for (const m of list)
      if (!LASYNTH_C_VARIANTS.some((x) => x.method === m))
        throw new UserError(
          `${flag}: '${m}' is not a method of this experiment (${LASYNTH_C_VARIANTS.map((x) => x.method).join(', ')})`,
          2,
        );
    if (list.length === 0) throw new UserError(`${flag}: give at least one method`, 2);
    return list;
  };
  const retrain = opt('retrain', methods('--retrain'), ['lasynth']);
  const variants = opt(
    'variants',
    methods('--variants'),
    LASYNTH_C_VARIANTS.map((x) => x.method),
  );
  const sizes: Record<string, number> = { ...(q ? QUICK.sizes : {}) };
  if (o.hidden !== undefined) sizes.hidden = int('--hidden', o.hidden, 1);
  if (o.trainTokens !== undefined) sizes['train-tokens'] = int('--train-tokens', o.trainTokens, 2);
  const nodes = s.nodes ?? (q ? QUICK.nodes : null);
  const trainJobs = opt('trainJobs', (v) => int('--train-jobs', v, 1), 1);
  // Two 1-thread trainings do more steps per second on two cores than one 2-thread training.
  const threads = opt(
    'threads',
    (v) => int('--threads', v, 1),
    q ? QUICK.threads : trainJobs > 1 ? Math.max(1, Math.floor(cpus().length / trainJobs)) : null,
  );
  const tasksFile = opt('tasks', String, null);
  if (tasksFile !== null && !(existsSync(tasksFile) && statSync(tasksFile).isFile()))
    throw new UserError(`--tasks ${tasksFile}: no such file`, 2);
  return {
    quick: q,
    out,
    root: opt('checkpoints', String, q ? join(out, 'checkpoints') : join('checkpoints', ID)),
    steps: opt('steps', (v) => int('--steps', v, 1), d.steps),
    batch: opt('batch', (v) => int('--batch', v, 1), d.batch),
    lr: opt('lr', (v) => real('--lr', v, 0), d.lr),
    seed: s.seed,
    threads,
    trainJobs,
    validation: q ? QUICK.validation : null,
    sizes,
    tasksFile,
    test: opt('test', (v) => int('--test', v, 1), d.test),
    timeoutS: s.timeoutS ?? d.timeoutS,
    nodes,
    decode: opt('decode', String, null),
    fractions: [...new Set(fractions)].sort((a, b) => a - b),
    curveTasks: opt('curveTasks', (v) => int('--curve-tasks', v, 1), q ? null : FULL.curveTasks),
    rounds: opt('rounds', (v) => int('--rounds', v, 0), d.rounds),
    variants,
    // Only variants of this run are retrained in it.
    retrain: retrain.filter((m) => variants.includes(m)),
    retrainTasks: opt('retrainTasks', (v) => int('--retrain-tasks', v, 1), d.retrainTasks),
    roundEpochs: opt('roundEpochs', (v) => real('--round-epochs', v, 0), d.roundEpochs),
  };
}

/** The step counts snapshotted: each fraction of the steps (rounded up), the last being all of them. */
export function snapshotSteps(p: Pick<LaSynthCPlan, 'steps' | 'fractions'>): number[] {
  return [...new Set([...p.fractions.map((f) => Math.max(1, Math.ceil(f * p.steps))), p.steps])].sort(
    (a, b) => a - b,
  );
}

export const checkpointDir = (p: LaSynthCPlan, v: LaSynthCVariant): string => join(p.root, v.model);
export const snapshotDir = (p: LaSynthCPlan, v: LaSynthCVariant, kind: 'step' | 'round', n: number): string =>
  join(p.root, 'snapshots', v.model, `${kind}-${n}`);
export const testFile = (p: LaSynthCPlan): string => p.tasksFile ?? join(p.out, 'tasks', 'test.jsonl');
export const retrainData = (p: LaSynthCPlan): string => join(p.root, 'retrain-data');
