/**
 * The 3D CAD policy/value network (REFERENCE §1: a Conv3d encoder per object on [spec, object]),
 * CPU-sized:
 *
 * - encoder: a Conv3d stack on the 2-channel volume [spec, object] (3×3×3 convs, strided) → flatten →
 *   linear → ReLU. The spec is encoded by the same network as [spec, empty object], so one encoder
 *   (and one cache) serves both.
 * - context: [spec encoding, max over the present objects' encodings, fraction of scope used] → linear
 *   → ReLU. A line of code is factorised as: operator type (cuboid | sphere | cylinder | union | diff),
 *   then each primitive argument from its own categorical head given the type (the evaluator
 *   renormalises over valid lines), or for union/diff two pointers by additive attention over the
 *   object encodings (the second pointer's scores computed for every first pointer).
 * - value: Linear → ReLU → Linear → Softplus read as −log v (paper), behind a StopGradient.
 *
 * The training graph encodes each distinct (spec, object) pair of a batch once: encodings are packed
 * along the symbolic batch axis and assigned to state slots by one-hot matrices (a MatMul), so a batch
 * of B states with few objects costs few encoder runs. Inference uses two pieces with the same
 * parameter names: the encoder (its outputs are cached per object by the evaluator) and the head.
 */
import {
  CYLINDER_LENGTHS,
  CYLINDER_RADII,
  SPHERE_RADII,
  type PrimitiveOp,
} from '../../domains/csg3d/index.js';
import {
  convLayer,
  linear,
  oneHot,
  op,
  type BuildContext,
  type Dim,
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

/** Sizes of the network (the shared CsgNetOptions; `size` is the volume side in voxels, 32 for the domain). */
export type Csg3dNetOptions = CsgNetOptions;

/** CPU-sized defaults (see the model card for the cost per encoding). */
export const defaultCsg3dNetOptions: Csg3dNetOptions = {
  size: 32,
  maxObjects: 4,
  filters: [8, 32, 32, 16],
  strides: [2, 2, 2, 1],
  hidden: 128,
  context: 256,
  attention: 64,
  valueHidden: 64,
};

export const LINE_TYPES = ['cuboid', 'sphere', 'cylinder', 'union', 'diff'] as const;
export type LineType = (typeof LINE_TYPES)[number];

export interface ArgHead {
  readonly type: PrimitiveOp;
  readonly field: string;
  readonly classes: number;
}

const G = 8; // grid values 0, 4, …, 28

/** The argument heads of the primitive types, in order (the fields of dsl.ts FIELDS). */
export const ARG_HEADS: readonly ArgHead[] = [
  ...['x1', 'y1', 'z1', 'x2', 'y2', 'z2'].map((field) => ({ type: 'cuboid' as const, field, classes: G })),
  ...['x', 'y', 'z'].map((field) => ({ type: 'sphere' as const, field, classes: G })),
  { type: 'sphere', field: 'r', classes: SPHERE_RADII.length },
  { type: 'cylinder', field: 'axis', classes: 3 },
  ...['x', 'y', 'z'].map((field) => ({ type: 'cylinder' as const, field, classes: G })),
  { type: 'cylinder', field: 'r', classes: CYLINDER_RADII.length },
  { type: 'cylinder', field: 'l', classes: CYLINDER_LENGTHS.length },
];
/** Column where each argument head starts in the `args` output. */
export const ARG_OFFSETS: readonly number[] = ARG_HEADS.map((_, i) =>
  ARG_HEADS.slice(0, i).reduce((a, h) => a + h.classes, 0),
);
export const ARG_COLUMNS = ARG_HEADS.reduce((a, h) => a + h.classes, 0);
/** First argument head of each primitive type (its heads follow in field order). */
export const FIRST_HEAD: Readonly<Record<PrimitiveOp, number>> = { cuboid: 0, sphere: 6, cylinder: 10 };
/** Most argument heads of one type. */
export const MAX_ARGS = 6;

/** Class of argument `slot` (0-based, dsl.ts primitiveArgs order) with value v within its head. */
export function argClass(type: PrimitiveOp, slot: number, v: number): number {
  if (type === 'sphere' && slot === 3) return SPHERE_RADII.indexOf(v);
  if (type === 'cylinder') {
    if (slot === 0) return v; // the axis index
    if (slot === 4) return CYLINDER_RADII.indexOf(v);
    if (slot === 5) return CYLINDER_LENGTHS.indexOf(v);
  }
  return v / 4;
}

/** [N, 2, S, S, S] pairs (spec, object) → [N, hidden]. */
export function encodePairs(ctx: BuildContext, pairs: Tensor, o: Csg3dNetOptions): Tensor {
  let h = pairs;
  o.filters.forEach((f, i) => {
    const s = o.strides[i] ?? 1;
    h = op.relu(
      convLayer(ctx, `enc.conv${i}`, h, f, [3, 3, 3], { strides: [s, s, s], pads: [1, 1, 1, 1, 1, 1] }),
    );
  });
  return op.relu(linear(ctx, 'enc.fc', op.flatten(h), o.hidden, { init: 'he' }));
}

export type { HeadOutputs } from '../../csg-models/net.js';

/** The shared decoder (csgHeads) with this model's line types and argument columns. */
export function heads(
  ctx: BuildContext,
  specEnc: Tensor,
  objEnc: Tensor,
  mask: Tensor,
  o: Csg3dNetOptions,
  bd: Dim,
): HeadOutputs {
  return csgHeads(ctx, specEnc, objEnc, mask, o, bd, {
    lineTypes: LINE_TYPES.length,
    argColumns: ARG_COLUMNS,
  });
}

const column = (x: Tensor, i: number, B: number): Tensor => op.reshape(op.slice(x, [i], [i + 1], [1]), [B]);

const outputsOf = (h: HeadOutputs): Record<string, Tensor> => ({
  typeLogits: h.typeLogits,
  args: h.args,
  ptrA: h.ptrA,
  ptrB: h.ptrB,
  negLogValue: op.softplus(h.valueZ),
});

/** Per-factor line NLL and "whole line right" for the policy targets of a training batch. */
function policyLoss(ctx: BuildContext, h: HeadOutputs, mask: Tensor, K: number, B: number) {
  const type = ctx.input('type', [B], 'int32');
  const typeLegal = ctx.input('typeLegal', [B, LINE_TYPES.length]);
  const policyWeight = ctx.input('policyWeight', [B]);
  const argTarget = ctx.input('argTarget', [B, ARG_HEADS.length], 'int32');
  const argWeight = ctx.input('argWeight', [B, ARG_HEADS.length]);
  const ptrOp = ctx.input('ptrOp', [B, 2]); // one-hot union/diff (zeros for primitives)
  const ptrA = ctx.input('ptrA', [B], 'int32');
  const ptrB = ctx.input('ptrB', [B], 'int32');
  const ptrWeight = ctx.input('ptrWeight', [B]);

  const t = nllHit(h.typeLogits, type, typeLegal);
  let lineNll = op.mul(t.nll, policyWeight);
  let lineOk = t.hit;
  ARG_HEADS.forEach((head, i) => {
    const logits = op.slice(h.args, [ARG_OFFSETS[i]], [ARG_OFFSETS[i] + head.classes], [1]);
    const r = nllHit(logits, column(argTarget, i, B));
    const w = column(argWeight, i, B);
    lineNll = op.add(lineNll, op.mul(r.nll, w));
    lineOk = op.mul(lineOk, op.sub(1, op.mul(w, op.sub(1, r.hit))));
  });
  const aLogits = op.reduceSum(op.mul(h.ptrA, op.reshape(ptrOp, [B, 2, 1])), [1]); // [B, K]
  const a = nllHit(aLogits, ptrA, mask);
  const rows = op.reduceSum(op.mul(h.ptrB, op.reshape(ptrOp, [B, 2, 1, 1])), [1]); // [B, K, K]
  const aHot = oneHot(ptrA, K);
  const bLogits = op.reduceSum(op.mul(rows, op.reshape(aHot, [B, K, 1])), [1]); // row of a
  const b = nllHit(bLogits, ptrB, op.mul(mask, op.sub(1, aHot)));
  lineNll = op.add(lineNll, op.mul(op.add(a.nll, b.nll), ptrWeight));
  lineOk = op.mul(lineOk, op.sub(1, op.mul(ptrWeight, op.sub(1, op.mul(a.hit, b.hit)))));
  const loss = op.div(op.reduceSum(lineNll, [0]), op.add(op.reduceSum(policyWeight, [0]), 1e-6));
  return {
    loss,
    typeAccuracy: weightedMean(t.hit, policyWeight),
    lineAccuracy: weightedMean(lineOk, policyWeight),
  };
}

/**
 * The training network for batches of exactly `B` states (smaller batches are padded with weight-0
 * states). Inputs: `pairs` [M, 2, S, S, S] (the batch's distinct encodings, M symbolic), `specSlot`
 * [B, M] and `objSlot` [B·K, M] one-hot assignments (zero rows for empty slots), `objectMask` [B, K].
 */
export function csg3dNet(o: Csg3dNetOptions = defaultCsg3dNetOptions, B = 32): ModelDef {
  const { size: S, maxObjects: K } = o;
  return {
    name: 'csg3d-policy-value',
    build(ctx) {
      const pairs = ctx.input('pairs', ['batch', 2, S, S, S]);
      const specSlot = ctx.input('specSlot', [B, 'batch']);
      const objSlot = ctx.input('objSlot', [B * K, 'batch']);
      const mask = ctx.input('objectMask', [B, K]);
      const enc = encodePairs(ctx, pairs, o);
      const specEnc = op.matmul(specSlot, enc);
      const objEnc = op.reshape(op.matmul(objSlot, enc), [B, K, o.hidden]);
      const h = heads(ctx, specEnc, objEnc, mask, o, B);
      const outputs = outputsOf(h);
      if (!ctx.training) return { outputs };

      const p = policyLoss(ctx, h, mask, K, B);
      const valueTarget = ctx.input('valueTarget', [B]);
      const valueWeight = ctx.input('valueWeight', [B]);
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
        loss: op.add(p.loss, valueLoss),
        metrics: {
          policyLoss: p.loss,
          valueLoss,
          typeAccuracy: p.typeAccuracy,
          lineAccuracy: p.lineAccuracy,
          valueAccuracy: weightedMean(valueHit, valueWeight),
        },
      };
    },
  };
}

/** Inference piece: pairs [N, 2, S, S, S] → enc [N, hidden]. */
export function csg3dEncoder(o: Csg3dNetOptions): ModelDef {
  return {
    name: 'csg3d-encoder',
    build: (ctx) => ({
      outputs: { enc: encodePairs(ctx, ctx.input('pairs', ['batch', 2, o.size, o.size, o.size]), o) },
    }),
  };
}

/** Inference piece: the decoder and value on cached encodings. */
export function csg3dHead(o: Csg3dNetOptions): ModelDef {
  return {
    name: 'csg3d-head',
    build(ctx) {
      const specEnc = ctx.input('specEnc', ['batch', o.hidden]);
      const objEnc = ctx.input('objEnc', ['batch', o.maxObjects, o.hidden]);
      const mask = ctx.input('objectMask', ['batch', o.maxObjects]);
      return { outputs: outputsOf(heads(ctx, specEnc, objEnc, mask, o, 'batch')) };
    },
  };
}
