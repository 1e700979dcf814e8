/**
 * The csg3d Learner: turns (state, line) and (state, success) examples into feeds of the training
 * graph of csg3dNet — each distinct [spec, object] volume of a batch packed once, assigned to state
 * slots by one-hot rows — and hands out evaluators with the current weights.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CsgLineLearner, pieceWeights, type CsgLearnerParts } from '../../csg-models/learner.js';
import {
  VOXELS,
  writeVolume,
  type Csg3dAction,
  type Csg3dDomain,
  type Csg3dState,
  type Voxels,
} from '../../domains/csg3d/index.js';
import {
  createTrainer,
  loadTrainer,
  type LoadOptions,
  type Trainer,
  type TrainerOptions,
} from '../../nn/index.js';
import { Csg3dEvaluator, NetworkBackend, type Csg3dModels } from './evaluator.js';
import { legalTypes, lineTargets } from './lines.js';
import { ARG_HEADS, LINE_TYPES, csg3dNet, defaultCsg3dNetOptions, type Csg3dNetOptions } from './net.js';
import * as pieces from './pieces.js';
import { PIECE_FILES, type Csg3dModelConfig } from './store.js';

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

/** What this model gives the shared learner: packed volumes as inputs, its lines, pieces and evaluator. */
function parts(
  domain: Csg3dDomain,
  config: Csg3dModelConfig,
  batchSize: number,
): CsgLearnerParts<Csg3dState, Csg3dAction, keyof Csg3dModels, Csg3dNetOptions> {
  return {
    lineTypes: LINE_TYPES.length,
    argHeads: ARG_HEADS.length,
    legalTypes: (s) => legalTypes(s, domain.limits),
    lineTargets,
    inputs: (states) => {
      const B = batchSize;
      if (states.length > B) throw new Error(`csg3d learner: batch of ${states.length} > ${B} states`);
      // Rows past the batch's states are padding: every type legal, no weight.
      return { feeds: packBatch(states, B, config.net.maxObjects), rows: B, typeLegalFill: 1 };
    },
    measureChunk: batchSize,
    pieces,
    evaluator: (models) =>
      new Csg3dEvaluator(domain, new NetworkBackend(models, config.net.maxObjects, config.net.hidden)),
  };
}

export class Csg3dLearner extends CsgLineLearner<
  Csg3dState,
  Csg3dAction,
  keyof Csg3dModels,
  Csg3dNetOptions,
  Csg3dModelConfig
> {
  private constructor(
    readonly domain: Csg3dDomain,
    trainer: Trainer,
    config: Csg3dModelConfig,
    /** States per training step: the training graph's fixed batch (smaller batches are padded). */
    readonly batchSize: number,
  ) {
    super(trainer, config, parts(domain, config, batchSize));
  }

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
    if (!existsSync(join(dir, 'model.onnx'))) opts.weights = pieceWeights(dir, PIECE_FILES);
    const trainer = await loadTrainer(dir, csg3dNet(config.net, batchSize), opts);
    return new Csg3dLearner(domain, trainer, config, batchSize);
  }
}
