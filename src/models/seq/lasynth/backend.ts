/**
 * The DecoderBackend (seq/evaluator.ts) of LaSynth: net.ts's `encode`, `step` and `exec` graphs.
 * Latent execution changes the memories the decoder attends over, so a prefix's state says which
 * memories it attends over: a state is
 *
 *   [h (rows·H) | c (rows·H) | hp, cp (partial execution) | t | token history (selfAttention only)]
 *
 * with t the number of tokens the decoder has read and hp, cp the program reader's state, and the
 * state's memory set (m_j, p_j of every memory) is looked up by the state object in a WeakMap: the
 * spec's own set for the initial state and its descendants, a new set from each latent execution for
 * the state it ends and that state's descendants. A set (12k floats at the shipped sizes) is thus
 * stored once, not copied into every state, and is freed with the last cached state that uses it.
 * Every step runs `step` once for all items; the items whose t is a positive multiple of K (partial
 * execution) then run `exec` (their latent inputs) and `encode` (the memories of those inputs). The
 * evaluator steps one depth at a time, so all items of one call share t.
 */
import type { InferenceModel } from '../../../nn/inference.js';
import { streamBuffers, type SeqSpecCodec } from '../codec.js';
import type { DecoderBackend } from '../evaluator.js';
import { RowFeeds, withRows } from '../row-feeds.js';
import { VALUES, executesAt, memoryCount, readsProgram, type LaSynthOptions } from './net.js';

export interface LaSynthEncoding {
  /** The output tokens of every row, [rows, L] (the executor's re-encoding reads them). */
  readonly s1: Int32Array;
  readonly initial: Float32Array;
}

export interface LaSynthNets {
  readonly encode: InferenceModel;
  /** The step graph with the full token history (LaSynthOptions.history slots). */
  readonly step: InferenceModel;
  readonly exec?: InferenceModel;
  /**
   * The same step graph (same weights) with a shorter history, when the loader can build one: self-
   * attention then reads only `slots` history positions instead of all, the rest being masked anyway,
   * so the outputs are the same (bit for bit, tested) and a step costs less while the programs are short.
   */
  readonly stepWithHistory?: (slots: number) => Promise<InferenceModel>;
}

/** History lengths of the shorter step graphs: powers of two from this one up. */
const MIN_HISTORY = 16;

interface Layout {
  /** [offset, length] of m_j and p_j in a memory set. */
  readonly m: [number, number][];
  readonly p: [number, number][];
  /** Floats of a memory set. */
  readonly memory: number;
  /** Offset of the program reader's hp, cp (H each), when partial execution. */
  readonly reader: number;
  readonly t: number;
  readonly hist: number;
  readonly size: number;
}

function layout(o: LaSynthOptions): Layout {
  const L = o.streams[0].length;
  let at = 0;
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
  const reader = 2 * o.rows * o.hidden;
  const t = reader + (readsProgram(o) ? 2 * o.hidden : 0);
  const hist = t + 1;
  return { m, p, memory: at, reader, t, hist, size: hist + (o.selfAttention ? o.history : 0) };
}

export class LaSynthBackend implements DecoderBackend<LaSynthEncoding> {
  readonly stateSize: number;
  private readonly rowH: number;
  private readonly lay: Layout;
  /** Each state's memory set. */
  private readonly sets = new WeakMap<Float32Array, Float32Array>();
  /** Feeds m_j, p_j, reused across steps (many states share a memory set). */
  private readonly memFeeds: { m: RowFeeds; p: RowFeeds }[];
  /** Step graphs by history length (nets.stepWithHistory), opened on first use. */
  private readonly steps = new Map<number, Promise<InferenceModel>>();

  constructor(
    private readonly nets: LaSynthNets,
    private readonly net: LaSynthOptions,
    private readonly codec: SeqSpecCodec,
  ) {
    this.rowH = net.rows * net.hidden;
    this.lay = layout(net);
    this.stateSize = this.lay.size;
    this.memFeeds = this.lay.m.map(([mat, mw], j) => ({
      m: new RowFeeds(mw, mat),
      p: new RowFeeds(this.lay.p[j][1], this.lay.p[j][0]),
    }));
    if (readsProgram(net) && !nets.exec) throw new Error('lasynth: partial execution needs the exec graph');
  }

  async encode(specs: readonly unknown[]): Promise<LaSynthEncoding[]> {
    const bufs = streamBuffers(this.codec, specs.length);
    specs.forEach((s, i) => this.codec.write(s, bufs, i));
    const V0 = this.net.streams[0].vocab;
    const x0 = new Float32Array(bufs[0].length * V0);
    bufs[0].forEach((tok, k) => (x0[k * V0 + tok] = 1));
    const r = await this.nets.encode.run({ x0, s1: bufs[1] });
    const per = this.net.rows * this.net.streams[1].length;
    return specs.map((_, i) => {
      const st = new Float32Array(this.stateSize);
      st.set(r.h.subarray(i * this.rowH, (i + 1) * this.rowH), 0);
      st.set(r.c.subarray(i * this.rowH, (i + 1) * this.rowH), this.rowH);
      this.sets.set(st, this.memorySet(r, i));
      return { s1: bufs[1].slice(i * per, (i + 1) * per), initial: st };
    });
  }

  /** The memory set of a state this backend made. */
  private setOf(state: Float32Array): Float32Array {
    const set = this.sets.get(state);
    if (!set) throw new Error('lasynth: a decoder state this backend did not make');
    return set;
  }

  /** Item i's memories of an `encode` result, as one memory set. */
  private memorySet(r: Record<string, Float32Array>, i: number): Float32Array {
    const set = new Float32Array(this.lay.memory);
    this.lay.m.forEach(([at, w], j) => set.set(r[`m${j}`].subarray(i * w, (i + 1) * w), at));
    this.lay.p.forEach(([at, w], j) => set.set(r[`p${j}`].subarray(i * w, (i + 1) * w), at));
    return set;
  }

  initial(enc: LaSynthEncoding): Float32Array {
    return enc.initial;
  }

  async step(
    items: readonly { readonly enc: LaSynthEncoding; readonly state: Float32Array; readonly token: number }[],
  ): Promise<{ state: Float32Array; logits: Float32Array }[]> {
    const out = await this.decode(items);
    const exec = items.flatMap((it, i) => (executesAt(this.net, it.state[this.lay.t]) ? [i] : []));
    if (exec.length > 0) await this.execute(items, exec, out);
    return out;
  }

  /** One decoder (and program reader) step of every item; the memories are carried over. */
  private async decode(
    items: readonly { readonly enc: LaSynthEncoding; readonly state: Float32Array; readonly token: number }[],
  ): Promise<{ state: Float32Array; logits: Float32Array }[]> {
    const n = items.length;
    const o = this.net;
    const V = o.progVocab;
    const lay = this.lay;
    const feeds: Record<string, Float32Array | Int32Array> = {};
    const gather = (name: string, [at, w]: [number, number], of: (k: number) => Float32Array) => {
      const a = new Float32Array(n * w);
      for (let k = 0; k < n; k++) a.set(of(k).subarray(at, at + w), k * w);
      feeds[name] = a;
    };
    const sets = items.map((it) => this.setOf(it.state));
    const state = (k: number) => items[k].state;
    gather('h', [0, this.rowH], state);
    gather('c', [this.rowH, this.rowH], state);
    if (readsProgram(o)) {
      gather('hp', [lay.reader, o.hidden], state);
      gather('cp', [lay.reader + o.hidden, o.hidden], state);
    }
    const token = Int32Array.from(items, (it) => (it.token < 0 ? V : it.token));
    feeds.token = token;
    const { net: stepNet, slots: Lh } = await this.stepNet(items);
    const hist = new Int32Array(o.selfAttention ? n * Lh : 0);
    if (o.selfAttention) {
      const mask = new Float32Array(n * Lh);
      items.forEach((it, k) => {
        const s = it.state;
        const t = s[lay.t];
        if (t >= o.history) throw new Error(`lasynth: a program longer than the ${o.history}-token history`);
        for (let q = 0; q < t; q++) hist[k * Lh + q] = s[lay.hist + q];
        hist[k * Lh + t] = token[k];
        mask.fill(1, k * Lh, k * Lh + t + 1);
      });
      feeds.hist = hist;
      feeds.histMask = mask;
    }
    const memories = this.memFeeds.flatMap(({ m, p }, j) => [
      [`m${j}`, m, sets] as const,
      [`p${j}`, p, sets] as const,
    ]);
    const r = await withRows(feeds, memories, () => stepNet.run(feeds));
    return items.map((it, k) => {
      const prev = it.state;
      const st = new Float32Array(this.stateSize);
      st.set(r.hNext.subarray(k * this.rowH, (k + 1) * this.rowH), 0);
      st.set(r.cNext.subarray(k * this.rowH, (k + 1) * this.rowH), this.rowH);
      this.sets.set(st, sets[k]);
      if (readsProgram(o)) {
        st.set(r.hpNext.subarray(k * o.hidden, (k + 1) * o.hidden), lay.reader);
        st.set(r.cpNext.subarray(k * o.hidden, (k + 1) * o.hidden), lay.reader + o.hidden);
      }
      const t = prev[lay.t];
      st[lay.t] = t + 1;
      if (o.selfAttention) for (let q = 0; q <= t; q++) st[lay.hist + q] = hist[k * Lh + q];
      return { state: st, logits: r.logits.slice(k * V, (k + 1) * V) };
    });
  }

  /**
   * The step graph for these items and its history length: the shortest power of two (≥ MIN_HISTORY)
   * that holds every item's tokens read so far and this one, when a shorter graph can be built; else the
   * full one.
   */
  private async stepNet(
    items: readonly { readonly state: Float32Array }[],
  ): Promise<{ net: InferenceModel; slots: number }> {
    const o = this.net;
    const full = { net: this.nets.step, slots: o.history };
    const make = this.nets.stepWithHistory;
    if (!o.selfAttention || !make) return full;
    let need = 1;
    for (const it of items) need = Math.max(need, it.state[this.lay.t] + 1);
    let slots = MIN_HISTORY;
    while (slots < need) slots *= 2;
    if (slots >= o.history) return full;
    let net = this.steps.get(slots);
    if (!net) {
      net = make(slots);
      // A failed build is not kept: the next step tries again and reports its own error.
      net.catch(() => this.steps.delete(slots));
      this.steps.set(slots, net);
    }
    return { net: await net, slots };
  }

  /** Latent execution of the items `which` after their step: new latent inputs, re-encoded. */
  private async execute(
    items: readonly { readonly enc: LaSynthEncoding }[],
    which: readonly number[],
    out: { state: Float32Array; logits: Float32Array }[],
  ): Promise<void> {
    const o = this.net;
    const lay = this.lay;
    const [m0at, m0w] = lay.m[0];
    const m0 = new Float32Array(which.length * m0w);
    const hp = new Float32Array(which.length * o.hidden);
    which.forEach((i, k) => {
      m0.set(this.setOf(out[i].state).subarray(m0at, m0at + m0w), k * m0w);
      hp.set(out[i].state.subarray(lay.reader, lay.reader + o.hidden), k * o.hidden);
    });
    const { latent } = await this.nets.exec!.run({ m0, hp });
    const V0 = o.streams[0].vocab;
    const cells = latent.length / VALUES;
    const x0 = new Float32Array(cells * V0);
    for (let q = 0; q < cells; q++) x0.set(latent.subarray(q * VALUES, (q + 1) * VALUES), q * V0);
    const per = items[which[0]].enc.s1.length;
    const s1 = new Int32Array(which.length * per);
    which.forEach((i, k) => s1.set(items[i].enc.s1, k * per));
    const r = await this.nets.encode.run({ x0, s1 });
    which.forEach((i, k) => this.sets.set(out[i].state, this.memorySet(r, k)));
  }
}
