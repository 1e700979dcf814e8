/**
 * A search over a formulation, guided by a model's evaluator, as a method: `smc`, `beam`, … on every
 * problem that has a formulation, with no code of its own per problem. Unguided searches
 * (`usesEvaluator: false`) declare no model; guided ones fall back to the uniform prior when the model
 * has no trained weights.
 */
import {
  Rng,
  UserError,
  type AnyDomain,
  type ParamValue,
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

/** What a method is created with: its model, and formulation parameters the user set (e.g. columns). */
export interface MethodEnv {
  readonly model: LoadedModel | null;
  readonly formulationParams?: Readonly<Record<string, ParamValue>>;
}

/** A method that can say, before any run, whether it can work on a spec (throws a SpecError if not). */
export interface CheckedMethod extends Method {
  validate?(spec: unknown): void;
}

/** The formulation instance a search runs on: the model's, unless the user's parameters change it. */
function domainFor(
  formulation: DomainDefinition,
  loaded: LoadedModel | null,
  given: Readonly<Record<string, ParamValue>>,
): AnyDomain {
  const mine: Record<string, ParamValue> = {};
  for (const p of formulation.params) if (given[p.name] !== undefined) mine[p.name] = given[p.name];
  if (!loaded) return formulation.create(mine);
  const differ = Object.keys(mine).filter((k) => loaded.domain.params?.[k] !== mine[k]);
  if (differ.length === 0) return loaded.domain;
  const wanted = formulation.create({ ...loaded.domain.params, ...mine });
  // Parameters that keep the action space (e.g. a longer string limit) leave the model usable.
  if (wanted.actionSpace.size === loaded.domain.actionSpace.size) return loaded.domain;
  // Name only the parameters that change the actions.
  const size = loaded.domain.actionSpace.size;
  const changing = differ.filter(
    (k) => formulation.create({ ...loaded.domain.params, [k]: mine[k] }).actionSpace.size !== size,
  );
  const named = changing.length ? changing : differ;
  const was = named.map((k) => `${k} ${String(loaded.domain.params?.[k])}`).join(', ');
  const now = named.map((k) => `${k} ${String(mine[k])}`).join(', ');
  throw new UserError(
    `the ${loaded.id} model in ${loaded.source} was trained for ${was}, not ${now}; pass --model uniform or use a method without a model`,
    2,
  );
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
    async create(env: MethodEnv): Promise<CheckedMethod> {
      const loaded = guided ? env.model : null;
      const domain = domainFor(formulation, loaded, env.formulationParams ?? {});
      const evaluatorFor = (): Evaluator<unknown, unknown> =>
        loaded ? loaded.evaluator() : unguidedEvaluator(domain, model);
      return {
        id: alg.id,
        validate: (spec) => void domain.initialState(spec),
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
            ...(ctx.polish !== undefined ? { polish: ctx.polish } : {}),
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
