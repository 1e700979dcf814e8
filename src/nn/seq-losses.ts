/**
 * Per-example and per-sequence losses with padding masks (losses.ts has the batch-mean ones).
 *
 * - `perExampleCrossEntropy(logits [B, A], target [B] int, legal? [B, A])` → [B]: −log p(target) per row.
 * - `tokenLogProbs(logits [B, T, V], target [B, T] int, legal? [B, T, V])` → [B, T]: log p(target_t).
 * - `sequenceLoss(logits, target, mask [B, T], { legal? })` → {
 *     perSequence [B]  (summed −log p over the real tokens of each row: the sequence's NLL),
 *     loss             (scalar: total NLL / number of real tokens — the per-token mean trained on),
 *     tokenAccuracy    (scalar metric: fraction of real tokens whose argmax is the target),
 *     sequenceAccuracy (scalar metric: fraction of rows with every real token right) }.
 * Padding positions (mask 0) add nothing to loss or gradient, whatever their targets hold.
 */
import type { Tensor } from './graph.js';
import { maskLogits, oneHot } from './losses.js';
import * as op from './ops/all.js';

function targetLogProb(logits: Tensor, target: Tensor, legal?: Tensor): Tensor {
  const z = legal ? maskLogits(logits, legal) : logits;
  const lp = op.logSoftmax(z, -1);
  const V = logits.shape[logits.rank - 1] as number;
  return op.reduceSum(op.mul(oneHot(target, V), lp), [lp.rank - 1]);
}

export function perExampleCrossEntropy(logits: Tensor, target: Tensor, legal?: Tensor): Tensor {
  return op.neg(targetLogProb(logits, target, legal));
}

export function tokenLogProbs(logits: Tensor, target: Tensor, legal?: Tensor): Tensor {
  return targetLogProb(logits, target, legal);
}

export interface SequenceLoss {
  perSequence: Tensor;
  loss: Tensor;
  tokenAccuracy: Tensor;
  sequenceAccuracy: Tensor;
}

export function sequenceLoss(
  logits: Tensor,
  target: Tensor,
  mask: Tensor,
  opts: { legal?: Tensor } = {},
): SequenceLoss {
  const nll = op.mul(op.neg(targetLogProb(logits, target, opts.legal)), mask); // [B, T]
  const perSequence = op.reduceSum(nll, [1]);
  const tokens = op.add(op.reduceSum(mask, [0, 1]), 1e-9);
  const loss = op.div(op.reduceSum(perSequence, [0]), tokens);
  // Metrics: a token is right when its target logit is the row's maximum.
  const V = logits.shape[2] as number;
  const z = opts.legal ? maskLogits(logits, opts.legal) : logits;
  const isMax = op.cast(op.equal(z, op.reduceMax(z, [2], true)), 'float32');
  const hit = op.cast(op.greater(op.reduceSum(op.mul(oneHot(target, V), isMax), [2]), 0.5), 'float32');
  const right = op.stopGradient(op.mul(hit, mask));
  const tokenAccuracy = op.div(op.reduceSum(right, [0, 1]), tokens);
  const wrong = op.reduceSum(op.sub(mask, right), [1]); // [B]: real tokens missed
  const sequenceAccuracy = op.reduceMean(op.cast(op.greater(op.neg(wrong), -0.5), 'float32'), [0]);
  return { perSequence, loss, tokenAccuracy, sequenceAccuracy };
}
