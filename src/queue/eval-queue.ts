/**
 * `eval … --queue URL`: the evaluation's (item, method) pairs as jobs on the queue, their results
 * collected into the same records a local run makes (the workers call the same evalItem). A job that
 * fails for good becomes its item's result with `error` set and the metrics of "no program", so the
 * summary and plot still cover every item and the run goes on.
 */
import {
  UserError,
  type AnyProblem,
  type ItemResult,
  type NamedSpec,
  type OptionValues,
} from '../core/index.js';
import { INTERRUPTED, type EvalControl } from '../eval/shards.js';
import { estimateEta, formatSeconds } from '../train/progress.js';
import type { QueueTarget } from './connection.js';
import { evalKey, packItem, type EvalJob, type EvalSettings } from './eval-job.js';
import { runId, runOnQueue } from './submit.js';

export interface EvalOnQueue {
  readonly target: QueueTarget;
  readonly problem: AnyProblem;
  readonly items: readonly NamedSpec<unknown>[];
  readonly methods: readonly string[];
  readonly settings: EvalSettings;
  readonly model?: string;
  readonly formulationParams: OptionValues;
  /** Per method, the hash of its model files here (see model-hash.ts). */
  readonly hashes: ReadonlyMap<string, string>;
  /** Everything the results depend on (the evaluation's settings), for the run id. */
  readonly runSettings: unknown;
  readonly ctl: EvalControl<ItemResult>;
  /** Called with each result as it arrives, with a progress text ("[3/40] … ETA 12s"). */
  readonly onResult: (r: ItemResult, progress: string) => void;
}

/** The record of an item whose job failed: what a method that found no program gets, and the error. */
export function failedResult(
  problem: AnyProblem,
  item: NamedSpec<unknown>,
  index: number,
  method: string,
  error: string,
): ItemResult {
  let metrics: Record<string, unknown> = { solved: false, score: 0 };
  try {
    metrics = { ...problem.evaluate(item.spec, null) };
  } catch {
    // The spec itself is what failed: the plain "unsolved, score 0" stands.
  }
  const scoreName = problem.report.scoreName ?? 'score';
  const { score, ...rest } = metrics;
  return {
    [problem.report.indexField ?? 'item']: index,
    name: item.name,
    search: method,
    ...(item.facts ?? {}),
    ...rest,
    ...(scoreName === 'score' ? { score } : {}),
    solved: false,
    program: null,
    timeMs: 0,
    nodes: 0,
    firstSolutionMs: null,
    firstSolutionNodes: null,
    stopReason: 'error',
    trace: [],
    error,
  };
}

export async function runEvalOnQueue(e: EvalOnQueue): Promise<ItemResult[]> {
  const packed = e.items.map(packItem);
  const run = runId('eval-', { settings: e.runSettings, hashes: [...e.hashes], items: packed });
  const where = new Map<string, [number, string]>();
  const jobs: { key: string; payload: EvalJob }[] = [];
  e.items.forEach((_, i) => {
    for (const m of e.methods) {
      const key = evalKey(i, m);
      if (!e.ctl.pending(key)) continue;
      where.set(key, [i, m]);
      jobs.push({
        key,
        payload: {
          problem: e.problem.id,
          method: m,
          index: i,
          item: packed[i],
          settings: e.settings,
          ...(e.model !== undefined ? { model: e.model } : {}),
          formulationParams: e.formulationParams,
          modelHash: e.hashes.get(m)!,
        },
      });
    }
  });
  const out: ItemResult[] = [];
  const start = Date.now();
  const progress = (): string => {
    const eta = estimateEta((Date.now() - start) / 1000, out.length, 0, jobs.length);
    return `[${out.length}/${jobs.length}] ETA ${formatSeconds(eta)}`;
  };
  const take = (r: ItemResult): void => {
    out.push(r);
    e.ctl.keep(r);
    e.onResult(r, progress());
  };
  process.stderr.write(`queue: ${jobs.length} jobs of run ${run} on ${e.target.url}\n`);
  const q = await runOnQueue<ItemResult>({
    target: e.target,
    kind: 'eval',
    run,
    jobs,
    interrupted: e.ctl.interrupted,
    onResult: (_key, r) => take(r),
    onFailure: (key, message) => {
      const [i, m] = where.get(key)!;
      process.stderr.write(`queue: #${i} ${e.items[i].name} ${m} failed: ${message}\n`);
      take(failedResult(e.problem, e.items[i], i, m, message));
    },
  });
  // A finished run's job records are removed; an interrupted one keeps those still on workers.
  await q.close(!e.ctl.interrupted());
  if (e.ctl.interrupted()) throw new UserError('interrupted', INTERRUPTED);
  return out;
}
