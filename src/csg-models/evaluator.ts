/**
 * The Evaluator both CAD line models share: π over structured lines (sampled factor by factor, or
 * the exact top k by enumeration) and v from a backend's scores, plus the uniform backend and the
 * work counters. Each model supplies its line factors and its network backend.
 */
import {
  clampValue,
  type Evaluation,
  type Evaluator,
  type Proposal,
  type ProposalRequest,
  type Rng,
} from '../core/index.js';
import type { CsgLineDistribution, CsgScores } from './lines.js';

/** Counters of the work a backend did (for reporting what the caches save). */
export interface BackendStats {
  evaluateCalls: number;
  headRuns: number;
  statesScored: number;
  /** Object encodings the states needed, and how many were computed (the rest came from the cache). */
  objectsNeeded: number;
  objectsEncoded: number;
  specsEncoded: number;
}

export const newBackendStats = (): BackendStats => ({
  evaluateCalls: 0,
  headRuns: 0,
  statesScored: 0,
  objectsNeeded: 0,
  objectsEncoded: 0,
  specsEncoded: 0,
});

export interface CsgBackend<State> {
  readonly id: string;
  readonly stats: BackendStats;
  score(states: readonly State[]): Promise<CsgScores[]>;
}

/** All logits zero, constant value: uniform over types, then over arguments / pointers. */
export class CsgUniformBackend<State> implements CsgBackend<State> {
  readonly id = 'uniform';
  readonly stats = newBackendStats();
  private readonly scores: CsgScores;
  constructor(maxObjects: number, lineTypes: number, argColumns: number, value: number) {
    const K = maxObjects;
    this.scores = {
      typeLogits: new Float32Array(lineTypes),
      args: new Float32Array(argColumns),
      ptrA: new Float32Array(2 * K),
      ptrB: new Float32Array(2 * K * K),
      value,
    };
  }
  score(states: readonly State[]): Promise<CsgScores[]> {
    this.stats.statesScored += states.length;
    return Promise.resolve(states.map(() => this.scores));
  }
}

/** A model's line factors, as the evaluator uses them. */
export interface CsgLineModel<State, Action, Limits, D extends CsgLineDistribution> {
  lineDistribution(state: State, s: CsgScores, lim: Limits, K: number): D;
  lineAction(d: D, i: number): Action;
  sampler(state: State, s: CsgScores, lim: Limits, K: number): LineDraws<Action>;
  actionKey(a: Action): string;
}

/** Exact factorised draws from π and the log-probability of a line. */
export interface LineDraws<Action> {
  sample(rng: Rng): Action | null;
  logProb(action: Action): number;
}

/** `count` draws from π by the factorised sampler, merged by line, ordered by line key. */
function sampleLines<Action>(
  sampler: LineDraws<Action>,
  count: number,
  rng: Rng,
  actionKey: (a: Action) => string,
): Proposal<Action>[] {
  const merged = new Map<string, { action: Action; count: number }>();
  for (let s = 0; s < count; s++) {
    const action = sampler.sample(rng);
    if (!action) return [];
    const key = actionKey(action);
    const m = merged.get(key);
    if (m) m.count++;
    else merged.set(key, { action, count: 1 });
  }
  return [...merged.entries()]
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([, m]) => ({ action: m.action, logPrior: sampler.logProb(m.action), count: m.count }));
}

/** The k most probable lines, best first (ties by line index). */
function topLines<Action, D extends CsgLineDistribution>(
  d: D,
  k: number,
  lineAction: (d: D, i: number) => Action,
): Proposal<Action>[] {
  if (k <= 0) return [];
  // A sorted list of at most k indices, kept by insertion: k is small next to the ~20k–34k lines.
  const best: number[] = [];
  for (let i = 0; i < d.logp.length; i++) {
    const v = d.logp[i];
    if (!(v > -Infinity)) continue;
    if (best.length === k && v <= d.logp[best[k - 1]]) continue;
    let at = best.length;
    while (at > 0 && d.logp[best[at - 1]] < v) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best.map((i) => ({ action: lineAction(d, i), logPrior: d.logp[i], count: 1 }));
}

export class CsgLineEvaluator<
  State,
  Action,
  Limits extends { readonly maxObjects: number },
  D extends CsgLineDistribution,
> implements Evaluator<State, Action> {
  readonly id: string;
  constructor(
    readonly domain: { readonly limits: Limits },
    readonly backend: CsgBackend<State>,
    private readonly lines: CsgLineModel<State, Action, Limits, D>,
  ) {
    this.id = backend.id;
  }

  get stats(): BackendStats {
    return this.backend.stats;
  }

  /** v(state) from the network's value: by default the value itself, clamped into (0, 1]. */
  protected value(_state: State, network: number): number {
    return clampValue(network);
  }

  async evaluate(
    states: readonly State[],
    requests: readonly ProposalRequest[] | null,
    rng: Rng,
  ): Promise<Evaluation<Action>[]> {
    this.backend.stats.evaluateCalls++;
    if (states.length === 0) return [];
    const scores = await this.backend.score(states);
    const lim = this.domain.limits;
    const K = lim.maxObjects;
    const L = this.lines;
    return states.map((s, i) => {
      const value = this.value(s, scores[i].value);
      const req = requests ? requests[i] : null;
      if (!req) return { proposals: [], value };
      // 'top' enumerates every line (exact k best); 'sample' draws factor by factor (no enumeration).
      const proposals =
        req.kind === 'top'
          ? topLines(L.lineDistribution(s, scores[i], lim, K), req.k, L.lineAction)
          : sampleLines(L.sampler(s, scores[i], lim, K), req.count, rng, L.actionKey);
      return { proposals, value };
    });
  }
}
