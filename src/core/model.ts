import type { AnyDomain, Domain, ParamSpec, ParamValue, Task } from './domain.js';
import type { Evaluator } from './evaluator.js';
import type { Learner } from './learner.js';
import { UserError } from './errors.js';
import type { Rng } from './rng.js';

/**
 * A model folder as the model code sees it: named files, read (and, for training, written) through
 * the edge — node's file system in the CLI, fetch in the browser — so models import no node module.
 */
export interface ModelFiles {
  /** Where the files are, for messages ('models/strings', a URL …). */
  readonly location: string;
  has(name: string): Promise<boolean>;
  read(name: string): Promise<Uint8Array>;
  /** Writes atomically (a torn write never replaces a good file). Absent for read-only folders. */
  write?(name: string, data: string | Uint8Array): Promise<void>;
}

export async function readJsonFile<T>(files: ModelFiles, name: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await files.read(name))) as T;
}

/** A model folder's config.json, checked for its format id; a missing or foreign one is a user error. */
export async function readModelConfig<T extends { readonly format: string }>(
  files: ModelFiles,
  kind: string,
  format: T['format'],
): Promise<T> {
  if (!(await files.has('config.json')))
    throw new UserError(`no ${kind} model in ${files.location} (missing config.json)`);
  const cfg = await readJsonFile<T>(files, 'config.json');
  if (cfg.format !== format)
    throw new UserError(`${files.location}/config.json: field 'format': unknown '${String(cfg.format)}'`);
  return cfg;
}

/** A loaded model: the formulation instance it was trained for, and evaluators over its weights. */
export interface LoadedModel {
  readonly id: string;
  /** Where it was loaded from. */
  readonly source: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly domain: Domain<any, any, any, any>;
  /** A fresh evaluator (fresh caches) over the loaded weights. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  evaluator(): Evaluator<any, any>;
  dispose?(): Promise<void>;
}

/** Where training tasks come from: by default the domain's own random-program generator. */
export type TaskSource<Spec, Action> = (rng: Rng) => Task<Spec, Action>;

/** The options every `train <model>` run has, parsed and checked. */
export interface TrainSettings {
  readonly seconds: number;
  readonly threads: number | undefined;
  readonly seed: number;
  readonly lr: number;
  readonly batchSize: number;
  /** The checkpoint folder holds a checkpoint: resume from it. */
  readonly resume: boolean;
  /** The checkpoint folder (its location is a directory the learner saves into). */
  readonly checkpoint: ModelFiles;
}

/**
 * How a model is trained by the shared trainers (imitation on a task stream, then RL). Options are
 * declared as ParamSpecs, so the CLI builds `train <model>` from them.
 */
export interface TrainerDefinition<Spec = unknown, State = unknown, Action = unknown> {
  readonly description: string;
  readonly defaults: { readonly iterations: number; readonly batch: number; readonly lrNote?: string };
  readonly params: readonly ParamSpec[];
  /** A resumed, warm-started or new learner, with the domain instance it trains on. */
  learner(
    o: Readonly<Record<string, ParamValue>>,
    s: TrainSettings,
    open: (location: string) => ModelFiles,
  ): Promise<{ learner: Learner<State, Action>; domain: Domain<Spec, State, Action> }>;
  source?(
    domain: Domain<Spec, State, Action>,
    o: Readonly<Record<string, ParamValue>>,
  ): TaskSource<Spec, Action>;
  readonly imitation?: Readonly<Record<string, number>>;
  reinforce?(o: Readonly<Record<string, ParamValue>>): Readonly<Record<string, unknown>>;
  success?(state: State, task: Task<Spec, Action>): boolean;
  /** Files of a checkpoint that make a shipped model. */
  readonly shipFiles: readonly string[];
  /**
   * Ship .onnx files with float16-stored weights (checked for this model: top-1 agreement with the
   * float32 network, scripts/check-fp16.ts).
   */
  readonly shipFloat16?: boolean;
  /** No RL phase (e.g. sequence models without a value head): `--phase` both runs imitation only. */
  readonly imitationOnly?: boolean;
}

/**
 * A command of a model's own (e.g. a paper's command line or a dataset builder), declared so the CLI
 * can offer it as `replsynth <name>` with options generated from `params`.
 */
export interface ModelCommand {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Runs the command; returns the exit code. `open` gives folders as ModelFiles. */
  run(
    values: Readonly<Record<string, ParamValue>>,
    ctx: { readonly open: (location: string) => ModelFiles; readonly print: (line: string) => void },
  ): Promise<number>;
}

/**
 * A registered model: which problem and formulation it serves, how to load it, how to train it.
 * Implementations live in src/models/<id>/definition.ts.
 */
export interface ModelDefinition {
  readonly id: string;
  readonly aliases?: readonly string[];
  readonly problem: string;
  /** The formulation (domain id) its evaluator guides. */
  readonly formulation: string;
  readonly description: string;
  /** Folder name of the shipped weights under the package's models/ (absent: none shipped). */
  readonly shipped?: string;
  /** Files a model folder must hold. */
  readonly files: readonly string[];
  load(files: ModelFiles, o: { readonly threads?: number }): Promise<LoadedModel>;
  /** The unguided evaluator of the same factorisation, for structured action spaces. */
  uniform?(domain: AnyDomain): Evaluator<unknown, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly trainer?: TrainerDefinition<any, any, any>;
  /** Extra commands of this model. */
  readonly commands?: readonly ModelCommand[];
}
