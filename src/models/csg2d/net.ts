/**
 * The 2D CAD policy/value network (REFERENCE §1, after the paper's CAD model), CPU-sized:
 *
 * - object encoder: per object, a CNN on the 2-channel image [spec, object] (3×3 convs, stride 2) →
 *   flatten → linear → ReLU. The spec gets the same CNN on 1 channel with its own weights.
 * - context: [spec encoding, max over the present objects' encodings, fraction of scope used] → linear
 *   → ReLU. One line of code is factorised as: operator type (circle | rect | rect45 | union | diff),
 *   then, given the type, each primitive argument from its own categorical head (no GRU: arguments are
 *   independent given the type and the context; the evaluator renormalises over valid lines), or for
 *   union/diff two pointers by additive attention over the object encodings — the second pointer's
 *   scores are computed for every possible first pointer ([K, K] per operator), so one forward pass
 *   gives the whole factorised distribution.
 * - value: Linear → ReLU → Linear → Softplus read as −log v (paper); v = exp(−softplus(z)) = σ(−z), so
 *   the success cross-entropy is y·softplus(z) + (1 − y)·softplus(−z), computed stably.
 *
 * The same parameter names serve four graphs: the full training graph (`csg2dNet`) and the three
 * inference pieces (pair encoder, spec encoder, head) the evaluator runs separately so it can cache
 * object encodings (an object's picture never changes during a search).
 */
import { DIAMETERS, GRID } from '../../domains/csg2d/index.js';
import {
  convLayer,
  linear,
  oneHot,
  op,
  type BuildContext,
  type ModelDef,
  type Tensor,
} from '../../nn/build.js';
import {
  csgHeads,
  nllHit,
  weightedMean,
  type CsgNetOptions,
  type HeadOutputs,
} from '../../csg-models/net.js';

/** Sizes of the network (the shared CsgNetOptions; `size` is the canvas side in pixels, 64 for the domain). */
export type Csg2dNetOptions = CsgNetOptions;

/** CPU-sized defaults: ≈ 2.4 M multiply-adds per object encoding (paper: ≈ 15 M), see the model card. */
export const defaultCsg2dNetOptions: Csg2dNetOptions = {
  size: 64,
  maxObjects: 6,
  filters: [16, 32, 32, 16],
  strides: [2, 2, 2, 1],
  hidden: 128,
  context: 256,
  attention: 64,
  valueHidden: 64,
};

export const LINE_TYPES = ['circle', 'rect', 'rect45', 'union', 'diff'] as const;
export type LineType = (typeof LINE_TYPES)[number];

/** The argument heads of the primitive types, in order: name, owning type, number of classes. */
export const ARG_HEADS: readonly { readonly type: LineType; readonly classes: number }[] = [
  { type: 'circle', classes: GRID.length }, // x
  { type: 'circle', classes: GRID.length }, // y
  { type: 'circle', classes: DIAMETERS.length }, // d
  ...[0, 1, 2, 3].map(() => ({ type: 'rect' as const, classes: GRID.length })), // x1 y1 x2 y2
  ...[0, 1, 2, 3].map(() => ({ type: 'rect45' as const, classes: GRID.length })), // x y a b
];
/** Column where each argument head starts in the `args` output. */
export const ARG_OFFSETS: readonly number[] = ARG_HEADS.reduce<number[]>(
  (acc, h, i) => [...acc, i === 0 ? 0 : acc[i - 1] + ARG_HEADS[i - 1].classes],
  [],
);
export const ARG_COLUMNS = ARG_HEADS.reduce((a, h) => a + h.classes, 0);
/** First argument head of each primitive type. */
export const FIRST_HEAD: Readonly<Record<'circle' | 'rect' | 'rect45', number>> = {
  circle: 0,
  rect: 3,
  rect45: 7,
};

function cnn(ctx: BuildContext, prefix: string, x: Tensor, o: Csg2dNetOptions): Tensor {
  let h = x;
  o.filters.forEach((f, i) => {
    const s = o.strides[i] ?? 1;
    h = op.relu(convLayer(ctx, `${prefix}.conv${i}`, h, f, [3, 3], { strides: [s, s], pads: [1, 1, 1, 1] }));
  });
  return op.relu(linear(ctx, `${prefix}.fc`, op.flatten(h), o.hidden, { init: 'he' }));
}

/** [N, 2, S, S] pairs (spec, object) → [N, hidden]. */
export const encodePairs = (ctx: BuildContext, pairs: Tensor, o: Csg2dNetOptions): Tensor =>
  cnn(ctx, 'object', pairs, o);
/** [N, 1, S, S] → [N, hidden]. */
export const encodeSpec = (ctx: BuildContext, spec: Tensor, o: Csg2dNetOptions): Tensor =>
  cnn(ctx, 'spec', spec, o);

export type { HeadOutputs } from '../../csg-models/net.js';

/** The shared decoder (csgHeads) with this model's line types and argument columns. */
export function heads(
  ctx: BuildContext,
  specEnc: Tensor,
  objEnc: Tensor,
  mask: Tensor,
  o: Csg2dNetOptions,
): HeadOutputs {
  return csgHeads(ctx, specEnc, objEnc, mask, o, 'batch', {
    lineTypes: LINE_TYPES.length,
    argColumns: ARG_COLUMNS,
  });
}

const column = (x: Tensor, i: number): Tensor => op.reshape(op.slice(x, [i], [i + 1], [1]), ['batch']);

/** The full network on domain features; in training mode also the factorised line NLL and value loss. */
export function csg2dNet(o: Csg2dNetOptions = defaultCsg2dNetOptions): ModelDef {
  const { size: S, maxObjects: K } = o;
  return {
    name: 'csg2d-policy-value',
    build(ctx) {
      const spec = ctx.input('spec', ['batch', 1, S, S]);
      const objects = ctx.input('objects', ['batch', K, S, S]);
      const mask = ctx.input('objectMask', ['batch', K]);
      const obj5 = op.reshape(objects, ['batch', K, 1, S, S]);
      const spec5 = op.add(op.reshape(spec, ['batch', 1, 1, S, S]), op.mul(obj5, 0)); // spec tiled K times
      const pairs = op.reshape(op.concat([spec5, obj5], 2), [`batch*${K}`, 2, S, S]);
      const objEnc = op.reshape(encodePairs(ctx, pairs, o), ['batch', K, o.hidden]);
      const h = heads(ctx, encodeSpec(ctx, spec, o), objEnc, mask, o);
      const outputs = {
        typeLogits: h.typeLogits,
        args: h.args,
        ptrA: h.ptrA,
        ptrB: h.ptrB,
        negLogValue: op.softplus(h.valueZ),
      };
      if (!ctx.training) return { outputs };

      // One graph for both heads; per-example weights select the losses an example feeds.
      const type = ctx.input('type', ['batch'], 'int32');
      const typeLegal = ctx.input('typeLegal', ['batch', LINE_TYPES.length]);
      const policyWeight = ctx.input('policyWeight', ['batch']);
      const argTarget = ctx.input('argTarget', ['batch', ARG_HEADS.length], 'int32');
      const argWeight = ctx.input('argWeight', ['batch', ARG_HEADS.length]);
      const ptrOp = ctx.input('ptrOp', ['batch', 2]); // one-hot union/diff (zeros for primitives)
      const ptrA = ctx.input('ptrA', ['batch'], 'int32');
      const ptrB = ctx.input('ptrB', ['batch'], 'int32');
      const ptrWeight = ctx.input('ptrWeight', ['batch']);
      const valueTarget = ctx.input('valueTarget', ['batch']);
      const valueWeight = ctx.input('valueWeight', ['batch']);

      const t = nllHit(h.typeLogits, type, typeLegal);
      let lineNll = op.mul(t.nll, policyWeight);
      let lineOk = t.hit;
      ARG_HEADS.forEach((head, i) => {
        const logits = op.slice(h.args, [ARG_OFFSETS[i]], [ARG_OFFSETS[i] + head.classes], [1]);
        const r = nllHit(logits, column(argTarget, i));
        const w = column(argWeight, i);
        lineNll = op.add(lineNll, op.mul(r.nll, w));
        lineOk = op.mul(lineOk, op.sub(1, op.mul(w, op.sub(1, r.hit))));
      });
      const opSel = op.reshape(ptrOp, ['batch', 2, 1]);
      const aLogits = op.reduceSum(op.mul(h.ptrA, opSel), [1]); // [B, K]
      const a = nllHit(aLogits, ptrA, mask);
      const rows = op.reduceSum(op.mul(h.ptrB, op.reshape(ptrOp, ['batch', 2, 1, 1])), [1]); // [B, K, K]
      const aHot = oneHot(ptrA, K);
      const bLogits = op.reduceSum(op.mul(rows, op.reshape(aHot, ['batch', K, 1])), [1]); // row of a
      const b = nllHit(bLogits, ptrB, op.mul(mask, op.sub(1, aHot)));
      lineNll = op.add(lineNll, op.mul(op.add(a.nll, b.nll), ptrWeight));
      lineOk = op.mul(lineOk, op.sub(1, op.mul(ptrWeight, op.sub(1, op.mul(a.hit, b.hit)))));
      const policyLoss = op.div(op.reduceSum(lineNll, [0]), op.add(op.reduceSum(policyWeight, [0]), 1e-6));

      const bce = op.add(
        op.mul(valueTarget, op.softplus(h.valueZ)),
        op.mul(op.sub(1, valueTarget), op.softplus(op.neg(h.valueZ))),
      );
      const valueLoss = weightedMean(bce, valueWeight);
      // v > 1/2 ⇔ z < 0.
      const predicted = op.cast(op.greater(op.neg(h.valueZ), 0), 'float32');
      const valueHit = op.cast(op.equal(predicted, valueTarget), 'float32');
      return {
        outputs,
        loss: op.add(policyLoss, valueLoss),
        metrics: {
          policyLoss,
          valueLoss,
          typeAccuracy: weightedMean(t.hit, policyWeight),
          lineAccuracy: weightedMean(lineOk, policyWeight),
          valueAccuracy: weightedMean(valueHit, valueWeight),
        },
      };
    },
  };
}

/** Inference piece: pairs [N, 2, S, S] → enc [N, hidden]. */
export function csg2dPairEncoder(o: Csg2dNetOptions): ModelDef {
  return {
    name: 'csg2d-pair-encoder',
    build: (ctx) => ({
      outputs: { enc: encodePairs(ctx, ctx.input('pairs', ['batch', 2, o.size, o.size]), o) },
    }),
  };
}

/** Inference piece: spec [N, 1, S, S] → enc [N, hidden]. */
export function csg2dSpecEncoder(o: Csg2dNetOptions): ModelDef {
  return {
    name: 'csg2d-spec-encoder',
    build: (ctx) => ({
      outputs: { enc: encodeSpec(ctx, ctx.input('spec', ['batch', 1, o.size, o.size]), o) },
    }),
  };
}

/** Inference piece: the decoder and value on cached encodings. */
export function csg2dHead(o: Csg2dNetOptions): ModelDef {
  return {
    name: 'csg2d-head',
    build(ctx) {
      const specEnc = ctx.input('specEnc', ['batch', o.hidden]);
      const objEnc = ctx.input('objEnc', ['batch', o.maxObjects, o.hidden]);
      const mask = ctx.input('objectMask', ['batch', o.maxObjects]);
      const h = heads(ctx, specEnc, objEnc, mask, o);
      return {
        outputs: {
          typeLogits: h.typeLogits,
          args: h.args,
          ptrA: h.ptrA,
          ptrB: h.ptrB,
          negLogValue: op.softplus(h.valueZ),
        },
      };
    },
  };
}
