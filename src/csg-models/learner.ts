/**
 * The Learner both CAD line models share: (state, line) and (state, success) examples become the
 * per-factor targets and weights of the one training graph, next to the inputs each model encodes its
 * own way (csg2d: state features; csg3d: packed [spec, object] volumes); it hands out evaluators with
 * the current weights and saves pieces and config.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evaluator, Learner, PolicyExample, StepMetrics, ValueExample } from '../core/index.js';
import { metaSeconds, valueTargetOf } from '../core/index.js';
import { atomicWrite, readInitializers, type InferenceModel, type Trainer } from '../nn/index.js';
import type { LineTargets } from './lines.js';
import type { CsgPieces } from './pieces.js';

export type Feeds = Record<string, Float32Array | Int32Array>;

/** Every parameter of the network, from the inference pieces of a model folder (they share none). */
export function pieceWeights(
  dir: string,
  files: Readonly<Record<string, string>>,
): ReturnType<typeof readInitializers> {
  const all: ReturnType<typeof readInitializers> = new Map();
  for (const f of Object.values(files)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, f));
    } catch (e) {
      // Named like nn's checkpoint reads, so a broken folder can be told from a bug.
      throw new Error(`${join(dir, f)}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, {
        cause: e,
      });
    }
    for (const [name, v] of readInitializers(new Uint8Array(bytes))) all.set(name, v);
  }
  return all;
}

/** What a model gives the shared learner. */
export interface CsgLearnerParts<State, Action, K extends string, Net> {
  /** Number of line types and of argument heads. */
  readonly lineTypes: number;
  readonly argHeads: number;
  /** Which line types are legal in a state. */
  legalTypes(state: State): { readonly legal: readonly boolean[] };
  lineTargets(action: Action): LineTargets;
  /**
   * The network's inputs for a batch: feeds, the number of rows of the target feeds (the states, or
   * the graph's fixed batch), and the value rows without a policy target get in `typeLegal`.
   */
  inputs(states: readonly State[]): {
    readonly feeds: Feeds;
    readonly rows: number;
    readonly typeLegalFill: number;
  };
  /** States per held-out measuring step. */
  readonly measureChunk: number;
  readonly pieces: CsgPieces<K, Net>;
  evaluator(models: Record<K, InferenceModel>): Evaluator<State, Action>;
}

export class CsgLineLearner<
  State,
  Action,
  K extends string,
  Net extends { readonly maxObjects: number; readonly hidden: number },
  Config extends { readonly net: Net },
> implements Learner<State, Action> {
  private models: Record<K, InferenceModel> | null = null;

  constructor(
    readonly trainer: Trainer,
    readonly config: Config,
    private readonly parts: CsgLearnerParts<State, Action, K, Net>,
  ) {}

  get step(): number {
    return this.trainer.stepCount;
  }

  get trainedSeconds(): number {
    return this.trainer.trainedSeconds;
  }

  /** Feeds for a batch; `lines[i]` null for value-only examples. */
  batch(
    states: readonly State[],
    lines: readonly (Action | null)[],
    valueTargets: readonly (number | null)[],
  ): Feeds {
    const P = this.parts;
    const H = P.argHeads;
    const T = P.lineTypes;
    const { feeds, rows: n, typeLegalFill } = P.inputs(states);
    const b = {
      type: new Int32Array(n),
      typeLegal: new Float32Array(n * T).fill(typeLegalFill),
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
        const legal = P.legalTypes(s).legal;
        const t = P.lineTargets(line);
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
    return { ...feeds, ...b };
  }

  /** The weights are about to change: the inference pieces made from the old ones are stale. */
  private async dropPieces(): Promise<void> {
    const old = this.models;
    this.models = null;
    if (old) await this.parts.pieces.disposePieces(old);
  }

  private async train(feeds: Feeds, kind: 'policy' | 'value'): Promise<StepMetrics> {
    await this.dropPieces();
    const r = await this.trainer.step(feeds);
    return kind === 'policy'
      ? { loss: r.metrics.policyLoss, accuracy: r.metrics.lineAccuracy }
      : { loss: r.metrics.valueLoss, accuracy: r.metrics.valueAccuracy };
  }

  trainPolicy(batch: readonly PolicyExample<State, Action>[]): Promise<StepMetrics> {
    return this.train(
      this.batch(
        batch.map((e) => e.state),
        batch.map((e) => e.action),
        batch.map(() => null),
      ),
      'policy',
    );
  }

  trainValue(batch: readonly ValueExample<State>[]): Promise<StepMetrics> {
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
  async measurePolicy(batch: readonly PolicyExample<State, Action>[]): Promise<StepMetrics> {
    let loss = 0;
    let acc = 0;
    const chunk = this.parts.measureChunk;
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

  private async pieces(): Promise<Record<K, InferenceModel>> {
    const p = this.parts.pieces;
    return (this.models ??= await p.piecesFromBytes(
      p.pieceBytes(this.trainer.store, this.config.net),
      this.trainer.threads,
    ));
  }

  async evaluator(): Promise<Evaluator<State, Action>> {
    return this.parts.evaluator(await this.pieces());
  }

  async save(dir: string, meta: Record<string, unknown>): Promise<void> {
    await this.trainer.save(dir, metaSeconds(meta));
    mkdirSync(dir, { recursive: true });
    await this.parts.pieces.writePieces(
      dir,
      this.parts.pieces.pieceBytes(this.trainer.store, this.config.net),
    );
    await atomicWrite(join(dir, 'config.json'), JSON.stringify({ ...this.config, meta }, null, 2) + '\n');
  }

  async dispose(): Promise<void> {
    await this.dropPieces();
  }
}
