/**
 * From network outputs to a distribution over the legal lines of one state, and back from a line to
 * the per-factor training targets. The factorisation: type, then (primitives) independent argument
 * categoricals renormalised over the valid primitives of that type, or (union/diff) a first pointer
 * over the objects that have a legal partner, then a second pointer over the legal partners.
 */
import {
  ALL_PRIMITIVES,
  DIAMETERS,
  isCombineAction,
  legalCombines,
  makePrimitive,
  primitiveArgs,
  type Primitive,
  type CombineAction,
  type Csg2dAction,
  type Csg2dState,
  type ReplLimits,
} from '../../domains/csg2d/index.js';
import {
  argLogProbs,
  csgLegalTypes,
  csgLineAction,
  csgLineDistribution,
  csgPrimitiveTable,
  csgLineTargets,
  logSoftmaxInto,
  pointers,
  type CsgLineDistribution,
  type CsgLineHeads,
  type CsgScores,
  type LineTargets,
  type Pointers,
} from '../../csg-models/lines.js';
import type { Rng } from '../../core/index.js';
import { ARG_HEADS, ARG_OFFSETS, FIRST_HEAD, LINE_TYPES, type LineType } from './net.js';

/** Raw network outputs for one state. */
export type Csg2dScores = CsgScores;

/** Class of an argument value within its head: grid values 0, 2, …, 30 → 0…15; diameters 6…30 → 0…12. */
export function argClass(type: LineType, slot: number, v: number): number {
  return type === 'circle' && slot === 2 ? DIAMETERS.indexOf(v) : v / 2;
}

/** Which line types are legal here, and the legal union/diff lines. */
export function legalTypes(
  state: Csg2dState,
  lim: ReplLimits,
): { legal: boolean[]; combines: CombineAction[] } {
  return csgLegalTypes(state, lim, legalCombines);
}

/** Every candidate line of a state with its log-probability (−∞ when illegal or impossible). */
export type LineDistribution = CsgLineDistribution<CombineAction>;

export function lineAction(d: LineDistribution, i: number): Csg2dAction {
  return csgLineAction(TABLE, d, i);
}

/** The whole distribution by enumeration (exact top-k for beam search; ~19.5k primitives). */
export function lineDistribution(
  state: Csg2dState,
  s: Csg2dScores,
  lim: ReplLimits,
  K: number,
): LineDistribution {
  const { legal, combines } = legalTypes(state, lim);
  return csgLineDistribution(TABLE, legal, combines, s, ARG_HEADS, ARG_OFFSETS, K);
}

export type { LineTargets } from '../../csg-models/lines.js';

const HEADS: CsgLineHeads<Primitive> = {
  lineTypes: LINE_TYPES,
  argHeads: ARG_HEADS.length,
  firstHead: FIRST_HEAD,
  argClass,
  primitiveArgs,
};

/** Every primitive line with the argument columns of its values (up to 4). */
const TABLE = csgPrimitiveTable(ALL_PRIMITIVES, HEADS, ARG_OFFSETS, 4);

export function lineTargets(action: Csg2dAction): LineTargets {
  return csgLineTargets(HEADS, action);
}

/**
 * Exact factorised sampling (no enumeration of the ~19.5k primitives): each type's validity constraints
 * couple at most two arguments, so the normaliser Z_t and the draws need only prefix sums over 16
 * grid values and at most 16×16 pairs. Draws follow the same distribution as lineDistribution.
 */
export class LineSampler {
  private readonly typeP: Float64Array;
  private readonly typeLp: Float64Array;
  private readonly p: Float64Array; // argument probabilities per args column
  private readonly argLp: Float64Array;
  private readonly logZ = [0, 0, 0];
  private readonly ptr: Pointers;
  readonly combines: readonly CombineAction[];

  constructor(
    state: Csg2dState,
    s: Csg2dScores,
    lim: ReplLimits,
    private readonly K: number,
  ) {
    const { legal, combines } = legalTypes(state, lim);
    this.combines = combines;
    this.typeLp = new Float64Array(LINE_TYPES.length);
    logSoftmaxInto(s.typeLogits, 0, LINE_TYPES.length, this.typeLp, 0, (t) => legal[t]);
    this.typeP = this.typeLp.map(Math.exp);
    this.argLp = argLogProbs(s, ARG_HEADS, ARG_OFFSETS);
    this.p = this.argLp.map(Math.exp);
    if (legal[0]) for (let t = 0; t < 3; t++) this.logZ[t] = Math.log(this.weights(t).total);
    this.ptr = pointers(s, combines, K);
  }

  private col(head: number, cls: number): number {
    return this.p[ARG_OFFSETS[head] + cls];
  }

  /** Sum of head probabilities over classes lo..hi (0 when empty). */
  private range(head: number, lo: number, hi: number): number {
    let s = 0;
    for (let i = Math.max(0, lo); i <= hi; i++) s += this.col(head, i);
    return s;
  }

  /** Weights of the coupled argument(s) drawn first for type t (over their joint classes). */
  private weights(t: number): { w: Float64Array; total: number } {
    const G = 16;
    let w: Float64Array;
    if (t === 0) {
      // Circle: diameter class k (d = 6 + 2k, r = 3 + k); centre classes i with 2i ≥ r and 2i ≤ 32 − r.
      w = new Float64Array(DIAMETERS.length);
      for (let k = 0; k < w.length; k++) {
        const [lo, hi] = circleRange(k);
        w[k] = this.col(2, k) * this.range(0, lo, hi) * this.range(1, lo, hi);
      }
    } else if (t === 1) {
      // Rect: (x1, x2) pairs with x1 < x2 then (y1, y2) pairs; weights of the x pairs times the y total.
      w = new Float64Array(G * G);
      let ty = 0;
      for (let i = 0; i < G; i++) for (let j = i + 1; j < G; j++) ty += this.col(4, i) * this.col(6, j);
      for (let i = 0; i < G; i++)
        for (let j = i + 1; j < G; j++) w[i * G + j] = this.col(3, i) * this.col(5, j) * ty;
    } else {
      // Rect45: (a, b) classes ≥ 1; x ∈ [a, 15 − b], y ∈ [0, 15 − a − b] (classes).
      w = new Float64Array(G * G);
      for (let a = 1; a < G; a++)
        for (let b = 1; a + b <= 15; b++)
          w[a * G + b] =
            this.col(9, a) * this.col(10, b) * this.range(7, a, 15 - b) * this.range(8, 0, 15 - a - b);
    }
    let total = 0;
    for (const v of w) total += v;
    return { w, total };
  }

  private pick(weights: ArrayLike<number>, lo: number, hi: number, rng: Rng, total?: number): number {
    let sum = total ?? 0;
    if (total === undefined) for (let i = lo; i <= hi; i++) sum += weights[i];
    let u = rng.float() * sum;
    let last = -1;
    for (let i = lo; i <= hi; i++) {
      if (!(weights[i] > 0)) continue;
      last = i;
      u -= weights[i];
      if (u < 0) return i;
    }
    return last; // rounding: the last positive entry
  }

  private headRow(head: number): Float64Array {
    return this.p.subarray(ARG_OFFSETS[head], ARG_OFFSETS[head] + ARG_HEADS[head].classes);
  }

  private samplePrimitive(t: number, rng: Rng): Primitive {
    const G = 16;
    const { w, total } = this.weights(t);
    if (t === 0) {
      const k = this.pick(w, 0, w.length - 1, rng, total);
      const [lo, hi] = circleRange(k);
      return makePrimitive('circle', [
        2 * this.pick(this.headRow(0), lo, hi, rng),
        2 * this.pick(this.headRow(1), lo, hi, rng),
        DIAMETERS[k],
      ]);
    }
    if (t === 1) {
      const ix = this.pick(w, 0, w.length - 1, rng, total);
      const wy = new Float64Array(G * G);
      for (let i = 0; i < G; i++)
        for (let j = i + 1; j < G; j++) wy[i * G + j] = this.col(4, i) * this.col(6, j);
      const iy = this.pick(wy, 0, wy.length - 1, rng);
      return makePrimitive('rect', [
        2 * Math.floor(ix / G),
        2 * Math.floor(iy / G),
        2 * (ix % G),
        2 * (iy % G),
      ]);
    }
    const ab = this.pick(w, 0, w.length - 1, rng, total);
    const a = Math.floor(ab / G);
    const b = ab % G;
    return makePrimitive('rect45', [
      2 * this.pick(this.headRow(7), a, 15 - b, rng),
      2 * this.pick(this.headRow(8), 0, 15 - a - b, rng),
      2 * a,
      2 * b,
    ]);
  }

  /** log π of a legal line (−∞ if the model gives it no mass). */
  logProb(action: Csg2dAction): number {
    if (isCombineAction(action)) {
      const o = action.op === 'union' ? 0 : 1;
      if (!this.ptr.pairs[o][action.a * this.K + action.b]) return -Infinity;
      return this.typeLp[3 + o] + this.ptr.lpA[o][action.a] + this.ptr.lpB[o][action.a * this.K + action.b];
    }
    const t = LINE_TYPES.indexOf(action.op);
    let v = this.typeLp[t] - this.logZ[t];
    const first = FIRST_HEAD[action.op];
    primitiveArgs(action).forEach(
      (x, s) => (v += this.argLp[ARG_OFFSETS[first + s] + argClass(action.op, s, x)]),
    );
    return v;
  }

  /** One line drawn from π, or null when no line is legal. */
  sample(rng: Rng): Csg2dAction | null {
    const t = this.pick(this.typeP, 0, LINE_TYPES.length - 1, rng);
    if (t < 0) return null;
    if (t < 3) return this.samplePrimitive(t, rng);
    const o = t - 3;
    const a = this.pick(this.ptr.lpA[o].map(Math.exp), 0, this.K - 1, rng);
    const b = this.pick(
      this.ptr.lpB[o].subarray(a * this.K, (a + 1) * this.K).map(Math.exp),
      0,
      this.K - 1,
      rng,
    );
    return { op: LINE_TYPES[t] as 'union' | 'diff', a, b };
  }
}

/** Centre classes allowed for circle diameter class k. */
function circleRange(k: number): [number, number] {
  const r = 3 + k;
  return [Math.ceil(r / 2), Math.min(15, Math.floor((32 - r) / 2))];
}
