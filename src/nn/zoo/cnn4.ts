/**
 * The 4-conv CNN of the neural-engine benchmark (and a small CAD-like encoder): [N, C, H, W] images,
 * four 3×3 convs with ReLU, each followed by 2×2 max-pooling (or replaced by stride 2), a dense layer and
 * a softmax classifier trained with cross-entropy.
 */
import type { ModelDef } from '../params.js';
import { convLayer, linear } from '../layers.js';
import { accuracy, softmaxCrossEntropy } from '../losses.js';
import * as op from '../ops/all.js';

export interface Cnn4Options {
  channels: number;
  size: number;
  filters: number[];
  hidden: number;
  classes: number;
  /** 'max': conv then 2×2 max-pool; 'stride': stride-2 convs. */
  downsample: 'max' | 'stride';
}

export const cnn4Bench: Cnn4Options = {
  channels: 2,
  size: 64,
  filters: [32, 32, 32, 32],
  hidden: 256,
  classes: 100,
  downsample: 'max',
};

export function cnn4(o: Cnn4Options = cnn4Bench): ModelDef {
  return {
    name: 'cnn4',
    build(ctx) {
      let h = ctx.input('x', ['batch', o.channels, o.size, o.size]);
      o.filters.forEach((f, i) => {
        if (o.downsample === 'stride')
          h = op.relu(convLayer(ctx, `conv${i}`, h, f, [3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] }));
        else h = op.maxPool(op.relu(convLayer(ctx, `conv${i}`, h, f, [3, 3])), [2, 2]);
      });
      const z = op.relu(linear(ctx, 'fc', op.flatten(h), o.hidden, { init: 'he' }));
      const logits = linear(ctx, 'out', z, o.classes);
      if (!ctx.training) return { outputs: { logits } };
      const y = ctx.input('y', ['batch'], 'int32');
      return {
        outputs: { logits },
        loss: softmaxCrossEntropy(logits, y),
        metrics: { accuracy: accuracy(logits, y) },
      };
    },
  };
}
