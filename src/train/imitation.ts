import { Rng, replay, type Domain, type Task } from '../core/index.js';
import type { Learner, PolicyExample } from '../core/learner.js';
import { createProgress, interruptFlag } from './progress.js';

/** Where training tasks come from: by default the domain's own random-program generator. */
export type TaskSource<Spec, Action> = (rng: Rng) => Task<Spec, Action>;

export interface ImitationOptions {
  /** Train until the learner has taken this many steps in total (resume continues to it). */
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Held-out (state, action) pairs from a fixed stream, for next-action accuracy. */
  readonly validationSize: number;
  readonly validateEvery: number;
  readonly checkpointEvery: number;
  /** Where checkpoints go (null = never write). */
  readonly checkpointDir: string | null;
  /** Stop after this many seconds even if steps remain (a checkpoint is written). */
  readonly maxSeconds: number;
}

export const defaultImitationOptions: ImitationOptions = {
  steps: 1000,
  batchSize: 256,
  seed: 1,
  validationSize: 1024,
  validateEvery: 200,
  checkpointEvery: 500,
  checkpointDir: null,
  maxSeconds: Infinity,
};

export interface TrainLogEntry {
  readonly step: number;
  /** Wall-clock seconds of training when the entry was made, over every resumed run. */
  readonly seconds: number;
  readonly [metric: string]: number;
}

/**
 * A learner's further validation metrics (e.g. LaSynth's execAccuracy and opAccuracy), logged as
 * validationExecAccuracy …; the token accuracy is validationAccuracy already.
 */
function validationMetrics(v: object): Record<string, number> {
  const m = (v as { metrics?: Readonly<Record<string, number>> }).metrics;
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(m ?? {}))
    if (k !== 'tokenAccuracy' && typeof x === 'number')
      out[`validation${k[0].toUpperCase()}${k.slice(1)}`] = x;
  return out;
}

/**
 * The meta of a trainer's checkpoint: its phase, seed and this run's log, and the training seconds so
 * far (`before`: the learner's at the start of this run, `start`: this run's performance.now()).
 */
export function checkpointMeta(
  phase: string,
  seed: number,
  history: readonly TrainLogEntry[],
  before: number,
  start: number,
): Record<string, unknown> {
  return { phase, seed, history, seconds: before + (performance.now() - start) / 1000 };
}

/** (state, action) pairs along ground-truth traces; the stream for a given rng is fixed. */
export function expertPairs<Spec, State, Action>(
  domain: Domain<Spec, State, Action>,
  source: TaskSource<Spec, Action>,
  rng: Rng,
  count: number,
): PolicyExample<State, Action>[] {
  const out: PolicyExample<State, Action>[] = [];
  let guard = 0;
  while (out.length < count && guard++ < count * 100) {
    const task = source(rng);
    const r = replay(domain, task.spec, task.trace);
    if (!r.ok) throw new Error(`generated trace fails at action ${r.at}: ${r.reason}`);
    for (let t = 0; t < task.trace.length; t++) out.push({ state: r.states[t], action: task.trace[t] });
  }
  rng.shuffle(out);
  return out.slice(0, count);
}

/**
 * Imitation learning on an endless seeded stream of generated tasks: maximise log π(a_t | state_t)
 * along ground-truth traces. The batch for step s depends only on (seed, s), so a resumed run sees
 * exactly the data an uninterrupted one would.
 */
export async function trainImitation<Spec, State, Action>(
  domain: Domain<Spec, State, Action>,
  learner: Learner<State, Action>,
  options: Partial<ImitationOptions> = {},
  source: TaskSource<Spec, Action> = (rng) => domain.sampleTask(rng),
  log: (entry: TrainLogEntry) => void = () => {},
): Promise<TrainLogEntry[]> {
  const o = { ...defaultImitationOptions, ...options };
  const base = new Rng(o.seed);
  const validation = expertPairs(domain, source, base.derive('validation'), o.validationSize);
  const history: TrainLogEntry[] = [];
  const start = performance.now();
  const before = learner.trainedSeconds;
  const firstStep = learner.step;
  const progress = createProgress('imitation', o.steps, { initial: firstStep, maxSeconds: o.maxSeconds });
  const interrupt = interruptFlag();
  let lossSum = 0;
  let accSum = 0;
  let n = 0;
  const save = async (): Promise<void> => {
    if (o.checkpointDir)
      await learner.save(o.checkpointDir, checkpointMeta('imitation', o.seed, history, before, start));
  };
  try {
    while (learner.step < o.steps && !interrupt.requested) {
      const seconds = (performance.now() - start) / 1000;
      if (seconds > o.maxSeconds) break;
      const batch = expertPairs(domain, source, base.derive(`train/${learner.step}`), o.batchSize);
      const m = await learner.trainPolicy(batch);
      lossSum += m.loss;
      accSum += m.accuracy ?? 0;
      n++;
      const step = learner.step;
      if (step % o.validateEvery === 0 || step === o.steps) {
        const v = await learner.measurePolicy(validation);
        const entry: TrainLogEntry = {
          step,
          seconds: before + seconds,
          trainLoss: lossSum / n,
          trainAccuracy: accSum / n,
          validationLoss: v.loss,
          validationAccuracy: v.accuracy ?? NaN,
          ...validationMetrics(v),
        };
        history.push(entry);
        log(entry);
        lossSum = accSum = n = 0;
      }
      if (step % o.checkpointEvery === 0) await save();
      const rate = (step - firstStep) / Math.max(1e-9, (performance.now() - start) / 1000);
      progress.update(step, { loss: m.loss, acc: m.accuracy ?? 0, 'steps/s': rate });
    }
    // Saved while Ctrl-C is still handled: a press now lets the save finish instead of killing it.
    await save();
  } finally {
    progress.stop();
    interrupt.dispose();
  }
  return history;
}
