/**
 * The LaSynth variants for restricted C (Table 4 of the paper; REFERENCE §2): LaSynth and its
 * ablations, each a set of switches of net.ts over robustfill-minic's spec encoding, trained on the same
 * data with the same sizes as robustfill-minic so the comparison is fair.
 */
import type { ParamValue } from '../../../core/index.js';
import { robustfillCodec, robustfillMinic } from '../minic.js';
import type { SeqSpecCodec } from '../codec.js';
import type { SeqSizes } from '../net.js';
import type { LaSynthOptions, LaSynthSwitches } from './net.js';

export interface LaSynthVariant {
  readonly id: string;
  /** The paper's name of the variant (Table 4). */
  readonly paperName: string;
  readonly problem: string;
  readonly formulation: string;
  readonly description: string;
  readonly codec: SeqSpecCodec;
  readonly sizes: SeqSizes;
  readonly switches: LaSynthSwitches;
  readonly formulationParams?: Readonly<Record<string, ParamValue>>;
  /** Folder under models/ of shipped weights (the ablations are reproduced by `experiment lasynth-c`,
   * not shipped). */
  readonly shipped?: string;
}

/** K of the paper: the executor runs every 16 tokens. */
export const EVERY = 16;
/** Token-history slots of the self-attention step graph (programs ≤ 256 tokens). */
export const HISTORY = 256;

const full: LaSynthSwitches = { executor: 'partial', every: EVERY, opPredictor: true, selfAttention: true };

function variant(
  id: string,
  paperName: string,
  what: string,
  switches: Partial<LaSynthSwitches>,
  shipped?: string,
): LaSynthVariant {
  return {
    id,
    ...(shipped ? { shipped } : {}),
    paperName,
    problem: 'minic',
    formulation: 'minic-tokens',
    description: `${paperName} for restricted C: RobustFill's decoder with ${what}`,
    codec: robustfillCodec,
    sizes: robustfillMinic.sizes,
    switches: { ...full, ...switches },
    ...(robustfillMinic.formulationParams ? { formulationParams: robustfillMinic.formulationParams } : {}),
  };
}

export const lasynthVariants: readonly LaSynthVariant[] = [
  variant(
    'lasynth',
    'LaSynth',
    'the latent executor (every 16 tokens and at the end), the operation predictor and decoder self-attention',
    {},
    'lasynth',
  ),
  variant(
    'lasynth-no-partial-executor',
    'NoPartialExecutor',
    'the latent executor trained at the end only (never fed back), the operation predictor and self-attention',
    { executor: 'end' },
  ),
  variant('lasynth-no-executor', 'NoExecutor', 'the operation predictor and self-attention, no executor', {
    executor: 'none',
  }),
  variant(
    'lasynth-no-op-predictor',
    'NoOpPredictor',
    'the latent executor and self-attention, no operation predictor',
    { opPredictor: false },
  ),
  variant(
    'lasynth-no-self-attention',
    'NoAttentionInDecoding',
    'the latent executor and the operation predictor, no decoder self-attention',
    { selfAttention: false },
  ),
];

export function lasynthVariant(id: string): LaSynthVariant {
  const v = lasynthVariants.find((x) => x.id === id);
  if (!v) throw new Error(`lasynth: no variant '${id}'`);
  return v;
}

/** Network options of a new model of a variant (tests may override K). */
export function lasynthOptions(
  v: LaSynthVariant,
  sizes: SeqSizes,
  progVocab: number,
  overrides: Partial<LaSynthSwitches> = {},
): LaSynthOptions {
  return {
    rows: v.codec.rows,
    streams: v.codec.streams,
    progVocab,
    ...sizes,
    ...v.switches,
    ...overrides,
    history: HISTORY,
  };
}
