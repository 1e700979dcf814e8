/**
 * Gather along axis 0 (embedding lookup). The table's gradient is onehotᵀ·gy as one MatMul, with the
 * one-hot built already transposed (Equal of a [V,1] range against the flat ids) — no ScatterElements,
 * which is slow in ORT.
 */
import type { Tensor } from '../graph.js';
import { cast, equal } from './compare.js';
import { matmul } from './matmul.js';
import { nd } from './ndarray.js';
import { registerOp } from './registry.js';
import { reshape } from './shape-ops.js';
import { intAttr } from './util.js';

registerOp({
  type: 'Gather',
  shape: ([w, idx], attrs) => {
    const axis = intAttr(attrs, 'axis', 0);
    if (axis < 0 || axis >= w.rank) throw new Error(`nn: Gather axis ${axis} out of range for ${w}`);
    if (axis > 0 && typeof w.shape[axis] !== 'number')
      throw new Error('nn: Gather along a symbolic axis is not supported');
    if (idx.dtype !== 'int32' && idx.dtype !== 'int64')
      throw new Error(`nn: Gather indices must be integers: ${idx}`);
    return [{ shape: [...w.shape.slice(0, axis), ...idx.shape, ...w.shape.slice(axis + 1)], dtype: w.dtype }];
  },
  grad: (node, [gy], needs) => {
    if (!needs[0]) return [undefined, undefined];
    // Gathers along other axes appear only in backward graphs (im2col of the conv weight gradient).
    if (intAttr(node.attrs, 'axis', 0) !== 0) throw new Error('nn: the gradient of Gather needs axis 0');
    const [w, idx] = node.inputs;
    const V = w.shape[0] as number;
    const g = w.graph;
    const range =
      idx.dtype === 'int32'
        ? g.constant(
            Int32Array.from({ length: V }, (_, i) => i),
            [V, 1],
          )
        : g.constant(
            BigInt64Array.from({ length: V }, (_, i) => BigInt(i)),
            [V, 1],
          );
    const onehotT = cast(equal(range, reshape(idx, [1, -1])), 'float32'); // [V, M]
    const row = (w.shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
    const gy2 = reshape(gy!, [-1, row]);
    const gw = matmul(onehotT, gy2);
    return [w.rank === 2 ? gw : reshape(gw, w.shape), undefined];
  },
  reference: ([w, idx], attrs) => {
    const axis = intAttr(attrs, 'axis', 0);
    if (axis > 0) {
      const outer = w.shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const inner = w.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      const out = nd([...w.shape.slice(0, axis), ...idx.shape, ...w.shape.slice(axis + 1)]);
      const A = w.shape[axis];
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < idx.data.length; i++) {
          const r = idx.data[i] < 0 ? idx.data[i] + A : idx.data[i];
          const src = (o * A + r) * inner;
          out.data.set(w.data.subarray(src, src + inner), (o * idx.data.length + i) * inner);
        }
      return [out];
    }
    const row = w.data.length / w.shape[0];
    const out = nd([...idx.shape, ...w.shape.slice(1)]);
    for (let i = 0; i < idx.data.length; i++) {
      const r = idx.data[i] < 0 ? idx.data[i] + w.shape[0] : idx.data[i];
      out.data.set(w.data.subarray(r * row, (r + 1) * row), i * row);
    }
    return [out];
  },
});

export const gather = (table: Tensor, ids: Tensor, axis = 0): Tensor =>
  table.graph.apply1('Gather', [table, ids], { axis });
