/**
 * Models with several entry graphs over one set of weights, e.g. a sequence model trained teacher-forced
 * as one graph and run incrementally as `encode` (spec → encodings, initial state) and `step` (state,
 * token → next state, logits). Every graph is built from the same ParamStore, so parameters of one
 * name are one weight.
 *
 * ```ts
 * const model: MultiEntryDef = {
 *   name: 'my-seq',
 *   training: (ctx) => ({ outputs: { logits }, loss }),        // the Trainer's graph
 *   entries: { encode: (ctx) => ({ outputs: {...} }), step: (ctx) => ({ outputs: {...} }) },
 * };
 * const trainer = await createTrainer(trainingDef(model), opts);  // a plain ModelDef
 * const bytes = entryBytes(trainer.store, model);                 // { encode, step }: plain ONNX, weights baked
 * const nets = await entryModels(bytes, { threads: 1 });          // { encode, step }: InferenceModels
 * ```
 *
 * Output names must differ from input names (ONNX): a step graph maps `h` to `hNext`, not to `h`.
 * `entryBytes` refuses an entry that asks for a parameter the store does not hold (a name the training
 * graph never declared, which would otherwise be silently random) or holds with another shape.
 */
import type { Tensor } from './graph.js';
import { InferenceModel } from './model.js';
import { exportModel } from './onnx-export.js';
import { BuildContext, type BuiltModel, type ModelDef, type ParamStore } from './params.js';
import type { RuntimeOptions } from './runtime.js';

export interface MultiEntryDef<E extends string = string> {
  readonly name: string;
  /** The training graph (ctx.training is true when the Trainer builds it; false for its snapshot). */
  readonly training: (ctx: BuildContext) => BuiltModel;
  /** Inference graphs by name (built with ctx.training false). */
  readonly entries: { readonly [K in E]: (ctx: BuildContext) => BuiltModel };
}

/** The ModelDef a Trainer trains: the training graph under the model's name. */
export function trainingDef(m: MultiEntryDef): ModelDef {
  return { name: m.name, build: (ctx) => m.training(ctx) };
}

/** One entry graph with the store's current weights baked in as initializers. */
export function bakeEntry(store: ParamStore, m: MultiEntryDef, entry: string): Uint8Array {
  const build = (m.entries as Record<string, (ctx: BuildContext) => BuiltModel>)[entry];
  if (!build) throw new Error(`nn: model '${m.name}' has no entry '${entry}'`);
  const known = new Set(store.names);
  const ctx = new BuildContext(store, false);
  const built = build(ctx);
  for (const o of Object.keys(built.outputs))
    if (ctx.graph.inputs.some((t) => t.name === o))
      throw new Error(`nn: entry '${entry}' of '${m.name}' has an output named like an input ('${o}')`);
  const bake = new Map<Tensor, Float32Array>();
  for (const [name, t] of ctx.params) {
    if (!known.has(name)) {
      store.values.delete(name);
      throw new Error(`nn: entry '${entry}' of '${m.name}' uses parameter '${name}', which the store lacks`);
    }
    bake.set(t, Float32Array.from(store.values.get(name)!.data));
  }
  return exportModel({ outputs: built.outputs, bake, name: `${m.name}-${entry}` }).bytes;
}

/** Every entry graph, baked. */
export function entryBytes<E extends string>(store: ParamStore, m: MultiEntryDef<E>): Record<E, Uint8Array> {
  const out = {} as Record<E, Uint8Array>;
  for (const k of Object.keys(m.entries) as E[]) out[k] = bakeEntry(store, m, k);
  return out;
}

/**
 * Sessions over entry bytes. Private by default (`cache: false`, free them with `disposeEntries`), as
 * training snapshots come and go; pass `cache: true` for shipped models.
 */
export async function entryModels<E extends string>(
  bytes: Record<E, Uint8Array>,
  opts: RuntimeOptions & { cache?: boolean } = {},
): Promise<Record<E, InferenceModel>> {
  const out = {} as Record<E, InferenceModel>;
  for (const k of Object.keys(bytes) as E[])
    out[k] = await InferenceModel.fromBytes(bytes[k], { ...opts, cache: opts.cache ?? false });
  return out;
}

export async function disposeEntries(models: Record<string, InferenceModel>): Promise<void> {
  await Promise.all(Object.values(models).map((m) => m.dispose()));
}
