/**
 * Conformance of a problem, its methods and its models, run by test/conformance/registry.test.ts over
 * everything registered (and callable by library users, as checkDomain is):
 * - problem: generated tasks are deterministic per seed; for tasks of each formulation the
 *   ground-truth program is `solved` with score 1, no program scores 0 unsolved, scores stay in [0, 1];
 *   `parse(print(p))` prints as `p`, `fromTokens(tokens(p))` too; every exporter and the renderer
 *   produce output; every declared summary statistic, headline, brief and human line works on results.
 * - method: runs on a generated task within a small node budget, returns a program the problem can
 *   evaluate (or none), a trace in time order, and the same program again for the same seed.
 */
import {
  Rng,
  replay,
  listDomains,
  type AnyProblem,
  type ItemResult,
  type Method,
  type NamedSpec,
} from '../core/index.js';
import { emptyFailures, type CheckReport } from './report.js';

export type ProblemCheckName = 'generator' | 'metrics' | 'roundTrip' | 'tokens' | 'exports' | 'report';
const problemChecks: readonly ProblemCheckName[] = [
  'generator',
  'metrics',
  'roundTrip',
  'tokens',
  'exports',
  'report',
];

/** Ground-truth (spec, program) pairs from each formulation of the problem. */
export function samplePrograms(
  problem: AnyProblem,
  n: number,
  seed = 1,
): { spec: unknown; program: unknown }[] {
  const out: { spec: unknown; program: unknown }[] = [];
  for (const def of listDomains().filter((d) => (d.problem ?? d.id) === problem.id)) {
    const domain = def.create();
    const rng = new Rng(seed);
    for (let i = 0; i < n; i++) {
      const task = domain.sampleTask(rng.split());
      const r = replay(domain, task.spec, task.trace);
      const program = r.ok ? domain.program(r.state) : null;
      if (program !== null) out.push({ spec: task.spec, program });
    }
  }
  return out;
}

const fakeResult = (name: string, program: string | null, metrics: Record<string, unknown>): ItemResult => ({
  name,
  search: 'check',
  program,
  timeMs: 10,
  nodes: 1,
  firstSolutionMs: metrics.solved ? 5 : null,
  firstSolutionNodes: metrics.solved ? 1 : null,
  stopReason: 'solved',
  trace: [{ timeMs: 5, nodes: 1, score: metrics.score, iou: metrics.score }],
  ...metrics,
  solved: Boolean(metrics.solved),
});

export function checkProblem(problem: AnyProblem, o: { tasks?: number } = {}): CheckReport<ProblemCheckName> {
  const failures = emptyFailures(problemChecks);
  const g = problem.io.generator;
  if (g) {
    const params = Object.fromEntries(g.params.map((p) => [p.name, p.default]));
    const a = [0, 1, 2].map((i) => JSON.stringify(g.task(new Rng(7), i, params)));
    const b = [0, 1, 2].map((i) => JSON.stringify(g.task(new Rng(7), i, params)));
    if (a.join() !== b.join()) failures.generator.push('the same seed gave different tasks');
  }
  const pairs = samplePrograms(problem, o.tasks ?? 8);
  if (pairs.length === 0) failures.metrics.push('no formulation produced a ground-truth program');
  const results: ItemResult[] = [];
  for (const [i, { spec, program }] of pairs.entries()) {
    const m = problem.evaluate(spec, program);
    if (!m.solved || m.score !== 1)
      failures.metrics.push(`task ${i}: the ground-truth program is not solved with score 1`);
    const none = problem.evaluate(spec, null);
    if (none.solved || none.score !== 0)
      failures.metrics.push(`task ${i}: no program must score 0, unsolved`);
    if (!(m.score >= 0 && m.score <= 1)) failures.metrics.push(`task ${i}: score ${m.score} outside [0, 1]`);
    const text = problem.print(program);
    try {
      const back = problem.print(problem.parse(text));
      if (back !== text)
        failures.roundTrip.push(`task ${i}: parse(print(p)) prints as ${JSON.stringify(back)}`);
    } catch (e) {
      failures.roundTrip.push(`task ${i}: parse(print(p)) threw ${(e as Error).message}`);
    }
    if (problem.tokens && problem.fromTokens) {
      const back = problem.fromTokens(problem.tokens(program));
      if (back === null || problem.print(back) !== text)
        failures.tokens.push(`task ${i}: fromTokens(tokens(p)) differs`);
    }
    for (const e of problem.io.exporters) {
      const out = e.write(program);
      if (out.length === 0) failures.exports.push(`task ${i}: exporter ${e.extension} wrote nothing`);
    }
    if (problem.io.render) {
      const png = problem.io.render(spec, program);
      if (png[1] !== 0x50 || png[2] !== 0x4e || png[3] !== 0x47)
        failures.exports.push(`task ${i}: render is not a PNG`);
    }
    results.push(fakeResult(`task ${i}`, text, m), fakeResult(`task ${i}`, null, none));
  }
  try {
    const summary: Record<string, unknown> = {};
    for (const [k, agg] of Object.entries(problem.report.summary))
      summary[k] = agg(results, { timeoutMs: 10 });
    JSON.stringify(summary);
    if (typeof problem.report.headline(summary) !== 'string')
      failures.report.push('headline is not a string');
    for (const r of results) {
      if (typeof problem.report.brief(r) !== 'string') failures.report.push('brief is not a string');
      if (!problem.report.human(r).every((l) => typeof l === 'string'))
        failures.report.push('human lines are not strings');
    }
  } catch (e) {
    failures.report.push(`the report threw on results: ${(e as Error).message}`);
  }
  return { failures };
}

export type MethodCheckName = 'runs' | 'deterministic';

/** Runs a method twice with the same seed on a task; both runs must agree and give evaluable results. */
export async function checkMethod(
  problem: AnyProblem,
  method: Method,
  task: NamedSpec<unknown>,
  o: { nodes?: number } = {},
): Promise<CheckReport<MethodCheckName>> {
  const failures = emptyFailures<MethodCheckName>(['runs', 'deterministic']);
  const run = () =>
    method.run(task.spec, { budget: { nodes: o.nodes ?? 300, timeMs: 60_000 }, rng: new Rng(3) });
  const [a, b] = [await run(), await run()];
  if (a.program !== null) {
    const m = problem.evaluate(task.spec, a.program);
    if (!(m.score >= 0 && m.score <= 1)) failures.runs.push(`score ${m.score} outside [0, 1]`);
  }
  for (let i = 1; i < a.trace.length; i++)
    if (a.trace[i].timeMs < a.trace[i - 1].timeMs) failures.runs.push('the trace is not in time order');
  const text = (p: unknown): string | null => (p === null ? null : problem.print(p));
  if (text(a.program) !== text(b.program) || a.nodes !== b.nodes)
    failures.deterministic.push(
      `two runs with the same seed differ: ${text(a.program)} vs ${text(b.program)}`,
    );
  return { failures };
}
