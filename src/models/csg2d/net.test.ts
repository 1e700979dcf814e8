import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { createCsg2dDomain } from '../../domains/csg2d/index.js';
import {
  BuildContext,
  ParamStore,
  createTrainer,
  gradCheck,
  type FeedArray,
  type NDArray,
  type Tensor,
} from '../../nn/index.js';
import { Csg2dLearner } from './learner.js';
import { NetworkBackend } from './evaluator.js';
import { pieceBytes, piecesFromBytes } from './pieces.js';
import { ARG_HEADS, LINE_TYPES, csg2dNet, type Csg2dNetOptions } from './net.js';

const tiny: Csg2dNetOptions = {
  size: 8,
  maxObjects: 3,
  filters: [2, 3],
  strides: [2, 2],
  hidden: 4,
  context: 6,
  attention: 3,
  valueHidden: 3,
};

/** A consistent random batch for the tiny net: row i has i % 4 objects; pointer targets are present. */
function tinyBatch(
  n: number,
  rng: Rng,
  o = tiny,
  mode: 'mixed' | 'policy' | 'value' = 'mixed',
): Record<string, FeedArray> {
  const { size: S, maxObjects: K } = o;
  const H = ARG_HEADS.length;
  const b = {
    spec: Float32Array.from({ length: n * S * S }, () => rng.int(2)),
    objects: new Float32Array(n * K * S * S),
    objectMask: new Float32Array(n * K),
    type: new Int32Array(n),
    typeLegal: new Float32Array(n * LINE_TYPES.length).fill(1),
    policyWeight: new Float32Array(n),
    argTarget: new Int32Array(n * H),
    argWeight: new Float32Array(n * H),
    ptrOp: new Float32Array(n * 2),
    ptrA: new Int32Array(n),
    ptrB: new Int32Array(n),
    ptrWeight: new Float32Array(n),
    valueTarget: new Float32Array(n),
    valueWeight: new Float32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const k = Math.min(K, i % 4);
    for (let j = 0; j < k; j++) {
      b.objectMask[i * K + j] = 1;
      for (let p = 0; p < S * S; p++) b.objects[(i * K + j) * S * S + p] = rng.int(2);
    }
    const value = mode === 'value' || (mode === 'mixed' && i % 3 === 2);
    if (value) {
      b.valueTarget[i] = rng.int(2);
      b.valueWeight[i] = 1;
      continue;
    }
    b.policyWeight[i] = 1;
    const t = k >= 2 ? 3 + rng.int(2) : rng.int(3);
    b.type[i] = t;
    if (t >= 3) {
      b.ptrOp[i * 2 + t - 3] = 1;
      b.ptrA[i] = rng.int(k);
      b.ptrB[i] = (b.ptrA[i] + 1 + rng.int(k - 1)) % k;
      b.ptrWeight[i] = 1;
    } else {
      ARG_HEADS.forEach((h, j) => {
        if (h.type !== LINE_TYPES[t]) return;
        b.argTarget[i * H + j] = rng.int(h.classes);
        b.argWeight[i * H + j] = 1;
      });
    }
  }
  return b;
}

describe('csg2d network', () => {
  // The value head reads the body through a StopGradient (whose float64 reference is the identity), so
  // policy batches check every weight and value batches check the value head's own weights.
  for (const mode of ['policy', 'value'] as const) {
    it(`the full training graph passes a finite-difference gradient check (${mode} examples)`, async () => {
      const store = new ParamStore(new Rng('csg2d-grad'));
      const ctx = new BuildContext(store, true);
      const built = csg2dNet(tiny).build(ctx);
      const n = 6;
      const batch = tinyBatch(n, new Rng(5), tiny, mode);
      const feeds = new Map<Tensor, NDArray>();
      for (const t of ctx.graph.inputs) {
        const p = ctx.params.has(t.name) ? store.values.get(t.name)! : null;
        if (p) feeds.set(t, { shape: p.shape, data: Float64Array.from(p.data) });
        else
          feeds.set(t, {
            shape: t.shape.map((d) => (typeof d === 'number' ? d : n)),
            data: Float64Array.from(batch[t.name] as Float32Array),
          });
      }
      const wrt = [...ctx.params.values()].filter((t) => mode === 'policy' || t.name.startsWith('value.'));
      const res = await gradCheck({ loss: built.loss!, wrt, feeds }, { samples: 6 });
      console.log(
        `csg2d gradcheck (${mode}): ${res.perTensor.length} tensors, worst ${res.worst.toExponential(2)}, loss err ${res.lossErr.toExponential(2)}`,
      );
      expect(res.lossErr).toBeLessThan(1e-4);
      expect(res.worst).toBeLessThan(1e-3);
    }, 120_000);
  }

  it('a tiny seeded training run reduces the loss', async () => {
    const trainer = await createTrainer(csg2dNet(tiny), { lr: 0.01, seed: 3, threads: 1 });
    const batch = tinyBatch(16, new Rng(7));
    const first = (await trainer.step(batch)).loss;
    let last = first;
    for (let i = 0; i < 40; i++) last = (await trainer.step(batch)).loss;
    expect(last).toBeLessThan(0.7 * first);
  }, 60_000);

  it('the split inference pieces (pair encoder, spec encoder, head) agree with the full network', async () => {
    const domain = createCsg2dDomain();
    const net = {
      size: 64,
      filters: [4, 4],
      strides: [4, 4],
      hidden: 8,
      context: 8,
      attention: 4,
      valueHidden: 4,
    };
    const learner = await Csg2dLearner.create(domain, net, { seed: 1, threads: 1 });
    const rng = new Rng(2);
    const states = [0, 1, 2].flatMap(() => {
      const task = domain.sampleTask(rng, { maxSize: 5 });
      const r = replay(domain, task.spec, task.trace);
      if (!r.ok) throw new Error(r.reason);
      return r.states;
    });
    const full = await learner.trainer.exportInference();
    const want = await full.run(domain.features!.encode(states));
    const cfg = learner.config.net;
    const backend = new NetworkBackend(
      await piecesFromBytes(pieceBytes(learner.trainer.store, cfg), 1),
      cfg.maxObjects,
      cfg.hidden,
    );
    const got = await backend.score(states);
    const K = cfg.maxObjects;
    states.forEach((s, i) => {
      expect(got[i].value).toBeCloseTo(Math.exp(-want.negLogValue[i]), 5);
      got[i].typeLogits.forEach((v, j) => expect(v).toBeCloseTo(want.typeLogits[i * 5 + j], 4));
      for (let a = 0; a < s.objects.length; a++)
        expect(got[i].ptrA[a]).toBeCloseTo(want.ptrA[i * 2 * K + a], 4);
    });
    expect(backend.stats.headRuns).toBe(1);
    // A tiny object cache that fills up mid-search gives the same scores (it is emptied between
    // batches, never while one is being filled in — that once lost encodings in 60 s searches).
    const pieces = await piecesFromBytes(pieceBytes(learner.trainer.store, cfg), 1);
    const small = new NetworkBackend(pieces, cfg.maxObjects, cfg.hidden, true, 256, 2);
    for (let at = 0; at < states.length; at += 4) {
      const part = states.slice(at, at + 4);
      const scores = await small.score(part);
      part.forEach((_, i) => expect(scores[i].value).toBeCloseTo(got[at + i].value, 6));
    }
    expect(small.stats.objectsEncoded).toBeGreaterThan(0);
  }, 60_000);
});
