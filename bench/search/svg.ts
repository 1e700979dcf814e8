/** A minimal horizontal bar chart in SVG (no dependencies): one panel per series, a dashed goal line. */
export interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly goal?: number;
  readonly bars: readonly (readonly [string, number])[];
}

const W = 640;
const LABEL = 110;
const BAR = 22;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function panelSvg(p: Panel, y0: number): { svg: string; height: number } {
  const max = Math.max(p.goal ?? 0, ...p.bars.map(([, v]) => Math.max(0, v))) * 1.15 || 1;
  const scale = (v: number): number => (Math.max(0, v) / max) * (W - LABEL - 70);
  const parts = [`<text x="10" y="${y0 + 16}" font-weight="bold">${esc(p.title)}</text>`];
  p.bars.forEach(([name, v], i) => {
    const y = y0 + 28 + i * (BAR + 6);
    parts.push(
      `<text x="${LABEL - 6}" y="${y + 16}" text-anchor="end">${esc(name)}</text>`,
      `<rect x="${LABEL}" y="${y}" width="${scale(v).toFixed(1)}" height="${BAR}" fill="#4878a8"/>`,
      `<text x="${LABEL + scale(v) + 4}" y="${y + 16}">${v.toFixed(2)} ${esc(p.unit)}</text>`,
    );
  });
  const height = 28 + p.bars.length * (BAR + 6) + 14;
  if (p.goal !== undefined) {
    const x = LABEL + scale(p.goal);
    parts.push(
      `<line x1="${x}" y1="${y0 + 24}" x2="${x}" y2="${y0 + height - 10}" stroke="#c03030" stroke-dasharray="4 3"/>`,
    );
  }
  return { svg: parts.join('\n'), height };
}

export function barChartSvg(panels: readonly Panel[]): string {
  let y = 0;
  const body: string[] = [];
  for (const p of panels) {
    const { svg, height } = panelSvg(p, y);
    body.push(svg);
    y += height + 10;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${body.join('\n')}\n</svg>\n`;
}
