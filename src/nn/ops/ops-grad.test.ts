/**
 * Every gradient rule, checked by finite differences of the float64 references on small random shapes.
 * Tolerance 1e-4 (normwise): ORT computes in float32 (unit roundoff 6e-8) and these backward graphs sum
 * at most a few hundred products, so rounding stays below ~1e-5 (observed ≤ 2e-7); finite differences
 * of the float64 reference with eps 1e-5 add ~1e-10; a wrong rule gives errors of order 1.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { Graph, type Tensor, nodesFor } from '../graph.js';
import { gradCheck, randomFeed } from '../gradcheck.js';
import { evalReference } from '../reference.js';
import type { NDArray } from './ndarray.js';
import * as op from './all.js';
import { allOps } from './registry.js';
import { gradients } from '../autodiff.js';
import { exportModel } from '../onnx-export.js';
import { Session, rtTensor } from '../runtime.js';
import '../runtime-node.js';

const TOL = 1e-4;
const worst: Record<string, number> = {};
/** Op types whose gradient rule some check exercised. */
const covered = new Set<string>();

interface Built {
  y: Tensor;
  wrt: Tensor[];
  feeds?: Map<Tensor, NDArray>;
}

async function check(name: string, build: (g: Graph, rng: Rng) => Built, positive = false): Promise<void> {
  const rng = new Rng(name);
  const g = new Graph();
  const b = build(g, rng);
  for (const n of nodesFor([b.y])) covered.add(n.op);
  const feeds = b.feeds ?? new Map<Tensor, NDArray>();
  for (const t of b.wrt) if (!feeds.has(t)) feeds.set(t, randomFeed(t, rng));
  if (positive) for (const t of b.wrt) feeds.get(t)!.data = feeds.get(t)!.data.map((v) => Math.abs(v) + 0.5);
  // loss = Σ y·r with random r, so every output entry gets a distinct weight.
  const r = g.input('r', b.y.shape);
  feeds.set(r, randomFeed(r, rng));
  const loss = op.reduceSum(op.mul(b.y, r), [...b.y.shape.keys()]);
  const res = await gradCheck({ loss, wrt: b.wrt, feeds });
  worst[name] = res.worst;
  expect(res.lossErr).toBeLessThan(1e-4);
  expect(res.worst).toBeLessThan(TOL);
}

const x = (g: Graph, shape: (number | string)[], name = 'x') => g.input(name, shape);

describe('gradient rules (ORT float32 vs float64 finite differences)', () => {
  it('elementwise and broadcasting', async () => {
    await check('Add', (g) => {
      const a = x(g, ['batch', 3, 4], 'a');
      const b = x(g, [4], 'b');
      return { y: op.add(a, b), wrt: [a, b] };
    });
    await check('Sub', (g) => {
      const a = x(g, [3, 1], 'a');
      const b = x(g, ['batch', 1, 4], 'b');
      return { y: op.sub(a, b), wrt: [a, b] };
    });
    await check('Mul', (g) => {
      const a = x(g, ['batch', 3, 4], 'a');
      const b = x(g, [3, 1], 'b');
      return { y: op.mul(a, b), wrt: [a, b] };
    });
    await check(
      'Div',
      (g) => {
        const a = x(g, ['batch', 3], 'a');
        const b = x(g, [3], 'b');
        return { y: op.div(a, b), wrt: [a, b] };
      },
      true,
    );
    await check('Identity', (g) => {
      const a = x(g, [3, 2]);
      return { y: op.identity(a), wrt: [a] };
    });
    await check('Neg', (g) => {
      const a = x(g, [3, 2]);
      return { y: op.neg(a), wrt: [a] };
    });
  });

  it('activations', async () => {
    for (const [name, f] of [
      ['Relu', op.relu],
      ['Sigmoid', op.sigmoid],
      ['Tanh', op.tanh],
      ['Softplus', op.softplus],
      ['Exp', op.exp],
    ] as const)
      await check(name, (g) => {
        const a = x(g, ['batch', 5]);
        return { y: f(a), wrt: [a] };
      });
    await check(
      'Log',
      (g) => {
        const a = x(g, ['batch', 5]);
        return { y: op.log(a), wrt: [a] };
      },
      true,
    );
    await check(
      'Sqrt',
      (g) => {
        const a = x(g, ['batch', 5]);
        return { y: op.sqrt(a), wrt: [a] };
      },
      true,
    );
  });

  it('MatMul and Gemm', async () => {
    await check('MatMul', (g) => {
      const a = x(g, ['batch', 3, 4], 'a');
      const w = x(g, [4, 5], 'w');
      return { y: op.matmul(a, w), wrt: [a, w] };
    });
    await check('MatMul batched', (g) => {
      const a = x(g, [2, 3, 4], 'a');
      const b = x(g, [2, 4, 3], 'b');
      return { y: op.matmul(a, b), wrt: [a, b] };
    });
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const)
      await check(`Gemm ${+ta}${+tb}`, (g) => {
        const a = x(g, ta ? [4, 3] : [3, 4], 'a');
        const b = x(g, tb ? [5, 4] : [4, 5], 'b');
        const c = x(g, [5], 'c');
        return { y: op.gemm(a, b, c, { transA: ta, transB: tb }), wrt: [a, b, c] };
      });
  });

  it('Conv 1-D, 2-D, 3-D with pads and strides', async () => {
    const cases: [string, number[], number[], number[], number[]][] = [
      ['Conv1d', [2, 3, 9], [4, 3, 3], [1], [1, 1]],
      ['Conv1d s2', [2, 3, 9], [4, 3, 3], [2], [1, 0]],
      ['Conv2d', [2, 2, 6, 5], [3, 2, 3, 3], [1, 1], [1, 1, 1, 1]],
      ['Conv2d s2', [2, 2, 7, 6], [3, 2, 3, 3], [2, 2], [1, 0, 0, 1]],
      ['Conv2d s3 k5', [2, 2, 9, 8], [3, 2, 5, 5], [3, 3], [2, 1, 0, 2]],
      ['Conv2d k5 pads', [2, 2, 7, 6], [3, 2, 5, 3], [1, 1], [2, 0, 1, 2]],
      ['Conv2d s2x1', [2, 2, 7, 6], [3, 2, 3, 3], [2, 1], [1, 1, 1, 1]],
      ['Conv3d', [1, 2, 4, 4, 3], [2, 2, 3, 3, 3], [1, 1, 1], [1, 1, 1, 1, 1, 1]],
      ['Conv3d s2', [2, 2, 5, 4, 5], [2, 2, 3, 3, 3], [2, 2, 2], [1, 1, 0, 0, 1, 1]],
      // ≥ 8 input channels: the weight gradient's im2col is a Gather.
      ['Conv1d c8', [2, 8, 9], [4, 8, 3], [1], [1, 1]],
      ['Conv2d c8', [2, 8, 6, 5], [3, 8, 3, 3], [1, 1], [1, 1, 1, 1]],
      ['Conv2d c8 s2', [2, 8, 7, 6], [3, 8, 3, 3], [2, 2], [1, 0, 0, 1]],
      ['Conv3d c8 s2x1', [1, 8, 4, 3, 4], [2, 8, 3, 3, 3], [2, 1, 2], [1, 1, 1, 0, 0, 1]],
    ];
    for (const [name, xs, ws, strides, pads] of cases)
      await check(name, (g) => {
        const a = x(g, ['batch', ...xs.slice(1)], 'x');
        const w = x(g, ws, 'w');
        const b = x(g, [ws[0]], 'b');
        return { y: op.conv(a, w, b, { strides, pads }), wrt: [a, w, b] };
      });
  });

  it('Conv in training graphs (NCHWc kernels)', async () => {
    const cases: [string, number[], number[], number[], number[]][] = [
      // 16 channels in and out: ORT's NCHWc kernels where the CPU has them (AVX-512: blocks of 16).
      ['Conv2d nchwc', [1, 16, 3, 3], [16, 16, 3, 3], [1, 1], [1, 1, 1, 1]],
      ['Conv2d nchwc s2', [1, 16, 4, 3], [16, 16, 3, 3], [2, 2], [1, 0, 1, 1]],
      // Channel counts padded to whole blocks (input to a multiple of 4 first), 1-D as height 1.
      ['Conv2d nchwc padded', [1, 14, 3, 3], [13, 14, 3, 3], [1, 1], [1, 1, 1, 1]],
      ['Conv1d nchwc padded', [2, 14, 7], [13, 14, 3], [1], [1, 1]],
      ['Conv1d nchwc s2', [1, 16, 9], [16, 16, 5], [2], [2, 1]],
    ];
    for (const [name, xs, ws, strides, pads] of cases)
      await check(name, (g) => {
        g.forTraining = true;
        const a = x(g, ['batch', ...xs.slice(1)], 'x');
        const w = x(g, ws, 'w');
        const b = x(g, [ws[0]], 'b');
        return { y: op.conv(a, w, b, { strides, pads }), wrt: [a, w, b] };
      });
  });

  it('pooling', async () => {
    await check('MaxPool', (g) => {
      const a = x(g, ['batch', 2, 5, 4]);
      return { y: op.maxPool(a, [2, 2]), wrt: [a] };
    });
    await check('MaxPool1d', (g) => {
      const a = x(g, ['batch', 2, 6]);
      return { y: op.maxPool(a, [3]), wrt: [a] };
    });
    await check('AveragePool', (g) => {
      const a = x(g, ['batch', 2, 4, 5]);
      return { y: op.avgPool(a, [2, 2]), wrt: [a] };
    });
    await check('SpaceToDepth', (g) => {
      const a = x(g, ['batch', 3, 4, 6]);
      return { y: op.spaceToDepth(a, 2), wrt: [a] };
    });
    await check('DepthToSpace', (g) => {
      const a = x(g, ['batch', 8, 2, 3]);
      return { y: op.depthToSpace(a, 2), wrt: [a] };
    });
  });

  // In training graphs a max-pooled first layer is computed by phases (space-to-depth, one conv with
  // placed weights, ReduceMax over phases): same values as MaxPool(Relu(Conv)), checked against the
  // inference formulation; gradients by finite differences. Cases: exact blocks, a cropped remainder
  // with uneven pads and kernel, and 3×3 pooling.
  const phaseCases: [string, number[], number[], number[], number[]][] = [
    ['phases exact', [2, 2, 4, 4], [4, 2, 3, 3], [1, 1, 1, 1], [2, 2]],
    ['phases cropped', [1, 3, 5, 5], [3, 3, 3, 2], [1, 0, 1, 1], [2, 2]],
    ['phases 3x3', [1, 1, 6, 6], [2, 1, 3, 3], [1, 1, 1, 1], [3, 3]],
  ];
  it('max-pooled first layer by phases (training graphs)', async () => {
    for (const [name, xs, ws, pads, k] of phaseCases) {
      const build = (g: Graph) => {
        const a = x(g, ['batch', ...xs.slice(1)], 'x');
        const w = x(g, ws, 'w');
        const b = x(g, [ws[0]], 'b');
        return { y: op.maxPool(op.relu(op.conv(a, w, b, { pads })), k), wrt: [a, w, b] };
      };
      const plain = new Graph();
      const p = build(plain);
      const phased = new Graph();
      phased.forTraining = true;
      const q = build(phased);
      expect(nodesFor([q.y]).map((n) => n.op)).toContain('SpaceToDepth');
      expect(q.y.shape).toEqual(p.y.shape);
      const rng = new Rng(name);
      const feeds = p.wrt.map((t) => randomFeed(t, rng, xs[0]));
      const [yp] = evalReference([p.y], new Map(p.wrt.map((t, i) => [t, feeds[i]])));
      const [yq] = evalReference([q.y], new Map(q.wrt.map((t, i) => [t, feeds[i]])));
      expect(Math.max(...yq.data.map((v, i) => Math.abs(v - yp.data[i])))).toBeLessThan(1e-12);
      await check(name, (g) => {
        g.forTraining = true;
        return build(g);
      });
    }
  });

  it('shape ops', async () => {
    await check('Reshape', (g) => {
      const a = x(g, ['batch', 3, 4]);
      return { y: op.reshape(a, [-1, 4, 3]), wrt: [a] };
    });
    await check('Flatten', (g) => {
      const a = x(g, ['batch', 3, 2]);
      return { y: op.flatten(a), wrt: [a] };
    });
    await check('Transpose', (g) => {
      const a = x(g, ['batch', 3, 4]);
      return { y: op.transpose(a, [2, 0, 1]), wrt: [a] };
    });
    await check('Concat', (g) => {
      const a = x(g, ['batch', 3], 'a');
      const b = x(g, ['batch', 2], 'b');
      return { y: op.concat([a, b, a], 1), wrt: [a, b] };
    });
    await check('Pad', (g) => {
      const a = x(g, ['batch', 4, 5]);
      return { y: op.pad(a, [0, 1, -1, 0, 2, 1]), wrt: [a] };
    });
    await check('Slice', (g) => {
      const a = x(g, ['batch', 6, 5]);
      return { y: op.slice(a, [1, -4], [5, 100], [1, 2]), wrt: [a] };
    });
  });

  it('Gather, reductions, softmax, Where', async () => {
    await check('Gather', (g, rng) => {
      const w = x(g, [6, 3], 'w');
      const ids = g.input('ids', ['batch', 4], 'int32');
      const feeds = new Map<Tensor, NDArray>([
        [ids, { shape: [2, 4], data: Float64Array.from({ length: 8 }, () => rng.int(6)) }],
      ]);
      return { y: op.gather(w, ids), wrt: [w], feeds };
    });
    await check('Gather, then transposed over the index axes', (g, rng) => {
      const w = x(g, [7, 3], 'w');
      const ids = g.input('ids', ['batch', 4, 2], 'int32');
      const feeds = new Map<Tensor, NDArray>([
        [ids, { shape: [2, 4, 2], data: Float64Array.from({ length: 16 }, () => rng.int(7)) }],
      ]);
      const y = op.reshape(op.transpose(op.gather(w, ids), [0, 2, 1, 3]), [-1, 4 * 3]);
      return { y, wrt: [w], feeds };
    });
    await check('ReduceSum', (g) => {
      const a = x(g, ['batch', 3, 4]);
      return { y: op.reduceSum(a, [1]), wrt: [a] };
    });
    await check('ReduceMean', (g) => {
      const a = x(g, ['batch', 3, 4]);
      return { y: op.reduceMean(a, [0, 2], true), wrt: [a] };
    });
    await check('ReduceMax', (g) => {
      const a = x(g, ['batch', 3, 4]);
      return { y: op.reduceMax(a, [1]), wrt: [a] };
    });
    await check('Softmax', (g) => {
      const a = x(g, ['batch', 5]);
      return { y: op.softmax(a), wrt: [a] };
    });
    await check('LogSoftmax', (g) => {
      const a = x(g, ['batch', 3, 5]);
      return { y: op.logSoftmax(a, 1), wrt: [a] };
    });
    await check('Where', (g, rng) => {
      const a = x(g, ['batch', 4], 'a');
      const b = x(g, [4], 'b');
      const m = g.input('m', ['batch', 4]);
      const feeds = new Map<Tensor, NDArray>([
        [m, { shape: [2, 4], data: Float64Array.from({ length: 8 }, () => rng.int(2)) }],
      ]);
      return { y: op.where(op.greater(m, 0.5), a, b), wrt: [a, b], feeds };
    });
  });

  it('StopGradient passes values forward and no gradient back', async () => {
    const g = new Graph();
    const a = x(g, [2, 3], 'a');
    const b = x(g, [2, 3], 'b');
    const loss = op.reduceSum(op.mul(op.stopGradient(a), b), [0, 1]);
    const [ga, gb] = gradients(loss, [a, b]);
    for (const n of nodesFor([loss])) covered.add(n.op);
    const { bytes } = exportModel({ outputs: { loss, gb, ga } });
    const sess = await Session.create(bytes, { threads: 1 });
    const av = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const bv = Float32Array.from([6, 5, 4, 3, 2, 1]);
    const out = await sess.run({ a: rtTensor('float32', av, [2, 3]), b: rtTensor('float32', bv, [2, 3]) });
    expect(out.loss.data[0]).toBeCloseTo(56, 5);
    expect(Array.from(out.gb.data as Float32Array)).toEqual(Array.from(av));
    expect(Array.from(out.ga.data as Float32Array)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  // Finite differences never meet ties (random inputs); binary images are full of them. At a tie every
  // convex split of the gradient is a subgradient of max; the sum over the window must stay the output
  // gradient. Tied maxima share it equally: before, each got all of it.
  it('tied maxima share the gradient: MaxPool, ReduceMax and the phase-pooled first layer', async () => {
    const run = async (
      build: (g: Graph) => { y: Tensor; a: Tensor; w?: Tensor },
      a: Float32Array,
      training = false,
    ): Promise<{ ga: Float32Array; y: Float32Array }> => {
      const g = new Graph();
      g.forTraining = training;
      const b = build(g);
      const loss = op.reduceSum(b.y, [...b.y.shape.keys()]);
      const [ga] = gradients(loss, [b.a]);
      const { bytes } = exportModel({ outputs: { loss, ga, y: b.y } });
      const sess = await Session.create(bytes, { threads: 1 });
      const feeds: Record<string, ReturnType<typeof rtTensor>> = {
        [b.a.name]: rtTensor('float32', a, b.a.shape as number[]),
      };
      if (b.w) feeds[b.w.name] = rtTensor('float32', Float32Array.from([1]), [1, 1, 1, 1]);
      const out = await sess.run(feeds);
      await sess.release();
      return { ga: out.ga.data as Float32Array, y: out.y.data as Float32Array };
    };
    // One 4×4 image, 2×2 windows: all four tied (7), two tied (5, 5 and two 1s), none tied, and a
    // window of zeros.
    const img = Float32Array.from([7, 7, 5, 1, 7, 7, 5, 1, 2, 3, 0, 0, 9, 4, 0, 0]);
    const want = [0.25, 0.25, 0.5, 0, 0.25, 0.25, 0.5, 0, 0, 0, 0.25, 0.25, 1, 0, 0.25, 0.25];
    const pooled = await run((g) => {
      const a = x(g, [1, 1, 4, 4], 'a');
      return { y: op.maxPool(a, [2, 2]), a };
    }, img);
    expect(Array.from(pooled.y)).toEqual([7, 5, 9, 0]);
    expect(Array.from(pooled.ga)).toEqual(want);
    // The phase-pooled first layer of a training graph (a 1×1 conv of weight 1, so z = x): its
    // ReduceMax over the phases ties where the image does.
    const phased = await run(
      (g) => {
        const a = x(g, [1, 1, 4, 4], 'a');
        const w = x(g, [1, 1, 1, 1], 'w');
        return { y: op.maxPool(op.relu(op.conv(a, w)), [2, 2]), a, w };
      },
      img,
      true,
    );
    expect(Array.from(phased.y)).toEqual([7, 5, 9, 0]);
    // ReLU passes no gradient at 0, so the zero window gets none.
    expect(Array.from(phased.ga)).toEqual(want.map((v, i) => (img[i] > 0 ? v : 0)));
    const reduced = await run(
      (g) => {
        const a = x(g, [2, 3], 'a');
        return { y: op.reduceMax(a, [1]), a };
      },
      Float32Array.from([4, 4, 4, 1, 3, 3]),
    );
    expect(Array.from(reduced.ga).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([
      0.333333, 0.333333, 0.333333, 0, 0.5, 0.5,
    ]);
  });

  it('reports the worst relative error', () => {
    const entries = Object.entries(worst).sort((p, q) => q[1] - p[1]);
    console.log(
      `gradient checks: ${entries.length} cases, worst ${entries[0][0]} ${entries[0][1].toExponential(2)}; all: ${entries.map(([k, v]) => `${k}=${v.toExponential(1)}`).join(' ')}`,
    );
    const unchecked = allOps()
      .filter((d) => d.grad && !covered.has(d.type))
      .map((d) => d.type);
    expect(unchecked).toEqual([]);
  });
});
