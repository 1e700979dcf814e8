/**
 * The learner of every sequence model (RobustFill, Property Signatures, the LaSynth variants) over the
 * whole-program MDP (whole.ts), with the shared imitation trainer: one step is one teacher-forced batch
 * of whole programs through the model's training graph; validation reports the loss, the token accuracy
 * and the graph's other metrics; a checkpoint is the trainer's state plus a loadable model folder
 * (config.json and one ONNX file per entry graph).
 *
 * A family supplies a `WholeModelSpec`: its graphs, the file of each entry graph, its teacher-forcing
 * feeds and how a set of sessions becomes a model.
 */
import {
  metaSeconds,
  type Evaluator,
  type Learner,
  type LoadedModel,
  type PolicyExample,
  type StepMetrics,
} from '../../core/index.js';
import {
  atomicWrite,
  createTrainer,
  disposeEntries,
  entryBytes,
  entryModels,
  loadTrainer,
  readInitializers,
  trainingDef,
  type FeedArray,
  type InferenceModel,
  type MultiEntryDef,
  type Trainer,
} from '../../nn/index.js';
import type { SeqTask } from './batch.js';
import type { TokenDomainLike } from './codec.js';
import type { WholeState } from './whole.js';

type Example = PolicyExample<WholeState, readonly number[]>;

/** What a model folder's config.json holds at least. */
export interface WholeConfig {
  readonly model: string;
  readonly net: { readonly steps: number };
}

export interface WholeModelSpec<C extends WholeConfig, E extends string = string> {
  readonly id: string;
  /** The graphs of a config's network. */
  net(config: C): MultiEntryDef<E>;
  /** Entry graph → file of a model folder. */
  readonly files: Readonly<Record<E, string>>;
  /** Teacher-forcing feeds of the training graph. */
  feeds(config: C, tokens: TokenDomainLike, tasks: readonly SeqTask[]): Record<string, FeedArray>;
  /** A model over the given entry sessions. */
  loaded(
    source: string,
    tokens: TokenDomainLike,
    config: C,
    nets: Record<E, InferenceModel>,
    dispose: () => Promise<void>,
  ): LoadedModel;
}

export interface WholeMetrics extends StepMetrics {
  /** Whole-batch means of the training graph's metrics (tokenAccuracy, execAccuracy, …). */
  readonly metrics: Readonly<Record<string, number>>;
}

export interface WholeLearnerOptions {
  readonly lr: number;
  readonly seed: number;
  readonly threads?: number;
  /** A checkpoint folder to resume. */
  readonly resume?: string;
  /** Warm start: ONNX files whose same-named, same-shaped weights replace the new ones. */
  readonly from?: readonly Uint8Array[];
}

export class WholeLearner<C extends WholeConfig, E extends string = string> implements Learner<
  WholeState,
  readonly number[]
> {
  private constructor(
    readonly spec: WholeModelSpec<C, E>,
    readonly trainer: Trainer,
    readonly config: C,
    readonly tokens: TokenDomainLike,
  ) {}

  static async create<C extends WholeConfig, E extends string>(
    spec: WholeModelSpec<C, E>,
    config: C,
    tokens: TokenDomainLike,
    o: WholeLearnerOptions,
  ): Promise<WholeLearner<C, E>> {
    const def = trainingDef(spec.net(config));
    let trainer: Trainer;
    if (o.resume) trainer = await loadTrainer(o.resume, def, { threads: o.threads });
    else {
      trainer = await createTrainer(def, { lr: o.lr, seed: o.seed, threads: o.threads, clipNorm: 1 });
      for (const bytes of o.from ?? [])
        for (const [name, v] of readInitializers(bytes)) {
          const p = trainer.store.values.get(name);
          if (p && p.data.length === v.data.length) p.data.set(v.data);
        }
    }
    return new WholeLearner(spec, trainer, config, tokens);
  }

  get step(): number {
    return this.trainer.stepCount;
  }

  get trainedSeconds(): number {
    return this.trainer.trainedSeconds;
  }

  feeds(batch: readonly Example[]): Record<string, FeedArray> {
    const tasks = batch.map((e) => ({ spec: e.state.task.spec, tokens: e.action }));
    return this.spec.feeds(this.config, this.tokens, tasks);
  }

  async trainPolicy(batch: readonly Example[]): Promise<WholeMetrics> {
    const r = await this.trainer.step(this.feeds(batch));
    return { loss: r.loss, accuracy: r.metrics.tokenAccuracy, metrics: r.metrics };
  }

  trainValue(): Promise<StepMetrics> {
    return Promise.reject(new Error(`${this.spec.id} has no value head (imitation only)`));
  }

  /** Loss, token accuracy and the other metrics over held-out programs (chunks of 64), size-weighted. */
  async measurePolicy(batch: readonly Example[]): Promise<WholeMetrics> {
    let loss = 0;
    const sums: Record<string, number> = {};
    for (let at = 0; at < batch.length; at += 64) {
      const part = batch.slice(at, at + 64);
      const r = await this.trainer.lossAndGrads(this.feeds(part));
      loss += r.loss * part.length;
      for (const [k, v] of Object.entries(r.metrics)) sums[k] = (sums[k] ?? 0) + v * part.length;
    }
    const n = Math.max(1, batch.length);
    const metrics = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
    return { loss: loss / n, accuracy: metrics.tokenAccuracy ?? 0, metrics };
  }

  /** Sequence models take no part in RL: an evaluator with nothing to propose. */
  evaluator(): Promise<Evaluator<WholeState, readonly number[]>> {
    return Promise.resolve({
      id: `${this.spec.id}-whole`,
      evaluate: (states) => Promise.resolve(states.map(() => ({ proposals: [], value: 1 }))),
    });
  }

  private bytes(): Record<E, Uint8Array> {
    return entryBytes(this.trainer.store, this.spec.net(this.config));
  }

  /** The current weights as a model over the token formulation (private sessions; dispose it). */
  async loaded(threads = 1): Promise<LoadedModel> {
    const nets = await entryModels(this.bytes(), { threads });
    return this.spec.loaded('training weights', this.tokens, this.config, nets, () => disposeEntries(nets));
  }

  async save(dir: string, meta: Record<string, unknown> = {}): Promise<void> {
    await this.trainer.save(dir, metaSeconds(meta));
    for (const [entry, bytes] of Object.entries(this.bytes()) as [E, Uint8Array][]) {
      const file = this.spec.files[entry];
      if (!file) throw new Error(`${this.spec.id}: no file for the entry graph '${entry}'`);
      await atomicWrite(`${dir}/${file}`, bytes);
    }
    await atomicWrite(`${dir}/config.json`, JSON.stringify(this.config, null, 2) + '\n');
  }

  async dispose(): Promise<void> {}
}
