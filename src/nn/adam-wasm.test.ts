import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { type AdamOptions, type AdamSlot, adamStep, defaultAdamOptions } from './adam.js';
import { AdamArena } from './adam-wasm.js';
import { tinyCnnBatch, tinyCnnModel } from './test-models.js';
import { createTrainer } from './trainer.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { assemble, moduleSource } from '../../scripts/build-wasm.mjs';

const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** An arena and ordinary-array slots holding the same values. */
function twins(values: { p: number[]; g: number[]; decay: boolean }[]) {
  const arena = AdamArena.create(
    values.map((v) => v.p.length),
    values.map((v) => v.decay),
  );
  if (!arena) throw new Error('no WebAssembly SIMD');
  const js: AdamSlot[] = values.map((v) => ({
    param: Float32Array.from(v.p),
    grad: Float32Array.from(v.g),
    m: new Float32Array(v.p.length),
    v: new Float32Array(v.p.length),
    decay: v.decay,
  }));
  values.forEach((v, i) => {
    arena.slots[i].param.set(v.p);
    arena.slots[i].grad.set(v.g);
  });
  return { arena, js };
}

const f32 = fc.float({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true });

describe('Adam in WebAssembly', () => {
  it('the committed bytes are the assembly of adam.wat', async () => {
    const text = readFileSync(new URL('./adam.wat', import.meta.url), 'utf8');
    const committed = readFileSync(new URL('./adam-wasm-bytes.ts', import.meta.url), 'utf8');
    expect(committed).toBe(moduleSource(await assemble(text)));
  });

  it('updates weights and moments bit for bit as adamStep (any lengths, clipping, decay, schedules)', () => {
    const slot = fc.integer({ min: 0, max: 19 }).chain((n) =>
      fc.record({
        p: fc.array(f32, { minLength: n, maxLength: n }),
        g: fc.array(f32, { minLength: n, maxLength: n }),
        decay: fc.boolean(),
      }),
    );
    const options = fc.record({
      lr: fc.constantFrom(1e-3, 0.05),
      clipNorm: fc.constantFrom(0, 0.5, 100),
      weightDecay: fc.constantFrom(0, 0.01),
      schedule: fc.constantFrom<AdamOptions['schedule'][]>(
        { kind: 'constant' },
        { kind: 'cosine', totalSteps: 5, warmup: 2 },
      ),
    });
    fc.assert(
      fc.property(fc.array(slot, { minLength: 1, maxLength: 5 }), options, (values, opt) => {
        const o: AdamOptions = { ...defaultAdamOptions, ...opt };
        const { arena, js } = twins(values);
        for (let t = 1; t <= 4; t++) {
          // New gradients each step (the same in both), so the moments differ from step to step.
          js.forEach((s, i) => {
            for (let k = 0; k < s.grad.length; k++) s.grad[k] = s.grad[k] * -0.75 + 0.01 * t;
            arena.slots[i].grad.set(s.grad);
          });
          const a = arena.step(t, o);
          const b = adamStep(js, t, o);
          expect(a).toEqual(b);
          js.forEach((s, i) => {
            const w = arena.slots[i];
            expect(bits(w.param).equals(bits(s.param))).toBe(true);
            expect(bits(w.m).equals(bits(s.m))).toBe(true);
            expect(bits(w.v).equals(bits(s.v))).toBe(true);
          });
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('handles a large array (both loops and the tail) as adamStep does', () => {
    const rng = new Rng(3);
    const n = 100_003;
    const p = Array.from({ length: n }, () => rng.normal());
    const g = Array.from({ length: n }, () => rng.normal() * 0.1);
    const { arena, js } = twins([{ p, g, decay: true }]);
    const o = { ...defaultAdamOptions, clipNorm: 1, weightDecay: 1e-4 };
    expect(arena.step(1, o)).toEqual(adamStep(js, 1, o));
    expect(bits(arena.slots[0].param).equals(bits(js[0].param))).toBe(true);
  });

  it('a trainer keeps its weights and gradients in the arena and steps as adamStep would', async () => {
    const batch = tinyCnnBatch(8, new Rng(2));
    const t = await createTrainer(tinyCnnModel(), { lr: 1e-2, clipNorm: 1, threads: 1, seed: 4 });
    const before = new Map([...t.store.values].map(([k, v]) => [k, Float32Array.from(v.data)]));
    const { grads } = await t.lossAndGrads(batch);
    const slots: AdamSlot[] = [...before].map(([k, p]) => ({
      param: p,
      grad: grads.get(k)!,
      m: new Float32Array(p.length),
      v: new Float32Array(p.length),
      decay: t.store.values.get(k)!.shape.length >= 2,
    }));
    const want = adamStep(slots, 1, t.options);
    const got = await t.step(batch);
    expect(got.gradNorm).toBe(want.gradNorm);
    const buffers = new Set([...t.store.values.values()].map((v) => v.data.buffer));
    expect(buffers.size).toBe(1);
    for (const [k, s] of [...before.keys()].map((k, i) => [k, slots[i]] as const))
      expect(bits(t.store.values.get(k)!.data).equals(bits(s.param))).toBe(true);
  });
});
