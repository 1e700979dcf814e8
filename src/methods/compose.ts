/**
 * Composition: `X+refine` runs method X for the first part of the budget and refines its best program
 * in the rest; `refine` alone refines from nothing (a search-free baseline). The refiner is the
 * problem's (core `Refiner`); the whole run stays within the method's time limit.
 */
import {
  systemClock,
  type AnyRefiner,
  type AnytimePoint,
  type MethodDefinition,
  type MethodRun,
  type ParamSpec,
} from '../core/index.js';
import type { CheckedMethod } from './search-method.js';

export const refineShareParam: ParamSpec = {
  name: 'refineShare',
  type: 'float',
  default: 0.2,
  min: 0,
  max: 1,
  description: 'share of the budget that +refine leaves to refinement',
};

/** `inner` then `refiner` (inner null: the refiner alone). */
export function thenRefine(inner: MethodDefinition | null, refiner: AnyRefiner): MethodDefinition {
  return {
    id: inner ? `${inner.id}+${refiner.id}` : refiner.id,
    problem: refiner.problem,
    description: inner ? `${inner.description}, then ${refiner.description}` : refiner.description,
    ...(inner?.model ? { model: inner.model } : {}),
    ...(inner?.requiresModel ? { requiresModel: true } : {}),
    params: [...(inner?.params ?? []), refineShareParam],
    async create(env): Promise<CheckedMethod> {
      const first: CheckedMethod | null = inner ? await inner.create(env) : null;
      const id = inner ? `${inner.id}+${refiner.id}` : refiner.id;
      return {
        id,
        ...(first?.validate ? { validate: first.validate } : {}),
        async run(spec, ctx): Promise<MethodRun<unknown>> {
          const t0 = systemClock();
          const timeMs = ctx.budget.timeMs ?? Infinity;
          const share =
            (ctx.params?.refineShare as number | undefined) ?? (refineShareParam.default as number);
          const before = first
            ? await first.run(spec, { ...ctx, budget: { ...ctx.budget, timeMs: timeMs * (1 - share) } })
            : null;
          const trace: AnytimePoint[] = [...(before?.trace ?? [])];
          const nodes = before?.nodes ?? 0;
          const r0 = systemClock();
          const res = refiner.refine(spec, before?.program ?? null, {
            shouldStop: () => systemClock() - t0 >= timeMs || (ctx.signal?.aborted ?? false),
            onImprove: (p: unknown, score: number) => {
              const point = { timeMs: systemClock() - t0, nodes, score };
              trace.push(point);
              // Progress displays (synth, the playground) see refinement improve the program too.
              ctx.onImprove?.(p, point);
            },
          });
          return {
            program: res.program,
            timeMs: systemClock() - t0,
            nodes,
            stopReason: res.converged ? 'converged' : 'time',
            ...(before?.firstSolution ? { firstSolution: before.firstSolution } : {}),
            trace,
            stats: { ...(before?.stats ?? {}), refine: { ...res.stats, ms: systemClock() - r0 } },
          };
        },
      };
    },
  };
}
