/** Small models and random batches shared by the nn tests (kept tiny so float64 references stay fast). */
import { Rng } from '../core/rng.js';
import type { FeedArray } from './runtime.js';
import { type Cnn4Options, cnn4 } from './zoo/cnn4.js';
import { type StringPolicyOptions, stringPolicy } from './zoo/string-policy.js';
import type { ModelDef } from './params.js';

export const tinyCnn: Cnn4Options = {
  channels: 2,
  size: 8,
  filters: [3, 4],
  hidden: 6,
  classes: 5,
  downsample: 'max',
};
export const tinyString: StringPolicyOptions = {
  examples: 2,
  positions: 6,
  slots: 2,
  maskRows: 2,
  vocab: 7,
  charEmbed: 3,
  conv: 4,
  kernel: 3,
  denseLayers: 2,
  growth: 5,
  actions: 9,
  actionEmbed: 3,
};

export const tinyCnnModel = (o: Partial<Cnn4Options> = {}): ModelDef => cnn4({ ...tinyCnn, ...o });
export const tinyStringModel = (): ModelDef => stringPolicy(tinyString);

export function tinyCnnBatch(n: number, rng: Rng, o: Cnn4Options = tinyCnn): Record<string, FeedArray> {
  return {
    x: Float32Array.from({ length: n * o.channels * o.size * o.size }, () => rng.normal()),
    y: Int32Array.from({ length: n }, () => rng.int(o.classes)),
  };
}

export function tinyStringBatch(
  n: number,
  rng: Rng,
  o: StringPolicyOptions = tinyString,
): Record<string, FeedArray> {
  const action = Int32Array.from({ length: n }, () => rng.int(o.actions));
  const legal = Float32Array.from({ length: n * o.actions }, () => (rng.float() < 0.7 ? 1 : 0));
  for (let i = 0; i < n; i++) legal[i * o.actions + action[i]] = 1;
  return {
    chars: Int32Array.from({ length: n * o.examples * o.slots * o.positions }, () => rng.int(o.vocab)),
    masks: Float32Array.from({ length: n * o.examples * o.maskRows * o.positions }, () => rng.int(2)),
    last: Int32Array.from({ length: n }, () => rng.int(o.actions + 1)),
    action,
    // Every state has its target legal and some illegal actions.
    legal,
  };
}
