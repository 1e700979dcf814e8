import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One point of a curve; `series` names the line (e.g. a search method). */
export interface CurvePoint {
  readonly series: string;
  readonly x: number;
  readonly y: number;
}

export interface ChartPanel {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly points: readonly CurvePoint[];
  readonly xScale?: 'linear' | 'log';
  readonly yDomain?: readonly [number, number];
}

/** Side-by-side step-line charts (one per panel) rendered to a standalone SVG with vega-lite. */
export async function curvesSvg(panels: readonly ChartPanel[], title: string): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    hconcat: panels.map((p) => ({
      title: p.title,
      width: 320,
      height: 240,
      data: { values: p.points.map((q) => ({ ...q })) },
      mark: { type: 'line', interpolate: 'step-after', point: false },
      encoding: {
        x: {
          field: 'x',
          type: 'quantitative',
          title: p.xTitle,
          scale: p.xScale === 'log' ? { type: 'log' } : { zero: true },
        },
        y: {
          field: 'y',
          type: 'quantitative',
          title: p.yTitle,
          ...(p.yDomain ? { scale: { domain: [...p.yDomain] } } : {}),
        },
        color: { field: 'series', type: 'nominal', title: 'method' },
      },
    })),
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

/**
 * The fraction of tasks solved by time (or nodes) x, as a step curve: for each series, the sorted
 * solve times give the points where the curve rises.
 */
export function solvedCurve(
  series: string,
  solveAt: readonly (number | null)[],
  total: number,
  xMax: number,
): CurvePoint[] {
  const times = solveAt.filter((t): t is number => t !== null).sort((a, b) => a - b);
  const pts: CurvePoint[] = [{ series, x: 0, y: 0 }];
  times.forEach((t, i) => pts.push({ series, x: t, y: (100 * (i + 1)) / Math.max(1, total) }));
  pts.push({ series, x: xMax, y: (100 * times.length) / Math.max(1, total) });
  return pts;
}
