/**
 * The CSGNet-style network (Sharma et al. 2018; the "no REPL" baseline of Ellis et al. 2019, §4.1),
 * CPU-sized, for 2-D images and 3-D voxels alike:
 *
 * - encoder: a CNN (2-D or 3-D 3×3 convs, strided) on the target alone → flatten → linear → ReLU: the
 *   image code `enc`. The decoder's first state is tanh(linear(enc)).
 * - decoder: a GRU over program tokens in prefix order; the input of step t is [embedding of token t−1
 *   (a start token at t = 0), enc]; the logits of token t come from linear([h_t, enc]).
 *
 * The same parameter names serve three graphs: the teacher-forced training graph (`csgnetTrain`: the
 * whole sequence unrolled, the cross-entropy of every real token under the grammar's legal mask) and
 * the two inference pieces a decoder runs (`csgnetEncoder`: target → enc, h0; `csgnetStep`: one token
 * for a whole batch of prefixes, from their cached states).
 */
import {
  convLayer,
  embedding,
  gruCell,
  linear,
  oneHot,
  op,
  unrollGru,
  type BuildContext,
  type ModelDef,
  type MultiEntryDef,
  type Tensor,
} from '../../nn/build.js';

export interface CsgnetNetOptions {
  /** 2 (images) or 3 (voxels). */
  readonly dims: 2 | 3;
  /** Side of the target in pixels/voxels (64 / 32; tests use tiny sizes). */
  readonly size: number;
  readonly filters: readonly number[];
  readonly strides: readonly number[];
  /** Width of the image code. */
  readonly encoding: number;
  /** GRU width. */
  readonly hidden: number;
  readonly embed: number;
  /** Token vocabulary (the token formulation's action space). */
  readonly vocab: number;
  /** Decoder steps of the training graph (sequences are padded to it; longer ones are not trained on). */
  readonly steps: number;
}

/** The start token's embedding row (one past the vocabulary). */
export const startToken = (o: CsgnetNetOptions): number => o.vocab;

function encode(ctx: BuildContext, target: Tensor, o: CsgnetNetOptions): Tensor {
  let h = target;
  const k = o.dims === 2 ? [3, 3] : [3, 3, 3];
  o.filters.forEach((f, i) => {
    const s = o.strides[i] ?? 1;
    h = op.relu(
      convLayer(ctx, `enc.conv${i}`, h, f, k, {
        strides: k.map(() => s),
        pads: [...k.map(() => 1), ...k.map(() => 1)],
      }),
    );
  });
  return op.relu(linear(ctx, 'enc.fc', op.flatten(h), o.encoding, { init: 'he' }));
}

const targetShape = (o: CsgnetNetOptions): (string | number)[] => [
  'batch',
  1,
  ...Array.from({ length: o.dims }, () => o.size),
];

const initialState = (ctx: BuildContext, enc: Tensor, o: CsgnetNetOptions): Tensor =>
  op.tanh(linear(ctx, 'dec.h0', enc, o.hidden));

const tokenLogits = (ctx: BuildContext, h: Tensor, enc: Tensor, o: CsgnetNetOptions): Tensor =>
  linear(ctx, 'dec.out', op.concat([h, enc], h.rank - 1), o.vocab);

/**
 * Training graph. Inputs: `target` [B, 1, S, S(, S)], `tokens` [B, T] int32 (the program, end token
 * included, padded with anything), `prev` [B, T] int32 (the decoder inputs: the start token, then
 * `tokens` shifted right by one), `legal` [B, T, V] (the grammar's mask before each token), `weight`
 * [B, T] (1 for real tokens, 0 for padding). Loss: mean NLL per real token; metrics: token accuracy and
 * the share of sequences whose every token is the argmax.
 */
export function csgnetTrain(o: CsgnetNetOptions): ModelDef {
  const T = o.steps;
  const V = o.vocab;
  return {
    name: `csgnet-${o.dims}d`,
    build(ctx) {
      const target = ctx.input('target', targetShape(o));
      const prev = ctx.input('prev', ['batch', T], 'int32');
      const enc = encode(ctx, target, o);
      const emb = embedding(ctx, 'dec.embed', prev, V + 1, o.embed); // [B, T, E]
      // The image code at every step: [B, 1, C] broadcast against zeros [B, T, 1].
      const zerosT = op.stopGradient(op.mul(op.reduceSum(emb, [2], true), 0));
      const encT = op.add(op.reshape(enc, ['batch', 1, o.encoding]), zerosT);
      const x = op.concat([emb, encT], 2);
      const run = unrollGru(ctx, 'dec.gru', x, initialState(ctx, enc, o), o.hidden);
      const logits = tokenLogits(ctx, run.outputs, encT, o); // [B, T, V]
      if (!ctx.training) return { outputs: { logits } };
      const tokens = ctx.input('tokens', ['batch', T], 'int32');
      const legal = ctx.input('legal', ['batch', T, V]);
      const weight = ctx.input('weight', ['batch', T]);
      const lp = op.logSoftmax(op.where(op.greater(legal, 0.5), logits, -1e9), -1);
      const hot = oneHot(tokens, V); // [B, T, V]
      const nll = op.neg(op.reduceSum(op.mul(hot, lp), [2])); // [B, T]
      const count = op.add(op.reduceSum(weight, [0, 1]), 1e-6);
      const loss = op.div(op.reduceSum(op.mul(nll, weight), [0, 1]), count);
      const best = op.cast(op.equal(lp, op.reduceMax(lp, [2], true)), 'float32');
      const hit = op.reduceSum(op.mul(best, hot), [2]); // [B, T] 0/1
      const tokenAccuracy = op.div(op.reduceSum(op.mul(hit, weight), [0, 1]), count);
      // A sequence is right when no real token is missed.
      const missed = op.reduceSum(op.mul(op.sub(1, hit), weight), [1]);
      const sequenceAccuracy = op.reduceMean(op.cast(op.greater(op.neg(missed), -0.5), 'float32'), [0]);
      return { outputs: { logits }, loss, metrics: { tokenAccuracy, sequenceAccuracy } };
    },
  };
}

/** Inference piece: target [N, 1, S, …] → enc [N, encoding], h0 [N, hidden]. */
export function csgnetEncoder(o: CsgnetNetOptions): ModelDef {
  return {
    name: `csgnet-${o.dims}d-encoder`,
    build(ctx) {
      const enc = encode(ctx, ctx.input('target', targetShape(o)), o);
      return { outputs: { enc, h0: initialState(ctx, enc, o) } };
    },
  };
}

/** Inference piece: one decoder step for N prefixes: enc, h [N, hidden], token [N] (int32) → logits, next (the new h). */
export function csgnetStep(o: CsgnetNetOptions): ModelDef {
  return {
    name: `csgnet-${o.dims}d-step`,
    build(ctx) {
      const enc = ctx.input('enc', ['batch', o.encoding]);
      const h = ctx.input('h', ['batch', o.hidden]);
      const token = ctx.input('token', ['batch'], 'int32');
      const emb = embedding(ctx, 'dec.embed', token, o.vocab + 1, o.embed);
      const x = op.concat([emb, enc], 1);
      const next = gruCell(ctx, 'dec.gru', x, h, o.hidden);
      return { outputs: { logits: tokenLogits(ctx, next, enc, o), next } };
    },
  };
}

/** The three graphs over one weight store: training, and the `encoder` and `step` entries. */
export function csgnetGraphs(o: CsgnetNetOptions): MultiEntryDef<'encoder' | 'step'> {
  const train = csgnetTrain(o);
  return {
    name: train.name,
    training: (ctx) => train.build(ctx),
    entries: { encoder: (ctx) => csgnetEncoder(o).build(ctx), step: (ctx) => csgnetStep(o).build(ctx) },
  };
}
