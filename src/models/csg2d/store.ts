/**
 * csg2d model folders: `model.onnx` (the whole network, weights as initializers — loadable by any ONNX
 * runtime), the three inference pieces the evaluator runs (`pair-encoder.onnx`, `spec-encoder.onnx`,
 * `head.onnx`, same weights) and `config.json` (domain parameters and network sizes).
 */
import { UserError, readJsonFile, type ModelFiles } from '../../core/index.js';
import { createCsg2dDomain, type Csg2dDomain } from '../../domains/csg2d/index.js';
import {
  BuildContext,
  atomicWrite,
  exportModel,
  InferenceModel,
  type ModelDef,
  type ParamStore,
  type Tensor,
} from '../../nn/index.js';
import { Csg2dEvaluator, NetworkBackend, type Csg2dModels } from './evaluator.js';
import { csg2dHead, csg2dPairEncoder, csg2dSpecEncoder, type Csg2dNetOptions } from './net.js';

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

function bake(store: ParamStore, def: ModelDef): Uint8Array {
  const ctx = new BuildContext(store, false);
  const built = def.build(ctx);
  const weights = new Map<Tensor, Float32Array>();
  for (const [name, t] of ctx.params) weights.set(t, Float32Array.from(store.values.get(name)!.data));
  return exportModel({ outputs: built.outputs, bake: weights, name: def.name }).bytes;
}

/** The inference pieces with the store's current weights. */
export function pieceBytes(store: ParamStore, net: Csg2dNetOptions): Record<keyof Csg2dModels, Uint8Array> {
  return {
    pairEncoder: bake(store, csg2dPairEncoder(net)),
    specEncoder: bake(store, csg2dSpecEncoder(net)),
    head: bake(store, csg2dHead(net)),
  };
}

/**
 * Sessions for the three pieces. They are private (not in the process-wide session cache), so a
 * trainer that makes a fresh set per RL iteration frees the old one with `disposePieces`.
 */
export async function piecesFromBytes(
  b: Record<keyof Csg2dModels, Uint8Array>,
  threads?: number,
): Promise<Csg2dModels> {
  return {
    pairEncoder: await InferenceModel.fromBytes(b.pairEncoder, { threads, cache: false }),
    specEncoder: await InferenceModel.fromBytes(b.specEncoder, { threads, cache: false }),
    head: await InferenceModel.fromBytes(b.head, { threads, cache: false }),
  };
}

export async function disposePieces(m: Csg2dModels): Promise<void> {
  await Promise.all([m.pairEncoder.dispose(), m.specEncoder.dispose(), m.head.dispose()]);
}

export async function writePieces(dir: string, b: Record<keyof Csg2dModels, Uint8Array>): Promise<void> {
  for (const k of Object.keys(PIECE_FILES) as (keyof Csg2dModels)[])
    await atomicWrite(`${dir}/${PIECE_FILES[k]}`, b[k]);
}

export interface LoadedCsg2dModel {
  readonly id: 'csg2d';
  readonly source: string;
  readonly config: Csg2dModelConfig;
  readonly domain: Csg2dDomain;
  readonly models: Csg2dModels;
  /** A fresh evaluator (fresh caches) over the loaded sessions. */
  evaluator(cacheObjects?: boolean): Csg2dEvaluator;
}

export async function readCsg2dConfig(files: ModelFiles): Promise<Csg2dModelConfig> {
  if (!(await files.has('config.json')))
    throw new UserError(`no csg2d model in ${files.location} (missing config.json)`);
  const cfg = await readJsonFile<Csg2dModelConfig>(files, 'config.json');
  if (cfg.format !== 'replsynth-csg2d-model/1')
    throw new UserError(`${files.location}/config.json: field 'format': unknown '${String(cfg.format)}'`);
  return cfg;
}

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
