/**
 * The engine behind `replsynth cad` and `eval cad2d`: a method is a search (with the trained model or
 * the uniform prior), optionally followed by refinement of its best program (`smc+refine`), or
 * refinement alone from an empty program (`refine`, a search-free baseline). Refinement gets the last
 * `refineShare` of the budget, so a method's whole run stays within the same time limit.
 */
import { Rng, UserError, getSearch, systemClock, type SearchResult } from '../core/index.js';
import {
  bestObject,
  createCsg2dDomain,
  lineCount,
  refineProgram,
  renderProgram,
  specFromRaster,
  type Csg2dAction,
  type Csg2dDomain,
  type Csg2dState,
  type Program,
  type Raster,
} from '../domains/csg2d/index.js';
import {
  hasCsg2dModel,
  loadCsg2dModel,
  shippedCsg2dModelDir,
  uniformCsg2dEvaluator,
  type Csg2dEvaluator,
  type LoadedCsg2dModel,
} from '../models/csg2d/index.js';
import '../search/index.js';

export const cadSearchIds = ['smc', 'beam', 'beam-value', 'astar', 'rollout', 'enum'] as const;

/** Share of the budget that `X+refine` leaves to refinement. */
export const defaultRefineShare = 0.2;

/** A method id parsed: the search it runs (null for `refine` alone) and whether refinement follows. */
export interface CadMethod {
  readonly search: string | null;
  readonly refine: boolean;
}

/** Parses `smc`, `smc+refine` or `refine`; a one-line usage error names the unknown part. */
export function parseCadMethod(id: string): CadMethod {
  if (id === 'refine') return { search: null, refine: true };
  const refine = id.endsWith('+refine');
  const search = refine ? id.slice(0, -'+refine'.length) : id;
  if (!(cadSearchIds as readonly string[]).includes(search))
    throw new UserError(
      `--search: unknown method '${id}' (have: ${cadSearchIds.join(', ')}, each optionally +refine, or refine alone)`,
      2,
    );
  return { search, refine };
}

/** What refinement did to the search's best program. */
export interface RefineReport {
  readonly iouBefore: number;
  readonly linesBefore: number | null;
  readonly moves: { readonly delete: number; readonly replace: number; readonly insert: number };
  readonly converged: boolean;
  readonly ms: number;
}

export interface CadRun {
  readonly program: Program | null;
  readonly raster: Raster | null;
  readonly iou: number;
  /** Wall time of the whole method (search plus refinement). */
  readonly timeMs: number;
  readonly nodes: number;
  readonly stopReason: SearchResult<unknown, unknown>['stopReason'] | 'converged';
  /** Any-time trace: IoU of the best program so far, when it improved (refinement included). */
  readonly trace: readonly { readonly timeMs: number; readonly iou: number }[];
  /** Object encodings the search's states needed, and how many the evaluator computed (not cached). */
  readonly cache: { readonly objectsNeeded: number; readonly objectsEncoded: number };
  readonly refine: RefineReport | null;
}

/** The domain plus a way to make evaluators: the trained model, or the uniform factorised prior. */
export class CadEngine {
  private constructor(
    readonly domain: Csg2dDomain,
    readonly model: LoadedCsg2dModel | null,
    /** Where the policy came from, for reports. */
    readonly source: string,
  ) {}

  /** `model`: a folder, 'uniform', or undefined (shipped model if present, else uniform with a note). */
  static async create(
    model: string | undefined,
    methods: readonly string[],
    threads?: number,
    warn = true,
  ): Promise<CadEngine> {
    const parsed = methods.map(parseCadMethod);
    const neural = parsed.some((m) => m.search !== null && m.search !== 'enum');
    if (model === 'uniform' || !neural)
      return new CadEngine(createCsg2dDomain(), null, neural ? 'uniform' : 'no');
    if (model === undefined && !hasCsg2dModel(shippedCsg2dModelDir)) {
      if (warn)
        process.stderr.write(
          `note: no trained csg2d model in ${shippedCsg2dModelDir}; searching with the uniform policy\n`,
        );
      return new CadEngine(createCsg2dDomain(), null, 'uniform');
    }
    const loaded = await loadCsg2dModel(model ?? shippedCsg2dModelDir, threads);
    return new CadEngine(loaded.domain, loaded, loaded.dir);
  }

  evaluator(search: string): Csg2dEvaluator {
    return search === 'enum' || !this.model ? uniformCsg2dEvaluator(this.domain) : this.model.evaluator();
  }

  /** Runs one method on a target within `timeoutMs` (refinement gets the last `refineShare` of it). */
  async run(
    target: Raster,
    method: string,
    timeoutMs: number,
    seed: number,
    refineShare = defaultRefineShare,
    nodeBudget?: number,
  ): Promise<CadRun> {
    const m = parseCadMethod(method);
    const t0 = systemClock();
    const searchMs = m.search === null ? 0 : m.refine ? timeoutMs * (1 - refineShare) : timeoutMs;
    let program: Program | null = null;
    let raster: Raster | null = null;
    let score = 0;
    let nodes = 0;
    let stopReason: CadRun['stopReason'] = 'converged';
    let cache = { objectsNeeded: 0, objectsEncoded: 0 };
    const trace: { timeMs: number; iou: number }[] = [];
    if (m.search !== null) {
      const evaluator = this.evaluator(m.search);
      const result: SearchResult<Csg2dState, Csg2dAction> = await getSearch(m.search).run({
        domain: this.domain,
        evaluator,
        spec: specFromRaster(target),
        budget: { timeMs: searchMs, ...(nodeBudget ? { nodes: nodeBudget } : {}) },
        rng: new Rng(seed),
        stopOnSolve: true,
      });
      const best = result.best ? bestObject(result.best.state) : null;
      program = best?.program ?? null;
      raster = best?.raster ?? null;
      score = best?.iou ?? 0;
      nodes = result.nodesExpanded;
      stopReason = result.stopReason;
      cache = {
        objectsNeeded: evaluator.stats.objectsNeeded,
        objectsEncoded: evaluator.stats.objectsEncoded,
      };
      for (const p of result.trace) trace.push({ timeMs: p.timeMs, iou: p.score });
    }
    let refine: RefineReport | null = null;
    if (m.refine) {
      const r0 = systemClock();
      const before = { iouBefore: score, linesBefore: program ? lineCount(program) : null };
      const res = refineProgram(program, target, {
        shouldStop: () => systemClock() - t0 >= timeoutMs,
        onImprove: (_p, iou) => trace.push({ timeMs: systemClock() - t0, iou }),
      });
      program = res.program;
      raster = renderProgram(res.program);
      score = res.iou;
      stopReason = res.converged ? 'converged' : 'time';
      refine = { ...before, moves: res.moves, converged: res.converged, ms: systemClock() - r0 };
    }
    return {
      program,
      raster,
      iou: score,
      timeMs: systemClock() - t0,
      nodes,
      stopReason,
      trace,
      cache,
      refine,
    };
  }
}
