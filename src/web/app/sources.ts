/**
 * Where a problem's specs come from, each a view chosen from what the problem declares: typed lines
 * for an inline syntax, a table for a format that reads CSV (paste from a spreadsheet), a file picker
 * with the bundled examples for every input format, and a drawing board for image formats.
 */
import { DrawingBoard } from './draw.js';
import { h, replace } from './dom.js';
import type { CatalogInput, CatalogProblem, SpecSource } from './protocol.js';

export interface SourceView {
  readonly id: string;
  readonly label: string;
  readonly element: HTMLElement;
  /** The source to run, or throws an Error whose message the page shows. */
  get(): Promise<SpecSource>;
}

export function inlineSource(p: CatalogProblem): SourceView {
  const area = h('textarea', {
    testid: 'examples',
    rows: 8,
    spellcheck: 'false',
    placeholder: p.inline!.usage,
  });
  return {
    id: 'inline',
    label: 'Type examples',
    element: h('div', {}, h('p', { class: 'hint' }, p.inline!.usage, '; one per line'), area),
    get: async () => {
      const lines = area.value.split('\n').filter((l) => l.trim() !== '');
      if (lines.length === 0) throw new Error('type at least one example');
      return { kind: 'inline', lines };
    },
  };
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** An editable grid; pasting tab-separated text (a spreadsheet's copy) fills it from the cell pasted into. */
export function tableSource(p: CatalogProblem, format: CatalogInput): SourceView {
  let cols = 2;
  let cells: string[][] = Array.from({ length: 5 }, () => ['', '']);
  const table = h('table', { class: 'grid', testid: 'table' });
  const draw = (): void => {
    const head = h(
      'tr',
      {},
      Array.from({ length: cols }, (_, c) => h('th', {}, c === cols - 1 ? 'output' : `input ${c + 1}`)),
    );
    const rows = cells.map((row, r) =>
      h(
        'tr',
        {},
        row.map((v, c) => {
          const input = h('input', { value: v, 'aria-label': `row ${r + 1} column ${c + 1}` });
          input.addEventListener('input', () => (cells[r][c] = input.value));
          input.addEventListener('paste', (e) => paste(e, r, c));
          return h('td', {}, input);
        }),
      ),
    );
    replace(table, h('thead', {}, head), h('tbody', {}, rows));
  };
  const paste = (e: ClipboardEvent, r0: number, c0: number): void => {
    const text = e.clipboardData?.getData('text/plain') ?? '';
    if (!/[\t\n]/.test(text)) return;
    e.preventDefault();
    const lines = text.replace(/\r/g, '').replace(/\n$/, '').split('\n');
    const grid = lines.map((l) => l.split('\t'));
    cols = Math.max(cols, c0 + Math.max(...grid.map((g) => g.length)));
    while (cells.length < r0 + grid.length) cells.push([]);
    cells = cells.map((row) => [...row, ...Array<string>(cols - row.length).fill('')]);
    grid.forEach((g, i) => g.forEach((v, j) => (cells[r0 + i][c0 + j] = v)));
    draw();
  };
  const addRow = h('button', { type: 'button' }, '+ row');
  addRow.addEventListener('click', () => {
    cells.push(Array<string>(cols).fill(''));
    draw();
  });
  const addCol = h('button', { type: 'button' }, '+ input column');
  addCol.addEventListener('click', () => {
    cols++;
    cells = cells.map((row) => [...row.slice(0, -1), '', row[row.length - 1]]);
    draw();
  });
  draw();
  return {
    id: `table:${format.id}`,
    label: 'Table',
    element: h(
      'div',
      {},
      h('p', { class: 'hint' }, format.description),
      table,
      h('div', { class: 'row' }, addRow, addCol),
    ),
    get: async () => {
      const rows = cells.filter((row) => row.some((v) => v.trim() !== ''));
      if (rows.length === 0) throw new Error('fill in some rows of the table');
      const header = Array.from({ length: cols }, (_, c) => (c === cols - 1 ? 'output' : `input${c + 1}`));
      const csv = [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
      return { kind: 'file', format: format.id, name: `table.csv`, bytes: new TextEncoder().encode(csv) };
    },
  };
}

const typeOf = (name: string): string => {
  const ext = name.slice(name.lastIndexOf('.')).toLowerCase();
  return ext === '.jpg' || ext === '.jpeg'
    ? 'image/jpeg'
    : ext === '.png'
      ? 'image/png'
      : `image/${ext.slice(1)}`;
};

/**
 * A file of the format: picked, or one of the bundled examples; for image formats also drawn. The
 * file's own bytes go to the problem unless the drawing was changed since.
 */
export function fileSource(
  p: CatalogProblem,
  format: CatalogInput,
  fetchExample: (path: string) => Promise<Uint8Array>,
  onLoad: (sourceId: string) => void,
): SourceView {
  let file: { name: string; bytes: Uint8Array } | null = null;
  let drawn = false;
  const board = format.image ? new DrawingBoard() : null;
  if (board) board.onChange = () => (drawn = true);
  const status = h('p', { class: 'hint', testid: `file-status-${format.id}` }, 'no file yet');
  const preview = format.image ? null : h('pre', { class: 'file-preview' });
  const load = async (name: string, bytes: Uint8Array): Promise<void> => {
    file = { name, bytes };
    drawn = false;
    status.textContent = `${name} (${bytes.length.toLocaleString()} bytes)`;
    if (board) await board.show(bytes, typeOf(name));
    // A look at text files (not at binary ones: a NUL byte in the first 4 kB says binary).
    const head = bytes.subarray(0, 4000);
    if (preview) preview.textContent = head.includes(0) ? '(binary file)' : new TextDecoder().decode(head);
    onLoad(`file:${format.id}`);
  };
  const picker = h('input', {
    type: 'file',
    accept: format.extensions.join(','),
    testid: `file-${format.id}`,
  });
  picker.addEventListener('change', () => {
    const f = picker.files?.[0];
    if (f) void f.arrayBuffer().then((a) => load(f.name, new Uint8Array(a)));
  });
  const ours = p.examples.filter((e) => format.extensions.some((x) => e.toLowerCase().endsWith(x)));
  const examples = ours.map((path) => {
    const b = h(
      'button',
      { type: 'button', class: 'example', testid: `example-${path}` },
      path.replace(/^.*\//, ''),
    );
    b.addEventListener('click', () => void fetchExample(path).then((bytes) => load(path, bytes)));
    return b;
  });
  return {
    id: `file:${format.id}`,
    label: format.image ? 'Draw or upload' : p.inputs.length > 1 ? `File (${format.id})` : 'File',
    element: h(
      'div',
      {},
      h('p', { class: 'hint' }, format.description),
      board?.element,
      h('div', { class: 'row' }, picker),
      examples.length ? h('div', { class: 'row' }, 'bundled: ', examples) : null,
      status,
      preview,
    ),
    get: async () => {
      if (board && (drawn || !file)) {
        const type = typeOf(format.extensions.find((e) => typeOf(e).startsWith('image/')) ?? '.png');
        const ext = format.extensions[0];
        return { kind: 'file', format: format.id, name: `drawing${ext}`, bytes: await board.bytes(type) };
      }
      if (!file) throw new Error(`choose a file (${format.extensions.join(', ')})`);
      return { kind: 'file', format: format.id, name: file.name, bytes: file.bytes };
    },
  };
}

/** Every source the problem declares, in the order the page offers them. */
export function sourcesOf(
  p: CatalogProblem,
  fetchExample: (path: string) => Promise<Uint8Array>,
  onLoad: (sourceId: string) => void,
): SourceView[] {
  const out: SourceView[] = [];
  for (const f of p.inputs) if (f.image) out.push(fileSource(p, f, fetchExample, onLoad));
  if (p.inline) out.push(inlineSource(p));
  for (const f of p.inputs) if (!f.image && f.extensions.includes('.csv')) out.push(tableSource(p, f));
  for (const f of p.inputs) if (!f.image) out.push(fileSource(p, f, fetchExample, onLoad));
  return out;
}
