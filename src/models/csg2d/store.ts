/**
 * csg2d model folders: `model.onnx` (the whole network, weights as initializers — loadable by any ONNX
 * runtime), the three inference pieces the evaluator runs (`pair-encoder.onnx`, `spec-encoder.onnx`,
 * `head.onnx`, same weights) and `config.json` (domain parameters and network sizes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../core/index.js';
import { createCsg2dDomain, type Csg2dDomain } from '../../domains/csg2d/index.js';
import {
  BuildContext,
  atomicWrite,
  exportModel,
  InferenceModel,
  loadInferenceModel,
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

/** The repository's models/csg2d folder (shipped weights). */
export const shippedCsg2dModelDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'models',
  'csg2d',
);

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
    await atomicWrite(join(dir, PIECE_FILES[k]), b[k]);
}

export interface LoadedCsg2dModel {
  readonly dir: string;
  readonly config: Csg2dModelConfig;
  readonly domain: Csg2dDomain;
  readonly models: Csg2dModels;
  /** A fresh evaluator (fresh caches) over the loaded sessions. */
  evaluator(cacheObjects?: boolean): Csg2dEvaluator;
}

export function readCsg2dConfig(dir: string): Csg2dModelConfig {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new UserError(`no csg2d model in ${dir} (missing config.json)`);
  const cfg = JSON.parse(readFileSync(path, 'utf8')) as Csg2dModelConfig;
  if (cfg.format !== 'replsynth-csg2d-model/1')
    throw new UserError(`${path}: field 'format': unknown '${String(cfg.format)}'`);
  return cfg;
}

export function hasCsg2dModel(dir: string): boolean {
  return (
    existsSync(join(dir, 'config.json')) && Object.values(PIECE_FILES).every((f) => existsSync(join(dir, f)))
  );
}

export async function loadCsg2dModel(
  dir = shippedCsg2dModelDir,
  threads?: number,
): Promise<LoadedCsg2dModel> {
  const config = readCsg2dConfig(dir);
  const domain = createCsg2dDomain(config.domainParams);
  const models = {} as Record<keyof Csg2dModels, InferenceModel>;
  for (const k of Object.keys(PIECE_FILES) as (keyof Csg2dModels)[]) {
    const path = join(dir, PIECE_FILES[k]);
    if (!existsSync(path)) throw new UserError(`no csg2d model in ${dir} (missing ${PIECE_FILES[k]})`);
    models[k] = await loadInferenceModel(path, { threads });
  }
  const net = config.net;
  return {
    dir,
    config,
    domain,
    models,
    evaluator: (cacheObjects = true) =>
      new Csg2dEvaluator(domain, new NetworkBackend(models, net.maxObjects, net.hidden, cacheObjects)),
  };
}
