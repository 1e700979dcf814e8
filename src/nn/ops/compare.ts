/** Non-differentiable helpers: Equal, Greater, Cast, Identity, Shape, Size, Expand, Pad. */
import type { DType, Tensor } from '../graph.js';
import { lift, type TensorLike } from './arith.js';
import { elementwise, nd, unravel, size as ndSize } from './ndarray.js';
import { registerOp } from './registry.js';
import { slice } from './shape-ops.js';
import { fromOnnxDType, onnxDType } from '../types.js';
import { broadcastDims, constInts, intAttr } from './util.js';

export { fromOnnxDType, onnxDType } from '../types.js';

const cmpShape = (xs: readonly Tensor[]) => [
  { shape: broadcastDims(xs[0].shape, xs[1].shape), dtype: 'bool' as DType },
];
registerOp({
  type: 'Equal',
  shape: cmpShape,
  reference: (xs) => [elementwise(xs, (a, b) => (a === b ? 1 : 0))],
});
registerOp({
  type: 'Greater',
  shape: cmpShape,
  reference: (xs) => [elementwise(xs, (a, b) => (a > b ? 1 : 0))],
});

registerOp({
  type: 'Cast',
  shape: (xs, attrs) => [{ shape: xs[0].shape, dtype: fromOnnxDType(intAttr(attrs, 'to', 1)) }],
  reference: (xs, attrs) => {
    const to = fromOnnxDType(intAttr(attrs, 'to', 1));
    return [
      elementwise(
        xs,
        to === 'float32' ? (a) => Math.fround(a) : to === 'bool' ? (a) => (a !== 0 ? 1 : 0) : Math.trunc,
      ),
    ];
  },
});

registerOp({
  type: 'Identity',
  shape: (xs) => [{ shape: xs[0].shape, dtype: xs[0].dtype }],
  grad: (_n, [gy]) => [gy],
  reference: (xs) => [nd(xs[0].shape, xs[0].data)],
});

// Identity for the forward pass, a wall for gradients: heads trained on features they must not
// reshape (e.g. a value head on a shared policy body) read them through this.
registerOp({
  type: 'StopGradient',
  onnxType: 'Identity',
  shape: (xs) => [{ shape: xs[0].shape, dtype: xs[0].dtype }],
  grad: () => [undefined],
  reference: (xs) => [nd(xs[0].shape, xs[0].data)],
});

registerOp({
  type: 'Shape',
  shape: (xs) => [{ shape: [xs[0].rank], dtype: 'int64' }],
  reference: (xs) => [nd([xs[0].shape.length], xs[0].shape)],
});
registerOp({
  type: 'Size',
  shape: () => [{ shape: [], dtype: 'int64' }],
  reference: (xs) => [nd([], [ndSize(xs[0].shape)])],
});

/** Expand to a runtime shape: the output has the static shape `like` (passed as attribute-free info). */
registerOp({
  type: 'Expand',
  shape: (xs) => {
    const like = xs[1].producer?.inputs[0];
    if (!like || xs[1].producer?.op !== 'Shape')
      throw new Error('nn: Expand needs a Shape(x) as its shape input');
    return [{ shape: broadcastDims(xs[0].shape, like.shape), dtype: xs[0].dtype }];
  },
  reference: (xs) => {
    const shape = Array.from(xs[1].data);
    return [elementwise([xs[0], nd(shape)], (a) => a)];
  },
});

registerOp({
  type: 'Pad',
  // Zero padding's gradient cuts the padding off again (and pads back what a negative pad cropped).
  grad: (node, [gy]) => {
    const p = constInts(node.inputs[1]);
    const r = gy!.rank;
    const axes = [...Array(r).keys()].filter((i) => p[i] !== 0 || p[i + r] !== 0);
    const kept = slice(
      gy!,
      axes.map((a) => Math.max(0, p[a])),
      axes.map((a) => (gy!.shape[a] as number) - Math.max(0, p[a + r])),
      axes,
    );
    const back = new Array<number>(2 * r).fill(0);
    for (const a of axes) {
      back[a] = Math.max(0, -p[a]);
      back[a + r] = Math.max(0, -p[a + r]);
    }
    return [pad(kept, back), undefined];
  },
  shape: (xs) => {
    const p = constInts(xs[1]);
    const r = xs[0].rank;
    return [
      {
        shape: xs[0].shape.map((d, i) => {
          if (p[i] === 0 && p[i + r] === 0) return d;
          if (typeof d !== 'number') throw new Error('nn: cannot pad a symbolic dim');
          return d + p[i] + p[i + r];
        }),
        dtype: xs[0].dtype,
      },
    ];
  },
  reference: (xs) => {
    const [x, pads] = xs;
    const r = x.shape.length;
    const p = Array.from(pads.data);
    const out = nd(x.shape.map((d, i) => d + p[i] + p[i + r]));
    for (let k = 0; k < out.data.length; k++) {
      const c = unravel(k, out.shape).map((v, i) => v - p[i]);
      if (c.some((v, i) => v < 0 || v >= x.shape[i])) continue;
      let f = 0;
      for (let i = 0; i < r; i++) f = f * x.shape[i] + c[i];
      out.data[k] = x.data[f];
    }
    return [out];
  },
});

export const equal = (a: Tensor, b: TensorLike): Tensor => a.graph.apply1('Equal', [a, lift(b, a)]);
export const greater = (a: Tensor, b: TensorLike): Tensor => a.graph.apply1('Greater', [a, lift(b, a)]);
export const cast = (x: Tensor, to: DType): Tensor =>
  x.dtype === to ? x : x.graph.apply1('Cast', [x], { to: onnxDType(to) });
export const identity = (x: Tensor): Tensor => x.graph.apply1('Identity', [x]);
export const stopGradient = (x: Tensor): Tensor => x.graph.apply1('StopGradient', [x]);
export const shapeOf = (x: Tensor): Tensor => x.graph.apply1('Shape', [x]);
export const sizeOf = (x: Tensor): Tensor => x.graph.apply1('Size', [x]);
/** Broadcasts `x` to the runtime shape of `like`. */
export const expandLike = (x: Tensor, like: Tensor): Tensor => x.graph.apply1('Expand', [x, shapeOf(like)]);
/** Zero padding: `pads` = [begin per axis…, end per axis…] (ONNX order). */
export const pad = (x: Tensor, pads: readonly number[]): Tensor =>
  pads.every((p) => p === 0) ? x : x.graph.apply1('Pad', [x, x.graph.int64(pads)]);
