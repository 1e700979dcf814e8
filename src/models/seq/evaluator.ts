/**
 * Incremental decoding as an Evaluator of a token formulation, for any recurrent decoder (RobustFill,
 * Property Signatures, CSGNet-style, LaSynth): π(· | prefix) is the decoder's next-token distribution
 * under the grammar's mask, the value is 1 (no value head). Beam search, sampling (rollout) and SMC
 * over the formulation then cost one batched network call per step.
 *
 * A decoder plugs in as a `DecoderBackend<Enc>`:
 *   encode(specs)  → one encoding per spec (one network call for all);
 *   initial(enc)   → the recurrent state before the first token (a flat Float32Array);
 *   step(items)    → for each { enc, state, token } (token −1 = the start token) the state after the
 *                    token and the logits of the next token over the whole vocabulary; one call.
 *
 * `SeqDecodeEvaluator` caches each spec's encoding and, per prefix (by spec and `state.key`), the state
 * after it and its logits, in an LRU of bounded size. A prefix whose parent is cached costs one row of
 * one step call; an evicted or never-seen ancestor is recomputed from the nearest cached one, one call
 * per missing depth. Terminal states and value-only requests never touch the network.
 */
import {
  maskedLogSoftmax,
  sampleMerged,
  topK,
  type Evaluation,
  type Evaluator,
  type ProposalRequest,
  type Rng,
} from '../../core/index.js';
import type { TokenDomainLike, TokenStateLike } from './codec.js';

export interface DecoderBackend<Enc> {
  encode(specs: readonly unknown[]): Promise<Enc[]>;
  initial(enc: Enc): Float32Array;
  step(
    items: readonly { readonly enc: Enc; readonly state: Float32Array; readonly token: number }[],
  ): Promise<{ state: Float32Array; logits: Float32Array }[]>;
  /** Floats of one cached state (sizes the cache). */
  readonly stateSize: number;
}

export interface DecodeStats {
  evaluateCalls: number;
  stepCalls: number;
  statesStepped: number;
  specsEncoded: number;
  cacheHits: number;
}

interface Entry {
  readonly state: Float32Array;
  readonly logits: Float32Array;
}

export interface DecodeEvaluatorOptions {
  /** Bytes the prefix cache may hold (default 96 MB). */
  readonly cacheBytes?: number;
}

export class SeqDecodeEvaluator<Enc> implements Evaluator<TokenStateLike, number> {
  readonly id: string;
  readonly stats: DecodeStats = {
    evaluateCalls: 0,
    stepCalls: 0,
    statesStepped: 0,
    specsEncoded: 0,
    cacheHits: 0,
  };
  private readonly encodings = new Map<unknown, Enc>();
  private readonly specIds = new Map<unknown, number>();
  private readonly cache = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(
    id: string,
    private readonly domain: TokenDomainLike,
    private readonly backend: DecoderBackend<Enc>,
    opts: DecodeEvaluatorOptions = {},
  ) {
    this.id = id;
    const per = 4 * (backend.stateSize + domain.actionSpace.size) + 200;
    this.maxEntries = Math.max(256, Math.floor((opts.cacheBytes ?? 96e6) / per));
  }

  /** Cache keys by state object: a state's key is built (and hashed) once, not at every lookup. */
  private readonly keys = new WeakMap<TokenStateLike, string>();

  private keyOf(spec: unknown, s: TokenStateLike): string {
    let key = this.keys.get(s);
    if (key === undefined) {
      let id = this.specIds.get(spec);
      if (id === undefined) this.specIds.set(spec, (id = this.specIds.size));
      this.keys.set(s, (key = `${id}|${s.key}`));
    }
    return key;
  }

  private get(key: string): Entry | undefined {
    const e = this.cache.get(key);
    if (e) {
      this.cache.delete(key);
      this.cache.set(key, e);
    }
    return e;
  }

  private put(key: string, e: Entry): void {
    this.cache.set(key, e);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Network outputs for the given prefixes (all of one evaluate call), computing what is missing. */
  private async entries(states: readonly TokenStateLike[]): Promise<Entry[]> {
    const specs = states.map((s) => this.domain.specOf(s));
    const fresh = [...new Set(specs.filter((sp) => !this.encodings.has(sp)))];
    if (fresh.length > 0) {
      const encs = await this.backend.encode(fresh);
      fresh.forEach((sp, i) => this.encodings.set(sp, encs[i]));
      this.stats.specsEncoded += fresh.length;
    }
    // Missing prefixes (and missing ancestors), grouped by depth.
    const byDepth = new Map<number, { key: string; s: TokenStateLike; spec: unknown }[]>();
    const queued = new Set<string>();
    states.forEach((s, i) => {
      for (let q: TokenStateLike | null = s; q; q = q.parent) {
        const key = this.keyOf(specs[i], q);
        if (queued.has(key)) break;
        if (this.get(key)) {
          if (q === s) this.stats.cacheHits++;
          break;
        }
        queued.add(key);
        const list = byDepth.get(q.length) ?? [];
        list.push({ key, s: q, spec: specs[i] });
        byDepth.set(q.length, list);
      }
    });
    for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
      const list = byDepth.get(depth)!;
      const items = list.map(({ s, spec }) => {
        const enc = this.encodings.get(spec)!;
        const parent = s.parent ? this.cache.get(this.keyOf(spec, s.parent)) : undefined;
        if (s.parent && !parent) throw new Error('seq decoder: a parent prefix left the cache mid-call');
        return {
          enc,
          state: parent ? parent.state : this.backend.initial(enc),
          token: s.parent ? s.token : -1,
        };
      });
      const out = await this.backend.step(items);
      this.stats.stepCalls++;
      this.stats.statesStepped += items.length;
      list.forEach(({ key }, i) => this.put(key, out[i]));
    }
    return states.map((s, i) => this.get(this.keyOf(specs[i], s))!);
  }

  async evaluate(
    states: readonly TokenStateLike[],
    requests: readonly ProposalRequest[] | null,
    rng: Rng,
  ): Promise<Evaluation<number>[]> {
    this.stats.evaluateCalls++;
    const out: Evaluation<number>[] = states.map(() => ({ proposals: [], value: 1 }));
    if (!requests) return out;
    const masks = states.map((s) => this.domain.legalMask!(s));
    const live = states.map((_, i) => i).filter((i) => masks[i].some((m) => m === 1));
    if (live.length === 0) return out;
    // The cache never evicts entries of this call before they are read: it holds far more than a batch.
    const entries = await this.entries(live.map((i) => states[i]));
    live.forEach((i, j) => {
      const logp = maskedLogSoftmax(entries[j].logits, masks[i]);
      const req = requests[i];
      out[i] = {
        proposals: req.kind === 'top' ? topK(logp, req.k) : sampleMerged(logp, req.count, rng),
        value: 1,
      };
    });
    return out;
  }
}
