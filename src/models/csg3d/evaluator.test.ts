import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, replay, type ModelFiles } from '../../core/index.js';
import { actionKey, bestIoU, createCsg3dDomain, type Csg3dState } from '../../domains/csg3d/index.js';
import { Csg3dEvaluator, UniformBackend, uniformCsg3dEvaluator } from './evaluator.js';
import { Csg3dLearner, packBatch } from './learner.js';
import { loadCsg3dModel, readCsg3dConfig } from './store.js';

const domain = createCsg3dDomain();
const tinyNet = { filters: [2, 4], strides: [4, 4], hidden: 8, context: 8, attention: 4, valueHidden: 4 };
const dirs: string[] = [];
/** A read-only model folder (the CLI's io/files.ts is off limits to models). */
const folder = (dir: string): ModelFiles => ({
  location: dir,
  has: (name) => Promise.resolve(existsSync(join(dir, name))),
  read: (name) => Promise.resolve(new Uint8Array(readFileSync(join(dir, name)))),
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function traceStates(seed: number, maxSize: number): Csg3dState[] {
  const t = domain.sampleTask(new Rng(seed), { maxSize });
  const r = replay(domain, t.spec, t.trace);
  if (!r.ok) throw new Error(r.reason);
  return r.states;
}

describe('csg3d evaluator and learner', () => {
  it('packs each distinct [spec, object] once and the inference pieces score as the training graph', async () => {
    const states = traceStates(3, 4).slice(0, 6);
    const packed = packBatch(states, 8, 4);
    const objects = new Set(states.flatMap((s) => s.objects.map((o) => o.key)));
    expect(packed.pairs.length / (2 * 32 ** 3)).toBe(1 + objects.size + 1); // spec, objects, zero row
    const learner = await Csg3dLearner.create(domain, tinyNet, { seed: 2, threads: 1 }, 8);
    const full = await learner.trainer.exportInference();
    const out = await full.run(packed as never);
    const ev = (await learner.evaluator()) as Csg3dEvaluator;
    const scores = await ev.backend.score(states);
    states.forEach((_, i) => {
      for (let j = 0; j < 5; j++) expect(scores[i].typeLogits[j]).toBeCloseTo(out.typeLogits[i * 5 + j], 5);
      expect(scores[i].value).toBeCloseTo(Math.exp(-out.negLogValue[i]), 5);
    });
    await full.dispose();
    await learner.dispose();
  }, 60_000);

  it('proposals are legal and merged; a population reuses cached object encodings', async () => {
    const learner = await Csg3dLearner.create(domain, tinyNet, { seed: 2, threads: 1 }, 8);
    const ev = (await learner.evaluator()) as Csg3dEvaluator;
    const task = domain.sampleTask(new Rng(5), { maxSize: 4 });
    const rng = new Rng(1);
    let pop: Csg3dState[] = Array.from({ length: 8 }, () => domain.initialState(task.spec));
    for (let depth = 0; depth < 3; depth++) {
      const out = await ev.evaluate(
        pop,
        pop.map((_, i) => (i % 2 ? { kind: 'top' as const, k: 3 } : { kind: 'sample' as const, count: 4 })),
        rng,
      );
      out.forEach((e, i) => {
        const keys = e.proposals.map((p) => actionKey(p.action));
        expect(new Set(keys).size).toBe(keys.length);
        for (const p of e.proposals) expect(domain.step(pop[i], p.action).ok).toBe(true);
      });
      pop = pop.map((s, i) => {
        const r = domain.step(s, out[i].proposals[0].action);
        return r.ok ? r.state : s;
      });
    }
    expect(ev.stats.headRuns).toBe(3);
    expect(ev.stats.specsEncoded).toBe(1);
    expect(ev.stats.objectsNeeded).toBeGreaterThan(ev.stats.objectsEncoded);
    await learner.dispose();
  }, 60_000);

  it('imitation lowers the loss; a checkpoint saves, loads through ModelFiles and resumes', async () => {
    const learner = await Csg3dLearner.create(domain, tinyNet, { seed: 3, threads: 1, lr: 3e-3 }, 8);
    const task = domain.sampleTask(new Rng(1), { maxSize: 3, extra: { minShapes: 3 } });
    const r = replay(domain, task.spec, task.trace);
    if (!r.ok) throw new Error(r.reason);
    const batch = task.trace.map((action, i) => ({ state: r.states[i], action })).slice(0, 8);
    const first = await learner.trainPolicy(batch);
    let last = first;
    for (let i = 0; i < 25; i++) last = await learner.trainPolicy(batch);
    expect(last.loss).toBeLessThan(first.loss);
    const v = await learner.trainValue(batch.map((e, i) => ({ state: e.state, success: i % 2 === 0 })));
    expect(Number.isFinite(v.loss)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'csg3d-model-'));
    dirs.push(dir);
    await learner.save(dir, { note: 'test' });
    const files = folder(dir);
    const loaded = await loadCsg3dModel(files, 1);
    const [e] = await loaded.evaluator().evaluate([batch[0].state], [{ kind: 'top', k: 2 }], new Rng(1));
    expect(e.proposals).toHaveLength(2);
    const again = await Csg3dLearner.resume(domain, dir, await readCsg3dConfig(files), 1, 8);
    expect(again.step).toBe(learner.step);
    expect((await again.measurePolicy(batch)).loss).toBeCloseTo((await learner.measurePolicy(batch)).loss, 4);
    await again.dispose();
    await learner.dispose();
  }, 90_000);

  it('the uniform evaluator samples every primitive type', async () => {
    const ev = uniformCsg3dEvaluator(domain);
    const [root] = traceStates(6, 2);
    const [e] = await ev.evaluate([root], [{ kind: 'sample', count: 200 }], new Rng(3));
    expect(new Set(e.proposals.map((p) => p.action.op))).toEqual(new Set(['cuboid', 'sphere', 'cylinder']));
  });

  it('a value shape multiplies the network value by a power of the best IoU in scope', async () => {
    const states = traceStates(7, 6);
    const shaped = new Csg3dEvaluator(domain, new UniformBackend(4, 0.5), {
      network: 1,
      iouPower: 2,
      floor: 0.01,
    });
    const only = new Csg3dEvaluator(domain, new UniformBackend(4, 0.5), {
      network: 0,
      iouPower: 1,
      floor: 0.01,
    });
    const a = await shaped.evaluate(states, null, new Rng(1));
    const b = await only.evaluate(states, null, new Rng(1));
    states.forEach((s, i) => {
      const best = Math.max(0.01, bestIoU(s));
      expect(a[i].value).toBeCloseTo(0.5 * best * best, 9);
      expect(b[i].value).toBeCloseTo(best, 9);
    });
    // Along a ground-truth trace the last state is exact: its shaped value is the network's.
    expect(a[a.length - 1].value).toBeCloseTo(0.5, 9);
  });
});
