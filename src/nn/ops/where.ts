/** Where(cond, a, b): masking. The gradient goes to a where cond holds and to b elsewhere. */
import type { Tensor } from '../graph.js';
import { lift, unbroadcast, type TensorLike } from './arith.js';
import { elementwise } from './ndarray.js';
import { registerOp } from './registry.js';
import { broadcastDims } from './util.js';

registerOp({
  type: 'Where',
  shape: ([c, a, b]) => {
    if (c.dtype !== 'bool') throw new Error(`nn: Where needs a bool condition, got ${c}`);
    return [{ shape: broadcastDims(c.shape, a.shape, b.shape), dtype: a.dtype }];
  },
  grad: (node, [gy], needs) => {
    const [c, a, b] = node.inputs;
    const zero = gy!.graph.scalar(0);
    return [
      undefined,
      needs[1] ? unbroadcast(where(c, gy!, zero), a.shape) : undefined,
      needs[2] ? unbroadcast(where(c, zero, gy!), b.shape) : undefined,
    ];
  },
  reference: (xs) => [elementwise(xs, (c, a, b) => (c !== 0 ? a : b))],
});

export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  return cond.graph.apply1('Where', [cond, lift(a, cond), lift(b, cond)]);
}
