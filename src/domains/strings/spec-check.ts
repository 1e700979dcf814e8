/**
 * What makes a strings spec unusable or hopeless, found before any search: strings over the length
 * limit, too many or ragged input columns, text that is not valid Unicode, two examples with the same
 * inputs and different outputs, output characters that no program can write (in no input and not a
 * constant), and outputs that are all empty. Lengths and positions count code points, not UTF-16 units.
 * Each problem names the field it is in (`examples[1].inputs[0]`), so readers can add file and line.
 */
import { buildActionTable } from './actions.js';
import type { StringsExample, StringsSpec } from './repl.js';

/** The limits of a strings spec (README, "Input limits"); both can be changed on the command line. */
export interface StringsLimits {
  /** Longest string, in characters (code points). */
  readonly maxLength: number;
  /** Most input columns. */
  readonly columns: number;
}

export const DEFAULT_LIMITS: StringsLimits = { maxLength: 200, columns: 3 };

export interface SpecProblem {
  /** Where: `examples[1].output`, `fill[0]`; null for the spec as a whole. */
  readonly field: string | null;
  readonly message: string;
}

/** Length in code points. */
export const codePoints = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      n++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
};

/** Whether a string is well-formed UTF-16 (no lone surrogate). */
export const wellFormed = (s: string): boolean =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

const show = (ch: string): string =>
  `${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;

// Characters a program can write without reading them from an input: every constant and replacement.
let constantChars: Set<string> | null = null;
function writable(): Set<string> {
  if (constantChars) return constantChars;
  const out = new Set<string>();
  for (const e of buildActionTable({ extended: true, columns: 1 }).entries)
    if (typeof e.arg === 'string') for (const ch of e.arg) out.add(ch);
  return (constantChars = out);
}

/** The characters a program can produce on this row: its inputs' characters in every case, and constants. */
function reachable(inputs: readonly string[]): Set<string> {
  const out = new Set(writable());
  for (const s of inputs)
    for (const v of [s, s.toUpperCase(), s.toLowerCase()]) for (const ch of v) out.add(ch);
  for (const s of inputs)
    for (const ch of s) for (const v of [ch.toUpperCase(), ch.toLowerCase()]) for (const c of v) out.add(c);
  return out;
}

function checkString(field: string, s: unknown, limits: StringsLimits, out: SpecProblem[]): void {
  if (typeof s !== 'string') {
    out.push({ field, message: `expected a string, got ${JSON.stringify(s)}` });
    return;
  }
  if (!wellFormed(s)) out.push({ field, message: 'not valid Unicode (a lone surrogate)' });
  const n = codePoints(s);
  if (n > limits.maxLength)
    out.push({
      field,
      message: `a string of ${n} characters is longer than the limit of ${limits.maxLength} (raise it with --max-length)`,
    });
}

function checkRow(
  field: string,
  inputs: readonly unknown[],
  width: number,
  limits: StringsLimits,
  out: SpecProblem[],
): void {
  if (inputs.length !== width)
    out.push({
      field: `${field}.inputs`,
      message: `has ${inputs.length} input column${inputs.length === 1 ? '' : 's'}, the first example has ${width}`,
    });
  inputs.forEach((s, i) => checkString(`${field}.inputs[${i}]`, s, limits, out));
}

/** Every problem of a spec, in order; none means a search can start. */
export function specProblems(spec: StringsSpec, limits: StringsLimits = DEFAULT_LIMITS): SpecProblem[] {
  const out: SpecProblem[] = [];
  const ex = spec.examples;
  if (!Array.isArray(ex) || ex.length === 0)
    return [{ field: 'examples', message: 'a strings task needs at least one example' }];
  const width = ex[0].inputs.length;
  if (width < 1) out.push({ field: 'examples[0].inputs', message: 'an example needs at least one input' });
  if (width > limits.columns)
    out.push({
      field: 'examples[0].inputs',
      message: `${width} input columns, more than the limit of ${limits.columns} (raise it with --columns)`,
    });
  ex.forEach((e, i) => {
    checkRow(`examples[${i}]`, e.inputs, width, limits, out);
    checkString(`examples[${i}].output`, e.output, limits, out);
  });
  (spec.tests ?? []).forEach((e, i) => {
    checkRow(`tests[${i}]`, e.inputs, width, limits, out);
    checkString(`tests[${i}].output`, e.output, limits, out);
  });
  (spec.fill ?? []).forEach((r, i) => checkRow(`fill[${i}]`, r, width, limits, out));
  if (out.length) return out;
  return [...contradictions(ex), ...impossible(ex), ...allEmpty(ex)];
}

function contradictions(ex: readonly StringsExample[]): SpecProblem[] {
  const seen = new Map<string, number>();
  const out: SpecProblem[] = [];
  ex.forEach((e, i) => {
    const key = JSON.stringify(e.inputs);
    const j = seen.get(key);
    if (j === undefined) seen.set(key, i);
    else if (ex[j].output !== e.output)
      out.push({
        field: `examples[${i}].output`,
        message: `has the same inputs as example ${j + 1} but another output: no program can give both`,
      });
  });
  return out;
}

function impossible(ex: readonly StringsExample[]): SpecProblem[] {
  const out: SpecProblem[] = [];
  ex.forEach((e, i) => {
    const can = reachable(e.inputs);
    for (const ch of e.output)
      if (!can.has(ch)) {
        out.push({
          field: `examples[${i}].output`,
          message: `the character ${show(ch)} is in no input of example ${i + 1} and no program can write it`,
        });
        return;
      }
  });
  return out;
}

function allEmpty(ex: readonly StringsExample[]): SpecProblem[] {
  return ex.every((e) => e.output === '')
    ? [{ field: 'examples', message: 'every output is empty: there is nothing to learn' }]
    : [];
}

/** A problem as prose for messages without a file: `example 2, input column 1: …` (1-based). */
export function proseOf(p: SpecProblem): string {
  if (!p.field) return p.message;
  const m = /^(examples|tests|fill)\[(\d+)\](?:\.(inputs|output))?(?:\[(\d+)\])?$/.exec(p.field);
  if (!m) return `${p.field}: ${p.message}`;
  const what = { examples: 'example', tests: 'held-out row', fill: 'row to fill' }[m[1]]!;
  const part =
    m[3] === 'output' ? ', output' : m[4] !== undefined ? `, input column ${Number(m[4]) + 1}` : '';
  return `${what} ${Number(m[2]) + 1}${part}: ${p.message}`;
}
