/**
 * One network file of a model folder, read and checked: readable ONNX whose inputs and outputs are those
 * the model feeds and reads, so a truncated, random or foreign file is a one-line error naming it (exit
 * 2), not a crash at the first search. Browser-safe (files come through core's ModelFiles).
 */
import { UserError } from '../core/errors.js';
import type { ModelFiles } from '../core/model.js';
import { InferenceModel } from './model.js';

export interface NetworkWant {
  /** Inputs the model must have, each with its expected per-item shape (after the batch axis), or null for any. */
  readonly inputs?: Readonly<Record<string, readonly number[] | null>>;
  readonly outputs: readonly string[];
}

export async function readNetworkFile(
  files: ModelFiles,
  name: string,
  want: NetworkWant,
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
  for (const [input, shape] of Object.entries(want.inputs ?? {})) {
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
