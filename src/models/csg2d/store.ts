/**
 * csg2d model folders: the three inference pieces the evaluator runs (`pair-encoder.onnx`,
 * `spec-encoder.onnx`, `head.onnx`; plain ONNX with float16-stored weights, loadable by any runtime)
 * and `config.json` (domain parameters and network sizes). Loading goes through core's ModelFiles and
 * nn's inference entry, so it runs in a browser too; building pieces from weights is in pieces.ts.
 */
import { UserError, readModelConfig, type ModelFiles } from '../../core/index.js';
import { createCsg2dDomain, type Csg2dDomain } from '../../domains/csg2d/index.js';
import { InferenceModel, readNetworkFile } from '../../nn/inference.js';
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

/** A model folder's config.json, read and checked: any fault is a user error naming the file. */
async function readConfig<T extends { readonly format: string }>(
  files: ModelFiles,
  kind: string,
  format: T['format'],
): Promise<T> {
  const path = `${files.location}/config.json`;
  let cfg: T;
  try {
    cfg = await readModelConfig<T>(files, kind, format);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.message, 2);
    throw new UserError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, 2);
  }
  for (const f of ['domainParams', 'net'])
    if (
      typeof (cfg as Record<string, unknown>)[f] !== 'object' ||
      (cfg as Record<string, unknown>)[f] === null
    )
      throw new UserError(`${path}: field '${f}': expected an object`, 2);
  return cfg;
}

/** A formulation instance from a config's parameters; bad ones name the file and field. */
function domainOf<D>(files: ModelFiles, create: () => D): D {
  try {
    return create();
  } catch (e) {
    throw new UserError(
      `${files.location}/config.json: field 'domainParams': ${e instanceof Error ? e.message : String(e)}`,
      2,
    );
  }
}

export const readCsg2dConfig = (files: ModelFiles): Promise<Csg2dModelConfig> =>
  readConfig<Csg2dModelConfig>(files, 'csg2d', 'replsynth-csg2d-model/1');

/** What each piece is fed and gives (shapes are checked where the names suffice to tell nets apart). */
const PIECE_IO: Record<keyof Csg2dModels, { inputs: Record<string, null>; outputs: string[] }> = {
  pairEncoder: { inputs: { pairs: null }, outputs: ['enc'] },
  specEncoder: { inputs: { spec: null }, outputs: ['enc'] },
  head: {
    inputs: { specEnc: null, objEnc: null, objectMask: null },
    outputs: ['typeLogits', 'args', 'ptrA', 'ptrB', 'negLogValue'],
  },
};

export async function loadCsg2dModel(files: ModelFiles, threads?: number): Promise<LoadedCsg2dModel> {
  const config = await readCsg2dConfig(files);
  const domain = domainOf(files, () => createCsg2dDomain(config.domainParams));
  const models = {} as Record<keyof Csg2dModels, InferenceModel>;
  for (const k of Object.keys(PIECE_FILES) as (keyof Csg2dModels)[])
    models[k] = await readNetworkFile(files, PIECE_FILES[k], PIECE_IO[k], threads);
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
