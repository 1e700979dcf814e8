/**
 * Strings model folders: `model.onnx` (weights as initializers) and `config.json` (domain parameters
 * and network sizes). Loading one gives the domain instance the model was trained for and an
 * evaluator factory. Files come through core's ModelFiles, so this runs in a browser too.
 */
import { UserError, readModelConfig, type ModelFiles } from '../../core/index.js';
import { createStringsDomain, type StringsDomain } from '../../domains/strings/index.js';
import { InferenceModel } from '../../nn/inference.js';
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

export const readStringsConfig = (files: ModelFiles): Promise<StringsModelConfig> =>
  readModelConfig<StringsModelConfig>(files, 'strings', 'replsynth-strings-model/1');

export async function loadStringsModel(files: ModelFiles, threads?: number): Promise<LoadedStringsModel> {
  const config = await readStringsConfig(files);
  const domain = createStringsDomain(config.domainParams);
  if (!(await files.has('model.onnx')))
    throw new UserError(`no strings model in ${files.location} (missing model.onnx)`);
  const model = await InferenceModel.fromBytes(await files.read('model.onnx'), { threads });
  return {
    id: 'strings',
    source: files.location,
    config,
    domain,
    model,
    evaluator: () => new NeuralEvaluator(domain, model),
  };
}
