/**
 * LaSynth variants end to end on restricted C with tiny networks (K = 6 so that short programs cross
 * two latent executions; one trained learner, as creating a training session is the slow part): each loss falls under training, the executor's prediction of the outputs
 * improves, the incremental graphs (encode, step, exec with the memories, program state and history in the state)
 * give the teacher-forced graph's distributions, and checkpoints are model folders.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBuiltins } from '../../src/builtins.js';
import { decodeGreedy, datasetTasks, relabel, retrainRound } from '../../src/cli/lasynth-retrain.js';
import { Rng, type LoadedModel } from '../../src/core/index.js';
import type { MinicSpec } from '../../src/domains/minic/index.js';
import { openFolder } from '../../src/io/files.js';
import { lasynthBatch, opLabel } from '../../src/models/seq/lasynth/batch.js';
import { LaSynthLearner } from '../../src/models/seq/lasynth/learner.js';
import { BuildContext, ParamStore } from '../../src/nn/build.js';
import { OPS, lasynthNet } from '../../src/models/seq/lasynth/net.js';
import { lasynthLoaded, loadLaSynthModel, newLaSynthConfig } from '../../src/models/seq/lasynth/store.js';
import { bakeEntry, disposeEntries, entryBytes, entryModels } from '../../src/nn/entries.js';
import { InferenceModel } from '../../src/nn/model.js';
import { lasynthOptions, lasynthVariant, lasynthVariants } from '../../src/models/seq/lasynth/variants.js';
import type { SeqDecodeEvaluator } from '../../src/models/seq/evaluator.js';
import { tokenDomain } from '../../src/models/seq/store.js';
import { wholeProgramDomain } from '../../src/models/seq/whole.js';

registerBuiltins();
const lasynth = lasynthVariant('lasynth');
const tokens = tokenDomain(lasynth, {});
const sizes = { hidden: 8, embed: 4, attention: 4, steps: 20 };
const whole = wholeProgramDomain(tokens, sizes.steps);
const rng = new Rng('lasynth-test');
const tasks = Array.from({ length: 6 }, () => whole.sampleTask(rng).spec);
const batch = tasks.map((t) => ({ state: whole.initialState(t), action: t.tokens }));
const dir = mkdtempSync(join(tmpdir(), 'lasynth-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function learnerOf(id: string, seed = 3): Promise<LaSynthLearner> {
  const v = lasynthVariant(id);
  const net = lasynthOptions(v, sizes, tokens.actionSpace.size, { every: 6 });
  return LaSynthLearner.create(v, newLaSynthConfig(v, net, tokens), tokens, { lr: 0.02, seed, threads: 1 });
}

/** log-softmax of row under mask, at action a. */
function maskedLogProb(row: Float32Array, mask: Uint8Array, a: number): number {
  let max = -Infinity;
  for (let v = 0; v < row.length; v++) if (mask[v]) max = Math.max(max, row[v]);
  let sum = 0;
  for (let v = 0; v < row.length; v++) if (mask[v]) sum += Math.exp(row[v] - max);
  return row[a] - max - Math.log(sum);
}

let learner: LaSynthLearner;
beforeAll(async () => {
  learner = await learnerOf('lasynth');
}, 300_000);

describe('LaSynth (tiny, restricted C)', () => {
  it('op labels: the c of out = in + c (tokens are value + 4), none beyond ±4 or out of range', () => {
    expect(opLabel(4, 4)).toBe(4); // 0 → 0: c = 0
    expect(opLabel(0, 8)).toBe(OPS - 1); // −4 → 4: c = 8
    expect(opLabel(2, 0)).toBe(2); // −2 → −4: c = −2
    expect(opLabel(9, 3)).toBe(OPS - 1);
    const f = lasynthBatch(lasynth, tokens.grammar, lasynthOptions(lasynth, sizes, tokens.actionSpace.size), [
      tasks[0],
    ]);
    const endAt = f.endAt as Float32Array;
    expect(endAt.reduce((a, x) => a + x, 0)).toBe(1);
    expect(endAt[tasks[0].tokens.length - 1]).toBe(1);
    expect((f.opLabel as Int32Array).length).toBe(25);
  });

  it('each variant builds the losses of its switches, an exec graph only with partial execution, and entries with disjoint weights', () => {
    const want: Record<string, [boolean, boolean, boolean]> = {
      lasynth: [true, true, true],
      'lasynth-no-partial-executor': [true, true, false],
      'lasynth-no-executor': [false, true, false],
      'lasynth-no-op-predictor': [true, false, true],
      'lasynth-no-self-attention': [true, true, true],
    };
    for (const v of lasynthVariants) {
      const net = lasynthOptions(v, sizes, tokens.actionSpace.size, { every: 6 });
      const ctx = new BuildContext(new ParamStore(new Rng(1)), true);
      const def = lasynthNet(v.id, net);
      const m = def.training(ctx).metrics!;
      const [exec, op, partial] = want[v.id];
      expect('execLoss' in m, v.id).toBe(exec);
      expect('opLoss' in m, v.id).toBe(op);
      expect('exec' in def.entries, v.id).toBe(partial);
      expect(
        [...ctx.params.keys()].some((n) => n.startsWith('dec.self.q')),
        v.id,
      ).toBe(v.switches.selfAttention);
      // Every inference entry uses only parameters the training graph declared, and no parameter is in
      // two entries (a shipped folder stores each weight once).
      const owner = new Map<string, string>();
      for (const [entry, build] of Object.entries(def.entries)) {
        const e = new BuildContext(ctx.store, false);
        build(e);
        for (const name of e.params.keys()) {
          expect(ctx.params.has(name), `${v.id}: ${name}`).toBe(true);
          expect(owner.get(name), `${v.id}: ${name} in ${entry}`).toBeUndefined();
          owner.set(name, entry);
        }
      }
      // The executor reads the program and the latent inputs only, never the outputs or the decoder.
      if (partial) {
        const e = new BuildContext(ctx.store, false);
        def.entries.exec(e);
        expect(
          [...e.params.keys()].every((n) => n.startsWith('exec.')),
          v.id,
        ).toBe(true);
      }
    }
  });

  it('training lowers the token loss, L_Exec and L_Op and the executor predicts the outputs better', async () => {
    const before = await learner.measurePolicy(batch);
    for (let i = 0; i < 25; i++) await learner.trainPolicy(batch);
    const after = await learner.measurePolicy(batch);
    expect(after.loss).toBeLessThan(before.loss);
    expect(after.metrics.execLoss).toBeLessThan(before.metrics.execLoss);
    expect(after.metrics.opLoss).toBeLessThan(before.metrics.opLoss);
    expect(after.metrics.execAccuracy).toBeGreaterThan(before.metrics.execAccuracy);
    expect(after.metrics.opAccuracy).toBeGreaterThan(before.metrics.opAccuracy);
  }, 300_000);

  it('incremental decoding (encode, step, exec; memories, program state and history in the state) gives the teacher-forced distributions', async () => {
    const snap = await learner.trainer.exportInference({ threads: 1 });
    const t = tasks.reduce((a, b) => (b.tokens.length > a.tokens.length ? b : a));
    const feeds = learner.feeds([{ state: whole.initialState(t), action: t.tokens }]);
    const { logits } = await snap.run({ s0: feeds.s0, s1: feeds.s1, prev: feeds.prev });
    await snap.dispose();
    const loaded = await learner.loaded(1);
    const ev = loaded.evaluator() as SeqDecodeEvaluator<unknown>;
    const V = tokens.actionSpace.size;
    let s = tokens.initialState(t.spec);
    expect(t.tokens.length).toBeGreaterThan(13); // crosses executions at t = 6 and 12
    for (let k = 0; k < t.tokens.length; k++) {
      const [e] = await ev.evaluate([s], [{ kind: 'top', k: V }], new Rng(1));
      const mask = tokens.legalMask!(s);
      const row = logits.subarray(k * V, (k + 1) * V);
      for (const p of e.proposals) expect(p.logPrior).toBeCloseTo(maskedLogProb(row, mask, p.action), 4);
      const next = tokens.step(s, t.tokens[k]);
      if (!next.ok) throw new Error(next.reason);
      s = next.state;
    }
    expect(ev.stats.specsEncoded).toBe(1);
    expect(ev.stats.statesStepped).toBe(t.tokens.length);
    expect(ev.stats.stepCalls).toBe(t.tokens.length);
    await loaded.dispose?.();
  }, 120_000);

  it('step graphs with shorter histories (16, 32 …) give bit for bit the full graph’s proposals, from a learner or a folder', async () => {
    const net = learner.config.net;
    const store = learner.trainer.store;
    const def = (history: number) => lasynthNet(lasynth.id, { ...net, history });
    const nets = await entryModels(entryBytes(store, def(net.history)), { threads: 1 });
    const asked: number[] = [];
    const shorter = {
      ...nets,
      stepWithHistory: (slots: number) => {
        asked.push(slots);
        return InferenceModel.fromBytes(bakeEntry(store, def(slots), 'step'), { threads: 1, cache: false });
      },
    };
    await learner.save(dir);
    const models = [
      lasynthLoaded(lasynth, 'full', tokens, net, nets),
      lasynthLoaded(lasynth, 'shorter', tokens, net, shorter),
      await loadLaSynthModel(lasynth, openFolder(dir), 1),
    ];
    const t = tasks.reduce((a, b) => (b.tokens.length > a.tokens.length ? b : a));
    expect(t.tokens.length).toBeGreaterThan(16); // crosses from the 16-slot graph to the 32-slot one
    const evs = models.map((m) => m.evaluator());
    const V = tokens.actionSpace.size;
    let s = tokens.initialState(t.spec);
    for (const a of t.tokens) {
      const [full, ...others] = await Promise.all(
        evs.map(async (ev) => (await ev.evaluate([s], [{ kind: 'top', k: V }], new Rng(1)))[0].proposals),
      );
      for (const o of others) expect(o).toEqual(full);
      const next = tokens.step(s, a);
      if (!next.ok) throw new Error(next.reason);
      s = next.state;
    }
    expect([...new Set(asked)]).toEqual([16, 32]);
    await disposeEntries(nets);
  }, 120_000);

  it('a checkpoint is a model folder; another variant’s is a one-line error', async () => {
    await learner.save(dir);
    const loaded = await loadLaSynthModel(lasynth, openFolder(dir), 1);
    const s0 = loaded.domain.initialState(tasks[0].spec);
    const [e] = await loaded.evaluator().evaluate([s0], [{ kind: 'top', k: 2 }], new Rng(1));
    expect(e.proposals.length).toBe(2);
    await expect(loadLaSynthModel(lasynthVariant('lasynth-no-executor'), openFolder(dir), 1)).rejects.toThrow(
      /config\.json: field 'model'/,
    );
  }, 120_000);

  it('iterative retraining: dataset programs as targets, greedy decoding, relabelling, a training round', async () => {
    const file = join(dir, 'train.jsonl');
    writeFileSync(
      file,
      [
        '{"program": "int * func_1(int a[]) { a[0] = a[0] + 1; return a; }", "examples": [{"input": [1,2,3,4,0], "output": [2,2,3,4,0]}, {"input": [0,0,0,0,0], "output": [1,0,0,0,0]}]}',
        '{"program": "int * func_1(int a[]) { a[1] = a[1] - 2; return a; }", "examples": [{"input": [1,2,3,4,0], "output": [1,0,3,4,0]}, {"input": [0,3,0,0,0], "output": [0,1,0,0,0]}]}',
      ].join('\n') + '\n',
    );
    const ds = datasetTasks(file, tokens, sizes.steps);
    expect(ds.length).toBe(2);
    for (const t of ds) {
      expect(t.tokens[t.tokens.length - 1]).toBe(tokens.grammar.end);
      let s = tokens.initialState(t.spec);
      for (const tok of t.tokens) {
        const n = tokens.step(s, tok);
        if (!n.ok) throw new Error(n.reason);
        s = n.state;
      }
      expect(tokens.isSolved(s)).toBe(true);
    }
    // A scripted model that writes a given program.
    const writes = (prog: readonly number[]): LoadedModel => ({
      id: 'scripted',
      source: 'test',
      domain: tokens,
      evaluator: () => ({
        id: 'scripted',
        evaluate: (states: readonly { length: number }[]) =>
          Promise.resolve(
            states.map((st) => ({
              proposals: [{ action: prog[st.length], logPrior: 0, count: 1 }],
              value: 1,
            })),
          ),
      }),
    });
    const spec0 = ds[0].spec as MinicSpec;
    expect(await decodeGreedy(writes(ds[0].tokens), spec0)).toEqual([...ds[0].tokens]);
    expect(await decodeGreedy(writes(ds[1].tokens), spec0)).toBeNull();
    const other = [...ds[1].tokens];
    const r = relabel(ds, [null, other.reverse()], sizes.steps);
    expect([r.solved, r.replaced]).toEqual([1, 1]);
    expect(r.tasks[0]).toBe(ds[0]);
    expect(relabel(ds, [[...ds[0].tokens], null], sizes.steps).replaced).toBe(0);
    const before = learner.step;
    const round = await retrainRound(1, ds, learner, {
      tokens,
      maxSteps: sizes.steps,
      steps: 2,
      batchSize: 2,
      seed: 1,
    });
    expect(round.report).toMatchObject({ round: 1, tasks: 2, step: before + 2 });
    expect(round.report.solved).toBeGreaterThanOrEqual(round.report.replaced);
  }, 180_000);
});
