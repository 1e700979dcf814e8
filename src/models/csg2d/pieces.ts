/**
 * The csg2d inference pieces built from a parameter store (training side): bytes of the three graphs
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
import type { Csg2dModels } from './evaluator.js';
import { csg2dHead, csg2dPairEncoder, csg2dSpecEncoder, type Csg2dNetOptions } from './net.js';
import { PIECE_FILES } from './store.js';

function bake(store: ParamStore, def: ModelDef): Uint8Array {
  const ctx = new BuildContext(store, false);
  const built = def.build(ctx);
  const weights = new Map<Tensor, Float32Array>();
  for (const [name, t] of ctx.params) weights.set(t, Float32Array.from(store.values.get(name)!.data));
  return exportModel({ outputs: built.outputs, bake: weights, name: def.name }).bytes;
}

/** The inference pieces with the store's current weights. */
export function pieceBytes(store: ParamStore, net: Csg2dNetOptions): Record<keyof Csg2dModels, Uint8Array> {
  return {
    pairEncoder: bake(store, csg2dPairEncoder(net)),
    specEncoder: bake(store, csg2dSpecEncoder(net)),
    head: bake(store, csg2dHead(net)),
  };
}

/**
 * Sessions for the three pieces. They are private (not in the process-wide session cache), so a
 * trainer that makes a fresh set per RL iteration frees the old one with `disposePieces`.
 */
export async function piecesFromBytes(
  b: Record<keyof Csg2dModels, Uint8Array>,
  threads?: number,
): Promise<Csg2dModels> {
  return {
    pairEncoder: await InferenceModel.fromBytes(b.pairEncoder, { threads, cache: false }),
    specEncoder: await InferenceModel.fromBytes(b.specEncoder, { threads, cache: false }),
    head: await InferenceModel.fromBytes(b.head, { threads, cache: false }),
  };
}

export async function disposePieces(m: Csg2dModels): Promise<void> {
  await Promise.all([m.pairEncoder.dispose(), m.specEncoder.dispose(), m.head.dispose()]);
}

export async function writePieces(dir: string, b: Record<keyof Csg2dModels, Uint8Array>): Promise<void> {
  for (const k of Object.keys(PIECE_FILES) as (keyof Csg2dModels)[])
    await atomicWrite(`${dir}/${PIECE_FILES[k]}`, b[k]);
}
