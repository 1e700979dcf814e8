/**
 * Strings programs as tokens, for decoders without a REPL (RobustFill, LaSynth). Each expression is
 * its source then its operations innermost first, each operation a head and one token per argument:
 * `In(0) GetToken Word 1 Const(", ") In(0) GetToken Word 0 <end>`. A new source starts a new
 * expression; `+` joins constant pieces (characters, and words in extended mode) into one constant.
 * The grammar (structurally a TokenGrammar of src/formulations) keeps every prefix completable within
 * the token cap and the expression limit.
 */
import type { ParamSpec, ParamValue, Rng, TaskOptions } from '../../core/index.js';
import { resolveParams } from '../../core/index.js';
import { CONST_WORDS } from './actions.js';
import { createStringsDomain, STRINGS_PARAMS } from './domain.js';
import {
  BOUNDARIES,
  CASES,
  INDEX_MAX,
  INDEX_MIN,
  POS_MAX,
  POS_MIN,
  type Boundary,
  type CaseName,
  type Expr,
  INPUT0,
  parseProgram,
  printExpr,
  type Op,
  type Program,
  type Source,
} from './dsl.js';
import { generateTask } from './generator.js';
import {
  CHARACTERS,
  DELIMITERS,
  NUM_ALL_REGEXES,
  NUM_REGEXES,
  NUM_TYPES,
  isDelimiter,
  isTypeId,
  regexName,
} from './regex.js';
import type { StringsSpec } from './repl.js';
import { splitFamilyTask } from './training-tasks.js';

export const END_TOKEN = '<end>';
export const PLUS_TOKEN = '+';
export const EMPTY_TOKEN = '""';

type ArgKind = 'delim' | 'delimOrEmpty' | 'pos' | 'index' | 'type' | 'regex' | 'boundary';

/** Operations written as a head and argument tokens (rich-mode operations are one token each). */
type HeadOp =
  | 'ToCase'
  | 'Replace'
  | 'SubStr'
  | 'GetToken'
  | 'GetUpTo'
  | 'GetFrom'
  | 'GetFirst'
  | 'GetAll'
  | 'GetSpan'
  | 'Trim';

/** Argument kinds of each operation, in token order (ToCase's case is part of its head token). */
const OP_ARGS: Readonly<Record<HeadOp, readonly ArgKind[]>> = {
  ToCase: [],
  Replace: ['delim', 'delimOrEmpty'],
  SubStr: ['pos', 'pos'],
  GetToken: ['type', 'index'],
  GetUpTo: ['regex'],
  GetFrom: ['regex'],
  GetFirst: ['type', 'index'],
  GetAll: ['type'],
  GetSpan: ['regex', 'index', 'boundary', 'regex', 'index', 'boundary'],
  Trim: [],
};
/**
 * Operation heads: one token per operation, and one per case for ToCase (case and token type names
 * overlap: AllCaps, Lower), written `ToCase(Proper)` as in the REPL's action names.
 */
interface Head {
  readonly name: string;
  readonly op: HeadOp;
  readonly fixed: readonly (number | string)[];
  readonly args: readonly ArgKind[];
}
const HEADS: readonly Head[] = (Object.keys(OP_ARGS) as HeadOp[]).flatMap((op): Head[] =>
  op === 'ToCase'
    ? CASES.map((c) => ({ name: `ToCase(${c})`, op, fixed: [c], args: [] }))
    : [{ name: op, op, fixed: [], args: OP_ARGS[op] }],
);

const constToken = (piece: string): string => `Const(${JSON.stringify(piece)})`;
/** Constant pieces: the 96 characters, then the words of extended mode (those not one character). */
const PIECES: readonly string[] = [...CHARACTERS, ...CONST_WORDS.filter((w) => !CHARACTERS.includes(w))];
const WORDS_LONGEST_FIRST = [...PIECES].filter((p) => p.length > 1).sort((a, b) => b.length - a.length);
const CHAR_SET = new Set(CHARACTERS);

// ------------------------------------------------------------------ what a token name means

type TokInfo =
  | { readonly kind: 'end' | 'plus' | 'empty' }
  | { readonly kind: 'source'; readonly col: number }
  | { readonly kind: 'piece'; readonly piece: string }
  | { readonly kind: 'head'; readonly head: number }
  | { readonly kind: 'regex'; readonly r: number }
  | { readonly kind: 'int'; readonly v: number }
  | { readonly kind: 'boundary'; readonly b: Boundary }
  /** A rich-mode operation, written whole as one token: `If(Has(Number), 0, Then)`, `Pad(5, "0")`. */
  | { readonly kind: 'rich'; readonly op: Op };

const INFO = new Map<string, TokInfo>();
INFO.set(END_TOKEN, { kind: 'end' });
INFO.set(PLUS_TOKEN, { kind: 'plus' });
INFO.set(EMPTY_TOKEN, { kind: 'empty' });
for (const piece of PIECES) INFO.set(constToken(piece), { kind: 'piece', piece });
HEADS.forEach((h, head) => INFO.set(h.name, { kind: 'head', head }));
for (let r = 0; r < NUM_ALL_REGEXES; r++) INFO.set(regexName(r), { kind: 'regex', r });
for (let v = POS_MIN; v <= POS_MAX; v++) INFO.set(String(v), { kind: 'int', v });
for (const b of BOUNDARIES) INFO.set(b, { kind: 'boundary', b });

function infoOf(name: string): TokInfo | undefined {
  const known = INFO.get(name);
  if (known) return known;
  const m = /^In\((0|[1-9]\d{0,5})\)$/.exec(name);
  if (m) return { kind: 'source', col: Number(m[1]) };
  const head = /^([A-Za-z]+)\(/.exec(name)?.[1] ?? name;
  if (!RICH_OPS.has(head)) return undefined;
  try {
    const p = parseProgram(`Concat(${name})`);
    const e = p.exprs[0];
    if (p.exprs.length === 1 && e.ops.length === 1 && e.source.src === 'input' && e.source.col === 0)
      return { kind: 'rich', op: e.ops[0] };
  } catch {
    // Not a rich operation.
  }
  return undefined;
}

const RICH_OPS = new Set<string>([
  'If',
  'Test',
  'Len',
  'Count',
  'Find',
  'Add',
  'Pad',
  'Fixed',
  'Round',
  'Thousands',
]);
/** The one token of a rich-mode operation. */
const richToken = (o: Op): string => printExpr({ source: INPUT0, ops: [o] });

/** The argument value a token gives for an argument kind, or undefined when it does not fit. */
function argValue(kind: ArgKind, t: TokInfo | undefined): number | string | undefined {
  if (!t) return undefined;
  switch (kind) {
    case 'delim':
    case 'delimOrEmpty':
      if (kind === 'delimOrEmpty' && t.kind === 'empty') return '';
      return t.kind === 'regex' && isDelimiter(t.r) ? DELIMITERS[t.r - NUM_TYPES] : undefined;
    case 'pos':
      return t.kind === 'int' ? t.v : undefined;
    case 'index':
      return t.kind === 'int' && t.v >= INDEX_MIN && t.v <= INDEX_MAX ? t.v : undefined;
    case 'type':
      return t.kind === 'regex' && isTypeId(t.r) ? t.r : undefined;
    case 'regex':
      return t.kind === 'regex' ? t.r : undefined;
    case 'boundary':
      return t.kind === 'boundary' ? t.b : undefined;
  }
}

function buildOp(op: HeadOp, a: readonly (number | string)[]): Op {
  const n = (i: number): number => a[i] as number;
  const s = (i: number): string => a[i] as string;
  switch (op) {
    case 'ToCase':
      return { op, c: s(0) as CaseName };
    case 'Replace':
      return { op, from: s(0), to: s(1) };
    case 'SubStr':
      return { op, k1: n(0), k2: n(1) };
    case 'GetToken':
    case 'GetFirst':
      return { op, t: n(0), i: n(1) };
    case 'GetUpTo':
    case 'GetFrom':
      return { op, r: n(0) };
    case 'GetAll':
      return { op, t: n(0) };
    case 'GetSpan':
      return { op, r1: n(0), i1: n(1), b1: s(2) as Boundary, r2: n(3), i2: n(4), b2: s(5) as Boundary };
    case 'Trim':
      return { op };
  }
}

function opTokens(o: Op): string[] {
  const rx = regexName;
  const d = (s: string): string => (s === '' ? EMPTY_TOKEN : JSON.stringify(s));
  switch (o.op) {
    case 'ToCase':
      return [`ToCase(${o.c})`];
    case 'Replace':
      return [o.op, d(o.from), d(o.to)];
    case 'SubStr':
      return [o.op, String(o.k1), String(o.k2)];
    case 'GetToken':
    case 'GetFirst':
      return [o.op, rx(o.t), String(o.i)];
    case 'GetUpTo':
    case 'GetFrom':
      return [o.op, rx(o.r)];
    case 'GetAll':
      return [o.op, rx(o.t)];
    case 'GetSpan':
      return [o.op, rx(o.r1), String(o.i1), o.b1, rx(o.r2), String(o.i2), o.b2];
    case 'Trim':
      return [o.op];
    default:
      return [richToken(o)];
  }
}

/** A constant as pieces: longest word first, else one character (throws outside the 96 characters). */
function constPieces(value: string, words: boolean): string[] {
  if (value === '') throw new Error('strings tokens: an empty constant has no tokens');
  const out: string[] = [];
  for (let i = 0; i < value.length;) {
    const w = words ? WORDS_LONGEST_FIRST.find((p) => value.startsWith(p, i)) : undefined;
    if (w) {
      out.push(w);
      i += w.length;
    } else if (CHAR_SET.has(value[i])) out.push(value[i++]);
    else throw new Error(`strings tokens: character ${JSON.stringify(value[i])} has no token`);
  }
  return out;
}

/**
 * The program's tokens (without the end token); `words: false` writes constants character by
 * character (paper mode has no word pieces). Throws for a program the vocabulary cannot write: an
 * empty constant or a character outside the paper's 96.
 */
export function stringsTokens(program: Program, words = true): string[] {
  const out: string[] = [];
  for (const e of program.exprs) {
    if (e.source.src === 'input') out.push(`In(${e.source.col})`);
    else
      constPieces(e.source.value, words).forEach((p, i) =>
        out.push(...(i > 0 ? [PLUS_TOKEN] : []), constToken(p)),
      );
    for (const o of e.ops) out.push(...opTokens(o));
  }
  return out;
}

/** The program written by tokens (one trailing end token allowed), or null when they are malformed. */
export function stringsFromTokens(tokens: readonly string[]): Program | null {
  const n = tokens.length > 0 && tokens[tokens.length - 1] === END_TOKEN ? tokens.length - 1 : tokens.length;
  const exprs: Expr[] = [];
  let i = 0;
  const at = (k: number): TokInfo | undefined => (k < n ? infoOf(tokens[k]) : undefined);
  while (i < n) {
    const head = at(i++);
    let source: Source;
    if (head?.kind === 'source') source = { src: 'input', col: head.col };
    else if (head?.kind === 'piece') {
      let value = head.piece;
      while (at(i)?.kind === 'plus') {
        const next = at(i + 1);
        if (next?.kind !== 'piece') return null;
        value += next.piece;
        i += 2;
      }
      source = { src: 'const', value };
    } else return null;
    const ops: Op[] = [];
    for (let t = at(i); t?.kind === 'head' || t?.kind === 'rich'; t = at(i)) {
      i++;
      if (t.kind === 'rich') {
        ops.push(t.op);
        continue;
      }
      const h = HEADS[t.head];
      const args = [...h.fixed];
      for (const kind of h.args) {
        const v = argValue(kind, at(i++));
        if (v === undefined) return null;
        args.push(v);
      }
      ops.push(buildOp(h.op, args));
    }
    exprs.push({ source, ops });
  }
  return exprs.length === 0 ? null : { exprs };
}

// ------------------------------------------------------------------ the grammar

export interface StringsTokenOptions {
  /** Extended mode adds Trim, Replace to "", the constant words. */
  readonly extended: boolean;
  /** Input columns `In(k)` can name. */
  readonly columns: number;
  /** Most expressions in a program (the REPL's commit limit). */
  readonly maxExprs: number;
  /** Longest token sequence, the end token included. */
  readonly maxTokens: number;
}

export function defaultStringsTokenOptions(extended: boolean): StringsTokenOptions {
  // Generated programs take at most 34 tokens (≤ 30 REPL actions plus a head per operation).
  return extended
    ? { extended, columns: 3, maxExprs: 12, maxTokens: 64 }
    : { extended, columns: 1, maxExprs: 6, maxTokens: 48 };
}

// Grammar phases (numbers, so a state stays a flat record of small integers).
const Phase = { NeedSource: 0, Done: 1, AfterPlus: 2, InOp: 3, Ended: 4 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** A grammar state: immutable, a few numbers. */
export interface StringsGrammarState {
  readonly len: number;
  readonly exprs: number;
  readonly phase: Phase;
  /** A `+` may extend the constant just written. */
  readonly plus: boolean;
  /** Index into HEADS of the operation whose arguments are being written (phase InOp). */
  readonly head: number;
  /** Its next argument. */
  readonly arg: number;
}

function state(
  len: number,
  exprs: number,
  phase: Phase,
  plus: boolean,
  head = -1,
  arg = 0,
): StringsGrammarState {
  return { len, exprs, phase, plus, head, arg };
}

/** The vocabulary of one option set: end, sources, pieces, +, operation heads, then argument values. */
function vocabularyOf(o: StringsTokenOptions): string[] {
  const v = [END_TOKEN];
  for (let c = 0; c < o.columns; c++) v.push(`In(${c})`);
  for (const p of o.extended ? PIECES : CHARACTERS) v.push(constToken(p));
  v.push(PLUS_TOKEN, ...HEADS.filter((h) => o.extended || h.op !== 'Trim').map((h) => h.name));
  for (let r = 0; r < NUM_REGEXES; r++) v.push(regexName(r));
  if (o.extended) v.push(EMPTY_TOKEN);
  for (let k = POS_MIN; k <= POS_MAX; k++) v.push(String(k));
  v.push(...BOUNDARIES);
  return v;
}

const ARG_KINDS: readonly ArgKind[] = ['delim', 'delimOrEmpty', 'pos', 'index', 'type', 'regex', 'boundary'];

/** The strings token grammar for one option set (a TokenGrammar<StringsGrammarState>). */
export class StringsTokenGrammar {
  readonly vocabulary: readonly string[];
  readonly end = 0;
  readonly maxTokens: number;
  private readonly maxExprs: number;
  private readonly plusToken: number;
  /** Per token: −1, or the HEADS index of an operation head. */
  private readonly headOf: Int8Array;
  /** 1 for sources and constant pieces (the tokens that start an expression). */
  private readonly sourceMask: Uint8Array;
  private readonly pieceMask: Uint8Array;
  private readonly argMasks: Readonly<Record<ArgKind, Uint8Array>>;
  private readonly headTokens: readonly number[];
  private readonly startState = state(0, 0, Phase.NeedSource, false);

  constructor(readonly options: StringsTokenOptions) {
    if (options.maxTokens < 2) throw new Error('strings tokens: maxTokens must be at least 2');
    this.vocabulary = vocabularyOf(options);
    this.maxTokens = options.maxTokens;
    this.maxExprs = options.maxExprs;
    const infos = this.vocabulary.map((name) => infoOf(name)!);
    const maskOf = (test: (t: TokInfo) => boolean): Uint8Array =>
      Uint8Array.from(infos, (t) => (test(t) ? 1 : 0));
    this.plusToken = this.vocabulary.indexOf(PLUS_TOKEN);
    this.headOf = Int8Array.from(infos, (t) => (t.kind === 'head' ? t.head : -1));
    this.sourceMask = maskOf((t) => t.kind === 'source' || t.kind === 'piece');
    this.pieceMask = maskOf((t) => t.kind === 'piece');
    this.argMasks = Object.fromEntries(
      ARG_KINDS.map((k) => [k, maskOf((t) => argValue(k, t) !== undefined)]),
    ) as Record<ArgKind, Uint8Array>;
    this.headTokens = infos.flatMap((t, i) => (t.kind === 'head' ? [i] : []));
  }

  start(): StringsGrammarState {
    return this.startState;
  }

  isComplete(g: StringsGrammarState): boolean {
    return g.phase === Phase.Done || g.phase === Phase.Ended;
  }

  next(g: StringsGrammarState, t: number): StringsGrammarState | null {
    if (!(t >= 0 && t < this.vocabulary.length && Number.isInteger(t))) return null;
    const len = g.len + 1;
    switch (g.phase) {
      case Phase.Ended:
        return null;
      case Phase.InOp: {
        const kinds = HEADS[g.head].args;
        if (!this.argMasks[kinds[g.arg]][t]) return null;
        return g.arg + 1 === kinds.length
          ? state(len, g.exprs, Phase.Done, false)
          : state(len, g.exprs, Phase.InOp, false, g.head, g.arg + 1);
      }
      case Phase.AfterPlus:
        return this.pieceMask[t] ? state(len, g.exprs, Phase.Done, true) : null;
    }
    // Between tokens of expressions: the end, a new source, `+`, or an operation on the expression.
    // Each check leaves room for the shortest completion and the end token.
    const done = g.phase === Phase.Done;
    if (t === this.end) return done ? state(len, g.exprs, Phase.Ended, false) : null;
    if (this.sourceMask[t])
      return g.exprs < this.maxExprs && len + 1 <= this.maxTokens
        ? state(len, g.exprs + 1, Phase.Done, this.pieceMask[t] === 1)
        : null;
    if (t === this.plusToken)
      return done && g.plus && len + 2 <= this.maxTokens ? state(len, g.exprs, Phase.AfterPlus, false) : null;
    const head = this.headOf[t];
    if (head < 0 || !done) return null;
    const arity = HEADS[head].args.length;
    if (len + arity + 1 > this.maxTokens) return null;
    return arity === 0
      ? state(len, g.exprs, Phase.Done, false)
      : state(len, g.exprs, Phase.InOp, false, head, 0);
  }

  legal(g: StringsGrammarState, out: Uint8Array): void {
    switch (g.phase) {
      case Phase.Ended:
        out.fill(0);
        return;
      case Phase.InOp:
        out.set(this.argMasks[HEADS[g.head].args[g.arg]]);
        return;
      case Phase.AfterPlus:
        out.set(this.pieceMask);
        return;
    }
    const room = this.maxTokens - g.len;
    if (g.exprs < this.maxExprs && room >= 2) out.set(this.sourceMask);
    else out.fill(0);
    if (g.phase !== Phase.Done) return;
    out[this.end] = 1;
    if (g.plus && room >= 3) out[this.plusToken] = 1;
    for (const t of this.headTokens) if (room >= HEADS[this.headOf[t]].args.length + 2) out[t] = 1;
  }
}

/** A grammar with the defaults of its mode (extended unless `extended: false`). */
export function stringsTokenGrammar(options: Partial<StringsTokenOptions> = {}): StringsTokenGrammar {
  const extended = options.extended ?? true;
  return new StringsTokenGrammar({ ...defaultStringsTokenOptions(extended), ...options, extended });
}

/** The tokenizer of extended mode (constant words) or paper mode (characters only). */
export function stringsTokenizer(extended = true): {
  tokens(p: Program): string[];
  fromTokens(t: readonly string[]): Program | null;
} {
  return { tokens: (p) => stringsTokens(p, extended), fromTokens: stringsFromTokens };
}

// ------------------------------------------------------------------ parts of the token formulation

/** Parameters of the strings token formulation: the REPL domain's (for its task generator) + the cap. */
export const STRINGS_TOKEN_PARAMS: readonly ParamSpec[] = [
  ...STRINGS_PARAMS.filter((p) => p.name !== 'window'),
  {
    name: 'maxTokens',
    type: 'int',
    default: 0,
    min: 0,
    max: 1000,
    description: 'longest token sequence, end token included (0 = 48 in paper mode, 64 in extended mode)',
  },
];

/** Grammar, tokenizer and task sampler of the strings token formulation for given parameters. */
export function stringsTokenParts(given: Readonly<Record<string, ParamValue>> = {}) {
  const params = resolveParams(STRINGS_TOKEN_PARAMS, given);
  const { maxTokens, ...replParams } = params;
  const repl = createStringsDomain(replParams);
  const defaults = defaultStringsTokenOptions(repl.extended);
  const grammar = new StringsTokenGrammar({
    extended: repl.extended,
    columns: repl.extended ? (params.columns as number) : 1,
    maxExprs: repl.repl.maxCommits,
    maxTokens: (maxTokens as number) || defaults.maxTokens,
  });
  const source = params.taskSource as string;
  /** The REPL domain's task distribution, with the program instead of the action trace. */
  const sampleProgram = (
    rng: Rng,
    options?: TaskOptions,
  ): { spec: StringsSpec; program: Program; name?: string } => {
    const cfg = options?.maxSize
      ? { ...repl.generatorConfig, maxExprs: Math.max(1, Math.min(options.maxSize, 6)) }
      : repl.generatorConfig;
    const src = (options?.extra?.source as string | undefined) ?? source;
    const useFamilies = src === 'families' || (src === 'mixed' && rng.bool());
    const t = useFamilies ? splitFamilyTask(rng, repl, 'train') : generateTask(rng, cfg);
    return { spec: t.spec, program: t.program, ...(t.spec.name ? { name: t.spec.name } : {}) };
  };
  return { grammar, tokenizer: stringsTokenizer(repl.extended), sampleProgram };
}
