import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../src/core/index.js';
import { createCsg2dDomain } from '../src/domains/csg2d/index.js';
import { Csg2dLearner } from '../src/models/csg2d/learner.js';
import type { Csg2dModelConfig } from '../src/models/csg2d/store.js';
import { StringsLearner, type StringsModelConfig } from '../src/models/strings/learner.js';
import { createStringsDomain } from '../src/domains/strings/index.js';
import { contentHash, loadInferenceModel, readInitializers, type FeedArray } from '../src/nn/index.js';

const { onnx } = onnxProto;
const MODELS = 'models';
const LIMIT = 40e6;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}
const onnxFiles = filesUnder(MODELS).filter((f) => f.endsWith('.onnx'));

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

describe('shipped weights (models/)', () => {
  it(`total at most ${LIMIT / 1e6} MB`, () => {
    const sizes = filesUnder(MODELS).map((f) => statSync(f).size);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(LIMIT);
    expect(onnxFiles.length).toBeGreaterThan(0);
  });

  it('no two .onnx files hold the same weights (every tensor of 1 KB or more is shipped once)', () => {
    const seen = new Map<string, string>();
    const dups: string[] = [];
    for (const f of onnxFiles) {
      for (const t of onnx.ModelProto.decode(readFileSync(f)).graph?.initializer ?? []) {
        const raw = t.rawData;
        if (!raw || raw.byteLength < 1024) continue;
        const key = `${t.dataType}:${contentHash(raw)}:${raw.byteLength}`;
        const where = `${relative(MODELS, f)}:${t.name}`;
        const first = seen.get(key);
        if (first && first.split(':')[0] !== where.split(':')[0]) dups.push(`${first} = ${where}`);
        else if (!first) seen.set(key, where);
      }
    }
    expect(dups).toEqual([]);
  });

  for (const f of onnxFiles)
    it(`${relative(MODELS, f)} loads in ONNX Runtime and runs`, async () => {
      const m = await loadInferenceModel(f, { threads: 1 });
      const feeds: Record<string, FeedArray> = {};
      for (const i of m.inputs) {
        const n = i.shape.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 2), 1);
        feeds[i.name] = i.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
      }
      const out = await m.run(feeds);
      for (const k of m.outputNames) expect(out[k].every(Number.isFinite), k).toBe(true);
    });

  it('models/csg2d stays resumable (weights from the float16 pieces, Adam state from the folder)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipped-csg2d-'));
    tmp.push(dir);
    cpSync(join(MODELS, 'csg2d'), dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Csg2dModelConfig;
    const state = JSON.parse(readFileSync(join(dir, 'training-state.json'), 'utf8')) as { step: number };
    const domain = createCsg2dDomain(config.domainParams);
    const learner = await Csg2dLearner.resume(domain, dir, config, 1);
    expect(learner.step).toBe(state.step);
    const shipped = readInitializers(readFileSync(join(dir, 'head.onnx')));
    const ctx = learner.trainer.store.values.get('context.w')!;
    expect(Array.from(ctx.data)).toEqual(Array.from(shipped.get('context.w')!.data));
    const task = domain.sampleTask(new Rng(1));
    const r = await learner.trainPolicy([{ state: domain.initialState(task.spec), action: task.trace[0] }]);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(learner.step).toBe(state.step + 1);
    // A save from the resumed learner is an ordinary checkpoint again, and resumes.
    await learner.save(dir, { resumedFrom: 'models/csg2d' });
    await learner.dispose();
    const again = await Csg2dLearner.resume(domain, dir, config, 1);
    expect(again.step).toBe(state.step + 1);
    await again.dispose();
  }, 120_000);

  it('models/strings warm-starts training (its float16 weights read back as float32)', async () => {
    const dir = join(MODELS, 'strings');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as StringsModelConfig;
    const domain = createStringsDomain(config.domainParams);
    const learner = await StringsLearner.warmStart(domain, dir, config, { threads: 1, seed: 1 });
    const shipped = readInitializers(readFileSync(join(dir, 'model.onnx')));
    // Only the network's parameters are taken over, not the file's graph constants.
    expect(learner.trainer.store.names.filter((n) => !shipped.has(n))).toEqual([]);
    expect(learner.trainer.store.names.filter((n) => /^c\d+$/.test(n))).toEqual([]);
    for (const name of ['char.table', 'conv.w', 'policy.w', 'value.1.w']) {
      const w = learner.trainer.store.values.get(name)!;
      expect(Array.from(w.data), name).toEqual(Array.from(shipped.get(name)!.data));
    }
    const task = domain.sampleTask(new Rng(2));
    const before = Float32Array.from(learner.trainer.store.values.get('policy.w')!.data);
    const r = await learner.trainPolicy([{ state: domain.initialState(task.spec), action: task.trace[0] }]);
    expect(Number.isFinite(r.loss)).toBe(true);
    // Fresh Adam moments start with step 0, so the bias correction holds the first update to about lr
    // (1e-3) per weight; with the shipped model's step count carried over it was 3.2× lr.
    expect(learner.step).toBe(1);
    const after = learner.trainer.store.values.get('policy.w')!.data;
    let most = 0;
    for (let i = 0; i < after.length; i++) most = Math.max(most, Math.abs(after[i] - before[i]));
    expect(most).toBeLessThan(1.05e-3);
    expect(most).toBeGreaterThan(0.5e-3);
    await learner.dispose();
  }, 120_000);
});
