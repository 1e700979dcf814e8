/**
 * Neural-engine benchmark: training steps/s and inference states/s of (a) the 4-conv CNN and (b) the
 * string policy, beside @tensorflow/tfjs (cpu backend) on the same models in the same run; training steps
 * of (c) an LSTM encoder-decoder with attention (src/nn/zoo/seq2seq.ts) and (d) the csg2d network as its
 * learner trains it; FLOP counts and achieved GFLOPS against the machine's peak (a 1024³ MatMul in ORT).
 * `--quick` skips the slow tfjs training steps. `--torch` also times the PyTorch twins of (a)–(c)
 * (bench/nn/torch_bench.py, Debian's python3-torch), alternating blocks of our runs and torch's.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/rng.js';
import { Graph, createTrainer, exportModel, op, rtTensor, Session } from '../../src/nn/index.js';
import { cnn4, cnn4Bench } from '../../src/nn/zoo/cnn4.js';
import { stringPolicy, stringPolicyPaper } from '../../src/nn/zoo/string-policy.js';
import type { BenchContext } from '../run.js';
import { seq2seq, seq2seqBench } from '../../src/nn/zoo/seq2seq.js';
import { trainingFlops } from './flops.js';
import { cnnBatch, cnnFlops, csg2dBench, seq2seqBatch, stringBatch, stringFlops } from './models.js';
import { TorchBench } from './torch.js';
import { tfCnn, tfStringPolicy, tfTrainStepMs } from './tfjs-models.js';
import { barChart } from './svg.js';

const THREADS = 2;

const medians: Record<string, number> = {};
const samples: Record<string, number[]> = {};
/** Process CPU time per run (all threads, ms): less disturbed by other processes than wall time. */
const cpuMedians: Record<string, number> = {};
const cpuSamples: Record<string, number[]> = {};

const median = (xs: readonly number[]): number => {
  const ts = [...xs].sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
};

function record(name: string, ms: readonly number[]): void {
  (samples[name] ??= []).push(...ms);
  medians[name] = Math.round(median(samples[name]) * 100) / 100;
}

function recordCpu(name: string, ms: readonly number[]): void {
  (cpuSamples[name] ??= []).push(...ms);
  cpuMedians[name] = Math.round(median(cpuSamples[name]) * 100) / 100;
}

/** Wall times of `reps` runs; their CPU times go to cpuMedians under `name` when given. */
async function runs(f: () => Promise<unknown>, reps: number, name?: string): Promise<number[]> {
  const ts: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  if (name) recordCpu(name, cpu);
  return ts;
}

/**
 * Best-of-`reps` wall time: other processes share this 2-core machine, and the minimum is the statistic
 * least disturbed by them (medians are recorded too, under `medianMs`).
 */
async function timeMs(name: string, f: () => Promise<unknown>, reps: number, warm = 2): Promise<number> {
  for (let i = 0; i < warm; i++) await f();
  record(name, await runs(f, reps));
  return Math.min(...samples[name]);
}

interface Contender {
  name: string;
  ours?: () => Promise<unknown>;
  torch?: { key: string; op: 'train' | 'forward' };
}

/**
 * Alternates blocks of `reps` runs of each contender (ours, torch, ours, torch …) for `rounds` rounds,
 * after `warm` runs each, so that load from other processes falls on both alike. Returns best-of times.
 */
async function alternate(
  torch: TorchBench | null,
  contenders: readonly Contender[],
  rounds: number,
  reps: number,
  warm = 2,
): Promise<Record<string, number>> {
  const live = contenders.filter((c) => c.ours || (torch && c.torch));
  for (const c of live)
    if (c.ours) for (let i = 0; i < warm; i++) await c.ours();
    else await torch!.time(c.torch!.key, c.torch!.op, 0, warm);
  for (let r = 0; r < rounds; r++)
    for (const c of live)
      if (c.ours) record(c.name, await runs(c.ours, reps, c.name));
      else {
        const t = await torch!.timeWithCpu(c.torch!.key, c.torch!.op, reps);
        record(c.name, t.ms);
        recordCpu(c.name, t.cpuMs);
      }
  return Object.fromEntries(live.map((c) => [c.name, Math.min(...samples[c.name])]));
}

/** The 1-minute load average before and after each part (2 = both cores busy). */
const loads: Record<string, { before: number; after: number }> = {};
async function measured<T>(part: string, f: () => Promise<T>): Promise<T> {
  const before = loadavg()[0];
  const r = await f();
  loads[part] = { before: r2(before), after: r2(loadavg()[0]) };
  console.log(`  (load average ${loads[part].before} → ${loads[part].after})`);
  return r;
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
  const torch = ctx.args.includes('--torch') ? TorchBench.start() : null;
  const loadBefore = loadavg()[0];
  const rng = new Rng('bench-nn');
  await tf.setBackend('cpu');
  const peak = await peakGflops();
  const theory = theoreticalPeak();
  console.log(`peak (ORT MatMul 1024³, ${THREADS} threads): ${peak.toFixed(1)} GFLOPS`);

  // (a) 4-conv CNN, batch 32, 2×64×64, max-pool (and the stride-2 variant).
  const B = 32;
  const cnnTrainer = await createTrainer(cnn4(cnn4Bench), { threads: THREADS, seed: 1 });
  const cb = cnnBatch(cnn4Bench, B, rng);
  const strideTrainer = await createTrainer(cnn4({ ...cnn4Bench, downsample: 'stride' }), {
    threads: THREADS,
    seed: 1,
  });
  if (torch) {
    await torch.setup('cnnTrainTorch', 'cnn4', cnn4Bench, B, true);
    await torch.setup('cnnTrainTorchNchw', 'cnn4', cnn4Bench, B, false);
    await torch.setup('cnnStrideTrainTorch', 'cnn4', { ...cnn4Bench, downsample: 'stride' }, B, true);
  }
  console.log('cnn training steps (ours and torch alternating)…');
  const cnnT = await measured('cnnTrain', () =>
    alternate(
      torch,
      [
        { name: 'cnnTrain', ours: () => cnnTrainer.step({ x: cb.x, y: cb.y }) },
        { name: 'cnnTrainTorch', torch: { key: 'cnnTrainTorch', op: 'train' } },
        { name: 'cnnStrideTrain', ours: () => strideTrainer.step({ x: cb.x, y: cb.y }) },
        { name: 'cnnStrideTrainTorch', torch: { key: 'cnnStrideTrainTorch', op: 'train' } },
        { name: 'cnnTrainTorchNchw', torch: { key: 'cnnTrainTorchNchw', op: 'train' } },
      ],
      quick ? 4 : 5,
      5,
    ),
  );
  const cnnTrainMs = cnnT.cnnTrain;
  const cnnStrideTrainMs = cnnT.cnnStrideTrain;
  console.log(
    `cnn train step (replsynth): ${cnnTrainMs.toFixed(1)} ms; stride-2: ${cnnStrideTrainMs.toFixed(1)} ms`,
  );
  const cnnInfer = await cnnTrainer.exportInference({ threads: THREADS });
  const cnnForwardMs = await measured('cnnForward', () =>
    timeMs('cnnForward', () => cnnInfer.run({ x: cb.x }), 30),
  );
  console.log(`cnn forward batch ${B}: ${cnnForwardMs.toFixed(1)} ms`);

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
  if (torch) await torch.setup('stringTrainTorch', 'string', so, SB);
  console.log('string policy training steps…');
  const sT = await measured('stringTrain', () =>
    alternate(
      torch,
      [
        { name: 'stringTrain', ours: () => sTrainer.step(sb) },
        { name: 'stringTrainTorch', torch: { key: 'stringTrainTorch', op: 'train' } },
      ],
      4,
      quick ? 3 : 4,
      1,
    ),
  );
  const stringTrainMs = sT.stringTrain;
  console.log(
    `string policy train step batch ${SB}: ${stringTrainMs.toFixed(1)} ms (${sTrainer.store.count()} params)`,
  );
  const sInfer = await sTrainer.exportInference({ threads: THREADS });
  const sFeeds = { chars: sb.chars, masks: sb.masks, last: sb.last };
  const stringInferMs = await measured('stringInfer', () =>
    timeMs('stringInfer', () => sInfer.run(sFeeds), 20),
  );
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

  // (c) LSTM encoder-decoder with attention, teacher-forced, batch 32.
  const QB = 32;
  const qTrainer = await createTrainer(seq2seq(seq2seqBench), { threads: THREADS, seed: 3 });
  const qb = seq2seqBatch(seq2seqBench, QB, rng);
  if (torch) await torch.setup('seq2seqTrainTorch', 'seq2seq', seq2seqBench, QB);
  console.log('seq2seq training steps…');
  const qT = await measured('seq2seqTrain', () =>
    alternate(
      torch,
      [
        { name: 'seq2seqTrain', ours: () => qTrainer.step(qb) },
        { name: 'seq2seqTrainTorch', torch: { key: 'seq2seqTrainTorch', op: 'train' } },
      ],
      quick ? 2 : 3,
      2,
      1,
    ),
  );
  console.log(`seq2seq train step batch ${QB}: ${qT.seq2seqTrain.toFixed(1)} ms`);

  // (d) csg2d: the learner's own training step on 32 expert pairs.
  const cs = await csg2dBench(rng);
  console.log('csg2d training steps…');
  const cT = await measured('csg2dTrain', () =>
    alternate(
      null,
      [
        { name: 'csg2dTrain', ours: () => cs.learner.trainer.step(cs.batch) },
        { name: 'csg2dLearnerStep', ours: () => cs.learner.trainPolicy(cs.examples) },
      ],
      quick ? 3 : 5,
      4,
    ),
  );
  console.log(
    `csg2d train step batch ${cs.batchSize}: ${cT.csg2dTrain.toFixed(1)} ms (trainPolicy incl. features: ${cT.csg2dLearnerStep.toFixed(1)} ms)`,
  );
  await cs.learner.dispose();
  if (torch) await torch.close();

  const flops = {
    cnnTrain: trainingFlops(cnn4(cnn4Bench), B),
    cnnStrideTrain: trainingFlops(cnn4({ ...cnn4Bench, downsample: 'stride' }), B),
    stringTrain: trainingFlops(stringPolicy(so), SB),
    seq2seqTrain: trainingFlops(seq2seq(seq2seqBench), QB),
    csg2dTrain: trainingFlops(cs.def, cs.batchSize),
  };
  /** Achieved GFLOPS of a training step at its median time. */
  const trainGflops = (k: keyof typeof flops) => r2(flops[k].train / (medians[k] * 1e6));
  const cnnForwardGflops = (cnnFlops(cnn4Bench) * B) / (cnnForwardMs * 1e6);
  const stringGflops = (stringFlops(so) * SB) / (stringInferMs * 1e6);
  const speed = (k: string) =>
    medians[`${k}Torch`] !== undefined ? r2(medians[`${k}Torch`] / medians[k]) : null;
  const result = {
    threads: THREADS,
    // Other processes share this machine; the 1-minute load average tells how much (2 = both cores busy).
    loadAverage: { before: r2(loadBefore), after: r2(loadavg()[0]), parts: loads },
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
    seq2seqParams: qTrainer.store.count(),
    seq2seqTrainMs: r2(qT.seq2seqTrain),
    csg2dParams: cs.learner.trainer.store.count(),
    csg2dTrainMs: r2(cT.csg2dTrain),
    csg2dLearnerStepMs: r2(cT.csg2dLearnerStep),
    /** FLOPs per step (2 per multiply-add of Conv/MatMul/Gemm; backward = weight + input gradients). */
    flops: Object.fromEntries(
      Object.entries(flops).map(([k, v]) => [k, { forward: v.forward, train: v.train }]),
    ),
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
      /** Training steps at their median time, and as a fraction of the measured MatMul peak. */
      train: Object.fromEntries(
        (Object.keys(flops) as (keyof typeof flops)[]).map((k) => [
          k,
          { gflops: trainGflops(k), fractionOfMatmulPeak: r2(trainGflops(k) / peak) },
        ]),
      ),
    },
    medianMs: medians,
    /** PyTorch 1.13 (Debian, oneDNN + OpenBLAS, 2 threads) on the same networks, alternating with ours. */
    torch: torch
      ? {
          ompWaitPolicy: process.env.TORCH_OMP_WAIT_POLICY ?? 'PASSIVE',
          medianMs: Object.fromEntries(Object.entries(medians).filter(([k]) => k.includes('Torch'))),
          /** Process CPU time per step (ms, all threads; medians), ours and torch's. */
          cpuMedianMs: cpuMedians,
          /** torch CPU median / ours: the speed-up when both compete for busy cores. */
          cpuSpeedupOfMedians: Object.fromEntries(
            Object.keys(cpuMedians)
              .filter((k) => cpuMedians[`${k}Torch`] !== undefined)
              .map((k) => [k, r2(cpuMedians[`${k}Torch`] / cpuMedians[k])]),
          ),
          /** torch median / our median (> 1: ours is faster). */
          speedupOfMedians: {
            cnnTrain: speed('cnnTrain'),
            cnnTrainVsNchw: r2(medians.cnnTrainTorchNchw / medians.cnnTrain),
            cnnStrideTrain: speed('cnnStrideTrain'),
            stringTrain: speed('stringTrain'),
            seq2seqTrain: speed('seq2seqTrain'),
          },
        }
      : null,
    timing:
      'best of N runs after warm-up (medians in medianMs); training steps in alternating blocks with torch when --torch; tfjs: one step',
    bars: {
      cnnTrainMsMax: 130,
      cnnSpeedupMin: 100,
      cnnForwardMsMax: 30,
      stringStatesPerSecMin: 1500,
      cnnTrainSpeedupVsTorchMin: 1.5,
      stringTrainSpeedupVsTorchMin: 2,
    },
  };
  ctx.write(
    'nn.svg',
    barChart('replsynth nn vs tfjs cpu (2 threads)', [
      { label: 'CNN train step ms (replsynth)', value: cnnTrainMs },
      { label: 'CNN train step ms (tfjs)', value: cnnTrainMsTfjs ?? 0 },
      { label: 'CNN train step ms (torch, median)', value: medians.cnnTrainTorch ?? 0 },
      { label: 'CNN forward ms (batch 32)', value: cnnForwardMs },
      { label: 'string policy train ms (replsynth)', value: stringTrainMs },
      { label: 'string policy train ms (tfjs)', value: quick ? 0 : stringTrainMsTfjs },
      { label: 'string policy train ms (torch, median)', value: medians.stringTrainTorch ?? 0 },
      { label: 'string policy states/s (replsynth)', value: stringPolicyStatesPerSec },
      { label: 'string policy states/s (tfjs)', value: stringPolicyStatesPerSecTfjs },
      { label: 'seq2seq train ms (replsynth)', value: qT.seq2seqTrain },
      { label: 'csg2d train ms (replsynth)', value: cT.csg2dTrain },
    ]),
  );
  return result;
}
