/**
 * MatMul (batched, broadcasting leading dims) and Gemm (2-D, optional transposes and bias). Weight
 * gradients of x·W with a 2-D W fold all leading dims into one Gemm with transA, avoiding Transpose copies.
 */
import type { Dim, Tensor } from '../graph.js';
import { unbroadcast } from './arith.js';
import { elementwise, nd } from './ndarray.js';
import type { NDArray } from './ndarray.js';
import { registerOp } from './registry.js';
import { reshape, swapLast } from './shape-ops.js';
import { broadcastDims, dimsEqual, intAttr } from './util.js';

function refMatmul(a: NDArray, b: NDArray, ta = false, tb = false): NDArray {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [n, k] = ta ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
  const m = tb ? b.shape[rb - 2] : b.shape[rb - 1];
  const lead = broadcastDims(a.shape.slice(0, -2), b.shape.slice(0, -2)) as number[];
  const out = nd([...lead, n, m]);
  const batches = out.data.length / (n * m);
  const aLead = a.shape.slice(0, -2);
  const bLead = b.shape.slice(0, -2);
  // Map a batch index to source offsets by broadcasting an index array.
  const idxA = elementwise(
    [
      nd(
        aLead,
        Array.from({ length: aLead.reduce((p, q) => p * q, 1) }, (_, i) => i),
      ),
      nd(lead),
    ],
    (x) => x,
  );
  const idxB = elementwise(
    [
      nd(
        bLead,
        Array.from({ length: bLead.reduce((p, q) => p * q, 1) }, (_, i) => i),
      ),
      nd(lead),
    ],
    (x) => x,
  );
  for (let bt = 0; bt < batches; bt++) {
    const oa = idxA.data[bt] * n * k;
    const ob = idxB.data[bt] * k * m;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let p = 0; p < k; p++)
          s += a.data[oa + (ta ? p * n + i : i * k + p)] * b.data[ob + (tb ? j * k + p : p * m + j)];
        out.data[bt * n * m + i * m + j] = s;
      }
  }
  return out;
}

registerOp({
  type: 'MatMul',
  shape: ([a, b]) => {
    if (a.rank < 2 || b.rank < 2) throw new Error('nn: MatMul needs rank ≥ 2 operands');
    if (!dimsEqual(a.shape[a.rank - 1], b.shape[b.rank - 2]))
      throw new Error(`nn: MatMul inner dims differ: ${a} ${b}`);
    const lead = broadcastDims(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return [{ shape: [...lead, a.shape[a.rank - 2], b.shape[b.rank - 1]], dtype: 'float32' }];
  },
  grad: (node, [gy], needs) => {
    const [a, b] = node.inputs;
    if (b.rank === 2) {
      const k = a.shape[a.rank - 1];
      const m = b.shape[1];
      const a2 = a.rank === 2 ? a : reshape(a, [-1, k]);
      const g2 = gy!.rank === 2 ? gy! : reshape(gy!, [-1, m]);
      const ga = needs[0] ? gemm(g2, b, undefined, { transB: true }) : undefined;
      return [
        ga && a.rank !== 2 ? reshape(ga, a.shape) : ga,
        needs[1] ? gemm(a2, g2, undefined, { transA: true }) : undefined,
      ];
    }
    return [
      needs[0] ? unbroadcast(matmul(gy!, swapLast(b)), a.shape) : undefined,
      needs[1] ? unbroadcast(matmul(swapLast(a), gy!), b.shape) : undefined,
    ];
  },
  reference: ([a, b]) => [refMatmul(a, b)],
});

registerOp({
  type: 'Gemm',
  shape: (xs, attrs) => {
    const [a, b] = xs;
    const ta = intAttr(attrs, 'transA', 0) === 1;
    const tb = intAttr(attrs, 'transB', 0) === 1;
    if (a.rank !== 2 || b.rank !== 2) throw new Error('nn: Gemm needs 2-D operands');
    const [n, k]: Dim[] = ta ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [k2, m]: Dim[] = tb ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (!dimsEqual(k, k2)) throw new Error(`nn: Gemm inner dims differ: ${a} ${b}`);
    const shape = [n, m];
    if (xs[2]) broadcastDims(shape, xs[2].shape);
    return [{ shape, dtype: 'float32' }];
  },
  grad: (node, [gy], needs) => {
    const [a, b, c] = node.inputs;
    const ta = intAttr(node.attrs, 'transA', 0) === 1;
    const tb = intAttr(node.attrs, 'transB', 0) === 1;
    const g = gy!;
    let ga: Tensor | undefined;
    let gb: Tensor | undefined;
    if (needs[0])
      ga = ta ? gemm(b, g, undefined, { transA: tb, transB: true }) : gemm(g, b, undefined, { transB: !tb });
    if (needs[1])
      gb = tb ? gemm(g, a, undefined, { transA: true, transB: ta }) : gemm(a, g, undefined, { transA: !ta });
    return [ga, gb, needs[2] && c ? unbroadcast(g, c.shape) : undefined];
  },
  reference: (xs, attrs) => {
    const y = refMatmul(xs[0], xs[1], intAttr(attrs, 'transA', 0) === 1, intAttr(attrs, 'transB', 0) === 1);
    return [xs[2] ? elementwise([y, xs[2]], (p, q) => p + q) : y];
  },
});

export const matmul = (a: Tensor, b: Tensor): Tensor => a.graph.apply1('MatMul', [a, b]);
export function gemm(
  a: Tensor,
  b: Tensor,
  c?: Tensor,
  opts: { transA?: boolean; transB?: boolean } = {},
): Tensor {
  return a.graph.apply1('Gemm', c ? [a, b, c] : [a, b], {
    transA: opts.transA ? 1 : 0,
    transB: opts.transB ? 1 : 0,
  });
}
