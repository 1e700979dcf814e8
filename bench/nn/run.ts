/**
 * Neural-engine benchmark: training steps/s and inference states/s of (a) the 4-conv CNN and (b) the
 * string policy, beside @tensorflow/tfjs (cpu backend) on the same models in the same run, plus achieved
 * GFLOPS against the machine's peak (a 1024³ MatMul in ORT). `--quick` skips the slow tfjs training steps.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.js';
import { Graph, createTrainer, exportModel, op, rtTensor, Session } from '../../src/nn/index.js';
import { cnn4, cnn4Bench } from '../../src/nn/zoo/cnn4.js';
import { stringPolicy, stringPolicyPaper } from '../../src/nn/zoo/string-policy.js';
import type { BenchContext } from '../run.js';
import { cnnBatch, cnnFlops, stringBatch, stringFlops } from './models.js';
import { tfCnn, tfStringPolicy, tfTrainStepMs } from './tfjs-models.js';
import { barChart } from './svg.js';

const THREADS = 2;

const medians: Record<string, number> = {};

/**
 * Best-of-`reps` wall time: other processes share this 2-core machine, and the minimum is the statistic
 * least disturbed by them (medians are recorded too, under `medianMs`).
 */
async function timeMs(name: string, f: () => Promise<unknown>, reps: number, warm = 2): Promise<number> {
  for (let i = 0; i < warm; i++) await f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  medians[name] = Math.round(ts[Math.floor(ts.length / 2)] * 100) / 100;
  return ts[0];
}

const r2 = (x: number) => Math.round(x * 100) / 100;

async function peakGflops(): Promise<number> {
  const n = 1024;
  const g = new Graph();
  const a = g.input('a', [n, n]);
  const b = g.input('b', [n, n]);
  const s = await Session.create(exportModel({ outputs: { c: op.matmul(a, b) } }).bytes, {
    threads: THREADS,
  });
  const rng = new Rng(1);
  const data = () => Float32Array.from({ length: n * n }, () => rng.float());
  const feeds = { a: rtTensor('float32', data(), [n, n]), b: rtTensor('float32', data(), [n, n]) };
  const ms = await timeMs('peakMatmul', () => s.run(feeds), 10);
  await s.release();
  return (2 * n ** 3) / (ms * 1e6);
}

/**
 * Theoretical fp32 peak from /proc/cpuinfo: cores × clock × FLOPs per cycle (AVX-512: 2 FMA units × 16
 * lanes × 2 = 64; AVX2+FMA: 32). An upper bound: the virtualised CPU may have one 512-bit FMA unit.
 */
function theoreticalPeak(): { gflops: number; ghz: number; flopsPerCycle: number } {
  let info: string;
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return { gflops: NaN, ghz: NaN, flopsPerCycle: NaN };
  }
  const ghz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(info)?.[1] ?? NaN) / 1000;
  const flopsPerCycle = /\bavx512f\b/.test(info) ? 64 : /\bfma\b/.test(info) ? 32 : 8;
  return { gflops: r2(availableParallelism() * ghz * flopsPerCycle), ghz, flopsPerCycle };
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const loadBefore = loadavg()[0];
  const rng = new Rng('bench-nn');
  await tf.setBackend('cpu');
  const peak = await peakGflops();
  const theory = theoreticalPeak();
  console.log(`peak (ORT MatMul 1024³, ${THREADS} threads): ${peak.toFixed(1)} GFLOPS`);

  // (a) 4-conv CNN, batch 32, 2×64×64, max-pool.
  const B = 32;
  const cnnTrainer = await createTrainer(cnn4(cnn4Bench), { threads: THREADS, seed: 1 });
  const cb = cnnBatch(cnn4Bench, B, rng);
  const cnnTrainMs = await timeMs('cnnTrain', () => cnnTrainer.step({ x: cb.x, y: cb.y }), 15);
  console.log(`cnn train step (replsynth): ${cnnTrainMs.toFixed(1)} ms`);
  const cnnInfer = await cnnTrainer.exportInference({ threads: THREADS });
  const cnnForwardMs = await timeMs('cnnForward', () => cnnInfer.run({ x: cb.x }), 30);
  console.log(`cnn forward batch ${B}: ${cnnForwardMs.toFixed(1)} ms`);
  const strideTrainer = await createTrainer(cnn4({ ...cnn4Bench, downsample: 'stride' }), {
    threads: THREADS,
    seed: 1,
  });
  const cnnStrideTrainMs = await timeMs('cnnStrideTrain', () => strideTrainer.step({ x: cb.x, y: cb.y }), 15);
  console.log(`cnn (stride-2) train step: ${cnnStrideTrainMs.toFixed(1)} ms`);

  let cnnTrainMsTfjs: number | null = null;
  let cnnForwardMsTfjs: number | null = null;
  if (!quick) {
    const m = tfCnn(cnn4Bench);
    const x = tf.transpose(tf.tensor4d(cb.x, [B, 2, 64, 64]), [0, 2, 3, 1]) as tf.Tensor4D;
    const y = tf.tensor1d(cb.y, 'int32');
    const t0 = performance.now();
    await tf.tidy(() => m.forward(x)).data();
    cnnForwardMsTfjs = performance.now() - t0;
    console.log(`cnn forward (tfjs cpu, first call): ${cnnForwardMsTfjs.toFixed(0)} ms; one training step…`);
    cnnTrainMsTfjs = await tfTrainStepMs(() => m.forward(x), y, cnn4Bench.classes);
    console.log(`cnn train step (tfjs cpu): ${cnnTrainMsTfjs.toFixed(0)} ms`);
  }

  // (b) string policy, batch 256 states.
  const so = stringPolicyPaper;
  const SB = 256;
  const sTrainer = await createTrainer(stringPolicy(so), { threads: THREADS, seed: 2 });
  const sb = stringBatch(so, SB, rng);
  const stringTrainMs = await timeMs('stringTrain', () => sTrainer.step(sb), 8, 1);
  console.log(
    `string policy train step batch ${SB}: ${stringTrainMs.toFixed(1)} ms (${sTrainer.store.count()} params)`,
  );
  const sInfer = await sTrainer.exportInference({ threads: THREADS });
  const sFeeds = { chars: sb.chars, masks: sb.masks, last: sb.last };
  const stringInferMs = await timeMs('stringInfer', () => sInfer.run(sFeeds), 20);
  const stringPolicyStatesPerSec = (SB / stringInferMs) * 1000;
  console.log(
    `string policy inference: ${stringInferMs.toFixed(1)} ms per ${SB} states = ${stringPolicyStatesPerSec.toFixed(0)} states/s`,
  );

  const sm = tfStringPolicy(so);
  const tb: Record<string, tf.Tensor> = {
    chars: tf.tensor4d(sb.chars as Int32Array, [SB, so.examples, so.slots, so.positions], 'int32'),
    masks: tf.tensor4d(sb.masks as Float32Array, [SB, so.examples, so.maskRows, so.positions]),
    last: tf.tensor1d(sb.last as Int32Array, 'int32'),
  };
  const tfInferMs = await timeMs(
    'stringInferTfjs',
    async () => tf.tidy(() => sm.forward(tb)).data(),
    quick ? 1 : 3,
    1,
  );
  const stringPolicyStatesPerSecTfjs = (SB / tfInferMs) * 1000;
  console.log(`string policy inference (tfjs cpu): ${stringPolicyStatesPerSecTfjs.toFixed(0)} states/s`);
  // One tfjs step of this model takes minutes; --quick skips it.
  const stringTrainMsTfjs = quick
    ? NaN
    : await tfTrainStepMs(() => sm.forward(tb), tf.tensor1d(sb.action as Int32Array, 'int32'), so.actions);
  console.log(`string policy train step (tfjs cpu): ${stringTrainMsTfjs.toFixed(0)} ms`);

  const cnnForwardGflops = (cnnFlops(cnn4Bench) * B) / (cnnForwardMs * 1e6);
  const stringGflops = (stringFlops(so) * SB) / (stringInferMs * 1e6);
  const result = {
    threads: THREADS,
    // Other processes share this machine; the 1-minute load average tells how much (2 = both cores busy).
    loadAverage: { before: r2(loadBefore), after: r2(loadavg()[0]) },
    cnnTrainMsReplsynth: r2(cnnTrainMs),
    cnnTrainStepsPerSec: r2(1000 / cnnTrainMs),
    cnnTrainMsTfjs: cnnTrainMsTfjs === null ? null : r2(cnnTrainMsTfjs),
    cnnTrainSpeedupVsTfjs: cnnTrainMsTfjs === null ? null : r2(cnnTrainMsTfjs / cnnTrainMs),
    cnnStrideTrainMsReplsynth: r2(cnnStrideTrainMs),
    cnnForwardMs: r2(cnnForwardMs),
    cnnForwardMsTfjs: cnnForwardMsTfjs === null ? null : r2(cnnForwardMsTfjs),
    cnnForwardStatesPerSec: r2((B / cnnForwardMs) * 1000),
    stringPolicyParams: sTrainer.store.count(),
    stringPolicyTrainMs: r2(stringTrainMs),
    stringPolicyTrainMsTfjs: quick ? null : r2(stringTrainMsTfjs),
    stringPolicyTrainSpeedupVsTfjs: quick ? null : r2(stringTrainMsTfjs / stringTrainMs),
    stringPolicyStatesPerSec: r2(stringPolicyStatesPerSec),
    stringPolicyStatesPerSecTfjs: r2(stringPolicyStatesPerSecTfjs),
    gflops: {
      cnnForward: r2(cnnForwardGflops),
      stringPolicyForward: r2(stringGflops),
      /** Measured: a 1024³ MatMul in ORT on the same threads. */
      peakMatmul: r2(peak),
      peakTheoretical: theory.gflops,
      peakTheoreticalBasis: `${availableParallelism()} cores × ${theory.ghz} GHz × ${theory.flopsPerCycle} FLOP/cycle`,
      cnnForwardFractionOfTheoretical: r2(cnnForwardGflops / theory.gflops),
      stringPolicyFractionOfMatmulPeak: r2(stringGflops / peak),
      stringPolicyFractionOfTheoretical: r2(stringGflops / theory.gflops),
    },
    medianMs: medians,
    timing: 'best of N runs after warm-up (medians in medianMs); tfjs: one step',
    bars: {
      cnnTrainMsMax: 130,
      cnnSpeedupMin: 100,
      cnnForwardMsMax: 30,
      stringStatesPerSecMin: 1500,
    },
  };
  ctx.write(
    'nn.svg',
    barChart('replsynth nn vs tfjs cpu (2 threads)', [
      { label: 'CNN train step ms (replsynth)', value: cnnTrainMs },
      { label: 'CNN train step ms (tfjs)', value: cnnTrainMsTfjs ?? 0 },
      { label: 'CNN forward ms (batch 32)', value: cnnForwardMs },
      { label: 'string policy train ms (replsynth)', value: stringTrainMs },
      { label: 'string policy train ms (tfjs)', value: quick ? 0 : stringTrainMsTfjs },
      { label: 'string policy states/s (replsynth)', value: stringPolicyStatesPerSec },
      { label: 'string policy states/s (tfjs)', value: stringPolicyStatesPerSecTfjs },
    ]),
  );
  return result;
}
