/**
 * Experiments: a paper's comparison as one command (`replsynth experiment <id>`). An experiment is a
 * list of evaluation steps — each an ordinary `eval <problem>` run (same tasks, same budget for every
 * method), so resume, --jobs, progress and Ctrl-C are the evaluation runner's — and, on their
 * results, the paper's claims checked one by one, extra plots, and a Markdown report. Adding one = one
 * file that exports an `Experiment`, and one line in index.ts.
 */
import type { ItemResult } from '../core/index.js';

/** One evaluation of an experiment. */
export interface EvalStep {
  /** File stem of its results (`<name>.json`, `<name>.svg` in the output folder). */
  readonly name: string;
  readonly problem: string;
  readonly methods: readonly string[];
  /** How many items it runs (for progress and time bounds). */
  readonly items: number;
  /** Seconds per item and method. */
  readonly timeoutS: number;
  /** Further `eval` flags: the task set and budget (never --methods/--out/--plot/--jobs/--resume/--force). */
  readonly args: readonly string[];
}

/** What the user chose for a run; unset fields take the experiment's (or --quick's) values. */
export interface ExperimentSettings {
  readonly quick: boolean;
  readonly timeoutS?: number;
  readonly nodes?: number;
  /** Items per evaluation (e.g. generated scenes). */
  readonly items?: number;
  readonly seed: number;
}

/** An `eval` results file as written (summary per method, settings, the per-item results). */
export interface EvalDoc {
  readonly summary: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly [items: string]: unknown;
}

export interface StepResults {
  readonly step: EvalStep;
  readonly doc: EvalDoc;
  /** The per-item results (the doc's item list, whatever the problem calls it). */
  readonly results: readonly ItemResult[];
}

/** A claim of the paper and whether it holds in these results. */
export interface ClaimCheck {
  readonly claim: string;
  /** Where the paper says it (figure, section). */
  readonly source: string;
  /** null: the results cannot tell (a method missing, or a tie). */
  readonly holds: boolean | null;
  /** The measured numbers behind the verdict, one sentence. */
  readonly evidence: string;
}

export interface ExperimentPlot {
  /** File name in the output folder. */
  readonly file: string;
  readonly title: string;
  readonly svg: string;
}

/** A command-line option of one experiment beyond the common ones (no default: the experiment sets it). */
export interface ExperimentOption {
  /** Commander flags, e.g. `--tasks <file>`. */
  readonly flags: string;
  readonly description: string;
}

/**
 * What `replsynth experiment` gives an experiment that runs itself (`Experiment.run`, e.g. one that
 * trains its models before evaluating them): the command line, the output folder (checked as for every
 * experiment), evaluation steps run as the generic runner runs them, and the other commands.
 */
export interface ExperimentRunContext {
  readonly settings: ExperimentSettings;
  /** Every option as parsed (the common ones and the experiment's own, by commander's attribute name). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly out: string;
  readonly jobs: number;
  /** The command line of this run, for the report. */
  readonly command: string;
  /**
   * Runs one evaluation into the output folder: `resume` keeps a finished results file and finishes a
   * stopped one; `force` runs it again. Interrupted: a UserError with exit code 130.
   */
  evalStep(step: EvalStep, mode: 'resume' | 'force'): Promise<StepResults & { readonly how: 'ran' | 'kept' }>;
  /** Runs another command line of the program in this process; its exit code. */
  cli(args: readonly string[]): Promise<number>;
  /**
   * Runs a command line of the program in a child process (so several can run at once), each line of
   * its stderr prefixed with `[label]`; its exit code (130: interrupted).
   */
  cliChild(args: readonly string[], label: string): Promise<number>;
  /** Writes a file atomically (a temporary file renamed into place). */
  write(file: string, data: string): void;
  /**
   * Stores the inference graphs of a model folder (each .onnx but the training model, model.onnx) with
   * float16 weights, as `train --ship` does; each file replaced atomically, graphs already float16 left.
   */
  float16Graphs(dir: string): void;
  /** When this is called (ISO), the 1/5/15-minute load averages and the cores, for the report. */
  machine(): { readonly finished: string; readonly load: readonly number[]; readonly cpus: number };
}

export interface Experiment {
  readonly id: string;
  readonly description: string;
  /** The paper and figure it reproduces. */
  readonly reproduces: string;
  steps(s: ExperimentSettings): readonly EvalStep[];
  claims(results: readonly StepResults[], s: ExperimentSettings): readonly ClaimCheck[];
  plots?(results: readonly StepResults[], s: ExperimentSettings): Promise<readonly ExperimentPlot[]>;
  /** Facts about the setup the report should state (e.g. what a node is for each method). */
  readonly notes?: readonly string[];
  /** Its own command-line options (shown by `experiment --help`, refused for other experiments). */
  readonly options?: readonly ExperimentOption[];
  /** Set when the experiment runs itself (steps, claims and report are then its own business). */
  run?(ctx: ExperimentRunContext): Promise<void>;
}

const registry = new Map<string, Experiment>();

export function registerExperiment(e: Experiment): void {
  if (registry.has(e.id)) throw new Error(`experiment '${e.id}' is already registered`);
  registry.set(e.id, e);
}

export function listExperiments(): Experiment[] {
  return [...registry.values()];
}

export function findExperiment(id: string): Experiment | undefined {
  return registry.get(id);
}
