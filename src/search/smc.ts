/**
 * Sequential Monte Carlo (Ellis et al. 2019, "Write, Execute, Assess", §3): a population of particles
 * with counts is moved forward by sampling actions from π, executing them in the REPL, weighting the
 * children by count × v and resampling the population back to its size. Rounds are repeated with a
 * doubling population (1, 2, 4, … maxParticles, then again at maxParticles) until the budget ends.
 *
 * Per depth step: one policy call over all live particles, one value call over all live children.
 * Children that are terminal or at maxDepth leave the population (they were offered to the best
 * tracker); failed actions are dropped.
 */
import type { SearchAlgorithm, SearchContext, SearchResult } from '../core/index.js';
import { runDoubling } from './anytime.js';
import { SearchRun, resolveOptions } from './common.js';
import { sampleChildren, type PathParticle } from './particles.js';
import { resampleParticles, type ResamplingScheme } from './resample.js';

export interface SmcOptions {
  /** Population of the first round. */
  readonly initialParticles: number;
  /** Largest population (the official code went up to 1024); rounds repeat at this size. */
  readonly maxParticles: number;
  /** Systematic by default: same expectation as multinomial, lower variance. */
  readonly resampling: ResamplingScheme;
}

export const defaultSmcOptions: SmcOptions = {
  initialParticles: 1,
  maxParticles: 1024,
  resampling: 'systematic',
};

function resolveSmc(options?: Partial<SmcOptions>): SmcOptions {
  const o = resolveOptions('smc', defaultSmcOptions, options, ['initialParticles', 'maxParticles']);
  if (o.resampling !== 'systematic' && o.resampling !== 'multinomial') {
    throw new Error(
      `smc: option 'resampling' must be systematic or multinomial, got ${String(o.resampling)}`,
    );
  }
  return o;
}

/** One SMC sweep from the root with a population of `size`, until no particle can move. */
async function smcRound<Spec, State, Action>(
  run: SearchRun<Spec, State, Action>,
  size: number,
  o: SmcOptions,
): Promise<void> {
  let particles: PathParticle<State, Action>[] = [{ state: run.root, path: null, count: size }];
  while (particles.length > 0) {
    const children = await sampleChildren(run, particles);
    if (!children) return;
    const live = children.filter((c) => run.expandable(c.state, c.path));
    const evals = await run.evaluate(
      live.map((c) => c.state),
      null,
    );
    if (!evals) return;
    const weights = live.map((c, i) => c.count * evals[i].value);
    particles = resampleParticles(live, weights, size, o.resampling, run.rng);
  }
}

export async function runSmc<Spec, State, Action>(
  ctx: SearchContext<Spec, State, Action>,
  options?: Partial<SmcOptions>,
): Promise<SearchResult<State, Action>> {
  const o = resolveSmc(options);
  const run = new SearchRun(ctx);
  if (!run.expandable(run.root, null)) return run.finish({ rounds: 0 });
  const { rounds, lastSize } = await runDoubling(
    run,
    { start: o.initialParticles, cap: o.maxParticles, repeatAtCap: true },
    (size) => smcRound(run, size, o),
  );
  return run.finish({ rounds, lastPopulation: lastSize });
}

export const smcSearch: SearchAlgorithm<SmcOptions> = {
  id: 'smc',
  description:
    'Sequential Monte Carlo: sample from π, weight by v, resample; doubling population (the paper’s search)',
  defaults: defaultSmcOptions,
  run: runSmc,
};
