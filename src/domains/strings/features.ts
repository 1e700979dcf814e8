/**
 * Observation tensors of the paper (ROBUT.py `to_np`): per example, four character grids (input,
 * scratch, committed, output) of `window` positions, 7 mask rows (rows 0–4: matches of the pending
 * regex, row 5: Replace positions, row 6: SubStr/GetSpan selection) and the last action's type.
 * Strings longer than the window are clipped (the REPL itself handles any length). Written for the
 * search's hot path: typed arrays filled in place, no per-character objects.
 *
 * Departures, on purpose: masks use Python slice semantics on the scratch string (the original sliced a
 * fixed 36-wide array, so SubStr1(−3) marked the last 3 slots of the window, not of the string), and
 * negative GetSpan indices select matches from the end (the original picked mask rows from the end).
 */
import type { Features } from '../../core/index.js';
import type { ActionTable } from './actions.js';
import { boundary, hasAstral } from './interpreter.js';
import type { StringsState } from './repl.js';
import { charIndex, matches, type RegexId } from './regex.js';
import { SPEC_CONSTS, SPEC_TEXTS, specConstants, specTexts } from './proposals.js';

/** Character ids: 0 padding, 1–96 the paper's characters, 97 any other, 98 the column separator. */
export const CHAR_PAD = 0;
export const CHAR_OTHER = 97;
export const CHAR_COLUMN_SEP = 98;
export const CHAR_VOCAB = 99;
export const MASK_ROWS = 7;
export const SLOTS = 4;

export interface FeatureConfig {
  readonly examples: number;
  readonly window: number;
  readonly table: ActionTable;
  /**
   * Rich mode: SPEC_CONSTS more mask rows marking where each proposed constant occurs in the output,
   * and SPEC_TEXTS rows marking where each proposed input text occurs in the inputs, so the policy
   * scores SpecConst(k) and the text predicates from what they would write or test.
   */
  readonly slotRows?: boolean;
}

/** Mask rows of a feature config: the paper's 7, plus the slot rows of rich mode. */
export const maskRowsOf = (slotRows: boolean): number =>
  MASK_ROWS + (slotRows ? SPEC_CONSTS + SPEC_TEXTS : 0);

/** Marks every occurrence of `text` in `s` (UTF-16 positions; the caller maps astral strings). */
function markAll(s: string, text: string, m: Float32Array, row: number, w: number, offset: number): void {
  for (let at = s.indexOf(text); at >= 0; at = s.indexOf(text, at + 1))
    fill(m, row, offset + at, offset + at + text.length, w);
}

/** One slot per character (code point): a character outside the BMP is one 'other' slot, not two. */
function fillChars(s: string, out: Int32Array, at: number, n: number, from = 0): number {
  let j = from;
  for (let i = 0; i < s.length && j < n; i++, j++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    const ci = charIndex(c);
    out[at + j] = ci < 0 ? CHAR_OTHER : ci + 1;
  }
  return j;
}

/** Code-point position of every UTF-16 position of `s` (0…length), for strings with astral characters. */
function codePointPositions(s: string): Int32Array {
  const at = new Int32Array(s.length + 1);
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    at[i] = k;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) at[++i] = k;
    }
    k++;
  }
  at[s.length] = k;
  return at;
}

function fill(m: Float32Array, row: number, a: number, b: number, w: number): void {
  const lo = Math.max(0, a);
  const hi = Math.min(b, w);
  for (let k = lo; k < hi; k++) m[row * w + k] = 1;
}

/** Writes the 7×window mask of one example into `m` (zeroed by the caller). */
export function writeMasks(
  table: ActionTable,
  st: StringsState,
  s: string,
  m: Float32Array,
  w: number,
): void {
  if (st.pending.length === 0) return;
  if (hasAstral(s)) return writeMasksAstral(table, st, s, m, w);
  writeMasksUnits(table, st, s, m, w);
}

function writeMasksUnits(table: ActionTable, st: StringsState, s: string, m: Float32Array, w: number): void {
  const first = table.entries[st.pending[0]];
  const args = st.pending.map((a) => table.entries[a].arg);
  const n = s.length;
  switch (first.family.id) {
    case 'GetToken':
    case 'GetFirst': {
      const mt = matches(s, args[0] as RegexId);
      for (let j = 0; j < 5 && 2 * j < mt.length; j++) fill(m, j, mt[2 * j], mt[2 * j + 1], w);
      return;
    }
    case 'Replace': {
      const d = (args[0] as string).charCodeAt(0);
      for (let k = 0; k < n && k < w; k++) if (s.charCodeAt(k) === d) m[5 * w + k] = 1;
      return;
    }
    case 'SubStr': {
      const k = args[0] as number;
      fill(m, 6, k < 0 ? Math.max(0, n + k) : k, n, w);
      return;
    }
    case 'GetSpan': {
      const r1 = args[0] as RegexId;
      if (args.length === 1) {
        const mt = matches(s, r1);
        for (let j = 0; j < 5 && 2 * j < mt.length; j++) fill(m, j, mt[2 * j], n, w);
        return;
      }
      const p1 = boundary(
        s,
        r1,
        args[1] as number,
        args.length >= 3 ? (args[2] as 'Start' | 'End') : 'Start',
      );
      if (p1 < 0) return;
      if (args.length <= 3) return fill(m, 6, p1, n, w);
      const mt = matches(s, args[3] as RegexId);
      if (args.length === 4) {
        fill(m, 6, p1, n, w);
        for (let j = 0; j < 5 && 2 * j < mt.length; j++) fill(m, j, 0, mt[2 * j + 1], w);
        return;
      }
      const p2 = boundary(s, args[3] as RegexId, args[4] as number, 'End');
      if (p2 >= 0) fill(m, 6, p1, p2, w);
      return;
    }
  }
}

/**
 * Masks of a string with characters outside the BMP: the same masks computed in UTF-16 positions,
 * then moved to code-point positions (one slot per character, as the character grid has).
 */
function writeMasksAstral(table: ActionTable, st: StringsState, s: string, m: Float32Array, w: number): void {
  if (table.entries[st.pending[0]].family.id === 'SubStr') {
    // SubStr's position is already a code-point position.
    const n = codePointPositions(s)[s.length];
    const k = table.entries[st.pending[0]].arg as number;
    return fill(m, 6, k < 0 ? Math.max(0, n + k) : k, n, w);
  }
  const units = new Float32Array(MASK_ROWS * (s.length + 1));
  const wide = s.length + 1;
  // The same rules, on a window as wide as the string in UTF-16 units.
  writeMasksUnits(table, st, s, units, wide);
  const at = codePointPositions(s);
  for (let row = 0; row < MASK_ROWS; row++)
    for (let i = 0; i < s.length; i++) if (units[row * wide + i] && at[i] < w) m[row * w + at[i]] = 1;
}

/**
 * Rich-mode slot rows of example e: row 7 + k marks proposed constant k in the output grid, row
 * 7 + SPEC_CONSTS + k marks proposed text k in the input grid (the columns laid out as the character
 * grid lays them, one separator slot between). Strings with astral characters are left unmarked.
 */
function writeSlotRows(st: StringsState, e: number, m: Float32Array, w: number): void {
  const ex = st.spec.examples[e];
  const out = ex.output;
  if (!hasAstral(out)) specConstants(st.spec).forEach((c, k) => markAll(out, c, m, MASK_ROWS + k, w, 0));
  const texts = specTexts(st.spec);
  if (texts.length === 0) return;
  let offset = 0;
  for (const x of ex.inputs) {
    if (offset >= w) break;
    if (!hasAstral(x)) texts.forEach((t, k) => markAll(x, t, m, MASK_ROWS + SPEC_CONSTS + k, w, offset));
    offset += x.length + 1;
  }
}

/** The feature encoder: shapes are constant for a given config. */
export function makeFeatures(cfg: FeatureConfig): Features<StringsState> {
  const E = cfg.examples;
  const W = cfg.window;
  const R = maskRowsOf(cfg.slotRows ?? false);
  const shapes = { chars: [E, SLOTS, W], masks: [E, R, W], lastAction: [1], exampleMask: [E] };
  return {
    shapes,
    dtypes: { chars: 'int32', masks: 'float32', lastAction: 'int32', exampleMask: 'float32' },
    encode(states) {
      const B = states.length;
      const chars = new Int32Array(B * E * SLOTS * W);
      const masks = new Float32Array(B * E * R * W);
      const lastAction = new Int32Array(B);
      const exampleMask = new Float32Array(B * E);
      const m = new Float32Array(R * W);
      for (let b = 0; b < B; b++) {
        const st = states[b];
        lastAction[b] = st.lastAction < 0 ? 0 : cfg.table.entries[st.lastAction].type + 1;
        const ex = st.spec.examples;
        const ne = Math.min(E, ex.length);
        for (let e = 0; e < ne; e++) {
          exampleMask[b * E + e] = 1;
          const base = (b * E + e) * SLOTS * W;
          const inputs = ex[e].inputs;
          let j = fillChars(inputs[0], chars, base, W);
          for (let c = 1; c < inputs.length && j < W; c++) {
            chars[base + j++] = CHAR_COLUMN_SEP;
            j = fillChars(inputs[c], chars, base, W, j);
          }
          fillChars(st.scratch[e], chars, base + W, W);
          fillChars(st.committed[e], chars, base + 2 * W, W);
          fillChars(ex[e].output, chars, base + 3 * W, W);
          if (st.pending.length > 0 || cfg.slotRows) {
            m.fill(0);
            if (st.pending.length > 0) writeMasks(cfg.table, st, st.scratch[e], m, W);
            if (cfg.slotRows) writeSlotRows(st, e, m, W);
            masks.set(m, (b * E + e) * R * W);
          }
        }
      }
      return { chars, masks, lastAction, exampleMask };
    },
  };
}
