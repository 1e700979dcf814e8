/**
 * RobustFill and Property Signatures for restricted C (LaSynth's baselines, REFERENCE §2), as kinds of
 * the sequence family (src/models/seq): the same decoder over minic's token formulation, two spec
 * encoders.
 *
 * - RobustFill: one row per I/O example (5; a spec with fewer repeats its examples, one with more uses
 *   the first 5), streams = the 5 input values, then the 5 output values, as tokens v + 4 (9 = out of
 *   [−4, 4]).
 * - Property Signatures: one row, one stream of 45 symbols: for list position i and constant
 *   c ∈ [−4, 4], whether out[i] = in[i] + c holds in all, none or some of the examples; the symbol of
 *   (i, c, answer) is (9 i + c + 4) · 3 + answer.
 */
import { CONST_MAX, CONST_MIN, LIST_LENGTH, type MinicSpec } from '../../domains/minic/index.js';
import type { SeqSpecCodec } from './codec.js';
import type { SeqKind } from './kind.js';

const VALUES = CONST_MAX - CONST_MIN + 1;
const ROWS = 5;

const valueToken = (v: number): number => (v >= CONST_MIN && v <= CONST_MAX ? v - CONST_MIN : VALUES);

export const robustfillCodec: SeqSpecCodec = {
  rows: ROWS,
  streams: [
    { length: LIST_LENGTH, vocab: VALUES + 1 },
    { length: LIST_LENGTH, vocab: VALUES + 1 },
  ],
  write(spec, out, at) {
    const ex = (spec as MinicSpec).examples;
    for (let r = 0; r < ROWS; r++) {
      const e = ex[r % ex.length];
      for (let k = 0; k < LIST_LENGTH; k++) {
        const o = (at * ROWS + r) * LIST_LENGTH + k;
        out[0][o] = valueToken(e.input[k]);
        out[1][o] = valueToken(e.output[k]);
      }
    }
  },
};

export const SIGNATURE_LENGTH = LIST_LENGTH * VALUES;

/** The 45 answers (0 all, 1 none, 2 some) of a spec, position-major. */
export function propertySignature(spec: MinicSpec): number[] {
  const out: number[] = [];
  for (let i = 0; i < LIST_LENGTH; i++)
    for (let c = CONST_MIN; c <= CONST_MAX; c++) {
      const holds = spec.examples.filter((e) => e.output[i] === e.input[i] + c).length;
      out.push(holds === spec.examples.length ? 0 : holds === 0 ? 1 : 2);
    }
  return out;
}

export const propsigCodec: SeqSpecCodec = {
  rows: 1,
  streams: [{ length: SIGNATURE_LENGTH, vocab: 3 * SIGNATURE_LENGTH }],
  write(spec, out, at) {
    propertySignature(spec as MinicSpec).forEach((a, p) => (out[0][at * SIGNATURE_LENGTH + p] = 3 * p + a));
  },
};

export const robustfillMinic: SeqKind = {
  id: 'robustfill-minic',
  problem: 'minic',
  formulation: 'minic-tokens',
  description:
    'RobustFill for restricted C: per-example I/O LSTM encoder, attention LSTM decoder max-pooled over examples',
  codec: robustfillCodec,
  shipped: 'robustfill-minic',
  sizes: { hidden: 128, embed: 32, attention: 64, steps: 64 },
};

export const propsigMinic: SeqKind = {
  id: 'propsig-minic',
  problem: 'minic',
  formulation: 'minic-tokens',
  description:
    'Property Signatures for restricted C: 45 all/none/some symbols (out[i] = in[i] + c), same decoder',
  codec: propsigCodec,
  shipped: 'propsig-minic',
  sizes: { hidden: 128, embed: 32, attention: 64, steps: 64 },
};
