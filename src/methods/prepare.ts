/**
 * Methods ready to run: each named method resolved, the models they declare loaded once (the user's
 * folder, the shipped weights, or — with no trained weights and a method that can do without — the
 * uniform prior, with a note), and created.
 */
import {
  UserError,
  models,
  type LoadedModel,
  type MethodDefinition,
  type ModelDefinition,
  type ModelFiles,
  type ParamValue,
} from '../core/index.js';
import { resolveMethod } from './resolve.js';
import type { CheckedMethod, MethodEnv } from './search-method.js';

export interface PrepareOptions {
  /** A model folder, 'uniform', or undefined (the shipped weights when present). */
  readonly model?: string;
  readonly threads?: number;
  /** Opens a model folder by location (node: a directory; browser: a URL). */
  readonly open: (location: string) => ModelFiles;
  /** Where a model's shipped weights are. */
  readonly shippedLocation: (def: ModelDefinition) => string | null;
  /** Notes for the user (e.g. "no trained model; uniform policy"). */
  readonly note?: (message: string) => void;
  /** Formulation parameters the user set (e.g. input columns); a model they change is refused. */
  readonly formulationParams?: Readonly<Record<string, ParamValue>>;
}

export interface Prepared {
  readonly definitions: readonly MethodDefinition[];
  readonly methods: ReadonlyMap<string, CheckedMethod>;
  /** Per method: where its policy came from (a folder, 'uniform', or 'no' for unguided methods). */
  readonly sources: ReadonlyMap<string, string>;
  dispose(): Promise<void>;
}

async function someFile(def: ModelDefinition, files: ModelFiles): Promise<boolean> {
  for (const f of def.files) if (await files.has(f)) return true;
  return false;
}

async function missingFile(def: ModelDefinition, files: ModelFiles): Promise<string | null> {
  for (const f of def.files) if (!(await files.has(f))) return f;
  return null;
}

/** Loads a model from a folder; a missing file is a one-line error naming the folder. */
export async function loadModel(
  def: ModelDefinition,
  files: ModelFiles,
  threads?: number,
): Promise<LoadedModel> {
  const missing = await missingFile(def, files);
  if (missing) throw new UserError(`no ${def.id} model in ${files.location} (missing ${missing})`, 2);
  try {
    return await def.load(files, { threads });
  } catch (e) {
    // Stores name the broken file; anything else still names the folder, and is the user's input.
    if (e instanceof UserError) throw e;
    throw new UserError(
      `${files.location}: not a usable ${def.id} model (${e instanceof Error ? e.message : String(e)})`,
      2,
    );
  }
}

async function modelFor(
  def: ModelDefinition,
  o: PrepareOptions,
  needed: boolean,
): Promise<LoadedModel | null> {
  if (o.model === 'uniform') return null;
  if (o.model !== undefined) return loadModel(def, o.open(o.model), o.threads);
  const shipped = o.shippedLocation(def);
  const files = shipped ? o.open(shipped) : null;
  // A shipped folder with some of its files is broken, not absent: say so, never fall back silently.
  if (files && (await someFile(def, files))) return loadModel(def, files, o.threads);
  if (needed)
    throw new UserError(`no trained ${def.id} model${shipped ? ` in ${shipped}` : ''}; pass --model DIR`, 2);
  o.note?.(`no trained ${def.id} model${shipped ? ` in ${shipped}` : ''}; searching with the uniform policy`);
  return null;
}

export async function prepareMethods(
  problem: string,
  names: readonly string[],
  o: PrepareOptions,
): Promise<Prepared> {
  const definitions = names.map((n) => resolveMethod(problem, n));
  const loaded = new Map<string, LoadedModel | null>();
  for (const d of definitions) {
    if (!d.model || loaded.has(d.model)) continue;
    const needed = definitions.some((x) => x.model === d.model && x.requiresModel);
    loaded.set(d.model, await modelFor(models.get(d.model), o, needed));
  }
  const methods = new Map<string, CheckedMethod>();
  const sources = new Map<string, string>();
  for (const d of definitions) {
    const model = d.model ? (loaded.get(d.model) ?? null) : null;
    // Search methods also read the user's formulation parameters (MethodEnv extends core's env).
    const env: MethodEnv = {
      model,
      ...(o.formulationParams ? { formulationParams: o.formulationParams } : {}),
    };
    methods.set(d.id, await d.create(env));
    sources.set(d.id, d.model ? (model?.source ?? 'uniform') : 'no');
  }
  return {
    definitions,
    methods,
    sources,
    async dispose() {
      for (const m of loaded.values()) await m?.dispose?.();
    },
  };
}
