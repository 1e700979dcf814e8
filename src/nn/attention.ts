/**
 * Attention of one query per row over a memory of T entries, with padding masks.
 *
 * - `attentionMemory(ctx, name, keys, { mask?, values?, hidden? })`: keys [B, T, Dk] with their
 *   projection W_k·k + b computed once (reuse the memory for every decoder step); values default to the
 *   keys; mask [B, T] float (1 = may attend, 0 = padding).
 * - `attend(ctx, memory, query)`: additive (Bahdanau) attention, score_t = vᵀ tanh(W_k k_t + W_q q),
 *   query [B, Dq] → { context [B, Dv], weights [B, T] }. Parameters `name.k`, `name.q`, `name.v`.
 * - `additiveAttention(ctx, name, query, keys, opts)`: both in one call.
 * - `dotAttention(query, keys, mask?)`: scaled dot-product, no parameters (query and keys both of width
 *   D), for attention over one's own past (decoder self-attention).
 *
 * A fully masked row attends uniformly (scores are −1e9, not −∞, so softmax stays finite).
 */
import type { Tensor } from './graph.js';
import { linear } from './layers.js';
import * as op from './ops/all.js';
import type { BuildContext } from './params.js';

export interface AttentionMemory {
  readonly name: string;
  readonly keys: Tensor;
  readonly values: Tensor;
  /** W_k·keys + b, [B, T, A]. */
  readonly projected: Tensor;
  readonly mask?: Tensor;
  readonly hidden: number;
}

export interface MemoryOptions {
  mask?: Tensor;
  values?: Tensor;
  /** Width A of the score layer (default: the keys' width). */
  hidden?: number;
}

export function attentionMemory(
  ctx: BuildContext,
  name: string,
  keys: Tensor,
  opts: MemoryOptions = {},
): AttentionMemory {
  const hidden = opts.hidden ?? (keys.shape[2] as number);
  return {
    name,
    keys,
    values: opts.values ?? keys,
    projected: linear(ctx, `${name}.k`, keys, hidden),
    mask: opts.mask,
    hidden,
  };
}

/** Masked softmax over the last axis of scores [B, T] (or [B, Q, T], mask [B, 1, T]). */
function maskedSoftmax(scores: Tensor, mask?: Tensor): Tensor {
  return op.softmax(mask ? op.where(op.greater(mask, 0.5), scores, -1e9) : scores, -1);
}

/** weights [B, T] · values [B, T, D] → [B, D]. */
function weighted(weights: Tensor, values: Tensor): Tensor {
  const [B, T, D] = [weights.shape[0], weights.shape[1] as number, values.shape[2] as number];
  return op.reshape(op.matmul(op.reshape(weights, [B, 1, T]), values), [B, D]);
}

export function attend(
  ctx: BuildContext,
  m: AttentionMemory,
  query: Tensor,
): { context: Tensor; weights: Tensor } {
  const [B, T] = [query.shape[0], m.keys.shape[1] as number];
  const q = op.reshape(linear(ctx, `${m.name}.q`, query, m.hidden, { bias: false }), [B, 1, m.hidden]);
  const v = ctx.param(`${m.name}.v`, [m.hidden, 1], { kind: 'glorot', fanIn: m.hidden, fanOut: 1 });
  const scores = op.reshape(op.matmul(op.tanh(op.add(m.projected, q)), v), [B, T]);
  const weights = maskedSoftmax(scores, m.mask);
  return { context: weighted(weights, m.values), weights };
}

export function additiveAttention(
  ctx: BuildContext,
  name: string,
  query: Tensor,
  keys: Tensor,
  opts: MemoryOptions = {},
): { context: Tensor; weights: Tensor } {
  return attend(ctx, attentionMemory(ctx, name, keys, opts), query);
}

/**
 * Scaled dot-product attention of query [B, D] over keys [B, T, D] (mask [B, T], 1 = attend), or of
 * several queries per key set, query [B, Q, D] → context [B, Q, D] and weights [B, Q, T] (one batched
 * MatMul each way; the keys are not copied per query).
 */
export function dotAttention(
  query: Tensor,
  keys: Tensor,
  mask?: Tensor,
): { context: Tensor; weights: Tensor } {
  const [B, T, D] = [query.shape[0], keys.shape[1] as number, keys.shape[2] as number];
  if (query.rank === 3) {
    const s = op.mul(op.matmul(query, op.swapLast(keys)), 1 / Math.sqrt(D)); // [B, Q, T]
    const weights = maskedSoftmax(s, mask && op.reshape(mask, [B, 1, -1]));
    return { context: op.matmul(weights, keys), weights };
  }
  const s = op.mul(op.reshape(op.matmul(keys, op.reshape(query, [B, D, 1])), [B, T]), 1 / Math.sqrt(D));
  const weights = maskedSoftmax(s, mask);
  return { context: weighted(weights, keys), weights };
}
