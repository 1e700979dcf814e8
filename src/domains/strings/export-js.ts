/**
 * Compiles a program to the source text of one standalone JavaScript function the user can paste into
 * their code: no imports, helpers nested inside, only the helpers the program needs. It returns the
 * same string as `runProgram`, or null where the interpreter reports an error (property-tested),
 * characters outside the BMP included: positions count code points in both.
 */
import { maxColumn, printProgram, type Expr, type Op, type Pred, type Program } from './dsl.js';
import { NUM_REGEXES, REGEX_SOURCES, type RegexId } from './regex.js';

const HELPERS: Record<string, string> = {
  matches: `const matches = (s, re) => Array.from(s.matchAll(re), (m) => [m.index, m.index + m[0].length]);`,
  pick: `const pick = (list, i) => list[i < 0 ? list.length + i : i]; // Python indexing; undefined when out of range`,
  token: `const token = (s, re, i) => { const m = pick(matches(s, re), i); return m === undefined ? null : s.slice(m[0], m[1]); };`,
  upTo: `const upTo = (s, re) => { const m = matches(s, re); return m.length === 0 ? null : s.slice(0, m[0][1]); };`,
  from: `const from = (s, re) => { const m = matches(s, re); return m.length === 0 ? null : s.slice(m[m.length - 1][1]); };`,
  first: `const first = (s, re, i) => { const m = matches(s, re); const e = i + 1 < 0 ? Math.max(0, m.length + i + 1) : Math.min(i + 1, m.length); return m.slice(0, e).map(([a, b]) => s.slice(a, b)).join(''); };`,
  all: `const all = (s, re) => matches(s, re).map(([a, b]) => s.slice(a, b)).join('');`,
  span: [
    `const span = (s, re1, i1, b1, re2, i2, b2) => {`,
    `    const m1 = pick(matches(s, re1), i1); if (m1 === undefined) return null;`,
    `    const m2 = pick(matches(s, re2), i2); if (m2 === undefined) return null;`,
    `    const p1 = m1[b1], p2 = m2[b2]; // boundary 0 = Start, 1 = End`,
    `    return p1 >= p2 ? '' : s.slice(p1, p2);`,
    `  };`,
  ].join('\n'),
  slice: [
    `const slice = (s, k1, k2) => { // Python s[k1:k2], counting characters (code points)`,
    `    const c = Array.from(s), n = c.length; const b = k2 < 0 ? Math.max(0, n + k2) : Math.min(k2, n);`,
    `    const a = Math.min(k1 < 0 ? Math.max(0, n + k1) : Math.min(k1, n), b); return c.slice(a, b).join('');`,
    `  };`,
  ].join('\n'),
  title: [
    `const title = (s) => { // Python str.title()`,
    `    let out = '', prev = false;`,
    `    for (const ch of s) { const lo = ch.toLowerCase(), up = ch.toUpperCase(), cased = lo !== up; out += cased ? (prev ? lo : up) : ch; prev = cased; }`,
    `    return out;`,
    `  };`,
  ].join('\n'),
  // Rich mode.
  num: `const num = (s) => /^\\s*[-+]?(\\d+(\\.\\d*)?|\\.\\d+)\\s*$/.test(s) ? Number(s) : null; // a plain decimal number, or null`,
  whole: `const whole = (s, re) => { const m = matches(s, re); return m.length === 1 && m[0][0] === 0 && m[0][1] === s.length; };`,
  find: `const find = (s, re) => { const m = matches(s, re); return m.length === 0 ? null : String(Array.from(s.slice(0, m[0][0])).length + 1); };`,
  add: `const add = (s, n) => (/^\\s*[-+]?\\d{1,15}\\s*$/.test(s) ? String(Number(s) + n) : null);`,
  pad: `const pad = (s, w, f) => { const n = Array.from(s).length; return n >= w ? s : f.repeat(w - n) + s; };`,
  fixed: `const fixed = (s, d) => { const x = num(s); return x === null ? null : x.toFixed(d); };`,
  round: `const round = (s, d) => { const x = num(s); return x === null ? null : String(Number(x.toFixed(d))); };`,
  thousands: [
    `const thousands = (s) => { // group the integer part by threes`,
    `    if (num(s) === null) return null;`,
    `    const t = s.trim(), sign = t[0] === '-' || t[0] === '+' ? t[0] : '', body = sign ? t.slice(1) : t;`,
    `    const dot = body.indexOf('.'), int = dot < 0 ? body : body.slice(0, dot), frac = dot < 0 ? '' : body.slice(dot);`,
    `    return sign + int.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',') + frac;`,
    `  };`,
  ].join('\n'),
};

const DEPS: Record<string, string[]> = {
  token: ['matches', 'pick'],
  upTo: ['matches'],
  from: ['matches'],
  first: ['matches'],
  all: ['matches'],
  span: ['matches', 'pick'],
  whole: ['matches'],
  find: ['matches'],
  fixed: ['num'],
  round: ['num'],
  thousands: ['num'],
};

/** Char (any character) carries the u flag, so it matches a whole code point, as the interpreter does. */
const CHAR = 7;

/** Char and the Unicode types need the u flag (paper delimiters are escaped for non-u regexes). */
const needsU = (r: RegexId): boolean => r === CHAR || r >= NUM_REGEXES;

function re(r: RegexId): string {
  return `/${REGEX_SOURCES[r]}/g${needsU(r) ? 'u' : ''}`;
}

/** JavaScript boolean expression for a predicate on `v`, and the helpers it needs. */
function predCode(p: Pred, v: string, used: Set<string>): string {
  switch (p.p) {
    case 'Has':
      return `/${REGEX_SOURCES[p.r]}/${needsU(p.r) ? 'u' : ''}.test(${v})`;
    case 'Is':
      used.add('whole').add('matches');
      return `whole(${v}, ${re(p.t)})`;
    case 'IsEmpty':
      return `${v} === ''`;
    case 'NumGt':
    case 'NumLt':
    case 'NumEq': {
      used.add('num');
      const cmp = p.p === 'NumGt' ? '>' : p.p === 'NumLt' ? '<' : '===';
      return `(num(${v}) ?? NaN) ${cmp} ${p.n}`;
    }
    default: {
      const a = p.ci ? `${v}.toLowerCase()` : v;
      const b = JSON.stringify(p.ci ? p.text.toLowerCase() : p.text);
      if (p.p === 'Equals') return `${a} === ${b}`;
      const method = p.p === 'Contains' ? 'includes' : p.p === 'StartsWith' ? 'startsWith' : 'endsWith';
      return `${a}.${method}(${b})`;
    }
  }
}

/** JavaScript expression for one op applied to `s`, and the helper it needs. */
function opCode(o: Op, used: Set<string>): { code: string; helper: string | null; canFail: boolean } {
  switch (o.op) {
    case 'If': {
      const test = predCode(o.pred, `x${o.col}`, used);
      const code = o.keep === 'Then' ? `(${test}) ? s : ''` : `(${test}) ? '' : s`;
      return { code, helper: null, canFail: false };
    }
    case 'Test':
      return { code: `(${predCode(o.pred, 's', used)}) ? 'TRUE' : 'FALSE'`, helper: null, canFail: false };
    case 'Len':
      return { code: 'String(Array.from(s).length)', helper: null, canFail: false };
    case 'Count':
      return { code: `String(matches(s, ${re(o.r)}).length)`, helper: 'matches', canFail: false };
    case 'Find':
      return { code: `find(s, ${re(o.r)})`, helper: 'find', canFail: true };
    case 'Add':
      return { code: `add(s, ${o.n})`, helper: 'add', canFail: true };
    case 'Pad':
      return { code: `pad(s, ${o.width}, ${JSON.stringify(o.fill)})`, helper: 'pad', canFail: false };
    case 'Fixed':
      return { code: `fixed(s, ${o.d})`, helper: 'fixed', canFail: true };
    case 'Round':
      return { code: `round(s, ${o.d})`, helper: 'round', canFail: true };
    case 'Thousands':
      return { code: 'thousands(s)', helper: 'thousands', canFail: true };
    case 'ToCase':
      if (o.c === 'AllCaps') return { code: 's.toUpperCase()', helper: null, canFail: false };
      if (o.c === 'Lower') return { code: 's.toLowerCase()', helper: null, canFail: false };
      return { code: 'title(s)', helper: 'title', canFail: false };
    case 'Replace':
      return {
        code: `s.split(${JSON.stringify(o.from)}).join(${JSON.stringify(o.to)})`,
        helper: null,
        canFail: false,
      };
    case 'SubStr':
      return { code: `slice(s, ${o.k1}, ${o.k2})`, helper: 'slice', canFail: false };
    case 'GetToken':
      return { code: `token(s, ${re(o.t)}, ${o.i})`, helper: 'token', canFail: true };
    case 'GetUpTo':
      return { code: `upTo(s, ${re(o.r)})`, helper: 'upTo', canFail: true };
    case 'GetFrom':
      return { code: `from(s, ${re(o.r)})`, helper: 'from', canFail: true };
    case 'GetFirst':
      return { code: `first(s, ${re(o.t)}, ${o.i})`, helper: 'first', canFail: false };
    case 'GetAll':
      return { code: `all(s, ${re(o.t)})`, helper: 'all', canFail: false };
    case 'GetSpan': {
      const b = (x: string): number => (x === 'Start' ? 0 : 1);
      return {
        code: `span(s, ${re(o.r1)}, ${o.i1}, ${b(o.b1)}, ${re(o.r2)}, ${o.i2}, ${b(o.b2)})`,
        helper: 'span',
        canFail: true,
      };
    }
    case 'Trim':
      return { code: 's.trim()', helper: null, canFail: false };
  }
}

function exprLines(e: Expr, used: Set<string>): string[] {
  const lines: string[] = [];
  const src = e.source.src === 'const' ? JSON.stringify(e.source.value) : `x${e.source.col}`;
  if (e.ops.length === 0) return [`out += ${src};`];
  lines.push(`s = ${src};`);
  for (const o of e.ops) {
    const { code, helper, canFail } = opCode(o, used);
    if (helper) {
      used.add(helper);
      for (const d of DEPS[helper] ?? []) used.add(d);
    }
    lines.push(canFail ? `s = ${code}; if (s === null) return null;` : `s = ${code};`);
  }
  lines.push('out += s;');
  return lines;
}

/** A valid JavaScript identifier for the function name. */
function safeName(name: string): string {
  const n = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[A-Za-z_$]/.test(n) ? n : `_${n}`;
}

/**
 * Source text of `function name(x0, x1, …)` returning the program's output for one row of input
 * columns, or null when the program fails on that row (a token index out of range, or a column missing).
 */
export function compileToJs(program: Program, name = 'transform'): string {
  const used = new Set<string>();
  const cols = Math.max(0, maxColumn(program) + 1);
  const params = Array.from({ length: Math.max(cols, 1) }, (_, i) => `x${i}`);
  const body: string[] = [];
  for (let c = 0; c < cols; c++) body.push(`if (typeof x${c} !== 'string') return null;`);
  body.push(`let out = '';`);
  if (program.exprs.some((e) => e.ops.length > 0)) body.push('let s;');
  for (const e of program.exprs) body.push(...exprLines(e, used));
  body.push('return out;');
  const order = [
    'matches',
    'pick',
    'token',
    'upTo',
    'from',
    'first',
    'all',
    'span',
    'slice',
    'title',
    'num',
    'whole',
    'find',
    'add',
    'pad',
    'fixed',
    'round',
    'thousands',
  ];
  // Helpers' own dependencies (a predicate's `whole` needs `matches`, `fixed` needs `num`, …).
  for (const h of [...used]) for (const d of DEPS[h] ?? []) used.add(d);
  const helpers = order.filter((h) => used.has(h)).map((h) => `  ${HELPERS[h]}`);
  const doc = printProgram(program).replace(/\*\//g, '*\\/');
  return [
    `/** Generated by replsynth from: ${doc} */`,
    `function ${safeName(name)}(${params.join(', ')}) {`,
    ...helpers,
    ...body.map((l) => `  ${l}`),
    `}`,
  ].join('\n');
}

/** Compiles to a callable function (for tests and the CLI's --check); uses the same source text. */
export function compileToFunction(program: Program): (...inputs: string[]) => string | null {
  // The source is generated by us from a validated program, never from user text.
  return new Function(`${compileToJs(program, 'transform')}\nreturn transform;`)() as (
    ...inputs: string[]
  ) => string | null;
}
