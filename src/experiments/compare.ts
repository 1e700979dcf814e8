/**
 * Comparisons of methods on the same items for claim checks: a method's mean score at a time or a
 * node count (the best program found by then), and "A beats B" with per-item wins and a paired sign
 * test as evidence.
 */
import type { ItemResult } from '../core/index.js';
import { scoreAt } from '../eval/summary.js';
import type { ClaimCheck } from './experiment.js';

/** The best score of a result's trace by node count n (0 before the first program). */
export function scoreAtNodes(r: ItemResult, n: number, scoreName: string): number {
  let best = 0;
  for (const p of (r.trace ?? []) as Record<string, number>[])
    if (p.nodes <= n && p[scoreName] > best) best = p[scoreName];
  return best;
}

/** Per item (by index field), the method's score at time t (Infinity: the final result). */
export function scoresAt(
  results: readonly ItemResult[],
  method: string,
  scoreName: string,
  indexField: string,
  t = Infinity,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of results)
    if (r.search === method)
      out.set(r[indexField] as number, t === Infinity ? (r[scoreName] as number) : scoreAt(r, t, scoreName));
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export interface Versus {
  readonly meanA: number;
  readonly meanB: number;
  readonly winsA: number;
  readonly winsB: number;
  readonly items: number;
}

/** A against B on the items both ran. */
export function versus(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): Versus | null {
  const common = [...a.keys()].filter((k) => b.has(k));
  if (common.length === 0) return null;
  const xa = common.map((k) => a.get(k)!);
  const xb = common.map((k) => b.get(k)!);
  return {
    meanA: mean(xa),
    meanB: mean(xb),
    winsA: common.filter((_, i) => xa[i] > xb[i] + 1e-9).length,
    winsB: common.filter((_, i) => xb[i] > xa[i] + 1e-9).length,
    items: common.length,
  };
}

const f3 = (x: number): string => x.toFixed(3);

/**
 * Two-sided exact sign test on the items where A and B differ (A higher on `winsA`, B on `winsB`):
 * the chance of a split at least this uneven if neither were better, min(1, 2·P(X ≤ min)) for
 * X ~ Binomial(winsA + winsB, ½). Null when they never differ. Summed in log space, so thousands of
 * items do not underflow.
 */
export function signTestP(winsA: number, winsB: number): number | null {
  const n = winsA + winsB;
  if (n === 0) return null;
  const k = Math.min(winsA, winsB);
  const half = n * Math.log(0.5);
  let logC = 0; // log C(n, i)
  let p = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    p += Math.exp(logC + half);
  }
  return Math.min(1, 2 * p);
}

/**
 * The Wilson score interval (95 %, z = 1.96) of a proportion of k successes in n, in percent with one
 * decimal; null for n = 0. Unlike k/n ± z·SE it stays within [0, 100] and is not empty at k = 0 or n.
 */
export function wilson95(k: number, n: number): [number, number] | null {
  if (n <= 0) return null;
  const z = 1.96;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  const r = (x: number): number => Number((100 * x).toFixed(1));
  return [r(Math.max(0, c - h)), r(Math.min(1, c + h))];
}

/** A p-value in a sentence: 2 significant digits, or a bound below 0.001. */
const pText = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`);

/** The sign test of v's wins as a clause of the evidence ('' when A and B never differ). */
function signText(v: Versus): string {
  const p = signTestP(v.winsA, v.winsB);
  return p === null ? '' : ` (sign test: ${pText(p)}${p < 0.05 ? '' : ', not significant at 0.05'})`;
}

/**
 * The claim "A's mean is higher than B's" checked on v (a tie or no data: null). The verdict is the
 * means'; the evidence adds the paired sign test, so a difference within noise reads as such.
 */
export function beats(
  claim: string,
  source: string,
  a: string,
  b: string,
  v: Versus | null,
  at: string,
): ClaimCheck {
  if (!v) return { claim, source, holds: null, evidence: `no results for both ${a} and ${b}` };
  const holds = v.meanA > v.meanB + 1e-9 ? true : v.meanB > v.meanA + 1e-9 ? false : null;
  return {
    claim,
    source,
    holds,
    evidence: `${at}: mean ${a} ${f3(v.meanA)} vs ${b} ${f3(v.meanB)}; ${a} higher on ${v.winsA}, ${b} on ${v.winsB} of ${v.items} items${signText(v)}`,
  };
}
