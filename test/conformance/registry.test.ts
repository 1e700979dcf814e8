/**
 * Conformance over the registries: every registered domain (with its defaults and each golden variant's
 * parameters) and every registered search, so a new domain or search is covered without editing tests.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Rng,
  listDomains,
  listSearches,
  models,
  problems,
  refiners,
  type NamedSpec,
} from '../../src/core/index.js';
import { registerBuiltins } from '../../src/builtins.js';
import {
  checkMethod,
  checkProblem,
  failureLines,
  type ConformanceReport,
} from '../../src/conformance/index.js';
import { openFolder, shippedLocation } from '../../src/io/files.js';
import { baseMethods, loadModel, prepareMethods } from '../../src/methods/index.js';
import { searchAlgorithms } from '../../src/search/index.js';
import { describeDomainConformance, describeSearchConformance } from './describe-conformance.js';
import { domainVariants } from './domain-variants.js';

// Everything the product registers: problems, formulations (token ones too), searches, models.
registerBuiltins();

/** test/conformance/domain-checks-child.ts in a child process: each variant's report by its label. */
function startDomainChecks(): { report(label: string): Promise<ConformanceReport>; stop(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/conformance/domain-checks-child.ts'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const waiting = new Map<string, (r: ConformanceReport) => void>();
  const reports = new Map<string, Promise<ConformanceReport>>();
  let failed: Error | null = null;
  const rejects: ((e: Error) => void)[] = [];
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const { label, failures } = JSON.parse(out.slice(0, nl)) as { label: string } & ConformanceReport;
      out = out.slice(nl + 1);
      report(label);
      waiting.get(label)!({ failures });
    }
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const fail = (why: string): void => {
    failed = new Error(`the domain checks' child process ${why}\n${err.slice(-4000)}`);
    for (const r of rejects) r(failed);
  };
  child.on('error', (e) => fail(`failed to start: ${e.message}`));
  child.on('close', (code, signal) => {
    if (code !== 0) fail(`exited with ${code ?? signal}`);
    else fail('finished without a report for this variant');
  });
  const report = (label: string): Promise<ConformanceReport> => {
    let p = reports.get(label);
    if (!p) {
      p = new Promise<ConformanceReport>((resolve, reject) => {
        waiting.set(label, resolve);
        if (failed) reject(failed);
        else rejects.push(reject);
      });
      p.catch(() => undefined); // read by its tests; not an unhandled rejection meanwhile
      reports.set(label, p);
    }
    return p;
  };
  return { report, stop: () => void child.kill() };
}

describe('conformance registry', () => {
  it('covers some domains and every search of the library', () => {
    expect(listDomains().length).toBeGreaterThan(0);
    const ids = listSearches().map((s) => s.id);
    for (const alg of searchAlgorithms) expect(ids).toContain(alg.id);
  });
});

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

// Unguided searches (usesEvaluator false) must never call the evaluator; checkSearch reads that itself.
for (const alg of listSearches()) describeSearchConformance(alg);

// The domain checks run in a child process started before the first test, so they take the second
// core while the problems, methods and models above are checked here; their tests come last and read
// its reports (the same checkDomain, on the same variants).
let domainChild: ReturnType<typeof startDomainChecks> | null = null;
beforeAll(() => {
  domainChild = startDomainChecks();
});
afterAll(() => domainChild?.stop());
for (const { label, def, params } of domainVariants())
  describeDomainConformance(def, params, {}, () => domainChild!.report(label));
