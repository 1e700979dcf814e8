import { describe, expect, it } from 'vitest';
import { Rng, uniformEvaluator, type Evaluator } from '../core/index.js';
import { createToyDomain, type ToyState } from '../../test/fixtures/toy/toy-domain.js';
import { runAstar, runBeam, runSmc, searchAlgorithms } from './index.js';

const runRolloutAlg = searchAlgorithms.find((a) => a.id === 'rollout')!;

const domain = createToyDomain();
const task = domain.sampleTask(new Rng(4));
const ctx = (
  budget: { nodes?: number; timeMs?: number },
  evaluator: Evaluator<ToyState, number> = uniformEvaluator(domain),
) => ({
  domain,
  evaluator,
  spec: task.spec,
  budget,
  rng: new Rng(1),
  stopOnSolve: false,
});

describe('searches end when nothing can be expanded (no endless rounds)', () => {
  const silent: Evaluator<ToyState, number> = {
    id: 'no-proposals',
    evaluate: async (states) => states.map(() => ({ proposals: [], value: 0.5 })),
  };
  const terminalRoot = Object.assign(Object.create(domain) as typeof domain, { isTerminal: () => true });
  for (const alg of searchAlgorithms) {
    it(`${alg.id}: terminal root → exhausted, 0 nodes`, async () => {
      const r = await alg.run({ ...ctx({ nodes: 1000 }), domain: terminalRoot });
      expect([r.stopReason, r.nodesExpanded]).toEqual(['exhausted', 0]);
      expect(r.best?.actions).toEqual([]);
    });
    if (alg.id === 'enum') continue;
    it(`${alg.id}: evaluator proposing nothing → exhausted`, async () => {
      const r = await alg.run(ctx({ nodes: 1000 }, silent));
      expect(r.stopReason).toBe('exhausted');
      expect(r.nodesExpanded).toBe(0);
    });
  }
});

describe('algorithm specifics', () => {
  it('smc doubles its population up to the cap, then repeats rounds there', async () => {
    const r = await runSmc(ctx({ nodes: 20_000 }), { maxParticles: 8 });
    expect(r.stats.lastPopulation).toBe(8);
    expect(r.stats.rounds).toBeGreaterThan(4);
    expect(r.stopReason).toBe('nodes');
  });
  it('beam stops after its widest round', async () => {
    const r = await runBeam(ctx({ nodes: 1e6 }), { maxWidth: 4 });
    expect([r.stopReason, r.stats.rounds, r.stats.lastWidth]).toEqual(['exhausted', 3, 4]);
  });
  it('A* keeps its open list within maxQueue, dropping the worst', async () => {
    const r = await runAstar(ctx({ nodes: 3000 }), { maxQueue: 16, popBatch: 2 });
    expect(r.stats.queueSize).toBeLessThanOrEqual(16);
    expect(r.stats.queueDropped).toBeGreaterThan(0);
  });
  it('stopOnSolve (default) ends at the first solution', async () => {
    const r = await runSmc({ ...ctx({ nodes: 1e6 }), stopOnSolve: undefined });
    expect(r.stopReason).toBe('solved');
    expect(r.best?.solved).toBe(true);
    expect(r.firstSolution?.nodes).toBe(r.nodesExpanded);
  });
});

describe('polish: after the first solution, search on for a shorter one', () => {
  const run = (alg: (typeof searchAlgorithms)[number], polish: number, target: number) =>
    alg.run({
      domain,
      evaluator: uniformEvaluator(domain),
      spec: { target },
      budget: { nodes: 200_000 },
      rng: new Rng(1),
      polish,
    });
  it('rollouts: the first program writes 56 in 9 tokens; polishing to 4× its nodes finds 8 7 × (3 tokens)', async () => {
    const first = await run(runRolloutAlg, 1, 56);
    const polished = await run(runRolloutAlg, 4, 56);
    expect([first.best?.solved, first.best?.actions.length]).toEqual([true, 9]);
    expect([polished.best?.solved, polished.best?.actions.map((a) => domain.actionSpace.name(a))]).toEqual([
      true,
      ['8', '7', '*'],
    ]);
    expect(polished.firstSolution).toEqual({ ...polished.firstSolution, nodes: first.firstSolution!.nodes });
    expect(polished.nodesExpanded).toBe(4 * first.firstSolution!.nodes);
    expect(polished.stopReason).toBe('solved');
    // Counted in nodes: the same seed gives the same program.
    expect((await run(runRolloutAlg, 4, 56)).best?.actions).toEqual(polished.best?.actions);
  });
  for (const alg of searchAlgorithms)
    it(`${alg.id}: solved, never longer than the first solution, within polish × its nodes`, async () => {
      for (const target of [12, 56, 63]) {
        const first = await run(alg, 1, target);
        const polished = await run(alg, 4, target);
        expect(polished.best?.solved).toBe(true);
        expect(polished.stopReason).toBe('solved');
        expect(polished.best!.actions.length).toBeLessThanOrEqual(first.best!.actions.length);
        expect(polished.nodesExpanded).toBeLessThanOrEqual(4 * first.firstSolution!.nodes);
      }
    });
});

describe('searches let the event loop in (a Ctrl-C or a timer is not starved by an instant evaluator)', () => {
  for (const alg of searchAlgorithms) {
    it(`${alg.id}: an abort from a timer ends a 20 s search within a second`, async () => {
      const controller = new AbortController();
      let fired = false;
      const timer = setTimeout(() => {
        fired = true;
        controller.abort();
      }, 30);
      const t0 = performance.now();
      const r = await alg.run({ ...ctx({ timeMs: 20_000 }), signal: controller.signal });
      const ms = performance.now() - t0;
      clearTimeout(timer);
      expect(ms).toBeLessThan(1000);
      if (r.stopReason !== 'exhausted') expect([r.stopReason, fired]).toEqual(['time', true]);
    });
  }
});
