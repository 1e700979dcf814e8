/**
 * The interpreter: Python semantics of the original code (ROBUT.py) on JavaScript strings, positions
 * counted in code points as Python counts them (a character outside the BMP is one position). An
 * operation returns null where the original raised IndexError (a token index out of range, or no match
 * for GetUpTo/GetFrom); slices never fail, as in Python.
 */
import type { Boundary, CaseName, Expr, Op, Pred, Program } from './dsl.js';
import { matches, type RegexId } from './regex.js';

const SURROGATE = /[\uD800-\uDFFF]/;

/** Whether a string has characters outside the BMP (so code points and UTF-16 units differ). */
export const hasAstral = (s: string): boolean => SURROGATE.test(s);

/** Python `s[k1:k2]`, counting code points (as Python does), never splitting a character in two. */
export function pySlice(s: string, k1: number, k2: number): string {
  const chars: string | string[] = hasAstral(s) ? Array.from(s) : s;
  const n = chars.length;
  let a = k1 < 0 ? Math.max(0, n + k1) : Math.min(k1, n);
  const b = k2 < 0 ? Math.max(0, n + k2) : Math.min(k2, n);
  if (a > b) a = b;
  return typeof chars === 'string' ? chars.slice(a, b) : chars.slice(a, b).join('');
}

/** Python `str.title()`: upper-case a cased character after an uncased one, lower-case the rest. */
export function titleCase(s: string): string {
  // ASCII fast path (the paper's alphabet); same rule as the general loop below.
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) if (s.charCodeAt(i) > 127) ascii = false;
  if (ascii) {
    let out = '';
    let prevCased = false;
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const upper = c >= 65 && c <= 90;
      const lower = c >= 97 && c <= 122;
      if ((upper && prevCased) || (lower && !prevCased)) {
        out += s.slice(start, i) + String.fromCharCode(c ^ 32);
        start = i + 1;
      }
      prevCased = upper || lower;
    }
    return start === 0 ? s : out + s.slice(start);
  }
  let out = '';
  let prevCased = false;
  // By code point, so characters outside the BMP are cased too.
  for (const ch of s) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    const cased = lo !== up;
    out += cased ? (prevCased ? lo : up) : ch;
    prevCased = cased;
  }
  return out;
}

export function toCase(s: string, c: CaseName): string {
  return c === 'AllCaps' ? s.toUpperCase() : c === 'Lower' ? s.toLowerCase() : titleCase(s);
}

/** Index of the i-th match (Python list indexing), or −1 when out of range. */
function pick(n: number, i: number): number {
  const j = i < 0 ? n + i : i;
  return j >= 0 && j < n ? j : -1;
}

export function getToken(s: string, t: RegexId, i: number): string | null {
  const m = matches(s, t);
  const j = pick(m.length >> 1, i);
  return j < 0 ? null : s.slice(m[2 * j], m[2 * j + 1]);
}

export function getUpTo(s: string, r: RegexId): string | null {
  const m = matches(s, r);
  return m.length === 0 ? null : s.slice(0, m[1]);
}

export function getFrom(s: string, r: RegexId): string | null {
  const m = matches(s, r);
  return m.length === 0 ? null : s.slice(m[m.length - 1]);
}

/** Matches 0..i concatenated: the original's `matches[:i+1]` (Python slice, so i = −1 gives ""). */
export function getFirst(s: string, t: RegexId, i: number): string {
  const m = matches(s, t);
  const n = m.length >> 1;
  let end = i + 1;
  end = end < 0 ? Math.max(0, n + end) : Math.min(end, n);
  let out = '';
  for (let j = 0; j < end; j++) out += s.slice(m[2 * j], m[2 * j + 1]);
  return out;
}

export function getAll(s: string, t: RegexId): string {
  const m = matches(s, t);
  let out = '';
  for (let j = 0; j < m.length; j += 2) out += s.slice(m[j], m[j + 1]);
  return out;
}

/** Position of boundary b of the i-th match of r, or −1 on an index error. */
export function boundary(s: string, r: RegexId, i: number, b: Boundary): number {
  const m = matches(s, r);
  const j = pick(m.length >> 1, i);
  return j < 0 ? -1 : m[2 * j + (b === 'Start' ? 0 : 1)];
}

export function getSpan(
  s: string,
  r1: RegexId,
  i1: number,
  b1: Boundary,
  r2: RegexId,
  i2: number,
  b2: Boundary,
): string | null {
  const p1 = boundary(s, r1, i1, b1);
  if (p1 < 0) return null;
  const p2 = boundary(s, r2, i2, b2);
  if (p2 < 0) return null;
  return p1 >= p2 ? '' : s.slice(p1, p2);
}

// ------------------------------------------------------------------ rich mode

/** A decimal number as the rich ops read it: optional sign, digits, optional fraction; spaces around. */
const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/;
const INTEGER = /^\s*[-+]?\d{1,15}\s*$/;

/** The number a string holds, or null when it is not a plain decimal number. */
export function parseNumber(s: string): number | null {
  return NUMBER.test(s) ? Number(s) : null;
}

/** Number of characters (code points). */
export const charCount = (s: string): number => (hasAstral(s) ? Array.from(s).length : s.length);

const fold = (s: string): string => s.toLowerCase();

/** Whether a predicate holds on a string. */
export function testPred(p: Pred, s: string): boolean {
  switch (p.p) {
    case 'Has':
      return matches(s, p.r).length > 0;
    case 'Is': {
      const m = matches(s, p.t);
      return m.length === 2 && m[0] === 0 && m[1] === s.length;
    }
    case 'IsEmpty':
      return s === '';
    case 'NumGt':
    case 'NumLt':
    case 'NumEq': {
      const x = parseNumber(s);
      if (x === null) return false;
      return p.p === 'NumGt' ? x > p.n : p.p === 'NumLt' ? x < p.n : x === p.n;
    }
    default: {
      const a = p.ci ? fold(s) : s;
      const b = p.ci ? fold(p.text) : p.text;
      if (p.p === 'Contains') return a.includes(b);
      if (p.p === 'StartsWith') return a.startsWith(b);
      if (p.p === 'EndsWith') return a.endsWith(b);
      return a === b;
    }
  }
}

/** "1234567.5" → "1,234,567.5" (the integer part grouped by threes); null when not a number. */
export function thousands(s: string): string | null {
  if (parseNumber(s) === null) return null;
  const t = s.trim();
  const sign = t[0] === '-' || t[0] === '+' ? t[0] : '';
  const body = sign ? t.slice(1) : t;
  const dot = body.indexOf('.');
  const int = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot);
  return sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + frac;
}

/** Code-point position (1-based) of the first match of r, or null when there is none. */
function find(s: string, r: RegexId): string | null {
  const m = matches(s, r);
  if (m.length === 0) return null;
  return String(charCount(s.slice(0, m[0])) + 1);
}

/**
 * Applies one operation to scratch `s`; null on an index error (or a number op on text that is not a
 * number). `row` holds the example's input columns (If reads one).
 */
export function applyOp(o: Op, s: string, row: readonly string[] = []): string | null {
  switch (o.op) {
    case 'If': {
      const v = o.col < row.length ? row[o.col] : null;
      if (v === null) return null;
      return testPred(o.pred, v) === (o.keep === 'Then') ? s : '';
    }
    case 'Test':
      return testPred(o.pred, s) ? 'TRUE' : 'FALSE';
    case 'Len':
      return String(charCount(s));
    case 'Count':
      return String(matches(s, o.r).length >> 1);
    case 'Find':
      return find(s, o.r);
    case 'Add':
      return INTEGER.test(s) ? String(Number(s) + o.n) : null;
    case 'Pad': {
      const n = charCount(s);
      return n >= o.width ? s : o.fill.repeat(o.width - n) + s;
    }
    case 'Fixed': {
      const x = parseNumber(s);
      return x === null ? null : x.toFixed(o.d);
    }
    case 'Round': {
      const x = parseNumber(s);
      return x === null ? null : String(Number(x.toFixed(o.d)));
    }
    case 'Thousands':
      return thousands(s);
    case 'ToCase':
      return toCase(s, o.c);
    case 'Replace':
      return s.split(o.from).join(o.to);
    case 'SubStr':
      return pySlice(s, o.k1, o.k2);
    case 'GetToken':
      return getToken(s, o.t, o.i);
    case 'GetUpTo':
      return getUpTo(s, o.r);
    case 'GetFrom':
      return getFrom(s, o.r);
    case 'GetFirst':
      return getFirst(s, o.t, o.i);
    case 'GetAll':
      return getAll(s, o.t);
    case 'GetSpan':
      return getSpan(s, o.r1, o.i1, o.b1, o.r2, o.i2, o.b2);
    case 'Trim':
      return s.trim();
  }
}

/** Output of one expression on one row of input columns; null on an error or a missing column. */
export function runExpr(e: Expr, inputs: readonly string[]): string | null {
  let s: string | null;
  if (e.source.src === 'const') s = e.source.value;
  else s = e.source.col < inputs.length ? inputs[e.source.col] : null;
  for (let k = 0; k < e.ops.length && s !== null; k++) s = applyOp(e.ops[k], s, inputs);
  return s;
}

/** Output of a program on one row of input columns (a string for single-column use); null on an error. */
export function runProgram(p: Program, inputs: readonly string[] | string): string | null {
  const row = typeof inputs === 'string' ? [inputs] : inputs;
  let out = '';
  for (const e of p.exprs) {
    const s = runExpr(e, row);
    if (s === null) return null;
    out += s;
  }
  return out;
}
