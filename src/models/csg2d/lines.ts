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
  primitiveArgs,
  type CombineAction,
  type Csg2dAction,
  type Csg2dState,
  type ReplLimits,
} from '../../domains/csg2d/index.js';
import { ARG_HEADS, ARG_OFFSETS, FIRST_HEAD, LINE_TYPES, type LineType } from './net.js';

/** Raw network outputs for one state. */
export interface Csg2dScores {
  readonly typeLogits: Float32Array; // [5]
  readonly args: Float32Array; // [ARG_COLUMNS]
  readonly ptrA: Float32Array; // [2, K]
  readonly ptrB: Float32Array; // [2, K, K]
  /** v(state) in (0, 1]. */
  readonly value: number;
}

const N_PRIM = ALL_PRIMITIVES.length;
/** Type index (0 circle, 1 rect, 2 rect45) of every primitive line. */
const PRIM_TYPE = new Uint8Array(N_PRIM);
/** For every primitive, the `args` column of each of its (up to 4) argument values; −1 if unused. */
const PRIM_COLS = new Int16Array(N_PRIM * 4).fill(-1);

/** Class of an argument value within its head: grid values 0, 2, …, 30 → 0…15; diameters 6…30 → 0…12. */
export function argClass(type: LineType, slot: number, v: number): number {
  return type === 'circle' && slot === 2 ? DIAMETERS.indexOf(v) : v / 2;
}

ALL_PRIMITIVES.forEach((p, j) => {
  PRIM_TYPE[j] = LINE_TYPES.indexOf(p.op);
  const first = FIRST_HEAD[p.op];
  primitiveArgs(p).forEach((v, s) => (PRIM_COLS[j * 4 + s] = ARG_OFFSETS[first + s] + argClass(p.op, s, v)));
});

/** Which line types are legal here, and the legal union/diff lines. */
export function legalTypes(state: Csg2dState, lim: ReplLimits): { legal: boolean[]; combines: CombineAction[] } {
  const combines = legalCombines(state, lim);
  const prims = state.steps < lim.maxDepth && state.objects.length < lim.maxObjects;
  return {
    legal: [prims, prims, prims, combines.some((c) => c.op === 'union'), combines.some((c) => c.op === 'diff')],
    combines,
  };
}

/** log-softmax of x[from, from+n) restricted to `allowed` (all when omitted); −∞ elsewhere. */
function logSoftmaxInto(x: ArrayLike<number>, from: number, n: number, out: Float64Array, at: number, allowed?: (i: number) => boolean): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if ((!allowed || allowed(i)) && x[from + i] > max) max = x[from + i];
  if (max === -Infinity) {
    out.fill(-Infinity, at, at + n);
    return;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) if (!allowed || allowed(i)) sum += Math.exp(x[from + i] - max);
  const lse = max + Math.log(sum);
  for (let i = 0; i < n; i++) out[at + i] = !allowed || allowed(i) ? x[from + i] - lse : -Infinity;
}

/** Every candidate line of a state with its log-probability (−∞ when illegal or impossible). */
export interface LineDistribution {
  /** ALL_PRIMITIVES (by index) followed by the legal combines. */
  readonly logp: Float64Array;
  readonly combines: readonly CombineAction[];
}

export function lineAction(d: LineDistribution, i: number): Csg2dAction {
  return i < N_PRIM ? ALL_PRIMITIVES[i] : d.combines[i - N_PRIM];
}

export function lineDistribution(state: Csg2dState, s: Csg2dScores, lim: ReplLimits, K: number): LineDistribution {
  const { legal, combines } = legalTypes(state, lim);
  const typeLp = new Float64Array(LINE_TYPES.length);
  logSoftmaxInto(s.typeLogits, 0, LINE_TYPES.length, typeLp, 0, (t) => legal[t]);
  const logp = new Float64Array(N_PRIM + combines.length).fill(-Infinity);
  if (legal[0]) {
    const argLp = new Float64Array(s.args.length);
    ARG_HEADS.forEach((h, i) => logSoftmaxInto(s.args, ARG_OFFSETS[i], h.classes, argLp, ARG_OFFSETS[i]));
    // Unnormalised product of the argument factors, then a per-type log-sum-exp over valid primitives.
    const maxT = [-Infinity, -Infinity, -Infinity];
    for (let j = 0; j < N_PRIM; j++) {
      const c = j * 4;
      const v = argLp[PRIM_COLS[c]] + argLp[PRIM_COLS[c + 1]] + argLp[PRIM_COLS[c + 2]] + (PRIM_COLS[c + 3] >= 0 ? argLp[PRIM_COLS[c + 3]] : 0);
      logp[j] = v;
      if (v > maxT[PRIM_TYPE[j]]) maxT[PRIM_TYPE[j]] = v;
    }
    const sum = [0, 0, 0];
    for (let j = 0; j < N_PRIM; j++) sum[PRIM_TYPE[j]] += Math.exp(logp[j] - maxT[PRIM_TYPE[j]]);
    const shift = [0, 1, 2].map((t) => typeLp[t] - (maxT[t] + Math.log(sum[t])));
    for (let j = 0; j < N_PRIM; j++) logp[j] += shift[PRIM_TYPE[j]];
  }
  for (const [o, opName] of (['union', 'diff'] as const).entries()) {
    if (!legal[3 + o]) continue;
    const pairs = new Uint8Array(K * K);
    combines.forEach((c) => c.op === opName && (pairs[c.a * K + c.b] = 1));
    const lpA = new Float64Array(K);
    logSoftmaxInto(s.ptrA, o * K, K, lpA, 0, (a) => pairs.subarray(a * K, a * K + K).some((x) => x === 1));
    const lpB = new Float64Array(K * K);
    for (let a = 0; a < K; a++) if (lpA[a] > -Infinity) logSoftmaxInto(s.ptrB, (o * K + a) * K, K, lpB, a * K, (b) => pairs[a * K + b] === 1);
    combines.forEach((c, i) => {
      if (c.op === opName) logp[N_PRIM + i] = typeLp[3 + o] + lpA[c.a] + lpB[c.a * K + c.b];
    });
  }
  return { logp, combines };
}

/** Per-factor training targets of one line. */
export interface LineTargets {
  readonly type: number;
  readonly args: number[]; // per ARG_HEADS entry (0 when unused)
  readonly argWeight: number[]; // 1 for the heads of this line's type
  readonly op: [number, number];
  readonly a: number;
  readonly b: number;
  readonly ptrWeight: number;
}

export function lineTargets(action: Csg2dAction): LineTargets {
  const args = new Array<number>(ARG_HEADS.length).fill(0);
  const argWeight = new Array<number>(ARG_HEADS.length).fill(0);
  if (isCombineAction(action)) {
    return { type: LINE_TYPES.indexOf(action.op), args, argWeight, op: action.op === 'union' ? [1, 0] : [0, 1], a: action.a, b: action.b, ptrWeight: 1 };
  }
  const first = FIRST_HEAD[action.op];
  primitiveArgs(action).forEach((v, s) => {
    args[first + s] = argClass(action.op, s, v);
    argWeight[first + s] = 1;
  });
  return { type: LINE_TYPES.indexOf(action.op), args, argWeight, op: [0, 0], a: 0, b: 0, ptrWeight: 0 };
}
