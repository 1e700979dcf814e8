/**
 * What the csg2d and csg3d problems share around their programs: the evaluation record (IoU, lines,
 * tokens), seeded evaluation scenes, the report of an evaluation (mean IoU, IoU ≥ 0.9 counts, the
 * largest such programs, IoU over time) and the refiner's shape. Each problem gives its pictures,
 * its domain, its readers and exporters.
 */
import type {
  ItemResult,
  ParamSpec,
  ProblemReport,
  RefineContext,
  Refiner,
  Rng,
  Task,
  TaskGenerator,
  TaskOptions,
} from '../core/index.js';

/** Score, solved, IoU, lines and tokens of a program against a target picture. */
export function csgEvaluate<Program, Pic>(
  target: Pic,
  program: Program | null,
  m: {
    render(p: Program): Pic;
    iou(a: Pic, b: Pic): number;
    lineCount(p: Program): number;
    tokenCount(p: Program): number;
  },
) {
  if (!program) return { score: 0, solved: false, iou: 0, lines: null, tokens: null };
  const score = m.iou(m.render(program), target);
  return {
    score,
    solved: score >= 1,
    iou: score,
    lines: m.lineCount(program),
    tokens: m.tokenCount(program),
  };
}

/**
 * Scene i of a seed from a domain's task sampler: the same in every shard, and for anyone
 * re-creating an evaluation's targets. `sampler` is called once, on first use.
 */
export function csgScenes<Spec>(
  maxShapes: { readonly default: number; readonly description: string },
  sampler: () => { sampleTask(rng: Rng, options: TaskOptions): Task<Spec, unknown> },
): TaskGenerator<Spec> {
  let domain: ReturnType<typeof sampler> | null = null;
  const params: ParamSpec[] = [
    {
      name: 'maxShapes',
      type: 'int',
      default: maxShapes.default,
      min: 1,
      max: 60,
      description: maxShapes.description,
    },
    { name: 'minShapes', type: 'int', default: 1, min: 1, max: 60, description: 'fewest shapes per scene' },
  ];
  return {
    params,
    countFlag: 'scenes',
    defaultCount: 20,
    task(rng, i, p) {
      domain ??= sampler();
      const task = domain.sampleTask(rng.derive(`scene/${i}`), {
        maxSize: p.maxShapes as number,
        extra: { minShapes: p.minShapes as number },
      });
      return { name: task.name ?? `scene ${i}`, spec: task.spec, facts: { targetLines: task.trace.length } };
    },
  };
}

const meanOf = (rs: readonly ItemResult[], f: (r: ItemResult) => number): number =>
  rs.reduce((a, r) => a + f(r), 0) / Math.max(1, rs.length);

/** Results with IoU ≥ 0.9, largest program first. */
const good = (rs: readonly ItemResult[]): ItemResult[] =>
  rs
    .filter((r) => (r.iou as number) >= 0.9 && r.lines !== null)
    .sort((a, b) => (b.lines as number) - (a.lines as number) || (b.tokens as number) - (a.tokens as number));

/** The report of a CAD evaluation: `title` for plots, the problem's IoU-by-time and human lines. */
export function csgReport(
  title: string,
  iouAt: (r: ItemResult, t: number) => number,
  human: (r: ItemResult) => string[],
): ProblemReport {
  return {
    noun: 'scenes',
    title,
    scoreName: 'iou',
    indexField: 'scene',
    curves: ['meanScoreVsTime'],
    summary: {
      meanIoU: (rs) => meanOf(rs, (r) => r.iou as number),
      scenes: (rs) => rs.length,
      largestProgramLines: (rs) => good(rs)[0]?.lines ?? null,
      largestProgramTokens: (rs) => good(rs)[0]?.tokens ?? null,
      largestTargetLines: (rs) =>
        good(rs).reduce<number | null>(
          (m, r) =>
            r.targetLines === null || r.targetLines === undefined
              ? m
              : Math.max(m ?? 0, r.targetLines as number),
          null,
        ),
      solvedAt90: (rs) => good(rs).length,
      meanIoUAt: (rs, { timeoutMs }) => {
        const at: Record<string, number> = {};
        for (const f of [0.1, 0.25, 0.5, 1])
          at[`${((f * timeoutMs) / 1000).toFixed(2)}s`] = meanOf(rs, (r) => iouAt(r, f * timeoutMs));
        return at;
      },
    },
    headline: (v) =>
      `mean IoU ${(v.meanIoU as number).toFixed(3)} over ${String(v.scenes)} scenes; IoU ≥ 0.9 on ${String(v.solvedAt90)}; largest such program ${String(v.largestProgramLines ?? '-')} lines / ${String(v.largestProgramTokens ?? '-')} tokens; largest such scene ${String(v.largestTargetLines ?? '-')} lines`,
    brief: (r) =>
      `IoU ${(r.iou as number).toFixed(3)}, ${String(r.lines ?? 0)} lines${r.targetLines === null || r.targetLines === undefined ? '' : ` (target ${String(r.targetLines)})`}, ${r.nodes} nodes`,
    human,
  };
}

/**
 * The greedy refiner of a CAD problem (each problem's refine.ts): delete lines that do not help, swap
 * a primitive for the best of all, or wrap a part in a union or difference with the best primitive.
 */
export function csgRefiner<Spec, Program, Pic>(r: {
  readonly problem: string;
  readonly description: string;
  target(spec: Spec): Pic;
  evaluate(spec: Spec, program: Program): { readonly iou: number };
  lineCount(p: Program): number;
  refineProgram(
    start: Program | null,
    target: Pic,
    o: RefineContext<Program>,
  ): { readonly program: Program; readonly converged: boolean; readonly moves: unknown };
}): Refiner<Spec, Program> {
  return {
    id: 'refine',
    problem: r.problem,
    description: r.description,
    refine(spec, start, ctx) {
      const target = r.target(spec);
      const before = {
        iouBefore: start ? r.evaluate(spec, start).iou : 0,
        linesBefore: start ? r.lineCount(start) : null,
      };
      const res = r.refineProgram(start, target, { shouldStop: ctx.shouldStop, onImprove: ctx.onImprove });
      return {
        program: res.program,
        converged: res.converged,
        stats: { ...before, moves: res.moves, converged: res.converged },
      };
    },
  };
}
