/**
 * Resampling for SMC: given non-negative weights, split an integer population among candidates.
 * Both schemes preserve the total exactly; systematic has lower variance (each count is the floor or
 * the ceiling of its expected share), multinomial is the textbook scheme.
 */
import type { Rng } from '../core/index.js';

export type ResamplingScheme = 'multinomial' | 'systematic';

/** Normalised cumulative weights scaled to `total`; last entry exactly `total`. Null if no mass. */
function scaledCdf(weights: ArrayLike<number>, total: number): Float64Array | null {
  const n = weights.length;
  const cdf = new Float64Array(n);
  let acc = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (Number.isFinite(w) && w > 0) {
      acc += w;
      last = i;
    }
    cdf[i] = acc;
  }
  if (last < 0 || !Number.isFinite(acc)) return null;
  for (let i = 0; i < last; i++) cdf[i] = (cdf[i] / acc) * total;
  // The last candidate with mass ends exactly at `total`, so rounding can never lose a draw.
  for (let i = last; i < n; i++) cdf[i] = total;
  return cdf;
}

/** Systematic resampling: one uniform offset u, points u, u+1, …, u+total−1 on the scaled cdf. */
export function resampleSystematic(weights: ArrayLike<number>, total: number, rng: Rng): Int32Array {
  const counts = new Int32Array(weights.length);
  const cdf = total > 0 ? scaledCdf(weights, total) : null;
  if (!cdf) return counts;
  const u = rng.float();
  let prev = 0; // ceil(0 − u) = 0 for u in [0, 1)
  for (let i = 0; i < cdf.length; i++) {
    const upto = Math.ceil(cdf[i] - u);
    counts[i] = upto - prev;
    prev = upto;
  }
  return counts;
}

/** Multinomial resampling: `total` independent draws by binary search on the cdf. */
export function resampleMultinomial(weights: ArrayLike<number>, total: number, rng: Rng): Int32Array {
  const counts = new Int32Array(weights.length);
  const cdf = total > 0 ? scaledCdf(weights, total) : null;
  if (!cdf) return counts;
  for (let s = 0; s < total; s++) {
    const x = rng.float() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]++;
  }
  return counts;
}

export function resampleCounts(
  scheme: ResamplingScheme,
  weights: ArrayLike<number>,
  total: number,
  rng: Rng,
): Int32Array {
  return scheme === 'systematic'
    ? resampleSystematic(weights, total, rng)
    : resampleMultinomial(weights, total, rng);
}

/** A particle: a REPL state, the path that reached it (opaque here), and how many particles it stands for. */
export interface Particle<State, P> {
  readonly state: State;
  readonly path: P;
  readonly count: number;
}

/**
 * Resamples a population to `total` counts with weights ∝ weight[i]. Returns fresh particle records
 * (never the input objects), one per candidate that received a count, in input order. States are
 * shared by reference: the Domain contract makes them immutable.
 */
export function resampleParticles<State, P>(
  particles: readonly Particle<State, P>[],
  weights: ArrayLike<number>,
  total: number,
  scheme: ResamplingScheme,
  rng: Rng,
): Particle<State, P>[] {
  const counts = resampleCounts(scheme, weights, total, rng);
  const out: Particle<State, P>[] = [];
  for (let i = 0; i < particles.length; i++) {
    if (counts[i] > 0) out.push({ state: particles[i].state, path: particles[i].path, count: counts[i] });
  }
  return out;
}
