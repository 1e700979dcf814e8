/**
 * Policy rollouts: N complete trajectories sampled from π in parallel, without the value function
 * (the paper's "SMC without v" ablation). Identical rollouts are merged with counts, so one batched
 * policy call per depth serves every live rollout. N doubles per round up to maxRollouts, then rounds
 * repeat at maxRollouts until the budget ends.
 */
import type { SearchAlgorithm, SearchContext, SearchResult } from '../core/index.js';
import { runDoubling } from './anytime.js';
import { SearchRun, resolveOptions } from './common.js';
import { sampleChildren, type PathParticle } from './particles.js';

export interface RolloutOptions {
  readonly initialRollouts: number;
  readonly maxRollouts: number;
}

export const defaultRolloutOptions: RolloutOptions = { initialRollouts: 1, maxRollouts: 1024 };

async function rolloutRound<Spec, State, Action>(
  run: SearchRun<Spec, State, Action>,
  n: number,
): Promise<void> {
  let live: PathParticle<State, Action>[] = [{ state: run.root, path: null, count: n }];
  while (live.length > 0) {
    const children = await sampleChildren(run, live);
    if (!children) return;
    live = children.filter((c) => run.expandable(c.state, c.path));
  }
}

export async function runRollout<Spec, State, Action>(
  ctx: SearchContext<Spec, State, Action>,
  options?: Partial<RolloutOptions>,
): Promise<SearchResult<State, Action>> {
  const o = resolveOptions('rollout', defaultRolloutOptions, options, ['initialRollouts', 'maxRollouts']);
  const run = new SearchRun(ctx);
  if (!run.expandable(run.root, null)) return run.finish({ rounds: 0 });
  const { rounds, lastSize } = await runDoubling(
    run,
    { start: o.initialRollouts, cap: o.maxRollouts, repeatAtCap: true },
    (n) => rolloutRound(run, n),
  );
  return run.finish({ rounds, lastRollouts: lastSize });
}

export const rolloutSearch: SearchAlgorithm<RolloutOptions> = {
  id: 'rollout',
  description: 'Policy rollouts: batched sampling of whole programs from π, no value; doubling count',
  defaults: defaultRolloutOptions,
  run: runRollout,
};
