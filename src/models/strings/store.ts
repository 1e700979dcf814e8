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

/**
 * One network file: readable ONNX whose inputs and outputs are those this model feeds and reads, so a
 * truncated, random or foreign file is a one-line error naming it, not a crash at the first search.
 */
async function networkFile(
  files: ModelFiles,
  name: string,
  want: { inputs: Readonly<Record<string, readonly number[] | null>>; outputs: readonly string[] },
  threads?: number,
): Promise<InferenceModel> {
  const path = `${files.location}/${name}`;
  if (!(await files.has(name))) throw new UserError(`${path}: missing`, 2);
  const bytes = await files.read(name);
  if (bytes.byteLength === 0) throw new UserError(`${path}: the file is empty`, 2);
  let model: InferenceModel;
  try {
    model = await InferenceModel.fromBytes(bytes, { threads });
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new UserError(`${path}: not a readable ONNX model (${msg})`, 2);
  }
  for (const [input, shape] of Object.entries(want.inputs)) {
    const got = model.inputs.find((i) => i.name === input);
    if (!got) throw new UserError(`${path}: not this model's network (it has no input '${input}')`, 2);
    const tail = got.shape.slice(1);
    if (
      shape &&
      (tail.length !== shape.length || tail.some((d, k) => typeof d === 'number' && d !== shape[k]))
    )
      throw new UserError(
        `${path}: not the network config.json describes (input '${input}' is [${tail.join(', ')}] per item, expected [${shape.join(', ')}])`,
        2,
      );
  }
  for (const o of want.outputs)
    if (!model.outputNames.includes(o))
      throw new UserError(`${path}: not this model's network (it has no output '${o}')`, 2);
  return model;
}

export const readStringsConfig = (files: ModelFiles): Promise<StringsModelConfig> =>
  readConfig<StringsModelConfig>(files, 'strings', 'replsynth-strings-model/1');

export async function loadStringsModel(files: ModelFiles, threads?: number): Promise<LoadedStringsModel> {
  const config = await readStringsConfig(files);
  const domain = domainOf(files, () => createStringsDomain(config.domainParams));
  const model = await networkFile(
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
