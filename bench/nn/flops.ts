/**
 * FLOP counts of a network's training step, read off its graph: every Conv, MatMul and Gemm of the
 * forward pass counts 2 FLOPs per multiply-add, once for the forward, once more for its weight gradient
 * and once more for its input gradient, each only when that gradient is needed (the first layer's input
 * gradient is not). Elementwise work is not counted (it is memory-bound, not FLOP-bound).
 */
import {
  BuildContext,
  ParamStore,
  concreteShape,
  nodesFor,
  type ModelDef,
  type Node,
} from '../../src/nn/index.js';

function nodeFlops(n: Node, batch: number): number {
  const dims = (i: number) => concreteShape(n.inputs[i].shape, batch);
  const out = concreteShape(n.outputs[0].shape, batch);
  const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  switch (n.op) {
    case 'Conv': {
      const w = dims(1);
      return 2 * prod(out) * prod(w.slice(1));
    }
    case 'MatMul': {
      const a = dims(0);
      return 2 * prod(out) * a[a.length - 1];
    }
    case 'Gemm': {
      const a = dims(0);
      return 2 * prod(out) * (n.attrs.transA === 1 ? a[0] : a[1]);
    }
    default:
      return 0;
  }
}

/** Forward and training-step FLOPs for `batch` examples. */
export function trainingFlops(def: ModelDef, batch: number): { forward: number; train: number } {
  const ctx = new BuildContext(new ParamStore(), true);
  const built = def.build(ctx);
  const active = new Set<number>([...ctx.params.values()].map((t) => t.id));
  let forward = 0;
  let train = 0;
  for (const n of nodesFor([built.loss!])) {
    const needs = n.inputs.map((t) => active.has(t.id));
    if (needs.some(Boolean)) n.outputs.forEach((t) => t.dtype === 'float32' && active.add(t.id));
    const f = nodeFlops(n, batch);
    forward += f;
    train += f * (1 + (needs[0] ? 1 : 0) + (needs[1] ? 1 : 0));
  }
  return { forward, train };
}
