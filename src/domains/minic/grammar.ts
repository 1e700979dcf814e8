/**
 * Restricted C as tokens, for decoders without a REPL (LaSynth, RobustFill): the C tokens of the
 * function body (declarations and statements; the fixed `int * func_1(int a[]) {` and `return a; }`
 * are left out), then `<end>`. The grammar (structurally a TokenGrammar of src/formulations) is a
 * predictive parser whose stack knows the fewest tokens that still complete the program, so every
 * legal prefix can be finished within the cap, and every finished sequence parses (parse.ts) and
 * obeys the language's rules: declared variables named in order, at most 2 operations per
 * expression, 5 only in a loop bound, loop variables not assigned in their loop, break/continue in
 * loops, no empty block.
 */
import { FIXED_TOKENS, LIST_LENGTH, MAX_LOCALS, MAX_OPS, MAX_PROGRAM_TOKENS, varName } from './dsl.js';

export const END_TOKEN = '<end>';
const KEYWORDS = ['int', 'for', 'if', 'else', 'break', 'continue'];
const VARS = Array.from({ length: MAX_LOCALS }, (_, v) => varName(v));
const ASSIGN = ['=', '+=', '-=', '++', '--'];
const CMP = ['<', '<=', '>', '>=', '==', '!='];
const PUNCT = ['(', ')', '{', '}', '[', ']', ';'];
const DIGITS = Array.from({ length: LIST_LENGTH + 1 }, (_, d) => String(d));

/** The vocabulary: end, keywords, `a` and the locals, operators, punctuation, digits 0 … 5. */
export const MINIC_VOCABULARY: readonly string[] = [
  END_TOKEN,
  ...KEYWORDS,
  'a',
  ...VARS,
  ...ASSIGN,
  '+',
  '-',
  ...CMP,
  ...PUNCT,
  ...DIGITS,
];
/** The longest body, end token included, so that a whole program has at most 256 C tokens. */
export const MINIC_MAX_TOKENS = MAX_PROGRAM_TOKENS - FIXED_TOKENS + 1;

const T = (name: string): number => {
  const i = MINIC_VOCABULARY.indexOf(name);
  if (i < 0) throw new Error(`minic grammar: no token ${name}`);
  return i;
};
const END = 0;
const INT = T('int');
const FOR = T('for');
const IF = T('if');
const ELSE = T('else');
const BREAK = T('break');
const CONTINUE = T('continue');
const A = T('a');
const V0 = T('v0');
const SET = T('=');
const PLUS_SET = T('+=');
const MINUS_SET = T('-=');
const INC = T('++');
const DEC = T('--');
const PLUS = T('+');
const MINUS = T('-');
const CMP0 = T('<');
const LPAR = T('(');
const RPAR = T(')');
const LBRACE = T('{');
const RBRACE = T('}');
const LBRACK = T('[');
const RBRACK = T(']');
const SEMI = T(';');
const D0 = T('0');

const varOf = (t: number): number => (t >= V0 && t < V0 + MAX_LOCALS ? t - V0 : -1);
const digitOf = (t: number): number => (t >= D0 && t <= D0 + LIST_LENGTH ? t - D0 : -1);
const isCmp = (t: number): boolean => t >= CMP0 && t < CMP0 + CMP.length;

/**
 * Grammar symbols, each one UTF-16 code unit `kind | attributes << 4`, so a parser stack is a short
 * string (top last): states stay flat, cheap to copy and to compare.
 * Context attributes (ctx): bit 0 inside a loop, bits 1–6 the variables of enclosing loops.
 */
const K = {
  tok: 0, // attributes: the token
  top: 1, // the function body: declarations (attribute 1) then statements, then <end>
  list: 2, // statements of a block up to `}`: ctx, bit 7 = has one already
  block: 3, // `{` list: ctx
  else: 4, // an optional `else` block: ctx
  forVar: 5, // the rest of a for loop from its variable on: ctx
  expr: 6, // bit 0 a new expression (its own operation budget), bit 1 the constant 5 allowed
  term: 7, // bit 1 the constant 5 allowed, bit 2 a right operand (may be parenthesised)
  etail: 8, // more `+ term`: bit 1 the constant 5 allowed
  tail: 9, // after an assignment's target: `= e ;`, `+= e ;`, `-= e ;`, `++ ;`, `-- ;`
  op: 10, // the `+`/`−` inside parentheses (already counted)
  cmp: 11,
  declVar: 12,
  const: 13,
  neg: 14, // the digit after a unary minus
} as const;

const code = (kind: number, attr = 0): number => kind | (attr << 4);
const IN_LOOP = 1;
const HAS_ONE = 1 << 7;
const FRESH = code(K.expr, 1);
const FRESH5 = code(K.expr, 3);
const INDEX = code(K.expr, 0);
const tk = (t: number): number => code(K.tok, t);

/** The shortest statement in a context: `break;` in a loop, else `v0++;`, else `a[0]++;`. */
const minStmt = (ctx: number, locals: number): number => (ctx & IN_LOOP ? 2 : locals > 0 ? 3 : 6);

/** Fewest tokens that complete a symbol. */
function minOf(c: number, locals: number): number {
  const attr = c >> 4;
  switch (c & 15) {
    case K.top:
    case K.else:
    case K.etail:
      return 0;
    case K.list:
      return attr & HAS_ONE ? 1 : minStmt(attr, locals) + 1;
    case K.block:
      return minStmt(attr, locals) + 2;
    case K.tail:
      return 2;
    case K.forVar:
      // v = e ; v < e ; v ++ ) { break ; }
      return 15;
    default:
      return 1;
  }
}

/** A grammar state: immutable and flat. */
export interface MinicGrammarState {
  readonly len: number;
  /** Locals declared so far. */
  readonly locals: number;
  /** Operations the current expression may still use. */
  readonly ops: number;
  /** The parser stack, one symbol per code unit, top last. */
  readonly stack: string;
  /** Fewest tokens that complete the stack. */
  readonly need: number;
  readonly ended: boolean;
}

/** A local that may be assigned here (declared, not the variable of an enclosing loop). */
const assignable = (v: number, ctx: number, locals: number): boolean =>
  v >= 0 && v < locals && ((ctx >> 1) & (1 << v)) === 0;

function freeLocal(ctx: number, locals: number): boolean {
  for (let v = 0; v < locals; v++) if (assignable(v, ctx, locals)) return true;
  return false;
}

/** The symbols after a token that starts a statement, or null when it cannot start one here. */
function statement(t: number, ctx: number, locals: number): readonly number[] | null {
  if (t === A) return [tk(LBRACK), FRESH, tk(RBRACK), code(K.tail)];
  if (t === IF) return [tk(LPAR), FRESH, code(K.cmp), FRESH, tk(RPAR), code(K.block, ctx), code(K.else, ctx)];
  if (t === FOR) return freeLocal(ctx, locals) ? [tk(LPAR), code(K.forVar, ctx)] : null;
  if (t === BREAK || t === CONTINUE) return ctx & IN_LOOP ? [tk(SEMI)] : null;
  return assignable(varOf(t), ctx, locals) ? [code(K.tail)] : null;
}

/** The parser in the middle of one token: pops and pushes symbols, then makes the next state. */
class Step {
  stack: string;
  need: number;
  locals: number;
  ops: number;

  constructor(readonly g: MinicGrammarState) {
    this.stack = g.stack;
    this.need = g.need;
    this.locals = g.locals;
    this.ops = g.ops;
  }

  pop(): number {
    const c = this.stack.charCodeAt(this.stack.length - 1);
    this.stack = this.stack.slice(0, -1);
    this.need -= minOf(c, this.locals);
    return c;
  }

  /** Pushes symbols so that the first one is on top. */
  push(codes: readonly number[]): this {
    for (let i = codes.length - 1; i >= 0; i--) {
      this.stack += String.fromCharCode(codes[i]);
      this.need += minOf(codes[i], this.locals);
    }
    return this;
  }

  done(ended = false): MinicGrammarState {
    const { stack, need, locals, ops } = this;
    return { len: this.g.len + 1, locals, ops, stack, need, ended };
  }
}

/** A token for an expression's term, or null when it cannot be one. */
function term(st: Step, attr: number, t: number): MinicGrammarState | null {
  const allow5 = (attr & 2) !== 0;
  const d = digitOf(t);
  if (d >= 0) return d < LIST_LENGTH || allow5 ? st.done() : null;
  if (varOf(t) >= 0) return varOf(t) < st.locals ? st.done() : null;
  if (t === MINUS) return st.push([code(K.neg)]).done();
  if (t === A) return st.push([tk(LBRACK), INDEX, tk(RBRACK)]).done();
  if (t !== LPAR || (attr & 4) === 0 || st.ops < 1) return null;
  // The operation inside the parentheses is reserved now, so index expressions before it cannot use
  // it up.
  st.ops--;
  const inner = code(K.term, attr & 2);
  return st.push([inner, code(K.op), inner, tk(RPAR)]).done();
}

/** A token of the function body: a declaration (first), a statement, or the end. */
function top(st: Step, attr: number, t: number): MinicGrammarState | null {
  if (t === END) return st.stack.length === 0 ? st.done(true) : null;
  if (attr && t === INT)
    return st.locals < MAX_LOCALS
      ? st.push([code(K.declVar), tk(SET), code(K.const), tk(SEMI), code(K.top, attr)]).done()
      : null;
  const s = statement(t, 0, st.locals);
  return s ? st.push([...s, code(K.top)]).done() : null;
}

/**
 * One token: the state after it (before the length check), or null. Nullable symbols (`else`, the
 * rest of an expression) step aside when the token does not continue them.
 */
function advance(g: MinicGrammarState, t: number): MinicGrammarState | null {
  const st = new Step(g);
  for (;;) {
    if (st.stack.length === 0) return null;
    const c = st.pop();
    const attr = c >> 4;
    switch (c & 15) {
      case K.tok:
        return t === attr ? st.done() : null;
      case K.top:
        return top(st, attr, t);
      case K.list: {
        if (t === RBRACE) return attr & HAS_ONE ? st.done() : null;
        const s = statement(t, attr & ~HAS_ONE, st.locals);
        return s ? st.push([...s, code(K.list, attr | HAS_ONE)]).done() : null;
      }
      case K.block:
        return t === LBRACE ? st.push([code(K.list, attr)]).done() : null;
      case K.else:
        if (t === ELSE) return st.push([code(K.block, attr)]).done();
        continue;
      case K.forVar: {
        const v = varOf(t);
        if (!assignable(v, attr, st.locals)) return null;
        const inner = attr | IN_LOOP | (1 << (v + 1));
        const header = [
          tk(SET),
          FRESH,
          tk(SEMI),
          tk(t),
          tk(CMP0),
          FRESH5,
          tk(SEMI),
          tk(t),
          tk(INC),
          tk(RPAR),
        ];
        return st.push([...header, code(K.block, inner)]).done();
      }
      case K.tail:
        if (t === SET || t === PLUS_SET || t === MINUS_SET) return st.push([FRESH, tk(SEMI)]).done();
        return t === INC || t === DEC ? st.push([tk(SEMI)]).done() : null;
      case K.expr:
        if (attr & 1) st.ops = MAX_OPS;
        st.push([code(K.term, attr & 2), code(K.etail, attr & 2)]);
        continue;
      case K.term:
        return term(st, attr, t);
      case K.etail:
        if ((t === PLUS || t === MINUS) && st.ops > 0) {
          st.ops--;
          return st.push([code(K.term, attr | 4), c]).done();
        }
        continue;
      case K.op:
        return t === PLUS || t === MINUS ? st.done() : null;
      case K.cmp:
        return isCmp(t) ? st.done() : null;
      case K.declVar:
        if (t !== V0 + st.locals) return null;
        st.locals++;
        return st.done();
      case K.const: {
        const d = digitOf(t);
        if (d >= 0 && d < LIST_LENGTH) return st.done();
        return t === MINUS ? st.push([code(K.neg)]).done() : null;
      }
      case K.neg: {
        const d = digitOf(t);
        return d >= 1 && d < LIST_LENGTH ? st.done() : null;
      }
      default:
        return null;
    }
  }
}

/** The restricted-C token grammar (a TokenGrammar<MinicGrammarState>). */
export class MinicTokenGrammar {
  readonly vocabulary = MINIC_VOCABULARY;
  readonly end = END;
  readonly maxTokens: number;
  private readonly startState: MinicGrammarState;

  constructor(maxTokens = MINIC_MAX_TOKENS) {
    if (!(maxTokens >= 1 && maxTokens <= MINIC_MAX_TOKENS))
      throw new Error(`minic grammar: maxTokens must be in [1, ${MINIC_MAX_TOKENS}], got ${maxTokens}`);
    this.maxTokens = maxTokens;
    const top = String.fromCharCode(code(K.top, 1));
    this.startState = { len: 0, locals: 0, ops: 0, stack: top, need: 0, ended: false };
  }

  start(): MinicGrammarState {
    return this.startState;
  }

  isComplete(g: MinicGrammarState): boolean {
    return g.ended || advance(g, END) !== null;
  }

  next(g: MinicGrammarState, t: number): MinicGrammarState | null {
    if (g.ended || !Number.isInteger(t) || t < 0 || t >= this.vocabulary.length) return null;
    const n = advance(g, t);
    if (n === null) return null;
    // Room for the fewest tokens that finish the program, and the end token.
    const need = n.ended ? 0 : n.need + 1;
    return n.len + need <= this.maxTokens ? n : null;
  }

  legal(g: MinicGrammarState, out: Uint8Array): void {
    for (let t = 0; t < this.vocabulary.length; t++) out[t] = this.next(g, t) === null ? 0 : 1;
  }
}
