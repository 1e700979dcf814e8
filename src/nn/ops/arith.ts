/** Broadcasting Add, Sub, Mul, Div and Neg. Gradients sum over broadcast axes (unbroadcast). */
import type { Node, Shape, Tensor } from '../graph.js';
import { elementwise } from './ndarray.js';
import { registerOp, type OpDef } from './registry.js';
import { reduceSum } from './reduce.js';
import { reshape } from './shape-ops.js';
import { broadcastDims } from './util.js';

export type TensorLike = Tensor | number;

export function lift(x: TensorLike, like: Tensor): Tensor {
  return typeof x === 'number' ? like.graph.scalar(x) : x;
}

function anchor(a: TensorLike, b: TensorLike): Tensor {
  if (typeof a !== 'number') return a;
  if (typeof b !== 'number') return b;
  throw new Error('nn: a binary op needs at least one tensor');
}

/** Sums `g` (shaped like the broadcast output) down to `shape`. */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  const r = g.rank;
  const off = r - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < r; i++) {
    if (i < off) axes.push(i);
    else if (shape[i - off] === 1 && g.shape[i] !== 1) axes.push(i);
  }
  if (axes.length === 0) return g;
  const s = reduceSum(g, axes, true);
  return off > 0 ? reshape(s, shape) : s;
}

const binaryShape = (inputs: readonly Tensor[]) => {
  if (inputs[0].dtype !== inputs[1].dtype) throw new Error(`nn: dtype mismatch ${inputs[0]} vs ${inputs[1]}`);
  return [{ shape: broadcastDims(inputs[0].shape, inputs[1].shape), dtype: inputs[0].dtype }];
};

function binaryOp(type: string, f: (a: number, b: number) => number, grad: OpDef['grad']): OpDef {
  return registerOp({ type, shape: binaryShape, grad, reference: (xs) => [elementwise(xs, f)] });
}

export const addOp = binaryOp(
  'Add',
  (a, b) => a + b,
  (node, [gy], needs) => [
    needs[0] ? unbroadcast(gy!, node.inputs[0].shape) : undefined,
    needs[1] ? unbroadcast(gy!, node.inputs[1].shape) : undefined,
  ],
);

export const subOp = binaryOp(
  'Sub',
  (a, b) => a - b,
  (node, [gy], needs) => [
    needs[0] ? unbroadcast(gy!, node.inputs[0].shape) : undefined,
    needs[1] ? unbroadcast(neg(gy!), node.inputs[1].shape) : undefined,
  ],
);

export const mulOp = binaryOp(
  'Mul',
  (a, b) => a * b,
  (node: Node, [gy], needs) => {
    const [a, b] = node.inputs;
    return [
      needs[0] ? unbroadcast(mul(gy!, b), a.shape) : undefined,
      needs[1] ? unbroadcast(mul(gy!, a), b.shape) : undefined,
    ];
  },
);

export const divOp = binaryOp(
  'Div',
  (a, b) => a / b,
  (node: Node, [gy], needs) => {
    const [a, b] = node.inputs;
    const y = node.outputs[0];
    return [
      needs[0] ? unbroadcast(div(gy!, b), a.shape) : undefined,
      needs[1] ? unbroadcast(neg(div(mul(gy!, y), b)), b.shape) : undefined,
    ];
  },
);

export const negOp = registerOp({
  type: 'Neg',
  shape: (xs) => [{ shape: xs[0].shape, dtype: xs[0].dtype }],
  grad: (_n, [gy]) => [neg(gy!)],
  reference: (xs) => [elementwise(xs, (a) => -a)],
});

function binary(type: string, a: TensorLike, b: TensorLike): Tensor {
  const t = anchor(a, b);
  return t.graph.apply1(type, [lift(a, t), lift(b, t)]);
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('Add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('Sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('Mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('Div', a, b);
export const neg = (x: Tensor): Tensor => x.graph.apply1('Neg', [x]);
