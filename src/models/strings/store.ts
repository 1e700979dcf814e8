/**
 * Shipped strings models: a directory with `model.onnx` (weights as initializers) and `config.json`
 * (domain parameters and network sizes). Loading one gives the domain instance the model was trained
 * for and an evaluator factory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../core/index.js';
import { createStringsDomain, type StringsDomain } from '../../domains/strings/index.js';
import { loadInferenceModel, type InferenceModel } from '../../nn/index.js';
import { NeuralEvaluator } from './evaluator.js';
import type { StringsModelConfig } from './learner.js';

/** The repository's models/strings folder (shipped weights). */
export const shippedStringsModelDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'models',
  'strings',
);

export interface LoadedStringsModel {
  readonly dir: string;
  readonly config: StringsModelConfig;
  readonly domain: StringsDomain;
  readonly model: InferenceModel;
  evaluator(): NeuralEvaluator;
}

export function readStringsConfig(dir: string): StringsModelConfig {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new UserError(`no strings model in ${dir} (missing config.json)`);
  const cfg = JSON.parse(readFileSync(path, 'utf8')) as StringsModelConfig;
  if (cfg.format !== 'replsynth-strings-model/1')
    throw new UserError(`${path}: field 'format': unknown '${cfg.format}'`);
  return cfg;
}

export async function loadStringsModel(
  dir = shippedStringsModelDir,
  threads?: number,
): Promise<LoadedStringsModel> {
  const config = readStringsConfig(dir);
  const domain = createStringsDomain(config.domainParams);
  const onnxPath = join(dir, 'model.onnx');
  if (!existsSync(onnxPath)) throw new UserError(`no strings model in ${dir} (missing model.onnx)`);
  const model = await loadInferenceModel(onnxPath, { threads });
  return { dir, config, domain, model, evaluator: () => new NeuralEvaluator(domain, model) };
}
