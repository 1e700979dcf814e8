import { describe, expect, it } from 'vitest';
import { curvesSvg, solvedCurve } from './plots.js';

describe('plots', () => {
  it('solvedCurve rises by one task at each solve time and ends at the total fraction', () => {
    const pts = solvedCurve('smc', [3, null, 1], 4, 10);
    expect(pts.map((p) => [p.x, p.y])).toEqual([
      [0, 0],
      [1, 25],
      [3, 50],
      [10, 50],
    ]);
  });
  it('renders an SVG with one line per series', async () => {
    const svg = await curvesSvg(
      [
        {
          title: 'by time',
          xTitle: 's',
          yTitle: '% solved',
          points: [...solvedCurve('a', [1], 2, 5), ...solvedCurve('b', [2, 3], 2, 5)],
        },
      ],
      'test',
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('% solved');
  });
});
