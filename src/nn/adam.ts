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
  for (const g of grads) for (let i = 0; i < g.length; i++) s += g[i] * g[i];
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
  for (const s of slots) {
    const { param: p, grad: g, m, v } = s;
    const wd = s.decay ? lr * o.weightDecay : 0;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] * scale;
      const mi = (m[i] = b1 * m[i] + (1 - b1) * gi);
      const vi = (v[i] = b2 * v[i] + (1 - b2) * gi * gi);
      p[i] = p[i] - lr * (mi / bc1 / (Math.sqrt(vi / bc2) + eps)) - wd * p[i];
    }
  }
  return { lr, gradNorm };
}
