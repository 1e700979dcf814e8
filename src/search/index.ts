/**
 * The search library: SMC (the paper's search), beam with and without value, A*, policy rollouts and
 * an unguided enumeration baseline. Importing this module registers them all by id for the CLI.
 */
import { listSearches, registerSearch, type SearchAlgorithm } from '../core/index.js';
import { astarSearch } from './astar.js';
import { beamSearch, beamValueSearch } from './beam.js';
import { enumSearch } from './enum.js';
import { rolloutSearch } from './rollout.js';
import { smcSearch } from './smc.js';

export * from './astar.js';
export * from './beam.js';
export * from './enum.js';
export * from './rollout.js';
export * from './smc.js';
export { resampleCounts, resampleMultinomial, resampleParticles, resampleSystematic } from './resample.js';
export type { Particle, ResamplingScheme } from './resample.js';
export { BoundedQueue, Heap } from './heap.js';
export { CallCostModel, SearchRun, pathActions, type Path } from './common.js';
export { runDoubling, type DoublingOptions } from './anytime.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const searchAlgorithms: readonly SearchAlgorithm<any>[] = [
  smcSearch,
  beamSearch,
  beamValueSearch,
  astarSearch,
  rolloutSearch,
  enumSearch,
];

/** Registers every search of this library; safe to call more than once. */
export function registerAllSearches(): void {
  const known = new Set(listSearches().map((s) => s.id));
  for (const alg of searchAlgorithms) if (!known.has(alg.id)) registerSearch(alg);
}

registerAllSearches();
