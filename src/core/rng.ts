/**
 * A seeded, splittable random number generator (sfc32: four 32-bit words, fast in JavaScript).
 * Every random choice in replsynth goes through an Rng passed in explicitly: same seed, same run.
 */
export interface RngState {
  readonly s: readonly [number, number, number, number];
}

/** Mixes a 32-bit value (murmur3 finalizer) so nearby seeds give unrelated streams. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator from a seed: a number (any integer) or a string. */
  constructor(seed: number | string = 0) {
    const base = typeof seed === 'string' ? hashString(seed) : mix32((seed | 0) ^ Math.floor(seed / 2 ** 32));
    this.a = mix32(base ^ 0x9e3779b9);
    this.b = mix32(base ^ 0x243f6a88);
    this.c = mix32(base ^ 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    [r.a, r.b, r.c, r.d] = state.s;
    return r;
  }

  state(): RngState {
    return { s: [this.a, this.b, this.c, this.d] };
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    if (!(n > 0)) throw new RangeError(`Rng.int: n must be positive, got ${n}`);
    return Math.floor(this.float() * n);
  }

  /** A uniform integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: empty list');
    return items[this.int(items.length)];
  }

  /** Index drawn in proportion to non-negative weights; -1 if all weights are zero. */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    if (!(total > 0)) return -1;
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return -1;
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** A standard normal sample (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * An independent child generator. Consumes from this one, so the parent's later draws change too,
   * deterministically; use it to hand sub-streams to workers or tasks.
   */
  split(): Rng {
    const r = new Rng(0);
    r.a = mix32(this.nextUint32() ^ 0x9e3779b9);
    r.b = mix32(this.nextUint32() ^ 0x7f4a7c15);
    r.c = mix32(this.nextUint32() ^ 0x94d049bb);
    r.d = 1;
    for (let i = 0; i < 8; i++) r.nextUint32();
    return r;
  }

  /** A child generator keyed by a label, without consuming from this one (for stable sub-streams). */
  derive(label: string | number): Rng {
    const key = typeof label === 'string' ? hashString(label) : mix32(label | 0);
    const r = new Rng(0);
    r.a = mix32(this.a ^ key);
    r.b = mix32(this.b ^ mix32(key + 1));
    r.c = mix32(this.c ^ mix32(key + 2));
    r.d = 1;
    for (let i = 0; i < 8; i++) r.nextUint32();
    return r;
  }
}
