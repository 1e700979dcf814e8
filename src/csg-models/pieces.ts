/**
 * Inference pieces of a CAD line model built from a parameter store (training side): bytes of each
 * graph with the store's current weights baked in, sessions over them, and writing them into a
 * folder. Generic over the set of graphs (csg2d: pair encoder, spec encoder, head; csg3d: encoder, head).
 */
import {
  BuildContext,
  atomicWrite,
  exportModel,
  InferenceModel,
  type ModelDef,
  type ParamStore,
  type Tensor,
} from '../nn/index.js';

function bake(store: ParamStore, def: ModelDef): Uint8Array {
  const ctx = new BuildContext(store, false);
  const built = def.build(ctx);
  const weights = new Map<Tensor, Float32Array>();
  for (const [name, t] of ctx.params) weights.set(t, Float32Array.from(store.values.get(name)!.data));
  return exportModel({ outputs: built.outputs, bake: weights, name: def.name }).bytes;
}

/** The pieces' functions for graphs named K, built from network options Net. */
export interface CsgPieces<K extends string, Net> {
  /** The inference pieces with the store's current weights. */
  pieceBytes(store: ParamStore, net: Net): Record<K, Uint8Array>;
  /**
   * Sessions for the pieces. They are private (not in the process-wide session cache), so a trainer
   * that makes a fresh set per RL iteration frees the old one with `disposePieces`.
   */
  piecesFromBytes(b: Record<K, Uint8Array>, threads?: number): Promise<Record<K, InferenceModel>>;
  disposePieces(m: Record<K, InferenceModel>): Promise<void>;
  writePieces(dir: string, b: Record<K, Uint8Array>): Promise<void>;
}

/** Pieces of the graphs `graphs` (in this key order), written to the files `files`. */
export function csgPieces<K extends string, Net>(
  graphs: Readonly<Record<K, (net: Net) => ModelDef>>,
  files: Readonly<Record<K, string>>,
): CsgPieces<K, Net> {
  const keys = Object.keys(graphs) as K[];
  return {
    pieceBytes: (store, net) =>
      Object.fromEntries(keys.map((k) => [k, bake(store, graphs[k](net))])) as Record<K, Uint8Array>,
    async piecesFromBytes(b, threads) {
      const out: Partial<Record<K, InferenceModel>> = {};
      for (const k of keys) out[k] = await InferenceModel.fromBytes(b[k], { threads, cache: false });
      return out as Record<K, InferenceModel>;
    },
    async disposePieces(m) {
      await Promise.all(keys.map((k) => m[k].dispose()));
    },
    async writePieces(dir, b) {
      for (const k of Object.keys(files) as K[]) await atomicWrite(`${dir}/${files[k]}`, b[k]);
    },
  };
}
