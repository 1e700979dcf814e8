/**
 * Sequence-model folders: `config.json` (format, model id, formulation parameters, network sizes)
 * and the two inference graphs `encode.onnx` and `step.onnx` (plain ONNX, float16-stored weights
 * when shipped). Loading goes through core's ModelFiles and nn's inference entry only, so it runs in
 * a browser too.
 */
import {
  UserError,
  getDomain,
  readModelConfig,
  type LoadedModel,
  type ModelFiles,
  type ParamValue,
} from '../../core/index.js';
import { readNetworkFile } from '../../nn/inference.js';
import { SeqNetBackend, type SeqNets } from './backend.js';
import type { TokenDomainLike } from './codec.js';
import { SeqDecodeEvaluator } from './evaluator.js';
import type { SeqKind } from './kind.js';
import type { SeqNetOptions } from './net.js';

export const SEQ_FORMAT = 'replsynth-seq-model/1';
export const SEQ_FILES = ['config.json', 'encode.onnx', 'step.onnx'] as const;

export interface SeqModelConfig {
  readonly format: typeof SEQ_FORMAT;
  readonly model: string;
  readonly formulationParams: Readonly<Record<string, ParamValue>>;
  readonly net: SeqNetOptions;
}

export async function readSeqConfig(files: ModelFiles, kind: SeqKind): Promise<SeqModelConfig> {
  const path = `${files.location}/config.json`;
  let cfg: SeqModelConfig;
  try {
    cfg = await readModelConfig<SeqModelConfig>(files, kind.id, SEQ_FORMAT);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.message, 2);
    throw new UserError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, 2);
  }
  if (cfg.model !== kind.id)
    throw new UserError(`${path}: field 'model': a ${String(cfg.model)} model, not ${kind.id}`, 2);
  for (const f of ['formulationParams', 'net'] as const)
    if (typeof cfg[f] !== 'object' || cfg[f] === null)
      throw new UserError(`${path}: field '${f}': expected an object`, 2);
  const c = kind.codec;
  const n = cfg.net;
  if (n.rows !== c.rows || JSON.stringify(n.streams) !== JSON.stringify(c.streams))
    throw new UserError(`${path}: field 'net': rows/streams differ from the ${kind.id} encoder's`, 2);
  return cfg;
}

export function tokenDomain(kind: SeqKind, params: Readonly<Record<string, ParamValue>>): TokenDomainLike {
  return getDomain(kind.formulation).create(params) as unknown as TokenDomainLike;
}

/** One ONNX graph of a model folder, checked for the outputs it must have (one-line errors). */
export const network = (files: ModelFiles, name: string, outputs: string[], threads?: number) =>
  readNetworkFile(files, name, { outputs }, threads);

/** A model over given sessions (a folder's, or a learner's current weights). */
export function seqLoaded(
  kind: SeqKind,
  source: string,
  domain: TokenDomainLike,
  net: SeqNetOptions,
  nets: SeqNets,
  dispose?: () => Promise<void>,
): LoadedModel {
  if (domain.actionSpace.size !== net.progVocab)
    throw new UserError(
      `${source}: the network writes ${net.progVocab} tokens, ${domain.id} has ${domain.actionSpace.size}`,
      2,
    );
  const backend = new SeqNetBackend(nets, net, kind.codec);
  return {
    id: kind.id,
    source,
    domain,
    evaluator: () => new SeqDecodeEvaluator(kind.id, domain, backend),
    ...(dispose ? { dispose } : {}),
  };
}

export async function loadSeqModel(kind: SeqKind, files: ModelFiles, threads?: number): Promise<LoadedModel> {
  const cfg = await readSeqConfig(files, kind);
  let domain: TokenDomainLike;
  try {
    domain = tokenDomain(kind, cfg.formulationParams);
  } catch (e) {
    throw new UserError(
      `${files.location}/config.json: field 'formulationParams': ${e instanceof Error ? e.message : String(e)}`,
      2,
    );
  }
  const nets: SeqNets = {
    encode: await network(files, 'encode.onnx', ['h', 'c', 'm0', 'p0'], threads),
    step: await network(files, 'step.onnx', ['hNext', 'cNext', 'logits'], threads),
  };
  return seqLoaded(kind, files.location, domain, cfg.net, nets);
}

export function newSeqConfig(kind: SeqKind, net: SeqNetOptions, tokens: TokenDomainLike): SeqModelConfig {
  return { format: SEQ_FORMAT, model: kind.id, formulationParams: { ...tokens.params }, net };
}
