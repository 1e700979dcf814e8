/**
 * Conv (1-D/2-D/3-D, pads, strides, no groups or dilation) and ConvTranspose (used by its backward).
 * Backward, as measured fastest in ORT on this machine: the input gradient is a ConvTranspose (2-D/3-D,
 * strided 1-D) or a Conv with flipped weights (stride-1 1-D); the weight gradient is one batched MatMul
 * over the strided input windows of every kernel position (im2col by Slice+Concat or one Gather, of the
 * input or, when it has fewer channels, of the output gradient), not a huge-kernel Conv.
 */
import type { Dim, Tensor } from '../graph.js';
import { pad } from './compare.js';
import { gather } from './gather.js';
import { gemm, matmul } from './matmul.js';
import { nd, ravel, size, unravel } from './ndarray.js';
import { registerOp } from './registry.js';
import { reduceSum } from './reduce.js';
import { concat, reshape, slice, transpose } from './shape-ops.js';
import { intsAttr } from './util.js';

export interface ConvOptions {
  strides?: readonly number[];
  /** ONNX order: begin of each spatial axis, then end of each. A single number pads all sides. */
  pads?: readonly number[] | number;
}

function convOut(S: Dim, K: number, pb: number, pe: number, s: number): Dim {
  if (typeof S !== 'number') throw new Error('nn: Conv spatial dims must be static');
  const o = Math.floor((S + pb + pe - K) / s) + 1;
  if (o < 1) throw new Error(`nn: Conv output would be empty (S=${S}, K=${K})`);
  return o;
}

function geometry(x: Tensor, w: Tensor, attrs: Record<string, unknown>) {
  const d = x.rank - 2;
  const K = w.shape.slice(2) as number[];
  const strides = intsAttr(attrs as never, 'strides', new Array<number>(d).fill(1));
  const pads = intsAttr(attrs as never, 'pads', new Array<number>(2 * d).fill(0));
  const S = x.shape.slice(2) as number[];
  const O = S.map((s, i) => convOut(s, K[i], pads[i], pads[i + d], strides[i]) as number);
  return { d, K, strides, pads, S, O };
}

/**
 * For output position p and tap k, the flat spatial index of the input pixel it reads, or ΠS (the zero
 * pixel appended by channelsLast) when the tap falls in the padding. [P, ΠK] row-major.
 */
function im2colIndices(geo: ReturnType<typeof geometry>): Int32Array {
  const { K, strides, pads, S, O } = geo;
  const P = size(O);
  const kn = size(K);
  const T = size(S);
  const idx = new Int32Array(P * kn);
  for (let p = 0; p < P; p++) {
    const o = unravel(p, O);
    for (let k = 0; k < kn; k++) {
      const kk = unravel(k, K);
      const at = o.map((v, i) => v * strides[i] + kk[i] - pads[i]);
      idx[p * kn + k] = at.some((v, i) => v < 0 || v >= S[i]) ? T : ravel(at, S);
    }
  }
  return idx;
}

/** [N, C, ...S] → [N, ΠS + 1, C]: channels-last, flat spatial axis, one zero pixel at the end. */
function channelsLast(x: Tensor): Tensor {
  const S = x.shape.slice(2) as number[];
  const perm = [0, ...S.map((_, i) => i + 2), 1];
  return pad(reshape(transpose(x, perm), [x.shape[0], size(S), x.shape[1]]), [0, 0, 0, 0, 1, 0]);
}

/** Below this many input channels the im2col is cut by strided Slices; from it on, by one Gather. */
const GATHER_MIN_CHANNELS = 8;
/** Output positions per example below which the weight gradient is one Gemm over the whole batch. */
const SMALL_IMAGE = 256;

/**
 * The weight gradient as one batched MatMul over im2col columns: gwᵀ = Σₙ gₙ [Cout, P] · colₙ [P, K·Cin].
 * The columns come from one Gather along the spatial axis of the channels-last input (indices computed
 * here, a zero pixel appended for taps that fall in the padding), which handles every stride, pad and
 * rank alike and copies whole Cin-vectors; measured 2x faster than Slice+Concat per tap. With few input
 * channels those vectors are too short and per-tap strided Slices of the padded input win.
 */
function weightGrad(x: Tensor, g: Tensor, w: Tensor, geo: ReturnType<typeof geometry>): Tensor {
  const { d, K, O } = geo;
  const cin = w.shape[1] as number;
  const cout = w.shape[0] as number;
  if (cin < GATHER_MIN_CHANNELS) return weightGradSlices(x, g, w, geo);
  if (cout < cin) return weightGradOfOutput(x, g, w, geo);
  const N = x.shape[0];
  const P = size(O);
  const kn = size(K);
  const cols = gather(channelsLast(x), x.graph.constant(im2colIndices(geo), [P, kn], 'int32'), 1);
  const gyT = transpose(reshape(g, [N, cout, P]), [0, 2, 1]); // [N, P, Cout]
  // Few positions per example (the strings policy's 36): one Gemm over all N·P rows (measured 1.7x
  // faster than per-example products and their [N, K·Cin, Cout] sum). Many: colᵀ·gᵀ per example, both
  // transposes folded by ORT into one FusedMatMul (2x faster than g·col).
  const prod =
    P < SMALL_IMAGE
      ? gemm(reshape(cols, [-1, kn * cin]), reshape(gyT, [-1, cout]), undefined, { transA: true })
      : reduceSum(matmul(transpose(reshape(cols, [N, P, kn * cin]), [0, 2, 1]), gyT), [0]); // [K·Cin, Cout]
  return transpose(reshape(prod, [...K, cin, cout]), [d + 1, d, ...K.map((_, i) => i)]);
}

/**
 * For input position q and tap k, the flat spatial index of the output position that reads input q
 * through tap k (p·stride + k − pad = q), or ΠO (the zero pixel) when there is none. [ΠS, ΠK] row-major.
 */
function outputIndices(geo: ReturnType<typeof geometry>): Int32Array {
  const { K, strides, pads, S, O } = geo;
  const T = size(S);
  const kn = size(K);
  const idx = new Int32Array(T * kn).fill(size(O));
  for (let q = 0; q < T; q++) {
    const at = unravel(q, S);
    for (let k = 0; k < kn; k++) {
      const kk = unravel(k, K);
      const p = at.map((v, i) => (v + pads[i] - kk[i]) / strides[i]);
      if (p.every((v, i) => Number.isInteger(v) && v >= 0 && v < O[i])) idx[q * kn + k] = ravel(p, O);
    }
  }
  return idx;
}

/**
 * The weight gradient with the im2col taken of the output gradient instead of the input, when it has
 * fewer channels (the strings policy's conv: 32 out of 87 in, 2.7x fewer columns to gather and write):
 * gw[f, c, k] = Σₙ Σ_q x[n, c, q] · g[n, f, p(q, k)], the input read once, in place (channels-last, no
 * padding: padded positions hold zeros and add nothing), against one Gather of whole Cout-vectors of g.
 */
function weightGradOfOutput(x: Tensor, g: Tensor, w: Tensor, geo: ReturnType<typeof geometry>): Tensor {
  const { d, K, S } = geo;
  const cin = w.shape[1] as number;
  const cout = w.shape[0] as number;
  const N = x.shape[0];
  const T = size(S);
  const kn = size(K);
  const xl = reshape(transpose(x, [0, ...S.map((_, i) => i + 2), 1]), [N, T, cin]); // [N, ΠS, Cin]
  const gcol = gather(channelsLast(g), g.graph.constant(outputIndices(geo), [T, kn], 'int32'), 1); // [N, ΠS, ΠK, Cout]
  const prod =
    T < SMALL_IMAGE
      ? gemm(reshape(xl, [-1, cin]), reshape(gcol, [-1, kn * cout]), undefined, { transA: true })
      : reduceSum(matmul(transpose(xl, [0, 2, 1]), reshape(gcol, [N, T, kn * cout])), [0]); // [Cin, K·Cout]
  return transpose(reshape(prod, [cin, ...K, cout]), [d + 1, 0, ...K.map((_, i) => i + 1)]);
}

/** im2col by strided Slices of the padded input (one per tap), then one MatMul. */
function weightGradSlices(x: Tensor, g: Tensor, w: Tensor, geo: ReturnType<typeof geometry>): Tensor {
  const { d, K, strides, pads, O } = geo;
  const cin = w.shape[1] as number;
  const cout = w.shape[0] as number;
  const xp = pad(x, [0, 0, ...pads.slice(0, d), 0, 0, ...pads.slice(d)]);
  const cols: Tensor[] = [];
  for (let p = 0; p < size(K); p++) {
    const off = unravel(p, K);
    const axes = off.map((_, i) => i + 2);
    cols.push(
      slice(
        xp,
        off,
        off.map((o, i) => o + strides[i] * (O[i] - 1) + 1),
        axes,
        strides,
      ),
    );
  }
  const P = size(O);
  const gyT = transpose(reshape(g, [x.shape[0], cout, P]), [0, 2, 1]); // [N, P, Cout]
  const col = reshape(concat(cols, 1), [x.shape[0], size(K) * cin, P]); // [N, K·Cin, P]
  const prod = reduceSum(matmul(col, gyT), [0]); // [K·Cin, Cout]
  return transpose(reshape(prod, [...K, cin, cout]), [d + 1, d, ...K.map((_, i) => i)]);
}

registerOp({
  type: 'Conv',
  shape: (xs, attrs) => {
    const [x, w] = xs;
    if (x.rank < 3 || x.rank > 5 || w.rank !== x.rank)
      throw new Error(`nn: Conv needs x [N,C,…] and w [F,C,…]: ${x} ${w}`);
    if (x.shape[1] !== w.shape[1]) throw new Error(`nn: Conv channels differ: ${x} ${w}`);
    const { O } = geometry(x, w, attrs);
    return [{ shape: [x.shape[0], w.shape[0], ...O], dtype: 'float32' }];
  },
  grad: (node, [gy], needs) => {
    const [x, w, b] = node.inputs;
    const geo = geometry(x, w, node.attrs);
    const { d, K, strides, pads, S, O } = geo;
    const g = gy!;
    let gx: Tensor | undefined;
    if (needs[0]) {
      if (strides.every((s) => s === 1)) {
        // A stride-1 input gradient is a Conv of g with the kernel flipped and its channel axes swapped:
        // ORT runs it on its fast NCHWc path (ConvTranspose measured 1.8x slower in 2-D, 2.5x in 1-D).
        const axes = K.map((_, i) => i + 2);
        const flipped = slice(
          w,
          axes.map(() => -1),
          axes.map(() => -(2 ** 31)),
          axes,
          axes.map(() => -1),
        );
        const wf = transpose(flipped, [1, 0, ...axes]);
        const gpads = [...K.map((k, i) => k - 1 - pads[i]), ...K.map((k, i) => k - 1 - pads[i + d])];
        gx = conv(g, wf, undefined, { pads: gpads });
      } else {
        const outPad = S.map((s, i) => s - (strides[i] * (O[i] - 1) + K[i] - pads[i] - pads[i + d]));
        gx = g.graph.apply1('ConvTranspose', [g, w], { strides, pads, output_padding: outPad });
      }
    }
    const gw = needs[1] ? weightGrad(x, g, w, geo) : undefined;
    const gb = needs[2] && b ? reduceSum(g, [0, ...O.map((_, i) => i + 2)]) : undefined;
    return [gx, gw, gb];
  },
  reference: (xs, attrs) => {
    const [x, w, b] = xs;
    const d = x.shape.length - 2;
    const K = w.shape.slice(2);
    const strides = intsAttr(attrs, 'strides', new Array<number>(d).fill(1));
    const pads = intsAttr(attrs, 'pads', new Array<number>(2 * d).fill(0));
    const S = x.shape.slice(2);
    const O = S.map((s, i) => Math.floor((s + pads[i] + pads[i + d] - K[i]) / strides[i]) + 1);
    const [N, C] = x.shape;
    const F = w.shape[0];
    const out = nd([N, F, ...O]);
    const kn = size(K);
    for (let k = 0; k < out.data.length; k++) {
      const [n, f, ...o] = unravel(k, out.shape);
      let s = b ? b.data[f] : 0;
      for (let c = 0; c < C; c++)
        for (let p = 0; p < kn; p++) {
          const kk = unravel(p, K);
          const pos = o.map((v, i) => v * strides[i] + kk[i] - pads[i]);
          if (pos.some((v, i) => v < 0 || v >= S[i])) continue;
          s += x.data[ravel([n, c, ...pos], x.shape)] * w.data[ravel([f, c, ...kk], w.shape)];
        }
      out.data[k] = s;
    }
    return [out];
  },
});

registerOp({
  type: 'ConvTranspose',
  shape: (xs, attrs) => {
    const [g, w] = xs;
    const d = g.rank - 2;
    const strides = intsAttr(attrs, 'strides', new Array<number>(d).fill(1));
    const pads = intsAttr(attrs, 'pads', new Array<number>(2 * d).fill(0));
    const op = intsAttr(attrs, 'output_padding', new Array<number>(d).fill(0));
    const K = w.shape.slice(2) as number[];
    const spatial = (g.shape.slice(2) as number[]).map(
      (o, i) => strides[i] * (o - 1) + op[i] + K[i] - pads[i] - pads[i + d],
    );
    return [{ shape: [g.shape[0], w.shape[1], ...spatial], dtype: 'float32' }];
  },
});

export function conv(x: Tensor, w: Tensor, b?: Tensor, opts: ConvOptions = {}): Tensor {
  const d = x.rank - 2;
  const pads =
    typeof opts.pads === 'number'
      ? new Array<number>(2 * d).fill(opts.pads)
      : (opts.pads ?? new Array<number>(2 * d).fill(0));
  const strides = opts.strides ?? new Array<number>(d).fill(1);
  const attrs = { strides, pads, kernel_shape: w.shape.slice(2) as number[] };
  return x.graph.apply1('Conv', b ? [x, w, b] : [x, w], attrs);
}
