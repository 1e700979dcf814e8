/**
 * What differs between the 2-D and the 3-D CSGNet: the problem and its formulations, how a spec
 * becomes the network's input, the network sizes, and where training programs come from — the REPL
 * formulation's own task sampler (so CSGNet and the REPL model train on one scene distribution),
 * replayed to the program it draws, written as tokens.
 */
import {
  Rng,
  getDomain,
  replay,
  type AnyDomain,
  type Domain,
  type ParamValue,
  type TaskOptions,
} from '../../core/index.js';
import { SIZE, rasterFromSpec, writeCanvas, type Csg2dSpec } from '../../domains/csg2d/index.js';
import { N as N3, VOXELS, voxelsFromSpec, writeVolume, type Csg3dSpec } from '../../domains/csg3d/index.js';
import type { CsgnetNetOptions } from './net.js';

/**
 * The parts of a token formulation (src/formulations/token.ts) this model uses, structurally: models
 * may not import src/formulations.
 */
export interface TokenStateLike {
  readonly parent: TokenStateLike | null;
  readonly token: number;
  readonly length: number;
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

export type TokenDomainLike = Domain<unknown, TokenStateLike, number> & {
  readonly grammar: TokenGrammarLike;
  readonly tokenizer: { tokens(program: unknown): readonly string[] };
  prefix(state: TokenStateLike): number[];
  specOf(state: TokenStateLike): unknown;
};

/** A training example: the target as network input and the program's tokens (end token included). */
export interface SequenceExample {
  readonly target: Float32Array;
  readonly tokens: readonly number[];
}

export interface CsgnetKind {
  /** The model id: `csgnet-2d`, `csgnet-3d`. */
  readonly id: string;
  readonly problem: string;
  /** The REPL formulation whose task sampler makes the training scenes. */
  readonly repl: string;
  /** The token formulation the decoder writes in. */
  readonly formulation: string;
  readonly dims: 2 | 3;
  readonly size: number;
  /** Floats of one target. */
  readonly cells: number;
  /** Writes a spec's target as 0/1 floats at `offset` (throws a SpecError for a bad spec). */
  writeTarget(spec: unknown, out: Float32Array, offset: number): void;
  /** Network sizes apart from the vocabulary and the unrolled steps. */
  readonly net: Omit<CsgnetNetOptions, 'vocab' | 'steps'>;
  /** Token formulation parameters for decoding (room for the larger test scenes). */
  readonly decodeParams: Readonly<Record<string, ParamValue>>;
}

/** CPU-sized (see the model cards): ≈ 0.3 M multiply-adds for the 2-D encoder, one run per spec. */
export const csgnet2d: CsgnetKind = {
  id: 'csgnet-2d',
  problem: 'csg2d',
  repl: 'csg2d',
  formulation: 'csg2d-tokens',
  dims: 2,
  size: SIZE,
  cells: SIZE * SIZE,
  writeTarget: (spec, out, offset) => writeCanvas(rasterFromSpec(spec as Csg2dSpec), out, offset),
  net: {
    dims: 2,
    size: SIZE,
    filters: [16, 32, 32, 16],
    strides: [2, 2, 2, 1],
    encoding: 256,
    hidden: 256,
    embed: 64,
  },
  // Test scenes have up to 30 shapes (≈ 180 tokens); training ones ≤ 13 (≤ 78 tokens).
  decodeParams: { maxTokens: 200 },
};

export const csgnet3d: CsgnetKind = {
  id: 'csgnet-3d',
  problem: 'csg3d',
  repl: 'csg3d',
  formulation: 'csg3d-tokens',
  dims: 3,
  size: N3,
  cells: VOXELS,
  writeTarget: (spec, out, offset) => writeVolume(voxelsFromSpec(spec as Csg3dSpec), out, offset),
  net: { dims: 3, size: N3, filters: [8, 16, 16], strides: [2, 2, 2], encoding: 256, hidden: 256, embed: 64 },
  // Test scenes have up to 20 shapes (≈ 160 tokens); training ones ≤ 13.
  decodeParams: { maxTokens: 200 },
};

export const CSGNET_KINDS: readonly CsgnetKind[] = [csgnet2d, csgnet3d];

/** The token formulation instance of a kind, from the registry (parameters as given). */
export function tokenDomain(kind: CsgnetKind, params: Readonly<Record<string, ParamValue>>): TokenDomainLike {
  return getDomain(kind.formulation).create(params) as unknown as TokenDomainLike;
}

/**
 * Training examples from the REPL formulation's task sampler: each task's trace replayed, its program
 * (the finished scene) written as grammar tokens. Programs the grammar or `maxTokens` cannot hold are
 * drawn again.
 */
export class SequenceStream {
  private readonly repl: AnyDomain;
  private readonly index: ReadonlyMap<string, number>;

  constructor(
    readonly kind: CsgnetKind,
    readonly tokens: TokenDomainLike,
    replParams: Readonly<Record<string, ParamValue>>,
    readonly maxTokens: number,
  ) {
    this.repl = getDomain(kind.repl).create(replParams);
    this.index = new Map(tokens.grammar.vocabulary.map((n, i) => [n, i]));
  }

  /** One example; the same for the same rng state. */
  next(rng: Rng, options?: TaskOptions): SequenceExample {
    for (let attempt = 0; attempt < 100; attempt++) {
      const task = this.repl.sampleTask(rng, options);
      const r = replay(this.repl, task.spec, task.trace);
      if (!r.ok) throw new Error(`${this.kind.repl}: a generated trace fails at action ${r.at}: ${r.reason}`);
      const program = this.repl.program(r.state);
      if (program === null) continue;
      const ids = this.encode(this.tokens.tokenizer.tokens(program));
      if (!ids) continue;
      const target = new Float32Array(this.kind.cells);
      this.kind.writeTarget(task.spec, target, 0);
      return { target, tokens: ids };
    }
    throw new Error(`${this.kind.id}: no generated program fits in ${this.maxTokens} tokens in 100 draws`);
  }

  /** Grammar tokens of names plus the end token, or null when the grammar refuses them. */
  private encode(names: readonly string[]): number[] | null {
    const g = this.tokens.grammar;
    const ids: number[] = [];
    for (const n of names) {
      const t = this.index.get(n);
      if (t === undefined) return null;
      ids.push(t);
    }
    ids.push(g.end);
    if (ids.length > this.maxTokens) return null;
    let s: unknown = g.start();
    for (const t of ids) if ((s = g.next(s, t)) === null) return null;
    return ids;
  }

  batch(rng: Rng, n: number): SequenceExample[] {
    return Array.from({ length: n }, () => this.next(rng));
  }
}
