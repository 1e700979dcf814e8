/**
 * Finite-difference gradient checks of the sequence helpers (rnn.ts, attention.ts, seq-losses.ts) and a
 * check that a multi-entry model's incremental graphs (entries.ts) compute what its training graph does.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { additiveAttention, attend, attentionMemory, dotAttention } from './attention.js';
import { entryBytes, entryModels, disposeEntries, trainingDef, type MultiEntryDef } from './entries.js';
import type { Tensor } from './graph.js';
import { gradCheck } from './gradcheck.js';
import { evalReference } from './reference.js';
import { embedding, linear } from './layers.js';
import { meanSquaredError } from './losses.js';
import type { NDArray } from './ops/ndarray.js';
import * as op from './ops/all.js';
import { BuildContext, type BuiltModel, ParamStore } from './params.js';
import { timeStep, unrollGru, unrollLstm, zerosRows, lstmCell } from './rnn.js';
import { perExampleCrossEntropy, sequenceLoss } from './seq-losses.js';
import { createTrainer } from './trainer.js';
import './runtime-node.js';

const TOL = 1e-3;

/** Gradient check of a training graph with given data feeds (parameters fed from the store). */
async function check(
  name: string,
  build: (ctx: BuildContext) => Tensor,
  data: Record<string, { shape: number[]; data: number[] }>,
): Promise<number> {
  const store = new ParamStore(new Rng(name));
  const ctx = new BuildContext(store, true);
  const loss = build(ctx);
  const feeds = new Map<Tensor, NDArray>();
  for (const t of ctx.graph.inputs) {
    const p = ctx.params.has(t.name) ? store.values.get(t.name) : undefined;
    const d = p ? { shape: p.shape, data: [...p.data] } : data[t.name];
    if (!d) throw new Error(`no feed for ${t.name}`);
    feeds.set(t, { shape: d.shape, data: Float64Array.from(d.data) });
  }
  const wrt = [...ctx.params.values()];
  const res = await gradCheck({ loss, wrt, feeds }, { samples: 12 });
  expect(res.lossErr).toBeLessThan(1e-4);
  expect(res.worst).toBeLessThan(TOL);
  return res.worst;
}

const rng = new Rng('seq-helpers');
const normals = (n: number) => Array.from({ length: n }, () => rng.normal());
const B = 2;
const T = 4;
const D = 3;
const H = 4;
// Row 0 has 4 real steps, row 1 has 2 (then padding).
const mask = { shape: [B, T], data: [1, 1, 1, 1, 1, 1, 0, 0] };

describe('sequence helpers: gradient checks', () => {
  it('LSTM unrolled with a padding mask and attention fed into every step', async () => {
    await check(
      'lstm-att',
      (ctx) => {
        const x = ctx.input('x', ['batch', T, D]);
        const mem = ctx.input('mem', ['batch', 3, H]);
        const m = ctx.input('mask', ['batch', T]);
        const target = ctx.input('target', ['batch', H]);
        const memory = attentionMemory(ctx, 'att', mem, { hidden: 5 });
        const z = zerosRows(x, H);
        const r = unrollLstm(ctx, 'lstm', x, { h: z, c: z }, H, {
          mask: m,
          extra: (s) => [attend(ctx, memory, s.h).context],
        });
        return meanSquaredError(op.add(r.last.h, r.last.c), target);
      },
      {
        x: { shape: [B, T, D], data: normals(B * T * D) },
        mem: { shape: [B, 3, H], data: normals(B * 3 * H) },
        mask,
        target: { shape: [B, H], data: normals(B * H) },
      },
    );
  });

  it('GRU unrolled with a padding mask', async () => {
    await check(
      'gru-mask',
      (ctx) => {
        const x = ctx.input('x', ['batch', T, D]);
        const m = ctx.input('mask', ['batch', T]);
        const target = ctx.input('target', ['batch', T, H]);
        return meanSquaredError(unrollGru(ctx, 'gru', x, zerosRows(x, H), H, { mask: m }).outputs, target);
      },
      {
        x: { shape: [B, T, D], data: normals(B * T * D) },
        mask,
        target: { shape: [B, T, H], data: normals(B * T * H) },
      },
    );
  });

  it('additive attention with a key mask (values apart), dot attention with a mask', async () => {
    await check(
      'attention',
      (ctx) => {
        const q = ctx.input('q', ['batch', H]);
        const keys = ctx.input('keys', ['batch', T, H]);
        const m = ctx.input('mask', ['batch', T]);
        const target = ctx.input('target', ['batch', H]);
        const values = linear(ctx, 'vals', keys, H);
        const a = additiveAttention(ctx, 'add', q, keys, { mask: m, values, hidden: 3 }).context;
        const b = dotAttention(linear(ctx, 'dq', q, H), keys, m).context;
        return meanSquaredError(op.add(a, b), target);
      },
      {
        q: { shape: [B, H], data: normals(B * H) },
        keys: { shape: [B, T, H], data: normals(B * T * H) },
        mask,
        target: { shape: [B, H], data: normals(B * H) },
      },
    );
  });

  it('dot attention of several queries per key set: each query as the single-query form, and its gradients', async () => {
    const Q = 3;
    const build = (ctx: BuildContext) => {
      const q = ctx.input('q', ['batch', Q, H]);
      const keys = ctx.input('keys', ['batch', T, H]);
      const m = ctx.input('mask', ['batch', T]);
      const qs = linear(ctx, 'dq', q, H);
      const multi = dotAttention(qs, keys, m).context; // [B, Q, H]
      const single = op.concat(
        Array.from({ length: Q }, (_, j) =>
          op.reshape(
            dotAttention(op.reshape(op.slice(qs, [j], [j + 1], [1]), ['batch', H]), keys, m).context,
            ['batch', 1, H],
          ),
        ),
        1,
      );
      return { multi, single };
    };
    const data = {
      q: { shape: [B, Q, H], data: normals(B * Q * H) },
      keys: { shape: [B, T, H], data: normals(B * T * H) },
      mask,
      target: { shape: [B, Q, H], data: normals(B * Q * H) },
    };
    const store = new ParamStore(new Rng('multi-query'));
    const ctx = new BuildContext(store, false);
    const { multi, single } = build(ctx);
    const feeds = new Map<Tensor, NDArray>();
    for (const t of ctx.graph.inputs) {
      const p = ctx.params.has(t.name) ? store.values.get(t.name) : undefined;
      const d = p ? { shape: p.shape, data: [...p.data] } : data[t.name as keyof typeof data];
      feeds.set(t, { shape: d.shape, data: Float64Array.from(d.data) });
    }
    const [a, b] = evalReference([multi, single], feeds);
    expect(a.shape).toEqual([B, Q, H]);
    a.data.forEach((x, i) => expect(x).toBeCloseTo(b.data[i], 12));
    await check(
      'multi-query',
      (c) => meanSquaredError(build(c).multi, c.input('target', ['batch', Q, H])),
      data,
    );
  });

  it('sequence loss with padding and per-example cross-entropy', async () => {
    await check(
      'seq-loss',
      (ctx) => {
        const x = ctx.input('x', ['batch', T, D]);
        const y = ctx.input('y', ['batch', T], 'int32');
        const m = ctx.input('mask', ['batch', T]);
        const logits = linear(ctx, 'out', x, 5);
        const s = sequenceLoss(logits, y, m);
        const first = perExampleCrossEntropy(
          timeStep(logits, 0),
          op.reshape(op.slice(y, [0], [1], [1]), ['batch']),
        );
        return op.add(s.loss, op.reduceMean(op.add(first, op.mul(s.perSequence, 0.1)), [0]));
      },
      {
        x: { shape: [B, T, D], data: normals(B * T * D) },
        y: { shape: [B, T], data: [0, 4, 2, 1, 3, 3, 0, 0] },
        mask,
      },
    );
  });

  it('padding positions add nothing to the sequence loss; the metrics count real tokens only', async () => {
    const def = {
      name: 'seq-loss-values',
      build(ctx: BuildContext): BuiltModel {
        const logits = ctx.input('logits', ['batch', 2, 3]);
        const y = ctx.input('y', ['batch', 2], 'int32');
        const m = ctx.input('mask', ['batch', 2]);
        const bias = ctx.param('b', [3], { kind: 'zeros' });
        const s = sequenceLoss(op.add(logits, bias), y, m);
        return {
          outputs: { per: s.perSequence },
          loss: s.loss,
          metrics: { tok: s.tokenAccuracy, seq: s.sequenceAccuracy },
        };
      },
    };
    const tr = await createTrainer(def, { threads: 1 });
    // Row 0: argmax 0 then 1, targets 0, 2 (one miss). Row 1: argmax 2, target 2, then padding (target 1).
    const logits = Float32Array.from([5, 0, 0, 0, 5, 0, 0, 0, 5, 9, 0, 0]);
    const r = await tr.lossAndGrads({
      logits,
      y: Int32Array.from([0, 2, 2, 1]),
      mask: Float32Array.from([1, 1, 1, 0]),
    });
    const nll = (row: number[], t: number) => -(row[t] - Math.log(row.reduce((a, v) => a + Math.exp(v), 0)));
    const want = (nll([5, 0, 0], 0) + nll([0, 5, 0], 2) + nll([0, 0, 5], 2)) / 3;
    expect(r.loss).toBeCloseTo(want, 4);
    expect(r.metrics.tok).toBeCloseTo(2 / 3, 5);
    expect(r.metrics.seq).toBeCloseTo(0.5, 5);
  });
});

describe('multi-entry models', () => {
  // A toy decoder: encode maps x to the LSTM's initial state, step runs one token; the training graph
  // unrolls the same cell teacher-forced.
  const V = 5;
  const L = 3;
  const toy: MultiEntryDef<'encode' | 'step'> = {
    name: 'toy-entries',
    training(ctx) {
      const x = ctx.input('x', ['batch', D]);
      const prog = ctx.input('prog', ['batch', L], 'int32');
      const h0 = op.tanh(linear(ctx, 'init', x, H));
      const r = unrollLstm(ctx, 'dec', embedding(ctx, 'emb', prog, V, D), { h: h0, c: h0 }, H);
      const logits = linear(ctx, 'out', r.outputs, V);
      if (!ctx.training) return { outputs: { logits } };
      const y = ctx.input('y', ['batch', L], 'int32');
      const m = ctx.input('mask', ['batch', L]);
      return { outputs: { logits }, loss: sequenceLoss(logits, y, m).loss };
    },
    entries: {
      encode(ctx) {
        const h0 = op.tanh(linear(ctx, 'init', ctx.input('x', ['batch', D]), H));
        return { outputs: { h: h0, c: op.identity(h0) } };
      },
      step(ctx) {
        const h = ctx.input('h', ['batch', H]);
        const c = ctx.input('c', ['batch', H]);
        const tok = ctx.input('token', ['batch'], 'int32');
        const s = lstmCell(ctx, 'dec', embedding(ctx, 'emb', tok, V, D), { h, c }, H);
        return { outputs: { hNext: s.h, cNext: s.c, logits: linear(ctx, 'out', s.h, V) } };
      },
    },
  };

  it('encode + step graphs over the trained weights reproduce the training graph', async () => {
    const tr = await createTrainer(trainingDef(toy), { threads: 1, seed: 3, lr: 0.05 });
    const x = Float32Array.from(normals(B * D));
    const prog = Int32Array.from([1, 2, 3, 4, 0, 2]);
    for (let i = 0; i < 3; i++)
      await tr.step({
        x,
        prog,
        y: Int32Array.from([2, 3, 4, 0, 2, 1]),
        mask: new Float32Array(B * L).fill(1),
      });
    const full = await (await tr.exportInference()).run({ x, prog });
    const nets = await entryModels(entryBytes(tr.store, toy), { threads: 1 });
    let st: Record<string, Float32Array> = await nets.encode.run({ x });
    for (let t = 0; t < L; t++) {
      const token = Int32Array.from([prog[t], prog[L + t]]);
      const next = await nets.step.run({ h: st.h, c: st.c, token });
      st = { h: next.hNext, c: next.cNext, logits: next.logits };
      for (let b = 0; b < B; b++)
        for (let v = 0; v < V; v++)
          expect(st.logits[b * V + v]).toBeCloseTo(full.logits[(b * L + t) * V + v], 4);
    }
    await disposeEntries(nets);
  });

  it('refuses an entry whose parameter the training graph never declared', () => {
    const bad: MultiEntryDef = {
      ...toy,
      entries: {
        step: (ctx) => ({ outputs: { y: linear(ctx, 'nowhere', ctx.input('x', ['batch', 2]), 2) } }),
      },
    };
    const store = new ParamStore();
    expect(() => entryBytes(store, bad)).toThrow(/nowhere/);
    expect(store.names).not.toContain('nowhere.w');
  });
});
