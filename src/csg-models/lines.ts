/**
 * What the csg2d and csg3d line models share between network outputs and lines: the raw scores of a
 * state, restricted log-softmax, the pointer factors of union/diff, legal line types and the
 * per-factor training targets. The primitive factors (argument heads and their validity couplings)
 * are each model's own.
 */
import type { CombineOp } from '../csg/program.js';

/** Raw network outputs for one state. */
export interface CsgScores {
  readonly typeLogits: Float32Array; // [5]
  readonly args: Float32Array; // [ARG_COLUMNS]
  readonly ptrA: Float32Array; // [2, K]
  readonly ptrB: Float32Array; // [2, K, K]
  /** v(state) in (0, 1]. */
  readonly value: number;
}

/** Union(a, b) / Difference(a, b) of the objects at positions a and b of the scope. */
export interface CsgCombineLine {
  readonly op: CombineOp;
  readonly a: number;
  readonly b: number;
}

/** log-softmax of x[from, from+n) restricted to `allowed` (all when omitted); −∞ elsewhere. */
export function logSoftmaxInto(
  x: ArrayLike<number>,
  from: number,
  n: number,
  out: Float64Array,
  at: number,
  allowed?: (i: number) => boolean,
): void {
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

/** Log-probabilities of every argument head, each softmaxed over its own classes. */
export function argLogProbs(
  s: CsgScores,
  heads: readonly { readonly classes: number }[],
  offsets: readonly number[],
): Float64Array {
  const argLp = new Float64Array(s.args.length);
  heads.forEach((h, i) => logSoftmaxInto(s.args, offsets[i], h.classes, argLp, offsets[i]));
  return argLp;
}

/** Pointer log-probabilities per operator: first pointer [K], second given the first [K, K]. */
export interface Pointers {
  readonly pairs: Uint8Array[];
  readonly lpA: Float64Array[];
  readonly lpB: Float64Array[];
}

export function pointers(s: CsgScores, combines: readonly CsgCombineLine[], K: number): Pointers {
  const out: Pointers = { pairs: [], lpA: [], lpB: [] };
  for (const [o, opName] of (['union', 'diff'] as const).entries()) {
    const pairs = new Uint8Array(K * K);
    combines.forEach((c) => c.op === opName && (pairs[c.a * K + c.b] = 1));
    const lpA = new Float64Array(K);
    logSoftmaxInto(s.ptrA, o * K, K, lpA, 0, (a) => pairs.subarray(a * K, a * K + K).some((x) => x === 1));
    const lpB = new Float64Array(K * K);
    for (let a = 0; a < K; a++)
      if (lpA[a] > -Infinity)
        logSoftmaxInto(s.ptrB, (o * K + a) * K, K, lpB, a * K, (b) => pairs[a * K + b] === 1);
    out.pairs.push(pairs);
    out.lpA.push(lpA);
    out.lpB.push(lpB);
  }
  return out;
}

/** The limits legality depends on (a domain's ReplLimits). */
export interface CsgLineLimits {
  readonly maxObjects: number;
  readonly maxDepth: number;
}

/** Which of the five line types are legal here (three primitive kinds, union, diff), and the legal union/diff lines. */
export function csgLegalTypes<
  S extends { readonly steps: number; readonly objects: readonly unknown[] },
  L extends CsgLineLimits,
  C extends CsgCombineLine,
>(state: S, lim: L, legalCombines: (state: S, lim: L) => C[]): { legal: boolean[]; combines: C[] } {
  const combines = legalCombines(state, lim);
  const prims = state.steps < lim.maxDepth && state.objects.length < lim.maxObjects;
  return {
    legal: [
      prims,
      prims,
      prims,
      combines.some((c) => c.op === 'union'),
      combines.some((c) => c.op === 'diff'),
    ],
    combines,
  };
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

/** How a model's heads read the primitives of its problem. */
export interface CsgLineHeads<P extends { readonly op: string }> {
  /** The five line types: the primitive kinds, then union and diff. */
  readonly lineTypes: readonly string[];
  /** Number of argument heads. */
  readonly argHeads: number;
  /** The first argument head of each primitive kind. */
  readonly firstHead: Readonly<Record<P['op'], number>>;
  /** Class of an argument value within its head. */
  argClass(op: P['op'], slot: number, v: number): number;
  primitiveArgs(p: P): number[];
}

export function csgLineTargets<P extends { readonly op: string }>(
  h: CsgLineHeads<P>,
  action: P | CsgCombineLine,
): LineTargets {
  const args = new Array<number>(h.argHeads).fill(0);
  const argWeight = new Array<number>(h.argHeads).fill(0);
  const type = h.lineTypes.indexOf(action.op);
  if (action.op === 'union' || action.op === 'diff') {
    const c = action as CsgCombineLine;
    return { type, args, argWeight, op: c.op === 'union' ? [1, 0] : [0, 1], a: c.a, b: c.b, ptrWeight: 1 };
  }
  const p = action as P;
  const op: P['op'] = p.op;
  const first = h.firstHead[op];
  h.primitiveArgs(p).forEach((v, s) => {
    args[first + s] = h.argClass(op, s, v);
    argWeight[first + s] = 1;
  });
  return { type, args, argWeight, op: [0, 0], a: 0, b: 0, ptrWeight: 0 };
}

/** The argument columns of every primitive line, for scoring all of them at once. */
export interface CsgPrimitiveTable<P> {
  readonly primitives: readonly P[];
  /** Type index (0, 1, 2: the primitive kinds) of every primitive line. */
  readonly types: Uint8Array;
  /** For every primitive, the `args` column of each of its (up to `width`) argument values; −1 if unused. */
  readonly cols: Int16Array;
  readonly width: number;
}

export function csgPrimitiveTable<P extends { readonly op: string }>(
  primitives: readonly P[],
  h: CsgLineHeads<P>,
  argOffsets: readonly number[],
  width: number,
): CsgPrimitiveTable<P> {
  const types = new Uint8Array(primitives.length);
  const cols = new Int16Array(primitives.length * width).fill(-1);
  primitives.forEach((p, j) => {
    types[j] = h.lineTypes.indexOf(p.op);
    const op: P['op'] = p.op;
    const first = h.firstHead[op];
    h.primitiveArgs(p).forEach(
      (v, s) => (cols[j * width + s] = argOffsets[first + s] + h.argClass(op, s, v)),
    );
  });
  return { primitives, types, cols, width };
}

/** Every candidate line of a state with its log-probability (−∞ when illegal or impossible). */
export interface CsgLineDistribution<C extends CsgCombineLine = CsgCombineLine> {
  /** The primitives (by index) followed by the legal combines. */
  readonly logp: Float64Array;
  readonly combines: readonly C[];
}

/** The line a distribution's index i stands for. */
export function csgLineAction<P, C extends CsgCombineLine>(
  t: CsgPrimitiveTable<P>,
  d: CsgLineDistribution<C>,
  i: number,
): P | C {
  const n = t.primitives.length;
  return i < n ? t.primitives[i] : d.combines[i - n];
}

/** The whole distribution by enumeration (exact top-k for beam search): ~20k–34k primitives. */
export function csgLineDistribution<P, C extends CsgCombineLine>(
  t: CsgPrimitiveTable<P>,
  legal: readonly boolean[],
  combines: C[],
  s: CsgScores,
  heads: readonly { readonly classes: number }[],
  argOffsets: readonly number[],
  K: number,
): CsgLineDistribution<C> {
  const N = t.primitives.length;
  const W = t.width;
  const T = legal.length;
  const typeLp = new Float64Array(T);
  logSoftmaxInto(s.typeLogits, 0, T, typeLp, 0, (i) => legal[i]);
  const logp = new Float64Array(N + combines.length).fill(-Infinity);
  if (legal[0]) {
    const argLp = argLogProbs(s, heads, argOffsets);
    // Unnormalised product of the argument factors, then a per-type log-sum-exp over valid primitives.
    const maxT = [-Infinity, -Infinity, -Infinity];
    for (let j = 0; j < N; j++) {
      let v = 0;
      for (let k = j * W; k < (j + 1) * W && t.cols[k] >= 0; k++) v += argLp[t.cols[k]];
      logp[j] = v;
      if (v > maxT[t.types[j]]) maxT[t.types[j]] = v;
    }
    const sum = [0, 0, 0];
    for (let j = 0; j < N; j++) sum[t.types[j]] += Math.exp(logp[j] - maxT[t.types[j]]);
    const shift = [0, 1, 2].map((i) => typeLp[i] - (maxT[i] + Math.log(sum[i])));
    for (let j = 0; j < N; j++) logp[j] += shift[t.types[j]];
  }
  const ptr = pointers(s, combines, K);
  combines.forEach((c, i) => {
    const o = c.op === 'union' ? 0 : 1;
    logp[N + i] = typeLp[3 + o] + ptr.lpA[o][c.a] + ptr.lpB[o][c.a * K + c.b];
  });
  return { logp, combines };
}
