/**
 * The live view of a search: the best-so-far score against time (a step curve), and a line of
 * counters — elapsed time, nodes and nodes per second, the population of the last network call.
 */
import { h } from './dom.js';
import type { Point, Progress } from './protocol.js';

const W = 360;
const H = 120;
const PAD = 24;
const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export class LiveView {
  readonly element: HTMLElement;
  private readonly chart: SVGSVGElement;
  private readonly curve: SVGPolylineElement;
  private readonly now: SVGLineElement;
  private readonly axis: SVGTextElement;
  private readonly stats: HTMLElement;
  private points: Point[] = [];
  private budgetMs = 1000;
  private last: Progress | null = null;

  constructor(private readonly scoreName: string) {
    this.chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', 'data-testid': 'chart' });
    const frame = svg('rect', { x: PAD, y: 4, width: W - PAD - 4, height: H - PAD - 4, class: 'frame' });
    this.curve = svg('polyline', { class: 'curve', points: '' });
    this.now = svg('line', { class: 'now', x1: PAD, x2: PAD, y1: 4, y2: H - PAD });
    const y1 = svg('text', { x: 2, y: 12, class: 'tick' });
    y1.textContent = '1';
    const y0 = svg('text', { x: 2, y: H - PAD, class: 'tick' });
    y0.textContent = '0';
    this.axis = svg('text', { x: W - 4, y: H - 6, class: 'tick', 'text-anchor': 'end' });
    const label = svg('text', { x: PAD + 4, y: H - 6, class: 'tick' });
    label.textContent = `best ${scoreName} over time`;
    this.chart.append(frame, this.curve, this.now, y1, y0, this.axis, label);
    this.stats = h('p', { class: 'stats', testid: 'live' }, 'not started');
    this.element = h('div', { class: 'live' }, this.chart, this.stats);
  }

  start(budgetMs: number): void {
    this.points = [];
    this.budgetMs = budgetMs;
    this.last = null;
    this.draw(0);
    this.stats.textContent = 'starting…';
  }

  improve(p: Point): void {
    this.points.push(p);
    this.draw(p.timeMs);
  }

  progress(p: Progress): void {
    this.last = p;
    this.draw(p.timeMs);
    const s = p.timeMs / 1000;
    const parts = [`${s.toFixed(1)} s`];
    if (p.nodes !== null)
      parts.push(
        `${p.nodes.toLocaleString()} nodes`,
        `${Math.round(p.nodes / Math.max(s, 1e-3)).toLocaleString()} nodes/s`,
      );
    if (p.evaluatorCalls)
      parts.push(`population ${p.batch}`, `${p.evaluatorCalls.toLocaleString()} network calls`);
    const best = this.points.at(-1);
    if (best) parts.push(`best ${this.scoreName} ${best.score.toFixed(3)}`);
    this.stats.textContent = parts.join(' · ');
  }

  finish(timeMs: number, nodes: number, trace: readonly Point[], stopReason: string): void {
    if (trace.length) this.points = [...trace];
    // A finished search is drawn over the time it took, not over its budget.
    this.budgetMs = Math.max(timeMs, 1);
    this.draw(timeMs);
    const s = timeMs / 1000;
    const best = this.points.at(-1);
    this.stats.textContent = [
      `${s.toFixed(2)} s`,
      `${nodes.toLocaleString()} nodes`,
      `${Math.round(nodes / Math.max(s, 1e-3)).toLocaleString()} nodes/s`,
      this.last?.evaluatorCalls ? `${this.last.evaluatorCalls.toLocaleString()}+ network calls` : null,
      best ? `best ${this.scoreName} ${best.score.toFixed(3)}` : 'no program',
      `(${stopReason})`,
    ]
      .filter(Boolean)
      .join(' · ');
  }

  private draw(nowMs: number): void {
    const span = Math.max(this.budgetMs, nowMs, 1);
    const x = (t: number): number => PAD + ((W - PAD - 4) * Math.min(t, span)) / span;
    const y = (v: number): number => H - PAD - (H - PAD - 4) * Math.max(0, Math.min(1, v));
    const pts: string[] = [];
    let prev = 0;
    for (const p of this.points) {
      pts.push(`${x(p.timeMs)},${y(prev)}`, `${x(p.timeMs)},${y(p.score)}`);
      prev = p.score;
    }
    if (this.points.length) pts.push(`${x(nowMs)},${y(prev)}`);
    this.curve.setAttribute('points', pts.join(' '));
    this.now.setAttribute('x1', String(x(nowMs)));
    this.now.setAttribute('x2', String(x(nowMs)));
    this.axis.textContent = `${(span / 1000).toFixed(1)} s`;
  }
}
