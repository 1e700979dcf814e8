/**
 * Task files for minic: JSONL, one task a line, as `replsynth data minic` writes them:
 *   {"name"?, "program"?, "examples": [{"input": [5 ints], "output": [5 ints]}, …], "tests"?: [...]}
 * A given program must parse and reproduce every example and test. Inline specs are pairs like
 * '[1,2,3,4,5] => [2,3,4,5,6]'. Errors name the file, line and field (InputError) or the argument.
 */
import { InputError, ParseError, SpecError, UserError, type NamedSpec } from '../../core/index.js';
import { LIST_LENGTH, tokenCount, type Program } from './dsl.js';
import type { MinicExample, MinicSpec } from './dataset.js';
import { runProgram } from './interpreter.js';
import { parseProgram } from './parse.js';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** Why a value is not a list of 5 C ints, or null. */
export function listError(v: unknown): string | null {
  if (!Array.isArray(v) || v.length !== LIST_LENGTH)
    return `expected a list of ${LIST_LENGTH} integers, got ${JSON.stringify(v)}`;
  const bad = v.find((x) => !(Number.isInteger(x) && x >= INT_MIN && x <= INT_MAX));
  return bad === undefined ? null : `expected 32-bit integers, got ${JSON.stringify(bad)}`;
}

/** Throws a SpecError when a spec cannot be worked on. */
export function validateSpec(spec: MinicSpec): void {
  if (!Array.isArray(spec.examples) || spec.examples.length === 0)
    throw new SpecError('a minic spec needs at least one example');
  const rows: [string, MinicExample][] = spec.examples.map((e, i) => [`example ${i + 1}`, e]);
  (spec.tests ?? []).forEach((e, i) => rows.push([`test ${i + 1}`, e]));
  for (const [where, e] of rows) {
    const bad = listError(e.input) ?? listError(e.output);
    if (bad) throw new SpecError(`${where}: ${bad}`);
  }
}

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function example(file: string, line: number, field: string, v: Json): MinicExample {
  const err = (problem: string, f = field): never => {
    throw new InputError(file, line, f, problem);
  };
  if (!isObj(v)) return err('expected an object {"input": [5 ints], "output": [5 ints]}');
  for (const k of Object.keys(v))
    if (k !== 'input' && k !== 'output') err(`unknown field '${k}'`, `${field}.${k}`);
  for (const k of ['input', 'output']) {
    if (!(k in v)) err(`missing ${k}`, `${field}.${k}`);
    const bad = listError(v[k]);
    if (bad) err(bad, `${field}.${k}`);
  }
  return { input: v.input as number[], output: v.output as number[] };
}

function examples(file: string, line: number, field: string, v: Json, required: boolean): MinicExample[] {
  if (v === undefined && !required) return [];
  if (!Array.isArray(v) || (required && v.length === 0))
    throw new InputError(file, line, field, `expected ${required ? 'a non-empty ' : 'an '}array of examples`);
  return v.map((e, i) => example(file, line, `${field}[${i}]`, e));
}

function program(file: string, line: number, text: Json): Program {
  if (typeof text !== 'string')
    throw new InputError(file, line, 'program', 'expected the C function as a string');
  try {
    return parseProgram(text);
  } catch (e) {
    if (e instanceof ParseError)
      throw new InputError(file, line, 'program', `${e.message} (at character ${e.position})`);
    throw e;
  }
}

/** Checks that the file's program reproduces the file's outputs. */
function checkProgram(
  file: string,
  line: number,
  p: Program,
  field: string,
  rows: readonly MinicExample[],
): void {
  rows.forEach((e, i) => {
    const r = runProgram(p, e.input);
    const got = r.ok
      ? JSON.stringify(r.output)
      : r.error === 'index'
        ? `an index out of bounds (a[${r.index}])`
        : 'no result within the step limit';
    if (got !== JSON.stringify(e.output))
      throw new InputError(
        file,
        line,
        `${field}[${i}].output`,
        `the program gives ${got}, not ${JSON.stringify(e.output)}`,
      );
  });
}

/** V8's JSON error on one line, without the source it quotes (which may be long or span lines). */
const jsonMessage = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e))
    .replace(/, "[\s\S]*" is not valid JSON$/, '')
    .replace(/\s+/g, ' ');

/** Parses a JSONL task file (blank lines skipped). */
export function parseTaskFile(text: string, file: string): NamedSpec<MinicSpec>[] {
  const out: NamedSpec<MinicSpec>[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let v: Json;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      throw new InputError(file, line, null, `invalid JSON: ${jsonMessage(e)}`);
    }
    if (!isObj(v)) throw new InputError(file, line, null, 'expected a JSON object per line');
    for (const k of Object.keys(v))
      if (!['name', 'program', 'examples', 'tests'].includes(k))
        throw new InputError(file, line, k, 'unknown field (expected name, program, examples, tests)');
    if (v.name !== undefined && typeof v.name !== 'string')
      throw new InputError(file, line, 'name', 'expected a string');
    const ex = examples(file, line, 'examples', v.examples, true);
    const tests = examples(file, line, 'tests', v.tests, false);
    const facts: Record<string, unknown> = { targetTokens: null };
    if (v.program !== undefined) {
      const p = program(file, line, v.program);
      checkProgram(file, line, p, 'examples', ex);
      checkProgram(file, line, p, 'tests', tests);
      facts.targetTokens = tokenCount(p);
    }
    out.push({
      name: (v.name as string | undefined) ?? `task ${out.length + 1}`,
      spec: tests.length ? { examples: ex, tests } : { examples: ex },
      facts,
    });
  });
  if (out.length === 0) throw new InputError(file, 1, null, 'no tasks in the file');
  return out;
}

function list(text: string, where: string): number[] {
  const t = text.trim();
  let v: unknown;
  try {
    v = t.startsWith('[')
      ? JSON.parse(t)
      : t
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number);
  } catch {
    v = null;
  }
  const bad = listError(v);
  if (bad) throw new UserError(`${where}: ${bad}`, 2);
  return v as number[];
}

/** One spec from words like '[1,2,3,4,5] => [2,3,4,5,6]' (or '1 2 3 4 5 => 2 3 4 5 6'). */
export function parseInlineExamples(words: readonly string[]): NamedSpec<MinicSpec>[] {
  if (words.length === 0) return [];
  const examples = words.map((w, i) => {
    const where = `example ${i + 1} ('${w}')`;
    const at = w.indexOf('=>');
    if (at < 0) throw new UserError(`${where}: expected '[5 ints] => [5 ints]'`, 2);
    return { input: list(w.slice(0, at), where), output: list(w.slice(at + 2), where) };
  });
  return [{ name: '', spec: { examples } }];
}
