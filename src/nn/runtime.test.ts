import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import { Graph } from './graph.js';
import { InferenceModel } from './model.js';
import { exportModel } from './onnx-export.js';
import * as op from './ops/all.js';
import {
  cachedSession,
  contentHash,
  defaultThreads,
  getOnnxBackend,
  setOnnxBackend,
  type OnnxBackend,
} from './runtime.js';
import { nodeBackend } from './runtime-node.js';

/** A tiny model y = x·k (k baked in), so different k give different bytes. */
function scaleModel(k: number): Uint8Array {
  const g = new Graph();
  const x = g.input('x', ['batch', 3]);
  return exportModel({ outputs: { y: op.mul(x, k) }, name: 'scale' }).bytes;
}

/** onnxruntime-node behind a counter of session creations. */
function countingBackend(): OnnxBackend & { created: number } {
  const b = {
    created: 0,
    Tensor: ort.Tensor,
    InferenceSession: {
      create: (bytes: Uint8Array, o?: object) => {
        b.created++;
        return ort.InferenceSession.create(bytes, o);
      },
    },
    defaultThreads: () => 1,
  };
  return b;
}

afterEach(() => setOnnxBackend(nodeBackend));

describe('pluggable ONNX runtime', () => {
  it('runs models with whichever backend is set, with its default thread count', async () => {
    const b = countingBackend();
    setOnnxBackend(b);
    expect(defaultThreads()).toBe(1);
    const m = await InferenceModel.fromBytes(scaleModel(2), { cache: false });
    expect(Array.from((await m.run({ x: Float32Array.from([1, 2, 3]) })).y)).toEqual([2, 4, 6]);
    expect(b.created).toBe(1);
    await m.dispose();
    setOnnxBackend(b, { defaultThreads: () => 3 });
    expect(defaultThreads()).toBe(3);
    expect(getOnnxBackend().InferenceSession).toBe(b.InferenceSession);
  });

  it('caches sessions by content: equal bytes in another array share one, other bytes do not', async () => {
    const b = countingBackend();
    setOnnxBackend(b);
    const bytes = scaleModel(5);
    const s1 = await cachedSession(bytes, { threads: 1 });
    expect(await cachedSession(Uint8Array.from(bytes), { threads: 1 })).toBe(s1);
    expect(b.created).toBe(1);
    expect(await cachedSession(scaleModel(6), { threads: 1 })).not.toBe(s1);
    expect(await cachedSession(bytes, { threads: 2 })).not.toBe(s1);
    expect(b.created).toBe(3);
  });

  it('hashes content, whatever the alignment of the view', () => {
    const bytes = scaleModel(7);
    const h = contentHash(bytes);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    const shifted = new Uint8Array(bytes.byteLength + 3);
    shifted.set(bytes, 3);
    expect(contentHash(shifted.subarray(3))).toBe(h);
    const pooled = Buffer.concat([Buffer.from([1]), Buffer.from(bytes)]); // a Buffer at an odd offset
    expect(contentHash(pooled.subarray(1))).toBe(h);
    const changed = Uint8Array.from(bytes);
    changed[changed.length >> 1] ^= 1;
    expect(contentHash(changed)).not.toBe(h);
    expect(contentHash(bytes.subarray(0, bytes.length - 1))).not.toBe(h);
  });
});
