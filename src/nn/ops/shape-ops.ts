/** Reshape, Transpose, Concat and Slice: data movement with exact gradients (reshape back, slice, pad). */
import { type Dim, type Shape, type Tensor, shapeSize, symCoef, symDim } from '../graph.js';
import { pad } from './compare.js';
import { nd, ravel, size, unravel } from './ndarray.js';
import type { NDArray } from './ndarray.js';
import { registerOp } from './registry.js';
import { constInts, intAttr, intsAttr, normAxis, reshapeTarget } from './util.js';

function reshapeShape(x: Shape, target: number[]): Dim[] {
  const out: (Dim | undefined)[] = target.map((t, i) => (t === 0 ? x[i] : t === -1 ? undefined : t));
  const free = out.indexOf(undefined);
  if (out.filter((d) => d === undefined).length > 1)
    throw new Error(`nn: Reshape target [${target}] has two -1`);
  const inS = shapeSize(x);
  const known = out.filter((d) => d !== undefined) as Dim[];
  const outS = shapeSize(known);
  if (free < 0) {
    if (inS.known !== outS.known || inS.coef !== outS.coef)
      throw new Error(`nn: cannot reshape [${x.join(',')}] to [${target}]`);
    return out as Dim[];
  }
  const bad = () => new Error(`nn: cannot reshape [${x.join(',')}] to [${target}]`);
  if (inS.coef === 0 && outS.coef === 0) {
    if (inS.known % outS.known !== 0) throw bad();
    out[free] = inS.known / outS.known;
  } else if (outS.coef === 0) {
    // The free dim absorbs the batch: batch·coef·known_in = known_out · free.
    if ((inS.coef * inS.known) % outS.known !== 0) throw bad();
    out[free] = symDim((inS.coef * inS.known) / outS.known);
  } else if (inS.coef === outS.coef && inS.known % outS.known === 0) out[free] = inS.known / outS.known;
  else throw bad();
  return out as Dim[];
}

registerOp({
  type: 'Reshape',
  shape: (xs) => [{ shape: reshapeShape(xs[0].shape, constInts(xs[1])), dtype: xs[0].dtype }],
  grad: (node, [gy]) => [reshape(gy!, node.inputs[0].shape)],
  reference: (xs) => {
    const t = Array.from(xs[1].data).map((v, i) => (v === 0 ? xs[0].shape[i] : v));
    const f = t.indexOf(-1);
    if (f >= 0) t[f] = xs[0].data.length / -size(t);
    return [nd(t, xs[0].data)];
  },
});

registerOp({
  type: 'Transpose',
  shape: (xs, attrs) => [
    { shape: intsAttr(attrs, 'perm', []).map((p) => xs[0].shape[p]), dtype: xs[0].dtype },
  ],
  grad: (node, [gy]) => {
    const perm = intsAttr(node.attrs, 'perm', []);
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [transpose(gy!, inv)];
  },
  reference: (xs, attrs) => {
    const perm = intsAttr(attrs, 'perm', []);
    const x = xs[0];
    const out = nd(perm.map((p) => x.shape[p]));
    for (let k = 0; k < out.data.length; k++) {
      const c = unravel(k, out.shape);
      const src = new Array<number>(c.length);
      perm.forEach((p, i) => (src[p] = c[i]));
      out.data[k] = x.data[ravel(src, x.shape)];
    }
    return [out];
  },
});

registerOp({
  type: 'Concat',
  shape: (xs, attrs) => {
    const axis = normAxis(intAttr(attrs, 'axis', 0), xs[0].rank);
    let total = 0;
    // A symbolic axis (batch rows, as backward graphs stack them) concatenates when every part has one.
    const symbolic = xs.every((x) => typeof x.shape[axis] !== 'number');
    for (const x of xs) {
      const d = x.shape[axis];
      if (typeof d !== 'number' && !symbolic)
        throw new Error('nn: Concat along a symbolic axis needs it symbolic in every part');
      if (x.rank !== xs[0].rank || x.shape.some((e, i) => i !== axis && e !== xs[0].shape[i]))
        throw new Error(`nn: Concat shapes differ: ${xs.map(String).join(' ')}`);
      total += typeof d === 'number' ? d : symCoef(d);
    }
    const out: Dim = symbolic ? symDim(total) : total;
    return [{ shape: xs[0].shape.map((d, i) => (i === axis ? out : d)), dtype: xs[0].dtype }];
  },
  grad: (node, [gy], needs) => {
    const axis = normAxis(intAttr(node.attrs, 'axis', 0), gy!.rank);
    if (typeof gy!.shape[axis] !== 'number')
      throw new Error('nn: the gradient of a Concat along a symbolic axis is not supported');
    let at = 0;
    return node.inputs.map((x, i) => {
      const n = x.shape[axis] as number;
      at += n;
      return needs[i] ? slice(gy!, [at - n], [at], [axis]) : undefined;
    });
  },
  reference: (xs, attrs) => {
    const axis = normAxis(intAttr(attrs, 'axis', 0), xs[0].shape.length);
    const shape = [...xs[0].shape];
    shape[axis] = xs.reduce((a, x) => a + x.shape[axis], 0);
    const out = nd(shape);
    let at = 0;
    for (const x of xs) {
      for (let k = 0; k < x.data.length; k++) {
        const c = unravel(k, x.shape);
        c[axis] += at;
        out.data[ravel(c, shape)] = x.data[k];
      }
      at += x.shape[axis];
    }
    return [out];
  },
});

interface SliceSpec {
  starts: number[];
  ends: number[];
  axes: number[];
  steps: number[];
}

function sliceSpec(xs: readonly { data: ArrayLike<number> }[]): SliceSpec {
  const [starts, ends, axes, steps] = xs.slice(1).map((t) => Array.from(t.data));
  return { starts, ends, axes, steps: steps ?? starts.map(() => 1) };
}

/** Python-style clamped range of one sliced axis. */
function sliceRange(dim: number, start: number, end: number, step: number): number[] {
  const idx: number[] = [];
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
  if (step > 0) for (let i = clamp(start, 0, dim); i < clamp(end, 0, dim); i += step) idx.push(i);
  else for (let i = clamp(start, 0, dim - 1); i > clamp(end, -1, dim - 1); i += step) idx.push(i);
  return idx;
}

registerOp({
  type: 'Slice',
  shape: (xs) => {
    const s = sliceSpec(xs.map((t, i) => (i === 0 ? { data: [] } : { data: constInts(t) })));
    const shape = [...xs[0].shape];
    s.axes.forEach((a0, j) => {
      const a = normAxis(a0, shape.length);
      const d = shape[a];
      if (typeof d !== 'number') {
        if (s.starts[j] === 0 && s.ends[j] >= 2 ** 31 - 1 && s.steps[j] === 1) return;
        throw new Error('nn: Slice of a symbolic axis must keep all of it');
      }
      shape[a] = sliceRange(d, s.starts[j], s.ends[j], s.steps[j]).length;
    });
    return [{ shape, dtype: xs[0].dtype }];
  },
  grad: (node, [gy]) => {
    const x = node.inputs[0];
    const s = sliceSpec(node.inputs.map((t, i) => (i === 0 ? { data: [] } : { data: constInts(t) })));
    const pads = new Array<number>(2 * x.rank).fill(0);
    s.axes.forEach((a0, j) => {
      const a = normAxis(a0, x.rank);
      const d = x.shape[a];
      if (typeof d !== 'number') return;
      if (s.steps[j] !== 1) throw new Error('nn: the gradient of Slice needs step 1');
      const r = sliceRange(d, s.starts[j], s.ends[j], 1);
      pads[a] = r.length > 0 ? r[0] : 0;
      pads[a + x.rank] = d - pads[a] - r.length;
    });
    return [pad(gy!, pads)];
  },
  reference: (xs) => {
    const x = xs[0];
    const s = sliceSpec(xs);
    const ranges = x.shape.map((d) => Array.from({ length: d }, (_, i) => i));
    s.axes.forEach((a0, j) => {
      const a = a0 < 0 ? a0 + x.shape.length : a0;
      ranges[a] = sliceRange(x.shape[a], s.starts[j], s.ends[j], s.steps[j]);
    });
    const out: NDArray = nd(ranges.map((r) => r.length));
    for (let k = 0; k < out.data.length; k++) {
      const c = unravel(k, out.shape).map((v, i) => ranges[i][v]);
      out.data[k] = x.data[ravel(c, x.shape)];
    }
    return [out];
  },
});

/** Reshape to a static-or-symbolic shape; -1 may stand for one dim when the shape has no symbolic dim. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const target = shape.includes(-1)
    ? shape.map((d) => (typeof d === 'number' ? d : 0))
    : reshapeTarget(shape);
  return x.graph.apply1('Reshape', [x, x.graph.int64(target)]);
}
/** [N, a, b, …] → [N, a·b·…]. */
export const flatten = (x: Tensor): Tensor => reshape(x, [x.shape[0], -1]);
/** Transpose; a transpose of a transpose is built as one (or none, when they cancel). */
export function transpose(x: Tensor, perm: readonly number[]): Tensor {
  const inner = x.producer?.op === 'Transpose' ? x.producer : undefined;
  if (inner) {
    const p0 = intsAttr(inner.attrs, 'perm', []);
    const composed = perm.map((p) => p0[p]);
    if (composed.every((p, i) => p === i)) return inner.inputs[0];
    return x.graph.apply1('Transpose', [inner.inputs[0]], { perm: composed });
  }
  return x.graph.apply1('Transpose', [x], { perm });
}
export const concat = (xs: readonly Tensor[], axis: number): Tensor =>
  xs.length === 1 ? xs[0] : xs[0].graph.apply1('Concat', xs, { axis });
export function slice(
  x: Tensor,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
  steps?: readonly number[],
): Tensor {
  const g = x.graph;
  const ins = [x, g.int64(starts), g.int64(ends), g.int64(axes)];
  if (steps) ins.push(g.int64(steps));
  return g.apply1('Slice', ins);
}
/** Swaps the last two axes. */
export const swapLast = (x: Tensor): Tensor =>
  transpose(
    x,
    [...x.shape.keys()].map((i) => (i < x.rank - 2 ? i : i === x.rank - 2 ? x.rank - 1 : x.rank - 2)),
  );

/**
 * SpaceToDepth / DepthToSpace (DCR order): [N, C, H·b, W·b] ↔ [N, b²·C, H, W], channel (i·b + j)·C + c
 * holding pixel (h·b + i, w·b + j) of channel c. Each is the other's gradient.
 */
function depthShape(x: Tensor, b: number, toDepth: boolean): Dim[] {
  if (x.rank !== 4) throw new Error(`nn: ${toDepth ? 'SpaceToDepth' : 'DepthToSpace'} needs [N, C, H, W]`);
  const [n, c, h, w] = x.shape;
  if (typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number')
    throw new Error('nn: SpaceToDepth/DepthToSpace need static C, H, W');
  if (toDepth) {
    if (h % b !== 0 || w % b !== 0) throw new Error(`nn: SpaceToDepth of ${x} by ${b}`);
    return [n, c * b * b, h / b, w / b];
  }
  if (c % (b * b) !== 0) throw new Error(`nn: DepthToSpace of ${x} by ${b}`);
  return [n, c / (b * b), h * b, w * b];
}

function refDepth(x: NDArray, b: number, toDepth: boolean): NDArray {
  const [N, C, H, W] = x.shape;
  const [c0, h0, w0] = toDepth ? [C, H / b, W / b] : [C / (b * b), H, W]; // the space side's C, blocks
  const space = [N, c0, h0 * b, w0 * b];
  const depth = [N, c0 * b * b, h0, w0];
  const out = nd(toDepth ? depth : space);
  for (let k = 0; k < out.data.length; k++) {
    const [n, c, h, w] = unravel(k, space);
    const j = ravel([n, ((h % b) * b + (w % b)) * c0 + c, Math.floor(h / b), Math.floor(w / b)], depth);
    if (toDepth) out.data[j] = x.data[k];
    else out.data[k] = x.data[j];
  }
  return out;
}

registerOp({
  type: 'SpaceToDepth',
  shape: ([x], attrs) => [{ shape: depthShape(x, intAttr(attrs, 'blocksize', 1), true), dtype: x.dtype }],
  grad: (node, [gy]) => [depthToSpace(gy!, intAttr(node.attrs, 'blocksize', 1))],
  reference: ([x], attrs) => [refDepth(x, intAttr(attrs, 'blocksize', 1), true)],
});

registerOp({
  type: 'DepthToSpace',
  shape: ([x], attrs) => [{ shape: depthShape(x, intAttr(attrs, 'blocksize', 1), false), dtype: x.dtype }],
  grad: (node, [gy]) => [spaceToDepth(gy!, intAttr(node.attrs, 'blocksize', 1))],
  reference: ([x], attrs) => [refDepth(x, intAttr(attrs, 'blocksize', 1), false)],
});

export const spaceToDepth = (x: Tensor, blocksize: number): Tensor =>
  x.graph.apply1('SpaceToDepth', [x], { blocksize });
export const depthToSpace = (x: Tensor, blocksize: number): Tensor =>
  x.graph.apply1('DepthToSpace', [x], { blocksize, mode: 'DCR' });
