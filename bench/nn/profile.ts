/**
 * Where a training step's time goes: runs a benchmark network's training graph in ORT with per-node
 * profiling and prints time by op type and the slowest nodes, plus the op counts of the graph.
 *
 *   npx tsx bench/nn/profile.ts cnn|cnnStride|string|seq2seq|csg2d [steps]
 *
 * Per node it reports the fastest of the runs (least disturbed by other processes). THREADS (default 2)
 * and OPT (ORT optimisation level, default 'extended' as the Trainer uses) override the session options;
 * TOP sets how many nodes are listed; ORDER=1 lists every node in execution order instead.
 */
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../src/core/rng.js';
import { createTrainer, type ModelDef } from '../../src/nn/index.js';
import { benchModels, csg2dBench } from './models.js';

interface Ev {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string; output_size?: string; activation_size?: string };
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'cnn';
  const steps = Number(process.argv[3] ?? 10);
  const rng = new Rng('profile');
  const m = which === 'csg2d' ? await csg2dBench(rng) : benchModels(rng)[which];
  if (!m) throw new Error(`unknown model ${which}`);
  const def: ModelDef = m.def;
  const trainer = await createTrainer(def, { threads: 2, seed: 1 });
  // The graph the trainer runs: concrete shapes for this batch size.
  const { feeds: given, n } = trainer.feedsAndBatch(m.batch);
  const bytes = trainer.trainingBytesFor(n);
  const sess = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: Number(process.env.THREADS ?? 2),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: (process.env.OPT ?? 'extended') as 'all' | 'extended' | 'basic',
    enableProfiling: true,
    profileFilePrefix: '/tmp/ort-profile',
    optimizedModelFilePath: `/tmp/ort-opt-${which}.onnx`,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const feeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(given)) feeds[k] = v as ort.Tensor;
  for (let i = 0; i < 3; i++) await sess.run(feeds);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await sess.run(feeds);
  const wall = (performance.now() - t0) / steps;
  sess.endProfiling();
  await sess.release();
  const file = readdirSync('/tmp')
    .filter((f) => f.startsWith('ort-profile') && f.endsWith('.json'))
    .map((f) => `/tmp/${f}`)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const evs = JSON.parse(readFileSync(file, 'utf8')) as Ev[];
  rmSync(file);
  const runs = evs.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const nodes = evs.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  const nRuns = runs.length;
  // Per node, the fastest of the runs (the statistic least disturbed by other processes on the machine).
  const byNode = new Map<string, { us: number; type: string; size: string }>();
  for (const e of nodes) {
    const nm = e.name.replace(/_kernel_time$/, '');
    const c = byNode.get(nm);
    if (!c || e.dur < c.us)
      byNode.set(nm, { us: e.dur, type: e.args?.op_name ?? '?', size: e.args?.output_size ?? '' });
  }
  const byType = new Map<string, { us: number; n: number }>();
  for (const c of byNode.values()) {
    const b = byType.get(c.type) ?? { us: 0, n: 0 };
    b.us += c.us;
    b.n++;
    byType.set(c.type, b);
  }
  const total = [...byType.values()].reduce((a, b) => a + b.us, 0) / 1000;
  const runMs = Math.min(...runs.map((e) => e.dur)) / 1000;
  console.log(
    `${which}: wall ${wall.toFixed(1)} ms/step (mean); fastest ORT run ${runMs.toFixed(1)} ms; sum of per-node minima ${total.toFixed(1)} ms; ${nodes.length / nRuns} kernels/run`,
  );
  console.log('by op type (ms, sum of per-node minima; nodes):');
  for (const [t, b] of [...byType].sort((a, b) => b[1].us - a[1].us))
    console.log(`  ${t.padEnd(22)} ${(b.us / 1000).toFixed(2).padStart(7)}  ${b.n}`);
  const order = process.env.ORDER === '1';
  console.log(order ? 'nodes in execution order:' : 'slowest nodes:');
  const listed = order
    ? [...byNode]
    : [...byNode].sort((a, b) => b[1].us - a[1].us).slice(0, Number(process.env.TOP ?? 25));
  for (const [nm, c] of listed)
    console.log(
      `  ${nm.padEnd(40)} ${c.type.padEnd(18)} ${(c.us / 1000).toFixed(2).padStart(7)} ms  out ${c.size}B`,
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
