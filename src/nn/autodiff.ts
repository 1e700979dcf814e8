/**
 * Reverse-mode autodiff over the graph: walks the nodes that lead to a scalar loss backwards and asks each
 * op's gradient rule (the table in ops/registry.ts) to emit ONNX ops for its input gradients. Only
 * tensors that depend on a `wrt` tensor get gradients, so data inputs cost nothing.
 */
import { type Tensor, isStatic, nodesFor } from './graph.js';
import { add } from './ops/arith.js';
import { getOp } from './ops/registry.js';
import './ops/all.js';

export function gradients(loss: Tensor, wrt: readonly Tensor[]): Tensor[] {
  const g = loss.graph;
  if (!isStatic(loss.shape) || loss.shape.some((d) => d !== 1))
    throw new Error(`nn: gradients need a scalar loss, got ${loss}`);
  const nodes = nodesFor([loss]);
  const active = new Set<number>(wrt.map((t) => t.id));
  for (const n of nodes)
    if (n.inputs.some((t) => active.has(t.id)))
      n.outputs.forEach((t) => t.dtype === 'float32' && active.add(t.id));
  const acc = new Map<number, Tensor>();
  const accumulate = (t: Tensor, gt: Tensor) => {
    const prev = acc.get(t.id);
    acc.set(t.id, prev ? add(prev, gt) : gt);
  };
  accumulate(loss, g.constant(new Float32Array([1]), loss.shape as number[]));
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    const needs = n.inputs.map((t) => active.has(t.id) && t.dtype === 'float32');
    if (!needs.some(Boolean)) continue;
    const gys = n.outputs.map((t) => acc.get(t.id));
    if (gys.every((x) => x === undefined)) continue;
    const def = getOp(n.op);
    if (!def.grad)
      throw new Error(`nn: op ${n.op} has no gradient rule but lies between the loss and a parameter`);
    // Rules may assume every output gradient exists; fill missing ones with zeros of the output's shape.
    const filled = gys.map((x, j) => x ?? zerosLike(n.outputs[j]));
    const gxs = def.grad(n, filled, needs);
    n.inputs.forEach((t, j) => {
      const gx = gxs[j];
      if (needs[j] && gx) accumulate(t, gx);
    });
  }
  return wrt.map((t) => acc.get(t.id) ?? zerosLike(t));
}

function zerosLike(t: Tensor): Tensor {
  if (!isStatic(t.shape)) throw new Error(`nn: no gradient flows to ${t} and its shape is symbolic`);
  return t.graph.constant(new Float32Array(t.shape.reduce((a, b) => a * b, 1)), t.shape);
}
