/**
 * The shared conformance suite every search algorithm must pass, shipped with the library. `checkSearch`
 * runs the checks on a flat domain (the toy RPN domain by default) and reports failures; it never throws
 * and needs no test framework. Time is simulated by a fake clock that advances on evaluator calls and
 * domain steps, so the time-budget check is deterministic, never a timed test.
 */
import {
  FlatEvaluator,
  Rng,
  replay,
  uniformEvaluator,
  type Budget,
  type Domain,
  type Evaluation,
  type Evaluator,
  type ProposalRequest,
  type SearchAlgorithm,
  type SearchResult,
} from '../core/index.js';
import { emptyFailures, type CheckReport } from './report.js';
import { createToyDomain } from './toy-domain.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FlatDomain = Domain<any, any, number>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyResult = SearchResult<any, number>;

export interface SearchCheckOptions {
  /** Flat domain with legalMask to search (default: the toy RPN domain). */
  readonly domain?: FlatDomain;
  /** Seeded tasks the oracle must solve (default 20). */
  readonly tasks?: number;
  readonly seed?: number;
  /**
   * Node budget within which the oracle-guided run must find every target (default 2000; 20 000 for
   * unguided searches, which ignore the oracle and must find the targets by enumeration).
   */
  readonly oracleNodes?: number;
  /** Node budget of the uniform-evaluator runs (default 1500). */
  readonly uniformNodes?: number;
  /** Simulated time budget in ms (default 50). */
  readonly timeMs?: number;
  /**
   * False for unguided baselines: then the algorithm must never call the evaluator. Default: the
   * algorithm's own `usesEvaluator` declaration (absent means true).
   */
  readonly usesEvaluator?: boolean;
  /** Options passed to the algorithm. */
  readonly options?: object;
}

export type SearchCheckName =
  | 'oracle-finds'
  | 'node-budget'
  | 'time-budget'
  | 'determinism'
  | 'batching'
  | 'anytime-trace'
  | 'best-replays';

export const searchCheckNames: readonly SearchCheckName[] = [
  'oracle-finds',
  'node-budget',
  'time-budget',
  'determinism',
  'batching',
  'anytime-trace',
  'best-replays',
];

export type SearchCheckReport = CheckReport<SearchCheckName>;

/** Simulated time: every read ticks a little, work advances it explicitly. */
export class FakeClock {
  now = 0;
  constructor(private readonly tickMs = 0.0005) {}
  readonly read = (): number => (this.now += this.tickMs);
  advance(ms: number): void {
    this.now += ms;
  }
}

/**
 * π and v that know the answer: for a state whose stateKey is the key after t actions of the ground
 * truth trace, almost all probability is on trace[t] and v ≈ 1; other states get v small.
 */
export function traceOracleEvaluator<Spec, State>(
  domain: Domain<Spec, State, number>,
  spec: Spec,
  trace: readonly number[],
  { sharpness = 12, onTrace = 0.99, offTrace = 0.01 } = {},
): FlatEvaluator<State> {
  const r = replay(domain, spec, trace);
  if (!r.ok) throw new Error(`trace oracle: ground-truth action ${r.at} fails: ${r.reason}`);
  const next = new Map<string, number>();
  const onPath = new Set<string>();
  r.states.forEach((s, t) => {
    const key = domain.stateKey(s);
    onPath.add(key);
    if (t < trace.length && !next.has(key)) next.set(key, trace[t]);
  });
  const size = domain.actionSpace.size;
  const flat = new Float32Array(size);
  return new FlatEvaluator('trace-oracle', domain, (states) =>
    states.map((s) => {
      const key = domain.stateKey(s);
      const a = next.get(key);
      if (a === undefined) return { logits: flat, value: onPath.has(key) ? onTrace : offTrace };
      const logits = new Float32Array(size);
      logits[a] = sharpness;
      return { logits, value: onTrace };
    }),
  );
}

/** Wraps an evaluator: records batch sizes and charges simulated time per call and per state. */
export class MeteredEvaluator<State, Action> implements Evaluator<State, Action> {
  readonly id: string;
  readonly batches: number[] = [];
  constructor(
    private readonly inner: Evaluator<State, Action>,
    private readonly clock?: FakeClock,
    private readonly msPerCall = 0.01,
    private readonly msPerState = 0.02,
  ) {
    this.id = `metered(${inner.id})`;
  }
  async evaluate(
    states: readonly State[],
    requests: readonly ProposalRequest[] | null,
    rng: Rng,
  ): Promise<Evaluation<Action>[]> {
    this.batches.push(states.length);
    this.clock?.advance(this.msPerCall + this.msPerState * states.length);
    return this.inner.evaluate(states, requests, rng);
  }
}

/** A domain proxy that counts step calls independently of what the search reports, and charges time. */
function meteredDomain(
  domain: FlatDomain,
  clock?: FakeClock,
  msPerStep = 0.002,
): FlatDomain & { steps: number } {
  const proxy = Object.create(domain) as FlatDomain & { steps: number };
  proxy.steps = 0;
  proxy.step = (state, action) => {
    proxy.steps++;
    clock?.advance(msPerStep);
    return domain.step(state, action);
  };
  return proxy;
}

interface Runner {
  alg: SearchAlgorithm;
  domain: FlatDomain;
  options: object;
}

interface RunOut {
  result: AnyResult;
  spec: unknown;
  steps: number;
  batches: number[];
  clock: FakeClock;
}

async function runOnce(
  r: Runner,
  seed: number,
  budget: Budget,
  kind: 'oracle' | 'uniform',
  stopOnSolve: boolean,
): Promise<RunOut> {
  const task = r.domain.sampleTask(new Rng(seed));
  const clock = new FakeClock();
  const domain = meteredDomain(r.domain, clock);
  const base =
    kind === 'oracle' ? traceOracleEvaluator(r.domain, task.spec, task.trace) : uniformEvaluator(r.domain);
  const evaluator = new MeteredEvaluator(base, clock);
  const result = (await r.alg.run(
    {
      domain,
      evaluator,
      spec: task.spec,
      budget,
      rng: new Rng(`search/${seed}`),
      stopOnSolve,
      clock: clock.read,
    },
    r.options,
  )) as AnyResult;
  return { result, spec: task.spec, steps: domain.steps, batches: evaluator.batches, clock };
}

export async function checkSearch(
  alg: SearchAlgorithm,
  opts: SearchCheckOptions = {},
): Promise<SearchCheckReport> {
  const failures = emptyFailures(searchCheckNames);
  const fail = (check: SearchCheckName, msg: string): void => {
    if (failures[check].length < 5) failures[check].push(msg);
  };
  const r: Runner = { alg, domain: opts.domain ?? createToyDomain(), options: opts.options ?? {} };
  const guided = opts.usesEvaluator ?? alg.usesEvaluator !== false;
  const oracleNodes = opts.oracleNodes ?? (guided ? 2000 : 20_000);
  const seed0 = opts.seed ?? 1;
  const all: RunOut[] = [];
  const guard = async (check: SearchCheckName, what: string, f: () => Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (e) {
      fail(check, `${what} threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  for (let t = 0; t < (opts.tasks ?? 20); t++) {
    await guard('oracle-finds', `seed ${seed0 + t}`, async () => {
      const out = await runOnce(r, seed0 + t, { nodes: oracleNodes }, 'oracle', true);
      all.push(out);
      if (!out.result.best?.solved)
        fail('oracle-finds', `seed ${seed0 + t}: oracle-guided search did not solve the task`);
    });
  }
  await guard('node-budget', 'uniform runs', () =>
    checkNodeBudget(r, seed0, opts.uniformNodes ?? 1500, all, fail),
  );
  await guard('time-budget', 'uniform runs', () => checkTimeBudget(r, seed0, opts.timeMs ?? 50, all, fail));
  await guard('determinism', 'uniform runs', () => checkDeterminism(r, seed0, fail));
  checkBatching(all, guided, fail);
  for (const out of all) {
    checkTrace(out.result, (m) => fail('anytime-trace', m));
    checkBest(r.domain, out.spec, out.result, (m) => fail('best-replays', m));
  }
  return { failures };
}

type Fail = (check: SearchCheckName, msg: string) => void;

async function checkNodeBudget(
  r: Runner,
  seed0: number,
  nodes: number,
  all: RunOut[],
  fail: Fail,
): Promise<void> {
  for (let t = 0; t < 4; t++) {
    const out = await runOnce(r, seed0 + t, { nodes }, 'uniform', false);
    all.push(out);
    const { result, steps } = out;
    if (steps > nodes)
      fail('node-budget', `seed ${seed0 + t}: ${steps} steps for a budget of ${nodes} nodes`);
    if (result.nodesExpanded !== steps)
      fail('node-budget', `seed ${seed0 + t}: reports ${result.nodesExpanded} nodes, stepped ${steps}`);
    if (!['nodes', 'exhausted'].includes(result.stopReason))
      fail('node-budget', `seed ${seed0 + t}: stopReason ${result.stopReason}`);
  }
}

async function checkTimeBudget(
  r: Runner,
  seed0: number,
  timeMs: number,
  all: RunOut[],
  fail: Fail,
): Promise<void> {
  for (let t = 0; t < 3; t++) {
    const out = await runOnce(r, seed0 + t, { timeMs }, 'uniform', false);
    all.push(out);
    const limit = timeMs * 1.05;
    if (out.clock.now > limit)
      fail('time-budget', `seed ${seed0 + t}: ran ${out.clock.now.toFixed(2)} ms of a ${timeMs} ms budget`);
    if (out.result.timeMs > limit)
      fail('time-budget', `seed ${seed0 + t}: reports ${out.result.timeMs.toFixed(2)} ms`);
    if (!['time', 'exhausted'].includes(out.result.stopReason))
      fail('time-budget', `seed ${seed0 + t}: stopReason ${out.result.stopReason}`);
  }
}

async function checkDeterminism(r: Runner, seed0: number, fail: Fail): Promise<void> {
  const fingerprint = async (): Promise<string> => {
    const { result } = await runOnce(r, seed0, { nodes: 800, timeMs: 1e6 }, 'uniform', false);
    return JSON.stringify([
      result.best?.actions,
      result.nodesExpanded,
      result.trace,
      result.stopReason,
      result.stats,
    ]);
  };
  const a = await fingerprint();
  const b = await fingerprint();
  if (a !== b) fail('determinism', `same seed, different runs:\n${a.slice(0, 300)}\n${b.slice(0, 300)}`);
}

function checkBatching(all: RunOut[], usesEvaluator: boolean, fail: Fail): void {
  const calls = all.reduce((s, o) => s + o.batches.length, 0);
  if (!usesEvaluator) {
    if (calls > 0) fail('batching', `an unguided search called the evaluator ${calls} times`);
    return;
  }
  const states = all.reduce((s, o) => s + o.batches.reduce((a, b) => a + b, 0), 0);
  const nodes = all.reduce((s, o) => s + o.result.nodesExpanded, 0);
  if (!all.some((o) => o.batches.some((b) => b > 1)))
    fail('batching', 'no evaluator call ever got more than one state');
  // One call per particle would make calls ≈ states; batched searches make far fewer.
  if (calls * 4 > states) fail('batching', `${calls} calls for ${states} states: mean batch below 4`);
  if (calls > nodes) fail('batching', `${calls} evaluator calls for ${nodes} expanded nodes`);
}

function checkTrace(result: AnyResult, fail: (m: string) => void): void {
  const tr = result.trace;
  for (let i = 1; i < tr.length; i++) {
    if (!(tr[i].score > tr[i - 1].score))
      return fail(`trace scores not strictly increasing at ${i}: ${tr[i - 1].score} → ${tr[i].score}`);
    if (tr[i].nodes < tr[i - 1].nodes || tr[i].timeMs < tr[i - 1].timeMs)
      return fail(`trace time or nodes decrease at ${i}`);
  }
  if (result.best && tr.length > 0 && tr[tr.length - 1].score !== result.best.score) {
    fail(`last trace score ${tr[tr.length - 1].score} ≠ best score ${result.best.score}`);
  }
  if (result.best && tr.length === 0) fail('a best program but an empty trace');
}

function checkBest(domain: FlatDomain, spec: unknown, result: AnyResult, fail: (m: string) => void): void {
  const best = result.best;
  if (!best) return fail('no best state reported');
  if (best.actions.length > domain.maxDepth)
    return fail(`best has ${best.actions.length} actions > maxDepth ${domain.maxDepth}`);
  const r = replay(domain, spec, best.actions);
  if (!r.ok) return fail(`replaying best.actions fails at ${r.at}: ${r.reason}`);
  if (domain.stateKey(r.state) !== domain.stateKey(best.state))
    return fail('replaying best.actions reaches a different state');
  if (domain.score(r.state) !== best.score && !best.solved)
    return fail(`replayed score ${domain.score(r.state)} ≠ ${best.score}`);
  if (domain.isSolved(r.state) !== best.solved) return fail('best.solved disagrees with the replayed state');
}
