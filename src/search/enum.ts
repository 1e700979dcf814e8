/**
 * Enumerative baseline with no learned guidance: breadth-first over `domain.legalActions`, pruning
 * observationally equivalent states (same `domain.stateKey`) with a visited set. It never calls the
 * evaluator. Ends when the frontier is empty ('exhausted') or the budget ends.
 */
import type { SearchAlgorithm, SearchContext, SearchResult } from '../core/index.js';
import { SearchRun, extendPath, resolveOptions, type Path } from './common.js';

export interface EnumOptions {
  /** Most states waiting in the frontier; beyond it new states are offered but not queued (bounds memory). */
  readonly maxFrontier: number;
}

export const defaultEnumOptions: EnumOptions = { maxFrontier: 1_000_000 };

interface EnumNode<State, Action> {
  readonly state: State;
  readonly path: Path<Action> | null;
}

export async function runEnum<Spec, State, Action>(
  ctx: SearchContext<Spec, State, Action>,
  options?: Partial<EnumOptions>,
): Promise<SearchResult<State, Action>> {
  const o = resolveOptions('enum', defaultEnumOptions, options, ['maxFrontier']);
  const run = new SearchRun(ctx);
  const { domain } = run;
  const visited = new Set<string>([domain.stateKey(run.root)]);
  // A FIFO as an array with a moving head; popped slots are released for the garbage collector.
  const queue: (EnumNode<State, Action> | undefined)[] = [];
  let head = 0;
  let dropped = 0;
  if (run.expandable(run.root, null)) queue.push({ state: run.root, path: null });
  search: while (head < queue.length && !run.checkBudget()) {
    const node = queue[head]!;
    queue[head++] = undefined;
    if (head >= 65_536 && head * 2 >= queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    for (const action of domain.legalActions(node.state)) {
      const r = run.tryStep(node.state, action);
      if (r === null) break search;
      if (!r.ok) continue;
      const path = extendPath(node.path, action);
      if (run.offer(r.state, path)) break search;
      const key = domain.stateKey(r.state);
      if (visited.has(key)) continue;
      visited.add(key);
      if (!run.expandable(r.state, path)) continue;
      if (queue.length - head >= o.maxFrontier) dropped++;
      else queue.push({ state: r.state, path });
    }
  }
  if (!run.stopped) run.stop('exhausted');
  return run.finish({ visited: visited.size, frontier: queue.length - head, frontierDropped: dropped });
}

export const enumSearch: SearchAlgorithm<EnumOptions> = {
  id: 'enum',
  description: 'Enumeration baseline: breadth-first over legal actions, observational-equivalence pruning, no π or v',
  defaults: defaultEnumOptions,
  run: runEnum,
};
