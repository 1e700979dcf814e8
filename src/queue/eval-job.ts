/**
 * One (item, method) of an evaluation as a job: what a local run computes for it (`evalItem`, which is
 * runOne) and the job that carries everything a worker on another machine needs to compute the same:
 * the problem and method ids, the item itself, the budget, seed and parameters, and the model hash.
 */
import { deserialize, serialize } from 'node:v8';
import type { AnyProblem, ItemResult, Method, NamedSpec, OptionValues, ParamValue } from '../core/index.js';
import { runOne, type RunOneOptions } from '../eval/run-one.js';

/**
 * The result record of one method on one item, as every evaluation writes it (the item index under the
 * problem's own field or `item`), and the best program for renders. Local runs and workers both call it.
 */
export async function evalItem(
  problem: AnyProblem,
  method: Method,
  item: NamedSpec<unknown>,
  o: RunOneOptions,
): Promise<{ result: ItemResult; best: unknown }> {
  const { best, ...r } = await runOne(problem, method, item, o);
  return { result: problem.report.indexField ? r : { item: o.index, ...r }, best };
}

/** The settings of runOne that a job carries (no signal or callbacks: they stay on the worker). */
export interface EvalSettings {
  readonly timeMs: number;
  readonly nodes?: number;
  readonly seed: number;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** RunOneOptions.polish (absent: stop at the first solution). */
  readonly polish?: number;
}

export interface EvalJob {
  readonly problem: string;
  readonly method: string;
  readonly index: number;
  /** The item (spec, name, facts) in Node's structured-clone format, base64: typed arrays survive. */
  readonly item: string;
  readonly settings: EvalSettings;
  /** `--model` as given to the submitter (a folder path, 'uniform'), or undefined for the shipped one. */
  readonly model?: string;
  readonly formulationParams: OptionValues;
  /** The hash of the method's model files on the submitter (see model-hash.ts). */
  readonly modelHash: string;
}

export const packItem = (item: NamedSpec<unknown>): string => serialize(item).toString('base64');
export const unpackItem = (s: string): NamedSpec<unknown> =>
  deserialize(Buffer.from(s, 'base64')) as NamedSpec<unknown>;

/** The key of a result in an evaluation (item index and method), as the results file and resume use. */
export const evalKey = (index: number, method: string): string => `${index}/${method}`;
