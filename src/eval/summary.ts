/** Summaries and curves of evaluation results, from what the problem's report declares. */
import type { AnyProblem, ItemResult } from '../core/index.js';
import { curvesSvg, solvedCurve, type ChartPanel, type CurvePoint } from './plots.js';

export function summarise(
  problem: AnyProblem,
  results: readonly ItemResult[],
  methods: readonly string[],
  timeoutMs: number,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const m of methods) {
    const rs = results.filter((r) => r.search === m);
    const s: Record<string, unknown> = {};
    for (const [k, agg] of Object.entries(problem.report.summary)) s[k] = agg(rs, { timeoutMs });
    out[m] = s;
  }
  return out;
}

/** The problem's score of the best program found by time t (0 before the first). */
export function scoreAt(r: ItemResult, t: number, scoreName: string): number {
  let best = 0;
  for (const p of (r.trace ?? []) as Record<string, number>[])
    if (p.timeMs <= t && p[scoreName] > best) best = p[scoreName];
  return best;
}

/** Mean score of the best-so-far program vs time, as a step curve. */
export function meanScoreCurve(
  results: readonly ItemResult[],
  method: string,
  timeoutMs: number,
  scoreName: string,
  points = 60,
): CurvePoint[] {
  const rs = results.filter((r) => r.search === method);
  return Array.from({ length: points + 1 }, (_, k) => {
    const t = (k / points) * timeoutMs;
    return {
      series: method,
      x: t / 1000,
      y: rs.reduce((a, r) => a + scoreAt(r, t, scoreName), 0) / Math.max(1, rs.length),
    };
  });
}

/** The plot of an evaluation: one panel per curve the problem declares, one line per method. */
export function evaluationPlot(
  problem: AnyProblem,
  results: readonly ItemResult[],
  methods: readonly string[],
  o: { readonly items: number; readonly timeoutS: number; readonly on: string },
): Promise<string> {
  const score = problem.report.scoreName ?? 'score';
  const maxNodes = Math.max(1, ...results.map((r) => r.nodes));
  const solved = (m: string, at: (r: ItemResult) => number): CurvePoint[] =>
    solvedCurve(
      m,
      results.filter((r) => r.search === m).map((r) => (r.solved ? at(r) : null)),
      o.items,
      at === byTime ? o.timeoutS : maxNodes,
    );
  const byTime = (r: ItemResult): number => (r.firstSolutionMs ?? r.timeMs) / 1000;
  const byNodes = (r: ItemResult): number => r.firstSolutionNodes ?? r.nodes;
  const panels: ChartPanel[] = problem.report.curves.map((c) => {
    if (c === 'solvedVsTime')
      return {
        title: '% solved vs time',
        xTitle: 'seconds',
        yTitle: '% solved',
        yDomain: [0, 100],
        points: methods.flatMap((m) => solved(m, byTime)),
      };
    if (c === 'solvedVsNodes')
      return {
        title: '% solved vs nodes expanded',
        xTitle: 'nodes',
        yTitle: '% solved',
        yDomain: [0, 100],
        points: methods.flatMap((m) => solved(m, byNodes)),
      };
    return {
      title: `mean ${score === 'iou' ? 'IoU' : score} of the best program so far`,
      xTitle: 'seconds',
      yTitle: `mean ${score === 'iou' ? 'IoU' : score}`,
      yDomain: [0, 1],
      points: methods.flatMap((m) => meanScoreCurve(results, m, o.timeoutS * 1000, score)),
    };
  });
  return curvesSvg(panels, `replsynth ${problem.report.title}: ${o.on}, ${o.timeoutS} s budget`);
}
