/**
 * One model of the sequence family: which problem and token formulation it serves, how its specs are
 * encoded, and its network sizes. RobustFill and Property Signatures for minic are two kinds
 * (src/models/robustfill/).
 */
import type { ParamValue } from '../../core/index.js';
import type { SeqSpecCodec } from './codec.js';
import type { SeqNetOptions, SeqSizes } from './net.js';

export interface SeqKind {
  /** The model id (e.g. robustfill-minic). */
  readonly id: string;
  readonly problem: string;
  /** The token formulation the decoder writes in (e.g. minic-tokens). */
  readonly formulation: string;
  readonly description: string;
  readonly codec: SeqSpecCodec;
  /** Default sizes (a new model; a trained one keeps its config's). */
  readonly sizes: SeqSizes;
  /**
   * Folder under models/ of shipped weights; set only once weights are shipped (conformance loads
   * every declared folder).
   */
  readonly shipped?: string;
  /** Formulation parameters of a new model (default none). */
  readonly formulationParams?: Readonly<Record<string, ParamValue>>;
}

export function netOptions(kind: SeqKind, sizes: SeqSizes, progVocab: number): SeqNetOptions {
  return { rows: kind.codec.rows, streams: kind.codec.streams, progVocab, ...sizes };
}
