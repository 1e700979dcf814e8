/**
 * What every search shares: the action path of a node, and `SearchRun`, which owns the budget, the
 * best-so-far tracker and the evaluator calls (timed, so benchmarks can subtract evaluator time and so
 * a call predicted to overrun the time budget is not started).
 */
import {
  BestTracker,
  BudgetTracker,
  systemClock,
  type Clock,
  type Domain,
  type Evaluation,
  type Evaluator,
  type ProposalRequest,
  type Rng,
  type SearchContext,
  type SearchResult,
  type StepResult,
} from '../core/index.js';

/** Actions from the root as a shared linked list: children extend a parent in O(1), no copying. */
export interface Path<A> {
  readonly action: A;
  readonly parent: Path<A> | null;
  readonly depth: number;
}

export function extendPath<A>(parent: Path<A> | null, action: A): Path<A> {
  return { action, parent, depth: parent ? parent.depth + 1 : 1 };
}

export function pathDepth<A>(p: Path<A> | null): number {
  return p ? p.depth : 0;
}

export function pathActions<A>(p: Path<A> | null): A[] {
  const out = new Array<A>(pathDepth(p));
  for (let q = p; q; q = q.parent) out[q.depth - 1] = q.action;
  return out;
}

export type StopReason = SearchResult<unknown, unknown>['stopReason'];

/**
 * Online least-squares fit of evaluator call time = a + b·batch, with forgetting, so the search can
 * predict whether the next call fits in the remaining time (a network has a fixed cost per call).
 */
export class CallCostModel {
  private s0 = 0;
  private sn = 0;
  private snn = 0;
  private sd = 0;
  private snd = 0;

  observe(n: number, ms: number, decay = 0.8): void {
    this.s0 = this.s0 * decay + 1;
    this.sn = this.sn * decay + n;
    this.snn = this.snn * decay + n * n;
    this.sd = this.sd * decay + ms;
    this.snd = this.snd * decay + n * ms;
  }

  /** Predicted milliseconds for a batch of n states (0 before any observation). */
  predict(n: number): number {
    if (this.s0 === 0) return 0;
    const det = this.s0 * this.snn - this.sn * this.sn;
    let a: number;
    let b: number;
    if (det <= 1e-9 * this.s0 * this.snn) {
      // All batches had one size: assume cost ∝ size (pessimistic for larger batches).
      a = 0;
      b = this.sd / this.sn;
    } else {
      b = (this.s0 * this.snd - this.sn * this.sd) / det;
      a = (this.sd - b * this.sn) / this.s0;
      if (b < 0) [a, b] = [this.sd / this.s0, 0];
      else if (a < 0) [a, b] = [0, this.snd / this.snn];
    }
    return a + b * n;
  }
}

/** How often (in nodes) `tryStep` looks at the clock; evaluator calls check it every time. */
const TIME_CHECK_EVERY = 128;

/**
 * Longest stretch (ms) a search runs without letting the event loop's macrotasks in. An evaluator
 * that answers at once (uniform, or a cache hit) only ever resolves microtasks, so without this a
 * Ctrl-C handler, the progress timer or a worker's messages would wait for the whole search.
 */
const YIELD_EVERY_MS = 50;

/** Lets pending macrotasks (signal handlers, timers, I/O callbacks) run; works in Node and browsers. */
export function macrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  return new Promise((resolve) => {
    if (g.setImmediate) g.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

export class SearchRun<Spec, State, Action> {
  readonly domain: Domain<Spec, State, Action>;
  readonly rng: Rng;
  readonly tracker: BudgetTracker;
  readonly best: BestTracker<State, Action>;
  readonly root: State;
  readonly stopOnSolve: boolean;
  private readonly evaluator: Evaluator<State, Action>;
  private readonly clock: Clock;
  private readonly signal: AbortSignal | undefined;
  private readonly cost = new CallCostModel();
  private reason: StopReason | null = null;
  private solved = false;
  /** Polishing (SearchContext.polish): the node count at which the search ends, once solved. */
  private readonly polish: number;
  private polishUntil: number | null = null;
  private sinceTimeCheck = 0;
  private lastYield: number;
  readonly counters = { evaluatorCalls: 0, evaluatorStates: 0, evaluatorMs: 0, maxBatch: 0 };

  constructor(ctx: SearchContext<Spec, State, Action>) {
    this.domain = ctx.domain;
    this.evaluator = ctx.evaluator;
    this.rng = ctx.rng;
    this.clock = ctx.clock ?? systemClock;
    this.signal = ctx.signal;
    this.stopOnSolve = ctx.stopOnSolve ?? true;
    this.polish = this.stopOnSolve ? (ctx.polish ?? 1) : 1;
    if (!(this.polish >= 1)) throw new Error(`search: polish must be ≥ 1, got ${ctx.polish}`);
    this.tracker = new BudgetTracker(ctx.budget, this.clock);
    this.lastYield = this.clock();
    this.best = new BestTracker(ctx.domain, this.tracker, ctx.onImprove);
    this.root = ctx.domain.initialState(ctx.spec);
    this.offer(this.root, null);
  }

  /** True once the search must end (solved, budget spent, or an algorithm called `stop`). */
  get stopped(): boolean {
    return this.reason !== null;
  }

  /** Checks the budget now; true when the search must end. */
  checkBudget(): boolean {
    if (this.reason) return true;
    if (this.tracker.remainingNodes() <= 0) this.reason = 'nodes';
    else if (this.tracker.remainingMs() <= 0 || this.signal?.aborted) this.reason = 'time';
    return this.reason !== null;
  }

  stop(reason: StopReason): void {
    this.reason ??= reason;
  }

  /** Whether the search has run for a while without yielding; checked by synchronous loops. */
  get yieldDue(): boolean {
    return this.clock() - this.lastYield >= YIELD_EVERY_MS;
  }

  /**
   * Yields to the event loop when the last yield is long enough ago, then re-checks the budget (a
   * Ctrl-C handled during the pause aborts the signal). True when the search must end.
   */
  async pause(): Promise<boolean> {
    if (this.yieldDue) {
      await macrotask();
      this.lastYield = this.clock();
    }
    return this.checkBudget();
  }

  /** Whether a state may be expanded further: not terminal and shallower than maxDepth. */
  expandable(state: State, path: Path<Action> | null): boolean {
    return pathDepth(path) < this.domain.maxDepth && !this.domain.isTerminal(state);
  }

  /**
   * Offers a reached state to the best tracker; true when the search must stop because it is solved.
   * Only improvements build the action array, so the common case costs one isSolved and one score.
   */
  offer(state: State, path: Path<Action> | null): boolean {
    const solved = this.domain.isSolved(state);
    const cur = this.best.best;
    if (solved) {
      if (!cur?.solved) this.best.offer(state, pathActions(path));
      else if (this.polishUntil !== null && pathDepth(path) < cur.actions.length)
        this.best.offerShorter(state, pathActions(path));
      this.solved = true;
      if (!this.stopOnSolve) return false;
      if (this.polish > 1) {
        this.polishUntil ??= Math.ceil(this.polish * Math.max(1, this.tracker.nodesExpanded));
        if (this.tracker.nodesExpanded < this.polishUntil) return false;
      }
      this.stop('solved');
      return true;
    }
    if (cur === null || this.domain.score(state) > cur.score) this.best.offer(state, pathActions(path));
    return false;
  }

  /**
   * One REPL step, counted as one node. Returns null (and stops the search) when the node budget is
   * spent, so a caller can never exceed it; checks the clock every few nodes.
   */
  tryStep(state: State, action: Action): StepResult<State> | null {
    if (this.reason) return null;
    if (this.tracker.remainingNodes() <= 0) {
      this.stop('nodes');
      return null;
    }
    if (this.polishUntil !== null && this.tracker.nodesExpanded >= this.polishUntil) {
      this.stop('solved');
      return null;
    }
    if (++this.sinceTimeCheck >= TIME_CHECK_EVERY) {
      this.sinceTimeCheck = 0;
      if (this.checkBudget()) return null;
    }
    this.tracker.expand(1);
    return this.domain.step(state, action);
  }

  /**
   * One batched evaluator call. Returns null (and stops the search) when the budget is spent or the
   * call is predicted to end after the time limit: stopping a little early beats overshooting.
   */
  async evaluate(
    states: readonly State[],
    requests: readonly ProposalRequest[] | null,
  ): Promise<Evaluation<Action>[] | null> {
    if (states.length === 0) return [];
    if (await this.pause()) return null;
    if (this.cost.predict(states.length) > this.tracker.remainingMs()) {
      this.stop('time');
      return null;
    }
    const t0 = this.clock();
    const out = await this.evaluator.evaluate(states, requests, this.rng);
    const ms = this.clock() - t0;
    this.cost.observe(states.length, ms);
    const c = this.counters;
    c.evaluatorCalls++;
    c.evaluatorStates += states.length;
    c.evaluatorMs += ms;
    c.maxBatch = Math.max(c.maxBatch, states.length);
    if (out.length !== states.length) {
      throw new Error(
        `evaluator '${this.evaluator.id}' returned ${out.length} evaluations for ${states.length} states`,
      );
    }
    return out;
  }

  /** The final result; `stats` are the algorithm's own counters. */
  finish(stats: Record<string, number>): SearchResult<State, Action> {
    // A polishing search is solved however it ends (its node count, the budget, Ctrl-C).
    const reason =
      this.polishUntil !== null ? 'solved' : (this.reason ?? (this.solved ? 'solved' : 'exhausted'));
    return this.best.result(reason, { ...stats, ...this.counters });
  }
}

/** Merges user options over defaults and checks that the named fields are positive integers. */
export function resolveOptions<O extends object>(
  id: string,
  defaults: O,
  given: Partial<O> | undefined,
  positiveInts: readonly (keyof O)[],
): O {
  const o = { ...defaults, ...(given ?? {}) } as O;
  for (const k of positiveInts) {
    const v = o[k] as unknown;
    if (typeof v !== 'number' || !(v >= 1) || (!Number.isInteger(v) && v !== Infinity)) {
      throw new Error(`${id}: option '${String(k)}' must be a positive integer, got ${String(v)}`);
    }
  }
  return o;
}
