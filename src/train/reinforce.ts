import { Rng, type Domain, type Evaluator, type Task } from '../core/index.js';
import { checkpointMeta, type TaskSource, type TrainLogEntry } from './imitation.js';
import type { Learner, PolicyExample, ValueExample } from '../core/learner.js';
import { createProgress, interruptFlag } from './progress.js';

export interface ReinforceOptions {
  /** Train until this many RL iterations have run in this call. */
  readonly iterations: number;
  readonly tasksPerIteration: number;
  readonly rolloutsPerTask: number;
  /** Value and policy minibatch size. */
  readonly batchSize: number;
  readonly seed: number;
  readonly checkpointDir: string | null;
  readonly checkpointEvery: number;
  readonly maxSeconds: number;
  /** Train the policy on successful rollouts (eq. 3 of the paper); the value is always trained. */
  readonly trainPolicy: boolean;
  /**
   * What the value learns: 'success' (the paper: did this rollout succeed, 0/1), or 'best-score' (1 on
   * success, else the best domain score the rollout reached from this state on). The graded target
   * keeps a signal when successes are rare, as with a young CAD policy.
   */
  readonly valueTargets: 'success' | 'best-score';
  /** Most steps of one rollout on a task (default: the domain's maxDepth). */
  readonly rolloutDepth?: (task: Task<unknown, unknown>) => number;
}

export const defaultReinforceOptions: ReinforceOptions = {
  iterations: 100,
  tasksPerIteration: 25,
  rolloutsPerTask: 16,
  batchSize: 256,
  seed: 2,
  checkpointDir: null,
  checkpointEvery: 10,
  maxSeconds: Infinity,
  trainPolicy: true,
  valueTargets: 'success',
};

interface Rollout<State, Action> {
  readonly task: number;
  states: State[];
  actions: Action[];
  done: boolean;
  success: boolean;
}

/**
 * Runs π from every task's initial state, `perTask` times, all rollouts in lock-step so each depth is
 * one batched evaluator call. Success = the domain's `isSolved` (pass `isSuccess` to be stricter).
 */
export async function collectRollouts<Spec, State, Action>(
  domain: Domain<Spec, State, Action>,
  evaluator: Evaluator<State, Action>,
  tasks: readonly Task<Spec, Action>[],
  perTask: number,
  rng: Rng,
  isSuccess: (state: State, task: Task<Spec, Action>) => boolean = (s) => domain.isSolved(s),
  depthOf: (task: Task<Spec, Action>) => number = () => domain.maxDepth,
): Promise<Rollout<State, Action>[]> {
  const limits = tasks.map((t) => Math.min(domain.maxDepth, depthOf(t)));
  const rollouts: Rollout<State, Action>[] = [];
  tasks.forEach((task, i) => {
    const s0 = domain.initialState(task.spec);
    for (let r = 0; r < perTask; r++)
      rollouts.push({ task: i, states: [s0], actions: [], done: false, success: false });
  });
  for (let depth = 0; depth < domain.maxDepth; depth++) {
    const live = rollouts.filter((r) => !r.done && depth < limits[r.task]);
    if (live.length === 0) break;
    const evals = await evaluator.evaluate(
      live.map((r) => r.states[r.states.length - 1]),
      live.map(() => ({ kind: 'sample' as const, count: 1 })),
      rng,
    );
    live.forEach((r, i) => {
      const p = evals[i].proposals[0];
      if (!p) return void (r.done = true);
      const res = domain.step(r.states[r.states.length - 1], p.action);
      if (!res.ok) return void (r.done = true);
      r.states.push(res.state);
      r.actions.push(p.action);
      if (isSuccess(res.state, tasks[r.task])) r.success = r.done = true;
      else if (domain.isTerminal(res.state)) r.done = true;
    });
  }
  return rollouts;
}

function minibatches<T>(items: T[], size: number, rng: Rng): T[][] {
  rng.shuffle(items);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The RL phase: policy rollouts on random tasks; the value learns to classify eventual success on
 * every state of every rollout; the policy is fine-tuned on the actions of successful rollouts.
 */
export async function trainReinforce<Spec, State, Action>(
  domain: Domain<Spec, State, Action>,
  learner: Learner<State, Action>,
  options: Partial<ReinforceOptions> = {},
  source: TaskSource<Spec, Action> = (rng) => domain.sampleTask(rng),
  log: (entry: TrainLogEntry) => void = () => {},
  isSuccess?: (state: State, task: Task<Spec, Action>) => boolean,
): Promise<TrainLogEntry[]> {
  const o = { ...defaultReinforceOptions, ...options };
  const base = new Rng(o.seed);
  const history: TrainLogEntry[] = [];
  const start = performance.now();
  const before = learner.trainedSeconds;
  const progress = createProgress('reinforce', o.iterations, { logEvery: 1, maxSeconds: o.maxSeconds });
  const interrupt = interruptFlag();
  const save = async (): Promise<void> => {
    if (o.checkpointDir)
      await learner.save(o.checkpointDir, checkpointMeta('reinforce', o.seed, history, before, start));
  };
  try {
    for (let it = 0; it < o.iterations && !interrupt.requested; it++) {
      const seconds = (performance.now() - start) / 1000;
      if (seconds > o.maxSeconds) break;
      // Keyed by the learner's step so a resumed run draws fresh tasks rather than repeating.
      const rng = base.derive(`rl/${learner.step}/${it}`);
      const tasks = Array.from({ length: o.tasksPerIteration }, () => source(rng));
      const evaluator = await learner.evaluator();
      const rollouts = await collectRollouts(
        domain,
        evaluator,
        tasks,
        o.rolloutsPerTask,
        rng,
        isSuccess,
        o.rolloutDepth,
      );
      const values: ValueExample<State>[] = [];
      const policy: PolicyExample<State, Action>[] = [];
      for (const r of rollouts) {
        if (o.valueTargets === 'best-score') {
          // Best score from each state to the end of the rollout (a suffix maximum).
          let best = r.success ? 1 : 0;
          const targets = new Array<number>(r.states.length);
          for (let t = r.states.length - 1; t >= 0; t--)
            targets[t] = best = Math.max(best, domain.score(r.states[t]));
          r.states.forEach((state, t) => values.push({ state, success: r.success, target: targets[t] }));
        } else r.states.forEach((state) => values.push({ state, success: r.success }));
        if (r.success) r.actions.forEach((action, t) => policy.push({ state: r.states[t], action }));
      }
      let valueLoss = 0;
      const vb = minibatches(values, o.batchSize, rng);
      for (const b of vb) valueLoss += (await learner.trainValue(b)).loss / vb.length;
      let policyLoss = 0;
      if (o.trainPolicy && policy.length > 0) {
        const pb = minibatches(policy, o.batchSize, rng);
        for (const b of pb) policyLoss += (await learner.trainPolicy(b)).loss / pb.length;
      }
      const solvedTasks = new Set(rollouts.filter((r) => r.success).map((r) => r.task)).size;
      const entry: TrainLogEntry = {
        step: learner.step,
        seconds: before + seconds,
        iteration: it + 1,
        rolloutSuccess: rollouts.filter((r) => r.success).length / rollouts.length,
        taskSuccess: solvedTasks / tasks.length,
        valueLoss,
        policyLoss,
        valueExamples: values.length,
        policyExamples: policy.length,
      };
      history.push(entry);
      log(entry);
      progress.update(it + 1, { success: entry.rolloutSuccess, vloss: valueLoss });
      if ((it + 1) % o.checkpointEvery === 0) await save();
    }
    // Saved while Ctrl-C is still handled: a press now lets the save finish instead of killing it.
    await save();
  } finally {
    progress.stop();
    interrupt.dispose();
  }
  return history;
}
