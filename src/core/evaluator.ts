import type { Rng } from './rng.js';
import type { Domain } from './domain.js';

/** What a search asks of the policy for one state. */
export type ProposalRequest =
  /** Draw `count` actions from π (with replacement); equal actions are merged with their counts. */
  | { readonly kind: 'sample'; readonly count: number }
  /** The `k` most probable legal actions under π, best first. */
  | { readonly kind: 'top'; readonly k: number };

export interface Proposal<Action> {
  readonly action: Action;
  /** log π(action | state). */
  readonly logPrior: number;
  /** How many draws chose this action (1 for 'top' requests). */
  readonly count: number;
}

export interface Evaluation<Action> {
  /** Proposals answering the request for this state (empty when none was asked or none is legal). */
  readonly proposals: readonly Proposal<Action>[];
  /** v(state): estimated probability in (0, 1] that the search succeeds from this state. */
  readonly value: number;
}

/**
 * The policy π and value v that guide search. Searches see only this interface.
 *
 * Contract: `evaluate` is batched — one call covers a whole population of states, so a neural
 * implementation runs its network once per call. `requests` is either null (values only) or one
 * request per state. Randomness comes only from `rng`; with the same inputs and rng state the
 * result is the same. Proposals only contain legal actions.
 */
export interface Evaluator<State, Action> {
  readonly id: string;
  evaluate(
    states: readonly State[],
    requests: readonly ProposalRequest[] | null,
    rng: Rng,
  ): Promise<Evaluation<Action>[]>;
  /** Frees native resources (sessions, workers); safe to call twice. */
  dispose?(): Promise<void>;
}

/** Output of a flat policy/value network for one state: log-probabilities over all actions, value. */
export interface FlatScores {
  /** Length = action space size; illegal actions may hold any value (they are masked). */
  readonly logits: Float32Array;
  readonly value: number;
}

/**
 * An Evaluator for flat action spaces built from a batched scoring function (a network, an oracle, or
 * the uniform prior). Applies the domain's legality mask, softmax, and sampling/top-k.
 */
export class FlatEvaluator<State> implements Evaluator<State, number> {
  constructor(
    readonly id: string,
    private readonly domain: Domain<unknown, State, number>,
    private readonly score: (states: readonly State[]) => Promise<FlatScores[]> | FlatScores[],
  ) {
    if (!domain.actionSpace.flat || !domain.legalMask) {
      throw new Error(`FlatEvaluator needs a flat action space with legalMask (domain ${domain.id})`);
    }
  }

  async evaluate(
    states: readonly State[],
    requests: readonly ProposalRequest[] | null,
    rng: Rng,
  ): Promise<Evaluation<number>[]> {
    const scores = states.length === 0 ? [] : await this.score(states);
    const out: Evaluation<number>[] = new Array(states.length);
    for (let i = 0; i < states.length; i++) {
      const req = requests ? requests[i] : null;
      const value = clampValue(scores[i].value);
      if (!req) {
        out[i] = { proposals: [], value };
        continue;
      }
      const logp = maskedLogSoftmax(scores[i].logits, this.domain.legalMask!(states[i]));
      out[i] = {
        proposals: req.kind === 'top' ? topK(logp, req.k) : sampleMerged(logp, req.count, rng),
        value,
      };
    }
    return out;
  }
}

/** A value estimate made safe for weighting: finite, in [1e-6, 1]. */
export function clampValue(v: number): number {
  if (!Number.isFinite(v)) return 1e-6;
  return Math.min(1, Math.max(1e-6, v));
}

/** log-softmax over legal entries; illegal entries become −Infinity. */
export function maskedLogSoftmax(logits: Float32Array, mask: Uint8Array): Float64Array {
  const n = logits.length;
  const out = new Float64Array(n);
  let max = -Infinity;
  for (let a = 0; a < n; a++) if (mask[a] && logits[a] > max) max = logits[a];
  if (max === -Infinity) return out.fill(-Infinity);
  let sum = 0;
  for (let a = 0; a < n; a++) if (mask[a]) sum += Math.exp(logits[a] - max);
  const lse = max + Math.log(sum);
  for (let a = 0; a < n; a++) out[a] = mask[a] ? logits[a] - lse : -Infinity;
  return out;
}

/** The k most probable legal actions, best first, ties by action index. */
export function topK(logp: Float64Array, k: number): Proposal<number>[] {
  const idx: number[] = [];
  for (let a = 0; a < logp.length; a++) if (logp[a] > -Infinity) idx.push(a);
  idx.sort((x, y) => logp[y] - logp[x] || x - y);
  return idx.slice(0, k).map((a) => ({ action: a, logPrior: logp[a], count: 1 }));
}

/** `count` draws from exp(logp), merged by action, ordered by action index. */
export function sampleMerged(logp: Float64Array, count: number, rng: Rng): Proposal<number>[] {
  if (count <= 0) return [];
  const n = logp.length;
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let a = 0; a < n; a++) {
    acc += logp[a] > -Infinity ? Math.exp(logp[a]) : 0;
    cdf[a] = acc;
  }
  if (!(acc > 0)) return [];
  const counts = new Map<number, number>();
  for (let s = 0; s < count; s++) {
    const u = rng.float() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    counts.set(lo, (counts.get(lo) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([a, c]) => ({ action: a, logPrior: logp[a], count: c }));
}

/** The uniform policy with a constant value: the no-knowledge baseline used by tests. */
export function uniformEvaluator<State>(
  domain: Domain<unknown, State, number>,
  value = 0.5,
): FlatEvaluator<State> {
  const size = domain.actionSpace.size;
  const zeros = new Float32Array(size);
  return new FlatEvaluator('uniform', domain, (states) => states.map(() => ({ logits: zeros, value })));
}
