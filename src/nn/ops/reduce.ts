/**
 * ReduceSum (axes as an input, opset 13+), ReduceMean and ReduceMax (axes as attributes until opset 18).
 * Backward broadcasts the output gradient back with Expand; ReduceMax routes it through an equality mask,
 * tied maxima sharing it equally.
 */
import type { Attrs, Dim, Node, Tensor } from '../graph.js';
import { div, mul } from './arith.js';
import { cast, equal, expandLike, sizeOf } from './compare.js';
import { nd, normAxes, strides, unravel } from './ndarray.js';
import type { NDArray } from './ndarray.js';
import { registerOp } from './registry.js';
import { reshape } from './shape-ops.js';
import { constInts, intAttr, intsAttr, normAxis } from './util.js';

function reducedShape(shape: readonly Dim[], axes: number[], keep: boolean): Dim[] {
  const ax = new Set(axes.map((a) => normAxis(a, shape.length)));
  const out: Dim[] = [];
  shape.forEach((d, i) => {
    if (!ax.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return out;
}

function axesOf(node: { inputs: readonly Tensor[]; attrs: Attrs }): number[] {
  return node.inputs.length > 1 ? constInts(node.inputs[1]) : intsAttr(node.attrs, 'axes', []);
}

function refReduce(
  x: NDArray,
  axes: number[],
  keep: boolean,
  init: number,
  f: (acc: number, v: number) => number,
): NDArray {
  const ax = new Set(normAxes(axes, x.shape.length));
  const keptShape = x.shape.map((d, i) => (ax.has(i) ? 1 : d));
  const out = nd(keptShape).data.fill(init);
  const ks = strides(keptShape);
  for (let k = 0; k < x.data.length; k++) {
    const c = unravel(k, x.shape);
    let o = 0;
    for (let i = 0; i < c.length; i++) if (!ax.has(i)) o += c[i] * ks[i];
    out[o] = f(out[o], x.data[k]);
  }
  return { shape: keep ? keptShape : x.shape.filter((_, i) => !ax.has(i)), data: out };
}

/** Gradient of the output reshaped to keepdims form so that it broadcasts against the input. */
function keptGrad(node: Node, gy: Tensor): Tensor {
  const x = node.inputs[0];
  if (intAttr(node.attrs, 'keepdims', 1) === 1) return gy;
  return reshape(gy, reducedShape(x.shape, axesOf(node), true));
}

registerOp({
  type: 'ReduceSum',
  shape: (xs, attrs) => [
    {
      shape: reducedShape(xs[0].shape, constInts(xs[1]), intAttr(attrs, 'keepdims', 1) === 1),
      dtype: xs[0].dtype,
    },
  ],
  grad: (node, [gy]) => [expandLike(keptGrad(node, gy!), node.inputs[0])],
  reference: (xs, attrs) => [
    refReduce(xs[0], Array.from(xs[1].data), intAttr(attrs, 'keepdims', 1) === 1, 0, (a, v) => a + v),
  ],
});

registerOp({
  type: 'ReduceMean',
  shape: (xs, attrs) => [
    {
      shape: reducedShape(xs[0].shape, intsAttr(attrs, 'axes', []), intAttr(attrs, 'keepdims', 1) === 1),
      dtype: xs[0].dtype,
    },
  ],
  grad: (node, [gy]) => {
    const x = node.inputs[0];
    const axes = axesOf(node).map((a) => normAxis(a, x.rank));
    const dims = axes.map((a) => x.shape[a]);
    // The count is static unless a symbolic axis is reduced; then it is Size(x)/Size(y) at run time.
    const count = dims.every((d) => typeof d === 'number')
      ? dims.reduce((a, b) => a * (b as number), 1)
      : div(cast(sizeOf(x), 'float32'), cast(sizeOf(node.outputs[0]), 'float32'));
    return [expandLike(div(keptGrad(node, gy!), count), x)];
  },
  reference: (xs, attrs) => {
    const axes = intsAttr(attrs, 'axes', []);
    const r = refReduce(xs[0], axes, intAttr(attrs, 'keepdims', 1) === 1, 0, (a, v) => a + v);
    const n = xs[0].data.length / r.data.length;
    r.data = r.data.map((v) => v / n);
    return [r];
  },
});

registerOp({
  type: 'ReduceMax',
  shape: (xs, attrs) => [
    {
      shape: reducedShape(xs[0].shape, intsAttr(attrs, 'axes', []), intAttr(attrs, 'keepdims', 1) === 1),
      dtype: xs[0].dtype,
    },
  ],
  grad: (node, [gy]) => {
    const x = node.inputs[0];
    const mask = cast(equal(x, keptGrad(node, node.outputs[0])), 'float32');
    // Tied maxima share the gradient equally (a subgradient of max); routing all of it to each of them
    // would multiply it by the number of ties.
    const ties = x.graph.apply1('ReduceSum', [mask, x.graph.int64(axesOf(node))], { keepdims: 1 });
    return [mul(mask, div(keptGrad(node, gy!), ties))];
  },
  reference: (xs, attrs) => [
    refReduce(xs[0], intsAttr(attrs, 'axes', []), intAttr(attrs, 'keepdims', 1) === 1, -Infinity, Math.max),
  ],
});

export const reduceSum = (x: Tensor, axes: readonly number[], keepdims = false): Tensor =>
  x.graph.apply1('ReduceSum', [x, x.graph.int64(axes)], { keepdims: keepdims ? 1 : 0 });
export const reduceMean = (x: Tensor, axes: readonly number[], keepdims = false): Tensor =>
  x.graph.apply1('ReduceMean', [x], { axes, keepdims: keepdims ? 1 : 0 });
export const reduceMax = (x: Tensor, axes: readonly number[], keepdims = false): Tensor =>
  x.graph.apply1('ReduceMax', [x], { axes, keepdims: keepdims ? 1 : 0 });
