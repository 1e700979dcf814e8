/**
 * One problem's page: its spec sources, options, method and budget, Run/Stop, the live view, the best
 * program, and for sources with several items (a task file) a table of results. Built from the
 * catalog entry alone.
 */
import type { SearchClient } from './client.js';
import type { ParamValue } from '../../core/index.js';
import { Controls, paramInput } from './controls.js';
import { h, replace } from './dom.js';
import { LiveView } from './live.js';
import { OutputView } from './output.js';
import type { CatalogProblem, FromWorker, Point, ProgramView } from './protocol.js';
import { sourcesOf, type SourceView } from './sources.js';

type RunMessage = Exclude<FromWorker, { type: 'ready' | 'fatal' | 'parsed' | 'warmed' }>;

interface Item {
  name: string;
  view: ProgramView | null;
  brief: string;
  row: HTMLTableRowElement | null;
}

/** Page-wide timings the tests and the README's measurements read. */
export const timings: { firstResultMs: number | null; results: Record<string, unknown>[] } = {
  firstResultMs: null,
  results: [],
};

function optionInputs(p: CatalogProblem): {
  element: HTMLElement | null;
  values: () => Record<string, ParamValue | readonly string[]>;
} {
  const fields = p.options.map((o) => {
    if (!o.repeatable) return { name: o.name, shown: false, ...paramInput(o, `option-${o.name}`) };
    const area = h('textarea', { rows: 3, testid: `option-${o.name}`, placeholder: 'one per line' });
    return {
      name: o.name,
      shown: true,
      element: h('label', { class: 'option' }, `${o.name}: ${o.description}`, area),
      value: () => area.value.split('\n').filter((l) => l !== ''),
    };
  });
  // Lists (e.g. rows to fill) are part of the spec; the other options are settings, folded away.
  const more = fields.filter((f) => !f.shown);
  return {
    element: fields.length
      ? h(
          'div',
          { class: 'options' },
          fields.filter((f) => f.shown).map((f) => f.element),
          more.length
            ? h(
                'details',
                {},
                h('summary', {}, 'more options'),
                more.map((f) => f.element),
              )
            : null,
        )
      : null,
    values: () => Object.fromEntries(fields.map((f) => [f.name, f.value()])),
  };
}

export class ProblemPage {
  readonly element: HTMLElement;
  private readonly sources: SourceView[];
  private active: SourceView;
  private readonly controls: Controls;
  private readonly live: LiveView;
  private readonly output: OutputView;
  private readonly options: ReturnType<typeof optionInputs>;
  private readonly runButton = h('button', { type: 'button', class: 'run', testid: 'run' }, 'Run');
  private readonly stopButton = h(
    'button',
    { type: 'button', class: 'stop', testid: 'stop', disabled: true },
    'Stop',
  );
  private readonly notes = h('ul', { class: 'notes', testid: 'notes' });
  private readonly results = h('tbody', {});
  private readonly resultsBox = h('table', { class: 'results', testid: 'results', hidden: true });
  private runId: number | null = null;
  private items: Item[] = [];
  private shownItem = 0;

  constructor(
    private readonly p: CatalogProblem,
    private readonly client: SearchClient,
    fetchExample: (path: string) => Promise<Uint8Array>,
  ) {
    this.sources = sourcesOf(p, fetchExample, (id) => {
      this.select(this.sources.find((s) => s.id === id) ?? this.active);
      void this.check();
    });
    this.active = this.sources[0];
    this.controls = new Controls(p);
    this.controls.onMethodChange = (m) => client.warm(p.id, m);
    this.live = new LiveView(p.scoreName);
    this.output = new OutputView(p);
    this.options = optionInputs(p);
    this.runButton.addEventListener('click', () => void this.run());
    this.stopButton.addEventListener('click', () => this.stop());
    replace(
      this.resultsBox,
      h('thead', {}, h('tr', {}, h('th', {}, 'item'), h('th', {}, 'result'), h('th', {}, 'program'))),
      this.results,
    );
    const tabs = this.sources.map((s) => {
      const b = h('button', { type: 'button', class: 'source-tab', testid: `source-${s.id}` }, s.label);
      b.addEventListener('click', () => this.select(s));
      return b;
    });
    this.element = h(
      'section',
      { class: 'problem', testid: `problem-${p.id}` },
      h('p', { class: 'description' }, p.description),
      h(
        'div',
        { class: 'columns' },
        h(
          'div',
          { class: 'spec' },
          h('h2', {}, 'Specification'),
          h('div', { class: 'source-tabs' }, tabs),
          this.sources.map((s) => h('div', { class: 'source', 'data-source': s.id }, s.element)),
          this.options.element,
        ),
        h(
          'div',
          { class: 'search' },
          h('h2', {}, 'Search'),
          this.controls.element,
          h('div', { class: 'row' }, this.runButton, this.stopButton),
          this.live.element,
          this.notes,
          this.resultsBox,
          this.output.element,
        ),
      ),
    );
    this.select(this.active);
  }

  /** Loads the method's model in the worker ahead of the first run. */
  warm(): void {
    this.client.warm(this.p.id, this.controls.settings().method);
  }

  select(s: SourceView): void {
    this.active = s;
    for (const el of this.element.querySelectorAll<HTMLElement>('.source'))
      el.hidden = el.dataset.source !== s.id;
    for (const b of this.element.querySelectorAll<HTMLElement>('.source-tab'))
      b.classList.toggle('on', b.dataset.testid === `source-${s.id}`);
  }

  /** Reads the chosen file in the worker at once, so what it holds (or what is wrong) shows before a run. */
  private async check(): Promise<void> {
    let source;
    try {
      source = await this.active.get();
    } catch {
      return;
    }
    const before = this.runId;
    const r = await this.client.parse(this.p.id, source, this.options.values());
    if (this.runId !== before) return; // a run started meanwhile: its messages own the status
    this.notes.replaceChildren(...r.warnings.map((w) => h('li', {}, w)));
    if (r.error) this.output.setStatus(r.error, 'error');
    else {
      const names = r.items.map((i) => i.name).filter(Boolean);
      const what = `${r.items.length} ${r.items.length === 1 ? this.p.noun.replace(/s$/, '') : this.p.noun}`;
      this.output.setStatus(`${what} read${names.length ? `: ${names.join(', ')}` : ''}; press Run`);
    }
  }

  async run(): Promise<void> {
    let source;
    try {
      source = await this.active.get();
    } catch (e) {
      this.output.setStatus(e instanceof Error ? e.message : String(e), 'error');
      return;
    }
    const s = this.controls.settings();
    this.items = [];
    this.shownItem = 0;
    this.results.replaceChildren();
    this.resultsBox.hidden = true;
    this.notes.replaceChildren();
    this.output.clear();
    this.output.setStatus('starting…');
    this.runButton.disabled = true;
    this.stopButton.disabled = false;
    this.runId = this.client.run({
      problem: this.p.id,
      source,
      options: this.options.values(),
      method: s.method,
      timeMs: s.timeMs,
      nodes: s.nodes,
      seed: s.seed,
      params: s.params,
    });
    this.live.start(s.timeMs);
  }

  stop(): void {
    if (this.runId === null) return;
    this.client.stop(this.runId);
    this.output.setStatus('stopping… (the best program so far is kept)');
  }

  /** A message of the worker about a run (ignored unless it is this page's current run). */
  receive(m: RunMessage): void {
    if (m.runId !== this.runId) return;
    if (m.type === 'note') this.notes.append(h('li', {}, m.message));
    else if (m.type === 'started') this.started(m.index, m.name, m.count);
    else if (m.type === 'improve') this.improved(m.index, m.point, m.view);
    else if (m.type === 'progress') {
      if (m.index === this.shownItem) this.live.progress(m.progress);
    } else if (m.type === 'result') this.finished(m.index, m.result, m.brief, m.view);
    else if (m.type === 'error') {
      this.output.setStatus(m.message, 'error');
      this.idle();
    } else if (m.type === 'done') {
      if (m.stopped)
        this.output.setStatus(
          `stopped — ${this.items[this.shownItem]?.brief || 'best program so far kept'}`,
          'ok',
        );
      this.idle();
    }
  }

  private idle(): void {
    this.runButton.disabled = false;
    this.stopButton.disabled = true;
  }

  private started(index: number, name: string, count: number): void {
    const row = count > 1 ? h('tr', { 'data-item': index, testid: 'result-row' }) : null;
    this.items[index] = { name, view: null, brief: '', row };
    if (row) {
      this.resultsBox.hidden = false;
      row.addEventListener('click', () => this.showItem(index));
      replace(row, h('td', {}, name || `#${index + 1}`), h('td', {}, 'searching…'), h('td', {}));
      this.results.append(row);
    }
    this.showItem(index);
    this.live.start(this.controls.settings().timeMs);
    this.output.setStatus(`searching${name ? ` ${name}` : ''}…`);
  }

  private improved(index: number, point: Point, view: ProgramView): void {
    const item = this.items[index];
    if (item) item.view = view;
    if (index !== this.shownItem) return;
    this.live.improve(point);
    this.output.show(view);
    this.output.setStatus(`searching… best ${this.p.scoreName} so far ${point.score.toFixed(3)}`);
  }

  private finished(
    index: number,
    result: Record<string, unknown>,
    brief: string,
    view: ProgramView | null,
  ): void {
    timings.firstResultMs ??= performance.now();
    timings.results.push(result);
    const item = this.items[index];
    item.view = view;
    item.brief = brief;
    if (item.row) {
      const cells = item.row.children;
      cells[1].textContent = brief;
      cells[2].textContent = view?.program ?? '(none)';
    }
    if (index !== this.shownItem) return;
    const trace = ((result.trace as Record<string, number>[] | undefined) ?? []).map((t) => ({
      timeMs: t.timeMs,
      nodes: t.nodes,
      score: t[this.p.scoreName] ?? t.score ?? 0,
    }));
    this.live.finish(result.timeMs as number, result.nodes as number, trace, String(result.stopReason));
    this.output.show(view);
    this.output.setStatus(
      `${brief} (${String(result.search)}, policy: ${String(result.model ?? 'none')})`,
      result.solved ? 'ok' : 'info',
    );
  }

  private showItem(index: number): void {
    this.shownItem = index;
    for (const r of this.results.children)
      r.classList.toggle('on', (r as HTMLElement).dataset.item === String(index));
    const item = this.items[index];
    if (item?.view) this.output.show(item.view);
  }
}
