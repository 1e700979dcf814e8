/**
 * The csg2d Learner: turns (state, line) and (state, success) examples into feeds of the one training
 * graph of csg2dNet (per-factor targets and weights), and hands out evaluators with the current weights.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evaluator, Learner, PolicyExample, StepMetrics, ValueExample } from '../../core/index.js';
import { UserError, valueTargetOf } from '../../core/index.js';
import type { Csg2dAction, Csg2dDomain, Csg2dState } from '../../domains/csg2d/index.js';
import {
  atomicWrite,
  createTrainer,
  loadTrainer,
  readInitializers,
  type LoadOptions,
  type Trainer,
  type TrainerOptions,
} from '../../nn/index.js';
import { Csg2dEvaluator, NetworkBackend, type Csg2dModels } from './evaluator.js';
import { legalTypes, lineTargets } from './lines.js';
import { ARG_HEADS, LINE_TYPES, csg2dNet, defaultCsg2dNetOptions, type Csg2dNetOptions } from './net.js';
import { disposePieces, pieceBytes, piecesFromBytes, writePieces } from './pieces.js';
import { PIECE_FILES, type Csg2dModelConfig } from './store.js';

type Feeds = Record<string, Float32Array | Int32Array>;

/** Every parameter of the network, from the three inference pieces of a model folder (they share none). */
function pieceWeights(dir: string): ReturnType<typeof readInitializers> {
  const all: ReturnType<typeof readInitializers> = new Map();
  for (const f of Object.values(PIECE_FILES))
    for (const [name, v] of readInitializers(new Uint8Array(readFileSync(join(dir, f))))) all.set(name, v);
  return all;
}

/** A checkpoint that cannot be resumed is the user's to fix (or remove): one line naming it. */
function checkpointError(dir: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  const msg = (e instanceof Error ? e.message : String(e)).replace(/^nn: /, '');
  return new UserError(
    `cannot resume from the checkpoint in ${dir}: ${msg} (remove the folder, or pass another --checkpoint, to start again)`,
    2,
  );
}

export class Csg2dLearner implements Learner<Csg2dState, Csg2dAction> {
  private models: Csg2dModels | null = null;

  private constructor(
    readonly domain: Csg2dDomain,
    readonly trainer: Trainer,
    readonly config: Csg2dModelConfig,
  ) {}

  static async create(
    domain: Csg2dDomain,
    net: Partial<Csg2dNetOptions> = {},
    opts: TrainerOptions = {},
  ): Promise<Csg2dLearner> {
    const config: Csg2dModelConfig = {
      format: 'replsynth-csg2d-model/1',
      domainParams: { ...domain.params } as Record<string, string | number | boolean>,
      net: { ...defaultCsg2dNetOptions, ...net, maxObjects: domain.limits.maxObjects },
    };
    return new Csg2dLearner(domain, await createTrainer(csg2dNet(config.net), opts), config);
  }

  /**
   * Resumes from a checkpoint folder. A shipped folder has no model.onnx (its weights would duplicate
   * the pieces'): the weights then come from the three inference pieces (float16-stored when shipped),
   * the optimizer state from training-state.bin as usual.
   */
  static async resume(
    domain: Csg2dDomain,
    dir: string,
    config: Csg2dModelConfig,
    threads?: number,
  ): Promise<Csg2dLearner> {
    try {
      const opts: LoadOptions = { threads };
      if (!existsSync(join(dir, 'model.onnx'))) opts.weights = pieceWeights(dir);
      return new Csg2dLearner(domain, await loadTrainer(dir, csg2dNet(config.net), opts), config);
    } catch (e) {
      throw checkpointError(dir, e);
    }
  }

  get step(): number {
    return this.trainer.stepCount;
  }

  /** Feeds for a batch; `lines[i]` null for value-only examples. */
  batch(
    states: readonly Csg2dState[],
    lines: readonly (Csg2dAction | null)[],
    valueTargets: readonly (number | null)[],
  ): Feeds {
    const n = states.length;
    const H = ARG_HEADS.length;
    const T = LINE_TYPES.length;
    const f = this.domain.features!.encode(states) as Feeds;
    const b = {
      type: new Int32Array(n),
      typeLegal: new Float32Array(n * T),
      policyWeight: new Float32Array(n),
      argTarget: new Int32Array(n * H),
      argWeight: new Float32Array(n * H),
      ptrOp: new Float32Array(n * 2),
      ptrA: new Int32Array(n),
      ptrB: new Int32Array(n),
      ptrWeight: new Float32Array(n),
      valueTarget: new Float32Array(n),
      valueWeight: new Float32Array(n),
    };
    states.forEach((s, i) => {
      const line = lines[i];
      if (line) {
        const legal = legalTypes(s, this.domain.limits).legal;
        const t = lineTargets(line);
        b.type[i] = t.type;
        legal.forEach((ok, k) => (b.typeLegal[i * T + k] = ok || k === t.type ? 1 : 0));
        b.policyWeight[i] = 1;
        b.argTarget.set(t.args, i * H);
        b.argWeight.set(t.argWeight, i * H);
        b.ptrOp.set(t.op, i * 2);
        b.ptrA[i] = t.a;
        b.ptrB[i] = t.b;
        b.ptrWeight[i] = t.ptrWeight;
      }
      const target = valueTargets[i];
      if (target !== null) {
        b.valueTarget[i] = target;
        b.valueWeight[i] = 1;
      }
    });
    return { ...f, ...b };
  }

  /** The weights are about to change: the inference pieces made from the old ones are stale. */
  private async dropPieces(): Promise<void> {
    const old = this.models;
    this.models = null;
    if (old) await disposePieces(old);
  }

  private async train(feeds: Feeds, kind: 'policy' | 'value'): Promise<StepMetrics> {
    await this.dropPieces();
    const r = await this.trainer.step(feeds);
    return kind === 'policy'
      ? { loss: r.metrics.policyLoss, accuracy: r.metrics.lineAccuracy }
      : { loss: r.metrics.valueLoss, accuracy: r.metrics.valueAccuracy };
  }

  trainPolicy(batch: readonly PolicyExample<Csg2dState, Csg2dAction>[]): Promise<StepMetrics> {
    return this.train(
      this.batch(
        batch.map((e) => e.state),
        batch.map((e) => e.action),
        batch.map(() => null),
      ),
      'policy',
    );
  }

  trainValue(batch: readonly ValueExample<Csg2dState>[]): Promise<StepMetrics> {
    return this.train(
      this.batch(
        batch.map((e) => e.state),
        batch.map(() => null),
        batch.map((e) => valueTargetOf(e)),
      ),
      'value',
    );
  }

  /** Loss and line accuracy on held-out pairs without training (the training graph, no update). */
  async measurePolicy(batch: readonly PolicyExample<Csg2dState, Csg2dAction>[]): Promise<StepMetrics> {
    let loss = 0;
    let acc = 0;
    const chunk = 128;
    for (let at = 0; at < batch.length; at += chunk) {
      const part = batch.slice(at, at + chunk);
      const r = await this.trainer.lossAndGrads(
        this.batch(
          part.map((e) => e.state),
          part.map((e) => e.action),
          part.map(() => null),
        ),
      );
      loss += r.metrics.policyLoss * part.length;
      acc += r.metrics.lineAccuracy * part.length;
    }
    return { loss: loss / Math.max(1, batch.length), accuracy: acc / Math.max(1, batch.length) };
  }

  private async pieces(): Promise<Csg2dModels> {
    return (this.models ??= await piecesFromBytes(
      pieceBytes(this.trainer.store, this.config.net),
      this.trainer.threads,
    ));
  }

  async evaluator(): Promise<Evaluator<Csg2dState, Csg2dAction>> {
    return new Csg2dEvaluator(
      this.domain,
      new NetworkBackend(await this.pieces(), this.config.net.maxObjects, this.config.net.hidden),
    );
  }

  async save(dir: string, meta: Record<string, unknown>): Promise<void> {
    await this.trainer.save(dir);
    mkdirSync(dir, { recursive: true });
    await writePieces(dir, pieceBytes(this.trainer.store, this.config.net));
    await atomicWrite(join(dir, 'config.json'), JSON.stringify({ ...this.config, meta }, null, 2) + '\n');
  }

  async dispose(): Promise<void> {
    await this.dropPieces();
  }
}
