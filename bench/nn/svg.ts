/** A tiny hand-written horizontal bar chart (log scale, so ms and states/s share one plot). */
export function barChart(title: string, bars: { label: string; value: number }[]): string {
  const W = 760;
  const rowH = 26;
  const left = 260;
  const H = 40 + bars.length * rowH;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const scale = (v: number) => (v <= 1 ? 0 : (Math.log10(v) / Math.log10(max)) * (W - left - 90));
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = bars
    .map((b, i) => {
      const y = 30 + i * rowH;
      return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text><rect x="${left}" y="${y + 3}" width="${scale(b.value).toFixed(1)}" height="16" fill="#4878a8"/><text x="${(left + scale(b.value) + 6).toFixed(1)}" y="${y + 15}">${b.value.toFixed(b.value < 100 ? 1 : 0)}</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<text x="10" y="18" font-weight="bold">${esc(title)} — log scale</text>
${rows}
</svg>
`;
}
