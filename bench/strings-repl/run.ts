/**
 * REPL throughput of the strings domain: steps per second on one core, replaying the ground-truth
 * traces of random tasks with 4 examples (the search's hot path: step = run one action on every
 * example). Also reports random legal rollouts (which include failing steps) and feature encoding.
 */
import { Rng } from '../../src/core/index.js';
import {
  createStringsDomain,
  type StringsDomain,
  type StringsState,
} from '../../src/domains/strings/index.js';
import type { BenchContext } from '../run.js';

interface Tasks {
  spec: Parameters<StringsDomain['initialState']>[0];
  trace: readonly number[];
}

function timeIt(minMs: number, body: () => number): { steps: number; ms: number } {
  let steps = 0;
  const t0 = performance.now();
  let ms = 0;
  while (ms < minMs) {
    steps += body();
    ms = performance.now() - t0;
  }
  return { steps, ms };
}

function replayAll(d: StringsDomain, tasks: Tasks[]): number {
  let n = 0;
  for (const t of tasks) {
    let s = d.initialState(t.spec);
    for (const a of t.trace) {
      const r = d.step(s, a);
      if (!r.ok) throw new Error(`trace failed: ${r.reason}`);
      s = r.state;
      n++;
    }
  }
  return n;
}

function rollouts(d: StringsDomain, tasks: Tasks[], rng: Rng): number {
  let n = 0;
  for (const t of tasks) {
    let s: StringsState = d.initialState(t.spec);
    for (let k = 0; k < 30; k++) {
      const a = d.randomLegalAction(s, rng);
      if (a === null) break;
      const r = d.step(s, a);
      n++;
      if (!r.ok) break;
      s = r.state;
    }
  }
  return n;
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const minMs = quick ? 500 : 3000;
  const out: Record<string, unknown> = {};
  for (const mode of ['paper', 'extended'] as const) {
    const d = createStringsDomain({ mode });
    const rng = new Rng(`bench/${mode}`);
    const tasks: Tasks[] = Array.from({ length: 2000 }, () => d.sampleTask(rng));
    replayAll(d, tasks); // warm up the JIT
    const r = timeIt(minMs, () => replayAll(d, tasks));
    const roll = timeIt(minMs / 2, () => rollouts(d, tasks, rng));
    const states: StringsState[] = [];
    for (const t of tasks.slice(0, 256)) {
      let s = d.initialState(t.spec);
      for (const a of t.trace) {
        const x = d.step(s, a);
        if (!x.ok) break;
        s = x.state;
        states.push(s);
      }
    }
    const enc = timeIt(minMs / 2, () => (d.features!.encode(states), states.length));
    out[mode] = {
      actions: d.actionSpace.size,
      meanTraceLength: tasks.reduce((a, t) => a + t.trace.length, 0) / tasks.length,
      replStepsPerSec: Math.round((r.steps / r.ms) * 1000),
      randomRolloutStepsPerSec: Math.round((roll.steps / roll.ms) * 1000),
      featureStatesPerSec: Math.round((enc.steps / enc.ms) * 1000),
    };
    console.log(mode, out[mode]);
  }
  const paper = out.paper as { replStepsPerSec: number };
  return {
    // One process, one thread: the figure is per core.
    replStepsPerSecPerCore: paper.replStepsPerSec,
    examplesPerTask: 4,
    ...out,
  };
}
