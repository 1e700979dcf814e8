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

export async function runEnum<Spec, State, Action>(
  ctx: SearchContext<Spec, State, Action>,
  options?: Partial<EnumOptions>,
): Promise<SearchResult<State, Action>> {
  const o = resolveOptions('enum', defaultEnumOptions, options, ['maxFrontier']);
  const run = new SearchRun(ctx);
  const { domain } = run;
  const visited = new Set<string>([domain.stateKey(run.root)]);
  // The FIFO is two parallel arrays with a moving head (no wrapper object per node: enumeration makes
  // many nodes per millisecond and garbage-collection pauses are what overshoots its time budget).
  let states: (State | undefined)[] = [];
  let paths: (Path<Action> | null)[] = [];
  let head = 0;
  let dropped = 0;
  if (run.expandable(run.root, null)) {
    states.push(run.root);
    paths.push(null);
  }
  search: while (head < states.length && !run.checkBudget()) {
    if ((head & 63) === 0 && run.yieldDue && (await run.pause())) break;
    const state = states[head]!;
    const parent = paths[head];
    states[head] = undefined;
    paths[head++] = null;
    if (head >= 65_536 && head * 2 >= states.length) {
      states = states.slice(head);
      paths = paths.slice(head);
      head = 0;
    }
    for (const action of domain.legalActions(state)) {
      const r = run.tryStep(state, action);
      if (r === null) break search;
      if (!r.ok) continue;
      const path = extendPath(parent, action);
      if (run.offer(r.state, path)) break search;
      const key = domain.stateKey(r.state);
      if (visited.has(key)) continue;
      visited.add(key);
      if (!run.expandable(r.state, path)) continue;
      if (states.length - head >= o.maxFrontier) dropped++;
      else {
        states.push(r.state);
        paths.push(path);
      }
    }
  }
  if (!run.stopped) run.stop('exhausted');
  return run.finish({ visited: visited.size, frontier: states.length - head, frontierDropped: dropped });
}

export const enumSearch: SearchAlgorithm<EnumOptions> = {
  id: 'enum',
  usesEvaluator: false,
  description:
    'Enumeration baseline: breadth-first over legal actions, observational-equivalence pruning, no π or v',
  defaults: defaultEnumOptions,
  run: runEnum,
};
