/**
 * The string policy of Write-Execute-Assess (REFERENCE.md §1): per example, a 20-d character embedding of
 * 4 string slots plus 7 mask rows per position, conv1d k=5 → 32, flatten, dense block 10×128; max-pool over
 * the examples, concat a 32-d embedding of the last action, linear → 482 logits (masked cross-entropy).
 */
import type { ModelDef } from '../params.js';
import { convLayer, denseBlock, embedding, linear } from '../layers.js';
import { softmaxCrossEntropy } from '../losses.js';
import * as op from '../ops/all.js';

export interface StringPolicyOptions {
  examples: number;
  positions: number;
  slots: number;
  maskRows: number;
  vocab: number;
  charEmbed: number;
  conv: number;
  kernel: number;
  denseLayers: number;
  growth: number;
  actions: number;
  actionEmbed: number;
}

export const stringPolicyPaper: StringPolicyOptions = {
  examples: 4,
  positions: 36,
  slots: 4,
  maskRows: 7,
  vocab: 97,
  charEmbed: 20,
  conv: 32,
  kernel: 5,
  denseLayers: 10,
  growth: 128,
  actions: 482,
  actionEmbed: 32,
};

export function stringPolicy(o: StringPolicyOptions = stringPolicyPaper): ModelDef {
  const { examples: E, positions: P, slots: S, maskRows: M } = o;
  return {
    name: 'string-policy',
    build(ctx) {
      const chars = ctx.input('chars', ['batch', E, S, P], 'int32');
      const masks = ctx.input('masks', ['batch', E, M, P]);
      const last = ctx.input('last', ['batch'], 'int32');
      const emb = embedding(ctx, 'char', chars, o.vocab, o.charEmbed); // [B, E, S, P, d]
      const perPos = op.reshape(op.transpose(emb, [0, 1, 3, 2, 4]), [-1, P, S * o.charEmbed]);
      const maskPos = op.reshape(op.transpose(masks, [0, 1, 3, 2]), [-1, P, M]);
      const feats = op.transpose(op.concat([perPos, maskPos], 2), [0, 2, 1]); // [B·E, features, P]
      const c = op.relu(convLayer(ctx, 'conv', feats, o.conv, [o.kernel]));
      const h = denseBlock(ctx, 'dense', op.flatten(c), o.denseLayers, o.growth); // [B·E, F]
      const F = h.shape[1] as number;
      const pooled = op.reduceMax(op.reshape(h, ['batch', E, F]), [1]);
      const body = op.concat([pooled, embedding(ctx, 'last', last, o.actions + 1, o.actionEmbed)], 1);
      const logits = linear(ctx, 'policy', body, o.actions);
      if (!ctx.training) return { outputs: { logits } };
      const action = ctx.input('action', ['batch'], 'int32');
      const legal = ctx.input('legal', ['batch', o.actions]);
      return { outputs: { logits }, loss: softmaxCrossEntropy(logits, action, legal) };
    },
  };
}
