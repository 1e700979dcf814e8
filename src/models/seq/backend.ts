/**
 * The DecoderBackend (evaluator.ts) of the encoder-decoder family: the `encode` and `step` graphs of
 * net.ts run by ONNX Runtime. A spec's encoding is its streams' encodings and attention projections;
 * a prefix's state is [h, c] of every row.
 */
import type { InferenceModel } from '../../nn/inference.js';
import { streamBuffers, type SeqSpecCodec } from './codec.js';
import type { DecoderBackend } from './evaluator.js';
import type { SeqNetOptions } from './net.js';
import { RowFeeds, withRows } from './row-feeds.js';

export interface SeqEncoding {
  /** Per stream: encodings [rows, L, H] and projections [rows, L, A]. */
  readonly m: Float32Array[];
  readonly p: Float32Array[];
  readonly initial: Float32Array;
}

export interface SeqNets {
  readonly encode: InferenceModel;
  readonly step: InferenceModel;
}

export class SeqNetBackend implements DecoderBackend<SeqEncoding> {
  readonly stateSize: number;
  private readonly rowH: number;
  /** Feeds m_j, p_j of every stream, reused across steps (a spec's encodings are shared by its states). */
  private readonly memFeeds: { m: RowFeeds; p: RowFeeds }[];

  constructor(
    private readonly nets: SeqNets,
    private readonly net: SeqNetOptions,
    private readonly codec: SeqSpecCodec,
  ) {
    this.rowH = net.rows * net.hidden;
    this.stateSize = 2 * this.rowH;
    this.memFeeds = net.streams.map((s) => ({
      m: new RowFeeds(net.rows * s.length * net.hidden),
      p: new RowFeeds(net.rows * s.length * net.attention),
    }));
  }

  async encode(specs: readonly unknown[]): Promise<SeqEncoding[]> {
    const bufs = streamBuffers(this.codec, specs.length);
    specs.forEach((s, i) => this.codec.write(s, bufs, i));
    const feeds = Object.fromEntries(bufs.map((b, j) => [`s${j}`, b]));
    const r = await this.nets.encode.run(feeds);
    const { rows, hidden: H, attention: A } = this.net;
    return specs.map((_, i) => {
      const initial = new Float32Array(this.stateSize);
      initial.set(r.h.subarray(i * this.rowH, (i + 1) * this.rowH), 0);
      initial.set(r.c.subarray(i * this.rowH, (i + 1) * this.rowH), this.rowH);
      const slice = (a: Float32Array, per: number) => a.slice(i * per, (i + 1) * per);
      return {
        m: this.net.streams.map((s, j) => slice(r[`m${j}`], rows * s.length * H)),
        p: this.net.streams.map((s, j) => slice(r[`p${j}`], rows * s.length * A)),
        initial,
      };
    });
  }

  initial(enc: SeqEncoding): Float32Array {
    return enc.initial;
  }

  async step(
    items: readonly { readonly enc: SeqEncoding; readonly state: Float32Array; readonly token: number }[],
  ): Promise<{ state: Float32Array; logits: Float32Array }[]> {
    const n = items.length;
    const V = this.net.progVocab;
    const h = new Float32Array(n * this.rowH);
    const c = new Float32Array(n * this.rowH);
    const token = new Int32Array(n);
    items.forEach((it, i) => {
      h.set(it.state.subarray(0, this.rowH), i * this.rowH);
      c.set(it.state.subarray(this.rowH), i * this.rowH);
      token[i] = it.token < 0 ? V : it.token;
    });
    const feeds: Record<string, Float32Array | Int32Array> = { h, c, token };
    const memories = this.memFeeds.flatMap(({ m, p }, j) => [
      [`m${j}`, m, items.map((it) => it.enc.m[j])] as const,
      [`p${j}`, p, items.map((it) => it.enc.p[j])] as const,
    ]);
    const r = await withRows(feeds, memories, () => this.nets.step.run(feeds));
    return items.map((_, i) => {
      const state = new Float32Array(this.stateSize);
      state.set(r.hNext.subarray(i * this.rowH, (i + 1) * this.rowH), 0);
      state.set(r.cNext.subarray(i * this.rowH, (i + 1) * this.rowH), this.rowH);
      return { state, logits: r.logits.slice(i * V, (i + 1) * V) };
    });
  }
}
