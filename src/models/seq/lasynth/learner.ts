/**
 * Training a LaSynth variant with the shared whole-program learner (../whole-learner.ts): net.ts's
 * training graph (token NLL + L_Exec + L_Op; validation reports execAccuracy and opAccuracy too) and
 * batch.ts's feeds; a checkpoint is a loadable model folder (store.ts).
 */
import type { LoadedModel } from '../../../core/index.js';
import type { TokenDomainLike } from '../codec.js';
import { WholeLearner, type WholeLearnerOptions, type WholeModelSpec } from '../whole-learner.js';
import { lasynthBatch } from './batch.js';
import { lasynthNet, type LaSynthEntries } from './net.js';
import { lasynthLoaded, type LaSynthConfig } from './store.js';
import type { LaSynthVariant } from './variants.js';

export type LaSynthLearner = WholeLearner<LaSynthConfig, LaSynthEntries>;

export const lasynthModelSpec = (v: LaSynthVariant): WholeModelSpec<LaSynthConfig, LaSynthEntries> => ({
  id: v.id,
  net: (c) => lasynthNet(v.id, c.net),
  files: { encode: 'encode.onnx', step: 'step.onnx', exec: 'exec.onnx' },
  feeds: (c, tokens, tasks) => lasynthBatch(v, tokens.grammar, c.net, tasks),
  loaded: (source, tokens, c, nets, dispose): LoadedModel =>
    lasynthLoaded(v, source, tokens, c.net, nets, dispose),
});

export const LaSynthLearner = {
  create: (
    v: LaSynthVariant,
    config: LaSynthConfig,
    tokens: TokenDomainLike,
    o: WholeLearnerOptions,
  ): Promise<LaSynthLearner> => WholeLearner.create(lasynthModelSpec(v), config, tokens, o),
};
