/**
 * The step shared by SMC and policy rollouts: every particle samples as many actions from π as it
 * has count (one batched evaluator call for the whole population), the children are executed, failures
 * are dropped, and identical children are merged with their counts summed.
 *
 * Merging: children are merged by `domain.stateKey` across the whole population, not only per parent —
 * observationally equivalent states have the same future under π and v, so one particle with the summed
 * count is equivalent and cheaper. The merged particle keeps the path of the first child reached
 * (parents in population order, proposals in evaluator order), which keeps runs deterministic.
 */
import type { Path, SearchRun } from './common.js';
import { extendPath } from './common.js';
import type { Particle } from './resample.js';

export type PathParticle<State, Action> = Particle<State, Path<Action> | null>;

/**
 * Children of a population, merged. Returns null when the search must stop (budget, or a solved state
 * with stopOnSolve). Terminal children are offered to the best tracker like all others; callers decide
 * whether to keep them (see `SearchRun.expandable`).
 */
export async function sampleChildren<Spec, State, Action>(
  run: SearchRun<Spec, State, Action>,
  particles: readonly PathParticle<State, Action>[],
): Promise<PathParticle<State, Action>[] | null> {
  const evals = await run.evaluate(
    particles.map((p) => p.state),
    particles.map((p) => ({ kind: 'sample', count: p.count })),
  );
  if (!evals) return null;
  const index = new Map<string, number>();
  const states: State[] = [];
  const paths: Path<Action>[] = [];
  const counts: number[] = [];
  for (let i = 0; i < particles.length; i++) {
    const parent = particles[i];
    for (const prop of evals[i].proposals) {
      const r = run.tryStep(parent.state, prop.action);
      if (r === null) return null;
      if (!r.ok) continue;
      const path = extendPath(parent.path, prop.action);
      if (run.offer(r.state, path)) return null;
      const key = run.domain.stateKey(r.state);
      const at = index.get(key);
      if (at !== undefined) {
        counts[at] += prop.count;
        continue;
      }
      index.set(key, states.length);
      states.push(r.state);
      paths.push(path);
      counts.push(prop.count);
    }
  }
  return states.map((state, i) => ({ state, path: paths[i], count: counts[i] }));
}
