/**
 * Methods ready to run: each named method resolved, the models they declare loaded once (the user's
 * folder, the shipped weights, or — with no trained weights and a method that can do without — the
 * uniform prior, with a note), and created.
 */
import {
  UserError,
  models,
  type LoadedModel,
  type Method,
  type MethodDefinition,
  type ModelDefinition,
  type ModelFiles,
} from '../core/index.js';
import { resolveMethod } from './resolve.js';

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
}

export interface Prepared {
  readonly definitions: readonly MethodDefinition[];
  readonly methods: ReadonlyMap<string, Method>;
  /** Per method: where its policy came from (a folder, 'uniform', or 'no' for unguided methods). */
  readonly sources: ReadonlyMap<string, string>;
  dispose(): Promise<void>;
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
  if (missing) throw new UserError(`no ${def.id} model in ${files.location} (missing ${missing})`);
  return def.load(files, { threads });
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
  if (files && !(await missingFile(def, files))) return def.load(files, { threads: o.threads });
  if (needed)
    throw new UserError(`no trained ${def.id} model${shipped ? ` in ${shipped}` : ''}; pass --model DIR`);
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
  const methods = new Map<string, Method>();
  const sources = new Map<string, string>();
  for (const d of definitions) {
    const model = d.model ? (loaded.get(d.model) ?? null) : null;
    methods.set(d.id, await d.create({ model }));
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
