/**
 * The string-transformation language: the RobustFill DSL (Devlin et al. 2017) as modified for a REPL
 * by "Write, Execute, Assess" (Ellis et al. 2019; official code ROBUT.py/ROB.py). A program is a Concat
 * of expressions; an expression starts from a source (an input column or a constant) and applies a
 * chain of operations (the grammar samples F, N, N(N), N(F); the REPL can build longer chains).
 * Extended mode adds input columns, Trim, delete-all (Replace to "") and multi-character constants.
 * Rich mode adds conditionals (If over a predicate on an input column), TRUE/FALSE tests, integer
 * outputs (Len, Count, Find, Add), number formatting (Pad, Fixed, Round, Thousands) and Unicode
 * token types; paper and extended programs print and parse exactly as before.
 */
import { ParseError } from '../../core/index.js';
import { DELIMITERS, NUM_TYPES, TYPE_NAMES, delimiterId, regexName, typeId, type RegexId } from './regex.js';

export type CaseName = 'Proper' | 'AllCaps' | 'Lower';
export type Boundary = 'Start' | 'End';
export const CASES: readonly CaseName[] = ['Proper', 'AllCaps', 'Lower'];
export const BOUNDARIES: readonly Boundary[] = ['Start', 'End'];

/** Token indices i ∈ −5..5 (Python indexing, negative from the end). */
export const INDEX_MIN = -5;
export const INDEX_MAX = 5;
/** Slice positions k ∈ −36..36 (Python slice semantics). */
export const POS_MIN = -36;
export const POS_MAX = 36;

export type Op =
  | { readonly op: 'ToCase'; readonly c: CaseName }
  | { readonly op: 'Replace'; readonly from: string; readonly to: string }
  | { readonly op: 'SubStr'; readonly k1: number; readonly k2: number }
  | { readonly op: 'GetToken'; readonly t: RegexId; readonly i: number }
  | { readonly op: 'GetUpTo'; readonly r: RegexId }
  | { readonly op: 'GetFrom'; readonly r: RegexId }
  | { readonly op: 'GetFirst'; readonly t: RegexId; readonly i: number }
  | { readonly op: 'GetAll'; readonly t: RegexId }
  | {
      readonly op: 'GetSpan';
      readonly r1: RegexId;
      readonly i1: number;
      readonly b1: Boundary;
      readonly r2: RegexId;
      readonly i2: number;
      readonly b2: Boundary;
    }
  | { readonly op: 'Trim' }
  // ---- rich mode
  | { readonly op: 'If'; readonly pred: Pred; readonly col: number; readonly keep: Branch }
  | { readonly op: 'Test'; readonly pred: Pred }
  | { readonly op: 'Len' }
  | { readonly op: 'Count'; readonly r: RegexId }
  | { readonly op: 'Find'; readonly r: RegexId }
  | { readonly op: 'Add'; readonly n: number }
  | { readonly op: 'Pad'; readonly width: number; readonly fill: PadFill }
  | { readonly op: 'Fixed'; readonly d: number }
  | { readonly op: 'Round'; readonly d: number }
  | { readonly op: 'Thousands' };

export type OpName = Op['op'];

/** Which examples an If keeps: those where the predicate holds (Then) or fails (Else). */
export type Branch = 'Then' | 'Else';
export const BRANCHES: readonly Branch[] = ['Then', 'Else'];
export type PadFill = '0' | ' ';
export const PAD_FILLS: readonly PadFill[] = ['0', ' '];

/** Text predicates: `ci` compares case-insensitively (printed with a CI suffix). */
export type TextPredName = 'Contains' | 'StartsWith' | 'EndsWith' | 'Equals';
export const TEXT_PREDS: readonly TextPredName[] = ['Contains', 'StartsWith', 'EndsWith', 'Equals'];
export type NumPredName = 'NumGt' | 'NumLt' | 'NumEq';
export const NUM_PREDS: readonly NumPredName[] = ['NumGt', 'NumLt', 'NumEq'];

/** A predicate on a string (rich mode). */
export type Pred =
  /** Some match of a regex (a token type or a delimiter). */
  | { readonly p: 'Has'; readonly r: RegexId }
  /** The whole string is one match of a token type. */
  | { readonly p: 'Is'; readonly t: RegexId }
  | { readonly p: 'IsEmpty' }
  | { readonly p: TextPredName; readonly text: string; readonly ci: boolean }
  /** The string (trimmed) is a decimal number that compares so with n. */
  | { readonly p: NumPredName; readonly n: number };

export type Source =
  { readonly src: 'input'; readonly col: number } | { readonly src: 'const'; readonly value: string };

/** An expression: a source, then `ops` applied in order (ops[0] innermost). */
export interface Expr {
  readonly source: Source;
  readonly ops: readonly Op[];
}

/** A program: the concatenation of its expressions' outputs. */
export interface Program {
  readonly exprs: readonly Expr[];
}

export const INPUT0: Source = { src: 'input', col: 0 };

// ---------------------------------------------------------------- printer

function printRegex(r: RegexId): string {
  return regexName(r);
}

export function printPred(p: Pred): string {
  switch (p.p) {
    case 'Has':
      return `Has(${printRegex(p.r)})`;
    case 'Is':
      return `Is(${printRegex(p.t)})`;
    case 'IsEmpty':
      return 'IsEmpty';
    case 'NumGt':
    case 'NumLt':
    case 'NumEq':
      return `${p.p}(${p.n})`;
    default:
      return `${p.p}${p.ci ? 'CI' : ''}(${JSON.stringify(p.text)})`;
  }
}

function printSource(s: Source): string {
  return s.src === 'input' ? `In(${s.col})` : JSON.stringify(s.value);
}

function opHead(o: Op): string {
  switch (o.op) {
    case 'ToCase':
      return `ToCase(${o.c}`;
    case 'Replace':
      return `Replace(${JSON.stringify(o.from)}, ${JSON.stringify(o.to)}`;
    case 'SubStr':
      return `SubStr(${o.k1}, ${o.k2}`;
    case 'GetToken':
      return `GetToken(${printRegex(o.t)}, ${o.i}`;
    case 'GetUpTo':
      return `GetUpTo(${printRegex(o.r)}`;
    case 'GetFrom':
      return `GetFrom(${printRegex(o.r)}`;
    case 'GetFirst':
      return `GetFirst(${printRegex(o.t)}, ${o.i}`;
    case 'GetAll':
      return `GetAll(${printRegex(o.t)}`;
    case 'GetSpan':
      return `GetSpan(${printRegex(o.r1)}, ${o.i1}, ${o.b1}, ${printRegex(o.r2)}, ${o.i2}, ${o.b2}`;
    case 'Trim':
      return `Trim(`;
    case 'If':
      return `If(${printPred(o.pred)}, ${o.col}, ${o.keep}`;
    case 'Test':
      return `Test(${printPred(o.pred)}`;
    case 'Len':
    case 'Thousands':
      return `${o.op}(`;
    case 'Count':
    case 'Find':
      return `${o.op}(${printRegex(o.r)}`;
    case 'Add':
      return `Add(${o.n}`;
    case 'Pad':
      return `Pad(${o.width}, ${JSON.stringify(o.fill)}`;
    case 'Fixed':
    case 'Round':
      return `${o.op}(${o.d}`;
  }
}

/** Ops printed with no argument before the inner expression (`Trim(GetToken(Word, 0))`). */
const NO_ARGS = new Set<OpName>(['Trim', 'Len', 'Thousands']);

/** Readable text of one expression: nested calls, the input column omitted when it is In(0). */
export function printExpr(e: Expr): string {
  const implicit = e.source.src === 'input' && e.source.col === 0 && e.ops.length > 0;
  let text = implicit ? '' : printSource(e.source);
  for (const o of e.ops) {
    const head = opHead(o);
    const sep = text === '' || head.endsWith('(') ? '' : ', ';
    text = `${head}${sep}${text})`;
  }
  return text;
}

/** Readable text of a program, e.g. `Concat(GetToken(Word, 1), ", ", GetToken(Word, 0))`. */
export function printProgram(p: Program): string {
  return `Concat(${p.exprs.map(printExpr).join(', ')})`;
}

// ---------------------------------------------------------------- parser

type Tok =
  | { k: 'id'; v: string; at: number }
  | { k: 'int'; v: number; at: number }
  | { k: 'str'; v: string; at: number }
  | { k: 'p'; v: '(' | ')' | ','; at: number };

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '(' || c === ')' || c === ',') out.push({ k: 'p', v: c, at: i++ });
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw new ParseError('unterminated string literal', i);
      let v: string;
      try {
        v = JSON.parse(text.slice(i, j + 1)) as string;
      } catch {
        throw new ParseError('bad string literal', i);
      }
      out.push({ k: 'str', v, at: i });
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && text[j] >= '0' && text[j] <= '9') j++;
      const v = Number(text.slice(i, j));
      if (!Number.isInteger(v)) throw new ParseError('bad integer', i);
      out.push({ k: 'int', v, at: i });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j])) j++;
      out.push({ k: 'id', v: text.slice(i, j), at: i });
      i = j;
    } else throw new ParseError(`unexpected character '${c}'`, i);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly end: number,
  ) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private at(): number {
    return this.peek()?.at ?? this.end;
  }
  private fail(msg: string): never {
    throw new ParseError(msg, this.at());
  }
  private punct(v: '(' | ')' | ','): void {
    const t = this.peek();
    if (!t || t.k !== 'p' || t.v !== v) this.fail(`expected '${v}'`);
    this.i++;
  }
  private isPunct(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.k === 'p' && t.v === v;
  }
  private int(lo: number, hi: number, what: string): number {
    const t = this.peek();
    if (!t || t.k !== 'int') this.fail(`expected ${what} (an integer)`);
    if (t.v < lo || t.v > hi) this.fail(`${what} ${t.v} outside ${lo}..${hi}`);
    this.i++;
    return t.v;
  }
  private ident(choices: readonly string[], what: string): string {
    const t = this.peek();
    if (!t || t.k !== 'id' || !choices.includes(t.v)) this.fail(`expected ${what} (${choices.join('|')})`);
    this.i++;
    return t.v;
  }
  private regex(typesOnly: boolean): RegexId {
    const t = this.peek();
    if (t && t.k === 'id' && typeId(t.v) >= 0) {
      this.i++;
      return typeId(t.v);
    }
    if (!typesOnly && t && t.k === 'str' && delimiterId(t.v) >= 0) {
      this.i++;
      return delimiterId(t.v);
    }
    return this.fail(
      typesOnly
        ? `expected a token type (${TYPE_NAMES.join('|')})`
        : 'expected a token type or a delimiter string',
    );
  }
  private delim(allowEmpty: boolean): string {
    const t = this.peek();
    if (!t || t.k !== 'str' || !(DELIMITERS.includes(t.v) || (allowEmpty && t.v === '')))
      this.fail('expected a delimiter string');
    this.i++;
    return t.v;
  }

  program(): Program {
    const t = this.peek();
    if (!t || t.k !== 'id' || t.v !== 'Concat') this.fail("expected 'Concat('");
    this.i++;
    this.punct('(');
    const exprs: Expr[] = [];
    if (!this.isPunct(')')) {
      exprs.push(this.expr());
      while (this.isPunct(',')) {
        this.i++;
        exprs.push(this.expr());
      }
    }
    this.punct(')');
    if (this.i < this.toks.length) this.fail('unexpected text after the program');
    return { exprs };
  }

  /** An expression: a source, or an op call whose last argument (optional) is the inner expression. */
  expr(): Expr {
    const t = this.peek();
    if (!t) return this.fail('expected an expression');
    if (t.k === 'str') {
      this.i++;
      return { source: { src: 'const', value: t.v }, ops: [] };
    }
    if (t.k !== 'id') return this.fail('expected an expression');
    this.i++;
    this.punct('(');
    if (t.v === 'In') {
      const col = this.int(0, 1e6, 'column');
      this.punct(')');
      return { source: { src: 'input', col }, ops: [] };
    }
    const op = this.opArgs(t.v, t.at);
    let inner: Expr = { source: INPUT0, ops: [] };
    if (!this.isPunct(')')) {
      if (!NO_ARGS.has(op.op)) this.punct(',');
      inner = this.expr();
    }
    this.punct(')');
    return { source: inner.source, ops: [...inner.ops, op] };
  }

  private opArgs(name: string, at: number): Op {
    const comma = (): void => this.punct(',');
    switch (name) {
      case 'ToCase':
        return { op: 'ToCase', c: this.ident(CASES, 'case') as CaseName };
      case 'Replace': {
        const from = this.delim(false);
        comma();
        return { op: 'Replace', from, to: this.delim(true) };
      }
      case 'SubStr': {
        const k1 = this.int(POS_MIN, POS_MAX, 'position');
        comma();
        return { op: 'SubStr', k1, k2: this.int(POS_MIN, POS_MAX, 'position') };
      }
      case 'GetToken':
      case 'GetFirst': {
        const t = this.regex(true);
        comma();
        return { op: name, t, i: this.int(INDEX_MIN, INDEX_MAX, 'index') };
      }
      case 'GetUpTo':
      case 'GetFrom':
        return { op: name, r: this.regex(false) };
      case 'GetAll':
        return { op: 'GetAll', t: this.regex(true) };
      case 'GetSpan': {
        const r1 = this.regex(false);
        comma();
        const i1 = this.int(INDEX_MIN, INDEX_MAX, 'index');
        comma();
        const b1 = this.ident(BOUNDARIES, 'boundary') as Boundary;
        comma();
        const r2 = this.regex(false);
        comma();
        const i2 = this.int(INDEX_MIN, INDEX_MAX, 'index');
        comma();
        return { op: 'GetSpan', r1, i1, b1, r2, i2, b2: this.ident(BOUNDARIES, 'boundary') as Boundary };
      }
      case 'Trim':
      case 'Len':
      case 'Thousands':
        return { op: name };
      case 'If': {
        const pred = this.pred();
        comma();
        const col = this.int(0, 1e6, 'column');
        comma();
        return { op: 'If', pred, col, keep: this.ident(BRANCHES, 'branch') as Branch };
      }
      case 'Test':
        return { op: 'Test', pred: this.pred() };
      case 'Count':
      case 'Find':
        return { op: name, r: this.regex(false) };
      case 'Add':
        return { op: 'Add', n: this.int(-1e6, 1e6, 'number') };
      case 'Pad': {
        const width = this.int(1, 1000, 'width');
        comma();
        const t = this.peek();
        if (!t || t.k !== 'str' || !(PAD_FILLS as readonly string[]).includes(t.v))
          this.fail('expected a pad character ("0" or " ")');
        this.i++;
        return { op: 'Pad', width, fill: t.v as PadFill };
      }
      case 'Fixed':
      case 'Round':
        return { op: name, d: this.int(0, 20, 'decimals') };
      default:
        throw new ParseError(`unknown operation '${name}'`, at);
    }
  }

  private pred(): Pred {
    const t = this.peek();
    if (!t || t.k !== 'id') return this.fail('expected a predicate');
    this.i++;
    if (t.v === 'IsEmpty') return { p: 'IsEmpty' };
    this.punct('(');
    let pred: Pred;
    const ci = t.v.endsWith('CI');
    const base = ci ? t.v.slice(0, -2) : t.v;
    if (t.v === 'Has') pred = { p: 'Has', r: this.regex(false) };
    else if (t.v === 'Is') pred = { p: 'Is', t: this.regex(true) };
    else if ((NUM_PREDS as readonly string[]).includes(t.v)) {
      pred = { p: t.v as NumPredName, n: this.int(-1e9, 1e9, 'number') };
    } else if ((TEXT_PREDS as readonly string[]).includes(base)) {
      const s = this.peek();
      if (!s || s.k !== 'str') this.fail('expected a string');
      this.i++;
      pred = { p: base as TextPredName, text: s.v, ci };
    } else throw new ParseError(`unknown predicate '${t.v}'`, t.at);
    this.punct(')');
    return pred;
  }
}

/** Parses `printProgram`'s output (whitespace-insensitive); throws ParseError with a character offset. */
export function parseProgram(text: string): Program {
  return new Parser(tokenize(text), text.length).program();
}

/** Structural equality of programs (same text ⇔ equal). */
export function programsEqual(a: Program, b: Program): boolean {
  return printProgram(a) === printProgram(b);
}

/** Highest input column a program reads, or −1 when it reads none. */
export function maxColumn(p: Program): number {
  let m = -1;
  for (const e of p.exprs) {
    if (e.source.src === 'input') m = Math.max(m, e.source.col);
    for (const o of e.ops) if (o.op === 'If') m = Math.max(m, o.col);
  }
  return m;
}

export { NUM_TYPES };
