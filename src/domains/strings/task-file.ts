/**
 * Task files for strings. JSONL (DESIGN.md §6): one task per line,
 *   {"name"?, "examples": [{"inputs": [...], "output": "..."}], "tests"?: [...], "fill"?: [[...]]}
 * where `"input": "x"` may stand for `"inputs": ["x"]`, and a test row without an output is a row to
 * fill. CSV: one task per file; columns = inputs, last column = output; an empty output marks a row to
 * fill; the first row is a header when its last cell is `output`, `result` or `target`.
 * Every problem raises InputError(file, line, field, problem) for the first error found.
 */
import { InputError } from '../../core/index.js';
import type { StringsExample, StringsSpec } from './repl.js';

export interface FileTask {
  readonly name: string;
  /** Line where the task starts (1-based). */
  readonly line: number;
  readonly spec: StringsSpec & {
    readonly tests: readonly StringsExample[];
    readonly fill: readonly (readonly string[])[];
  };
}

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function row(
  file: string,
  line: number,
  field: string,
  v: Json,
  needOutput: boolean,
): { inputs: string[]; output: string | null } {
  const err = (problem: string, f = field): never => {
    throw new InputError(file, line, f, problem);
  };
  if (!isObj(v)) return err('expected an object {"inputs": [...], "output": "..."}');
  let inputs: Json = v.inputs;
  if (inputs === undefined && 'input' in v) inputs = [v.input];
  if (!Array.isArray(inputs) || inputs.length === 0)
    return err('expected a non-empty array of strings', `${field}.inputs`);
  inputs.forEach((s, i) =>
    typeof s === 'string'
      ? null
      : err(`expected a string, got ${JSON.stringify(s)}`, `${field}.inputs[${i}]`),
  );
  for (const k of Object.keys(v))
    if (!['inputs', 'input', 'output'].includes(k)) err(`unknown field '${k}'`, `${field}.${k}`);
  const out = v.output;
  if (out === undefined || out === null) {
    if (needOutput) return err('missing output', `${field}.output`);
    return { inputs: inputs as string[], output: null };
  }
  if (typeof out !== 'string') return err(`expected a string, got ${JSON.stringify(out)}`, `${field}.output`);
  return { inputs: inputs as string[], output: out };
}

function checkColumns(
  file: string,
  line: number,
  rows: { field: string; inputs: readonly string[] }[],
): void {
  const n = rows[0]?.inputs.length;
  for (const r of rows)
    if (r.inputs.length !== n)
      throw new InputError(
        file,
        line,
        `${r.field}.inputs`,
        `has ${r.inputs.length} columns, the first example has ${n}`,
      );
}

/** Parses one JSONL line into a task. */
function jsonlTask(file: string, line: number, text: string, index: number): FileTask {
  let v: Json;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, line, null, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObj(v)) throw new InputError(file, line, null, 'expected a JSON object per line');
  for (const k of Object.keys(v))
    if (!['name', 'examples', 'tests', 'fill'].includes(k))
      throw new InputError(file, line, k, 'unknown field (expected name, examples, tests, fill)');
  if (v.name !== undefined && typeof v.name !== 'string')
    throw new InputError(file, line, 'name', 'expected a string');
  if (!Array.isArray(v.examples) || v.examples.length === 0)
    throw new InputError(file, line, 'examples', 'expected a non-empty array');
  const examples = v.examples.map((e, i) => row(file, line, `examples[${i}]`, e, true) as StringsExample);
  const tests: StringsExample[] = [];
  const fill: string[][] = [];
  const all = examples.map((e, i) => ({ field: `examples[${i}]`, inputs: e.inputs }));
  if (v.tests !== undefined) {
    if (!Array.isArray(v.tests)) throw new InputError(file, line, 'tests', 'expected an array');
    v.tests.forEach((t, i) => {
      const r = row(file, line, `tests[${i}]`, t, false);
      all.push({ field: `tests[${i}]`, inputs: r.inputs });
      if (r.output === null) fill.push(r.inputs);
      else tests.push({ inputs: r.inputs, output: r.output });
    });
  }
  if (v.fill !== undefined) {
    if (!Array.isArray(v.fill)) throw new InputError(file, line, 'fill', 'expected an array of input arrays');
    v.fill.forEach((f, i) => {
      if (!Array.isArray(f) || !f.every((s) => typeof s === 'string'))
        throw new InputError(file, line, `fill[${i}]`, 'expected an array of strings');
      all.push({ field: `fill[${i}]`, inputs: f as string[] });
      fill.push(f as string[]);
    });
  }
  checkColumns(file, line, all);
  return {
    name: (v.name as string | undefined) ?? `task ${index + 1}`,
    line,
    spec: { name: v.name as string | undefined, examples, tests, fill },
  };
}

export function parseJsonl(text: string, file = '<input>'): FileTask[] {
  const tasks: FileTask[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((l, i) => {
    if (l.trim() === '' || l.trimStart().startsWith('//')) return;
    tasks.push(jsonlTask(file, i + 1, l, tasks.length));
  });
  if (tasks.length === 0) throw new InputError(file, 1, null, 'no tasks in file');
  return tasks;
}

/** RFC 4180 CSV: rows of cells with the line each row starts on. */
export function parseCsvRows(text: string, file = '<input>'): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"') {
      if (cell !== '')
        throw new InputError(file, line, `column ${cells.length + 1}`, 'quote inside an unquoted cell');
      quoted = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
    i++;
  }
  if (quoted) throw new InputError(file, rowLine, null, 'unterminated quoted cell');
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

export function parseCsv(text: string, file = '<input>'): FileTask[] {
  const rows = parseCsvRows(text, file);
  if (rows.length === 0) throw new InputError(file, 1, null, 'empty CSV file');
  const first = rows[0].cells;
  const header = /^(output|result|target)$/i.test(first[first.length - 1].trim());
  const body = header ? rows.slice(1) : rows;
  const width = first.length;
  if (width < 2)
    throw new InputError(
      file,
      rows[0].line,
      null,
      'a CSV task needs at least one input column and an output column',
    );
  const examples: StringsExample[] = [];
  const fill: string[][] = [];
  for (const r of body) {
    if (r.cells.length !== width)
      throw new InputError(file, r.line, null, `has ${r.cells.length} columns, expected ${width}`);
    const inputs = r.cells.slice(0, -1);
    const output = r.cells[width - 1];
    if (output === '') fill.push(inputs);
    else examples.push({ inputs, output });
  }
  if (examples.length === 0)
    throw new InputError(
      file,
      rows[0].line,
      header ? first[width - 1] : `column ${width}`,
      'no example has an output',
    );
  const name = file.replace(/^.*[\\/]/, '').replace(/\.csv$/i, '');
  return [{ name, line: 1, spec: { name, examples, tests: [], fill } }];
}

/** Parses a task file's text: CSV when the name ends in .csv, else JSONL. */
export function parseTaskText(text: string, file: string): FileTask[] {
  return /\.csv$/i.test(file) ? parseCsv(text, file) : parseJsonl(text, file);
}
