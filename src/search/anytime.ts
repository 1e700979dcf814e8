/**
 * The any-time driver: runs rounds of a search with a doubling population (particles, beam width,
 * rollouts) until the budget ends, so the best-so-far improves over time. The any-time curve itself is
 * recorded by the BestTracker inside `SearchRun` (time, nodes, score at each improvement).
 */
import type { SearchRun } from './common.js';

export interface DoublingOptions {
  /** Size of the first round. */
  readonly start: number;
  /** Largest size; rounds after reaching it repeat at this size when `repeatAtCap`, else the search ends. */
  readonly cap: number;
  /** Stochastic searches repeat at the cap (each round draws anew); deterministic ones would only repeat. */
  readonly repeatAtCap: boolean;
}

/** Runs `round(size)` with sizes start, 2·start, … cap; returns the number of rounds started. */
export async function runDoubling<Spec, State, Action>(
  run: SearchRun<Spec, State, Action>,
  opts: DoublingOptions,
  round: (size: number) => Promise<void>,
): Promise<{ rounds: number; lastSize: number }> {
  let size = Math.min(opts.start, opts.cap);
  let rounds = 0;
  while (!run.checkBudget()) {
    const before = run.tracker.nodesExpanded;
    rounds++;
    await round(size);
    if (run.stopped) break;
    // A round that expands nothing would spin forever (e.g. no legal action at the root).
    if (run.tracker.nodesExpanded === before) {
      run.stop('exhausted');
      break;
    }
    if (size >= opts.cap) {
      if (!opts.repeatAtCap) {
        run.stop('exhausted');
        break;
      }
    } else size = Math.min(opts.cap, size * 2);
  }
  return { rounds, lastSize: size };
}
