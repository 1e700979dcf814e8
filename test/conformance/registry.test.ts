/**
 * Conformance over the registries: every registered domain (with its defaults and each golden variant's
 * parameters) and every registered search, so a new domain or search is covered without editing tests.
 */
import { describe, expect, it } from 'vitest';
import {
  Rng,
  listDomains,
  listSearches,
  models,
  problems,
  refiners,
  type NamedSpec,
  type ParamValue,
} from '../../src/core/index.js';
import { registerBuiltins } from '../../src/builtins.js';
import { checkMethod, checkProblem, failureLines } from '../../src/conformance/index.js';
import { openFolder, shippedLocation } from '../../src/io/files.js';
import { baseMethods, loadModel, prepareMethods } from '../../src/methods/index.js';
import { searchAlgorithms } from '../../src/search/index.js';
import { describeDomainConformance, describeSearchConformance } from './describe-conformance.js';

// Everything the product registers: problems, formulations (token ones too), searches, models.
registerBuiltins();

describe('conformance registry', () => {
  it('covers some domains and every search of the library', () => {
    expect(listDomains().length).toBeGreaterThan(0);
    const ids = listSearches().map((s) => s.id);
    for (const alg of searchAlgorithms) expect(ids).toContain(alg.id);
  });
});

for (const def of listDomains()) {
  const variants: Readonly<Record<string, ParamValue>>[] = [
    {},
    ...(def.goldenVariants ?? []).map((v) => v.params),
  ];
  for (const params of variants) describeDomainConformance(def, params);
}

// Unguided searches (usesEvaluator false) must never call the evaluator; checkSearch reads that itself.
for (const alg of listSearches()) describeSearchConformance(alg);

// Problems, their methods and the models: everything registered, with nothing listed by hand.
const open = { open: openFolder, shippedLocation };

describe('conformance registry: problems, methods, models', () => {
  for (const problem of problems.list()) {
    it(`problem ${problem.id}: metrics, round trips, exports and report`, () => {
      expect(failureLines(checkProblem(problem))).toEqual([]);
    });

    const task = (): NamedSpec<unknown> => {
      const def = listDomains().find((d) => (d.problem ?? d.id) === problem.id)!;
      return { name: 'check', spec: def.create().sampleTask(new Rng(11), { maxSize: 3 }).spec };
    };
    const ids = [
      ...baseMethods(problem.id).map((m) => m.id),
      ...refiners
        .list()
        .filter((r) => r.def.problem === problem.id)
        .flatMap((r) => [r.def.id, `beam+${r.def.id}`]),
    ];
    it(`problem ${problem.id}: every method (${ids.join(', ')}) runs and is deterministic for a seed`, async () => {
      const prepared = await prepareMethods(problem.id, ids, open);
      const t = task();
      for (const id of ids)
        expect(failureLines(await checkMethod(problem, prepared.methods.get(id)!, t)), id).toEqual([]);
      await prepared.dispose();
    }, 120_000);
  }

  for (const model of models.list()) {
    it(`model ${model.id}: its shipped folder holds its files and loads; its evaluator proposes legal actions`, async () => {
      const where = shippedLocation(model);
      if (!where) return;
      const loaded = await loadModel(model, openFolder(where), 1);
      const domain = loaded.domain;
      const spec = domain.sampleTask(new Rng(5)).spec;
      const s0 = domain.initialState(spec);
      const [ev] = await loaded.evaluator().evaluate([s0], [{ kind: 'top', k: 3 }], new Rng(1));
      expect(ev.value).toBeGreaterThan(0);
      expect(ev.value).toBeLessThanOrEqual(1);
      expect(ev.proposals.length).toBeGreaterThan(0);
      // Legal is what the mask allows; a legal line may still fail when the REPL runs it (the branch dies).
      const mask = domain.legalMask?.(s0);
      for (const p of ev.proposals) {
        if (mask) expect(mask[p.action as number]).toBe(1);
        else expect(() => domain.step(s0, p.action)).not.toThrow();
      }
      await loaded.dispose?.();
    }, 60_000);
  }
});
