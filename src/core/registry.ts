import { UserError } from './errors.js';
import type { AnyRefiner, MethodDefinition } from './method.js';
import type { ModelDefinition } from './model.js';
import type { AnyProblem } from './problem.js';

/**
 * A registry of named parts: registering an id (or alias) twice throws, asking for an unknown one is a
 * one-line usage error listing the known ids.
 */
export class Registry<T extends { readonly id: string; readonly aliases?: readonly string[] }> {
  private readonly byId = new Map<string, T>();
  private readonly alias = new Map<string, string>();

  constructor(readonly kind: string) {}

  register(item: T): void {
    for (const name of [item.id, ...(item.aliases ?? [])])
      if (this.byId.has(name) || this.alias.has(name))
        throw new Error(`${this.kind} '${name}' is already registered`);
    this.byId.set(item.id, item);
    for (const a of item.aliases ?? []) this.alias.set(a, item.id);
  }

  has(id: string): boolean {
    return this.byId.has(id) || this.alias.has(id);
  }

  /** The item with this id or alias, or undefined. */
  find(id: string): T | undefined {
    return this.byId.get(this.alias.get(id) ?? id);
  }

  get(id: string): T {
    const item = this.find(id);
    if (!item)
      throw new UserError(
        `unknown ${this.kind} '${id}' (known: ${[...this.byId.keys()].join(', ') || 'none'})`,
        2,
      );
    return item;
  }

  list(): T[] {
    return [...this.byId.values()];
  }

  /** Test helper: forget a registration made by a test. */
  unregister(id: string): void {
    const item = this.byId.get(id);
    this.byId.delete(id);
    for (const a of item?.aliases ?? []) this.alias.delete(a);
  }
}

export const problems = new Registry<AnyProblem>('problem');
export const models = new Registry<ModelDefinition>('model');
/** Registered under `${problem}/${id}`: the same method id ('smc') may serve several problems. */
interface Keyed<T> {
  readonly id: string;
  readonly def: T;
}
export const methods = new Registry<Keyed<MethodDefinition>>('method');
export const refiners = new Registry<Keyed<AnyRefiner>>('refiner');

export const registerProblem = (p: AnyProblem): void => problems.register(p);
export const registerModel = (m: ModelDefinition): void => models.register(m);

export function registerMethod(m: MethodDefinition): void {
  methods.register({ id: `${m.problem}/${m.id}`, def: m });
}

export function registerRefiner(r: AnyRefiner): void {
  refiners.register({ id: `${r.problem}/${r.id}`, def: r });
}
