/**
 * MaxPool and AveragePool with non-overlapping windows (kernel = stride, no padding, floor mode).
 * Backward upsamples with a nearest Resize (no Indices output: asking MaxPool for Indices makes it ~9x
 * slower) and, for max, routes the gradient through the mask x == upsampled max.
 */
import type { Tensor } from '../graph.js';
import { mul } from './arith.js';
import { cast, equal, pad } from './compare.js';
import { nd, ravel, size, unravel } from './ndarray.js';
import type { NDArray } from './ndarray.js';
import { registerOp, type OpDef } from './registry.js';
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
      const ug = upsample(gy!, k, S);
      if (type === 'AveragePool') return [mul(ug, 1 / size(k))];
      // Cast+Mul: ORT's Where with a scalar branch measured ~4x slower than this on 4M-element masks.
      return [mul(cast(equal(x, upsample(node.outputs[0], k, S)), 'float32'), ug)];
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
 * run at the pooled size, a quarter of the work for 2×2 windows.
 */
export function maxPool(x: Tensor, kernel: readonly number[]): Tensor {
  const g = x.graph;
  const attrs = { kernel_shape: kernel, strides: kernel };
  if (g.forTraining && x.producer?.op === 'Relu')
    return g.apply1('Relu', [g.apply1('MaxPool', [x.producer.inputs[0]], attrs)]);
  return g.apply1('MaxPool', [x], attrs);
}
export const avgPool = (x: Tensor, kernel: readonly number[]): Tensor =>
  x.graph.apply1('AveragePool', [x], { kernel_shape: kernel, strides: kernel });
