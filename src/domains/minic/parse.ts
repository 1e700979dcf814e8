/**
 * Reads restricted C back: a lexer and a recursive-descent parser for the subset of dsl.ts. It accepts
 * a little more than the printer writes (any names, `int *a`, bodies without braces, `++v`, comments)
 * and checks the language's rules (dsl.ts `programError`), so what it returns always prints and runs.
 * Errors are ParseErrors with the character offset of the offending token.
 */
import { ParseError } from '../../core/index.js';
import {
  ASSIGN_OPS,
  CMP_OPS,
  HEADER_TOKENS,
  MAX_LOCALS,
  TRAILER_TOKENS,
  programError,
  type AssignOp,
  type BinOp,
  type CmpOp,
  type Cond,
  type Expr,
  type Program,
  type Stmt,
  type Target,
} from './dsl.js';

interface Lexeme {
  readonly t: string;
  readonly pos: number;
}

const PUNCT2 = ['+=', '-=', '++', '--', '<=', '>=', '==', '!='];
const PUNCT1 = '+-<>=(){}[];*,';

/** C tokens of a text; comments and whitespace skipped. */
export function lex(text: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') i++;
    else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new ParseError('unterminated comment', i);
      i = end + 2;
    } else {
      const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+)/.exec(text.slice(i, i + 64));
      const two = text.slice(i, i + 2);
      const t = m ? m[0] : PUNCT2.includes(two) ? two : PUNCT1.includes(c) ? c : null;
      if (t === null) throw new ParseError(`unexpected character ${JSON.stringify(c)}`, i);
      out.push({ t, pos: i });
      i += t.length;
    }
  }
  return out;
}

const isIdent = (t: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(t);
const KEYWORDS = new Set(['int', 'for', 'if', 'else', 'break', 'continue', 'return', 'while', 'do']);

class Parser {
  private i = 0;
  private array = 'a';
  private readonly locals = new Map<string, number>();
  /** Where each node starts, for rule errors. */
  readonly where = new WeakMap<object, number>();

  constructor(
    private readonly lx: readonly Lexeme[],
    private readonly end: number,
  ) {}

  private peek(k = 0): string {
    return this.lx[this.i + k]?.t ?? '<end of input>';
  }

  private pos(): number {
    return this.lx[this.i]?.pos ?? this.end;
  }

  fail(message: string, pos = this.pos()): never {
    throw new ParseError(message, pos);
  }

  private take(): string {
    if (this.i >= this.lx.length) this.fail('unexpected end of input');
    return this.lx[this.i++].t;
  }

  private expect(t: string, what = `'${t}'`): void {
    if (this.peek() !== t) this.fail(`expected ${what}, got '${this.peek()}'`);
    this.i++;
  }

  private ident(what: string): string {
    const t = this.peek();
    if (!isIdent(t) || KEYWORDS.has(t)) this.fail(`expected ${what}, got '${t}'`);
    this.i++;
    return t;
  }

  private mark<T extends object>(node: T, pos: number): T {
    this.where.set(node, pos);
    return node;
  }

  program(): Program {
    this.expect('int', "'int * func_1(int a[])'");
    this.expect('*', "'*' (the function returns int *)");
    this.ident('a function name');
    this.expect('(');
    this.expect('int');
    if (this.peek() === '*') {
      this.i++;
      this.array = this.ident('the list parameter');
    } else {
      this.array = this.ident('the list parameter');
      this.expect('[');
      if (this.peek() === '5') this.i++;
      this.expect(']');
    }
    this.expect(')');
    this.expect('{');
    const inits: number[] = [];
    while (this.peek() === 'int') {
      const at = this.pos();
      this.i++;
      const name = this.ident('a local name');
      if (name === this.array || this.locals.has(name)) this.fail(`'${name}' is declared twice`, at);
      if (this.locals.size >= MAX_LOCALS) this.fail(`at most ${MAX_LOCALS} locals`, at);
      if (this.peek() !== '=') this.fail(`local '${name}' needs a constant initialiser`);
      this.i++;
      inits.push(this.constant());
      this.locals.set(name, this.locals.size);
      this.expect(';');
    }
    const body = this.statements(() => this.peek() === 'return' || this.peek() === '}');
    this.expect('return', "'return a;' at the end");
    if (this.take() !== this.array)
      this.fail(`the function must return '${this.array}'`, this.lx[this.i - 1].pos);
    this.expect(';');
    if (this.peek() !== '}') this.fail("'return a;' only at the end of the function");
    this.i++;
    if (this.i < this.lx.length) this.fail(`unexpected '${this.peek()}' after the function`);
    return { locals: inits, body };
  }

  private constant(): number {
    const neg = this.peek() === '-';
    if (neg) this.i++;
    const t = this.take();
    if (!/^[0-9]+$/.test(t)) this.fail(`expected a constant, got '${t}'`, this.lx[this.i - 1].pos);
    return neg ? -Number(t) : Number(t);
  }

  private statements(stop: () => boolean): Stmt[] {
    const out: Stmt[] = [];
    while (!stop()) {
      if (this.i >= this.lx.length) this.fail('unexpected end of input');
      out.push(this.statement());
    }
    return out;
  }

  private body(): Stmt[] {
    if (this.peek() !== '{') return [this.statement()];
    this.i++;
    const b = this.statements(() => this.peek() === '}');
    this.i++;
    return b;
  }

  private statement(): Stmt {
    const at = this.pos();
    const t = this.peek();
    switch (t) {
      case 'int':
        return this.fail('declare locals at the top of the function');
      case 'while':
      case 'do':
        return this.fail(`'${t}' is not in the language (only for loops)`);
      case 'return':
        return this.fail("'return a;' only at the end of the function");
      case 'break':
      case 'continue':
        this.i++;
        this.expect(';');
        return this.mark({ k: t }, at);
      case 'if': {
        this.i++;
        this.expect('(');
        const c = this.cond();
        this.expect(')');
        const then = this.body();
        let otherwise: Stmt[] | null = null;
        if (this.peek() === 'else') {
          this.i++;
          otherwise = this.body();
        }
        return this.mark({ k: 'if', c, then, else: otherwise }, at);
      }
      case 'for':
        return this.forLoop();
      case '++':
      case '--': {
        this.i++;
        const target = this.target();
        this.expect(';');
        return this.mark({ k: 'step', op: t, target }, at);
      }
    }
    const target = this.target();
    const op = this.take();
    if (op === '++' || op === '--') {
      this.expect(';');
      return this.mark({ k: 'step', op, target }, at);
    }
    if (!(ASSIGN_OPS as readonly string[]).includes(op))
      this.fail(`expected =, +=, -=, ++ or --, got '${op}'`, this.lx[this.i - 1].pos);
    const e = this.expr();
    this.expect(';');
    return this.mark({ k: 'set', op: op as AssignOp, target, e }, at);
  }

  private forLoop(): Stmt {
    const at = this.pos();
    this.i++;
    this.expect('(');
    if (this.peek() === 'int') this.fail('declare the loop variable at the top of the function');
    const v = this.localRef();
    this.expect('=');
    const lo = this.expr();
    this.expect(';');
    const name = Array.from(this.locals.keys())[v];
    const same = (what: string): void => {
      if (this.peek() !== name) this.fail(`expected '${name}' ${what} (for (v = e; v < e; v++))`);
      this.i++;
    };
    same('in the condition');
    this.expect('<', "'<' (loops are written for (v = e; v < e; v++))");
    const hi = this.expr();
    this.expect(';');
    if (this.peek() === '++') {
      this.i++;
      same('after ++');
    } else {
      same('in the increment');
      this.expect('++', "'++' (loops count up by one)");
    }
    this.expect(')');
    const body = this.body();
    return this.mark({ k: 'for', v, lo, hi, body }, at);
  }

  private localRef(): number {
    const at = this.pos();
    const name = this.ident('a variable');
    const v = this.locals.get(name);
    if (v === undefined) this.fail(`undeclared variable '${name}'`, at);
    return v;
  }

  private target(): Target {
    const at = this.pos();
    if (this.peek() === this.array) {
      this.i++;
      this.expect('[');
      const i = this.expr();
      this.expect(']');
      return this.mark({ k: 'at', i }, at);
    }
    return this.mark({ k: 'var', v: this.localRef() }, at);
  }

  private cond(): Cond {
    const l = this.expr();
    const op = this.take();
    if (!(CMP_OPS as readonly string[]).includes(op))
      this.fail(`expected a comparison (${CMP_OPS.join(' ')}), got '${op}'`, this.lx[this.i - 1].pos);
    return { op: op as CmpOp, l, r: this.expr() };
  }

  private expr(): Expr {
    let e = this.term();
    while (this.peek() === '+' || this.peek() === '-') {
      const at = this.pos();
      const op = this.take() as BinOp;
      e = this.mark({ k: 'bin', op, l: e, r: this.term() }, at);
    }
    return e;
  }

  private term(): Expr {
    const at = this.pos();
    const t = this.peek();
    if (t === '(') {
      this.i++;
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (t === '-' || /^[0-9]+$/.test(t)) {
      if (t === '-' && !/^[0-9]+$/.test(this.peek(1))) this.fail('unary minus only on constants');
      return this.mark({ k: 'num', v: this.constant() }, at);
    }
    if (t === this.array) {
      this.i++;
      this.expect('[');
      const i = this.expr();
      this.expect(']');
      return this.mark({ k: 'at', i }, at);
    }
    return this.mark({ k: 'var', v: this.localRef() }, at);
  }
}

function checked(p: Parser, program: Program, end: number): Program {
  const bad = programError(program);
  if (bad) p.fail(bad.message, bad.node ? (p.where.get(bad.node) ?? 0) : end);
  return program;
}

/** Parses a whole C function of the language; throws ParseError. */
export function parseProgram(text: string): Program {
  const p = new Parser(lex(text), text.length);
  return checked(p, p.program(), text.length);
}

/** The program written by body tokens (as `bodyTokens` gives them), or null when they do not parse. */
export function programFromBodyTokens(tokens: readonly string[]): Program | null {
  const lx = [...HEADER_TOKENS, ...tokens, ...TRAILER_TOKENS].map((t, pos) => ({ t, pos }));
  try {
    const p = new Parser(lx, lx.length);
    return checked(p, p.program(), lx.length);
  } catch (e) {
    if (e instanceof ParseError) return null;
    throw e;
  }
}
