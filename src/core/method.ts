import type { Budget } from './budget.js';
import type { ParamSpec, ParamValue } from './domain.js';
import type { LoadedModel } from './model.js';
import type { Rng } from './rng.js';
import type { AnytimePoint } from './search.js';

/** What a method is given for one run. */
export interface RunContext<Program> {
  readonly budget: Budget;
  readonly rng: Rng;
  /** Aborting stops the run soon; it then returns its best program so far. */
  readonly signal?: AbortSignal;
  /** Values of the method's declared params (defaults filled in). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Called whenever the best program improves. */
  readonly onImprove?: (program: Program, point: AnytimePoint) => void;
  /** Searches: after the first solution, search on for a shorter one (SearchContext.polish). */
  readonly polish?: number;
}

/** The any-time result of a method on one spec. */
export interface MethodRun<Program> {
  readonly program: Program | null;
  readonly timeMs: number;
  readonly nodes: number;
  readonly stopReason: string;
  readonly firstSolution?: { readonly timeMs: number; readonly nodes: number };
  /** Improvements of the best program's score over time (the problem's score). */
  readonly trace: readonly AnytimePoint[];
  /** Method-specific, JSON-able facts written into results (cache counts, refinement moves …). */
  readonly stats: Readonly<Record<string, unknown>>;
}

/** A method ready to run (its model loaded). */
export interface Method<Spec = unknown, Program = unknown> {
  readonly id: string;
  run(spec: Spec, ctx: RunContext<Program>): Promise<MethodRun<Program>>;
}

/**
 * A way of solving a problem: a search with an evaluator, refinement, a decoder … (open_spiel's Bot).
 * It declares the model it uses, so no caller checks ids: the edge loads `model` (or the user's
 * `--model`) and passes it to `create`; with no trained weights a method gets `model: null` and must
 * then work unguided or say why it cannot.
 */
export interface MethodDefinition {
  readonly id: string;
  readonly problem: string;
  readonly description: string;
  /** Id of the model it uses, if any. */
  readonly model?: string;
  /** True when the method cannot run without trained weights (no uniform fallback). */
  readonly requiresModel?: boolean;
  readonly params?: readonly ParamSpec[];
  /**
   * `formulationParams`: parameters of the formulation instance when no model fixes them (a model's
   * own config decides them otherwise), e.g. a user's `--columns`.
   */
  create(env: {
    readonly model: LoadedModel | null;
    readonly formulationParams?: Readonly<Record<string, ParamValue>>;
  }): Promise<Method>;
}

/** What a refiner is given: a time check and a report of improvements. */
export interface RefineContext<Program> {
  readonly shouldStop: () => boolean;
  readonly onImprove?: (program: Program, score: number) => void;
}

/**
 * A local search that improves a program against the spec (csg2d: delete/replace/insert). Methods
 * compose with it: `X+refine` runs X for part of the budget and refines its best program.
 */
export interface Refiner<Spec = unknown, Program = unknown> {
  readonly id: string;
  readonly problem: string;
  readonly description: string;
  refine(
    spec: Spec,
    start: Program | null,
    ctx: RefineContext<Program>,
  ): { readonly program: Program; readonly converged: boolean; readonly stats: Record<string, unknown> };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRefiner = Refiner<any, any>;
