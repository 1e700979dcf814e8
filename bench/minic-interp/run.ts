/**
 * Interpreter speed on one core: program runs per second (a program compiled once, then run on
 * many inputs) for dataset programs and for random walks of the token grammar; compilations per
 * second; dataset tasks generated per second (what `replsynth data minic` does per task).
 */
import { Rng } from '../../src/core/index.js';
import {
  PROBES,
  compileProgram,
  generateDataset,
  sampleSplitTask,
  tokenCount,
  type CompiledProgram,
  type Program,
} from '../../src/domains/minic/index.js';
import { inputsFor, walkProgram } from '../../src/domains/minic/gcc-harness.test-util.js';
import type { BenchContext } from '../run.js';

/** Runs `f` repeatedly for about `ms` milliseconds; returns units per second. */
function rate(ms: number, f: () => number): number {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) n += f();
  return n / ((performance.now() - t0) / 1000);
}

function runsPerSec(ms: number, programs: readonly Program[], inputs: readonly Int32Array[]): number {
  const compiled: CompiledProgram[] = programs.map((p) => compileProgram(p));
  const out = new Int32Array(5);
  let k = 0;
  const pass = (): number => {
    const c = compiled[k++ % compiled.length];
    for (const input of inputs) c.run(input, out);
    return inputs.length;
  };
  rate(ms / 4, pass); // warm up the JIT
  return rate(ms, pass);
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const ms = ctx.args.includes('--quick') ? 500 : 3000;
  const rng = new Rng('bench/minic');
  const dataset = Array.from({ length: 2000 }, () => sampleSplitTask(rng, 'train').program);
  const walks = Array.from({ length: 2000 }, () => walkProgram(rng));
  const inputs = [...PROBES, ...inputsFor(rng, 16, 0).map((i) => Int32Array.from(i))];
  const mean = (ps: readonly Program[]): number => ps.reduce((a, p) => a + tokenCount(p), 0) / ps.length;
  let j = 0;
  const compilesPerSec = rate(ms, () => (compileProgram(dataset[j++ % dataset.length]), 1));
  const t0 = performance.now();
  generateDataset({ train: 5000, val: 0, test: 0 }, 1, {}, () => {});
  const tasksPerSec = 5000 / ((performance.now() - t0) / 1000);
  const out = {
    runsPerSecPerCore: Math.round(runsPerSec(ms, dataset, inputs)),
    datasetProgramMeanTokens: Number(mean(dataset).toFixed(1)),
    grammarWalkRunsPerSec: Math.round(runsPerSec(ms, walks, inputs)),
    grammarWalkMeanTokens: Number(mean(walks).toFixed(1)),
    compilesPerSec: Math.round(compilesPerSec),
    datasetTasksPerSec: Math.round(tasksPerSec),
  };
  console.log(out);
  return out;
}
