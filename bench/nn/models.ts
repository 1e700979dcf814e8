/** Random batches and analytic FLOP counts for the benchmark models. */
import { Rng } from '../../src/core/rng.js';
import type { Cnn4Options } from '../../src/nn/zoo/cnn4.js';
import type { StringPolicyOptions } from '../../src/nn/zoo/string-policy.js';

export function cnnBatch(o: Cnn4Options, n: number, rng: Rng): { x: Float32Array; y: Int32Array } {
  const x = Float32Array.from({ length: n * o.channels * o.size * o.size }, () =>
    rng.float() < 0.3 ? 1 : 0,
  );
  const y = Int32Array.from({ length: n }, () => rng.int(o.classes));
  return { x, y };
}

export function stringBatch(
  o: StringPolicyOptions,
  n: number,
  rng: Rng,
): Record<string, Float32Array | Int32Array> {
  return {
    chars: Int32Array.from({ length: n * o.examples * o.slots * o.positions }, () => rng.int(o.vocab)),
    masks: Float32Array.from({ length: n * o.examples * o.maskRows * o.positions }, () =>
      rng.float() < 0.2 ? 1 : 0,
    ),
    last: Int32Array.from({ length: n }, () => rng.int(o.actions + 1)),
    action: Int32Array.from({ length: n }, () => rng.int(o.actions)),
    legal: Float32Array.from({ length: n * o.actions }, () => 1),
  };
}

/** Forward FLOPs (2 per multiply-add) of one image through the CNN. */
export function cnnFlops(o: Cnn4Options): number {
  let f = 0;
  let s = o.size;
  let c = o.channels;
  for (const k of o.filters) {
    const out = o.downsample === 'stride' ? Math.floor((s + 2 - 3) / 2) + 1 : s;
    f += 2 * out * out * k * c * 9;
    s = o.downsample === 'stride' ? out : Math.floor(out / 2);
    c = k;
  }
  const flat = c * s * s;
  return f + 2 * flat * o.hidden + 2 * o.hidden * o.classes;
}

/** Forward FLOPs of one state through the string policy. */
export function stringFlops(o: StringPolicyOptions): number {
  const feat = o.slots * o.charEmbed + o.maskRows;
  let f = 2 * o.positions * feat * o.conv * o.kernel;
  let w = o.positions * o.conv;
  for (let i = 0; i < o.denseLayers; i++) {
    f += 2 * w * o.growth;
    w += o.growth;
  }
  return o.examples * f + 2 * (w + o.actionEmbed) * o.actions;
}
