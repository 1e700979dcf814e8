/**
 * csg2d model folders: the three inference pieces the evaluator runs (`pair-encoder.onnx`,
 * `spec-encoder.onnx`, `head.onnx`; plain ONNX with float16-stored weights, loadable by any runtime)
 * and `config.json` (domain parameters and network sizes). Loading goes through core's ModelFiles and
 * nn's inference entry, so it runs in a browser too; building pieces from weights is in pieces.ts.
 */
import { UserError, readModelConfig, type ModelFiles } from '../../core/index.js';
import { createCsg2dDomain, type Csg2dDomain } from '../../domains/csg2d/index.js';
import { InferenceModel } from '../../nn/inference.js';
import { Csg2dEvaluator, NetworkBackend, type Csg2dModels } from './evaluator.js';
import type { Csg2dNetOptions } from './net.js';

export interface Csg2dModelConfig {
  readonly format: 'replsynth-csg2d-model/1';
  readonly domainParams: Record<string, string | number | boolean>;
  readonly net: Csg2dNetOptions;
}

export const PIECE_FILES = {
  pairEncoder: 'pair-encoder.onnx',
  specEncoder: 'spec-encoder.onnx',
  head: 'head.onnx',
} as const;

export interface LoadedCsg2dModel {
  readonly id: 'csg2d';
  readonly source: string;
  readonly config: Csg2dModelConfig;
  readonly domain: Csg2dDomain;
  readonly models: Csg2dModels;
  /** A fresh evaluator (fresh caches) over the loaded sessions. */
  evaluator(cacheObjects?: boolean): Csg2dEvaluator;
}

export const readCsg2dConfig = (files: ModelFiles): Promise<Csg2dModelConfig> =>
  readModelConfig<Csg2dModelConfig>(files, 'csg2d', 'replsynth-csg2d-model/1');

export async function loadCsg2dModel(files: ModelFiles, threads?: number): Promise<LoadedCsg2dModel> {
  const config = await readCsg2dConfig(files);
  const domain = createCsg2dDomain(config.domainParams);
  const models = {} as Record<keyof Csg2dModels, InferenceModel>;
  for (const k of Object.keys(PIECE_FILES) as (keyof Csg2dModels)[]) {
    if (!(await files.has(PIECE_FILES[k])))
      throw new UserError(`no csg2d model in ${files.location} (missing ${PIECE_FILES[k]})`);
    models[k] = await InferenceModel.fromBytes(await files.read(PIECE_FILES[k]), { threads });
  }
  const net = config.net;
  return {
    id: 'csg2d',
    source: files.location,
    config,
    domain,
    models,
    evaluator: (cacheObjects = true) =>
      new Csg2dEvaluator(domain, new NetworkBackend(models, net.maxObjects, net.hidden, cacheObjects)),
  };
}
