/**
 * Comparisons of methods on the same items for claim checks: a method's mean score at a time or a
 * node count (the best program found by then), and "A beats B" with per-item wins as evidence.
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

/** The claim "A's mean is higher than B's" checked on v (a tie or no data: null). */
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
    evidence: `${at}: mean ${a} ${f3(v.meanA)} vs ${b} ${f3(v.meanB)}; ${a} higher on ${v.winsA}, ${b} on ${v.winsB} of ${v.items} items`,
  };
}
