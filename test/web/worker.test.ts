import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/nn/runtime-node.js';
import {
  FlatEvaluator,
  models,
  problems,
  refiners,
  Rng,
  type LoadedModel,
  type ModelFiles,
} from '../../src/core/index.js';
import { registerBuiltins } from '../../src/builtins.js';
import { resolveMethod, baseMethods } from '../../src/methods/index.js';
import type { FromWorker } from '../../src/web/app/protocol.js';
import { buildCatalog } from '../../src/web/app/worker/catalog.js';
import { Meter, meteredModel } from '../../src/web/app/worker/meter.js';
import { Runner, specsOf } from '../../src/web/app/worker/runner.js';
import { shippedFiles } from '../../src/web/build/plugins.js';
import { repo } from './browser.js';

// The worker's logic runs in node too (onnxruntime-node instead of -web): the catalog, the metering
// wrappers, and a whole run against the page's copy of the models, compared with the CLI's method.

registerBuiltins();
const { manifest, files } = shippedFiles(repo);
const diskFolder = (location: string): ModelFiles => ({
  location,
  has: async (name) => files.includes(`${location}/${name}`),
  read: async (name) => new Uint8Array(readFileSync(join(repo, location, name))),
});

describe('the build copies what the page needs', () => {
  it('every shipped model file a definition declares, no training state, and the examples', () => {
    for (const m of models.list().filter((d) => d.shipped))
      for (const f of manifest[m.shipped!]) expect(files).toContain(`models/${m.shipped}/${f}`);
    expect(files.some((f) => /training-state|train-log|MODEL_CARD/.test(f))).toBe(false);
    expect(files).toContain('examples/strings/names.jsonl');
    expect(files).toContain('examples/cad/scene-6.png');
  });
});

describe('catalog', () => {
  const catalog = buildCatalog(
    manifest,
    files.filter((f) => f.startsWith('examples/')),
    1,
  );

  it('lists every registered problem with its methods, refiners, inputs and exports', () => {
    expect(catalog.problems.map((p) => p.id)).toEqual(problems.list().map((p) => p.id));
    for (const p of catalog.problems) {
      expect(p.methods.map((m) => m.id)).toEqual(baseMethods(p.id).map((m) => m.id));
      expect(p.refiners.map((r) => r.id)).toEqual(
        refiners
          .list()
          .filter((r) => r.def.problem === p.id)
          .map((r) => r.def.id),
      );
      expect(p.exporters.length).toBe(problems.get(p.id).io.exporters.length);
      // The default method is one the page can name.
      expect(() => resolveMethod(p.id, p.defaultMethod)).not.toThrow();
    }
  });

  it('marks image formats, trained models and bundled examples per problem', () => {
    const cad = catalog.problems.find((p) => p.id === 'csg2d')!;
    expect(cad.inputs[0].image).toBe(true);
    expect(cad.examples).toContain('examples/cad/scene-6.png');
    const strings = catalog.problems.find((p) => p.id === 'strings')!;
    expect(strings.inputs[0].image).toBe(false);
    expect(strings.examples[0]).toBe('examples/strings/names.jsonl'); // its demo first
    expect(strings.methods.find((m) => m.id === 'smc')).toMatchObject({ model: 'strings', trained: true });
    expect(strings.methods.find((m) => m.id === 'enum')).toMatchObject({ model: null });
  });
});

describe('meter', () => {
  it('counts steps and evaluator calls without changing what they return', async () => {
    const def = models.get('strings');
    const loaded = await def.load(diskFolder('models/strings'), { threads: 1 });
    const meter = new Meter();
    meter.reset(null);
    const m: LoadedModel = meteredModel(loaded, meter);
    const spec = { examples: [{ inputs: ['Jane Smith'], output: 'J. Smith' }] };
    const s0 = m.domain.initialState(spec);
    const [e1] = await m.evaluator().evaluate([s0], [{ kind: 'top', k: 3 }], new Rng(1));
    const [e2] = await loaded.evaluator().evaluate([s0], [{ kind: 'top', k: 3 }], new Rng(1));
    expect(e1).toEqual(e2);
    expect(meter.calls).toBe(1);
    expect(meter.batch).toBe(1);
    const r = m.domain.step(s0, e1.proposals[0].action);
    expect(r).toEqual(loaded.domain.step(s0, e1.proposals[0].action));
    expect(meter.nodes).toBe(1);
    expect(m.domain.id).toBe(loaded.domain.id);
    // The wrapper inherits from the evaluator it wraps (a method may read its counters).
    expect(m.evaluator()).toBeInstanceOf(FlatEvaluator);
  });
});

describe('runner', () => {
  it('runs a task file like the CLI: the same beam programs, with progress and improvements posted', async () => {
    const runner = new Runner(diskFolder, manifest, 1);
    const bytes = new Uint8Array(readFileSync(join(repo, 'examples/strings/names.jsonl')));
    const source = { kind: 'file' as const, format: 'tasks', name: 'names.jsonl', bytes };
    const got: FromWorker[] = [];
    await runner.run(
      {
        type: 'run',
        runId: 7,
        problem: 'strings',
        source,
        options: {},
        method: 'beam',
        timeMs: 120_000,
        nodes: 300,
        seed: 1,
        params: {},
      },
      (m) => got.push(m),
    );
    const results = got.filter((m) => m.type === 'result');
    const { specs } = specsOf(problems.get('strings'), source, {});
    expect(results.length).toBe(specs.length);
    expect(got.at(-1)).toEqual({ type: 'done', runId: 7, stopped: false });
    expect(got.some((m) => m.type === 'improve')).toBe(true);
    // The same method the CLI prepares, on the same files, gives the same programs.
    const method = await resolveMethod('strings', 'beam').create({
      model: await models.get('strings').load(diskFolder('models/strings'), { threads: 1 }),
    });
    const { runOne } = await import('../../src/eval/run-one.js');
    for (const [i, s] of specs.entries()) {
      const want = await runOne(problems.get('strings'), method, s, {
        timeMs: 120_000,
        nodes: 300,
        seed: 1,
        index: i,
      });
      const r = results[i] as Extract<FromWorker, { type: 'result' }>;
      expect(r.result.program).toBe(want.program);
    }
  });

  it('reports a bad input as an error message, not a crash', async () => {
    const runner = new Runner(diskFolder, manifest, 1);
    const got: FromWorker[] = [];
    const bytes = new TextEncoder().encode('{"examples": 3}\n');
    await runner.run(
      {
        type: 'run',
        runId: 1,
        problem: 'strings',
        source: { kind: 'file', format: 'tasks', name: 'bad.jsonl', bytes },
        options: {},
        method: 'smc',
        timeMs: 1000,
        nodes: null,
        seed: 1,
        params: {},
      },
      (m) => got.push(m),
    );
    expect(got).toEqual([{ type: 'error', runId: 1, message: expect.stringMatching(/bad\.jsonl:1/) }]);
  });
});
