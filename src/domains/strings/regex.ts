/**
 * The 30 regexes of the RobustFill-style language (8 token types + 22 delimiters), the 96-character
 * alphabet, and fast hand-written matchers with a match cache.
 *
 * Faithfulness note: the original code (ROBUT.py) wrote Word as `([A-z])+` and Alphanum as `[A-z]`.
 * `[A-z]` also matches `[ \ ] ^ _` and the backtick, an accident of ASCII order. We fix it to
 * `[A-Za-z]`. Alphanum, AllCaps and Lower keep their single-character meaning (so GetAll(AllCaps)
 * yields initials), exactly as the original; only RobustFill's paper used `+` classes there.
 */

/** The 8 token types, in the order of the original action table. */
export const TYPE_NAMES = [
  'Number',
  'Word',
  'Alphanum',
  'PropCase',
  'AllCaps',
  'Lower',
  'Digit',
  'Char',
] as const;
export type TypeName = (typeof TYPE_NAMES)[number];

/** The 22 delimiters, in the order of the original code. */
export const DELIMITERS: readonly string[] = [
  '&',
  ',',
  '.',
  '?',
  '!',
  '@',
  '(',
  ')',
  '[',
  ']',
  '%',
  '{',
  '}',
  '/',
  ':',
  ';',
  '$',
  '#',
  '"',
  "'",
  '-',
  ' ',
];

export const NUM_TYPES = TYPE_NAMES.length;
export const NUM_REGEXES = NUM_TYPES + DELIMITERS.length;

/**
 * Token types of rich mode only, after the 30 paper regexes (ids 30–33), so paper ids keep their
 * meaning: letters of any script (`\p{L}`), so "José" is one word and "É" a capital.
 */
export const UNICODE_TYPE_NAMES = ['UWord', 'UPropCase', 'UCaps', 'ULower'] as const;
/** Every regex id: the paper's 30, then the Unicode types. */
export const NUM_ALL_REGEXES = NUM_REGEXES + UNICODE_TYPE_NAMES.length;
/** Whether a regex id is one of the 22 delimiters. */
export const isDelimiter = (r: number): boolean => r >= NUM_TYPES && r < NUM_REGEXES;
/** Whether a regex id is a token type (paper or Unicode). */
export const isTypeId = (r: number): boolean => r < NUM_TYPES || (r >= NUM_REGEXES && r < NUM_ALL_REGEXES);

/** A regex is an index: 0–7 token types, 8–29 delimiters, 30–33 Unicode token types. */
export type RegexId = number;

/** Regex source text (JavaScript syntax) for each regex id; used by the JS exporter. */
export const REGEX_SOURCES: readonly string[] = [
  '[0-9]+',
  '[A-Za-z]+',
  '[A-Za-z]',
  '[A-Z][a-z]+',
  '[A-Z]',
  '[a-z]',
  '[0-9]',
  // Python's `.` excludes only '\n' (JavaScript's also excludes \r, \u2028, \u2029).
  '[^\\n]',
  ...DELIMITERS.map((d) => d.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')),
  // Unicode types (used with the u flag).
  '\\p{L}+',
  '\\p{Lu}\\p{Ll}+',
  '\\p{Lu}',
  '\\p{Ll}',
];

/** The 96 characters of the paper: Python's string.printable without \n \r \x0b \x0c, in that order. */
export const CHARACTERS: readonly string[] = (() => {
  const out: string[] = [];
  for (let c = 48; c <= 57; c++) out.push(String.fromCharCode(c));
  for (let c = 97; c <= 122; c++) out.push(String.fromCharCode(c));
  for (let c = 65; c <= 90; c++) out.push(String.fromCharCode(c));
  out.push(...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.split(''));
  out.push(' ', '\t');
  return out;
})();

const CHAR_INDEX = new Int16Array(128).fill(-1);
CHARACTERS.forEach((c, i) => (CHAR_INDEX[c.charCodeAt(0)] = i));

/** Index of a character in CHARACTERS, or -1 when it is outside the paper's alphabet. */
export function charIndex(code: number): number {
  return code < 128 ? CHAR_INDEX[code] : -1;
}

export function regexName(r: RegexId): string {
  if (r >= NUM_REGEXES) return UNICODE_TYPE_NAMES[r - NUM_REGEXES];
  return r < NUM_TYPES ? TYPE_NAMES[r] : JSON.stringify(DELIMITERS[r - NUM_TYPES]);
}

/** Id of a token type name (paper or Unicode), or −1. */
export function typeId(name: string): RegexId {
  const i = (TYPE_NAMES as readonly string[]).indexOf(name);
  if (i >= 0) return i;
  const u = (UNICODE_TYPE_NAMES as readonly string[]).indexOf(name);
  return u < 0 ? -1 : NUM_REGEXES + u;
}

export function delimiterId(d: string): RegexId {
  const i = DELIMITERS.indexOf(d);
  return i < 0 ? -1 : NUM_TYPES + i;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isLetter = (c: number): boolean => isUpper(c) || isLower(c);

const UNICODE_RES = [/\p{L}+/gu, /\p{Lu}\p{Ll}+/gu, /\p{Lu}/gu, /\p{Ll}/gu];

const EMPTY = new Int32Array(0);
const buf = new Int32Array(4096);

/** Leftmost non-overlapping matches of `r` in `s` as [start0, end0, start1, end1, …] (uncached). */
export function scanMatches(s: string, r: RegexId): Int32Array {
  let n = 0;
  const len = s.length;
  // Match lists longer than the scratch buffer are rare (strings > 2048 chars): fall back to an array.
  const out: number[] | null = len * 2 > buf.length ? [] : null;
  const push = (a: number, b: number): void => {
    if (out) out.push(a, b);
    else {
      buf[n] = a;
      buf[n + 1] = b;
    }
    n += 2;
  };
  if (r >= NUM_REGEXES) {
    const re = UNICODE_RES[r - NUM_REGEXES];
    re.lastIndex = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) push(m.index, m.index + m[0].length);
  } else if (r >= NUM_TYPES) {
    const d = DELIMITERS[r - NUM_TYPES].charCodeAt(0);
    for (let i = 0; i < len; i++) if (s.charCodeAt(i) === d) push(i, i + 1);
  } else {
    switch (r) {
      case 0: // Number
      case 1: {
        // Word
        const test = r === 0 ? isDigit : isLetter;
        let i = 0;
        while (i < len) {
          if (test(s.charCodeAt(i))) {
            const st = i;
            while (i < len && test(s.charCodeAt(i))) i++;
            push(st, i);
          } else i++;
        }
        break;
      }
      case 3: {
        // PropCase: [A-Z][a-z]+
        let i = 0;
        while (i < len) {
          if (isUpper(s.charCodeAt(i)) && i + 1 < len && isLower(s.charCodeAt(i + 1))) {
            const st = i;
            i += 2;
            while (i < len && isLower(s.charCodeAt(i))) i++;
            push(st, i);
          } else i++;
        }
        break;
      }
      default: {
        const test =
          r === 2
            ? isLetter
            : r === 4
              ? isUpper
              : r === 5
                ? isLower
                : r === 6
                  ? isDigit
                  : (c: number) => c !== 10;
        for (let i = 0; i < len; i++) {
          const c = s.charCodeAt(i);
          if (!test(c)) continue;
          // Char matches a whole character: a surrogate pair is one match, as in Python.
          if (r === 7 && c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
            const d = s.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) {
              push(i, i + 2);
              i++;
              continue;
            }
          }
          push(i, i + 1);
        }
      }
    }
  }
  if (n === 0) return EMPTY;
  return out ? Int32Array.from(out) : buf.slice(0, n);
}

// Cache of match lists per string: REPL steps re-match the same scratch strings many times (every
// sibling action in a search), so this saves most of the scanning. Cleared wholesale when it grows.
const cache = new Map<string, (Int32Array | undefined)[]>();
const CACHE_LIMIT = 50_000;

/** Cached matches of regex `r` in `s` (do not mutate the result). */
export function matches(s: string, r: RegexId): Int32Array {
  let row = cache.get(s);
  if (row === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    row = new Array<Int32Array | undefined>(NUM_ALL_REGEXES);
    cache.set(s, row);
  }
  let m = row[r];
  if (m === undefined) {
    m = scanMatches(s, r);
    row[r] = m;
  }
  return m;
}
