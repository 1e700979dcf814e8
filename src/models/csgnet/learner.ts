/**
 * The CSGNet Learner: whole programs trained teacher-forced in one graph (each example of the
 * whole-program MDP is a scene and its full token sequence), validation as token accuracy, and
 * checkpoints holding the training state beside the two inference pieces and config.json.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  UserError,
  metaSeconds,
  type Evaluator,
  type Learner,
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
  type LoadOptions,
  type Trainer,
  type TrainerOptions,
} from '../../nn/index.js';
import { CsgnetDecoder, csgnetEvaluator, type CsgnetPieces } from './evaluator.js';
import type { CsgnetKind, SequenceExample, TokenDomainLike } from './kinds.js';
import { csgnetGraphs, startToken, type CsgnetNetOptions } from './net.js';
import { CSGNET_FILES, CSGNET_FORMAT, type CsgnetModelConfig } from './store.js';
import type { WholeState } from './whole.js';

type Feeds = Record<string, Float32Array | Int32Array>;
type Example = PolicyExample<WholeState, readonly number[]>;

/** Teacher-forcing feeds of whole sequences (padded to the graph's steps). */
export function sequenceFeeds(
  examples: readonly SequenceExample[],
  domain: TokenDomainLike,
  net: CsgnetNetOptions,
): { target: Float32Array; tokens: Int32Array; prev: Int32Array; legal: Float32Array; weight: Float32Array } {
  const { steps: T, vocab: V } = net;
  const n = examples.length;
  const cells = examples[0]?.target.length ?? 0;
  const f = {
    target: new Float32Array(n * cells),
    tokens: new Int32Array(n * T),
    prev: new Int32Array(n * T).fill(startToken(net)),
    legal: new Float32Array(n * T * V),
    weight: new Float32Array(n * T),
  };
  const g = domain.grammar;
  const mask = new Uint8Array(V);
  examples.forEach((e, i) => {
    if (e.tokens.length > T) throw new Error(`csgnet: a sequence of ${e.tokens.length} tokens > ${T} steps`);
    f.target.set(e.target, i * cells);
    let s: unknown = g.start();
    e.tokens.forEach((t, k) => {
      const at = i * T + k;
      g.legal(s, mask);
      for (let v = 0; v < V; v++) f.legal[at * V + v] = mask[v];
      f.tokens[at] = t;
      f.weight[at] = 1;
      if (k + 1 < T) f.prev[at + 1] = t;
      s = g.next(s, t);
    });
  });
  return f;
}

function checkpointError(dir: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  const msg = (e instanceof Error ? e.message : String(e)).replace(/^nn: /, '');
  return new UserError(
    `cannot resume from the checkpoint in ${dir}: ${msg} (remove the folder, or pass another --checkpoint, to start again)`,
    2,
  );
}

export class CsgnetLearner implements Learner<WholeState, readonly number[]> {
  private pieces: CsgnetPieces | null = null;

  private constructor(
    readonly kind: CsgnetKind,
    readonly domain: TokenDomainLike,
    readonly trainer: Trainer,
    readonly config: CsgnetModelConfig,
  ) {}

  static async create(
    kind: CsgnetKind,
    domain: TokenDomainLike,
    config: Omit<CsgnetModelConfig, 'format' | 'kind'>,
    opts: TrainerOptions = {},
  ): Promise<CsgnetLearner> {
    const full: CsgnetModelConfig = { format: CSGNET_FORMAT, kind: kind.id, ...config };
    return new CsgnetLearner(
      kind,
      domain,
      await createTrainer(trainingDef(csgnetGraphs(full.net)), opts),
      full,
    );
  }

  /** Resumes a checkpoint (a shipped folder has no model.onnx: the weights then come from its pieces). */
  static async resume(
    kind: CsgnetKind,
    domain: TokenDomainLike,
    dir: string,
    config: CsgnetModelConfig,
    threads?: number,
  ): Promise<CsgnetLearner> {
    try {
      const opts: LoadOptions = { threads };
      if (!existsSync(join(dir, 'model.onnx'))) {
        const all: ReturnType<typeof readInitializers> = new Map();
        for (const f of Object.values(CSGNET_FILES))
          for (const [k, v] of readInitializers(new Uint8Array(readFileSync(join(dir, f))))) all.set(k, v);
        opts.weights = all;
      }
      return new CsgnetLearner(
        kind,
        domain,
        await loadTrainer(dir, trainingDef(csgnetGraphs(config.net)), opts),
        config,
      );
    } catch (e) {
      throw checkpointError(dir, e);
    }
  }

  get step(): number {
    return this.trainer.stepCount;
  }

  get trainedSeconds(): number {
    return this.trainer.trainedSeconds;
  }

  private feeds(batch: readonly Example[]): Feeds {
    return sequenceFeeds(
      batch.map((e) => ({ target: e.state.example.target, tokens: e.action })),
      this.domain,
      this.config.net,
    );
  }

  private async dropPieces(): Promise<void> {
    const old = this.pieces;
    this.pieces = null;
    if (old) await disposeEntries({ ...old });
  }

  async trainPolicy(batch: readonly Example[]): Promise<StepMetrics> {
    await this.dropPieces();
    const r = await this.trainer.step(this.feeds(batch));
    return { loss: r.loss, accuracy: r.metrics.tokenAccuracy };
  }

  trainValue(): Promise<StepMetrics> {
    return Promise.reject(
      new UserError(
        `${this.kind.id} has no value head and trains by imitation only: pass --phase imitation`,
        2,
      ),
    );
  }

  /** Token loss and accuracy on held-out sequences, without training. */
  async measurePolicy(batch: readonly Example[]): Promise<StepMetrics> {
    let loss = 0;
    let acc = 0;
    const chunk = 64;
    for (let at = 0; at < batch.length; at += chunk) {
      const part = batch.slice(at, at + chunk);
      const r = await this.trainer.lossAndGrads(this.feeds(part));
      loss += r.loss * part.length;
      acc += r.metrics.tokenAccuracy * part.length;
    }
    return { loss: loss / Math.max(1, batch.length), accuracy: acc / Math.max(1, batch.length) };
  }

  /** The two inference pieces with the current weights (made once per weight update). */
  async inferencePieces(): Promise<CsgnetPieces> {
    this.pieces ??= await entryModels(entryBytes(this.trainer.store, csgnetGraphs(this.config.net)), {
      threads: this.trainer.threads,
    });
    return this.pieces;
  }

  /** A decoder over the token formulation with the current weights. */
  async evaluator(): Promise<Evaluator<WholeState, readonly number[]>> {
    const d = new CsgnetDecoder(this.kind, this.domain, await this.inferencePieces(), this.config.net);
    return csgnetEvaluator(d) as unknown as Evaluator<WholeState, readonly number[]>;
  }

  async save(dir: string, meta: Record<string, unknown>): Promise<void> {
    await this.trainer.save(dir, metaSeconds(meta));
    mkdirSync(dir, { recursive: true });
    const b = entryBytes(this.trainer.store, csgnetGraphs(this.config.net));
    for (const k of Object.keys(CSGNET_FILES) as (keyof CsgnetPieces)[])
      await atomicWrite(join(dir, CSGNET_FILES[k]), b[k]);
    await atomicWrite(join(dir, 'config.json'), JSON.stringify({ ...this.config, meta }, null, 2) + '\n');
  }

  async dispose(): Promise<void> {
    await this.dropPieces();
  }
}
