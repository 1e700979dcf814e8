/**
 * The LSTM encoder-decoder with attention of the nn benchmark, shaped like the sequence models to come
 * (RobustFill-style, REFERENCE.md §2): per example an input LSTM over the input tokens, an output LSTM
 * over the output tokens that attends to the input encodings (starting from the input LSTM's state), and
 * a decoder LSTM over the program tokens that attends to the input then the output encodings at every
 * step; its states are max-pooled over the examples before the token softmax. Trained teacher-forced:
 * the whole program sequence is one graph (the recurrences unrolled), one cross-entropy per token.
 */
import type { Tensor } from '../graph.js';
import { type LstmState, embedding, linear, lstmCell } from '../layers.js';
import { softmaxCrossEntropy } from '../losses.js';
import * as op from '../ops/all.js';
import type { BuildContext, ModelDef } from '../params.js';

export interface Seq2SeqOptions {
  /** I/O examples per task. */
  examples: number;
  /** Tokens of each example's input and of its output. */
  ioLen: number;
  /** Program tokens (the decoder's steps). */
  progLen: number;
  ioVocab: number;
  progVocab: number;
  embed: number;
  hidden: number;
}

/** Benchmark sizes: 5 examples of 20 + 20 tokens, 60 program tokens, LSTMs of 256 (batch 32 per step). */
export const seq2seqBench: Seq2SeqOptions = {
  examples: 5,
  ioLen: 20,
  progLen: 60,
  ioVocab: 64,
  progVocab: 128,
  embed: 64,
  hidden: 256,
};

/** Dot-product attention with a learned query map: q [R, H], keys [R, T, H] → context [R, H]. */
function attend(ctx: BuildContext, name: string, q: Tensor, keys: Tensor): Tensor {
  const H = q.shape[1] as number;
  const T = keys.shape[1] as number;
  const query = op.reshape(linear(ctx, name, q, H, { bias: false }), [q.shape[0], H, 1]);
  const scores = op.mul(op.reshape(op.matmul(keys, query), [q.shape[0], T]), 1 / Math.sqrt(H));
  const p = op.reshape(op.softmax(scores, -1), [q.shape[0], 1, T]);
  return op.reshape(op.matmul(p, keys), [q.shape[0], H]);
}

/** Step t of a [R, T, D] sequence as [R, D]. */
const at = (x: Tensor, t: number): Tensor =>
  op.reshape(op.slice(x, [t], [t + 1], [1]), [x.shape[0], x.shape[2]]);

/** An LSTM over x [R, T, D] from state s, the input of step t extended by extra(h) when given. */
function run(
  ctx: BuildContext,
  name: string,
  x: Tensor,
  s: LstmState,
  H: number,
  extra?: (h: Tensor) => Tensor[],
): { outputs: Tensor; state: LstmState } {
  const outs: Tensor[] = [];
  for (let t = 0; t < (x.shape[1] as number); t++) {
    const xt = extra ? op.concat([at(x, t), ...extra(s.h)], 1) : at(x, t);
    s = lstmCell(ctx, name, xt, s, H);
    outs.push(op.reshape(s.h, [s.h.shape[0], 1, H]));
  }
  return { outputs: op.concat(outs, 1), state: s };
}

export function seq2seq(o: Seq2SeqOptions = seq2seqBench): ModelDef {
  const { examples: K, ioLen: L, progLen: T, hidden: H } = o;
  return {
    name: 'seq2seq',
    build(ctx) {
      const inputs = ctx.input('inputs', ['batch', K, L], 'int32');
      const outputs = ctx.input('outputs', ['batch', K, L], 'int32');
      const prog = ctx.input('program', ['batch', T], 'int32'); // decoder inputs (shifted right)
      const R = `batch*${K}`;
      const ie = op.reshape(embedding(ctx, 'io', inputs, o.ioVocab, o.embed), [R, L, o.embed]);
      const oe = op.reshape(embedding(ctx, 'io', outputs, o.ioVocab, o.embed), [R, L, o.embed]);
      // Zeros with the batch dimension: [R, 1] (no gradient) broadcast against a zero row.
      const zr = op.stopGradient(op.mul(op.reduceSum(at(ie, 0), [1], true), 0));
      const h0 = op.add(zr, ctx.graph.constant(new Float32Array(H), [H])); // [R, H]
      const encIn = run(ctx, 'enc.in', ie, { h: h0, c: h0 }, H);
      const encOut = run(ctx, 'enc.out', oe, encIn.state, H, (h) => [
        attend(ctx, 'att.out', h, encIn.outputs),
      ]);
      // Every example decodes the same program: tile its embeddings over the examples.
      const pe = embedding(ctx, 'prog', prog, o.progVocab, o.embed); // [B, T, E]
      const zk = op.reshape(zr, ['batch', K, 1, 1]);
      const peK = op.reshape(op.add(op.reshape(pe, ['batch', 1, T, o.embed]), zk), [R, T, o.embed]);
      const dec = run(ctx, 'dec', peK, encOut.state, H, (h) => [
        attend(ctx, 'att.dec.in', h, encIn.outputs),
        attend(ctx, 'att.dec.out', h, encOut.outputs),
      ]);
      const feat = op.tanh(linear(ctx, 'proj', dec.outputs, H)); // [R, T, H]
      const pooled = op.reduceMax(op.reshape(feat, ['batch', K, T, H]), [1]); // [B, T, H]
      const logits = linear(ctx, 'logits', pooled, o.progVocab); // [B, T, V]
      if (!ctx.training) return { outputs: { logits } };
      const target = ctx.input('target', ['batch', T], 'int32');
      const flat = op.reshape(logits, [`batch*${T}`, o.progVocab]);
      return { outputs: { logits }, loss: softmaxCrossEntropy(flat, op.reshape(target, [`batch*${T}`])) };
    },
  };
}
