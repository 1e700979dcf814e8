/**
 * Why the CSGNet sizes (issue 16: "choose sizes for 2 CPU cores and say why with measurements"): the
 * teacher-forced training step (batch 32, whole sequences) and the decoder's speed (tokens per second
 * for batches of 1, 64 and 512 prefixes, one step-network call each) at GRU widths 128, 256 and 512,
 * for the 2-D and 3-D encoders. `npm run bench -- csgnet-speed [--quick]`. Timings depend on the load
 * of the machine: the result records the load averages.
 */
import { loadavg } from 'node:os';
import { Rng } from '../../src/core/index.js';
import { registerBuiltins } from '../../src/builtins.js';
import { entryBytes, entryModels, createTrainer, trainingDef } from '../../src/nn/index.js';
import {
  SequenceStream,
  csgnet2d,
  csgnet3d,
  tokenDomain,
  type CsgnetKind,
} from '../../src/models/csgnet/index.js';
import { sequenceFeeds } from '../../src/models/csgnet/learner.js';
import { csgnetGraphs } from '../../src/models/csgnet/net.js';
import type { BenchContext } from '../run.js';

async function measure(kind: CsgnetKind, hidden: number, steps: number, reps: number) {
  const domain = tokenDomain(kind, kind.decodeParams);
  const net = { ...kind.net, hidden, vocab: domain.actionSpace.size, steps };
  const graphs = csgnetGraphs(net);
  const trainer = await createTrainer(trainingDef(graphs), { seed: 1, threads: 2 });
  const stream = new SequenceStream(kind, domain, { maxShapes: 13 }, steps);
  const feeds = sequenceFeeds(stream.batch(new Rng(1), 32), domain, net);
  await trainer.step(feeds);
  let t0 = performance.now();
  for (let i = 0; i < reps; i++) await trainer.step(feeds);
  const stepMs = (performance.now() - t0) / reps;
  const m = await entryModels(entryBytes(trainer.store, graphs), { threads: 2 });
  const decode: Record<string, number> = {};
  for (const n of [1, 64, 512]) {
    const f = {
      enc: new Float32Array(n * net.encoding),
      h: new Float32Array(n * hidden),
      token: new Int32Array(n),
    };
    await m.step.run(f);
    t0 = performance.now();
    for (let i = 0; i < reps; i++) await m.step.run(f);
    decode[`batch${n}TokensPerSecond`] = (n * reps * 1000) / (performance.now() - t0);
  }
  const target = new Float32Array(8 * kind.cells);
  await m.encoder.run({ target });
  t0 = performance.now();
  for (let i = 0; i < reps; i++) await m.encoder.run({ target });
  const encodeMsPerSpec = (performance.now() - t0) / (reps * 8);
  return { kind: kind.id, hidden, trainSteps: steps, trainStepMs: stepMs, ...decode, encodeMsPerSpec };
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  registerBuiltins();
  const quick = ctx.args.includes('--quick');
  const reps = quick ? 2 : 5;
  const load = loadavg();
  const rows = [];
  for (const [kind, steps] of [
    [csgnet2d, 80],
    [csgnet3d, 104],
  ] as const)
    for (const hidden of quick ? [256] : [128, 256, 512]) rows.push(await measure(kind, hidden, steps, reps));
  return { loadAverageBefore: load, loadAverageAfter: loadavg(), threads: 2, batch: 32, rows };
}
