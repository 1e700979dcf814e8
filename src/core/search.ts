import type { Budget, Clock } from './budget.js';
import type { AnyDomain, Domain } from './domain.js';
import type { Evaluator } from './evaluator.js';
import type { Rng } from './rng.js';

/** One point of the any-time curve: when a better program was found. */
export interface AnytimePoint {
  readonly timeMs: number;
  readonly nodes: number;
  readonly score: number;
}

/** The best thing a search found. */
export interface Found<State, Action> {
  readonly state: State;
  readonly actions: readonly Action[];
  readonly score: number;
  readonly solved: boolean;
}

export interface SearchResult<State, Action> {
  /** Best state by domain score (ties: first found); null if nothing was ever expanded. */
  readonly best: Found<State, Action> | null;
  readonly nodesExpanded: number;
  readonly timeMs: number;
  /** Time and nodes when the first solved state was found (undefined when none was). */
  readonly firstSolution?: { readonly timeMs: number; readonly nodes: number };
  /** Improvements of the best score over time, in order. */
  readonly trace: readonly AnytimePoint[];
  /** Why the search ended. */
  readonly stopReason: 'solved' | 'time' | 'nodes' | 'exhausted';
  /** Algorithm-specific counters (rounds, population sizes …). */
  readonly stats: Readonly<Record<string, number>>;
}

export interface SearchContext<Spec, State, Action> {
  readonly domain: Domain<Spec, State, Action>;
  readonly evaluator: Evaluator<State, Action>;
  readonly spec: Spec;
  readonly budget: Budget;
  readonly rng: Rng;
  /** Stop as soon as a solved state is found (default true). */
  readonly stopOnSolve?: boolean;
  /**
   * With stopOnSolve: after the first solution, search on until `polish` times the nodes it took
   * (within the budget) for a solution with fewer actions, and return the shortest found (the earliest
   * of equal length). 1 or undefined: stop at the first. Counted in nodes, so a seeded run with a node
   * budget gives the same program on any machine.
   */
  readonly polish?: number;
  /** Aborting ends the search at its next budget check, as if its time were up. */
  readonly signal?: AbortSignal;
  /** Injectable clock for tests (default performance.now). */
  readonly clock?: Clock;
  /** Called whenever the best score improves (for progress displays). */
  readonly onImprove?: (found: Found<State, Action>, point: AnytimePoint) => void;
}

/**
 * A search algorithm. Contract: honours both budget limits (checking before each batch of work), batches
 * every evaluator call across its population, is deterministic for a fixed rng and deterministic
 * evaluator, and never throws for failed actions (the domain reports them as failures).
 */
export interface SearchAlgorithm<Options extends object = object> {
  readonly id: string;
  readonly description: string;
  /** False for unguided searches (enumeration) that never call the evaluator: they need no model. */
  readonly usesEvaluator?: boolean;
  readonly defaults: Options;
  run<Spec, State, Action>(
    ctx: SearchContext<Spec, State, Action>,
    options?: Partial<Options>,
  ): Promise<SearchResult<State, Action>>;
}

// Registries live here so domains and searches can register without importing each other.
const domains = new Map<string, import('./domain.js').DomainDefinition>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const searches = new Map<string, SearchAlgorithm<any>>();

export function registerDomain(def: import('./domain.js').DomainDefinition): void {
  if (domains.has(def.id)) throw new Error(`domain '${def.id}' is already registered`);
  domains.set(def.id, def);
}

export function getDomain(id: string): import('./domain.js').DomainDefinition {
  const d = domains.get(id);
  if (!d) throw new Error(`unknown domain '${id}' (known: ${[...domains.keys()].join(', ') || 'none'})`);
  return d;
}

export function listDomains(): import('./domain.js').DomainDefinition[] {
  return [...domains.values()];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerSearch(alg: SearchAlgorithm<any>): void {
  if (searches.has(alg.id)) throw new Error(`search '${alg.id}' is already registered`);
  searches.set(alg.id, alg);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getSearch(id: string): SearchAlgorithm<any> {
  const s = searches.get(id);
  if (!s) throw new Error(`unknown search '${id}' (known: ${[...searches.keys()].join(', ') || 'none'})`);
  return s;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function listSearches(): SearchAlgorithm<any>[] {
  return [...searches.values()];
}

/** Test helper: forget registrations made by a test (never used by product code). */
export function unregisterForTests(kind: 'domain' | 'search', id: string): void {
  (kind === 'domain' ? domains : searches).delete(id);
}

export type { AnyDomain };
