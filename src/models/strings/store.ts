/**
 * Strings model folders: `model.onnx` (weights as initializers) and `config.json` (domain parameters
 * and network sizes). Loading one gives the domain instance the model was trained for and an
 * evaluator factory. Files come through core's ModelFiles, so this runs in a browser too.
 */
import { UserError, readModelConfig, type ModelFiles } from '../../core/index.js';
import { createStringsDomain, type StringsDomain } from '../../domains/strings/index.js';
import { InferenceModel, readNetworkFile } from '../../nn/inference.js';
import { NeuralEvaluator } from './evaluator.js';
import type { StringsModelConfig } from './learner.js';

export interface LoadedStringsModel {
  readonly id: 'strings';
  readonly source: string;
  readonly config: StringsModelConfig;
  readonly domain: StringsDomain;
  readonly model: InferenceModel;
  evaluator(): NeuralEvaluator;
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

export const readStringsConfig = (files: ModelFiles): Promise<StringsModelConfig> =>
  readConfig<StringsModelConfig>(files, 'strings', 'replsynth-strings-model/1');

export async function loadStringsModel(files: ModelFiles, threads?: number): Promise<LoadedStringsModel> {
  const config = await readStringsConfig(files);
  const domain = domainOf(files, () => createStringsDomain(config.domainParams));
  const model = await readNetworkFile(
    files,
    'model.onnx',
    { inputs: { ...domain.features!.shapes }, outputs: ['logits', 'valueLogit'] },
    threads,
  );
  return {
    id: 'strings',
    source: files.location,
    config,
    domain,
    model,
    evaluator: () => new NeuralEvaluator(domain, model),
  };
}
