/**
 * The DecoderBackend (seq/evaluator.ts) of LaSynth: net.ts's `encode`, `step` and `stepExec` graphs.
 * Latent execution changes the memories the decoder attends over, so they live in each prefix's state,
 * not in the spec's encoding: a state is
 *
 *   [h (rows·H) | c (rows·H) | m_j, p_j of every memory | t | token history (selfAttention only)]
 *
 * with t the number of tokens the decoder has read. A step whose t is a positive multiple of K (partial
 * execution) runs `stepExec`, which also returns the new memories; every other step runs `step` and the
 * memories are carried over. The evaluator steps one depth at a time, so all items of one call share t
 * and a search step stays one batched network call (mixed items would make two).
 */
import type { InferenceModel } from '../../../nn/inference.js';
import { streamBuffers, type SeqSpecCodec } from '../codec.js';
import type { DecoderBackend } from '../evaluator.js';
import { executesAt, memoryCount, type LaSynthOptions } from './net.js';

export interface LaSynthEncoding {
  /** The output tokens of every row, [rows, L] (the executor's re-encoding reads them). */
  readonly s1: Int32Array;
  readonly initial: Float32Array;
}

export interface LaSynthNets {
  readonly encode: InferenceModel;
  readonly step: InferenceModel;
  readonly stepExec?: InferenceModel;
}

interface Layout {
  /** [offset, length] of m_j and p_j in a state. */
  readonly m: [number, number][];
  readonly p: [number, number][];
  readonly t: number;
  readonly hist: number;
  readonly size: number;
}

function layout(o: LaSynthOptions): Layout {
  const rowH = o.rows * o.hidden;
  const L = o.streams[0].length;
  let at = 2 * rowH;
  const m: [number, number][] = [];
  const p: [number, number][] = [];
  for (let j = 0; j < memoryCount(o); j++) {
    const w = o.rows * L * (j < 2 ? o.hidden : o.embed);
    m.push([at, w]);
    at += w;
    const a = o.rows * L * o.attention;
    p.push([at, a]);
    at += a;
  }
  const t = at;
  const hist = t + 1;
  return { m, p, t, hist, size: hist + (o.selfAttention ? o.history : 0) };
}

export class LaSynthBackend implements DecoderBackend<LaSynthEncoding> {
  readonly stateSize: number;
  private readonly rowH: number;
  private readonly lay: Layout;

  constructor(
    private readonly nets: LaSynthNets,
    private readonly net: LaSynthOptions,
    private readonly codec: SeqSpecCodec,
  ) {
    this.rowH = net.rows * net.hidden;
    this.lay = layout(net);
    this.stateSize = this.lay.size;
    if (net.executor === 'partial' && !nets.stepExec)
      throw new Error('lasynth: partial execution needs the stepExec graph');
  }

  async encode(specs: readonly unknown[]): Promise<LaSynthEncoding[]> {
    const bufs = streamBuffers(this.codec, specs.length);
    specs.forEach((s, i) => this.codec.write(s, bufs, i));
    const r = await this.nets.encode.run({ s0: bufs[0], s1: bufs[1] });
    const per = this.net.rows * this.net.streams[1].length;
    return specs.map((_, i) => {
      const st = new Float32Array(this.stateSize);
      st.set(r.h.subarray(i * this.rowH, (i + 1) * this.rowH), 0);
      st.set(r.c.subarray(i * this.rowH, (i + 1) * this.rowH), this.rowH);
      this.lay.m.forEach(([at, w], j) => st.set(r[`m${j}`].subarray(i * w, (i + 1) * w), at));
      this.lay.p.forEach(([at, w], j) => st.set(r[`p${j}`].subarray(i * w, (i + 1) * w), at));
      return { s1: bufs[1].slice(i * per, (i + 1) * per), initial: st };
    });
  }

  initial(enc: LaSynthEncoding): Float32Array {
    return enc.initial;
  }

  async step(
    items: readonly { readonly enc: LaSynthEncoding; readonly state: Float32Array; readonly token: number }[],
  ): Promise<{ state: Float32Array; logits: Float32Array }[]> {
    const out: { state: Float32Array; logits: Float32Array }[] = new Array(items.length);
    const exec: number[] = [];
    const plain: number[] = [];
    items.forEach((it, i) => (executesAt(this.net, it.state[this.lay.t]) ? exec : plain).push(i));
    if (plain.length > 0) await this.run(items, plain, false, out);
    if (exec.length > 0) await this.run(items, exec, true, out);
    return out;
  }

  private async run(
    items: readonly { readonly enc: LaSynthEncoding; readonly state: Float32Array; readonly token: number }[],
    which: readonly number[],
    exec: boolean,
    out: { state: Float32Array; logits: Float32Array }[],
  ): Promise<void> {
    const n = which.length;
    const o = this.net;
    const V = o.progVocab;
    const lay = this.lay;
    const feeds: Record<string, Float32Array | Int32Array> = {};
    const gather = (name: string, [at, w]: [number, number]) => {
      const a = new Float32Array(n * w);
      which.forEach((i, k) => a.set(items[i].state.subarray(at, at + w), k * w));
      feeds[name] = a;
    };
    lay.m.forEach((r, j) => gather(`m${j}`, r));
    lay.p.forEach((r, j) => gather(`p${j}`, r));
    gather('h', [0, this.rowH]);
    gather('c', [this.rowH, this.rowH]);
    const token = new Int32Array(n);
    which.forEach((i, k) => (token[k] = items[i].token < 0 ? V : items[i].token));
    feeds.token = token;
    const Lh = o.history;
    const hist = new Int32Array(o.selfAttention ? n * Lh : 0);
    if (o.selfAttention) {
      const mask = new Float32Array(n * Lh);
      which.forEach((i, k) => {
        const s = items[i].state;
        const t = s[lay.t];
        if (t >= Lh) throw new Error(`lasynth: a program longer than the ${Lh}-token history`);
        for (let q = 0; q < t; q++) hist[k * Lh + q] = s[lay.hist + q];
        hist[k * Lh + t] = token[k];
        mask.fill(1, k * Lh, k * Lh + t + 1);
      });
      feeds.hist = hist;
      feeds.histMask = mask;
    }
    if (exec) {
      const per = items[which[0]].enc.s1.length;
      const s1 = new Int32Array(n * per);
      which.forEach((i, k) => s1.set(items[i].enc.s1, k * per));
      feeds.s1 = s1;
    }
    const r = await (exec ? this.nets.stepExec! : this.nets.step).run(feeds);
    which.forEach((i, k) => {
      const prev = items[i].state;
      const st = new Float32Array(this.stateSize);
      st.set(r.hNext.subarray(k * this.rowH, (k + 1) * this.rowH), 0);
      st.set(r.cNext.subarray(k * this.rowH, (k + 1) * this.rowH), this.rowH);
      const copy = (name: string, [at, w]: [number, number]) =>
        st.set(exec ? r[`${name}Next`].subarray(k * w, (k + 1) * w) : prev.subarray(at, at + w), at);
      lay.m.forEach((x, j) => copy(`m${j}`, x));
      lay.p.forEach((x, j) => copy(`p${j}`, x));
      const t = prev[lay.t];
      st[lay.t] = t + 1;
      if (o.selfAttention) for (let q = 0; q <= t; q++) st[lay.hist + q] = hist[k * Lh + q];
      out[i] = { state: st, logits: r.logits.slice(k * V, (k + 1) * V) };
    });
  }
}
