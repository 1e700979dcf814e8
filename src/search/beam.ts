/**
 * Beam search, two variants from the paper's ablations. `beam`: keep the `width` best partial programs
 * by log π of their actions. `beam-value`: take the best 2 × width children by log π, execute them,
 * and keep the `width` best by log π + log v. Widths double per round (1, 2, 4, … maxWidth); beam search
 * is deterministic, so the search ends after the maxWidth round.
 *
 * Children are chosen before they are executed (so only chosen children cost nodes), by a k-way merge
 * over the parents' proposal lists, which the evaluator returns best first for 'top' requests.
 */
import type { Proposal, SearchAlgorithm, SearchContext, SearchResult } from '../core/index.js';
import { runDoubling } from './anytime.js';
import { SearchRun, extendPath, resolveOptions, type Path } from './common.js';
import { Heap } from './heap.js';

export interface BeamOptions {
  readonly initialWidth: number;
  readonly maxWidth: number;
}

export interface BeamValueOptions extends BeamOptions {
  /** Children executed per beam slot before reranking by value (the official code used 2). */
  readonly candidateFactor: number;
}

export const defaultBeamOptions: BeamOptions = { initialWidth: 1, maxWidth: 1024 };
export const defaultBeamValueOptions: BeamValueOptions = { ...defaultBeamOptions, candidateFactor: 2 };

interface BeamNode<State, Action> {
  readonly state: State;
  readonly path: Path<Action> | null;
  /** Σ log π of the path. */
  readonly logp: number;
}

interface Cursor {
  readonly parent: number;
  pos: number;
  score: number;
}

/** The k best (parent, proposal) pairs by parent.logp + logPrior; ties by parent, then list order. */
export function bestCandidates<Action>(
  parentsLogp: readonly number[],
  lists: readonly (readonly Proposal<Action>[])[],
  k: number,
): { parent: number; proposal: Proposal<Action> }[] {
  const sorted = lists.map((l) => (isSortedDesc(l) ? l : [...l].sort((a, b) => b.logPrior - a.logPrior)));
  const heap = new Heap<Cursor>((a, b) => a.score > b.score || (a.score === b.score && a.parent < b.parent));
  sorted.forEach((l, i) => {
    if (l.length > 0) heap.push({ parent: i, pos: 0, score: parentsLogp[i] + l[0].logPrior });
  });
  const out: { parent: number; proposal: Proposal<Action> }[] = [];
  while (out.length < k && heap.size > 0) {
    const c = heap.pop()!;
    const l = sorted[c.parent];
    out.push({ parent: c.parent, proposal: l[c.pos] });
    if (++c.pos < l.length) {
      c.score = parentsLogp[c.parent] + l[c.pos].logPrior;
      heap.push(c);
    }
  }
  return out;
}

function isSortedDesc<Action>(l: readonly Proposal<Action>[]): boolean {
  for (let i = 1; i < l.length; i++) if (l[i].logPrior > l[i - 1].logPrior) return false;
  return true;
}

/** Executes the chosen children; drops failures and duplicates (first = best wins); null = stop. */
function expandChosen<Spec, State, Action>(
  run: SearchRun<Spec, State, Action>,
  beam: readonly BeamNode<State, Action>[],
  chosen: { parent: number; proposal: Proposal<Action> }[],
): BeamNode<State, Action>[] | null {
  const seen = new Set<string>();
  const live: BeamNode<State, Action>[] = [];
  for (const { parent, proposal } of chosen) {
    const p = beam[parent];
    const r = run.tryStep(p.state, proposal.action);
    if (r === null) return null;
    if (!r.ok) continue;
    const path = extendPath(p.path, proposal.action);
    if (run.offer(r.state, path)) return null;
    const key = run.domain.stateKey(r.state);
    if (seen.has(key)) continue;
    seen.add(key);
    if (run.expandable(r.state, path)) live.push({ state: r.state, path, logp: p.logp + proposal.logPrior });
  }
  return live;
}

async function beamRound<Spec, State, Action>(
  run: SearchRun<Spec, State, Action>,
  width: number,
  candidateFactor: number | null,
): Promise<void> {
  let beam: BeamNode<State, Action>[] = [{ state: run.root, path: null, logp: 0 }];
  const k = candidateFactor === null ? width : width * candidateFactor;
  while (beam.length > 0) {
    const evals = await run.evaluate(
      beam.map((b) => b.state),
      beam.map(() => ({ kind: 'top', k })),
    );
    if (!evals) return;
    const chosen = bestCandidates(
      beam.map((b) => b.logp),
      evals.map((e) => e.proposals),
      k,
    );
    const live = expandChosen(run, beam, chosen);
    if (!live) return;
    if (candidateFactor === null) {
      beam = live;
      continue;
    }
    const values = await run.evaluate(
      live.map((c) => c.state),
      null,
    );
    if (!values) return;
    const scored = live.map((c, i) => ({ c, s: c.logp + Math.log(values[i].value), i }));
    // Stable order on ties (index), so runs are deterministic.
    scored.sort((a, b) => b.s - a.s || a.i - b.i);
    beam = scored.slice(0, width).map((x) => x.c);
  }
}

async function runBeamWith<Spec, State, Action>(
  ctx: SearchContext<Spec, State, Action>,
  o: BeamOptions,
  candidateFactor: number | null,
): Promise<SearchResult<State, Action>> {
  const run = new SearchRun(ctx);
  if (!run.expandable(run.root, null)) return run.finish({ rounds: 0 });
  const { rounds, lastSize } = await runDoubling(
    run,
    { start: o.initialWidth, cap: o.maxWidth, repeatAtCap: false },
    (w) => beamRound(run, w, candidateFactor),
  );
  return run.finish({ rounds, lastWidth: lastSize });
}

export function runBeam<Spec, State, Action>(
  ctx: SearchContext<Spec, State, Action>,
  options?: Partial<BeamOptions>,
): Promise<SearchResult<State, Action>> {
  const o = resolveOptions('beam', defaultBeamOptions, options, ['initialWidth', 'maxWidth']);
  return runBeamWith(ctx, o, null);
}

export function runBeamValue<Spec, State, Action>(
  ctx: SearchContext<Spec, State, Action>,
  options?: Partial<BeamValueOptions>,
): Promise<SearchResult<State, Action>> {
  const o = resolveOptions('beam-value', defaultBeamValueOptions, options, [
    'initialWidth',
    'maxWidth',
    'candidateFactor',
  ]);
  return runBeamWith(ctx, o, o.candidateFactor);
}

export const beamSearch: SearchAlgorithm<BeamOptions> = {
  id: 'beam',
  description: 'Beam search by log π (no value); widths 1, 2, 4, … maxWidth',
  defaults: defaultBeamOptions,
  run: runBeam,
};

export const beamValueSearch: SearchAlgorithm<BeamValueOptions> = {
  id: 'beam-value',
  description: 'Beam search: top 2×width children by log π, reranked by log π + log v; doubling width',
  defaults: defaultBeamValueOptions,
  run: runBeamValue,
};
