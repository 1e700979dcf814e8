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

/** The scalars of one Adam step, shared by adamStep and the WebAssembly kernels (adam-wasm.ts). */
export interface AdamScalars {
  readonly lr: number;
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
  /** (1 − β₁)·clip scale and (1 − β₂)·scale², the gradient's coefficients in m and v. */
  readonly a1: number;
  readonly a2: number;
  /** lr / (1 − β₁ᵗ) and 1 / (1 − β₂ᵗ): the bias corrections. */
  readonly stepSize: number;
  readonly invBc2: number;
}

/** Step t's scalars for a pre-clip gradient norm (constants hoisted out of the per-weight loop). */
export function adamScalars(gradNorm: number, t: number, o: AdamOptions): AdamScalars {
  const scale = o.clipNorm > 0 && gradNorm > o.clipNorm ? o.clipNorm / gradNorm : 1;
  const lr = o.lr * scheduleFactor(o.schedule, t);
  const { beta1: b1, beta2: b2, eps } = o;
  return {
    lr,
    b1,
    b2,
    eps,
    a1: (1 - b1) * scale,
    a2: (1 - b2) * scale * scale,
    stepSize: lr / (1 - Math.pow(b1, t)),
    invBc2: 1 / (1 - Math.pow(b2, t)),
  };
}

/** The factor a slot's weights are multiplied by before the update (decoupled weight decay). */
export const decayFactor = (s: Pick<AdamSlot, 'decay'>, k: AdamScalars, o: AdamOptions): number =>
  1 - (s.decay ? k.lr * o.weightDecay : 0);

/** One Adam step number `t` (1-based). Returns the learning rate used and the pre-clip gradient norm. */
export function adamStep(
  slots: readonly AdamSlot[],
  t: number,
  o: AdamOptions,
): { lr: number; gradNorm: number } {
  const gradNorm = globalNorm(slots.map((s) => s.grad));
  const k = adamScalars(gradNorm, t, o);
  const { b1, b2, eps, a1, a2, stepSize, invBc2 } = k;
  // One multiply-add chain, one sqrt and one division per weight.
  for (const s of slots) {
    const { param: p, grad: g, m, v } = s;
    const keep = decayFactor(s, k, o);
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
  return { lr: k.lr, gradNorm };
}
