/** Losses composed from primitive ops (their gradients come from the ops' rules). All return batch means. */
import type { Tensor } from './graph.js';
import * as op from './ops/all.js';

/** Masks illegal entries to a large negative logit (mask: float 1 = legal, 0 = illegal). */
export function maskLogits(logits: Tensor, mask: Tensor): Tensor {
  return op.where(op.greater(mask, 0.5), logits, -1e9);
}

/**
 * Softmax cross-entropy of logits [B, A] against integer targets [B] (int32) or target distributions
 * [B, A]; with a mask, illegal actions get probability 0 and no gradient.
 */
export function softmaxCrossEntropy(logits: Tensor, target: Tensor, mask?: Tensor): Tensor {
  const z = mask ? maskLogits(logits, mask) : logits;
  const lp = op.logSoftmax(z, -1);
  const A = logits.shape[logits.rank - 1] as number;
  const dist = target.dtype === 'float32' ? target : oneHot(target, A);
  // Where the target is 0, a masked log-prob of -1e9 must not leak in: 0 · -1e9 = 0 in float32, fine.
  return op.neg(op.reduceMean(op.reduceSum(op.mul(dist, lp), [-1 + lp.rank]), [0]));
}

export function oneHot(ids: Tensor, depth: number): Tensor {
  const g = ids.graph;
  const range =
    ids.dtype === 'int64'
      ? g.constant(
          BigInt64Array.from({ length: depth }, (_, i) => BigInt(i)),
          [depth],
        )
      : g.constant(
          Int32Array.from({ length: depth }, (_, i) => i),
          [depth],
        );
  return op.cast(op.equal(op.reshape(ids, [...ids.shape, 1]), range), 'float32');
}

/** Binary cross-entropy with logits: mean of softplus(z) − t·z (stable for large |z|). */
export function binaryCrossEntropyWithLogits(z: Tensor, t: Tensor): Tensor {
  return op.reduceMean(op.sub(op.softplus(z), op.mul(t, z)), [...z.shape.keys()]);
}

export function meanSquaredError(a: Tensor, b: Tensor): Tensor {
  const d = op.sub(a, b);
  return op.reduceMean(op.mul(d, d), [...a.shape.keys()]);
}

/** Fraction of rows whose argmax equals the integer target (a metric; not differentiable). */
export function accuracy(logits: Tensor, target: Tensor): Tensor {
  const A = logits.shape[logits.rank - 1] as number;
  const hit = op.reduceSum(
    op.mul(oneHot(target, A), op.cast(op.equal(logits, op.reduceMax(logits, [-1], true)), 'float32')),
    [-1],
  );
  return op.reduceMean(op.cast(op.greater(hit, 0.5), 'float32'), [0]);
}
