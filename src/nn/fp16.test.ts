import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import {
  FLOAT16_MAX,
  float16Bits,
  float16Value,
  fromFloat16,
  readInitializers,
  toFloat16,
  toFloat16Model,
} from './fp16.js';
import { InferenceModel } from './model.js';
import { readCheckpoint } from './node-io.js';
import { tinyCnnBatch, tinyCnnModel } from './test-models.js';
import { createTrainer, loadTrainer } from './trainer.js';

const { onnx } = onnxProto;

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The float16 value nearest to x by brute force over the neighbours of its conversion (ties: even). */
function nearestIsChosen(x: number): boolean {
  const h = float16Bits(x);
  const v = float16Value(h);
  const f = Math.fround(x);
  for (const n of [h - 1, h + 1]) {
    if ((n & 0x7c00) === 0x7c00 || ((n ^ h) & 0x8000) !== 0) continue; // Inf/NaN or across zero
    const d = Math.abs(float16Value(n) - f);
    if (d < Math.abs(v - f) || (d === Math.abs(v - f) && (h & 1) === 1)) return false;
  }
  return true;
}

describe('float16 conversion', () => {
  it('round-trips every float16 bit pattern', () => {
    const bad: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const v = float16Value(h);
      if (Number.isNaN(v) ? !Number.isNaN(float16Value(float16Bits(v))) : float16Bits(v) !== h) bad.push(h);
    }
    expect(bad).toEqual([]);
    expect(float16Value(0x3c00)).toBe(1);
    expect(float16Value(0x7bff)).toBe(FLOAT16_MAX);
    expect(float16Value(0x0001)).toBe(2 ** -24);
  });

  it('rounds to the nearest float16, ties to even, overflow to infinity', () => {
    const rng = new Rng(3);
    const bad: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = (rng.float() * 2 - 1) * 2 ** (rng.int(44) - 30); // normals, subnormals, tiny
      if (!nearestIsChosen(x)) bad.push(x);
    }
    expect(bad).toEqual([]);
    expect(float16Value(float16Bits(1 + 2 ** -11))).toBe(1); // halfway: even (1.0)
    expect(float16Value(float16Bits(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9); // halfway: even
    expect(float16Value(float16Bits(2 ** -25))).toBe(0); // half the smallest subnormal: even (0)
    expect(float16Value(float16Bits(3 * 2 ** -26))).toBe(2 ** -24);
    expect(float16Value(float16Bits(65520))).toBe(Infinity);
    expect(float16Value(float16Bits(65519))).toBe(FLOAT16_MAX);
    expect(float16Value(float16Bits(-1e9))).toBe(-Infinity);
    const xs = Float32Array.from([0.1, -2.5, 3e-6, 1000.25]);
    expect(Array.from(fromFloat16(toFloat16(xs)))).toEqual(
      Array.from(xs, (x) => float16Value(float16Bits(x))),
    );
  });
});

describe('float16 models', () => {
  it('stores weights as float16 + Cast: valid for ORT, same outputs within float16 error, same names back', async () => {
    const t = await createTrainer(tinyCnnModel(), { threads: 1, seed: 2 });
    for (let i = 0; i < 3; i++) await t.step(tinyCnnBatch(8, new Rng(i)));
    const f32 = t.inferenceBytes();
    const conv = toFloat16Model(f32, { minElements: 2 });
    expect(conv.converted.length).toBeGreaterThan(0);
    expect(conv.bytes.byteLength).toBeLessThan(f32.byteLength);
    // The float16 copies are all there is: no float32 tensor of those names is left in the file.
    const g = onnx.ModelProto.decode(conv.bytes).graph!;
    for (const name of conv.converted) {
      expect(g.initializer!.some((x) => x.name === name)).toBe(false);
      expect(g.initializer!.find((x) => x.name === `${name}.fp16`)!.dataType).toBe(10);
    }
    const a = await InferenceModel.fromBytes(f32, { threads: 1, cache: false });
    const b = await InferenceModel.fromBytes(conv.bytes, { threads: 1, cache: false });
    const x = tinyCnnBatch(16, new Rng(9)).x;
    const [la, lb] = [(await a.run({ x })).logits, (await b.run({ x })).logits];
    for (let i = 0; i < la.length; i++)
      expect(Math.abs(la[i] - lb[i])).toBeLessThan(1e-2 * (1 + Math.abs(la[i])));
    await Promise.all([a.dispose(), b.dispose()]);

    const w32 = readInitializers(f32);
    const w16 = readInitializers(conv.bytes);
    expect([...w16.keys()].sort()).toEqual([...w32.keys()].sort());
    for (const [name, v] of w32) {
      expect(w16.get(name)!.shape).toEqual(v.shape);
      const want = conv.converted.includes(name) ? fromFloat16(toFloat16(v.data)) : v.data;
      expect(Array.from(w16.get(name)!.data)).toEqual(Array.from(want));
    }
    // Converting again changes nothing more.
    expect(toFloat16Model(conv.bytes, { minElements: 2 }).converted).toEqual([]);
  });

  it('keeps small tensors, out-of-range tensors and filtered names float32', async () => {
    const t = await createTrainer(tinyCnnModel(), { threads: 1, seed: 2 });
    const w = t.store.values.get([...t.store.values.keys()][0])!;
    w.data[0] = 1e6; // beyond float16
    const f32 = t.inferenceBytes();
    const all = toFloat16Model(f32, { minElements: 2 });
    expect(all.converted).not.toContain([...t.store.values.keys()][0]);
    const none = toFloat16Model(f32, { minElements: 1e9 });
    expect(none.converted).toEqual([]);
    const some = toFloat16Model(f32, { minElements: 2, filter: (n) => n.endsWith('.b') });
    expect(some.converted.every((n) => n.endsWith('.b'))).toBe(true);
  });

  it('a checkpoint without model.onnx resumes from weights given elsewhere (e.g. a float16 file)', async () => {
    const t = await createTrainer(tinyCnnModel(), { threads: 1, seed: 5 });
    for (let i = 0; i < 2; i++) await t.step(tinyCnnBatch(8, new Rng(i)));
    const dir = await mkdtemp(join(tmpdir(), 'nn-fp16-'));
    dirs.push(dir);
    await t.save(dir);
    const weights = readInitializers(toFloat16Model(t.inferenceBytes(true), { minElements: 2 }).bytes);
    await unlink(join(dir, 'model.onnx'));
    await expect(loadTrainer(dir, tinyCnnModel())).rejects.toThrow(/model\.onnx/);
    expect((await readCheckpoint(dir, { model: false })).model).toBeNull();
    const r = await loadTrainer(dir, tinyCnnModel(), { threads: 1, weights });
    expect(r.stepCount).toBe(2);
    for (const [name, v] of r.store.values)
      expect(Array.from(v.data)).toEqual(Array.from(weights.get(name)!.data));
    // The trainer owns copies: a step leaves the given arrays alone.
    const before = Float32Array.from(weights.values().next().value!.data);
    await r.step(tinyCnnBatch(8, new Rng(7)));
    expect(Array.from(weights.values().next().value!.data)).toEqual(Array.from(before));
    const partial = new Map([...weights].slice(1));
    await expect(loadTrainer(dir, tinyCnnModel(), { weights: partial })).rejects.toThrow(/no weights given/);
  });
});
