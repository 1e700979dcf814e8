/**
 * The best program so far: its readable form, the picture the problem renders (target beside the
 * program's output), its metrics, rows it computed (e.g. rows to fill), the exports the problem shows
 * beside its programs, and a download for every exporter.
 */
import { MIME, blobUrl, h, replace } from './dom.js';
import type { CatalogProblem, ProgramView } from './protocol.js';

const slug = (ext: string): string => ext.replace(/^\./, '');

/** A metric that lists rows with inputs and the program's output (strings' rows to fill). */
function rowsOf(value: unknown): { inputs: unknown[]; output: unknown }[] | null {
  if (!Array.isArray(value)) return null;
  const ok = value.every(
    (r) => typeof r === 'object' && r !== null && Array.isArray((r as { inputs?: unknown }).inputs),
  );
  return ok ? (value as { inputs: unknown[]; output: unknown }[]) : null;
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  if (v === null) return '–';
  return String(v);
}

export class OutputView {
  readonly element: HTMLElement;
  private readonly status = h('p', { class: 'status', testid: 'status' }, 'no program yet');
  private readonly program = h('pre', { class: 'program', testid: 'program' });
  private readonly metrics = h('div', { class: 'metrics', testid: 'metrics' });
  private readonly rows = h('pre', { class: 'rows', testid: 'filled' });
  private readonly rowsBox = h(
    'div',
    { class: 'rows-box', hidden: true },
    h('h3', {}, 'filled rows'),
    this.rows,
  );
  private readonly render = h('img', {
    class: 'render',
    testid: 'render',
    alt: 'target | program output | difference',
    hidden: true,
  });
  private readonly shown: Map<string, HTMLElement>;
  private readonly downloads = h('div', { class: 'downloads', testid: 'downloads' });
  private readonly urls: string[] = [];

  constructor(private readonly p: CatalogProblem) {
    this.shown = new Map(
      p.shownExports.map((ext) => [ext, h('pre', { class: 'export', testid: `export-${slug(ext)}` })]),
    );
    const shownBoxes = [...this.shown].map(([ext, pre]) =>
      h(
        'details',
        { open: true },
        h('summary', {}, p.exporters.find((e) => e.extension === ext)?.description ?? ext),
        pre,
      ),
    );
    this.element = h(
      'div',
      { class: 'output' },
      this.status,
      h('h3', {}, 'program'),
      this.program,
      this.render,
      this.metrics,
      this.rowsBox,
      shownBoxes,
      this.downloads,
    );
  }

  setStatus(text: string, kind: 'info' | 'error' | 'ok' = 'info'): void {
    this.status.textContent = text;
    this.status.className = `status ${kind}`;
  }

  clear(): void {
    this.show(null);
  }

  show(view: ProgramView | null): void {
    for (const u of this.urls.splice(0)) URL.revokeObjectURL(u);
    this.program.textContent = view?.program ?? '';
    this.render.hidden = !view?.render;
    if (view?.render) this.render.src = this.url(view.render, 'image/png');
    const scalars = Object.entries(view?.metrics ?? {}).filter(
      ([, v]) => v === null || typeof v !== 'object',
    );
    replace(
      this.metrics,
      scalars.map(([k, v]) =>
        h('span', { class: 'metric' }, `${k} `, h('b', { testid: `metric-${k}` }, formatValue(v))),
      ),
    );
    const rows = Object.values(view?.metrics ?? {})
      .map(rowsOf)
      .filter((r) => r && r.length)
      .flat() as { inputs: unknown[]; output: unknown }[];
    this.rowsBox.hidden = rows.length === 0;
    this.rows.textContent = rows
      .map((r) => `${r.inputs.join(' | ')} => ${r.output === null ? '(error)' : String(r.output)}`)
      .join('\n');
    for (const [ext, pre] of this.shown)
      pre.textContent = view?.exports.find((e) => e.extension === ext)?.text ?? '';
    replace(
      this.downloads,
      view
        ? view.exports.map((e) => {
            const data = e.text ?? e.bytes ?? '';
            const desc =
              this.p.exporters.find((x) => x.extension === e.extension)?.description ?? e.extension;
            return h(
              'a',
              {
                href: this.url(data, MIME[e.extension] ?? 'application/octet-stream'),
                download: `program${e.extension}`,
                testid: `download-${slug(e.extension)}`,
              },
              `⤓ ${desc} (${e.extension})`,
            );
          })
        : [],
    );
  }

  private url(data: Uint8Array | string, type: string): string {
    const u = blobUrl(data, type);
    this.urls.push(u);
    return u;
  }
}
