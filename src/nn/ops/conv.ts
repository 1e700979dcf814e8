/**
 * Conv (1-D/2-D/3-D, pads, strides, no groups or dilation) and ConvTranspose (used by its backward).
 * Backward, as measured fastest in ORT on this machine: the input gradient is a ConvTranspose (2-D/3-D,
 * strided 1-D) or a Conv with flipped weights (stride-1 1-D); the weight gradient is one batched MatMul
 * over the strided input windows of every kernel position (im2col by Slice+Concat), not a huge-kernel Conv.
 */
import type { Dim, Tensor } from '../graph.js';
import { pad } from './compare.js';
import { matmul } from './matmul.js';
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
    const { d, K, strides, pads, S, O } = geometry(x, w, node.attrs);
    const g = gy!;
    let gx: Tensor | undefined;
    if (needs[0]) {
      if (d === 1 && strides[0] === 1) {
        // 1-D ConvTranspose is ~2.5x slower in ORT than a Conv with the kernel flipped and transposed.
        const wf = transpose(slice(w, [-1], [-(2 ** 31)], [2], [-1]), [1, 0, 2]);
        gx = conv(g, wf, undefined, { pads: [K[0] - 1 - pads[0], K[0] - 1 - pads[1]] });
      } else {
        const outPad = S.map((s, i) => s - (strides[i] * (O[i] - 1) + K[i] - pads[i] - pads[i + d]));
        gx = g.graph.apply1('ConvTranspose', [g, w], { strides, pads, output_padding: outPad });
      }
    }
    let gw: Tensor | undefined;
    if (needs[1]) {
      const cin = w.shape[1] as number;
      const cout = w.shape[0] as number;
      const xp = pad(x, [0, 0, ...pads.slice(0, d), 0, 0, ...pads.slice(d)]);
      const kpos = size(K);
      const cols: Tensor[] = [];
      for (let p = 0; p < kpos; p++) {
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
      const col = reshape(concat(cols, 1), [x.shape[0], kpos * cin, P]); // [N, K·Cin, P]
      const prod = reduceSum(matmul(col, gyT), [0]); // [K·Cin, Cout]
      gw = transpose(reshape(prod, [...K, cin, cout]), [d + 1, d, ...K.map((_, i) => i)]);
    }
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
  return x.graph.apply1('Conv', b ? [x, w, b] : [x, w], {
    strides,
    pads,
    kernel_shape: w.shape.slice(2) as number[],
  });
}
