/**
 * Reverse-mode autodiff over the graph: walks the nodes that lead to a scalar loss backwards and asks each
 * op's gradient rule (the table in ops/registry.ts) to emit ONNX ops for its input gradients. Only
 * tensors that depend on a `wrt` tensor get gradients, so data inputs cost nothing.
 */
import { type Tensor, isStatic, nodesFor, sameShape } from './graph.js';
import { add } from './ops/arith.js';
import { gemm } from './ops/matmul.js';
import { pad } from './ops/compare.js';
import { getOp } from './ops/registry.js';
import { concat } from './ops/shape-ops.js';
import { constInts } from './ops/util.js';
import './ops/all.js';

/** A gradient contribution that is a zero-padding along one axis only (e.g. a Slice's gradient). */
function padPiece(t: Tensor): { inner: Tensor; axis: number; begin: number; end: number } | null {
  const n = t.producer;
  if (!n || n.op !== 'Pad' || !n.inputs[1].value) return null;
  const p = constInts(n.inputs[1]);
  const r = t.rank;
  const axes = [...Array(r).keys()].filter((i) => p[i] !== 0 || p[i + r] !== 0);
  if (axes.length !== 1 || p[axes[0]] < 0 || p[axes[0] + r] < 0) return null;
  const a = axes[0];
  const dim = t.shape[a] as number;
  return { inner: n.inputs[0], axis: a, begin: p[a], end: dim - p[a + r] };
}

/** aᵀ·g as a Gemm (the weight-gradient form the MatMul and Gemm rules emit), or null. */
function weightGradParts(t: Tensor): { a: Tensor; g: Tensor } | null {
  const n = t.producer;
  if (!n || n.op !== 'Gemm' || n.inputs.length !== 2) return null;
  if (n.attrs.transA !== 1 || n.attrs.transB === 1) return null;
  return { a: n.inputs[0], g: n.inputs[1] };
}

/**
 * A weight used at many places (an unrolled RNN's, once per step) gets one contribution aᵢᵀ·gᵢ per use;
 * Σᵢ aᵢᵀ·gᵢ is one Gemm of the row-stacked aᵢ and gᵢ: one large product instead of many small ones
 * and the additions between them.
 */
function stackedWeightGrad(list: readonly Tensor[]): Tensor | null {
  if (list.length < 3) return null;
  const parts = list.map(weightGradParts);
  if (parts.some((p) => p === null)) return null;
  const ps = parts as { a: Tensor; g: Tensor }[];
  const symbolic = (t: Tensor) => typeof t.shape[0] !== 'number';
  const rowsOk = ps.every((p) => symbolic(p.a) === symbolic(ps[0].a) && symbolic(p.g) === symbolic(p.a));
  if (!rowsOk) return null;
  return gemm(
    concat(
      ps.map((p) => p.a),
      0,
    ),
    concat(
      ps.map((p) => p.g),
      0,
    ),
    undefined,
    { transA: true },
  );
}

/**
 * a + b + …, where a contribution that is a bias-free Gemm nobody else reads takes another of its exact
 * shape as its C input (ORT's Gemm adds C while it multiplies: one pass fewer than Gemm then Add; e.g.
 * a dense block's backward, where each layer's input gradient adds to the concatenation's).
 */
function addAll(list: readonly Tensor[], shared: (t: Tensor) => boolean): Tensor {
  const parts = [...list];
  const i = parts.findIndex((t) => t.producer?.op === 'Gemm' && t.producer.inputs.length === 2 && !shared(t));
  if (i >= 0) {
    const t = parts[i];
    const j = parts.findIndex((u, k) => k !== i && sameShape(u.shape, t.shape));
    if (j >= 0) {
      const [a, b] = t.producer!.inputs;
      const folded = t.graph.apply1('Gemm', [a, b, parts[j]], t.producer!.attrs);
      const rest = parts.filter((_, k) => k !== i && k !== j);
      return rest.reduce((x, y) => add(x, y), folded);
    }
  }
  return parts.slice(1).reduce((x, y) => add(x, y), parts[0]);
}

/**
 * Sums gradient contributions. Zero-padded pieces along one axis with disjoint ranges (the gradients
 * of Slices that cut a tensor up, e.g. an LSTM's four gates) become one Concat instead of a Pad and an
 * Add each: the same values (x + 0 = x), one pass instead of two per piece.
 */
function sum(list: readonly Tensor[], shared: (t: Tensor) => boolean): Tensor {
  if (list.length === 1) return list[0];
  const stacked = stackedWeightGrad(list);
  if (stacked) return stacked;
  const pieces = list.map(padPiece);
  const byAxis = new Map<number, number[]>();
  pieces.forEach((p, i) => p && byAxis.set(p.axis, [...(byAxis.get(p.axis) ?? []), i]));
  let best: number[] = [];
  for (const idx of byAxis.values()) if (idx.length > best.length) best = idx;
  const rest = list.filter((_, i) => !best.includes(i));
  if (best.length >= 2) {
    const ps = best.map((i) => pieces[i]!).sort((a, b) => a.begin - b.begin);
    if (ps.every((p, i) => i === 0 || p.begin >= ps[i - 1].end)) {
      const { axis } = ps[0];
      const t = list[best[0]];
      const r = t.rank;
      const dim = t.shape[axis] as number;
      const parts = ps.map((p, i) => {
        const before = p.begin - (i === 0 ? 0 : ps[i - 1].end);
        const after = i === ps.length - 1 ? dim - p.end : 0;
        const pads = new Array<number>(2 * r).fill(0);
        pads[axis] = before;
        pads[axis + r] = after;
        return pad(p.inner, pads);
      });
      return addAll([concat(parts, axis), ...rest], shared);
    }
  }
  return addAll(list, shared);
}

export function gradients(loss: Tensor, wrt: readonly Tensor[]): Tensor[] {
  const g = loss.graph;
  if (!isStatic(loss.shape) || loss.shape.some((d) => d !== 1))
    throw new Error(`nn: gradients need a scalar loss, got ${loss}`);
  const nodes = nodesFor([loss]);
  const active = new Set<number>(wrt.map((t) => t.id));
  for (const n of nodes)
    if (n.inputs.some((t) => active.has(t.id)))
      n.outputs.forEach((t) => t.dtype === 'float32' && active.add(t.id));
  const contributions = new Map<number, Tensor[]>();
  /** How often each tensor was given as a contribution (the same one may go to several inputs). */
  const given = new Map<number, number>();
  const shared = (t: Tensor) => (given.get(t.id) ?? 0) > 1 || g.uses(t) > 0;
  const accumulate = (t: Tensor, gt: Tensor) => {
    given.set(gt.id, (given.get(gt.id) ?? 0) + 1);
    const list = contributions.get(t.id);
    if (list) list.push(gt);
    else contributions.set(t.id, [gt]);
  };
  const total = (id: number): Tensor | undefined => {
    const list = contributions.get(id);
    if (!list) return undefined;
    const s = sum(list, shared);
    contributions.set(id, [s]);
    return s;
  };
  accumulate(loss, g.constant(new Float32Array([1]), loss.shape as number[]));
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    const needs = n.inputs.map((t) => active.has(t.id) && t.dtype === 'float32');
    if (!needs.some(Boolean)) continue;
    const gys = n.outputs.map((t) => total(t.id));
    if (gys.every((x) => x === undefined)) continue;
    const def = getOp(n.op);
    if (!def.grad)
      throw new Error(`nn: op ${n.op} has no gradient rule but lies between the loss and a parameter`);
    // Rules may assume every output gradient exists; fill missing ones with zeros of the output's shape.
    const filled = gys.map((x, j) => x ?? zerosLike(n.outputs[j]));
    const gxs = def.grad(n, filled, needs);
    n.inputs.forEach((t, j) => {
      const gx = gxs[j];
      if (needs[j] && gx) accumulate(t, gx);
    });
  }
  return wrt.map((t) => total(t.id) ?? zerosLike(t));
}

function zerosLike(t: Tensor): Tensor {
  if (!isStatic(t.shape)) throw new Error(`nn: no gradient flows to ${t} and its shape is symbolic`);
  return t.graph.constant(new Float32Array(t.shape.reduce((a, b) => a * b, 1)), t.shape);
}
