/**
 * Layers: functions of a BuildContext that declare their parameters by name (so calling a layer twice
 * with one name shares weights, which is how recurrent cells are unrolled).
 */
import type { Tensor } from './graph.js';
import * as op from './ops/all.js';
import type { BuildContext } from './params.js';

export interface LinearOptions {
  bias?: boolean;
  init?: 'he' | 'glorot';
}

/** x [..., in] → [..., out]. Rank 2 uses one Gemm; higher ranks a MatMul + Add. */
export function linear(
  ctx: BuildContext,
  name: string,
  x: Tensor,
  out: number,
  opts: LinearOptions = {},
): Tensor {
  const inDim = x.shape[x.rank - 1] as number;
  const init =
    opts.init === 'he'
      ? { kind: 'he' as const, fanIn: inDim }
      : { kind: 'glorot' as const, fanIn: inDim, fanOut: out };
  const w = ctx.param(`${name}.w`, [inDim, out], init);
  const b = opts.bias === false ? undefined : ctx.param(`${name}.b`, [out], { kind: 'zeros' });
  if (x.rank === 2) return op.gemm(x, w, b);
  const y = op.matmul(x, w);
  return b ? op.add(y, b) : y;
}

export interface ConvLayerOptions {
  strides?: number[];
  /** 'same' (odd kernels, stride 1 keeps the size), 'valid', or explicit ONNX pads. */
  pads?: 'same' | 'valid' | number[];
  bias?: boolean;
}

/** x [N, Cin, ...S] → [N, out, ...S'] with kernel size `kernel` per spatial axis; He init. */
export function convLayer(
  ctx: BuildContext,
  name: string,
  x: Tensor,
  out: number,
  kernel: number[],
  opts: ConvLayerOptions = {},
): Tensor {
  const cin = x.shape[1] as number;
  const fanIn = cin * kernel.reduce((a, b) => a * b, 1);
  const w = ctx.param(`${name}.w`, [out, cin, ...kernel], { kind: 'he', fanIn });
  const b = opts.bias === false ? undefined : ctx.param(`${name}.b`, [out], { kind: 'zeros' });
  const p = opts.pads ?? 'same';
  const pads =
    p === 'same'
      ? [...kernel.map((k) => (k - 1) >> 1), ...kernel.map((k) => k >> 1)]
      : p === 'valid'
        ? kernel.flatMap(() => [0, 0])
        : p;
  return op.conv(x, w, b, { strides: opts.strides, pads });
}

/** Integer ids [...] → vectors [..., dim]. */
export function embedding(ctx: BuildContext, name: string, ids: Tensor, vocab: number, dim: number): Tensor {
  const table = ctx.param(`${name}.table`, [vocab, dim], { kind: 'normal', std: 1 / Math.sqrt(dim) });
  return op.gather(table, ids);
}

/** Dense block (DenseNet-style MLP): each layer appends relu(linear(all features so far)) of size growth. */
export function denseBlock(
  ctx: BuildContext,
  name: string,
  x: Tensor,
  layers: number,
  growth: number,
): Tensor {
  let h = x;
  for (let i = 0; i < layers; i++)
    h = op.concat([h, op.relu(linear(ctx, `${name}.${i}`, h, growth, { init: 'he' }))], h.rank - 1);
  return h;
}

const lastSlice = (x: Tensor, from: number, to: number) => op.slice(x, [from], [to], [x.rank - 1]);

/** One GRU step: x [B, in], h [B, H] → h' [B, H] (PyTorch gate convention). */
export function gruCell(ctx: BuildContext, name: string, x: Tensor, h: Tensor, hidden: number): Tensor {
  const gx = linear(ctx, `${name}.x`, x, 3 * hidden);
  const gh = linear(ctx, `${name}.h`, h, 3 * hidden);
  const r = op.sigmoid(op.add(lastSlice(gx, 0, hidden), lastSlice(gh, 0, hidden)));
  const z = op.sigmoid(op.add(lastSlice(gx, hidden, 2 * hidden), lastSlice(gh, hidden, 2 * hidden)));
  const n = op.tanh(
    op.add(lastSlice(gx, 2 * hidden, 3 * hidden), op.mul(r, lastSlice(gh, 2 * hidden, 3 * hidden))),
  );
  return op.add(op.mul(op.sub(1, z), n), op.mul(z, h));
}

export interface LstmState {
  h: Tensor;
  c: Tensor;
}

/** Per graph, the stacked [W_x; W_h] of each LSTM (built once however often the cell is unrolled). */
const stackedLstm = new WeakMap<object, Map<string, Tensor>>();

/**
 * One LSTM step: x [B, in], state {h, c} [B, H] → new state (gates i, f, g, o). Parameters `name.x.w`
 * [in, 4H], `name.x.b` [4H] and `name.h.w` [H, 4H]; the step computes [x, h]·[W_x; W_h] + b as one Gemm
 * (the stack built once per graph), so an unrolled sequence costs one product per step, not two and a sum.
 */
export function lstmCell(
  ctx: BuildContext,
  name: string,
  x: Tensor,
  s: LstmState,
  hidden: number,
): LstmState {
  const inDim = x.shape[1] as number;
  const wx = ctx.param(`${name}.x.w`, [inDim, 4 * hidden], {
    kind: 'glorot',
    fanIn: inDim,
    fanOut: 4 * hidden,
  });
  const bx = ctx.param(`${name}.x.b`, [4 * hidden], { kind: 'zeros' });
  const wh = ctx.param(`${name}.h.w`, [hidden, 4 * hidden], {
    kind: 'glorot',
    fanIn: hidden,
    fanOut: 4 * hidden,
  });
  let byName = stackedLstm.get(ctx.graph);
  if (!byName) stackedLstm.set(ctx.graph, (byName = new Map()));
  let w = byName.get(name);
  if (!w) byName.set(name, (w = op.concat([wx, wh], 0)));
  const gates = op.gemm(op.concat([x, s.h], 1), w, bx);
  const i = op.sigmoid(lastSlice(gates, 0, hidden));
  const f = op.sigmoid(lastSlice(gates, hidden, 2 * hidden));
  const g = op.tanh(lastSlice(gates, 2 * hidden, 3 * hidden));
  const o = op.sigmoid(lastSlice(gates, 3 * hidden, 4 * hidden));
  const c = op.add(op.mul(f, s.c), op.mul(i, g));
  return { h: op.mul(o, op.tanh(c)), c };
}

/** Runs a cell over a sequence x [B, T, in] (unrolled; T static); returns every step's output [B, T, H]. */
export function unroll(
  x: Tensor,
  h0: Tensor,
  step: (xt: Tensor, h: Tensor) => Tensor,
): { outputs: Tensor; last: Tensor } {
  const T = x.shape[1] as number;
  const outs: Tensor[] = [];
  let h = h0;
  for (let t = 0; t < T; t++) {
    const xt = op.reshape(op.slice(x, [t], [t + 1], [1]), [x.shape[0], x.shape[2]]);
    h = step(xt, h);
    outs.push(op.reshape(h, [h.shape[0], 1, h.shape[1]]));
  }
  return { outputs: op.concat(outs, 1), last: h };
}

/** Layer normalisation over the last axis with learned scale and shift. */
export function layerNorm(ctx: BuildContext, name: string, x: Tensor, eps = 1e-5): Tensor {
  const d = x.shape[x.rank - 1] as number;
  const mu = op.reduceMean(x, [x.rank - 1], true);
  const xc = op.sub(x, mu);
  const v = op.reduceMean(op.mul(xc, xc), [x.rank - 1], true);
  const y = op.div(xc, op.sqrt(op.add(v, eps)));
  return op.add(
    op.mul(y, ctx.param(`${name}.g`, [d], { kind: 'ones' })),
    ctx.param(`${name}.b`, [d], { kind: 'zeros' }),
  );
}

export interface AttentionOptions {
  /** Float mask broadcastable to [B, heads, Tq, Tk] (1 = may attend). */
  mask?: Tensor;
}

/** Multi-head scaled dot-product attention: q [B, Tq, D], kv [B, Tk, D] → [B, Tq, D]. */
export function multiHeadAttention(
  ctx: BuildContext,
  name: string,
  q: Tensor,
  kv: Tensor,
  heads: number,
  opts: AttentionOptions = {},
): Tensor {
  const D = q.shape[2] as number;
  if (D % heads !== 0) throw new Error(`nn: attention width ${D} is not divisible by ${heads} heads`);
  const dh = D / heads;
  const [B, Tq, Tk] = [q.shape[0], q.shape[1] as number, kv.shape[1] as number];
  const split = (t: Tensor, T: number) => op.transpose(op.reshape(t, [B, T, heads, dh]), [0, 2, 1, 3]); // [B, h, T, dh]
  const Q = split(linear(ctx, `${name}.q`, q, D), Tq);
  const K = split(linear(ctx, `${name}.k`, kv, D), Tk);
  const V = split(linear(ctx, `${name}.v`, kv, D), Tk);
  let s = op.mul(op.matmul(Q, op.transpose(K, [0, 1, 3, 2])), 1 / Math.sqrt(dh)); // [B, h, Tq, Tk]
  if (opts.mask) s = op.where(op.greater(opts.mask, 0.5), s, -1e9);
  const ctxv = op.matmul(op.softmax(s, -1), V); // [B, h, Tq, dh]
  const merged = op.reshape(op.transpose(ctxv, [0, 2, 1, 3]), [B, Tq, D]);
  return linear(ctx, `${name}.o`, merged, D);
}
