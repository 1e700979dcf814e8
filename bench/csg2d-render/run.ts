/**
 * csg2d rasterizer and REPL speed: whole-program renders per second (primitives cached, operators as
 * word ops), cold primitive rasterizations per second, REPL steps per second (random legal lines and
 * ground-truth replays), scenes generated per second and feature encodings per second.
 */
import { Rng, replay } from '../../src/core/index.js';
import {
  ALL_PRIMITIVES,
  createCsg2dDomain,
  generateScene,
  insidePrimitive,
  renderProgram,
  type Csg2dAction,
  type Csg2dState,
  type Program,
} from '../../src/domains/csg2d/index.js';
import type { BenchContext } from '../run.js';

/** Runs `f` repeatedly for about `ms` milliseconds; returns calls per second. */
function rate(ms: number, f: () => number): number {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) n += f();
  return n / ((performance.now() - t0) / 1000);
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const ms = ctx.args.includes('--quick') ? 300 : 2000;
  const domain = createCsg2dDomain();
  const rng = new Rng(1);
  const programs: Program[] = [];
  for (let i = 0; i < 200; i++) programs.push(generateScene(rng, { maxShapes: 13 }).program);
  for (const p of programs) renderProgram(p); // warm the primitive cache
  let k = 0;
  const rendersPerSec = rate(ms, () => {
    renderProgram(programs[k++ % programs.length]);
    return 1;
  });

  // Cold rasterization of one primitive (what the cache saves), via the point test on all pixels.
  let j = 0;
  const primitiveRastersPerSec = rate(ms, () => {
    const p = ALL_PRIMITIVES[j++ % ALL_PRIMITIVES.length];
    let on = 0;
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) if (insidePrimitive(p, (x + 0.5) / 2, (y + 0.5) / 2)) on++;
    return on >= 0 ? 1 : 0;
  });

  const tasks = Array.from({ length: 100 }, (_, i) => domain.sampleTask(new Rng(i)));
  let t = 0;
  const replaySteps = rate(ms, () => {
    const task = tasks[t++ % tasks.length];
    replay<unknown, Csg2dState, Csg2dAction>(domain, task.spec, task.trace);
    return task.trace.length;
  });

  const spec = tasks[0].spec;
  const rr = new Rng(2);
  const replStepsPerSec = rate(ms, () => {
    let s = domain.initialState(spec);
    let n = 0;
    for (let d = 0; d < 20; d++) {
      const a = domain.randomLegalAction(s, rr);
      if (a === null) break;
      const r = domain.step(s, a);
      n++;
      if (r.ok) s = r.state;
    }
    return n;
  });

  const sr = new Rng(3);
  const scenesPerSec = rate(ms, () => (domain.sampleTask(sr, { maxSize: 13 }), 1));

  const states = replay(domain, tasks[0].spec, tasks[0].trace).states;
  const featureStatesPerSec = rate(ms, () => (domain.features!.encode(states), states.length));

  const result = {
    rendersPerSec: Math.round(rendersPerSec),
    meanLinesPerProgram:
      programs.reduce((a, p) => a + JSON.stringify(p).split('"op"').length - 1, 0) / programs.length,
    primitiveRastersPerSec: Math.round(primitiveRastersPerSec),
    replStepsPerSec: Math.round(replStepsPerSec),
    replayStepsPerSec: Math.round(replaySteps),
    scenesPerSec: Math.round(scenesPerSec),
    featureStatesPerSec: Math.round(featureStatesPerSec),
    actionSpaceSize: domain.actionSpace.size,
  };
  console.log(result);
  return result;
}
