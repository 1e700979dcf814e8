/**
 * Random programs and tasks as in the paper's official code (ROB.py): 1–6 expressions, each F, N,
 * N(N), N(F) or a 1–4 character constant; inputs built so that every regex the program uses matches
 * often enough; outputs 1–maxLength characters; the ground-truth trace is the program's action
 * sequence, kept only when it replays to a solved state within the trace limit.
 */
import type { Rng } from '../../core/index.js';
import { CONST_WORDS, programToActions } from './actions.js';
import {
  BOUNDARIES,
  CASES,
  INDEX_MAX,
  INDEX_MIN,
  POS_MAX,
  POS_MIN,
  type Expr,
  type Op,
  type Program,
  type Source,
} from './dsl.js';
import { runProgram } from './interpreter.js';
import {
  initialReplState,
  replStep,
  type ReplConfig,
  type StringsExample,
  type StringsSpec,
} from './repl.js';
import { CHARACTERS, DELIMITERS, NUM_ALL_REGEXES, NUM_REGEXES, NUM_TYPES, type RegexId } from './regex.js';
import { NUM_THRESHOLDS } from './actions.js';
import { TEXT_PREDS, type Pred } from './dsl.js';
import { specTexts } from './proposals.js';

export interface GeneratorConfig {
  readonly repl: ReplConfig;
  readonly extended: boolean;
  /** Rich mode: also conditionals, tests, numbers, label constants, Unicode types. */
  readonly rich?: boolean;
  /** Input columns available (extended mode). */
  readonly columns: number;
  readonly maxLength: number;
  readonly maxExprs: number;
  readonly maxTrace: number;
  readonly examples: number;
  readonly tests: number;
}

export interface GeneratedTask {
  readonly spec: StringsSpec;
  readonly program: Program;
  readonly trace: number[];
}

const randIndex = (rng: Rng): number => rng.range(INDEX_MIN, INDEX_MAX);
const randType = (rng: Rng): RegexId => rng.int(NUM_TYPES);
// As in ROB.py, half of the regexes drawn are token types and half delimiters.
const randRegex = (rng: Rng): RegexId =>
  rng.bool() ? randType(rng) : NUM_TYPES + rng.int(DELIMITERS.length);

function randF(rng: Rng): Op {
  if (rng.bool()) {
    let k1 = rng.range(POS_MIN, POS_MAX);
    let k2 = rng.range(POS_MIN, POS_MAX);
    if (k1 > k2) [k1, k2] = [k2, k1];
    return { op: 'SubStr', k1, k2 };
  }
  return {
    op: 'GetSpan',
    r1: randRegex(rng),
    i1: randIndex(rng),
    b1: rng.pick(BOUNDARIES),
    r2: randRegex(rng),
    i2: randIndex(rng),
    b2: rng.pick(BOUNDARIES),
  };
}

function randN(rng: Rng, extended: boolean): Op {
  switch (rng.int(extended ? 8 : 7)) {
    case 0:
      return { op: 'GetToken', t: randType(rng), i: randIndex(rng) };
    case 1:
      return { op: 'ToCase', c: rng.pick(CASES) };
    case 2: {
      const from = rng.pick(DELIMITERS);
      const others = DELIMITERS.filter((d) => d !== from);
      return { op: 'Replace', from, to: extended && rng.bool(0.2) ? '' : rng.pick(others) };
    }
    case 3:
      return { op: 'GetUpTo', r: randRegex(rng) };
    case 4:
      return { op: 'GetFrom', r: randRegex(rng) };
    case 5:
      return { op: 'GetFirst', t: randType(rng), i: randIndex(rng) };
    case 6:
      return { op: 'GetAll', t: randType(rng) };
    default:
      return { op: 'Trim' };
  }
}

function randConst(rng: Rng, extended: boolean): string {
  if (extended && rng.bool(0.4)) return rng.pick(CONST_WORDS);
  // The original sampled printable characters; tab is rare in outputs, so it is left out here.
  const n = rng.range(1, 4);
  let s = '';
  for (let i = 0; i < n; i++) s += CHARACTERS[rng.int(CHARACTERS.length - 1)];
  return s;
}

/** One random expression: F | N | N(N) | N(F) | constant (the grammar of ROB.py). */
export function randomExpr(rng: Rng, extended: boolean, columns: number): Expr[] {
  const source: Source =
    extended && columns > 1 && rng.bool(0.4)
      ? { src: 'input', col: rng.int(columns) }
      : { src: 'input', col: 0 };
  switch (rng.int(5)) {
    case 0:
      return [{ source, ops: [randF(rng)] }];
    case 1:
      return [{ source, ops: [randN(rng, extended)] }];
    case 2:
      return [{ source, ops: [randN(rng, extended), randN(rng, extended)] }];
    case 3:
      return [{ source, ops: [randF(rng), randN(rng, extended)] }];
    default: {
      const value = randConst(rng, extended);
      // Paper mode (and any non-word constant) writes one character per expression, as the REPL does.
      if (extended && CONST_WORDS.includes(value)) return [{ source: { src: 'const', value }, ops: [] }];
      return value.split('').map((c) => ({ source: { src: 'const', value: c }, ops: [] }));
    }
  }
}

export function randomProgram(rng: Rng, cfg: GeneratorConfig): Program {
  const n = rng.range(1, cfg.maxExprs);
  const exprs: Expr[] = [];
  for (let i = 0; i < n; i++)
    exprs.push(
      ...(cfg.rich && rng.bool(0.45)
        ? richExpr(rng, cfg.columns)
        : randomExpr(rng, cfg.extended, cfg.columns)),
    );
  return cfg.rich ? { exprs: mergeConstants(exprs) } : { exprs };
}

/** Adjacent bare constants as one (rich mode writes a constant in proposed pieces, not per character). */
function mergeConstants(exprs: readonly Expr[]): Expr[] {
  const out: Expr[] = [];
  for (const e of exprs) {
    const last = out[out.length - 1];
    if (
      last &&
      last.source.src === 'const' &&
      last.ops.length === 0 &&
      e.source.src === 'const' &&
      e.ops.length === 0
    )
      out[out.length - 1] = { source: { src: 'const', value: last.source.value + e.source.value }, ops: [] };
    else out.push(e);
  }
  return out;
}

// ------------------------------------------------------------ rich mode

/** Placeholder text of a text predicate, replaced by a proposed input text once inputs exist. */
export const TEXT_PLACEHOLDER = '\u0000text';

const randAnyType = (rng: Rng): RegexId =>
  rng.bool(0.2) ? NUM_REGEXES + rng.int(NUM_ALL_REGEXES - NUM_REGEXES) : randType(rng);
const randAnyRegex = (rng: Rng): RegexId =>
  rng.bool() ? randAnyType(rng) : NUM_TYPES + rng.int(DELIMITERS.length);

function randPred(rng: Rng): Pred {
  switch (rng.int(6)) {
    case 0:
    case 1:
      return {
        p: rng.pick(TEXT_PREDS),
        text: TEXT_PLACEHOLDER,
        ci: rng.bool(0.3),
      };
    case 2:
      return { p: 'Has', r: randAnyRegex(rng) };
    case 3:
      return { p: 'Is', t: rng.pick([0, 1, 3, NUM_REGEXES, NUM_REGEXES + 1]) };
    case 4:
      return { p: rng.pick(['NumGt', 'NumLt'] as const), n: rng.pick(NUM_THRESHOLDS) };
    default:
      return rng.bool(0.3)
        ? { p: 'IsEmpty' }
        : { p: 'Has', r: rng.pick([0, 6, NUM_TYPES + 5, NUM_TYPES + 21]) };
  }
}

/** A multi-character label constant ("total: ", "Ref-", " kg") as people put in outputs. */
function labelConst(rng: Rng): string {
  const word = randFrom(rng, LOWER, 2, 6);
  const w = rng.bool(0.3) ? word[0].toUpperCase() + word.slice(1) : word;
  switch (rng.int(5)) {
    case 0:
      return `${w}: `;
    case 1:
      return `${w} `;
    case 2:
      return ` ${w}`;
    case 3:
      return `${w}${rng.pick(['-', '/', '#', '='])}`;
    default:
      return `(${w}) `;
  }
}

/** A numeric operation: integer out of text, then maybe arithmetic or formatting. */
function numericOps(rng: Rng): Op[] {
  const first: Op = (() => {
    switch (rng.int(4)) {
      case 0:
      case 1:
        return { op: 'GetToken', t: 0, i: rng.range(-2, 2) };
      case 2:
        return { op: 'Len' };
      default:
        return rng.bool() ? { op: 'Count', r: randAnyRegex(rng) } : { op: 'Find', r: randAnyRegex(rng) };
    }
  })();
  if (rng.bool(0.3)) return [first];
  switch (rng.int(6)) {
    case 0:
      return [first, { op: 'Add', n: rng.pick([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5]) }];
    case 1:
    case 2:
      return [first, { op: 'Pad', width: rng.range(2, 10), fill: rng.bool(0.7) ? '0' : ' ' }];
    case 3:
      return [first, { op: 'Fixed', d: rng.range(0, 3) }];
    case 4:
      return [first, { op: 'Thousands' }];
    default:
      return [first, { op: 'Round', d: rng.range(0, 2) }];
  }
}

/** One rich expression (or an If/Else pair of them). */
function richExpr(rng: Rng, columns: number): Expr[] {
  const source: Source = columns > 1 && rng.bool(0.4) ? { src: 'input', col: rng.int(columns) } : INPUT;
  switch (rng.int(5)) {
    case 0:
      return [{ source: { src: 'const', value: labelConst(rng) }, ops: [] }];
    case 1:
      return [{ source, ops: numericOps(rng) }];
    case 2:
      return [
        { source, ops: [...(rng.bool(0.3) ? [randN(rng, true)] : []), { op: 'Test', pred: randPred(rng) }] },
      ];
    default: {
      // A conditional: one expression where the predicate holds, another where it fails.
      const pred = randPred(rng);
      const col = columns > 1 && rng.bool(0.3) ? rng.int(columns) : 0;
      const branch = (): Expr => {
        const e = rng.bool(0.5)
          ? {
              source: {
                src: 'const' as const,
                value: rng.bool(0.6) ? labelConst(rng).trim() || 'yes' : randFrom(rng, UPPER, 1, 3),
              },
              ops: [],
            }
          : randomExpr(rng, true, columns)[0];
        return e;
      };
      const a = branch();
      const b = branch();
      const out: Expr[] = [{ source: a.source, ops: [...a.ops, { op: 'If', pred, col, keep: 'Then' }] }];
      if (rng.bool(0.8))
        out.push({ source: b.source, ops: [...b.ops, { op: 'If', pred, col, keep: 'Else' }] });
      return out;
    }
  }
}

const INPUT: Source = { src: 'input', col: 0 };

/** The program with every placeholder predicate text replaced by `text`. */
function withText(p: Program, text: string): Program {
  return {
    exprs: p.exprs.map((e) => ({
      source: e.source,
      ops: e.ops.map((o) =>
        (o.op === 'If' || o.op === 'Test') && 'text' in o.pred && o.pred.text === TEXT_PLACEHOLDER
          ? { ...o, pred: { ...o.pred, text } }
          : o,
      ),
    })),
  };
}

const hasPlaceholder = (p: Program): boolean =>
  p.exprs.some((e) =>
    e.ops.some(
      (o) => (o.op === 'If' || o.op === 'Test') && 'text' in o.pred && o.pred.text === TEXT_PLACEHOLDER,
    ),
  );

// ------------------------------------------------------------ inputs that make the regexes match

/** How many matches of each regex the program needs on its input (ROB.py's constraint dictionary). */
function constraints(p: Program): Map<RegexId, number> {
  const need = new Map<RegexId, number>();
  const want = (r: RegexId, i: number): void => {
    const k = i >= 0 ? i + 1 : -i;
    need.set(r, Math.max(need.get(r) ?? 0, k));
  };
  for (const e of p.exprs)
    for (const o of e.ops) {
      if (o.op === 'GetToken' || o.op === 'GetFirst') want(o.t, o.i);
      else if (o.op === 'GetSpan') {
        want(o.r1, o.i1);
        want(o.r2, o.i2);
      } else if (o.op === 'GetUpTo' || o.op === 'GetFrom') want(o.r, 0);
      else if (o.op === 'GetAll') want(o.t, 0);
      else if (o.op === 'Count' || o.op === 'Find') want(o.r, 0);
      else if (o.op === 'Replace') want(NUM_TYPES + DELIMITERS.indexOf(o.from), 0);
      else if (o.op === 'ToCase') want(2, 0);
    }
  return need;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';

function randFrom(rng: Rng, chars: string, lo: number, hi: number): string {
  const n = rng.range(lo, hi);
  let s = '';
  for (let i = 0; i < n; i++) s += chars[rng.int(chars.length)];
  return s;
}

/** A random string that matches regex r once. */
function sampleRegex(rng: Rng, r: RegexId): string {
  switch (r) {
    case 0:
      return randFrom(rng, DIGITS, 1, 4);
    case 1:
      return rng.bool()
        ? UPPER[rng.int(26)] + randFrom(rng, LOWER, 1, 6)
        : randFrom(rng, LOWER + UPPER, 1, 7);
    case 2:
      return randFrom(rng, LOWER + UPPER, 1, 1);
    case 3:
      return UPPER[rng.int(26)] + randFrom(rng, LOWER, 1, 6);
    case 4:
      return UPPER[rng.int(26)];
    case 5:
      return LOWER[rng.int(26)];
    case 6:
      return DIGITS[rng.int(10)];
    case 7:
      return CHARACTERS[rng.int(CHARACTERS.length - 1)];
    case NUM_REGEXES: // UWord
      return rng.bool(0.5)
        ? randFrom(rng, UNI_UPPER, 1, 1) + randFrom(rng, UNI_LOWER, 1, 6)
        : randFrom(rng, UNI_LOWER, 2, 7);
    case NUM_REGEXES + 1: // UPropCase
      return randFrom(rng, UNI_UPPER, 1, 1) + randFrom(rng, UNI_LOWER, 1, 6);
    case NUM_REGEXES + 2:
      return randFrom(rng, UNI_UPPER, 1, 1);
    case NUM_REGEXES + 3:
      return randFrom(rng, UNI_LOWER, 1, 1);
    default:
      return DELIMITERS[r - NUM_TYPES];
  }
}

// Letters of Latin-1 and beyond mixed with ASCII ones, so the Unicode types differ from Word & co.
const UNI_LOWER = 'abcdeéèàâäöüñçøåłśžıgmnrst';
const UNI_UPPER = 'ABCDÉÈÀÖÜÑÇØÅŁŚŽMNRST';

/** Background text: either uniformly random printable characters (as the original) or a token soup. */
function background(rng: Rng, maxLen: number): string[] {
  const target = rng.range(0, Math.min(maxLen, 24));
  const parts: string[] = [];
  let len = 0;
  const soup = rng.bool(0.6);
  while (len < target) {
    const piece = soup
      ? rng.bool(0.6)
        ? sampleRegex(rng, rng.pick([0, 1, 1, 3, 3]))
        : rng.bool(0.6)
          ? ' '
          : rng.pick(DELIMITERS)
      : CHARACTERS[rng.int(CHARACTERS.length - 1)];
    parts.push(piece);
    len += piece.length;
  }
  return parts;
}

/** An input string on which every regex of the program has enough matches (before truncation). */
export function generateInput(rng: Rng, need: ReadonlyMap<RegexId, number>, maxLen: number): string {
  const parts = background(rng, maxLen);
  for (const [r, k] of need) {
    for (let j = 0; j < k; j++) {
      const at = rng.int(parts.length + 1);
      // Separate inserted tokens by a space half the time, so adjacent Words/Numbers stay distinct.
      parts.splice(at, 0, rng.bool() ? sampleRegex(rng, r) : ` ${sampleRegex(rng, r)} `);
    }
  }
  const s = parts.join('');
  return s.length > maxLen ? s.slice(0, maxLen) : s;
}

function needOnColumns(p: Program, columns: number): Map<RegexId, number>[] {
  const per: Map<RegexId, number>[] = [];
  for (let c = 0; c < columns; c++) {
    const exprs = p.exprs.filter((e) => e.source.src === 'input' && e.source.col === c);
    per.push(constraints({ exprs }));
  }
  return per;
}

function makeRows(
  rng: Rng,
  p: Program,
  cfg: GeneratorConfig,
  columns: number,
  count: number,
): StringsExample[] | null {
  const need = needOnColumns(p, columns);
  const rows: StringsExample[] = [];
  for (let attempt = 0; attempt < count * 5 && rows.length < count; attempt++) {
    const inputs = need.map((n) => generateInput(rng, n, cfg.maxLength));
    const output = runProgram(p, inputs);
    if (output === null || output.length === 0 || output.length > cfg.maxLength) continue;
    rows.push({ inputs, output });
  }
  return rows.length === count ? rows : null;
}

/** A rich-mode task: inputs first (so a text predicate can test a proposed input text), then outputs. */
function generateRichTask(
  rng: Rng,
  cfg: GeneratorConfig,
  columns: number,
  program0: Program,
): GeneratedTask | null {
  const need = needOnColumns(program0, columns);
  let program = program0;
  const inputs = Array.from({ length: cfg.examples }, () =>
    need.map((n) => generateInput(rng, n, cfg.maxLength)),
  );
  if (hasPlaceholder(program0)) {
    const texts = specTexts({ examples: inputs.map((x) => ({ inputs: x, output: '' })) });
    if (texts.length === 0) return null;
    program = withText(program0, rng.pick(texts));
  }
  const examples: StringsExample[] = [];
  for (const x of inputs) {
    const output = runProgram(program, x);
    if (output === null || output.length === 0 || output.length > cfg.maxLength) return null;
    examples.push({ inputs: x, output });
  }
  const spec: StringsSpec = { examples };
  const trace = programToActions(program, cfg.repl.table, spec);
  if (trace === null || trace.length > cfg.maxTrace) return null;
  if (trace.filter((a) => a === cfg.repl.table.commit).length > cfg.repl.maxCommits) return null;
  if (!replaysToSolved(cfg.repl, spec, trace)) return null;
  const tests = cfg.tests > 0 ? makeRows(rng, program, cfg, columns, cfg.tests) : null;
  return { spec: tests ? { examples, tests } : spec, program, trace };
}

/** A random task whose ground-truth trace replays to a solved state (rejection sampling). */
export function generateTask(rng: Rng, cfg: GeneratorConfig): GeneratedTask {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    if (cfg.rich) {
      const columns = cfg.columns > 1 ? rng.range(1, cfg.columns) : 1;
      const t = generateRichTask(rng, cfg, columns, randomProgram(rng, { ...cfg, columns }));
      if (t) return t;
      continue;
    }
    const columns = cfg.extended && cfg.columns > 1 ? rng.range(1, cfg.columns) : 1;
    const program = randomProgram(rng, { ...cfg, columns });
    const trace = programToActions(program, cfg.repl.table);
    if (trace === null || trace.length > cfg.maxTrace) continue;
    if (trace.filter((a) => a === cfg.repl.table.commit).length > cfg.repl.maxCommits) continue;
    for (let tries = 0; tries < 3; tries++) {
      const examples = makeRows(rng, program, cfg, columns, cfg.examples);
      if (examples === null) break;
      const spec: StringsSpec = { examples };
      if (!replaysToSolved(cfg.repl, spec, trace)) continue;
      const tests = cfg.tests > 0 ? makeRows(rng, program, cfg, columns, cfg.tests) : null;
      return { spec: tests ? { examples, tests } : spec, program, trace };
    }
  }
  throw new Error('strings generator: no valid task after 10000 programs');
}

export function replaysToSolved(cfg: ReplConfig, spec: StringsSpec, trace: readonly number[]): boolean {
  let s = initialReplState(spec);
  for (const a of trace) {
    const r = replStep(cfg, s, a);
    if (!r.ok) return false;
    s = r.state;
  }
  return s.solved;
}

export { NUM_REGEXES };
