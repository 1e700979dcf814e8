/**
 * Full training graphs of the shipped models and of every layer, checked against finite differences of
 * the float64 reference on a sample of parameter entries. Tolerance 1e-3 (normwise): whole-model graphs
 * chain dozens of float32 ops (rounding ~1e-6..1e-5 relative, observed below), and ReLU/max-pool kinks
 * can only be crossed by an eps of 1e-5 with probability ~1e-5 per entry; a wrong rule gives O(1).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import type { Tensor } from './graph.js';
import { gradCheck, randomFeed } from './gradcheck.js';
import * as L from './layers.js';
import { meanSquaredError, binaryCrossEntropyWithLogits } from './losses.js';
import type { NDArray } from './ops/ndarray.js';
import * as op from './ops/all.js';
import { BuildContext, type ModelDef, ParamStore } from './params.js';
import { tinyCnnBatch, tinyCnnModel, tinyStringBatch, tinyStringModel } from './test-models.js';
import type { FeedArray } from './runtime.js';
import './runtime-node.js';

const TOL = 1e-3;
const worst: Record<string, number> = {};

async function checkModel(
  name: string,
  def: ModelDef,
  batch: Record<string, FeedArray>,
  batchSize: number,
): Promise<void> {
  const store = new ParamStore(new Rng(name));
  const ctx = new BuildContext(store, true);
  const built = def.build(ctx);
  const feeds = new Map<Tensor, NDArray>();
  for (const t of ctx.graph.inputs) {
    const p = store.values.get(t.name);
    if (p && ctx.params.has(t.name)) feeds.set(t, { shape: p.shape, data: Float64Array.from(p.data) });
    else {
      const data = batch[t.name];
      if (!data) throw new Error(`no batch data for ${t.name}`);
      feeds.set(t, {
        shape: t.shape.map((d) => (typeof d === 'number' ? d : batchSize)),
        data: Float64Array.from(data as Float32Array),
      });
    }
  }
  const res = await gradCheck({ loss: built.loss!, wrt: [...ctx.params.values()], feeds }, { samples: 12 });
  worst[name] = res.worst;
  expect(res.lossErr).toBeLessThan(1e-4);
  expect(res.worst).toBeLessThan(TOL);
}

/** A one-off model around a layer: loss = mean squared distance of its output to a random target. */
function layerModel(
  name: string,
  inShape: (number | string)[],
  f: (ctx: BuildContext, x: Tensor) => Tensor,
): { def: ModelDef; batch: Record<string, FeedArray> } {
  const rng = new Rng(name);
  const def: ModelDef = {
    name,
    build(ctx) {
      const x = ctx.input('x', inShape);
      const y = f(ctx, x);
      const target = ctx.input('target', y.shape);
      return { outputs: { y }, loss: meanSquaredError(y, target) };
    },
  };
  const probe = new BuildContext(new ParamStore(), true);
  const built = def.build(probe);
  const batch: Record<string, FeedArray> = {};
  for (const t of probe.graph.inputs)
    if (!probe.params.has(t.name)) batch[t.name] = Float32Array.from(randomFeed(t, rng, 2).data);
  void built;
  return { def, batch };
}

describe('model and layer gradient checks', () => {
  it('cnn4 (max-pool and stride-2 variants)', async () => {
    await checkModel('cnn4', tinyCnnModel(), tinyCnnBatch(3, new Rng(1)), 3);
    await checkModel('cnn4-stride', tinyCnnModel({ downsample: 'stride' }), tinyCnnBatch(3, new Rng(2)), 3);
  });

  it('string policy (embeddings, conv1d, dense block, max over examples, masked cross-entropy)', async () => {
    await checkModel('string-policy', tinyStringModel(), tinyStringBatch(3, new Rng(3)), 3);
  });

  it('GRU and LSTM cells unrolled over a sequence', async () => {
    const gru = layerModel('gru', ['batch', 3, 4], (ctx, x) => {
      const h0 = op.mul(op.reduceSum(x, [1]), 0); // zeros [B, 4] with a batch dim
      return L.unroll(x, h0, (xt, h) => L.gruCell(ctx, 'gru', xt, h, 4)).outputs;
    });
    await checkModel('gru', gru.def, gru.batch, 2);
    const lstm = layerModel('lstm', ['batch', 3, 4], (ctx, x) => {
      let s = { h: op.mul(op.reduceSum(x, [1]), 0), c: op.mul(op.reduceSum(x, [1]), 0) };
      const outs: Tensor[] = [];
      for (let t = 0; t < 3; t++) {
        s = L.lstmCell(ctx, 'lstm', op.reshape(op.slice(x, [t], [t + 1], [1]), ['batch', 4]), s, 4);
        outs.push(s.h);
      }
      return op.concat(outs, 1);
    });
    await checkModel('lstm', lstm.def, lstm.batch, 2);
  });

  it('multi-head attention with a mask, layer norm, dense block, conv3d + avg-pool, BCE', async () => {
    const att = layerModel('attention', ['batch', 3, 4], (ctx, x) => {
      const mask = op.cast(op.greater(op.reduceSum(x, [2], true), -1e9), 'float32'); // all ones [B,3,1]
      const y = L.multiHeadAttention(ctx, 'mha', x, x, 2, { mask: op.reshape(mask, ['batch', 1, 1, 3]) });
      return L.layerNorm(ctx, 'ln', op.add(x, y));
    });
    await checkModel('attention', att.def, att.batch, 2);
    const dense = layerModel('dense-block', ['batch', 5], (ctx, x) => L.denseBlock(ctx, 'db', x, 3, 4));
    await checkModel('dense-block', dense.def, dense.batch, 2);
    const c3 = layerModel('conv3d', ['batch', 1, 4, 4, 4], (ctx, x) =>
      op.flatten(op.avgPool(op.tanh(L.convLayer(ctx, 'c3', x, 2, [3, 3, 3])), [2, 2, 2])),
    );
    await checkModel('conv3d', c3.def, c3.batch, 2);
    const bce: ModelDef = {
      name: 'bce',
      build(ctx) {
        const x = ctx.input('x', ['batch', 3]);
        const t = ctx.input('t', ['batch', 1]);
        const z = L.linear(ctx, 'v', x, 1);
        return { outputs: { z }, loss: binaryCrossEntropyWithLogits(z, t) };
      },
    };
    await checkModel(
      'bce',
      bce,
      { x: Float32Array.from([0.1, -1, 2, 0.5, 0.3, -0.2]), t: Float32Array.from([1, 0]) },
      2,
    );
  });

  it('reports the worst relative error', () => {
    const e = Object.entries(worst).sort((a, b) => b[1] - a[1]);
    console.log(
      `model/layer gradient checks: worst ${e[0][0]} ${e[0][1].toExponential(2)}; ${e.map(([k, v]) => `${k}=${v.toExponential(1)}`).join(' ')}`,
    );
    expect(e.length).toBeGreaterThanOrEqual(9);
  });
});
