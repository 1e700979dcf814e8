import type { BudgetTracker } from './budget.js';
import type { Domain } from './domain.js';
import type { AnytimePoint, Found, SearchContext, SearchResult } from './search.js';

/**
 * Keeps the best state a search has seen and the any-time trace. Shared by all search algorithms so
 * "best so far" means the same thing everywhere: highest domain score, earliest on ties.
 */
export class BestTracker<State, Action> {
  best: Found<State, Action> | null = null;
  readonly trace: AnytimePoint[] = [];
  firstSolution?: { timeMs: number; nodes: number };

  constructor(
    private readonly domain: Domain<unknown, State, Action>,
    private readonly tracker: BudgetTracker,
    private readonly onImprove?: SearchContext<unknown, State, Action>['onImprove'],
  ) {}

  /** Offers a state reached by `actions`; returns true when it is solved. */
  offer(state: State, actions: readonly Action[]): boolean {
    const solved = this.domain.isSolved(state);
    const score = solved ? 1 : this.domain.score(state);
    // A solution beats an unsolved state of equal score (a domain's score may reach 1 unsolved).
    if (this.best === null || score > this.best.score || (solved && !this.best.solved)) {
      const higher = this.best === null || score > this.best.score;
      this.best = { state, actions: actions.slice(), score, solved };
      this.improved(higher);
    }
    if (solved && !this.firstSolution) {
      this.firstSolution = { timeMs: this.tracker.elapsedMs(), nodes: this.tracker.nodesExpanded };
    }
    return solved;
  }

  /** Offers another solution; it replaces the best when it takes fewer actions (polishing). */
  offerShorter(state: State, actions: readonly Action[]): void {
    const b = this.best;
    if (!b?.solved || actions.length >= b.actions.length || !this.domain.isSolved(state)) return;
    this.best = { state, actions: actions.slice(), score: 1, solved: true };
    this.improved(false);
  }

  /**
   * Tells onImprove of a new best; the trace records it only when the score rose (its scores strictly
   * increase: a solution replacing an unsolved state of score 1, or a shorter solution, is no new point).
   */
  private improved(higher: boolean): void {
    const point = {
      timeMs: this.tracker.elapsedMs(),
      nodes: this.tracker.nodesExpanded,
      score: this.best!.score,
    };
    if (higher) this.trace.push(point);
    this.onImprove?.(this.best!, point);
  }

  result(
    stopReason: SearchResult<State, Action>['stopReason'],
    stats: Record<string, number>,
  ): SearchResult<State, Action> {
    return {
      best: this.best,
      nodesExpanded: this.tracker.nodesExpanded,
      timeMs: this.tracker.elapsedMs(),
      firstSolution: this.firstSolution,
      trace: this.trace,
      stopReason,
      stats,
    };
  }
}

/** Why a search stopped, from the tracker's point of view. */
export function stopReasonOf(
  tracker: BudgetTracker,
  solved: boolean,
): SearchResult<unknown, unknown>['stopReason'] {
  if (solved) return 'solved';
  if (tracker.remainingNodes() <= 0) return 'nodes';
  if (tracker.remainingMs() <= 0) return 'time';
  return 'exhausted';
}
