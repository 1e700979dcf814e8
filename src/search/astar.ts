/**
 * A* (the paper's ablation): cost so far −Σ log π, heuristic −log v, so a node's priority is
 * f = −Σ log π − log v (lower first). Each expansion asks π for its top `childrenPerExpansion` actions
 * (official code: 800) and executes them all; the open list holds at most `maxQueue` nodes (official
 * code: 153,600), dropping the worst when full.
 *
 * Batching: `popBatch` best nodes are popped and expanded per policy call, and all their children are
 * valued in one call. With popBatch 1 this is textbook A*; larger batches trade a little best-first
 * order for far fewer network calls. States already reached with a lower cost (same stateKey) are
 * skipped. Ends when the open list is empty ('exhausted') or the budget ends.
 */
import type { SearchAlgorithm, SearchContext, SearchResult } from '../core/index.js';
import { SearchRun, extendPath, resolveOptions, type Path } from './common.js';
import { BoundedQueue } from './heap.js';

export interface AstarOptions {
  readonly childrenPerExpansion: number;
  readonly maxQueue: number;
  /** Nodes popped and expanded per evaluator call. */
  readonly popBatch: number;
}

export const defaultAstarOptions: AstarOptions = {
  childrenPerExpansion: 800,
  maxQueue: 153_600,
  popBatch: 8,
};

interface AstarNode<State, Action> {
  readonly state: State;
  readonly path: Path<Action> | null;
  /** −Σ log π of the path. */
  readonly g: number;
  readonly key: string;
}

interface Frontier<State, Action> {
  readonly queue: BoundedQueue<AstarNode<State, Action>>;
  /** Lowest cost at which each stateKey was reached. */
  readonly bestG: Map<string, number>;
}

/** Pops up to n nodes that are still the cheapest way to their state. */
function popFresh<State, Action>(f: Frontier<State, Action>, n: number): AstarNode<State, Action>[] {
  const out: AstarNode<State, Action>[] = [];
  while (out.length < n) {
    const node = f.queue.pop();
    if (!node) break;
    if ((f.bestG.get(node.key) ?? Infinity) < node.g) continue;
    out.push(node);
  }
  return out;
}

/** Expands one batch; false when the search must stop or the open list is empty. */
async function expandBatch<Spec, State, Action>(
  run: SearchRun<Spec, State, Action>,
  f: Frontier<State, Action>,
  o: AstarOptions,
): Promise<boolean> {
  const nodes = popFresh(f, o.popBatch);
  if (nodes.length === 0) {
    run.stop('exhausted');
    return false;
  }
  const evals = await run.evaluate(
    nodes.map((n) => n.state),
    nodes.map(() => ({ kind: 'top', k: o.childrenPerExpansion })),
  );
  if (!evals) return false;
  const children: AstarNode<State, Action>[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (const prop of evals[i].proposals) {
      const r = run.tryStep(nodes[i].state, prop.action);
      if (r === null) return false;
      if (!r.ok) continue;
      const path = extendPath(nodes[i].path, prop.action);
      if (run.offer(r.state, path)) return false;
      const g = nodes[i].g - prop.logPrior;
      const key = run.domain.stateKey(r.state);
      if ((f.bestG.get(key) ?? Infinity) <= g) continue;
      f.bestG.set(key, g);
      if (run.expandable(r.state, path)) children.push({ state: r.state, path, g, key });
    }
  }
  const values = await run.evaluate(
    children.map((c) => c.state),
    null,
  );
  if (!values) return false;
  children.forEach((c, i) => f.queue.push(c.g - Math.log(values[i].value), c));
  return true;
}

export async function runAstar<Spec, State, Action>(
  ctx: SearchContext<Spec, State, Action>,
  options?: Partial<AstarOptions>,
): Promise<SearchResult<State, Action>> {
  const o = resolveOptions('astar', defaultAstarOptions, options, [
    'childrenPerExpansion',
    'maxQueue',
    'popBatch',
  ]);
  const run = new SearchRun(ctx);
  const f: Frontier<State, Action> = { queue: new BoundedQueue(o.maxQueue), bestG: new Map() };
  if (run.expandable(run.root, null)) {
    const key = run.domain.stateKey(run.root);
    f.bestG.set(key, 0);
    f.queue.push(0, { state: run.root, path: null, g: 0, key });
  }
  let expansions = 0;
  while (!run.checkBudget()) {
    if (!(await expandBatch(run, f, o))) break;
    expansions++;
  }
  if (!run.stopped) run.stop('exhausted');
  return run.finish({ expansionBatches: expansions, queueSize: f.queue.size, queueDropped: f.queue.dropped });
}

export const astarSearch: SearchAlgorithm<AstarOptions> = {
  id: 'astar',
  description: 'A*: cost −log π so far, heuristic −log v; top-800 children per expansion, bounded queue',
  defaults: defaultAstarOptions,
  run: runAstar,
};
