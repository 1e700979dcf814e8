/**
 * csg3d voxelizer and REPL speed: whole-program renders per second of wall time and of CPU time
 * (primitives cached, operators as 1,024-word operations), cold primitive voxelizations per second, REPL steps per second (random legal
 * lines and ground-truth replays), scenes generated per second, feature encodings per second, and the
 * cost of a refiner scan over all 34,327 primitives, an STL export and a comparison render.
 * `npm run bench -- csg3d-render [--quick]`.
 */
import { loadavg } from 'node:os';
import { Rng, replay } from '../../src/core/index.js';
import {
  ALL_PRIMITIVES,
  bestPrimitiveFor,
  comparisonPng,
  createCsg3dDomain,
  generateScene,
  lineCount,
  renderProgram,
  toStl,
  voxelizePrimitive,
  WORDS,
  type Csg3dAction,
  type Csg3dState,
  type Program,
} from '../../src/domains/csg3d/index.js';
import type { BenchContext } from '../run.js';

/** Runs `f` repeatedly for about `ms` milliseconds; returns calls per second. */
function rate(ms: number, f: () => number): number {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) n += f();
  return n / ((performance.now() - t0) / 1000);
}

/** As `rate`, per second of this process's CPU time (user + system): the rate on a loaded machine. */
function cpuRate(ms: number, f: () => number): number {
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const c0 = cpu();
  let n = 0;
  while (cpu() - c0 < ms) n += f();
  return n / ((cpu() - c0) / 1000);
}

const timed = (f: () => unknown): number => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const ms = ctx.args.includes('--quick') ? 300 : 2000;
  const domain = createCsg3dDomain();
  const rng = new Rng(1);
  const programs: Program[] = [];
  for (let i = 0; i < 200; i++) programs.push(generateScene(rng, { maxShapes: 13 }).program);
  for (const p of programs) renderProgram(p); // warm the primitive cache
  let k = 0;
  const rendersPerSec = rate(ms, () => (renderProgram(programs[k++ % programs.length]), 1));
  const rendersPerCpuSec = cpuRate(ms, () => (renderProgram(programs[k++ % programs.length]), 1));
  let j = 0;
  const coldPrimitivesPerSec = rate(
    ms,
    () => (voxelizePrimitive(ALL_PRIMITIVES[(j += 7919) % ALL_PRIMITIVES.length]), 1),
  );

  const tasks = Array.from({ length: 50 }, (_, i) => domain.sampleTask(new Rng(i)));
  let t = 0;
  const replayStepsPerSec = rate(ms, () => {
    const task = tasks[t++ % tasks.length];
    replay<unknown, Csg3dState, Csg3dAction>(domain, task.spec, task.trace);
    return task.trace.length;
  });
  const rr = new Rng(2);
  const replStepsPerSec = rate(ms, () => {
    let s = domain.initialState(tasks[0].spec);
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

  const target = renderProgram(programs[0]);
  const full = new Uint32Array(WORDS).fill(0xffffffff);
  const bankMs = timed(() => bestPrimitiveFor(full, renderProgram(programs[1]), target));
  const scans = 10;
  const refineScanMs =
    timed(() => {
      for (let i = 0; i < scans; i++) bestPrimitiveFor(full, renderProgram(programs[2 + i]), target);
    }) / scans;
  const stlMs = timed(() => toStl(programs[0]));
  const pngMs = timed(() => comparisonPng(target, renderProgram(programs[1])));

  const result = {
    loadAverage: loadavg(),
    rendersPerSec: Math.round(rendersPerSec),
    rendersPerCpuSec: Math.round(rendersPerCpuSec),
    meanLinesPerProgram: programs.reduce((a, p) => a + lineCount(p), 0) / programs.length,
    coldPrimitivesPerSec: Math.round(coldPrimitivesPerSec),
    replStepsPerSec: Math.round(replStepsPerSec),
    replayStepsPerSec: Math.round(replayStepsPerSec),
    scenesPerSec: Math.round(scenesPerSec),
    featureStatesPerSec: Math.round(featureStatesPerSec),
    refineBankBuildMs: Math.round(bankMs),
    refineScanMs: Number(refineScanMs.toFixed(2)),
    stlExportMs: Math.round(stlMs),
    comparisonPngMs: Math.round(pngMs),
    actionSpaceSize: domain.actionSpace.size,
  };
  console.log(result);
  return result;
}
