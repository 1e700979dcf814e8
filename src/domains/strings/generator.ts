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
import { CHARACTERS, DELIMITERS, NUM_REGEXES, NUM_TYPES, type RegexId } from './regex.js';

export interface GeneratorConfig {
  readonly repl: ReplConfig;
  readonly extended: boolean;
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
  for (let i = 0; i < n; i++) exprs.push(...randomExpr(rng, cfg.extended, cfg.columns));
  return { exprs };
}

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
    default:
      return DELIMITERS[r - NUM_TYPES];
  }
}

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

/** A random task whose ground-truth trace replays to a solved state (rejection sampling). */
export function generateTask(rng: Rng, cfg: GeneratorConfig): GeneratedTask {
  for (let attempt = 0; attempt < 10_000; attempt++) {
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
