/**
 * From network outputs to a distribution over the legal lines of one state, and back from a line to
 * the per-factor training targets. The factorisation: type, then (primitives) independent argument
 * categoricals renormalised over the valid primitives of that type, or (union/diff) a first pointer
 * over the objects that have a legal partner, then a second pointer over the legal partners.
 */
import {
  ALL_PRIMITIVES,
  CYLINDER_LENGTHS,
  CYLINDER_RADII,
  SPHERE_RADII,
  isCombineAction,
  legalCombines,
  makePrimitive,
  primitiveArgs,
  type CombineAction,
  type Csg3dAction,
  type Csg3dState,
  type Primitive,
  type ReplLimits,
} from '../../domains/csg3d/index.js';
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
import { ARG_HEADS, ARG_OFFSETS, FIRST_HEAD, LINE_TYPES, MAX_ARGS, argClass } from './net.js';

/** Raw network outputs for one state. */
export type Csg3dScores = CsgScores;

/** Which line types are legal here, and the legal union/diff lines. */
export function legalTypes(
  state: Csg3dState,
  lim: ReplLimits,
): { legal: boolean[]; combines: CombineAction[] } {
  return csgLegalTypes(state, lim, legalCombines);
}

/** Every candidate line of a state with its log-probability (−∞ when illegal or impossible). */
export type LineDistribution = CsgLineDistribution<CombineAction>;

export function lineAction(d: LineDistribution, i: number): Csg3dAction {
  return csgLineAction(TABLE, d, i);
}

/** The whole distribution by enumeration (exact top-k for beam search; ~34k primitives). */
export function lineDistribution(
  state: Csg3dState,
  s: Csg3dScores,
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

/** Every primitive line with the argument columns of its values (up to 6). */
const TABLE = csgPrimitiveTable(ALL_PRIMITIVES, HEADS, ARG_OFFSETS, MAX_ARGS);

export function lineTargets(action: Csg3dAction): LineTargets {
  return csgLineTargets(HEADS, action);
}

const G = 8;
/** Grid classes c of a centre with 4c − r ≥ 0 and 4c + r ≤ 32. */
const centreRange = (r: number): [number, number] => [Math.ceil(r / 4), Math.floor((32 - r) / 4)];
/** Grid classes c of a cylinder base along its axis: 4c + l ≤ 32. */
const baseRange = (l: number): [number, number] => [0, Math.min(G - 1, Math.floor((32 - l) / 4))];

/**
 * Exact factorised sampling (no enumeration of the ~34k primitives): validity couples at most the
 * bounds of one axis (cuboids) or a size with the coordinate ranges (spheres: the radius; cylinders:
 * axis, radius and length), so normalisers and draws need only sums over 8 grid classes. Draws follow
 * the same distribution as lineDistribution.
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
    state: Csg3dState,
    s: Csg3dScores,
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
    if (legal[0]) for (let t = 0; t < 3; t++) this.logZ[t] = Math.log(this.sizeWeights(t).total);
    this.ptr = pointers(s, combines, K);
  }

  private col(head: number, cls: number): number {
    return this.p[ARG_OFFSETS[head] + cls];
  }

  /** Sum of head probabilities over classes lo..hi. */
  private range(head: number, [lo, hi]: [number, number]): number {
    let s = 0;
    for (let i = lo; i <= hi; i++) s += this.col(head, i);
    return s;
  }

  /** Cuboid: weights of the (lo, hi) class pairs of axis a (lo < hi), flattened lo·8 + hi. */
  private axisPairs(a: number): Float64Array {
    const w = new Float64Array(G * G);
    for (let i = 0; i < G; i++)
      for (let j = i + 1; j < G; j++) w[i * G + j] = this.col(a, i) * this.col(3 + a, j);
    return w;
  }

  /**
   * Weights of what is drawn first for type t: cuboid — one entry, the product of the three axis-pair
   * totals; sphere — per radius class; cylinder — per (axis, radius, length) class, flattened.
   */
  private sizeWeights(t: number): { w: Float64Array; total: number } {
    let w: Float64Array;
    if (t === 0) {
      w = Float64Array.of(
        [0, 1, 2].reduce((acc, a) => acc * this.axisPairs(a).reduce((x, y) => x + y, 0), 1),
      );
    } else if (t === 1) {
      const f = FIRST_HEAD.sphere;
      w = Float64Array.from(SPHERE_RADII, (r, k) => {
        const range = centreRange(r);
        return (
          this.col(f + 3, k) * this.range(f, range) * this.range(f + 1, range) * this.range(f + 2, range)
        );
      });
    } else {
      const f = FIRST_HEAD.cylinder;
      w = new Float64Array(3 * CYLINDER_RADII.length * CYLINDER_LENGTHS.length);
      let at = 0;
      for (let axis = 0; axis < 3; axis++)
        for (const [k, r] of CYLINDER_RADII.entries())
          for (const [m, l] of CYLINDER_LENGTHS.entries()) {
            let v = this.col(f, axis) * this.col(f + 4, k) * this.col(f + 5, m);
            for (let c = 0; c < 3; c++)
              v *= this.range(f + 1 + c, c === axis ? baseRange(l) : centreRange(r));
            w[at++] = v;
          }
    }
    let total = 0;
    for (const v of w) total += v;
    return { w, total };
  }

  private pick(weights: ArrayLike<number>, lo: number, hi: number, rng: Rng): number {
    let sum = 0;
    for (let i = lo; i <= hi; i++) sum += weights[i];
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

  private coord(head: number, [lo, hi]: [number, number], rng: Rng): number {
    return 4 * this.pick(this.headRow(head), lo, hi, rng);
  }

  private samplePrimitive(t: number, rng: Rng): Primitive {
    if (t === 0) {
      const c = [0, 1, 2].map((a) => this.pick(this.axisPairs(a), 0, G * G - 1, rng));
      return makePrimitive('cuboid', [...c.map((v) => 4 * Math.floor(v / G)), ...c.map((v) => 4 * (v % G))]);
    }
    const { w } = this.sizeWeights(t);
    const k = this.pick(w, 0, w.length - 1, rng);
    if (t === 1) {
      const f = FIRST_HEAD.sphere;
      const r = SPHERE_RADII[k];
      const range = centreRange(r);
      return makePrimitive('sphere', [0, 1, 2].map((c) => this.coord(f + c, range, rng)).concat(r));
    }
    const f = FIRST_HEAD.cylinder;
    const nl = CYLINDER_LENGTHS.length;
    const axis = Math.floor(k / (CYLINDER_RADII.length * nl));
    const r = CYLINDER_RADII[Math.floor(k / nl) % CYLINDER_RADII.length];
    const l = CYLINDER_LENGTHS[k % nl];
    const xyz = [0, 1, 2].map((c) => this.coord(f + 1 + c, c === axis ? baseRange(l) : centreRange(r), rng));
    return makePrimitive('cylinder', [axis, ...xyz, r, l]);
  }

  /** log π of a legal line (−∞ if the model gives it no mass). */
  logProb(action: Csg3dAction): number {
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
  sample(rng: Rng): Csg3dAction | null {
    const t = this.pick(this.typeP, 0, LINE_TYPES.length - 1, rng);
    if (t < 0) return null;
    if (t < 3) return this.samplePrimitive(t, rng);
    const o = t - 3;
    const K = this.K;
    const a = this.pick(this.ptr.lpA[o].map(Math.exp), 0, K - 1, rng);
    const b = this.pick(this.ptr.lpB[o].subarray(a * K, (a + 1) * K).map(Math.exp), 0, K - 1, rng);
    return { op: LINE_TYPES[t] as 'union' | 'diff', a, b };
  }
}
