/**
 * CSGNet model folders: `encoder.onnx` and `step.onnx` (plain ONNX, float16-stored weights when
 * shipped) and `config.json` (which kind, network sizes, token formulation parameters). Loading goes
 * through core's ModelFiles and nn's inference entry, so it runs in a browser too; a missing, foreign
 * or broken file is a one-line error naming it.
 */
import {
  UserError,
  readModelConfig,
  type LoadedModel,
  type ModelFiles,
  type ParamValue,
} from '../../core/index.js';
import { readNetworkFile, type NetworkWant } from '../../nn/inference.js';
import { CsgnetDecoder, csgnetEvaluator, type CsgnetPieces } from './evaluator.js';
import { tokenDomain, type CsgnetKind } from './kinds.js';
import type { CsgnetNetOptions } from './net.js';

export const CSGNET_FORMAT = 'replsynth-csgnet-model/1';

export interface CsgnetModelConfig {
  readonly format: typeof CSGNET_FORMAT;
  /** The model id (`csgnet-2d`, `csgnet-3d`). */
  readonly kind: string;
  /** Token formulation parameters the decoder writes under. */
  readonly tokenParams: Record<string, ParamValue>;
  /** REPL formulation parameters of the training scenes. */
  readonly replParams: Record<string, ParamValue>;
  readonly net: CsgnetNetOptions;
  readonly meta?: Record<string, unknown>;
}

export const CSGNET_FILES = { encoder: 'encoder.onnx', step: 'step.onnx' } as const;

const PIECE_IO: Record<keyof CsgnetPieces, NetworkWant> = {
  encoder: { inputs: { target: null }, outputs: ['enc', 'h0'] },
  step: { inputs: { enc: null, h: null, token: null }, outputs: ['logits', 'next'] },
};

export async function readCsgnetConfig(files: ModelFiles, kind: CsgnetKind): Promise<CsgnetModelConfig> {
  const path = `${files.location}/config.json`;
  let cfg: CsgnetModelConfig;
  try {
    cfg = await readModelConfig<CsgnetModelConfig>(files, kind.id, CSGNET_FORMAT);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.message, 2);
    throw new UserError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, 2);
  }
  if (cfg.kind !== kind.id)
    throw new UserError(`${path}: field 'kind': a ${String(cfg.kind)} model, not ${kind.id}`, 2);
  for (const f of ['tokenParams', 'replParams', 'net'] as const)
    if (typeof cfg[f] !== 'object' || cfg[f] === null)
      throw new UserError(`${path}: field '${f}': expected an object`, 2);
  for (const f of ['vocab', 'hidden', 'encoding', 'size'] as const)
    if (!Number.isInteger(cfg.net[f]) || cfg.net[f] <= 0)
      throw new UserError(`${path}: field 'net.${f}': expected a positive integer`, 2);
  return cfg;
}

export interface LoadedCsgnet extends LoadedModel {
  readonly config: CsgnetModelConfig;
  readonly pieces: CsgnetPieces;
}

/** A loaded model over given pieces: its token formulation and fresh evaluators (fresh caches). */
export function csgnetModel(
  kind: CsgnetKind,
  config: CsgnetModelConfig,
  pieces: CsgnetPieces,
  source: string,
): LoadedCsgnet {
  const domain = tokenDomain(kind, config.tokenParams);
  if (domain.actionSpace.size !== config.net.vocab)
    throw new UserError(
      `${source}/config.json: field 'net.vocab': ${config.net.vocab}, but ${kind.formulation} has ${domain.actionSpace.size} tokens`,
      2,
    );
  return {
    id: kind.id,
    source,
    config,
    pieces,
    domain,
    evaluator: () => csgnetEvaluator(new CsgnetDecoder(kind, domain, pieces, config.net)),
  };
}

export async function loadCsgnet(
  kind: CsgnetKind,
  files: ModelFiles,
  threads?: number,
): Promise<LoadedCsgnet> {
  const config = await readCsgnetConfig(files, kind);
  const pieces = {
    encoder: await readNetworkFile(files, CSGNET_FILES.encoder, PIECE_IO.encoder, threads),
    step: await readNetworkFile(files, CSGNET_FILES.step, PIECE_IO.step, threads),
  };
  return csgnetModel(kind, config, pieces, files.location);
}
