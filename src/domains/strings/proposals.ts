/**
 * Constants proposed from a spec (rich mode): each becomes one action, so "year: " costs one line, not
 * six Const/Commit pairs. Two lists, both a function of the examples only (never of held-out rows):
 *
 * - output constants (SpecConst(k)): text the outputs share that the inputs cannot give — first the
 *   maximal substrings common to every output, also split where letters or digits meet punctuation
 *   ("year: 20" gives "year: 20" and "year: "); then, for conditionals and TRUE/FALSE-like outputs,
 *   whole outputs and pieces that recur in several outputs but are not in the inputs;
 * - input texts (Contains(#k), StartsWith(#k), … in predicates): words and numbers that occur in the
 *   inputs of some examples but not all, so they can tell the examples apart, and whole input values
 *   that recur.
 *
 * Lists are cached per spec object and ordered by tier, then by first occurrence, so slot k means the
 * same kind of thing from task to task.
 */
import type { StringsSpec } from './repl.js';

/** Output-constant slots and input-text slots of rich mode. */
export const SPEC_CONSTS = 8;
export const SPEC_TEXTS = 8;
/** Longest proposed constant (code units); longer shared text is rare and costs a slot. */
const MAX_CONST = 24;

const isAlnum = (c: string): boolean => /[\p{L}\p{N}]/u.test(c);

/** Maximal substrings (length ≥ 2) of `outs[0]` that occur in every string of `outs`. */
function commonSubstrings(outs: readonly string[]): string[] {
  const first = outs[0];
  const found: { s: string; at: number }[] = [];
  let prevEnd = -1;
  for (let i = 0; i < first.length; i++) {
    let j = i + 1;
    while (j <= first.length && j - i <= MAX_CONST && outs.every((o) => o.includes(first.slice(i, j)))) j++;
    const end = j - 1;
    // A substring ending where the previous one ended is contained in it: not maximal.
    if (end - i >= 2 && end > prevEnd) found.push({ s: first.slice(i, end), at: i });
    prevEnd = Math.max(prevEnd, end);
  }
  return found.map((f) => f.s);
}

/**
 * Sensible pieces of a shared string: itself, and itself without a leading or trailing run of letters
 * or digits that sits against punctuation or space (that run is usually the start of variable text:
 * the shared "20" of years 2029 and 2031 in "year: 2029").
 */
function pieces(m: string): string[] {
  const out: string[] = [];
  const chars = Array.from(m);
  let a = 0;
  while (a < chars.length && isAlnum(chars[a])) a++;
  let b = chars.length;
  while (b > 0 && isAlnum(chars[b - 1])) b--;
  const trimmedStart = a > 0 && a < chars.length ? chars.slice(a).join('') : null;
  const trimmedEnd = b < chars.length && b > 0 ? chars.slice(0, b).join('') : null;
  // The label without the start of the variable text first ("year: " before "year: 20").
  if (trimmedEnd) out.push(trimmedEnd);
  out.push(m);
  if (trimmedStart) out.push(trimmedStart);
  if (trimmedStart && trimmedEnd && a < b) out.push(chars.slice(a, b).join(''));
  return out.filter((p) => Array.from(p).length >= 2);
}

/**
 * Maximal runs (2+ characters) of `out` that no substring of 3+ characters of the inputs covers
 * (shorter overlaps are coincidences), each also with the punctuation or space next to it.
 */
function uncoveredRuns(out: string, inputs: readonly string[]): string[] {
  const covered = new Uint8Array(out.length);
  for (let i = 0; i + 2 < out.length; i++) {
    let j = i + 3;
    while (j <= out.length && inOwnInputs(inputs, out.slice(i, j))) j++;
    if (j - 1 - i >= 3) covered.fill(1, i, j - 1);
  }
  const runs: string[] = [];
  let start = -1;
  for (let i = 0; i <= out.length; i++) {
    if (i < out.length && !covered[i]) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= 2) {
        runs.push(out.slice(start, i));
        if (i < out.length && !isAlnum(out[i])) runs.push(out.slice(start, i + 1));
        if (start > 0 && !isAlnum(out[start - 1])) runs.push(out.slice(start - 1, i));
      }
      start = -1;
    }
  }
  return runs;
}

const inAllInputs = (spec: StringsSpec, c: string): boolean =>
  spec.examples.every((e) => e.inputs.some((x) => x.includes(c)));
const inOwnInputs = (inputs: readonly string[], c: string): boolean => inputs.some((x) => x.includes(c));

function computeConstants(spec: StringsSpec): string[] {
  const ex = spec.examples;
  const outs = ex.map((e) => e.output);
  const out: string[] = [];
  const add = (c: string): void => {
    if (out.length < SPEC_CONSTS && Array.from(c).length >= 2 && c.length <= MAX_CONST && !out.includes(c))
      out.push(c);
  };
  if (outs.every((o) => o.length >= 2)) {
    const shared = commonSubstrings(outs).flatMap(pieces);
    // Tier 0: shared text the inputs do not hold everywhere; tier 1: shared text they hold.
    for (const c of shared) if (!inAllInputs(spec, c)) add(c);
    for (const c of shared) if (inAllInputs(spec, c)) add(c);
  }
  if (ex.length > 1) {
    // Tier 2: whole outputs that recur (TRUE/FALSE, yes/no, categories) and are not in their inputs.
    const counts = new Map<string, number>();
    for (const o of outs) counts.set(o, (counts.get(o) ?? 0) + 1);
    ex.forEach((e) => {
      if ((counts.get(e.output) ?? 0) > 1 && !inOwnInputs(e.inputs, e.output)) add(e.output);
    });
    // Tier 3: maximal pieces shared by two outputs and absent from those examples' inputs.
    for (let i = 0; i < ex.length; i++)
      for (let j = i + 1; j < ex.length; j++)
        for (const c of commonSubstrings([outs[i], outs[j]]).flatMap(pieces))
          if (!inOwnInputs(ex[i].inputs, c) && !inOwnInputs(ex[j].inputs, c)) add(c);
    // Tier 4: per example, the runs of its output that no input text of 2+ characters covers
    // (" (adult)" of "Lena (adult)"): the constant of a branch only that example takes.
    ex.forEach((e) => {
      for (const run of uncoveredRuns(e.output, e.inputs)) for (const c of pieces(run)) add(c);
    });
    // Tier 5: short whole outputs not in their inputs (one branch of a conditional).
    ex.forEach((e) => {
      if (Array.from(e.output).length <= 12 && !inOwnInputs(e.inputs, e.output)) add(e.output);
    });
  }
  return out;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

function computeTexts(spec: StringsSpec): string[] {
  const ex = spec.examples;
  if (ex.length < 2) return [];
  // Per candidate: in how many examples it occurs, and where first (for a stable order).
  const seen = new Map<string, { n: number; first: number }>();
  let order = 0;
  ex.forEach((e) => {
    const here = new Set<string>();
    for (const x of e.inputs) {
      for (const m of x.matchAll(TOKEN)) here.add(m[0]);
      if (x !== '' && Array.from(x).length <= MAX_CONST) here.add(x);
    }
    for (const t of here) {
      const s = seen.get(t);
      if (s) s.n++;
      else seen.set(t, { n: 1, first: order++ });
    }
  });
  // Texts whose presence splits the examples as some output text does (the "Inc" of inputs whose
  // output says "company") come first: a conditional most likely tests one of them.
  const key = (has: (i: number) => boolean): string => ex.map((_, i) => (has(i) ? '1' : '0')).join('');
  const outPatterns = new Set<string>();
  for (const c of [...specConstants(spec), ...ex.map((e) => e.output)]) {
    const k = key((i) => ex[i].output.includes(c));
    outPatterns.add(k);
    outPatterns.add(key((i) => !ex[i].output.includes(c)));
  }
  const linked = (t: string): number =>
    outPatterns.has(key((i) => ex[i].inputs.some((x) => x.includes(t)))) ? 0 : 1;
  const half = ex.length / 2;
  return [...seen.entries()]
    .filter(([, s]) => s.n < ex.length)
    .map(([t, s]) => [t, { ...s, linked: linked(t) }] as const)
    .sort(
      (a, b) =>
        a[1].linked - b[1].linked ||
        Math.abs(a[1].n - half) - Math.abs(b[1].n - half) ||
        a[1].first - b[1].first,
    )
    .slice(0, SPEC_TEXTS)
    .sort((a, b) => a[1].first - b[1].first)
    .map(([t]) => t);
}

const constCache = new WeakMap<StringsSpec, readonly string[]>();
const textCache = new WeakMap<StringsSpec, readonly string[]>();

/** Output constants proposed from the examples (at most SPEC_CONSTS; cached per spec object). */
export function specConstants(spec: StringsSpec): readonly string[] {
  let c = constCache.get(spec);
  if (c === undefined) {
    c = computeConstants(spec);
    constCache.set(spec, c);
  }
  return c;
}

/** Input texts proposed for predicates (at most SPEC_TEXTS; cached per spec object). */
export function specTexts(spec: StringsSpec): readonly string[] {
  let c = textCache.get(spec);
  if (c === undefined) {
    c = computeTexts(spec);
    textCache.set(spec, c);
  }
  return c;
}
