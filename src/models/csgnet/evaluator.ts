/**
 * Decoding CSGNet over the token formulation: the policy of every search (beam, sampling, SMC) is the
 * decoder's next-token distribution under the grammar mask. Each state's recurrent state is cached
 * (by state object: token states share their prefix through `parent`), so one evaluate() call runs
 * the step network once for all its new states, and the encoder once per spec. CSGNet has no value
 * head: every state's value is 1 (beam-value and SMC then rank by π alone).
 */
import { FlatEvaluator, type FlatScores } from '../../core/index.js';
import type { InferenceModel } from '../../nn/inference.js';
import type { CsgnetKind, TokenDomainLike, TokenStateLike } from './kinds.js';
import { startToken, type CsgnetNetOptions } from './net.js';

export interface CsgnetPieces {
  readonly encoder: InferenceModel;
  readonly step: InferenceModel;
}

export interface DecodeStats {
  evaluateCalls: number;
  stepRuns: number;
  /** Prefixes stepped by the network, and specs encoded. */
  statesStepped: number;
  specsEncoded: number;
  /** States asked for whose scores were already cached. */
  cacheHits: number;
}

interface Cached {
  readonly h: Float32Array;
  readonly logits: Float32Array;
}

interface Code {
  readonly enc: Float32Array;
  readonly h0: Float32Array;
}

/** The batched, caching scorer behind the decoder's evaluator. */
export class CsgnetDecoder {
  readonly stats: DecodeStats = {
    evaluateCalls: 0,
    stepRuns: 0,
    statesStepped: 0,
    specsEncoded: 0,
    cacheHits: 0,
  };
  private readonly cache = new WeakMap<object, Cached>();
  private readonly codes = new WeakMap<object, Code>();
  private readonly zeros: Float32Array;

  constructor(
    readonly kind: CsgnetKind,
    readonly domain: TokenDomainLike,
    readonly pieces: CsgnetPieces,
    readonly net: CsgnetNetOptions,
  ) {
    this.zeros = new Float32Array(net.vocab);
  }

  /** Image codes of the specs not yet encoded (one encoder run). */
  private async encode(specs: readonly object[]): Promise<void> {
    const fresh = [...new Set(specs)].filter((s) => !this.codes.has(s));
    if (fresh.length === 0) return;
    const cells = this.kind.cells;
    const target = new Float32Array(fresh.length * cells);
    fresh.forEach((s, i) => this.kind.writeTarget(s, target, i * cells));
    const r = await this.pieces.encoder.run({ target });
    const { encoding: E, hidden: H } = this.net;
    fresh.forEach((s, i) =>
      this.codes.set(s, { enc: r.enc.slice(i * E, (i + 1) * E), h0: r.h0.slice(i * H, (i + 1) * H) }),
    );
    this.stats.specsEncoded += fresh.length;
  }

  /** Steps the given states (whose predecessors are all cached) in one network run. */
  private async step(states: readonly TokenStateLike[]): Promise<void> {
    const { encoding: E, hidden: H, vocab: V } = this.net;
    const n = states.length;
    const enc = new Float32Array(n * E);
    const h = new Float32Array(n * H);
    const token = new Int32Array(n);
    states.forEach((s, i) => {
      const code = this.codes.get(this.domain.specOf(s) as object)!;
      enc.set(code.enc, i * E);
      h.set(s.parent ? this.cache.get(s.parent)!.h : code.h0, i * H);
      token[i] = s.parent ? s.token : startToken(this.net);
    });
    const r = await this.pieces.step.run({ enc, h, token });
    states.forEach((s, i) =>
      this.cache.set(s, { h: r.next.slice(i * H, (i + 1) * H), logits: r.logits.slice(i * V, (i + 1) * V) }),
    );
    this.stats.stepRuns++;
    this.stats.statesStepped += n;
  }

  async score(states: readonly TokenStateLike[]): Promise<FlatScores[]> {
    this.stats.evaluateCalls++;
    // Every uncached state on the way up to a cached ancestor (or the root), shortest first.
    const need = new Set<TokenStateLike>();
    for (const s of states) {
      if (s.done !== null) continue;
      if (this.cache.has(s)) this.stats.cacheHits++;
      for (let q: TokenStateLike | null = s; q && !this.cache.has(q) && !need.has(q); q = q.parent)
        need.add(q);
    }
    if (need.size > 0) {
      const todo = [...need].sort((a, b) => a.length - b.length);
      await this.encode(todo.map((s) => this.domain.specOf(s) as object));
      // States of one length depend only on shorter ones: one run per length present.
      for (let at = 0; at < todo.length;) {
        let end = at;
        while (end < todo.length && todo[end].length === todo[at].length) end++;
        await this.step(todo.slice(at, end));
        at = end;
      }
    }
    return states.map((s) => ({
      logits: s.done !== null ? this.zeros : this.cache.get(s)!.logits,
      value: 1,
    }));
  }
}

/** The decoder as an Evaluator over the token formulation (masking, softmax, top-k and sampling). */
export function csgnetEvaluator(
  decoder: CsgnetDecoder,
): FlatEvaluator<TokenStateLike> & { stats: DecodeStats } {
  const e = new FlatEvaluator<TokenStateLike>(decoder.kind.id, decoder.domain as never, (states) =>
    decoder.score(states),
  );
  return Object.assign(e, { stats: decoder.stats });
}
