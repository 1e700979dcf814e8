/**
 * One strings synthesis run, shared by `replsynth strings` and `replsynth eval strings`: build the
 * domain state, run the chosen search with the model's evaluator, and report the program, its
 * JavaScript, held-out accuracy and filled rows.
 */
import {
  getSearch,
  Rng,
  SpecError,
  UserError,
  uniformEvaluator,
  type Evaluator,
  type SearchResult,
} from '../core/index.js';
import {
  compileToJs,
  createStringsDomain,
  printProgram,
  runProgram,
  type Program,
  type StringsDomain,
  type StringsSpec,
  type StringsState,
} from '../domains/strings/index.js';
import {
  loadStringsModel,
  shippedStringsModelDir,
  type LoadedStringsModel,
} from '../models/strings/index.js';
import '../search/index.js';

export const stringsSearchIds = ['smc', 'beam', 'beam-value', 'astar', 'rollout', 'enum'] as const;

export interface StringsRunOptions {
  readonly search: string;
  readonly timeoutMs: number;
  readonly seed: number;
  readonly nodes?: number;
}

export interface StringsRunResult {
  readonly name?: string;
  readonly search: string;
  readonly solved: boolean;
  readonly program: string | null;
  readonly javascript: string | null;
  /** Examples the best program reproduces exactly. */
  readonly examplesCorrect: number;
  readonly examples: number;
  /** Held-out rows the program gets right (null when the task has none). */
  readonly heldOutCorrect: number | null;
  readonly heldOut: number;
  readonly fill: readonly { readonly inputs: readonly string[]; readonly output: string | null }[];
  readonly timeMs: number;
  readonly nodes: number;
  readonly firstSolutionMs: number | null;
  readonly firstSolutionNodes: number | null;
}

/** The model (loaded once per process) and the domain it was trained for. */
export class StringsEngine {
  private constructor(
    readonly domain: StringsDomain,
    readonly model: LoadedStringsModel | null,
  ) {}

  /** Loads the model unless only unguided search is wanted; a missing model is then no error. */
  static async create(
    searches: readonly string[],
    modelDir = shippedStringsModelDir,
    threads?: number,
  ): Promise<StringsEngine> {
    for (const s of searches) {
      if (!(stringsSearchIds as readonly string[]).includes(s))
        throw new UserError(`--search: unknown method '${s}' (have: ${stringsSearchIds.join(', ')})`, 2);
    }
    if (searches.every((s) => s === 'enum')) return new StringsEngine(createStringsDomain(), null);
    const model = await loadStringsModel(modelDir, threads);
    return new StringsEngine(model.domain, model);
  }

  evaluator(search: string): Evaluator<StringsState, number> {
    if (search === 'enum' || !this.model) return uniformEvaluator(this.domain);
    return this.model.evaluator();
  }

  async run(spec: StringsSpec, o: StringsRunOptions): Promise<StringsRunResult> {
    let result: SearchResult<StringsState, number>;
    try {
      result = await getSearch(o.search).run({
        domain: this.domain,
        evaluator: this.evaluator(o.search),
        spec,
        budget: { timeMs: o.timeoutMs, ...(o.nodes ? { nodes: o.nodes } : {}) },
        rng: new Rng(o.seed),
        stopOnSolve: true,
      });
    } catch (e) {
      // The search's initialState rejects unusable specs; the user gets one line naming the task.
      if (e instanceof SpecError)
        throw new UserError(`${spec.name ? `task '${spec.name}': ` : ''}${e.message}`);
      throw e;
    }
    const best = result.best ? this.domain.program(result.best.state) : null;
    return summarise(spec, o.search, best, result);
  }
}

function summarise(
  spec: StringsSpec,
  search: string,
  program: Program | null,
  r: SearchResult<StringsState, number>,
): StringsRunResult {
  const run = (inputs: readonly string[]): string | null =>
    program ? runProgram(program, [...inputs]) : null;
  const tests = spec.tests ?? [];
  return {
    name: spec.name,
    search,
    solved: r.best?.solved ?? false,
    program: program ? printProgram(program) : null,
    javascript: program ? compileToJs(program) : null,
    examplesCorrect: spec.examples.filter((e) => run(e.inputs) === e.output).length,
    examples: spec.examples.length,
    heldOutCorrect: tests.length
      ? tests.filter((e) => e.output !== undefined && run(e.inputs) === e.output).length
      : null,
    heldOut: tests.filter((e) => e.output !== undefined).length,
    fill: (spec.fill ?? []).map((inputs) => ({ inputs, output: run(inputs) })),
    timeMs: r.timeMs,
    nodes: r.nodesExpanded,
    firstSolutionMs: r.firstSolution?.timeMs ?? null,
    firstSolutionNodes: r.firstSolution?.nodes ?? null,
  };
}
