/**
 * The csg3d inference pieces built from a parameter store (training side): bytes of the two graphs
 * with the store's current weights baked in, sessions over them, and writing them into a folder.
 */
import {
  BuildContext,
  atomicWrite,
  exportModel,
  InferenceModel,
  type ModelDef,
  type ParamStore,
  type Tensor,
} from '../../nn/index.js';
import type { Csg3dModels } from './evaluator.js';
import { csg3dEncoder, csg3dHead, type Csg3dNetOptions } from './net.js';
import { PIECE_FILES } from './store.js';

function bake(store: ParamStore, def: ModelDef): Uint8Array {
  const ctx = new BuildContext(store, false);
  const built = def.build(ctx);
  const weights = new Map<Tensor, Float32Array>();
  for (const [name, t] of ctx.params) weights.set(t, Float32Array.from(store.values.get(name)!.data));
  return exportModel({ outputs: built.outputs, bake: weights, name: def.name }).bytes;
}

/** The inference pieces with the store's current weights. */
export function pieceBytes(store: ParamStore, net: Csg3dNetOptions): Record<keyof Csg3dModels, Uint8Array> {
  return { encoder: bake(store, csg3dEncoder(net)), head: bake(store, csg3dHead(net)) };
}

/**
 * Sessions for the pieces. They are private (not in the process-wide session cache), so a trainer that
 * makes a fresh set per RL iteration frees the old one with `disposePieces`.
 */
export async function piecesFromBytes(
  b: Record<keyof Csg3dModels, Uint8Array>,
  threads?: number,
): Promise<Csg3dModels> {
  return {
    encoder: await InferenceModel.fromBytes(b.encoder, { threads, cache: false }),
    head: await InferenceModel.fromBytes(b.head, { threads, cache: false }),
  };
}

export async function disposePieces(m: Csg3dModels): Promise<void> {
  await Promise.all([m.encoder.dispose(), m.head.dispose()]);
}

export async function writePieces(dir: string, b: Record<keyof Csg3dModels, Uint8Array>): Promise<void> {
  for (const k of Object.keys(PIECE_FILES) as (keyof Csg3dModels)[])
    await atomicWrite(`${dir}/${PIECE_FILES[k]}`, b[k]);
}
