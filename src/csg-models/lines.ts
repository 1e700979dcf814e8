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
