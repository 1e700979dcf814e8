import { describe, expect, it } from 'vitest';
import {
  BestTracker,
  BudgetTracker,
  Rng,
  getSearch,
  stopReasonOf,
  type Evaluator,
  type SearchAlgorithm,
  type SearchContext,
} from '../../src/core/index.js';
import { checkSearch, type SearchCheckName } from '../../src/conformance/index.js';
import { registerAllSearches, runBeam, runSmc, smcSearch } from '../../src/search/index.js';
import { describeSearchConformance } from './describe-conformance.js';

// Every registered search with its defaults is checked in registry.test.ts; here, option variants.
describeSearchConformance(smcSearch, { options: { resampling: 'multinomial' }, tasks: 10 });

describe('search registry', () => {
  it('registers every id, and registering twice is harmless', () => {
    registerAllSearches();
    registerAllSearches();
    for (const id of ['smc', 'beam', 'beam-value', 'astar', 'rollout', 'enum'])
      expect(getSearch(id).id).toBe(id);
  });
  it('rejects bad options with a one-line message', async () => {
    await expect(
      smcSearch.run({} as SearchContext<unknown, unknown, unknown>, { maxParticles: 0 }),
    ).rejects.toThrow(/smc: option 'maxParticles'/);
  });
});

// Deliberately broken algorithms: each must be caught by the check named for it.
function broken(id: string, run: SearchAlgorithm['run']): SearchAlgorithm {
  return { id, description: 'broken on purpose', defaults: {}, run };
}

/** Random walks that never look at the node budget. */
const ignoresNodeBudget = broken('ignores-node-budget', async (ctx) => {
  const tracker = new BudgetTracker(ctx.budget, ctx.clock);
  const best = new BestTracker(ctx.domain, tracker);
  const root = ctx.domain.initialState(ctx.spec);
  best.offer(root, []);
  for (let walk = 0; walk < 400; walk++) {
    let state = root;
    const actions: unknown[] = [];
    for (let d = 0; d < ctx.domain.maxDepth; d++) {
      const a = ctx.domain.randomLegalAction(state, ctx.rng);
      if (a === null) break;
      const r = ctx.domain.step(state, a);
      tracker.expand();
      if (!r.ok) break;
      state = r.state;
      actions.push(a);
      if (best.offer(state, actions as never[]) && (ctx.stopOnSolve ?? true))
        return best.result('solved', {});
    }
  }
  return best.result(stopReasonOf(tracker, false), {});
});

/** SMC whose evaluator is called once per particle. */
const unbatched = broken('unbatched', (ctx, o) => {
  const inner = ctx.evaluator as Evaluator<unknown, unknown>;
  const perState: Evaluator<unknown, unknown> = {
    id: 'per-state',
    async evaluate(states, requests, rng) {
      const out = [];
      for (let i = 0; i < states.length; i++)
        out.push(...(await inner.evaluate([states[i]], requests && [requests[i]], rng)));
      return out;
    },
  };
  return runSmc({ ...ctx, evaluator: perState } as SearchContext<unknown, unknown, unknown>, o) as never;
});

let globalCounter = 0;
/** SMC seeded from a global counter instead of ctx.rng. */
const unseeded = broken('unseeded', (ctx, o) => runSmc({ ...ctx, rng: new Rng(globalCounter++) }, o));

/** Declares itself unguided (no model needed) but runs SMC, which calls the evaluator. */
const falselyUnguided: SearchAlgorithm = { ...broken('falsely-unguided', runSmc), usesEvaluator: false };

/** SMC that believes half the time has passed: overshoots the time budget. */
const slowClock = broken('slow-clock', (ctx, o) => {
  const clock = ctx.clock!;
  return runSmc({ ...ctx, clock: () => clock() / 2 }, o);
});

/** Beam search reporting a best whose actions do not reach its state. */
const lyingBest = broken('lying-best', async (ctx, o) => {
  const r = await runBeam(ctx, o);
  return r.best && r.best.actions.length > 0
    ? { ...r, best: { ...r.best, actions: r.best.actions.slice(1) } }
    : r;
});

describe('checkSearch catches deliberately broken algorithms', () => {
  const cases: [SearchAlgorithm, SearchCheckName][] = [
    [ignoresNodeBudget, 'node-budget'],
    [unbatched, 'batching'],
    [unseeded, 'determinism'],
    [slowClock, 'time-budget'],
    [lyingBest, 'best-replays'],
    [falselyUnguided, 'batching'],
  ];
  for (const [alg, check] of cases) {
    it(`${alg.id} → ${check}`, async () => {
      const report = await checkSearch(alg, { tasks: 20 });
      expect(report.failures[check].length).toBeGreaterThan(0);
    });
  }
  it('enum → oracle-finds: unguided enumeration cannot find every target in 2000 nodes', async () => {
    const report = await checkSearch(getSearch('enum'), { tasks: 20, oracleNodes: 2000 });
    expect(report.failures['oracle-finds'].length).toBeGreaterThan(0);
  });
  it('the usesEvaluator option overrides the declaration: a guided search checked as unguided fails', async () => {
    const report = await checkSearch(getSearch('beam'), { tasks: 2, usesEvaluator: false });
    expect(report.failures.batching.join('\n')).toMatch(/unguided search called the evaluator/);
  });
});
