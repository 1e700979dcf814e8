/**
 * The csg2d Learner: turns (state, line) and (state, success) examples into feeds of the one training
 * graph of csg2dNet (per-factor targets and weights), and hands out evaluators with the current weights.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointError } from '../../core/index.js';
import { CsgLineLearner, pieceWeights, type CsgLearnerParts, type Feeds } from '../../csg-models/learner.js';
import type { Csg2dAction, Csg2dDomain, Csg2dState } from '../../domains/csg2d/index.js';
import {
  createTrainer,
  loadTrainer,
  type LoadOptions,
  type Trainer,
  type TrainerOptions,
} from '../../nn/index.js';
import { Csg2dEvaluator, NetworkBackend, type Csg2dModels } from './evaluator.js';
import { legalTypes, lineTargets } from './lines.js';
import { ARG_HEADS, LINE_TYPES, csg2dNet, defaultCsg2dNetOptions, type Csg2dNetOptions } from './net.js';
import * as pieces from './pieces.js';
import { PIECE_FILES, type Csg2dModelConfig } from './store.js';

/** What this model gives the shared learner: state features as inputs, its lines, pieces and evaluator. */
function parts(
  domain: Csg2dDomain,
  config: Csg2dModelConfig,
): CsgLearnerParts<Csg2dState, Csg2dAction, keyof Csg2dModels, Csg2dNetOptions> {
  return {
    lineTypes: LINE_TYPES.length,
    argHeads: ARG_HEADS.length,
    legalTypes: (s) => legalTypes(s, domain.limits),
    lineTargets,
    inputs: (states) => ({
      feeds: domain.features!.encode(states) as Feeds,
      rows: states.length,
      typeLegalFill: 0,
    }),
    measureChunk: 128,
    pieces,
    evaluator: (models) =>
      new Csg2dEvaluator(domain, new NetworkBackend(models, config.net.maxObjects, config.net.hidden)),
  };
}

export class Csg2dLearner extends CsgLineLearner<
  Csg2dState,
  Csg2dAction,
  keyof Csg2dModels,
  Csg2dNetOptions,
  Csg2dModelConfig
> {
  private constructor(
    readonly domain: Csg2dDomain,
    trainer: Trainer,
    config: Csg2dModelConfig,
  ) {
    super(trainer, config, parts(domain, config));
  }

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
      if (!existsSync(join(dir, 'model.onnx'))) opts.weights = pieceWeights(dir, PIECE_FILES);
      return new Csg2dLearner(domain, await loadTrainer(dir, csg2dNet(config.net), opts), config);
    } catch (e) {
      throw checkpointError(dir, e);
    }
  }
}
