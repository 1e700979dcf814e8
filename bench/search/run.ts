/**
 * Search benchmark: (1) search overhead per expanded node with evaluator time excluded (the searches
 * time every evaluator call themselves, `stats.evaluatorMs`), and (2) wall-clock overshoot of the time
 * budget with an evaluator that costs a fixed time per call and per state, like a network would.
 * Domain: the toy RPN fixture. `--quick` runs fewer repetitions.
 */
import { loadavg } from 'node:os';
import {
  Rng,
  uniformEvaluator,
  type Evaluation,
  type Evaluator,
  type ProposalRequest,
  type SearchAlgorithm,
} from '../../src/core/index.js';
import { searchAlgorithms } from '../../src/search/index.js';
import { createToyDomain, type ToyState } from '../../test/fixtures/toy/toy-domain.js';
import type { BenchContext } from '../run.js';
import { barChartSvg } from './svg.js';

const domain = createToyDomain();

/** Uniform π and v plus a busy-wait of a fixed cost per call and per state. */
class CostlyEvaluator implements Evaluator<ToyState, number> {
  readonly id = 'costly-uniform';
  private readonly inner = uniformEvaluator(domain);
  constructor(
    private readonly msPerCall: number,
    private readonly msPerState: number,
  ) {}
  async evaluate(
    states: readonly ToyState[],
    requests: readonly ProposalRequest[] | null,
    rng: Rng,
  ): Promise<Evaluation<number>[]> {
    const until = performance.now() + this.msPerCall + this.msPerState * states.length;
    const out = await this.inner.evaluate(states, requests, rng);
    while (performance.now() < until) {
      // Busy-wait: simulated network time.
    }
    return out;
  }
}

interface Overhead {
  microsPerNode: number;
  nodes: number;
  searchMs: number;
  evaluatorMs: number;
}

async function measureOverhead(alg: SearchAlgorithm, seeds: number, nodes: number): Promise<Overhead> {
  let total = { nodes: 0, searchMs: 0, evaluatorMs: 0 };
  for (let s = -1; s < seeds; s++) {
    const task = domain.sampleTask(new Rng(1000 + s));
    const r = await alg.run({
      domain,
      evaluator: uniformEvaluator(domain),
      spec: task.spec,
      budget: { nodes, timeMs: 60_000 },
      rng: new Rng(s),
      stopOnSolve: false,
    });
    if (s < 0) continue; // warm-up run for the JIT
    total = {
      nodes: total.nodes + r.nodesExpanded,
      searchMs: total.searchMs + r.timeMs,
      evaluatorMs: total.evaluatorMs + (r.stats.evaluatorMs ?? 0),
    };
  }
  const microsPerNode = ((total.searchMs - total.evaluatorMs) * 1000) / Math.max(1, total.nodes);
  return { microsPerNode: round(microsPerNode, 3), ...total };
}

/** Cost of the domain calls every expanded node makes (step, isSolved, score, stateKey, isTerminal). */
function domainMicrosPerNode(n: number): number {
  const rng = new Rng(5);
  const task = domain.sampleTask(rng);
  let state = domain.initialState(task.spec);
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const a = rng.int(12);
    const r = domain.step(state, a);
    if (r.ok) {
      sink += domain.score(r.state) + (domain.isSolved(r.state) ? 1 : 0) + domain.stateKey(r.state).length;
      state = domain.isTerminal(r.state) ? domain.initialState(task.spec) : r.state;
    }
  }
  const us = ((performance.now() - t0) * 1000) / n;
  return sink === -1 ? 0 : us;
}

interface Overshoot {
  meanPct: number;
  p95Pct: number;
  maxPct: number;
  runs: number;
  meanNodes: number;
  stopReasons: Record<string, number>;
}

async function measureOvershoot(
  alg: SearchAlgorithm,
  runs: number,
  budgetMs: number,
  ev: CostlyEvaluator,
): Promise<Overshoot> {
  const pcts: number[] = [];
  const reasons: Record<string, number> = {};
  let nodes = 0;
  for (let i = 0; i < runs; i++) {
    const task = domain.sampleTask(new Rng(2000 + i));
    // Start each run from a clean heap when node runs with --expose-gc (NODE_OPTIONS=--expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    const r = await alg.run(
      {
        domain,
        evaluator: ev,
        spec: task.spec,
        budget: { timeMs: budgetMs },
        rng: new Rng(i),
        stopOnSolve: false,
      },
      // Deterministic beams would stop after their widest round; let them fill the budget.
      alg.id.startsWith('beam') ? { maxWidth: 1 << 20 } : {},
    );
    const wall = performance.now() - t0;
    pcts.push(((wall - budgetMs) / budgetMs) * 100);
    reasons[r.stopReason] = (reasons[r.stopReason] ?? 0) + 1;
    nodes += r.nodesExpanded;
  }
  const sorted = [...pcts].sort((a, b) => a - b);
  return {
    meanPct: round(pcts.reduce((a, b) => a + b, 0) / runs, 3),
    p95Pct: round(sorted[Math.min(runs - 1, Math.ceil(0.95 * runs) - 1)], 3),
    maxPct: round(Math.max(...pcts), 3),
    runs,
    meanNodes: Math.round(nodes / runs),
    stopReasons: reasons,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const seeds = quick ? 2 : 5;
  const nodes = quick ? 50_000 : 200_000;
  const runs = quick ? 5 : 20;
  const budgetMs = 200;
  const costly = { msPerCall: 0.1, msPerState: 0.02 };

  const overhead: Record<string, Overhead> = {};
  for (const alg of searchAlgorithms) {
    overhead[alg.id] = await measureOverhead(alg, seeds, nodes);
    console.log(
      `overhead ${alg.id}: ${overhead[alg.id].microsPerNode} µs/node over ${overhead[alg.id].nodes} nodes`,
    );
  }
  const domainUs = round(domainMicrosPerNode(1_000_000), 3);
  console.log(`toy domain calls: ${domainUs} µs/node`);

  const ev = new CostlyEvaluator(costly.msPerCall, costly.msPerState);
  const overshoot: Record<string, Overshoot> = {};
  for (const alg of searchAlgorithms) {
    overshoot[alg.id] = await measureOvershoot(alg, runs, budgetMs, ev);
    const o = overshoot[alg.id];
    console.log(`overshoot ${alg.id}: mean ${o.meanPct} %, p95 ${o.p95Pct} %, max ${o.maxPct} %`);
  }
  const all = Object.values(overshoot);
  const ids = searchAlgorithms.map((a) => a.id);
  ctx.write(
    'search.svg',
    barChartSvg([
      {
        title: 'Search overhead per expanded node (µs, evaluator excluded; goal ≤ 5)',
        unit: 'µs',
        goal: 5,
        bars: ids.map((id) => [id, overhead[id].microsPerNode]),
      },
      {
        title: `Time-budget overshoot, max of ${runs} runs × ${budgetMs} ms (%, goal ≤ 5)`,
        unit: '%',
        goal: 5,
        bars: ids.map((id) => [id, overshoot[id].maxPct]),
      },
    ]),
  );
  return {
    overheadMicrosPerNode: Object.fromEntries(ids.map((id) => [id, overhead[id].microsPerNode])),
    overheadWithoutDomainMicrosPerNode: Object.fromEntries(
      ids.map((id) => [id, round(overhead[id].microsPerNode - domainUs, 3)]),
    ),
    domainMicrosPerNode: domainUs,
    budgetOvershootPct: Math.max(...all.map((o) => o.maxPct)),
    budgetOvershootP95Pct: Math.max(...all.map((o) => o.p95Pct)),
    budgetOvershootMeanPct: round(all.reduce((a, o) => a + o.meanPct, 0) / all.length, 3),
    overshootByAlgorithm: overshoot,
    overheadDetail: overhead,
    setup: {
      domain: 'toy RPN fixture',
      overhead: { evaluator: 'uniform (its time excluded)', nodeBudget: nodes, tasks: seeds },
      overshoot: {
        runs,
        budgetMs,
        evaluatorMsPerCall: costly.msPerCall,
        evaluatorMsPerState: costly.msPerState,
      },
      node: process.version,
      // Other processes on a small machine cause scheduling hiccups: record the load during the run.
      loadAverage1m: round(loadavg()[0], 2),
      exposeGc: typeof (globalThis as { gc?: unknown }).gc === 'function',
      quick,
    },
  };
}
