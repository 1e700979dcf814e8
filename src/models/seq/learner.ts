/**
 * Training a sequence model with the shared imitation trainer: the learner of the whole-program MDP
 * (whole.ts). One step is one teacher-forced batch of whole programs through the training graph;
 * validation reports the loss and the token accuracy; a checkpoint is the trainer's state plus a
 * loadable model folder (config.json, encode.onnx, step.onnx).
 */
import type { Evaluator, Learner, LoadedModel, PolicyExample, StepMetrics } from '../../core/index.js';
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
} from '../../nn/index.js';
import { teacherBatch } from './batch.js';
import type { TokenDomainLike } from './codec.js';
import type { SeqKind } from './kind.js';
import { seqNet, type SeqNetOptions } from './net.js';
import { SEQ_FORMAT, seqLoaded, type SeqModelConfig } from './store.js';
import type { WholeState } from './whole.js';

type Example = PolicyExample<WholeState, readonly number[]>;

export class SeqLearner implements Learner<WholeState, readonly number[]> {
  private constructor(
    readonly kind: SeqKind,
    readonly trainer: Trainer,
    readonly config: SeqModelConfig,
    readonly tokens: TokenDomainLike,
  ) {}

  static async create(
    kind: SeqKind,
    config: SeqModelConfig,
    tokens: TokenDomainLike,
    o: { lr: number; seed: number; threads?: number; resume?: string; from?: Uint8Array[] },
  ): Promise<SeqLearner> {
    const def = trainingDef(seqNet(kind.id, config.net));
    let trainer: Trainer;
    if (o.resume) trainer = await loadTrainer(o.resume, def, { threads: o.threads });
    else {
      trainer = await createTrainer(def, { lr: o.lr, seed: o.seed, threads: o.threads, clipNorm: 1 });
      // Warm start: parameters of the same names from another model's graphs.
      for (const bytes of o.from ?? [])
        for (const [name, v] of readInitializers(bytes)) trainer.store.values.get(name)?.data.set(v.data);
    }
    return new SeqLearner(kind, trainer, config, tokens);
  }

  get step(): number {
    return this.trainer.stepCount;
  }

  private feeds(batch: readonly Example[]) {
    const tasks = batch.map((e) => ({ spec: e.state.task.spec, tokens: e.action }));
    return teacherBatch(this.kind.codec, this.tokens.grammar, this.config.net.steps, tasks);
  }

  async trainPolicy(batch: readonly Example[]): Promise<StepMetrics> {
    const r = await this.trainer.step(this.feeds(batch));
    return { loss: r.loss, accuracy: r.metrics.tokenAccuracy };
  }

  trainValue(): Promise<StepMetrics> {
    return Promise.reject(new Error(`${this.kind.id} has no value head (imitation only)`));
  }

  /** Loss and token accuracy over held-out programs (chunks of 64), weighted by chunk size. */
  async measurePolicy(batch: readonly Example[]): Promise<StepMetrics> {
    let loss = 0;
    let acc = 0;
    for (let at = 0; at < batch.length; at += 64) {
      const part = batch.slice(at, at + 64);
      const r = await this.trainer.lossAndGrads(this.feeds(part));
      loss += r.loss * part.length;
      acc += r.metrics.tokenAccuracy * part.length;
    }
    return { loss: loss / Math.max(1, batch.length), accuracy: acc / Math.max(1, batch.length) };
  }

  /** Sequence models take no part in RL: an evaluator with nothing to propose. */
  evaluator(): Promise<Evaluator<WholeState, readonly number[]>> {
    return Promise.resolve({
      id: `${this.kind.id}-whole`,
      evaluate: (states) => Promise.resolve(states.map(() => ({ proposals: [], value: 1 }))),
    });
  }

  /** The current weights as a model over the token formulation (private sessions; dispose it). */
  async loaded(threads = 1): Promise<LoadedModel> {
    const nets = await entryModels(entryBytes(this.trainer.store, seqNet(this.kind.id, this.config.net)), {
      threads,
    });
    return seqLoaded(this.kind, 'training weights', this.tokens, this.config.net, nets, () =>
      disposeEntries(nets),
    );
  }

  async save(dir: string): Promise<void> {
    await this.trainer.save(dir);
    const bytes = entryBytes(this.trainer.store, seqNet(this.kind.id, this.config.net));
    await atomicWrite(`${dir}/encode.onnx`, bytes.encode);
    await atomicWrite(`${dir}/step.onnx`, bytes.step);
    await atomicWrite(`${dir}/config.json`, JSON.stringify(this.config, null, 2) + '\n');
  }

  async dispose(): Promise<void> {}
}

export function newSeqConfig(kind: SeqKind, net: SeqNetOptions, tokens: TokenDomainLike): SeqModelConfig {
  return { format: SEQ_FORMAT, model: kind.id, formulationParams: { ...tokens.params }, net };
}
