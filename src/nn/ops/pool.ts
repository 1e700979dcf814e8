/**
 * MaxPool and AveragePool with non-overlapping windows (kernel = stride, no padding, floor mode).
 * Backward upsamples with a nearest Resize (no Indices output: asking MaxPool for Indices makes it ~9x
 * slower) and, for max, routes the gradient through the mask x == upsampled max, tied maxima of a
 * window sharing it equally.
 */
import type { Tensor } from '../graph.js';
import { div, mul } from './arith.js';
import { cast, equal, pad } from './compare.js';
import { nd, ravel, size, unravel } from './ndarray.js';
import type { NDArray } from './ndarray.js';
import { registerOp, type OpDef } from './registry.js';
import { add } from './arith.js';
import { conv } from './conv.js';
import { reduceMax } from './reduce.js';
import { gather } from './gather.js';
import { concat, reshape, slice, spaceToDepth } from './shape-ops.js';
import { intsAttr } from './util.js';

/**
 * Repeats each spatial cell k times per axis (nearest Resize: ORT has integer-scale fast paths, while a
 * broadcasting Mul on inner axes of size 1 was the slowest op of a training step) and zero-pads to the
 * input's spatial size when the pooling dropped a remainder.
 */
function upsample(y: Tensor, k: readonly number[], S: readonly number[]): Tensor {
  const d = k.length;
  const O = y.shape.slice(2) as number[];
  const g = y.graph;
  const scales = g.constant(Float32Array.from([1, 1, ...k]), [d + 2]);
  const up = g.apply1('Resize', [y, g.none(), scales], {
    mode: 'nearest',
    nearest_mode: 'floor',
    coordinate_transformation_mode: 'asymmetric',
  });
  const rem = S.map((s, i) => s - O[i] * k[i]);
  return pad(up, [0, 0, ...new Array<number>(d).fill(0), 0, 0, ...rem]);
}

registerOp({
  type: 'Resize',
  shape: ([x, , scales]) => {
    const sc = Array.from(scales.value as Float32Array);
    return [
      { shape: x.shape.map((dim, i) => (sc[i] === 1 ? dim : (dim as number) * sc[i])), dtype: x.dtype },
    ];
  },
});

function poolOp(type: 'MaxPool' | 'AveragePool'): OpDef {
  return registerOp({
    type,
    shape: ([x], attrs) => {
      const k = intsAttr(attrs, 'kernel_shape', []);
      const s = intsAttr(attrs, 'strides', k);
      if (k.length !== x.rank - 2 || s.some((v, i) => v !== k[i]))
        throw new Error(`nn: ${type} needs kernel = stride per spatial axis`);
      const S = x.shape.slice(2);
      if (!S.every((v) => typeof v === 'number')) throw new Error(`nn: ${type} spatial dims must be static`);
      return [
        {
          shape: [x.shape[0], x.shape[1], ...(S as number[]).map((v, i) => Math.floor(v / k[i]))],
          dtype: 'float32',
        },
      ];
    },
    grad: (node, [gy]) => {
      const x = node.inputs[0];
      const k = intsAttr(node.attrs, 'kernel_shape', []);
      const S = x.shape.slice(2) as number[];
      if (type === 'AveragePool') return [mul(upsample(gy!, k, S), 1 / size(k))];
      // Cast+Mul: ORT's Where with a scalar branch measured ~4x slower than this on 4M-element masks.
      const mask = cast(equal(x, upsample(node.outputs[0], k, S)), 'float32');
      // Tied maxima of a window share its gradient equally (a subgradient of max); binary images have
      // flat regions where every position of a window ties.
      const ties = mul(x.graph.apply1('AveragePool', [mask], node.attrs), size(k));
      return [mul(mask, upsample(div(gy!, ties), k, S))];
    },
    reference: ([x], attrs) => {
      const k = intsAttr(attrs, 'kernel_shape', []);
      const [N, C, ...S] = x.shape;
      const O = S.map((v, i) => Math.floor(v / k[i]));
      const out: NDArray = nd([N, C, ...O]);
      const kn = size(k);
      for (let j = 0; j < out.data.length; j++) {
        const [n, c, ...o] = unravel(j, out.shape);
        let acc = type === 'MaxPool' ? -Infinity : 0;
        for (let p = 0; p < kn; p++) {
          const kk = unravel(p, k);
          const v = x.data[ravel([n, c, ...o.map((q, i) => q * k[i] + kk[i])], x.shape)];
          acc = type === 'MaxPool' ? Math.max(acc, v) : acc + v / kn;
        }
        out.data[j] = acc;
      }
      return [out];
    },
  });
}

poolOp('MaxPool');
poolOp('AveragePool');

/**
 * Max-pooling. In a training graph, max-pool of a ReLU is built as ReLU of the max-pool (the same values
 * exactly, and the same gradient: both route it to the positive maxima), so the ReLU and its backward
 * run at the pooled size, a quarter of the work for 2×2 windows; a pooled first layer is computed by
 * phases (phasePooledConv).
 */
export function maxPool(x: Tensor, kernel: readonly number[]): Tensor {
  const g = x.graph;
  const attrs = { kernel_shape: kernel, strides: kernel };
  if (g.forTraining && x.producer?.op === 'Relu') {
    const pre = x.producer.inputs[0];
    return g.apply1('Relu', [phasePooledConv(pre, kernel) ?? g.apply1('MaxPool', [pre], attrs)]);
  }
  return g.apply1('MaxPool', [x], attrs);
}

/** Input channels up to which a pooled first layer is computed by phases (phasePooledConv). */
const PHASE_MAX_CHANNELS = 4;

/**
 * Max-pooling (kernel = stride s, both axes) of a stride-1 2-D convolution of a graph input (a network's
 * first layer), computed by phases. The conv's outputs at positions ≡ (a, b) mod s, for all s² phases
 * at once, are one stride-1 convolution of the input's space-to-depth blocks (s²·C channels) with a
 * J×J kernel (J = ⌈(K + s − 1)/s⌉) whose s²·F filters are the original weights placed by a constant
 * Gather (zeros elsewhere): phase (a, b), tap (kh, kw) reads block offset ⌊(a + kh)/s⌋ and sub-pixel
 * (a + kh) mod s. The pool is then a ReduceMax over the phase axis and the bias is added after it
 * (max(z + b) = max(z) + b exactly): the same values as MaxPool(Conv). Its backward is a mask broadcast
 * over the phase axis instead of upsampling (Resize) the pooled output and its gradient to full size,
 * and the weight gradient is one im2col product over few, whole channel vectors. Costs (s²J²/K²)× the
 * multiply-adds (1.8× for 3×3, s = 2), so only for few input channels, where memory traffic dominates.
 * Null when the pattern does not apply.
 */
function phasePooledConv(pre: Tensor, k: readonly number[]): Tensor | null {
  const c = pre.producer;
  if (!c || c.op !== 'Conv' || pre.rank !== 4 || k.length !== 2 || k[0] !== k[1] || k[0] < 2) return null;
  const [x0, w, b] = c.inputs;
  const s = k[0];
  const [F, C, KH, KW] = w.shape as number[];
  if (x0.producer || C > PHASE_MAX_CHANNELS) return null;
  const strides = intsAttr(c.attrs, 'strides', [1, 1]);
  const pads = intsAttr(c.attrs, 'pads', [0, 0, 0, 0]);
  if (strides.some((v) => v !== 1)) return null;
  const [oh, ow] = (pre.shape.slice(2) as number[]).map((o) => Math.floor(o / s));
  if (oh < 1 || ow < 1) return null;
  const [JH, JW] = [KH, KW].map((K) => Math.floor((K + s - 2) / s) + 1);
  // Padded input cropped or zero-extended to whole blocks: s·(o + J − 1) rows and columns.
  const [S0, S1] = x0.shape.slice(2) as number[];
  const [TH, TW] = [s * (oh + JH - 1), s * (ow + JW - 1)];
  const [eh, ew] = [TH - (S0 + pads[0] + pads[2]), TW - (S1 + pads[1] + pads[3])];
  let xp = pad(x0, [0, 0, pads[0], pads[1], 0, 0, pads[2] + Math.max(0, eh), pads[3] + Math.max(0, ew)]);
  if (eh < 0 || ew < 0) xp = slice(xp, [0, 0], [TH, TW], [2, 3]);
  const xs = spaceToDepth(xp, s); // [N, s²·C, o + J − 1, …]
  // W'[(a·s + b)·F + f, (pa·s + pb)·C + ci, i, j] = w[f, ci, s·i + pa − a, s·j + pb − b] (or 0).
  const n = F * C * KH * KW;
  const idx = new Int32Array(s * s * F * s * s * C * JH * JW).fill(n);
  let at = 0;
  for (let a = 0; a < s; a++)
    for (let bb = 0; bb < s; bb++)
      for (let f = 0; f < F; f++)
        for (let pa = 0; pa < s; pa++)
          for (let pb = 0; pb < s; pb++)
            for (let ci = 0; ci < C; ci++)
              for (let i = 0; i < JH; i++)
                for (let j = 0; j < JW; j++, at++) {
                  const kh = s * i + pa - a;
                  const kw = s * j + pb - bb;
                  if (kh >= 0 && kh < KH && kw >= 0 && kw < KW) idx[at] = ((f * C + ci) * KH + kh) * KW + kw;
                }
  const g = x0.graph;
  const wz = concat([reshape(w, [n]), g.constant(new Float32Array(1), [1])], 0);
  const wp = gather(wz, g.constant(idx, [s * s * F, s * s * C, JH, JW], 'int32'));
  const z = conv(xs, wp); // [N, s²·F, oh, ow]
  const m = reduceMax(reshape(z, [-1, s * s, F, oh, ow]), [1]);
  return b ? add(m, reshape(b, [F, 1, 1])) : m;
}

export const avgPool = (x: Tensor, kernel: readonly number[]): Tensor =>
  x.graph.apply1('AveragePool', [x], { kernel_shape: kernel, strides: kernel });
