/**
 * Adam / AdamW on Float32Arrays in place, with global-norm gradient clipping and learning-rate schedules.
 * Runs in JS: ORT returns the gradients anyway, and keeping the update here makes resumption exact.
 */

export type Schedule =
  | { kind: 'constant' }
  | { kind: 'cosine'; totalSteps: number; warmup?: number; minFactor?: number }
  | { kind: 'step'; every: number; gamma: number; warmup?: number }
  | { kind: 'linear'; totalSteps: number; warmup?: number; minFactor?: number };

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay (AdamW), applied to parameters of rank ≥ 2 only (not biases, gains). */
  weightDecay: number;
  /** Clip the global gradient norm to this value (0 = off). */
  clipNorm: number;
  schedule: Schedule;
}

export const defaultAdamOptions: AdamOptions = {
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  clipNorm: 0,
  schedule: { kind: 'constant' },
};

/** Learning-rate multiplier at 1-based step t. */
export function scheduleFactor(s: Schedule, t: number): number {
  const warm = 'warmup' in s && s.warmup ? s.warmup : 0;
  if (warm > 0 && t <= warm) return t / warm;
  switch (s.kind) {
    case 'constant':
      return 1;
    case 'step':
      return Math.pow(s.gamma, Math.floor((t - warm) / s.every));
    case 'cosine': {
      const p = Math.min(1, (t - warm) / Math.max(1, s.totalSteps - warm));
      const m = s.minFactor ?? 0;
      return m + (1 - m) * 0.5 * (1 + Math.cos(Math.PI * p));
    }
    case 'linear': {
      const p = Math.min(1, (t - warm) / Math.max(1, s.totalSteps - warm));
      const m = s.minFactor ?? 0;
      return 1 - (1 - m) * p;
    }
  }
}

export interface AdamSlot {
  param: Float32Array;
  grad: Float32Array;
  m: Float32Array;
  v: Float32Array;
  decay: boolean;
}

export function globalNorm(grads: readonly Float32Array[]): number {
  let s = 0;
  for (const g of grads) {
    // Four partial sums: independent chains the CPU overlaps.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const n = g.length & ~3;
    for (let i = 0; i < n; i += 4) {
      s0 += g[i] * g[i];
      s1 += g[i + 1] * g[i + 1];
      s2 += g[i + 2] * g[i + 2];
      s3 += g[i + 3] * g[i + 3];
    }
    for (let i = n; i < g.length; i++) s0 += g[i] * g[i];
    s += s0 + s1 + s2 + s3;
  }
  return Math.sqrt(s);
}

/** One Adam step number `t` (1-based). Returns the learning rate used and the pre-clip gradient norm. */
export function adamStep(
  slots: readonly AdamSlot[],
  t: number,
  o: AdamOptions,
): { lr: number; gradNorm: number } {
  const gradNorm = globalNorm(slots.map((s) => s.grad));
  const scale = o.clipNorm > 0 && gradNorm > o.clipNorm ? o.clipNorm / gradNorm : 1;
  const lr = o.lr * scheduleFactor(o.schedule, t);
  const bc1 = 1 - Math.pow(o.beta1, t);
  const bc2 = 1 - Math.pow(o.beta2, t);
  const { beta1: b1, beta2: b2, eps } = o;
  // Constants hoisted out of the loop: one multiply-add chain, one sqrt and one division per weight.
  const a1 = (1 - b1) * scale;
  const a2 = (1 - b2) * scale * scale;
  const stepSize = lr / bc1;
  const invBc2 = 1 / bc2;
  for (const s of slots) {
    const { param: p, grad: g, m, v } = s;
    const keep = 1 - (s.decay ? lr * o.weightDecay : 0);
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = b1 * m[i] + a1 * gi;
      const vi = b2 * v[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i] * keep - (stepSize * mi) / (Math.sqrt(vi * invBc2) + eps);
    }
  }
  return { lr, gradNorm };
}
