/** Limits on a search: wall-clock time and node expansions; whichever ends first stops it. */
export interface Budget {
  /** Wall-clock limit in milliseconds (Infinity or undefined = none). */
  readonly timeMs?: number;
  /** Maximum number of expanded nodes (states stepped), undefined = none. */
  readonly nodes?: number;
}

/** A clock in milliseconds; injectable so tests can control time. */
export type Clock = () => number;

export const systemClock: Clock = () => performance.now();

/**
 * Tracks a running search against its Budget. Searches call `expand(n)` for every batch of
 * expanded nodes and check `exhausted()` before each new batch; `remainingMs` lets them avoid
 * starting work that would overshoot the time limit.
 */
export class BudgetTracker {
  private readonly start: number;
  private expanded = 0;
  private stopped = false;

  constructor(
    readonly budget: Budget,
    private readonly clock: Clock = systemClock,
  ) {
    if (budget.timeMs === undefined && budget.nodes === undefined) {
      throw new Error('Budget needs a time limit or a node limit');
    }
    this.start = clock();
  }

  get nodesExpanded(): number {
    return this.expanded;
  }

  elapsedMs(): number {
    return this.clock() - this.start;
  }

  remainingMs(): number {
    return (this.budget.timeMs ?? Infinity) - this.elapsedMs();
  }

  remainingNodes(): number {
    return (this.budget.nodes ?? Infinity) - this.expanded;
  }

  expand(n = 1): void {
    this.expanded += n;
  }

  /** Ends the search early (e.g. solved and the caller wants the first solution only). */
  stop(): void {
    this.stopped = true;
  }

  exhausted(): boolean {
    return this.stopped || this.remainingNodes() <= 0 || this.remainingMs() <= 0;
  }
}
