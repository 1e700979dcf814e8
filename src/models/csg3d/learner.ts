/**
 * The csg3d Learner: turns (state, line) and (state, success) examples into feeds of the training
 * graph of csg3dNet — each distinct [spec, object] volume of a batch packed once, assigned to state
 * slots by one-hot rows — and hands out evaluators with the current weights.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evaluator, Learner, PolicyExample, StepMetrics, ValueExample } from '../../core/index.js';
import { valueTargetOf } from '../../core/index.js';
import {
  VOXELS,
  writeVolume,
  type Csg3dAction,
  type Csg3dDomain,
  type Csg3dState,
  type Voxels,
} from '../../domains/csg3d/index.js';
import {
  atomicWrite,
  createTrainer,
  loadTrainer,
  readInitializers,
  type LoadOptions,
  type Trainer,
  type TrainerOptions,
} from '../../nn/index.js';
import { Csg3dEvaluator, NetworkBackend, type Csg3dModels } from './evaluator.js';
import { legalTypes, lineTargets } from './lines.js';
import { ARG_HEADS, LINE_TYPES, csg3dNet, defaultCsg3dNetOptions, type Csg3dNetOptions } from './net.js';
import { disposePieces, pieceBytes, piecesFromBytes, writePieces } from './pieces.js';
import { PIECE_FILES, type Csg3dModelConfig } from './store.js';

type Feeds = Record<string, Float32Array | Int32Array>;

/** Every parameter of the network, from the inference pieces of a model folder (they share none). */
function pieceWeights(dir: string): ReturnType<typeof readInitializers> {
  const all: ReturnType<typeof readInitializers> = new Map();
  for (const f of Object.values(PIECE_FILES))
    for (const [name, v] of readInitializers(new Uint8Array(readFileSync(join(dir, f))))) all.set(name, v);
  return all;
}

/**
 * The packed encoder input of a batch: rows of [spec, object] (object empty for the spec's own
 * encoding), each distinct pair once, plus one all-zero row so the pack is never empty.
 */
export function packBatch(
  states: readonly Csg3dState[],
  B: number,
  K: number,
): { pairs: Float32Array; specSlot: Float32Array; objSlot: Float32Array; objectMask: Float32Array } {
  const rows: { spec: Voxels; object: Voxels | null }[] = [];
  const index = new Map<Voxels, { spec: number; objects: Map<string, number> }>();
  const specRow: number[] = [];
  const objRows: number[][] = [];
  for (const s of states) {
    let e = index.get(s.spec);
    if (!e) {
      e = { spec: rows.push({ spec: s.spec, object: null }) - 1, objects: new Map() };
      index.set(s.spec, e);
    }
    specRow.push(e.spec);
    objRows.push(
      s.objects.slice(0, K).map((o) => {
        let r = e.objects.get(o.key);
        if (r === undefined) e.objects.set(o.key, (r = rows.push({ spec: s.spec, object: o.voxels }) - 1));
        return r;
      }),
    );
  }
  const M = rows.length + 1;
  const pairs = new Float32Array(M * 2 * VOXELS);
  rows.forEach((r, i) => {
    writeVolume(r.spec, pairs, 2 * i * VOXELS);
    if (r.object) writeVolume(r.object, pairs, (2 * i + 1) * VOXELS);
  });
  const specSlot = new Float32Array(B * M);
  const objSlot = new Float32Array(B * K * M);
  const objectMask = new Float32Array(B * K);
  specRow.forEach((r, i) => (specSlot[i * M + r] = 1));
  objRows.forEach((list, i) =>
    list.forEach((r, k) => {
      objSlot[(i * K + k) * M + r] = 1;
      objectMask[i * K + k] = 1;
    }),
  );
  return { pairs, specSlot, objSlot, objectMask };
}

export class Csg3dLearner implements Learner<Csg3dState, Csg3dAction> {
  private models: Csg3dModels | null = null;

  private constructor(
    readonly domain: Csg3dDomain,
    readonly trainer: Trainer,
    readonly config: Csg3dModelConfig,
    /** States per training step: the training graph's fixed batch (smaller batches are padded). */
    readonly batchSize: number,
  ) {}

  static async create(
    domain: Csg3dDomain,
    net: Partial<Csg3dNetOptions> = {},
    opts: TrainerOptions = {},
    batchSize = 32,
  ): Promise<Csg3dLearner> {
    const config: Csg3dModelConfig = {
      format: 'replsynth-csg3d-model/1',
      domainParams: { ...domain.params } as Record<string, string | number | boolean>,
      net: { ...defaultCsg3dNetOptions, ...net, maxObjects: domain.limits.maxObjects },
    };
    return new Csg3dLearner(
      domain,
      await createTrainer(csg3dNet(config.net, batchSize), opts),
      config,
      batchSize,
    );
  }

  /**
   * Resumes from a checkpoint folder. A shipped folder has no model.onnx (its weights would duplicate
   * the pieces'): the weights then come from the inference pieces (float16-stored when shipped), the
   * optimizer state from training-state.bin as usual.
   */
  static async resume(
    domain: Csg3dDomain,
    dir: string,
    config: Csg3dModelConfig,
    threads?: number,
    batchSize = 32,
  ): Promise<Csg3dLearner> {
    const opts: LoadOptions = { threads };
    if (!existsSync(join(dir, 'model.onnx'))) opts.weights = pieceWeights(dir);
    const trainer = await loadTrainer(dir, csg3dNet(config.net, batchSize), opts);
    return new Csg3dLearner(domain, trainer, config, batchSize);
  }

  get step(): number {
    return this.trainer.stepCount;
  }

  /** Feeds for a batch of at most `batchSize` states; `lines[i]` null for value-only examples. */
  batch(
    states: readonly Csg3dState[],
    lines: readonly (Csg3dAction | null)[],
    valueTargets: readonly (number | null)[],
  ): Feeds {
    const B = this.batchSize;
    if (states.length > B) throw new Error(`csg3d learner: batch of ${states.length} > ${B} states`);
    const H = ARG_HEADS.length;
    const T = LINE_TYPES.length;
    const packed = packBatch(states, B, this.config.net.maxObjects);
    const b = {
      type: new Int32Array(B),
      typeLegal: new Float32Array(B * T).fill(1),
      policyWeight: new Float32Array(B),
      argTarget: new Int32Array(B * H),
      argWeight: new Float32Array(B * H),
      ptrOp: new Float32Array(B * 2),
      ptrA: new Int32Array(B),
      ptrB: new Int32Array(B),
      ptrWeight: new Float32Array(B),
      valueTarget: new Float32Array(B),
      valueWeight: new Float32Array(B),
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
    return { ...packed, ...b };
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

  trainPolicy(batch: readonly PolicyExample<Csg3dState, Csg3dAction>[]): Promise<StepMetrics> {
    return this.train(
      this.batch(
        batch.map((e) => e.state),
        batch.map((e) => e.action),
        batch.map(() => null),
      ),
      'policy',
    );
  }

  trainValue(batch: readonly ValueExample<Csg3dState>[]): Promise<StepMetrics> {
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
  async measurePolicy(batch: readonly PolicyExample<Csg3dState, Csg3dAction>[]): Promise<StepMetrics> {
    let loss = 0;
    let acc = 0;
    for (let at = 0; at < batch.length; at += this.batchSize) {
      const part = batch.slice(at, at + this.batchSize);
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

  private async pieces(): Promise<Csg3dModels> {
    return (this.models ??= await piecesFromBytes(
      pieceBytes(this.trainer.store, this.config.net),
      this.trainer.threads,
    ));
  }

  async evaluator(): Promise<Evaluator<Csg3dState, Csg3dAction>> {
    return new Csg3dEvaluator(
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
