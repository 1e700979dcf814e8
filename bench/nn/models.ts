/** Random batches and analytic FLOP counts for the benchmark models. */
import type { PolicyExample } from '../../src/core/index.js';
import { Rng } from '../../src/core/rng.js';
import { createCsg2dDomain, type Csg2dAction, type Csg2dState } from '../../src/domains/csg2d/index.js';
import { Csg2dLearner } from '../../src/models/csg2d/learner.js';
import { csg2dNet } from '../../src/models/csg2d/net.js';
import { expertPairs } from '../../src/train/imitation.js';
import type { FeedArray, ModelDef } from '../../src/nn/index.js';
import { type Cnn4Options, cnn4, cnn4Bench } from '../../src/nn/zoo/cnn4.js';
import { type Seq2SeqOptions, seq2seq, seq2seqBench } from '../../src/nn/zoo/seq2seq.js';
import { type StringPolicyOptions, stringPolicy, stringPolicyPaper } from '../../src/nn/zoo/string-policy.js';

export function cnnBatch(o: Cnn4Options, n: number, rng: Rng): { x: Float32Array; y: Int32Array } {
  const x = Float32Array.from({ length: n * o.channels * o.size * o.size }, () =>
    rng.float() < 0.3 ? 1 : 0,
  );
  const y = Int32Array.from({ length: n }, () => rng.int(o.classes));
  return { x, y };
}

export function stringBatch(
  o: StringPolicyOptions,
  n: number,
  rng: Rng,
): Record<string, Float32Array | Int32Array> {
  return {
    chars: Int32Array.from({ length: n * o.examples * o.slots * o.positions }, () => rng.int(o.vocab)),
    masks: Float32Array.from({ length: n * o.examples * o.maskRows * o.positions }, () =>
      rng.float() < 0.2 ? 1 : 0,
    ),
    last: Int32Array.from({ length: n }, () => rng.int(o.actions + 1)),
    action: Int32Array.from({ length: n }, () => rng.int(o.actions)),
    legal: Float32Array.from({ length: n * o.actions }, () => 1),
  };
}

/** Forward FLOPs (2 per multiply-add) of one image through the CNN. */
export function cnnFlops(o: Cnn4Options): number {
  let f = 0;
  let s = o.size;
  let c = o.channels;
  for (const k of o.filters) {
    const out = o.downsample === 'stride' ? Math.floor((s + 2 - 3) / 2) + 1 : s;
    f += 2 * out * out * k * c * 9;
    s = o.downsample === 'stride' ? out : Math.floor(out / 2);
    c = k;
  }
  const flat = c * s * s;
  return f + 2 * flat * o.hidden + 2 * o.hidden * o.classes;
}

/** Forward FLOPs of one state through the string policy. */
export function stringFlops(o: StringPolicyOptions): number {
  const feat = o.slots * o.charEmbed + o.maskRows;
  let f = 2 * o.positions * feat * o.conv * o.kernel;
  let w = o.positions * o.conv;
  for (let i = 0; i < o.denseLayers; i++) {
    f += 2 * w * o.growth;
    w += o.growth;
  }
  return o.examples * f + 2 * (w + o.actionEmbed) * o.actions;
}

/** A benchmark network's training graph and one batch for it. */
export interface BenchModel {
  def: ModelDef;
  batch: Record<string, FeedArray>;
  /** Examples per step. */
  batchSize: number;
}

/** The networks of the nn benchmark by key (bench/nn/profile.ts profiles any of them). */
export function benchModels(rng: Rng): Record<string, BenchModel> {
  const B = 32;
  const cb = cnnBatch(cnn4Bench, B, rng);
  return {
    cnn: { def: cnn4(cnn4Bench), batch: cb, batchSize: B },
    cnnStride: { def: cnn4({ ...cnn4Bench, downsample: 'stride' }), batch: cb, batchSize: B },
    string: {
      def: stringPolicy(stringPolicyPaper),
      batch: stringBatch(stringPolicyPaper, 256, rng),
      batchSize: 256,
    },
    seq2seq: { def: seq2seq(seq2seqBench), batch: seq2seqBatch(seq2seqBench, 32, rng), batchSize: 32 },
  };
}

export function seq2seqBatch(o: Seq2SeqOptions, n: number, rng: Rng): Record<string, Int32Array> {
  const ids = (len: number, v: number) => Int32Array.from({ length: len }, () => rng.int(v));
  const prog = ids(n * (o.progLen + 1), o.progVocab);
  const program = new Int32Array(n * o.progLen);
  const target = new Int32Array(n * o.progLen);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < o.progLen; t++) {
      program[i * o.progLen + t] = prog[i * (o.progLen + 1) + t];
      target[i * o.progLen + t] = prog[i * (o.progLen + 1) + t + 1];
    }
  return {
    inputs: ids(n * o.examples * o.ioLen, o.ioVocab),
    outputs: ids(n * o.examples * o.ioLen, o.ioVocab),
    program,
    target,
  };
}

/**
 * The csg2d network as its learner trains it: the shipped sizes, a batch of 32 expert (state, line) pairs
 * from the domain's scene generator, and the learner's own feeds (Csg2dLearner.batch).
 */
export async function csg2dBench(
  rng: Rng,
  n = 32,
): Promise<BenchModel & { learner: Csg2dLearner; examples: PolicyExample<Csg2dState, Csg2dAction>[] }> {
  const domain = createCsg2dDomain();
  const learner = await Csg2dLearner.create(domain, {}, { threads: 2, seed: 1 });
  const examples = expertPairs(domain, (r) => domain.sampleTask(r), rng.derive('csg2d'), n);
  const batch = learner.batch(
    examples.map((e) => e.state),
    examples.map((e) => e.action),
    examples.map(() => null),
  );
  return { def: csg2dNet(learner.config.net), batch, batchSize: n, learner, examples };
}
