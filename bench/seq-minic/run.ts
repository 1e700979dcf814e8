/**
 * Why the sizes of RobustFill and Property Signatures for restricted C (issue 16: "choose sizes for 2
 * CPU cores and say why with measurements"): per LSTM width, the teacher-forced training step (batch
 * 32 whole programs, timed at 32 tokens and reported per program token too: the graph is unrolled, so
 * time grows linearly with the tokens), and the decoder's speed (prefixes per second through the step
 * network for batches of 1, 64 and 512 prefixes, one call each). `npm run bench -- seq-minic
 * [--quick]` (--quick: width 128 only). Timings depend on the load: the result records load averages.
 */
import { loadavg } from 'node:os';
import { registerBuiltins } from '../../src/builtins.js';
import { Rng } from '../../src/core/index.js';
import { teacherBatch } from '../../src/models/seq/batch.js';
import { netOptions, type SeqKind } from '../../src/models/seq/kind.js';
import { propsigMinic, robustfillMinic } from '../../src/models/seq/minic.js';
import { decoderMacs, seqNet } from '../../src/models/seq/net.js';
import { tokenDomain } from '../../src/models/seq/store.js';
import { wholeProgramDomain } from '../../src/models/seq/whole.js';
import { createTrainer, entryBytes, entryModels, trainingDef } from '../../src/nn/index.js';
import type { BenchContext } from '../run.js';

const STEPS = 32;

async function measure(kind: SeqKind, hidden: number, reps: number) {
  const tokens = tokenDomain(kind, {});
  const net = netOptions(kind, { hidden, embed: 32, attention: 64, steps: STEPS }, tokens.actionSpace.size);
  const def = seqNet(kind.id, net);
  let t0 = performance.now();
  const trainer = await createTrainer(trainingDef(def), { seed: 1, threads: 2 });
  const compileS = (performance.now() - t0) / 1000;
  const whole = wholeProgramDomain(tokens, STEPS);
  const rng = new Rng(1);
  const tasks = Array.from({ length: 32 }, () => whole.sampleTask(rng).spec);
  const feeds = teacherBatch(kind.codec, tokens.grammar, STEPS, tasks);
  await trainer.step(feeds);
  t0 = performance.now();
  for (let i = 0; i < reps; i++) await trainer.step(feeds);
  const stepMs = (performance.now() - t0) / reps;
  const nets = await entryModels(entryBytes(trainer.store, def), { threads: 2 });
  const decode: Record<string, number> = {};
  for (const n of [1, 64, 512]) {
    const f: Record<string, Float32Array | Int32Array> = {
      h: new Float32Array(n * net.rows * hidden),
      c: new Float32Array(n * net.rows * hidden),
      token: new Int32Array(n),
    };
    net.streams.forEach((s, j) => {
      f[`m${j}`] = new Float32Array(n * net.rows * s.length * hidden);
      f[`p${j}`] = new Float32Array(n * net.rows * s.length * net.attention);
    });
    await nets.step.run(f);
    const runs = n === 512 ? 3 : 20;
    t0 = performance.now();
    for (let i = 0; i < runs; i++) await nets.step.run(f);
    decode[`batch${n}PrefixesPerS`] = Math.round((n * runs) / ((performance.now() - t0) / 1000));
  }
  return {
    model: kind.id,
    hidden,
    params: trainer.store.count(),
    decoderMacsPerToken: decoderMacs(net),
    compileS: +compileS.toFixed(1),
    trainStepMsAt32Tokens: +stepMs.toFixed(0),
    trainMsPerProgramToken: +(stepMs / (32 * STEPS)).toFixed(3),
    ...decode,
  };
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  registerBuiltins();
  const quick = ctx.args.includes('--quick');
  const widths = quick ? [128] : [64, 128, 256];
  const load = [loadavg()];
  const rows = [];
  for (const kind of [robustfillMinic, propsigMinic])
    for (const h of widths) {
      const r = await measure(kind, h, quick ? 2 : 3);
      console.log(JSON.stringify(r));
      rows.push(r);
    }
  load.push(loadavg());
  return {
    benchmark: 'seq-minic',
    date: new Date().toISOString(),
    threads: 2,
    batch: 32,
    tokensTimed: STEPS,
    loadAverages: load.map((l) => l.map((x) => +x.toFixed(2))),
    rows,
  };
}
