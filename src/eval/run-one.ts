/**
 * One method on one spec, turned into the result record every report reads: the problem's metrics of
 * the best program, its exports, timings and the any-time trace. Shared by `synth`, `eval` and the
 * library API, so they cannot drift apart.
 */
import {
  SpecError,
  UserError,
  type AnyProblem,
  type AnytimePoint,
  type ItemResult,
  type Method,
  type NamedSpec,
  type ParamValue,
  Rng,
} from '../core/index.js';
import type { CheckedMethod } from '../methods/index.js';

/**
 * The default polish of interactive synthesis (the CLI's synth commands and the playground): after the
 * first solution, up to eight times its nodes for a shorter program, so that a spurious `if` or a
 * redundant line found first gives way to a program without it. Evaluations default to 1 (the first
 * solution, as the papers count).
 */
export const SYNTH_POLISH = 8;

export interface RunOneOptions {
  readonly timeMs: number;
  readonly nodes?: number;
  /** Run i of a seed is seeded with seed + i. */
  readonly seed: number;
  readonly index: number;
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly signal?: AbortSignal;
  /** Where the method's policy came from (for reports). */
  readonly source?: string;
  readonly onImprove?: (program: unknown, point: AnytimePoint) => void;
  /** After the first solution, search on for a shorter one (RunContext.polish; 1 = stop at the first). */
  readonly polish?: number;
}

/** The exports a problem declares for results (e.g. `javascript`), for a program. */
function exportsOf(problem: AnyProblem, program: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [field, ext] of Object.entries(problem.report.exports ?? {})) {
    const e = problem.io.exporters.find((x) => x.extension === ext);
    const text = e && program !== null ? e.write(program) : null;
    out[field] = typeof text === 'string' ? text : null;
  }
  return out;
}

/** What an item is called in messages: `task 'initials'`, `scene 3`. */
export function itemLabel(problem: AnyProblem, item: NamedSpec<unknown>, i: number): string {
  const noun = problem.report.noun.replace(/s$/, '');
  return item.name ? `${noun} '${item.name}'` : `${noun} ${i + 1}`;
}

/**
 * Every item that the problem, or one of the methods, cannot work on, as one message each: checked
 * before any run, so a bad item never stops an evaluation half-way (or a resume, forever).
 */
export function checkItems(
  problem: AnyProblem,
  items: readonly NamedSpec<unknown>[],
  methods: readonly CheckedMethod[],
): string[] {
  const out: string[] = [];
  items.forEach((item, i) => {
    try {
      problem.validate(item.spec);
      for (const m of methods) m.validate?.(item.spec);
    } catch (e) {
      if (!(e instanceof SpecError || e instanceof UserError)) throw e;
      // One unnamed spec (given inline) needs no label.
      out.push(items.length === 1 && !item.name ? e.message : `${itemLabel(problem, item, i)}: ${e.message}`);
    }
  });
  return out;
}

export async function runOne(
  problem: AnyProblem,
  method: Method,
  item: NamedSpec<unknown>,
  o: RunOneOptions,
): Promise<ItemResult & { readonly best: unknown }> {
  const named = (m: string): string => (item.name ? `task '${item.name}': ${m}` : m);
  let run;
  try {
    problem.validate(item.spec);
    run = await method.run(item.spec, {
      budget: { timeMs: o.timeMs, ...(o.nodes ? { nodes: o.nodes } : {}) },
      rng: new Rng(o.seed + o.index),
      ...(o.params ? { params: o.params } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onImprove ? { onImprove: o.onImprove } : {}),
      ...(o.polish !== undefined && o.polish !== 1 ? { polish: o.polish } : {}),
    });
  } catch (e) {
    // An unusable spec is the user's: one line naming the task.
    if (e instanceof SpecError) throw new UserError(named(e.message), 2);
    throw e;
  }
  const metrics = problem.evaluate(item.spec, run.program);
  const scoreName = problem.report.scoreName ?? 'score';
  const { score, ...named_metrics } = metrics;
  return {
    ...(problem.report.indexField ? { [problem.report.indexField]: o.index } : {}),
    name: item.name,
    search: method.id,
    ...(item.facts ?? {}),
    ...named_metrics,
    ...(scoreName === 'score' ? { score } : {}),
    program: run.program !== null ? problem.print(run.program) : null,
    ...exportsOf(problem, run.program),
    timeMs: run.timeMs,
    nodes: run.nodes,
    firstSolutionMs: run.firstSolution?.timeMs ?? null,
    firstSolutionNodes: run.firstSolution?.nodes ?? null,
    stopReason: run.stopReason,
    ...(o.source ? { model: o.source } : {}),
    trace: run.trace.map((p) => ({ timeMs: p.timeMs, nodes: p.nodes, [scoreName]: p.score })),
    ...run.stats,
    best: run.program,
  };
}
