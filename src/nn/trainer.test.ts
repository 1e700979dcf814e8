import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { scheduleFactor } from './adam.js';
import { loadInferenceModel, saveInferenceModel } from './node-io.js';
import type { Tensor } from './graph.js';
import type { NDArray } from './ops/ndarray.js';
import { BuildContext } from './params.js';
import { evalReference } from './reference.js';
import { tinyCnnBatch, tinyCnnModel } from './test-models.js';
import onnxProto from 'onnx-proto';
import { Session } from './runtime.js';
import { createTrainer, loadTrainer } from './trainer.js';

const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'nn-trainer-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const snapshot = (t: { store: { values: Map<string, { data: Float32Array }> } }) =>
  new Map([...t.store.values].map(([k, v]) => [k, Float32Array.from(v.data)]));

describe('Trainer', () => {
  it('learns a fixed batch (loss falls) with Adam, clipping and weight decay', async () => {
    const t = await createTrainer(tinyCnnModel(), {
      lr: 3e-3,
      clipNorm: 5,
      weightDecay: 1e-4,
      threads: 1,
      seed: 3,
    });
    const batch = tinyCnnBatch(16, new Rng(4));
    const first = await t.step(batch);
    let last = first;
    for (let i = 0; i < 60; i++) last = await t.step(batch);
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(last.metrics.accuracy).toBeGreaterThanOrEqual(0.5);
    expect(last.step).toBe(61);
  });

  it('resumes from a checkpoint to a bit-identical next step', async () => {
    const rng = new Rng(5);
    const t = await createTrainer(tinyCnnModel(), {
      lr: 1e-2,
      schedule: { kind: 'cosine', totalSteps: 10, warmup: 2 },
      threads: 2,
      seed: 9,
    });
    for (let i = 0; i < 3; i++) await t.step(tinyCnnBatch(8, rng));
    t.rng.float();
    const dir = await tmp();
    await t.save(dir);
    expect((await readdir(dir)).sort()).toEqual(['model.onnx', 'training-state.bin', 'training-state.json']);
    const batch = tinyCnnBatch(8, rng);
    const a = await t.step(batch);
    const r = await loadTrainer(dir, tinyCnnModel());
    expect(r.stepCount).toBe(3);
    expect(r.trainedSeconds).toBe(0);
    const b = await r.step(batch);
    expect(b.loss).toBe(a.loss);
    expect(b.lr).toBe(a.lr);
    const pa = snapshot(t);
    const pb = snapshot(r);
    for (const [k, v] of pa) expect(Buffer.from(pb.get(k)!.buffer).equals(Buffer.from(v.buffer))).toBe(true);
    expect(r.rng.float()).toBe(t.rng.float());
    // The training time given at a save is restored, and kept by a save without one.
    await r.save(dir, 12.5);
    expect((await loadTrainer(dir, tinyCnnModel())).trainedSeconds).toBe(12.5);
    await r.save(dir);
    expect((await loadTrainer(dir, tinyCnnModel())).trainedSeconds).toBe(12.5);
  });

  it('runs each batch size on a graph with concrete shapes; losses and gradients equal the symbolic graph’s', async () => {
    const t = await createTrainer(tinyCnnModel(), { threads: 1, seed: 5 });
    const symbolic = await Session.create(t.trainingBytes, { threads: 1, optimization: 'extended' });
    // Sizes 3, 8, 5 get concrete-shape sessions; 6 and 7 share the symbolic graph's.
    for (const n of [3, 8, 3, 5, 6, 7, 6]) {
      const batch = tinyCnnBatch(n, new Rng(n));
      const r = await t.lossAndGrads(batch);
      const ref = await symbolic.run(t.feedsFor(batch));
      expect(r.loss).toBeCloseTo(Number(ref.loss.data[0]), 5);
      const [name, g] = [...r.grads][0];
      const i = [...r.grads.keys()].indexOf(name);
      const want = ref[`grad_${i}`].data as Float32Array;
      for (let k = 0; k < g.length; k += 7) expect(g[k]).toBeCloseTo(want[k], 5);
    }
    await symbolic.release();
    const open = (t as unknown as { compiled: { sessions: Map<number, unknown> } }).compiled.sessions;
    expect([...open.keys()].sort((a, b) => a - b)).toEqual([0, 3, 5, 8]);
    // The exported graph for a batch size declares no symbolic dim.
    const m = onnxProto.onnx.ModelProto.decode(t.trainingBytesFor(8));
    const dims = [...m.graph!.input!, ...m.graph!.output!].flatMap(
      (v) => v.type!.tensorType!.shape?.dim ?? [],
    );
    expect(dims.some((d) => d.dimParam)).toBe(false);
    expect(
      Number(m.graph!.input!.find((v) => v.name === 'x')!.type!.tensorType!.shape!.dim![0].dimValue),
    ).toBe(8);
  });

  it('exports an inference model whose outputs do not depend on the batch size', async () => {
    const t = await createTrainer(tinyCnnModel(), { threads: 1, seed: 2 });
    const m = await t.exportInference();
    const dir = await tmp();
    await saveInferenceModel(m, join(dir, 'm.onnx'));
    const loaded = await loadInferenceModel(join(dir, 'm.onnx'), { threads: 1 });
    const big = tinyCnnBatch(64, new Rng(6));
    const all = (await loaded.run({ x: big.x })).logits;
    expect(all.length).toBe(64 * 5);
    const per = 2 * 8 * 8;
    for (const n of [1, 7, 33]) {
      const part = (await m.run({ x: (big.x as Float32Array).subarray(0, n * per) })).logits;
      for (let i = 0; i < n * 5; i++) expect(part[i]).toBeCloseTo(all[i], 5);
    }
    const chunked = (await loaded.run({ x: big.x }, { chunk: 10 })).logits;
    for (let i = 0; i < all.length; i++) expect(chunked[i]).toBeCloseTo(all[i], 5);
    expect(() => m.batchOf({ x: new Float32Array(per + 1) })).toThrow(/whole batch/);
  });

  it('inference outputs match the float64 reference of the same graph', async () => {
    const t = await createTrainer(tinyCnnModel(), { threads: 1, seed: 8 });
    const batch = tinyCnnBatch(3, new Rng(8));
    const got = (await (await t.exportInference()).run({ x: batch.x })).logits;
    const ctx = new BuildContext(t.store, false);
    const built = tinyCnnModel().build(ctx);
    const feeds = new Map<Tensor, NDArray>();
    for (const inp of ctx.graph.inputs) {
      const p = t.store.values.get(inp.name);
      feeds.set(
        inp,
        p
          ? { shape: p.shape, data: Float64Array.from(p.data) }
          : { shape: [3, 2, 8, 8], data: Float64Array.from(batch.x as Float32Array) },
      );
    }
    const want = evalReference([built.outputs.logits], feeds)[0].data;
    for (let i = 0; i < want.length; i++)
      expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4 * (1 + Math.abs(want[i])));
  });

  it('schedules warm up and decay', () => {
    expect(scheduleFactor({ kind: 'cosine', totalSteps: 100, warmup: 10 }, 5)).toBeCloseTo(0.5);
    expect(scheduleFactor({ kind: 'cosine', totalSteps: 100, warmup: 10 }, 100)).toBeCloseTo(0);
    expect(scheduleFactor({ kind: 'step', every: 10, gamma: 0.5 }, 25)).toBeCloseTo(0.25);
    expect(scheduleFactor({ kind: 'linear', totalSteps: 10, minFactor: 0.1 }, 10)).toBeCloseTo(0.1);
  });
});
