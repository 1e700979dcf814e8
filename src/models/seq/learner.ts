/**
 * Training a sequence model (kind.ts) with the shared whole-program learner (whole-learner.ts): the
 * family's training graph (net.ts) and teacher-forcing batches (batch.ts); a checkpoint is a loadable
 * model folder (config.json, encode.onnx, step.onnx).
 */
import type { LoadedModel } from '../../core/index.js';
import { teacherBatch } from './batch.js';
import type { TokenDomainLike } from './codec.js';
import type { SeqKind } from './kind.js';
import { seqNet } from './net.js';
import { seqLoaded, type SeqModelConfig } from './store.js';
import { WholeLearner, type WholeLearnerOptions, type WholeModelSpec } from './whole-learner.js';

type SeqEntries = 'encode' | 'step';
export type SeqLearner = WholeLearner<SeqModelConfig, SeqEntries>;

export const seqModelSpec = (kind: SeqKind): WholeModelSpec<SeqModelConfig, SeqEntries> => ({
  id: kind.id,
  net: (c) => seqNet(kind.id, c.net),
  files: { encode: 'encode.onnx', step: 'step.onnx' },
  feeds: (c, tokens, tasks) => teacherBatch(kind.codec, tokens.grammar, c.net.steps, tasks),
  loaded: (source, tokens, c, nets, dispose): LoadedModel =>
    seqLoaded(kind, source, tokens, c.net, nets, dispose),
});

export const SeqLearner = {
  create: (
    kind: SeqKind,
    config: SeqModelConfig,
    tokens: TokenDomainLike,
    o: WholeLearnerOptions,
  ): Promise<SeqLearner> => WholeLearner.create(seqModelSpec(kind), config, tokens, o),
};
