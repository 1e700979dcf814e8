/**
 * File IO of the neural engine (node only; the browser entry inference.ts has none of it): atomic
 * writes, model files, and checkpoints — `model.onnx` (plain inference model, all weights as float32
 * initializers) beside `training-state.json` (step, options, RNG) and `training-state.bin` (Adam
 * moments). Each file is written to a temporary name and renamed; the JSON goes last and names the other
 * files' sizes, so a torn save is detected on load. Importing this module registers onnxruntime-node.
 */
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { InferenceModel } from './model.js';
import type { RuntimeOptions } from './runtime.js';
import './runtime-node.js';

export { writeFileAtomic };

/** `writeFileAtomic` for async callers. */
export async function atomicWrite(path: string, content: string | Uint8Array): Promise<void> {
  writeFileAtomic(path, content);
}

export async function loadInferenceModel(path: string, opts: RuntimeOptions = {}): Promise<InferenceModel> {
  return InferenceModel.fromBytes(new Uint8Array(await readFile(path)), opts);
}

/** Writes a model's .onnx bytes (atomically). */
export async function saveInferenceModel(model: InferenceModel, path: string): Promise<void> {
  await atomicWrite(path, model.bytes);
}

export interface CheckpointFiles {
  model: Uint8Array;
  state: Record<string, unknown>;
  moments: Float32Array;
}

export async function writeCheckpoint(dir: string, c: CheckpointFiles): Promise<void> {
  await mkdir(dir, { recursive: true });
  const bin = new Uint8Array(c.moments.buffer, c.moments.byteOffset, c.moments.byteLength);
  await atomicWrite(join(dir, 'model.onnx'), c.model);
  await atomicWrite(join(dir, 'training-state.bin'), bin);
  const state = {
    ...c.state,
    files: { 'model.onnx': c.model.byteLength, 'training-state.bin': bin.byteLength },
  };
  await atomicWrite(join(dir, 'training-state.json'), JSON.stringify(state, null, 1) + '\n');
}

/**
 * Reads a checkpoint. With `model: false` the weights file is not read (the caller has the weights
 * from elsewhere, e.g. a shipped folder whose weights live in inference pieces) and may be absent.
 */
export async function readCheckpoint(
  dir: string,
  opts: { model?: boolean } = {},
): Promise<Omit<CheckpointFiles, 'model'> & { model: Uint8Array | null }> {
  // Every error names the file, so a broken checkpoint folder can be told from a bug.
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(join(dir, name));
    } catch (e) {
      throw new Error(`${join(dir, name)}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, {
        cause: e,
      });
    }
  };
  const statePath = join(dir, 'training-state.json');
  let state: Record<string, unknown> & { files: Record<string, number> };
  try {
    state = JSON.parse((await read('training-state.json')).toString('utf8'));
  } catch (e) {
    if (e instanceof SyntaxError)
      throw new Error(`${statePath}: not valid JSON (${e.message}); the checkpoint is damaged`, { cause: e });
    throw e;
  }
  if (typeof state !== 'object' || state === null || typeof state.files !== 'object' || state.files === null)
    throw new Error(`${statePath}: field 'files' missing; the checkpoint is damaged`);
  const model = opts.model === false ? null : new Uint8Array(await read('model.onnx'));
  const bin = await read('training-state.bin');
  if (
    (model && state.files['model.onnx'] !== model.byteLength) ||
    state.files['training-state.bin'] !== bin.byteLength
  )
    throw new Error(
      `${statePath}: the checkpoint in ${dir} is incomplete (file sizes differ from those recorded)`,
    );
  const moments = new Float32Array(bin.byteLength / 4);
  new Uint8Array(moments.buffer).set(bin);
  return { model, state, moments };
}
