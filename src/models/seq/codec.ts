/**
 * What a problem gives the sequence family (net.ts): how a spec becomes `rows` rows of token streams,
 * and the token formulation the decoder writes in, seen structurally (models may not import
 * src/formulations).
 */
import type { Domain } from '../../core/index.js';
import type { SeqStream } from './net.js';

/** A spec as the encoder's input. */
export interface SeqSpecCodec {
  /** Rows per spec (RobustFill: one per I/O example). */
  readonly rows: number;
  readonly streams: readonly SeqStream[];
  /**
   * Writes spec's tokens as item `at` of a batch: `out[j]` holds stream j, [N, rows, length_j]
   * row-major. Throws (a SpecError) for a spec it cannot encode.
   */
  write(spec: unknown, out: readonly Int32Array[], at: number): void;
}

/** Allocates stream buffers for n specs. */
export function streamBuffers(codec: SeqSpecCodec, n: number): Int32Array[] {
  return codec.streams.map((s) => new Int32Array(n * codec.rows * s.length));
}

/** The parts of a token state the decoders use (src/formulations/token.ts's TokenState fits). */
export interface TokenStateLike {
  readonly parent: TokenStateLike | null;
  /** The last token, −1 at the root. */
  readonly token: number;
  readonly length: number;
  /** The prefix as token indices joined by '.'. */
  readonly key: string;
  readonly done: unknown;
}

export interface TokenGrammarLike<G = unknown> {
  readonly vocabulary: readonly string[];
  readonly end: number;
  readonly maxTokens: number;
  start(): G;
  next(g: G, token: number): G | null;
  legal(g: G, out: Uint8Array): void;
}

/** The token formulation (src/formulations/token.ts's TokenFormulation fits). */
export type TokenDomainLike = Domain<unknown, TokenStateLike, number> & {
  readonly grammar: TokenGrammarLike;
  prefix(state: TokenStateLike): number[];
  specOf(state: TokenStateLike): unknown;
};
