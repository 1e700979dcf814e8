/**
 * Training a LaSynth variant with the shared imitation trainer over the sequence family's whole-program
 * MDP (seq/whole.ts): one step is one teacher-forced batch through net.ts's training graph (token NLL +
 * L_Exec + L_Op); validation reports the loss and the token accuracy; a checkpoint is the trainer's
 * state plus a loadable model folder.
 */
import type { Evaluator, Learner, LoadedModel, PolicyExample, StepMetrics } from '../../../core/index.js';
import {
  atomicWrite,
  createTrainer,
  disposeEntries,
  entryBytes,
  entryModels,
  loadTrainer,
  readInitializers,
  trainingDef,
  type Trainer,
} from '../../../nn/index.js';
import type { TokenDomainLike } from '../codec.js';
import type { WholeState } from '../whole.js';
import { lasynthBatch } from './batch.js';
import { lasynthNet, type LaSynthOptions } from './net.js';
import { LASYNTH_FORMAT, lasynthLoaded, type LaSynthConfig } from './store.js';
import type { LaSynthVariant } from './variants.js';

type Example = PolicyExample<WholeState, readonly number[]>;

/** Entry graph → file of a model folder. */
const ENTRY_FILES = { encode: 'encode.onnx', step: 'step.onnx', exec: 'exec.onnx' } as const;

export interface LaSynthMetrics extends StepMetrics {
  /** Whole-batch means of the training graph's metrics (execAccuracy, opAccuracy, …). */
  readonly metrics: Readonly<Record<string, number>>;
}

export class LaSynthLearner implements Learner<WholeState, readonly number[]> {
  private constructor(
    readonly variant: LaSynthVariant,
    readonly trainer: Trainer,
    readonly config: LaSynthConfig,
    readonly tokens: TokenDomainLike,
  ) {}

  static async create(
    variant: LaSynthVariant,
    config: LaSynthConfig,
    tokens: TokenDomainLike,
    o: { lr: number; seed: number; threads?: number; resume?: string; from?: Uint8Array[] },
  ): Promise<LaSynthLearner> {
    const def = trainingDef(lasynthNet(variant.id, config.net));
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
    return new LaSynthLearner(variant, trainer, config, tokens);
  }

  get step(): number {
    return this.trainer.stepCount;
  }

  feeds(batch: readonly Example[]) {
    const tasks = batch.map((e) => ({ spec: e.state.task.spec, tokens: e.action }));
    return lasynthBatch(this.variant, this.tokens.grammar, this.config.net, tasks);
  }

  async trainPolicy(batch: readonly Example[]): Promise<LaSynthMetrics> {
    const r = await this.trainer.step(this.feeds(batch));
    return { loss: r.loss, accuracy: r.metrics.tokenAccuracy, metrics: r.metrics };
  }

  trainValue(): Promise<StepMetrics> {
    return Promise.reject(new Error(`${this.variant.id} has no value head (imitation only)`));
  }

  /** Loss, token accuracy and the other metrics over held-out programs (chunks of 64), size-weighted. */
  async measurePolicy(batch: readonly Example[]): Promise<LaSynthMetrics> {
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

  evaluator(): Promise<Evaluator<WholeState, readonly number[]>> {
    return Promise.resolve({
      id: `${this.variant.id}-whole`,
      evaluate: (states) => Promise.resolve(states.map(() => ({ proposals: [], value: 1 }))),
    });
  }

  private bytes() {
    return entryBytes(this.trainer.store, lasynthNet(this.variant.id, this.config.net));
  }

  /** The current weights as a model over the token formulation (private sessions; dispose it). */
  async loaded(threads = 1): Promise<LoadedModel> {
    const nets = await entryModels(this.bytes(), { threads });
    return lasynthLoaded(this.variant, 'training weights', this.tokens, this.config.net, nets, () =>
      disposeEntries(nets),
    );
  }

  async save(dir: string): Promise<void> {
    await this.trainer.save(dir);
    for (const [entry, bytes] of Object.entries(this.bytes()))
      await atomicWrite(`${dir}/${ENTRY_FILES[entry as keyof typeof ENTRY_FILES]}`, bytes);
    await atomicWrite(`${dir}/config.json`, JSON.stringify(this.config, null, 2) + '\n');
  }

  async dispose(): Promise<void> {}
}

export function newLaSynthConfig(
  variant: LaSynthVariant,
  net: LaSynthOptions,
  tokens: TokenDomainLike,
): LaSynthConfig {
  return { format: LASYNTH_FORMAT, model: variant.id, formulationParams: { ...tokens.params }, net };
}
