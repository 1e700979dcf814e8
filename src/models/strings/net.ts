/**
 * The strings policy/value network (REFERENCE.md §1, after the paper's ROBUT model): per example and
 * position, a character embedding of the 4 string slots plus the 7 mask rows → conv1d → flatten → dense
 * block; max-pool over the (present) examples; concat an embedding of the last action type; a linear
 * policy head over all actions and a small value head (a logit of eventual success). One body serves
 * both heads, so a search gets π and v from one forward pass.
 */
import { convLayer, denseBlock, embedding, linear, op, type ModelDef, type Tensor } from '../../nn/build.js';

export interface StringsNetOptions {
  readonly examples: number;
  readonly window: number;
  readonly slots: number;
  readonly maskRows: number;
  readonly vocab: number;
  readonly actionTypes: number;
  readonly actions: number;
  readonly charEmbed: number;
  readonly conv: number;
  readonly kernel: number;
  readonly denseLayers: number;
  readonly growth: number;
  readonly actionEmbed: number;
  readonly valueHidden: number;
}

/** Paper sizes where the 2-core CPU allows; see models/strings/MODEL_CARD.md for the choice. */
export const defaultStringsNetOptions: Omit<StringsNetOptions, 'actions' | 'actionTypes' | 'vocab'> = {
  examples: 4,
  window: 36,
  slots: 4,
  maskRows: 7,
  charEmbed: 20,
  conv: 32,
  kernel: 5,
  denseLayers: 10,
  growth: 128,
  actionEmbed: 32,
  valueHidden: 64,
};

function weightedMean(values: Tensor, weights: Tensor): Tensor {
  return op.div(op.reduceSum(op.mul(values, weights), [0]), op.add(op.reduceSum(weights, [0]), 1e-6));
}

export function stringsNet(o: StringsNetOptions): ModelDef {
  const { examples: E, window: W, slots: S, maskRows: M } = o;
  return {
    name: 'strings-policy-value',
    build(ctx) {
      const chars = ctx.input('chars', ['batch', E, S, W], 'int32');
      const masks = ctx.input('masks', ['batch', E, M, W]);
      const last = ctx.input('lastAction', ['batch', 1], 'int32');
      const exampleMask = ctx.input('exampleMask', ['batch', E]);
      const emb = embedding(ctx, 'char', chars, o.vocab, o.charEmbed); // [B, E, S, W, d]
      const perPos = op.reshape(op.transpose(emb, [0, 1, 3, 2, 4]), [-1, W, S * o.charEmbed]);
      const maskPos = op.reshape(op.transpose(masks, [0, 1, 3, 2]), [-1, W, M]);
      const feats = op.transpose(op.concat([perPos, maskPos], 2), [0, 2, 1]); // [B·E, features, W]
      const c = op.relu(convLayer(ctx, 'conv', feats, o.conv, [o.kernel]));
      const h = denseBlock(ctx, 'dense', op.flatten(c), o.denseLayers, o.growth);
      const F = h.shape[1] as number;
      // Absent examples (fewer than E given) must never win the max: push them far down.
      const absent = op.mul(op.sub(op.reshape(exampleMask, ['batch', E, 1]), 1), 1e4);
      const pooled = op.reduceMax(op.add(op.reshape(h, ['batch', E, F]), absent), [1]);
      const lastEmb = op.reshape(embedding(ctx, 'last', last, o.actionTypes + 1, o.actionEmbed), [
        -1,
        o.actionEmbed,
      ]);
      const body = op.concat([pooled, lastEmb], 1);
      const logits = linear(ctx, 'policy', body, o.actions);
      // The value head reads the policy body without reshaping it: value batches (mostly failures)
      // trained through a shared body wrecked the policy in an RL run (next-action accuracy 73 % → 40 %).
      const vh = op.relu(linear(ctx, 'value.0', op.stopGradient(body), o.valueHidden, { init: 'he' }));
      const valueLogit = op.reshape(linear(ctx, 'value.1', vh, 1), [-1]);
      if (!ctx.training) return { outputs: { logits, valueLogit } };

      // Training: one graph for both heads; per-example weights select which loss an example feeds.
      const action = ctx.input('action', ['batch'], 'int32');
      const legal = ctx.input('legal', ['batch', o.actions]);
      const policyWeight = ctx.input('policyWeight', ['batch']);
      const valueTarget = ctx.input('valueTarget', ['batch']);
      const valueWeight = ctx.input('valueWeight', ['batch']);
      const lp = op.logSoftmax(op.where(op.greater(legal, 0.5), logits, -1e9), -1);
      const target = op.cast(
        op.equal(
          op.reshape(action, ['batch', 1]),
          ctx.graph.constant(
            Int32Array.from({ length: o.actions }, (_, i) => i),
            [o.actions],
          ),
        ),
        'float32',
      );
      const nll = op.neg(op.reduceSum(op.mul(target, lp), [1]));
      const policyLoss = weightedMean(nll, policyWeight);
      const bce = op.sub(op.softplus(valueLogit), op.mul(valueTarget, valueLogit));
      const valueLoss = weightedMean(bce, valueWeight);
      const best = op.cast(op.equal(lp, op.reduceMax(lp, [1], true)), 'float32');
      const hit = op.cast(op.greater(op.reduceSum(op.mul(best, target), [1]), 0.5), 'float32');
      const valueHit = op.cast(
        op.equal(op.cast(op.greater(valueLogit, 0), 'float32'), valueTarget),
        'float32',
      );
      return {
        outputs: { logits, valueLogit },
        loss: op.add(policyLoss, valueLoss),
        metrics: {
          policyLoss,
          valueLoss,
          policyAccuracy: weightedMean(hit, policyWeight),
          valueAccuracy: weightedMean(valueHit, valueWeight),
        },
      };
    },
  };
}
