/**
 * The sequence family end to end on restricted C with tiny networks: teacher-forcing batches, the
 * incremental graphs against the teacher-forced one, the decode evaluator's caching and legality,
 * checkpoints as model folders, and the Property Signatures encoding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBuiltins } from '../../src/builtins.js';
import { Rng } from '../../src/core/index.js';
import type { MinicSpec } from '../../src/domains/minic/index.js';
import { openFolder } from '../../src/io/files.js';
import { propertySignature, propsigMinic, robustfillMinic } from '../../src/models/seq/minic.js';
import { teacherBatch } from '../../src/models/seq/batch.js';
import type { TokenStateLike } from '../../src/models/seq/codec.js';
import type { SeqDecodeEvaluator } from '../../src/models/seq/evaluator.js';
import { netOptions } from '../../src/models/seq/kind.js';
import { SeqLearner } from '../../src/models/seq/learner.js';
import { loadSeqModel, newSeqConfig, tokenDomain } from '../../src/models/seq/store.js';
import { wholeProgramDomain } from '../../src/models/seq/whole.js';

registerBuiltins();
const tokens = tokenDomain(robustfillMinic, {});
const sizes = { hidden: 8, embed: 4, attention: 4, steps: 16 };
const net = netOptions(robustfillMinic, sizes, tokens.actionSpace.size);
const whole = wholeProgramDomain(tokens, net.steps);
const rng = new Rng('seq-test');
const tasks = Array.from({ length: 4 }, () => whole.sampleTask(rng).spec);
let learner: SeqLearner;
const dir = mkdtempSync(join(tmpdir(), 'seq-test-'));

beforeAll(async () => {
  learner = await SeqLearner.create(robustfillMinic, newSeqConfig(robustfillMinic, net, tokens), tokens, {
    lr: 0.01,
    seed: 2,
    threads: 1,
  });
  const batch = tasks.map((t) => ({ state: whole.initialState(t), action: t.tokens }));
  for (let i = 0; i < 3; i++) await learner.trainPolicy(batch);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sequence models (tiny, restricted C)', () => {
  it('teacher batches shift the program behind the start token and mask padding', () => {
    const t = tasks[0];
    const V = tokens.actionSpace.size;
    const b = teacherBatch(robustfillMinic.codec, tokens.grammar, net.steps, [t]);
    expect((b.prev as Int32Array)[0]).toBe(V);
    expect((b.prev as Int32Array)[1]).toBe(t.tokens[0]);
    expect([...(b.target as Int32Array).slice(0, t.tokens.length)]).toEqual([...t.tokens]);
    const mask = b.mask as Float32Array;
    expect(mask.reduce((a, x) => a + x, 0)).toBe(t.tokens.length);
    // Each real target is legal under its row of the grammar mask.
    const legal = b.legal as Float32Array;
    t.tokens.forEach((tok, s) => expect(legal[s * V + tok]).toBe(1));
    expect(() => teacherBatch(robustfillMinic.codec, tokens.grammar, 2, [t])).toThrow(/steps/);
  });

  it('training lowers the loss on the batch it sees', async () => {
    const batch = tasks.map((t) => ({ state: whole.initialState(t), action: t.tokens }));
    const before = (await learner.measurePolicy(batch)).loss;
    for (let i = 0; i < 5; i++) await learner.trainPolicy(batch);
    expect((await learner.measurePolicy(batch)).loss).toBeLessThan(before);
  }, 60_000);

  it('incremental decoding (encode + step, cached) gives the teacher-forced graph’s distributions', async () => {
    const snap = await learner.trainer.exportInference({ threads: 1 });
    const t = tasks[1];
    const feeds = teacherBatch(robustfillMinic.codec, tokens.grammar, net.steps, [t]);
    const { logits } = await snap.run({ s0: feeds.s0, s1: feeds.s1, prev: feeds.prev });
    await snap.dispose();
    const loaded = await learner.loaded(1);
    const ev = loaded.evaluator() as SeqDecodeEvaluator<unknown>;
    const V = tokens.actionSpace.size;
    let s = tokens.initialState(t.spec);
    for (let k = 0; k < t.tokens.length; k++) {
      const [e] = await ev.evaluate([s], [{ kind: 'top', k: V }], new Rng(1));
      const mask = tokens.legalMask!(s);
      // log-softmax of the teacher-forced logits under the same mask
      const row = logits.subarray(k * V, (k + 1) * V);
      let max = -Infinity;
      for (let v = 0; v < V; v++) if (mask[v]) max = Math.max(max, row[v]);
      let sum = 0;
      for (let v = 0; v < V; v++) if (mask[v]) sum += Math.exp(row[v] - max);
      for (const p of e.proposals) {
        expect(mask[p.action]).toBe(1);
        expect(p.logPrior).toBeCloseTo(row[p.action] - max - Math.log(sum), 4);
      }
      expect(e.proposals.length).toBe(mask.reduce((a, x) => a + x, 0));
      const next = tokens.step(s, t.tokens[k]);
      if (!next.ok) throw new Error(next.reason);
      s = next.state;
    }
    // One encode for the spec and one step row per prefix: nothing recomputed.
    expect(ev.stats.specsEncoded).toBe(1);
    expect(ev.stats.statesStepped).toBe(t.tokens.length);
    await loaded.dispose?.();
  }, 60_000);

  it('the evaluator batches a population into one step call and reuses cached prefixes', async () => {
    const loaded = await learner.loaded(1);
    const ev = loaded.evaluator() as SeqDecodeEvaluator<unknown>;
    const root = tokens.initialState(tasks[2].spec);
    const [r] = await ev.evaluate([root], [{ kind: 'top', k: 4 }], new Rng(1));
    const children: TokenStateLike[] = r.proposals.map((p) => {
      const n = tokens.step(root, p.action);
      if (!n.ok) throw new Error(n.reason);
      return n.state;
    });
    const calls = ev.stats.stepCalls;
    const a = await ev.evaluate(
      children,
      children.map(() => ({ kind: 'sample', count: 5 })),
      new Rng(7),
    );
    expect(ev.stats.stepCalls).toBe(calls + 1);
    const b = await ev.evaluate(
      children,
      children.map(() => ({ kind: 'sample', count: 5 })),
      new Rng(7),
    );
    expect(ev.stats.stepCalls).toBe(calls + 1);
    expect(ev.stats.cacheHits).toBeGreaterThan(0);
    expect(b).toEqual(a);
    // A prefix none of whose ancestors were evaluated is computed through them (one call per depth).
    const fresh = loaded.evaluator() as SeqDecodeEvaluator<unknown>;
    let deep: TokenStateLike = tokens.initialState(tasks[2].spec);
    for (const tok of tasks[2].tokens.slice(0, 3)) {
      const n = tokens.step(deep, tok);
      if (!n.ok) throw new Error(n.reason);
      deep = n.state;
    }
    const [e] = await fresh.evaluate([deep], [{ kind: 'top', k: 1 }], new Rng(1));
    expect(fresh.stats.stepCalls).toBe(4);
    expect(tokens.legalMask!(deep)[e.proposals[0].action]).toBe(1);
    await loaded.dispose?.();
  }, 60_000);

  it('a checkpoint is a model folder; a foreign or broken one is a one-line error', async () => {
    await learner.save(dir);
    const loaded = await loadSeqModel(robustfillMinic, openFolder(dir), 1);
    const s0 = loaded.domain.initialState(tasks[0].spec);
    const [e] = await loaded.evaluator().evaluate([s0], [{ kind: 'top', k: 2 }], new Rng(1));
    expect(e.proposals.length).toBe(2);
    await expect(loadSeqModel(propsigMinic, openFolder(dir), 1)).rejects.toThrow(
      /config\.json: field 'model'/,
    );
  }, 60_000);

  it('property signatures: all / none / some per position and constant', () => {
    const spec: MinicSpec = {
      examples: [
        { input: [0, 1, 2, 3, 4], output: [1, 1, 2, 3, 0] },
        { input: [1, 1, 1, 1, 1], output: [2, 1, 0, 1, 1] },
      ],
    };
    const sig = propertySignature(spec);
    expect(sig.length).toBe(45);
    const at = (i: number, c: number) => sig[9 * i + c + 4];
    expect(at(0, 1)).toBe(0); // out[0] = in[0] + 1 in both
    expect(at(0, 0)).toBe(1); // never equal
    expect(at(1, 0)).toBe(0);
    expect(at(2, 0)).toBe(2); // equal in the first example only
    expect(at(2, -1)).toBe(2);
    expect(at(4, -4)).toBe(2);
  });
});
