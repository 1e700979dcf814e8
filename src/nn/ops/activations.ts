/**
 * Elementwise activations. Backward formulas use the forward output where possible (Sigmoid, Tanh, Exp)
 * and ReLU's backward is Greater+Cast+Mul, which ORT runs much faster than Sign.
 */
import type { Tensor } from '../graph.js';
import { div, mul, sub } from './arith.js';
import { cast, greater } from './compare.js';
import { elementwise } from './ndarray.js';
import { registerOp, type OpDef } from './registry.js';

function unary(type: string, f: (x: number) => number, grad: OpDef['grad']): OpDef {
  return registerOp({
    type,
    shape: (xs) => {
      if (xs[0].dtype !== 'float32') throw new Error(`nn: ${type} needs float32, got ${xs[0]}`);
      return [{ shape: xs[0].shape, dtype: 'float32' }];
    },
    grad,
    reference: (xs) => [elementwise(xs, f)],
  });
}

export const reluOp = unary(
  'Relu',
  (x) => Math.max(0, x),
  (n, [gy]) => [mul(gy!, cast(greater(n.outputs[0], 0), 'float32'))],
);

const sig = (x: number) => 1 / (1 + Math.exp(-x));
export const sigmoidOp = unary('Sigmoid', sig, (n, [gy]) => {
  const y = n.outputs[0];
  return [mul(gy!, mul(y, sub(1, y)))];
});

export const tanhOp = unary('Tanh', Math.tanh, (n, [gy]) => {
  const y = n.outputs[0];
  return [mul(gy!, sub(1, mul(y, y)))];
});

export const softplusOp = unary(
  'Softplus',
  (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  (n, [gy]) => [mul(gy!, sigmoid(n.inputs[0]))],
);

export const expOp = unary('Exp', Math.exp, (n, [gy]) => [mul(gy!, n.outputs[0])]);
export const logOp = unary('Log', Math.log, (n, [gy]) => [div(gy!, n.inputs[0])]);
export const sqrtOp = unary('Sqrt', Math.sqrt, (n, [gy]) => [div(mul(gy!, 0.5), n.outputs[0])]);

export const relu = (x: Tensor): Tensor => x.graph.apply1('Relu', [x]);
export const sigmoid = (x: Tensor): Tensor => x.graph.apply1('Sigmoid', [x]);
export const tanh = (x: Tensor): Tensor => x.graph.apply1('Tanh', [x]);
export const softplus = (x: Tensor): Tensor => x.graph.apply1('Softplus', [x]);
export const exp = (x: Tensor): Tensor => x.graph.apply1('Exp', [x]);
export const log = (x: Tensor): Tensor => x.graph.apply1('Log', [x]);
export const sqrt = (x: Tensor): Tensor => x.graph.apply1('Sqrt', [x]);
