/**
 * The decoder both CAD line networks share, on object and spec encodings: a context from the spec and
 * the masked max over objects; the line type and every argument head from it; for union/diff two
 * pointers by additive attention over the objects (the second for every first, [K, K] per operator);
 * the value behind a StopGradient. Plus the loss pieces both training graphs use.
 */
import { linear, oneHot, op, type BuildContext, type Dim, type Tensor } from '../nn/build.js';

/** The sizes of the network both models declare (each adds its encoder's). */
export interface CsgNetOptions {
  /** Canvas or volume side (tests use tiny sizes). */
  readonly size: number;
  /** Objects in scope at most (pointer slots). */
  readonly maxObjects: number;
  /** Filters of the convs, and each conv's stride. */
  readonly filters: readonly number[];
  readonly strides: readonly number[];
  /** Width of an object (and the spec) encoding. */
  readonly hidden: number;
  /** Width of the decoder context. */
  readonly context: number;
  /** Width of the additive attention of the pointers. */
  readonly attention: number;
  readonly valueHidden: number;
}

export interface HeadOutputs {
  typeLogits: Tensor; // [B, 5]
  args: Tensor; // [B, ARG_COLUMNS]
  ptrA: Tensor; // [B, 2, K]
  ptrB: Tensor; // [B, 2, K, K] (first pointer, second pointer)
  valueZ: Tensor; // [B]; −log v = softplus(z)
}

/**
 * The decoder on encodings: specEnc [B, H], objEnc [B, K, H] (≥ 0), mask [B, K]; B is `bd`, with
 * `lineTypes` type logits and `argColumns` argument logits.
 */
export function csgHeads(
  ctx: BuildContext,
  specEnc: Tensor,
  objEnc: Tensor,
  mask: Tensor,
  o: CsgNetOptions,
  bd: Dim,
  sizes: { readonly lineTypes: number; readonly argColumns: number },
): HeadOutputs {
  const K = o.maxObjects;
  const A = o.attention;
  // Encodings are ReLU outputs (≥ 0): absent slots pushed below 0 and a final ReLU give a masked max
  // that is exactly 0 when the scope is empty.
  const absent = op.mul(op.sub(op.reshape(mask, [bd, K, 1]), 1), 1e4);
  const pooled = op.relu(op.reduceMax(op.add(objEnc, absent), [1]));
  const used = op.div(op.reduceSum(mask, [1], true), K);
  const c = op.relu(linear(ctx, 'context', op.concat([specEnc, pooled, used], 1), o.context, { init: 'he' }));
  const typeLogits = linear(ctx, 'type', c, sizes.lineTypes);
  const args = linear(ctx, 'args', c, sizes.argColumns);
  // Additive attention: score(a) = v · tanh(W_k o_a + W_q c_op).
  const key = op.reshape(linear(ctx, 'ptr.key', objEnc, A), [bd, 1, K, A]);
  const query = op.reshape(linear(ctx, 'ptr.query', c, 2 * A), [bd, 2, 1, A]);
  const ptrA = op.reshape(linear(ctx, 'ptr.v', op.tanh(op.add(key, query)), 1, { bias: false }), [bd, 2, K]);
  // Second pointer, for every first pointer a: v2 · tanh(W_k2 o_b + W_f o_a + W_q2 c_op).
  const key2 = op.reshape(linear(ctx, 'ptr2.key', objEnc, A), [bd, 1, 1, K, A]);
  const first = op.reshape(linear(ctx, 'ptr2.first', objEnc, A, { bias: false }), [bd, 1, K, 1, A]);
  const query2 = op.reshape(linear(ctx, 'ptr2.query', c, 2 * A), [bd, 2, 1, 1, A]);
  const e2 = op.tanh(op.add(op.add(key2, first), query2));
  const ptrB = op.reshape(linear(ctx, 'ptr2.v', e2, 1, { bias: false }), [bd, 2, K, K]);
  // Through a StopGradient: value batches trained through the shared body wrecked the strings policy.
  const vh = op.relu(linear(ctx, 'value.0', op.stopGradient(c), o.valueHidden, { init: 'he' }));
  const valueZ = op.reshape(linear(ctx, 'value.1', vh, 1), [bd]);
  return { typeLogits, args, ptrA, ptrB, valueZ };
}

export function weightedMean(values: Tensor, weights: Tensor): Tensor {
  return op.div(op.reduceSum(op.mul(values, weights), [0]), op.add(op.reduceSum(weights, [0]), 1e-6));
}

/** NLL [B] and argmax hit [B] (0/1) of integer targets [B] under logits [B, C] (mask: 1 = allowed). */
export function nllHit(logits: Tensor, target: Tensor, mask?: Tensor): { nll: Tensor; hit: Tensor } {
  const z = mask ? op.where(op.greater(mask, 0.5), logits, -1e9) : logits;
  const lp = op.logSoftmax(z, -1);
  const t = oneHot(target, logits.shape[1] as number);
  const nll = op.neg(op.reduceSum(op.mul(t, lp), [1]));
  const best = op.cast(op.equal(lp, op.reduceMax(lp, [1], true)), 'float32');
  const hit = op.cast(op.greater(op.reduceSum(op.mul(best, t), [1]), 0.5), 'float32');
  return { nll, hit };
}
