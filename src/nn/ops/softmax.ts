/** Softmax and LogSoftmax along one axis (opset 13 semantics). */
import type { Tensor } from '../graph.js';
import { mul, sub } from './arith.js';
import { exp } from './activations.js';
import { nd, strides } from './ndarray.js';
import type { NDArray } from './ndarray.js';
import { registerOp } from './registry.js';
import { reduceSum } from './reduce.js';
import { intAttr } from './util.js';

function refSoftmax(x: NDArray, axis0: number, logOut: boolean): NDArray {
  const axis = axis0 < 0 ? axis0 + x.shape.length : axis0;
  const out = nd(x.shape);
  const n = x.shape[axis];
  const st = strides(x.shape)[axis];
  for (let base = 0; base < x.data.length; base++) {
    if (Math.floor(base / st) % n !== 0) continue;
    let m = -Infinity;
    for (let i = 0; i < n; i++) m = Math.max(m, x.data[base + i * st]);
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.exp(x.data[base + i * st] - m);
    for (let i = 0; i < n; i++) {
      const v = x.data[base + i * st] - m;
      out.data[base + i * st] = logOut ? v - Math.log(s) : Math.exp(v) / s;
    }
  }
  return out;
}

registerOp({
  type: 'Softmax',
  shape: ([x]) => [{ shape: x.shape, dtype: 'float32' }],
  grad: (node, [gy]) => {
    const y = node.outputs[0];
    const axis = intAttr(node.attrs, 'axis', -1);
    return [mul(y, sub(gy!, reduceSum(mul(gy!, y), [axis], true)))];
  },
  reference: ([x], attrs) => [refSoftmax(x, intAttr(attrs, 'axis', -1), false)],
});

registerOp({
  type: 'LogSoftmax',
  shape: ([x]) => [{ shape: x.shape, dtype: 'float32' }],
  grad: (node, [gy]) => {
    const y = node.outputs[0];
    const axis = intAttr(node.attrs, 'axis', -1);
    return [sub(gy!, mul(exp(y), reduceSum(gy!, [axis], true)))];
  },
  reference: ([x], attrs) => [refSoftmax(x, intAttr(attrs, 'axis', -1), true)],
});

export const softmax = (x: Tensor, axis = -1): Tensor => x.graph.apply1('Softmax', [x], { axis });
export const logSoftmax = (x: Tensor, axis = -1): Tensor => x.graph.apply1('LogSoftmax', [x], { axis });
