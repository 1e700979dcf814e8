import { describe, expect, it } from 'vitest';
import { getSearch, Rng } from '../src/core/index.js';
import '../src/search/index.js';
import { createStringsDomain, runProgram } from '../src/domains/strings/index.js';
import { StringsLearner } from '../src/models/strings/learner.js';
import { loadStringsModel } from '../src/models/strings/store.js';
import { openFolder } from '../src/io/files.js';

// The committed model must load, match its domain, and guide SMC to programs that generalise.
describe('shipped strings model (models/strings)', () => {
  it('loads with a config that matches the domain it was trained for', async () => {
    const m = await loadStringsModel(openFolder('models/strings'), 1);
    expect(m.config.net.actions).toBe(m.domain.actionSpace.size);
    expect(m.model.outputNames).toContain('logits');
    expect(m.model.outputNames).toContain('valueLogit');
  });

  it('SMC with the model solves realistic tasks within a node budget, and the programs generalise', async () => {
    const m = await loadStringsModel(openFolder('models/strings'), 1);
    const tasks = [
      {
        examples: [
          { inputs: ['Grace Hopper'], output: 'Hopper' },
          { inputs: ['Alan Turing'], output: 'Turing' },
          { inputs: ['Ada Lovelace'], output: 'Lovelace' },
          { inputs: ['Edsger Dijkstra'], output: 'Dijkstra' },
        ],
        test: { inputs: ['Barbara Liskov'], output: 'Liskov' },
      },
      {
        examples: [
          { inputs: ['(555) 123-4567'], output: '555' },
          { inputs: ['(212) 555-0199'], output: '212' },
          { inputs: ['(415) 867-5309'], output: '415' },
          { inputs: ['(800) 275-2273'], output: '800' },
        ],
        test: { inputs: ['(617) 253-1000'], output: '617' },
      },
    ];
    for (const t of tasks) {
      const r = await getSearch('smc').run({
        domain: m.domain,
        evaluator: m.evaluator(),
        spec: { examples: t.examples },
        budget: { nodes: 20_000 },
        rng: new Rng(1),
      });
      expect(r.best?.solved).toBe(true);
      const p = m.domain.program(r.best!.state)!;
      expect(runProgram(p, t.test.inputs)).toBe(t.test.output);
    }
  });
});

describe('StringsLearner.warmStart into rich mode', () => {
  it('remaps the shipped extended model: on the old actions it scores states exactly as before', async () => {
    const { readStringsConfig } = await import('../src/models/strings/store.js');
    const { netOptionsFor } = await import('../src/models/strings/evaluator.js');
    const shipped = await loadStringsModel(openFolder('models/strings'), 1);
    const cfg = await readStringsConfig(openFolder('models/strings'));
    const rich = createStringsDomain({ ...cfg.domainParams, mode: 'rich' });
    const n = netOptionsFor(rich);
    const target = {
      ...cfg,
      domainParams: { ...rich.params } as Record<string, string | number | boolean>,
      net: { ...cfg.net, actions: n.actions, actionTypes: n.actionTypes, maskRows: n.maskRows },
    };
    const l = await StringsLearner.warmStart(rich, 'models/strings', target, { seed: 1, threads: 1 });
    const spec = {
      examples: [
        { inputs: ['Grace Hopper'], output: 'Hopper, G.' },
        { inputs: ['Alan Turing'], output: 'Turing, A.' },
      ],
    };
    const old = await shipped.evaluator().scores([shipped.domain.initialState(spec)]);
    const ev = (await l.evaluator()) as unknown as {
      scores(s: unknown[]): Promise<{ logits: Float32Array; value: number }[]>;
    };
    const now = await ev.scores([rich.initialState(spec)]);
    const A = shipped.domain.actionSpace.size;
    const a = Array.from(old[0].logits);
    const b = Array.from(now[0].logits.slice(0, A));
    for (let i = 0; i < A; i++) expect(b[i]).toBeCloseTo(a[i], 3);
    expect(now[0].value).toBeCloseTo(old[0].value, 4);
    await l.dispose();
  });
});
