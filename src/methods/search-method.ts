/**
 * A search over a formulation, guided by a model's evaluator, as a method: `smc`, `beam`, … on every
 * problem that has a formulation, with no code of its own per problem. Unguided searches
 * (`usesEvaluator: false`) declare no model; guided ones fall back to the uniform prior when the model
 * has no trained weights.
 */
import {
  Rng,
  type AnyDomain,
  type DomainDefinition,
  type Evaluator,
  type LoadedModel,
  type Method,
  type MethodDefinition,
  type ModelDefinition,
  type SearchAlgorithm,
  uniformEvaluator,
} from '../core/index.js';

/** The prior with no knowledge: uniform over legal actions (a model's own factorisation if not flat). */
export function unguidedEvaluator(domain: AnyDomain, model?: ModelDefinition): Evaluator<unknown, unknown> {
  if (domain.actionSpace.flat) return uniformEvaluator(domain) as Evaluator<unknown, unknown>;
  if (model?.uniform) return model.uniform(domain);
  throw new Error(`formulation '${domain.id}' has a structured action space and no uniform evaluator`);
}

/** Numeric counters an evaluator keeps (e.g. object encodings computed vs needed), for results. */
function evaluatorStats(e: Evaluator<unknown, unknown>): Record<string, number> {
  const stats = (e as { stats?: Record<string, unknown> }).stats;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(stats ?? {})) if (typeof v === 'number') out[k] = v;
  return out;
}

export function searchMethod(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  alg: SearchAlgorithm<any>,
  formulation: DomainDefinition,
  problem: string,
  model: ModelDefinition | undefined,
): MethodDefinition {
  const guided = alg.usesEvaluator !== false;
  return {
    id: alg.id,
    problem,
    description: alg.description,
    ...(guided && model ? { model: model.id } : {}),
    async create(env: { readonly model: LoadedModel | null }): Promise<Method> {
      const loaded = guided ? env.model : null;
      const domain: AnyDomain = loaded?.domain ?? formulation.create();
      const evaluatorFor = (): Evaluator<unknown, unknown> =>
        loaded ? loaded.evaluator() : unguidedEvaluator(domain, model);
      return {
        id: alg.id,
        async run(spec, ctx) {
          const evaluator = evaluatorFor();
          const r = await alg.run({
            domain,
            evaluator,
            spec,
            budget: ctx.budget,
            rng: ctx.rng,
            signal: ctx.signal,
            stopOnSolve: true,
            ...(ctx.onImprove
              ? {
                  onImprove: (found, point) => {
                    const p = domain.program(found.state);
                    if (p !== null) ctx.onImprove!(p, point);
                  },
                }
              : {}),
          });
          return {
            program: r.best ? domain.program(r.best.state) : null,
            timeMs: r.timeMs,
            nodes: r.nodesExpanded,
            stopReason: r.stopReason,
            ...(r.firstSolution ? { firstSolution: r.firstSolution } : {}),
            trace: r.trace,
            stats: evaluatorStats(evaluator),
          };
        },
      };
    },
  };
}

/** Seeded per item: run i of a seed uses `seed + i`, in every process. */
export const itemRng = (seed: number, i: number): Rng => new Rng(seed + i);
