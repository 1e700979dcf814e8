/**
 * LaSynth model folders: `config.json` (format, model id, formulation parameters, network options with
 * the variant's switches), `encode.onnx`, `step.onnx` and, with partial execution, `exec.onnx` (plain
 * ONNX, float16-stored weights when shipped; each file holds its own part of the weights). Loading uses core's ModelFiles and nn's inference
 * entry only (browser-safe).
 */
import {
  UserError,
  readModelConfig,
  type LoadedModel,
  type ModelFiles,
  type ParamValue,
} from '../../../core/index.js';
import type { TokenDomainLike } from '../codec.js';
import { SeqDecodeEvaluator } from '../evaluator.js';
import { network, tokenDomain } from '../store.js';
import { LaSynthBackend, type LaSynthNets } from './backend.js';
import { bakeEntry } from '../../../nn/entries.js';
import { readInitializers } from '../../../nn/fp16.js';
import { InferenceModel } from '../../../nn/model.js';
import { ParamStore } from '../../../nn/params.js';
import { lasynthNet, readsProgram, type LaSynthOptions } from './net.js';
import type { LaSynthVariant } from './variants.js';

/** /2: the executor reads the program through its own reader, and the graphs hold disjoint weights. */
export const LASYNTH_FORMAT = 'replsynth-lasynth-model/2';

export interface LaSynthConfig {
  readonly format: typeof LASYNTH_FORMAT;
  readonly model: string;
  readonly formulationParams: Readonly<Record<string, ParamValue>>;
  readonly net: LaSynthOptions;
}

/** The files of a variant's folder. */
export const lasynthFiles = (v: LaSynthVariant): readonly string[] => [
  'config.json',
  'encode.onnx',
  'step.onnx',
  ...(readsProgram(v.switches) ? ['exec.onnx'] : []),
];

/** Prefix states (about 7 KB each at the shipped sizes; the memory sets they share are held besides:
 * at most one per cached state that ends a latent execution, 1 in 16 of the states). */
const CACHE_BYTES = 128e6;

export async function readLaSynthConfig(files: ModelFiles, v: LaSynthVariant): Promise<LaSynthConfig> {
  const path = `${files.location}/config.json`;
  let cfg: LaSynthConfig;
  try {
    cfg = await readModelConfig<LaSynthConfig>(files, v.id, LASYNTH_FORMAT);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.message, 2);
    throw new UserError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, 2);
  }
  if (cfg.model !== v.id)
    throw new UserError(`${path}: field 'model': a ${String(cfg.model)} model, not ${v.id}`, 2);
  for (const f of ['formulationParams', 'net'] as const)
    if (typeof cfg[f] !== 'object' || cfg[f] === null)
      throw new UserError(`${path}: field '${f}': expected an object`, 2);
  const n = cfg.net;
  if (n.rows !== v.codec.rows || JSON.stringify(n.streams) !== JSON.stringify(v.codec.streams))
    throw new UserError(`${path}: field 'net': rows/streams differ from the ${v.id} encoder's`, 2);
  for (const k of ['executor', 'opPredictor', 'selfAttention'] as const)
    if (n[k] !== v.switches[k])
      throw new UserError(
        `${path}: field 'net.${k}': ${JSON.stringify(n[k])}, but ${v.id} has ${JSON.stringify(v.switches[k])}`,
        2,
      );
  return cfg;
}

/** A model over given sessions (a folder's, or a learner's current weights). */
export function lasynthLoaded(
  v: LaSynthVariant,
  source: string,
  domain: TokenDomainLike,
  net: LaSynthOptions,
  nets: LaSynthNets,
  dispose?: () => Promise<void>,
): LoadedModel {
  if (domain.actionSpace.size !== net.progVocab)
    throw new UserError(
      `${source}: the network writes ${net.progVocab} tokens, ${domain.id} has ${domain.actionSpace.size}`,
      2,
    );
  if (net.selfAttention && domain.grammar.maxTokens >= net.history)
    throw new UserError(
      `${source}: programs of ${domain.grammar.maxTokens} tokens exceed the ${net.history}-token history`,
      2,
    );
  const backend = new LaSynthBackend(nets, net, v.codec);
  return {
    id: v.id,
    source,
    domain,
    evaluator: () => new SeqDecodeEvaluator(v.id, domain, backend, { cacheBytes: CACHE_BYTES }),
    ...(dispose ? { dispose } : {}),
  };
}

export async function loadLaSynthModel(
  v: LaSynthVariant,
  files: ModelFiles,
  threads?: number,
): Promise<LoadedModel> {
  const cfg = await readLaSynthConfig(files, v);
  let domain: TokenDomainLike;
  try {
    domain = tokenDomain(v, cfg.formulationParams);
  } catch (e) {
    throw new UserError(
      `${files.location}/config.json: field 'formulationParams': ${e instanceof Error ? e.message : String(e)}`,
      2,
    );
  }
  const nets: LaSynthNets = {
    ...(cfg.net.selfAttention ? { stepWithHistory: stepGraphs(v, cfg.net, files, threads) } : {}),
    encode: await network(files, 'encode.onnx', ['h', 'c', 'm0', 'p0'], threads),
    step: await network(
      files,
      'step.onnx',
      ['hNext', 'cNext', 'logits', ...(readsProgram(cfg.net) ? ['hpNext', 'cpNext'] : [])],
      threads,
    ),
    ...(readsProgram(cfg.net) ? { exec: await network(files, 'exec.onnx', ['latent'], threads) } : {}),
  };
  return lasynthLoaded(v, files.location, domain, cfg.net, nets);
}

/**
 * Step graphs with shorter token histories (LaSynthNets.stepWithHistory), built from the weights of a
 * folder's step.onnx (read when the first is asked for).
 */
function stepGraphs(
  v: LaSynthVariant,
  net: LaSynthOptions,
  files: ModelFiles,
  threads?: number,
): (slots: number) => Promise<InferenceModel> {
  let weights: Promise<ParamStore> | null = null;
  const read = async (): Promise<ParamStore> => {
    const store = new ParamStore();
    for (const [name, w] of readInitializers(await files.read('step.onnx'))) store.values.set(name, w);
    return store;
  };
  return async (slots) => {
    const store = await (weights ??= read());
    const bytes = bakeEntry(store, lasynthNet(v.id, { ...net, history: slots }), 'step');
    return InferenceModel.fromBytes(bytes, { threads });
  };
}

export function newLaSynthConfig(
  v: LaSynthVariant,
  net: LaSynthOptions,
  tokens: TokenDomainLike,
): LaSynthConfig {
  return { format: LASYNTH_FORMAT, model: v.id, formulationParams: { ...tokens.params }, net };
}
