/**
 * csg3d model folders: the two inference pieces the evaluator runs (`encoder.onnx`, `head.onnx`; plain
 * ONNX with float16-stored weights, loadable by any runtime) and `config.json` (domain parameters and
 * network sizes). Loading goes through core's ModelFiles and nn's inference entry, so it runs in a
 * browser too; building pieces from weights is in pieces.ts.
 */
import { UserError, readModelConfig, type ModelFiles } from '../../core/index.js';
import { createCsg3dDomain, type Csg3dDomain } from '../../domains/csg3d/index.js';
import { InferenceModel } from '../../nn/inference.js';
import {
  Csg3dEvaluator,
  NetworkBackend,
  networkValue,
  type Csg3dModels,
  type ValueShape,
} from './evaluator.js';
import type { Csg3dNetOptions } from './net.js';

export interface Csg3dModelConfig {
  readonly format: 'replsynth-csg3d-model/1';
  readonly domainParams: Record<string, string | number | boolean>;
  readonly net: Csg3dNetOptions;
  /** How search values are formed (absent: the network's value alone). */
  readonly value?: Partial<ValueShape>;
}

export const PIECE_FILES = { encoder: 'encoder.onnx', head: 'head.onnx' } as const;

export interface LoadedCsg3dModel {
  readonly id: 'csg3d';
  readonly source: string;
  readonly config: Csg3dModelConfig;
  readonly domain: Csg3dDomain;
  readonly models: Csg3dModels;
  /** A fresh evaluator (fresh caches) over the loaded sessions. */
  evaluator(cacheObjects?: boolean): Csg3dEvaluator;
}

export const readCsg3dConfig = (files: ModelFiles): Promise<Csg3dModelConfig> =>
  readModelConfig<Csg3dModelConfig>(files, 'csg3d', 'replsynth-csg3d-model/1');

export async function loadCsg3dModel(files: ModelFiles, threads?: number): Promise<LoadedCsg3dModel> {
  const config = await readCsg3dConfig(files);
  const domain = createCsg3dDomain(config.domainParams);
  const models = {} as Record<keyof Csg3dModels, InferenceModel>;
  for (const k of Object.keys(PIECE_FILES) as (keyof Csg3dModels)[]) {
    if (!(await files.has(PIECE_FILES[k])))
      throw new UserError(`no csg3d model in ${files.location} (missing ${PIECE_FILES[k]})`);
    models[k] = await InferenceModel.fromBytes(await files.read(PIECE_FILES[k]), { threads });
  }
  const net = config.net;
  return {
    id: 'csg3d',
    source: files.location,
    config,
    domain,
    models,
    evaluator: (cacheObjects = true) =>
      new Csg3dEvaluator(domain, new NetworkBackend(models, net.maxObjects, net.hidden, cacheObjects), {
        ...networkValue,
        ...config.value,
      }),
  };
}
