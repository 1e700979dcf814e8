/**
 * Checkpoints: `model.onnx` (plain inference model, all weights as float32 initializers) beside
 * `training-state.json` (step, options, RNG) and `training-state.bin` (Adam moments). Each file is written
 * to a temporary name and renamed; the JSON goes last and names the other files' sizes, so a torn save is
 * detected on load.
 */
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export async function atomicWrite(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
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

export async function readCheckpoint(dir: string): Promise<CheckpointFiles> {
  const state = JSON.parse(await readFile(join(dir, 'training-state.json'), 'utf8')) as Record<
    string,
    unknown
  > & { files: Record<string, number> };
  const model = new Uint8Array(await readFile(join(dir, 'model.onnx')));
  const bin = await readFile(join(dir, 'training-state.bin'));
  if (state.files['model.onnx'] !== model.byteLength || state.files['training-state.bin'] !== bin.byteLength)
    throw new Error(`nn: checkpoint in ${dir} is incomplete (file sizes differ from training-state.json)`);
  const moments = new Float32Array(bin.byteLength / 4);
  new Uint8Array(moments.buffer).set(bin);
  return { model, state, moments };
}

/** Float32 initializers of an ONNX model, by name (copied into aligned arrays). */
export function readInitializers(model: Uint8Array): Map<string, { shape: number[]; data: Float32Array }> {
  const m = onnx.ModelProto.decode(model);
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const t of m.graph?.initializer ?? []) {
    if (t.dataType !== 1 || !t.rawData) continue;
    const data = new Float32Array(t.rawData.byteLength / 4);
    new Uint8Array(data.buffer).set(t.rawData);
    out.set(t.name ?? '', { shape: (t.dims ?? []).map(Number), data });
  }
  return out;
}
