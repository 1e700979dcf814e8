/**
 * Task files for strings, read from bytes (UTF-8; a byte-order mark is skipped, invalid UTF-8 is an
 * error naming its line).
 * - JSONL (DESIGN.md §6): one task per line,
 *   {"name"?, "examples": [{"inputs": [...], "output": "..."}], "tests"?: [...], "fill"?: [[...]]}
 *   where `"input": "x"` may stand for `"inputs": ["x"]`, and a test row without an output is a row to
 *   fill. Blank lines and lines starting with `//` are skipped.
 * - JSON (.json): one task object or an array of them, pretty-printed or not (a .json file holding
 *   JSONL is read as JSONL).
 * - CSV (csv-parse: RFC 4180 quoting, embedded newlines): one task per file; the columns are the inputs
 *   and the last one the output; an empty output marks a row to fill. The first row is a header unless
 *   `header: false` (`--no-header`).
 * The whole file is checked: every bad line is reported (an AggregateError of InputErrors when there
 * are several), each naming the file, line and field, so a user fixes them all in one go.
 */
import { parse as parseCsvRecords } from 'csv-parse/sync';
import { InputError } from '../../core/index.js';
import type { StringsExample, StringsSpec } from './repl.js';
import { DEFAULT_LIMITS, specProblems, type StringsLimits } from './spec-check.js';

export interface FileTask {
  readonly name: string;
  /** Line where the task starts (1-based). */
  readonly line: number;
  readonly spec: StringsSpec & {
    readonly tests: readonly StringsExample[];
    readonly fill: readonly (readonly string[])[];
  };
}

export interface TaskFileOptions {
  /** CSV: the first row names the columns (default true). */
  readonly header?: boolean;
  readonly limits?: StringsLimits;
}

type Json = unknown;

const isObj = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Throws the errors found: one InputError, or an AggregateError of them. */
export function throwAll(errors: readonly InputError[], file: string): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} errors in ${file}`);
}

/** The 1-based line of a character offset. */
const lineAt = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

/** Offset of the first byte that is not part of valid UTF-8, or -1. */
function invalidUtf8At(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n =
      c < 0x80
        ? 0
        : c >= 0xc2 && c <= 0xdf
          ? 1
          : c >= 0xe0 && c <= 0xef
            ? 2
            : c >= 0xf0 && c <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** UTF-8 text of a file; invalid bytes are an error naming the line (never replaced silently). */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    // fatal: no silent U+FFFD; the decoder skips a leading byte-order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = Math.max(0, invalidUtf8At(bytes));
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
    throw new InputError(
      file,
      line,
      null,
      `not valid UTF-8 (byte 0x${bytes[at]?.toString(16).padStart(2, '0') ?? '??'} at offset ${at}); save the file as UTF-8`,
    );
  }
}

class Bad extends Error {
  constructor(
    readonly field: string | null,
    readonly problem: string,
  ) {
    super(problem);
  }
}

function row(field: string, v: Json, needOutput: boolean): { inputs: string[]; output: string | null } {
  const err = (problem: string, f = field): never => {
    throw new Bad(f, problem);
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

/** One task object (from a JSONL line or a JSON document), checked against the limits. */
function taskOf(v: Json, index: number, limits: StringsLimits): Omit<FileTask, 'line'> {
  if (!isObj(v)) throw new Bad(null, 'expected a JSON object {"examples": [...]} for a task');
  for (const k of Object.keys(v))
    if (!['name', 'examples', 'tests', 'fill'].includes(k))
      throw new Bad(k, 'unknown field (expected name, examples, tests, fill)');
  if (v.name !== undefined && typeof v.name !== 'string') throw new Bad('name', 'expected a string');
  if (!Array.isArray(v.examples) || v.examples.length === 0)
    throw new Bad('examples', 'expected a non-empty array');
  const examples = v.examples.map((e, i) => row(`examples[${i}]`, e, true) as StringsExample);
  const tests: StringsExample[] = [];
  const fill: string[][] = [];
  if (v.tests !== undefined) {
    if (!Array.isArray(v.tests)) throw new Bad('tests', 'expected an array');
    v.tests.forEach((t, i) => {
      const r = row(`tests[${i}]`, t, false);
      if (r.output === null) fill.push(r.inputs);
      else tests.push({ inputs: r.inputs, output: r.output });
    });
  }
  if (v.fill !== undefined) {
    if (!Array.isArray(v.fill)) throw new Bad('fill', 'expected an array of input arrays');
    v.fill.forEach((f, i) => {
      if (!Array.isArray(f) || f.length === 0 || !f.every((s) => typeof s === 'string'))
        throw new Bad(`fill[${i}]`, 'expected a non-empty array of strings');
      fill.push(f as string[]);
    });
  }
  const spec = { name: v.name as string | undefined, examples, tests, fill };
  const first = specProblems(spec, limits)[0];
  if (first) throw new Bad(first.field, first.message);
  return { name: (v.name as string | undefined) ?? `task ${index + 1}`, spec };
}

/** Runs `f`, turning a Bad into an InputError at this file and line. */
function at<T>(file: string, line: number, errors: InputError[], f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof Bad)) throw e;
    errors.push(new InputError(file, line, e.field, e.problem));
    return null;
  }
}

/** V8's JSON error without the quoted source (which may span lines) and without its own position. */
const jsonMessage = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e))
    .replace(/, "[\s\S]*" is not valid JSON$/, '')
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s+/g, ' ');

export function parseJsonl(text: string, file = '<input>', opts: TaskFileOptions = {}): FileTask[] {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const tasks: FileTask[] = [];
  const errors: InputError[] = [];
  let index = 0;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((l, i) => {
      if (l.trim() === '' || l.trimStart().startsWith('//')) return;
      const line = i + 1;
      const k = index++;
      const t = at(file, line, errors, () => {
        let v: Json;
        try {
          v = JSON.parse(l);
        } catch (e) {
          throw new Bad(null, `invalid JSON: ${jsonMessage(e)} (JSONL: one task object per line)`);
        }
        return taskOf(v, k, limits);
      });
      if (t) tasks.push({ ...t, line });
    });
  if (errors.length === 0 && tasks.length === 0)
    errors.push(new InputError(file, 1, null, 'no tasks in file'));
  throwAll(errors, file);
  return tasks;
}

/** Start lines of the elements of a top-level JSON array (the text is valid JSON). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let inString = false;
  let line = 1;
  let expect = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (expect && !/\s/.test(c) && !(depth === 1 && c === ']')) {
      lines.push(line);
      expect = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1 && c === '[') expect = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expect = true;
  }
  return lines;
}

/** A .json file: one task object or an array of tasks (any layout); JSONL inside a .json is accepted. */
export function parseJsonDocument(text: string, file = '<input>', opts: TaskFileOptions = {}): FileTask[] {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const body = text.replace(/^\uFEFF/, '');
  let doc: Json;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('//'));
    const jsonl = lines.length > 1 && lines.every((l) => /^\s*\{.*\}\s*$/.test(l));
    if (jsonl) return parseJsonl(body, file, opts);
    const pos = /position (\d+)/.exec(String((e as Error).message));
    throw new InputError(
      file,
      pos ? lineAt(body, Number(pos[1])) : 1,
      null,
      `invalid JSON: ${jsonMessage(e)} (a .json file holds one task object or an array of them)`,
    );
  }
  const items = Array.isArray(doc) ? doc : [doc];
  const lines = Array.isArray(doc) ? elementLines(body) : [lineAt(body, body.search(/\S/))];
  const errors: InputError[] = [];
  const tasks: FileTask[] = [];
  items.forEach((v, i) => {
    const line = lines[i] ?? 1;
    const t = at(file, line, errors, () => {
      try {
        return taskOf(v, i, limits);
      } catch (e) {
        // Inside an array, say which element.
        if (e instanceof Bad && Array.isArray(doc))
          throw new Bad(e.field ? `[${i}].${e.field}` : `[${i}]`, e.problem);
        throw e;
      }
    });
    if (t) tasks.push({ ...t, line });
  });
  if (errors.length === 0 && tasks.length === 0)
    errors.push(new InputError(file, 1, null, 'no tasks in file'));
  throwAll(errors, file);
  return tasks;
}

const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed (a missing ")',
  INVALID_OPENING_QUOTE:
    'a quote inside an unquoted cell (quote the whole cell and double the quotes inside: "a ""b""")',
  CSV_INVALID_CLOSING_QUOTE:
    'text right after a closing quote (double the quotes inside a quoted cell: "a ""b""")',
};

interface CsvRecord {
  readonly record: string[];
  readonly raw: string;
  readonly info: { readonly lines: number };
}

/** RFC 4180 CSV rows (csv-parse) with the line each row starts on. */
export function parseCsvRows(text: string, file = '<input>'): { line: number; cells: string[] }[] {
  let records: CsvRecord[];
  try {
    records = parseCsvRecords(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
    }) as unknown as CsvRecord[];
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number };
    throw new InputError(
      file,
      err.lines ?? 1,
      null,
      CSV_ERRORS[err.code ?? ''] ?? err.message.replace(/ at line \d+/, ''),
    );
  }
  return records.map((r) => {
    // info.lines is the line the record ends on; count back over the newlines inside it.
    const inner = r.raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
    return { line: r.info.lines - (inner.match(/\n/g)?.length ?? 0), cells: r.record };
  });
}

export function parseCsv(text: string, file = '<input>', opts: TaskFileOptions = {}): FileTask[] {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const rows = parseCsvRows(text, file);
  if (rows.length === 0) throw new InputError(file, 1, null, 'empty CSV file');
  const header = opts.header ?? true;
  const first = rows[0];
  const width = first.cells.length;
  if (width < 2)
    throw new InputError(
      file,
      first.line,
      null,
      `a CSV task needs at least one input column and an output column (found ${width} column)`,
    );
  const names = header ? first.cells.map((c, i) => c.trim() || `column ${i + 1}`) : null;
  const column = (i: number): string => (names ? names[i] : `column ${i + 1}`);
  const body = header ? rows.slice(1) : rows;
  const errors: InputError[] = [];
  const examples: StringsExample[] = [];
  const fill: string[][] = [];
  const lineOf: number[] = [];
  for (const r of body) {
    if (r.cells.length !== width) {
      errors.push(
        new InputError(
          file,
          r.line,
          null,
          `has ${r.cells.length} columns, the ${header ? 'header' : 'first row'} has ${width}`,
        ),
      );
      continue;
    }
    const inputs = r.cells.slice(0, -1);
    const output = r.cells[width - 1];
    if (output === '') fill.push(inputs);
    else {
      examples.push({ inputs, output });
      lineOf.push(r.line);
    }
  }
  throwAll(errors, file);
  if (examples.length === 0)
    throw new InputError(
      file,
      first.line,
      column(width - 1),
      header
        ? 'no row has an output (rows with an empty output are rows to fill)'
        : 'no example has an output',
    );
  const name = file.replace(/^.*[\\/]/, '').replace(/\.csv$/i, '');
  const spec = { name, examples, tests: [], fill };
  const fillLines = body
    .filter((r) => r.cells.length === width && r.cells[width - 1] === '')
    .map((r) => r.line);
  for (const p of specProblems(spec, limits)) {
    const m = /^(examples|fill)\[(\d+)\](?:\.(inputs|output))?(?:\[(\d+)\])?/.exec(p.field ?? '');
    const line = m ? (m[1] === 'examples' ? lineOf : fillLines)[Number(m[2])] : first.line;
    const field =
      m?.[3] === 'output' ? column(width - 1) : m?.[4] !== undefined ? column(Number(m[4])) : null;
    errors.push(new InputError(file, line ?? first.line, field, p.message));
  }
  throwAll(errors, file);
  return [{ name, line: 1, spec }];
}

/** Parses a task file's text by its extension: .csv, .json, else JSONL. */
export function parseTaskText(text: string, file: string, opts: TaskFileOptions = {}): FileTask[] {
  if (/\.csv$/i.test(file)) return parseCsv(text, file, opts);
  if (/\.json$/i.test(file)) return parseJsonDocument(text, file, opts);
  try {
    return parseJsonl(text, file, opts);
  } catch (e) {
    // A pretty-printed JSON document under a .jsonl name: read it as one.
    if (wholeJson(text)) return parseJsonDocument(text, file, opts);
    throw e;
  }
}

function wholeJson(text: string): boolean {
  try {
    const v: Json = JSON.parse(text.replace(/^\uFEFF/, ''));
    return typeof v === 'object' && v !== null && text.trim().split('\n').length > 1;
  } catch {
    return false;
  }
}

/** Parses a task file's bytes (UTF-8). */
export function parseTaskBytes(bytes: Uint8Array, file: string, opts: TaskFileOptions = {}): FileTask[] {
  return parseTaskText(decodeUtf8(bytes, file), file, opts);
}
