/**
 * LaSynth (Chen, Song, Tian, NeurIPS'21; REFERENCE §2) on the RobustFill decoder of the sequence family
 * (src/models/seq/net.ts, whose `decoderStep` it reuses unchanged): a spec is `rows` I/O examples of two
 * streams (the list inputs, then the outputs), as robustfill-minic's codec writes them.
 *
 * Additions, each switchable (the ablations):
 *
 * - **Latent executor** (`executor`): maps the current latent inputs' encodings (enc0's outputs per list
 *   position, with enc0's last state) and the *program state* to logits over the 9 values of every list
 *   position. The program state is an LSTM (`exec.reader`) over the embeddings of the tokens read so far,
 *   and nothing else: the executor sees the program and the inputs, never the outputs. (The decoder's own
 *   state h would not do: the decoder attends over the output encodings, so an executor reading h learns
 *   to copy the outputs — 99.45 % final-output accuracy at step 4,000 of the first trained model — and
 *   its "executed" inputs become the outputs, whatever the program prefix. The paper's decoder LSTM reads
 *   only token embeddings.) With `partial`, after every decoding step t that has consumed a positive
 *   multiple of K tokens (t = K, 2K, … with t counting the tokens read, the start token being t = 0), its
 *   softmax P becomes the new latent inputs: their embedding is P · (enc0's value embeddings), the input
 *   encoder reruns over them, the output encoder reruns attending over the new input encodings, and the
 *   decoder attends over the new memories from step t + 1 on. At the end of every program (step L − 1, the
 *   one that predicts the end token) the executor runs once more from the latent inputs then in effect and
 *   is supervised by the true outputs (L_Exec, cross-entropy per position). With `end`
 *   (`--no_partial_execution`) only that final prediction is made, from the true inputs; `none` has no
 *   executor.
 * - **Operation predictor** (`opPredictor`): per row and position, a query from [input encoding, output
 *   encoding] attends over a fixed table of OPS = 10 operations — in + c for c ∈ [−4, 4] (in − c is
 *   in + (−c)) and one "none of these" — with learned keys and values; its weights are supervised by
 *   the operation that maps the input value to the output value (L_Op, on the true inputs), and the
 *   attended op values are a third memory the decoder attends over (recomputed after each latent
 *   execution).
 * - **Decoder self-attention** (`selfAttention`): step t reads, besides the token embedding, scaled
 *   dot-product attention (query W h) over the embeddings of the tokens read so far (positions 0 … t).
 *
 * Graphs over one weight set (nn/entries.ts), each holding its own part of the weights so that a shipped
 * folder stores every tensor once: `training` (teacher-forced; loss = token NLL + L_Exec + L_Op),
 * `encode` (value distributions per list position and the output tokens → memories and state: the
 * spec's inputs one-hot, or the executor's latent inputs), `step` (one token: decoder and, with partial
 * execution, the program reader) and, with partial execution, `exec` (memories and program state →
 * latent inputs). The incremental decoder (backend.ts) keeps the memories, the program state and the
 * token history in each prefix's state; at the steps where the executor runs it follows `step` with
 * `exec` and `encode` for those prefixes.
 */
import {
  attend,
  attentionMemory,
  dotAttention,
  embedding,
  linear,
  lstmCell,
  oneHot,
  op,
  sequenceLoss,
  timeStep,
  unrollLstm,
  zerosRows,
  type AttentionMemory,
  type BuildContext,
  type BuiltModel,
  type LstmState,
  type MultiEntryDef,
  type Tensor,
} from '../../../nn/build.js';
import { decoderStep, type SeqNetOptions } from '../net.js';

/** Values a list position holds ([−4, 4]); stream token 9 = out of range. */
export const VALUES = 9;
/** The operation table: in + c for c ∈ [−4, 4], then "none of these". */
export const OPS = VALUES + 1;

export type ExecutorMode = 'none' | 'end' | 'partial';

export interface LaSynthOptions extends SeqNetOptions {
  readonly executor: ExecutorMode;
  /** K: the executor runs after every K tokens read (paper: 16). */
  readonly every: number;
  readonly opPredictor: boolean;
  readonly selfAttention: boolean;
  /** Token-history slots of the step graph's self-attention (≥ the formulation's maxTokens + 1). */
  readonly history: number;
}

/** The LaSynth switches (the ablation a model is). */
export type LaSynthSwitches = Pick<LaSynthOptions, 'executor' | 'every' | 'opPredictor' | 'selfAttention'>;

interface IOEncoding {
  /** enc0's outputs over the (latent) inputs, [R, L, H]. */
  readonly inputs: Tensor;
  readonly memories: AttentionMemory[];
  readonly state: LstmState;
  /** Operation scores [R, L, OPS] (op predictor only). */
  readonly opScores: Tensor | null;
}

const rowsDim = (o: LaSynthOptions): string => `batch*${o.rows}`;
const L = (o: LaSynthOptions): number => o.streams[0].length;

/** The soft embedding of value distributions P [R, L, W] (W = VALUES for latent inputs, the stream's
 * vocabulary for one-hot spec inputs): P · (enc0's embeddings of the first W tokens). */
function softInputs(ctx: BuildContext, o: LaSynthOptions, p: Tensor): Tensor {
  const table = ctx.param('enc0.emb.table', [o.streams[0].vocab, o.embed], {
    kind: 'normal',
    std: 1 / Math.sqrt(o.embed),
  });
  const w = p.shape[p.rank - 1] as number;
  return op.matmul(p, w === o.streams[0].vocab ? table : op.slice(table, [0], [w], [0]));
}

/** The I/O encoder from input embeddings x0 [R, L, E] and output tokens ids1 [R, L] (seq/net.ts's
 * encodeSpec, parameter for parameter, plus the op predictor). */
function encodeIO(ctx: BuildContext, o: LaSynthOptions, x0: Tensor, ids1: Tensor): IOEncoding {
  const H = o.hidden;
  const z = zerosRows(timeStep(x0, 0), H);
  const e0 = unrollLstm(ctx, 'enc0', x0, { h: z, c: z }, H);
  const x1 = embedding(ctx, 'enc1.emb', ids1, o.streams[1].vocab, o.embed);
  const prev = attentionMemory(ctx, 'att.enc1', e0.outputs, { hidden: o.attention });
  const e1 = unrollLstm(ctx, 'enc1', x1, e0.last, H, {
    extra: (st: LstmState) => [attend(ctx, prev, st.h).context],
  });
  const memories = [
    attentionMemory(ctx, 'att.dec0', e0.outputs, { hidden: o.attention }),
    attentionMemory(ctx, 'att.dec1', e1.outputs, { hidden: o.attention }),
  ];
  let opScores: Tensor | null = null;
  if (o.opPredictor) {
    const q = linear(ctx, 'op.q', op.concat([e0.outputs, e1.outputs], 2), o.embed); // [R, L, E]
    const keys = ctx.param('op.keys', [o.embed, OPS], { kind: 'glorot', fanIn: o.embed, fanOut: OPS });
    const values = ctx.param('op.values', [OPS, o.embed], { kind: 'normal', std: 1 / Math.sqrt(o.embed) });
    opScores = op.matmul(q, keys); // [R, L, OPS]
    const picked = op.matmul(op.softmax(opScores, -1), values); // [R, L, E]
    memories.push(attentionMemory(ctx, 'att.decop', picked, { hidden: o.attention }));
  }
  return { inputs: e0.outputs, memories, state: e1.last, opScores };
}

/** The program reader's name: an LSTM over the embeddings of the tokens read, the executor's view of
 * the program. */
export const READER = 'exec.reader';

/** The latent executor: input encodings [R, L, H] and program state hp [R, H] → logits [R, L, VALUES]. */
export function executorLogits(ctx: BuildContext, o: LaSynthOptions, inputs: Tensor, hp: Tensor): Tensor {
  const H = o.hidden;
  const R = inputs.shape[0];
  const a = linear(ctx, 'exec.in', inputs, H);
  const g = op.reshape(linear(ctx, 'exec.all', timeStep(inputs, L(o) - 1), H, { bias: false }), [R, 1, H]);
  const b = op.reshape(linear(ctx, 'exec.prog', hp, H, { bias: false }), [R, 1, H]);
  return linear(ctx, 'exec.out', op.tanh(op.add(op.add(a, g), b)), VALUES);
}

/** One latent execution: new latent inputs from the executor, re-encoded. */
function execute(
  ctx: BuildContext,
  o: LaSynthOptions,
  enc: IOEncoding,
  hp: Tensor,
  ids1: Tensor,
): { enc: IOEncoding; latent: Tensor } {
  const latent = op.softmax(executorLogits(ctx, o, enc.inputs, hp), -1);
  return { enc: encodeIO(ctx, o, softInputs(ctx, o, latent), ids1), latent };
}

/** Whether the step that has read t tokens (the start token is t = 0) ends with a latent execution. */
export const executesAt = (o: LaSynthSwitches, t: number): boolean =>
  o.executor === 'partial' && t > 0 && t % o.every === 0;

/** x [batch, ...d] repeated for every row: [batch*rows, ...d] (`like`: any float [batch*rows, ...]). */
function tileRows(o: LaSynthOptions, x: Tensor, like: Tensor): Tensor {
  const d = x.shape.slice(1);
  const ones = d.map(() => 1);
  const zk = op.reshape(zerosRows(like, 1), ['batch', o.rows, ...ones]);
  return op.reshape(op.add(op.reshape(x, ['batch', 1, ...d]), zk), [rowsDim(o), ...d]);
}

const tokenTable = (ctx: BuildContext, o: LaSynthOptions, ids: Tensor): Tensor =>
  embedding(ctx, 'prog.emb', ids, o.progVocab + 1, o.embed);

/**
 * The decoder's input at a step: the token's embedding, with self-attention over the history. The
 * history is per program, [B, T, E] (mask [B, T], 1 = a token read): the rows' queries attend over it
 * together (dotAttention with [B, rows, E] queries), so the history is not copied per row.
 */
function stepInput(
  ctx: BuildContext,
  o: LaSynthOptions,
  s: LstmState,
  tokenEmb: Tensor,
  history: Tensor | null,
  historyMask?: Tensor,
): Tensor {
  if (!o.selfAttention || !history) return tokenEmb;
  const E = o.embed;
  const q = op.reshape(linear(ctx, 'dec.self.q', s.h, E, { bias: false }), ['batch', o.rows, E]);
  const { context } = dotAttention(q, history, historyMask); // [B, rows, E]
  return op.concat([tokenEmb, op.reshape(context, [rowsDim(o), E])], 1);
}

/** Cross-entropy and accuracy of class logits [R, L, C] against labels [R, L] (labels ≥ C ignored). */
function classLoss(logits: Tensor, labels: Tensor, C: number): { loss: Tensor; accuracy: Tensor } {
  const oh = oneHot(labels, C); // [R, L, C]; zeros for an ignored label
  const valid = op.reduceSum(oh, [2]); // [R, L]
  const n = op.add(op.reduceSum(valid, [0, 1]), 1e-9);
  const nll = op.neg(op.reduceSum(op.mul(oh, op.logSoftmax(logits, -1)), [2]));
  const isMax = op.cast(op.equal(logits, op.reduceMax(logits, [2], true)), 'float32');
  const hit = op.stopGradient(op.reduceSum(op.mul(oh, isMax), [2]));
  return {
    loss: op.div(op.reduceSum(nll, [0, 1]), n),
    accuracy: op.div(op.reduceSum(op.cast(op.greater(hit, 0.5), 'float32'), [0, 1]), n),
  };
}

/** Segment of each training step: how many latent executions happened before it. */
function segmentMatrix(o: LaSynthOptions): { segments: number; matrix: Float32Array } {
  const T = o.steps;
  const seg: number[] = [];
  let n = 0;
  for (let t = 0; t < T; t++) {
    seg.push(n);
    if (executesAt(o, t) && t < T - 1) n++;
  }
  const S = n + 1;
  const matrix = new Float32Array(T * S);
  seg.forEach((s, t) => (matrix[t * S + s] = 1));
  return { segments: S, matrix };
}

function ioInputs(ctx: BuildContext, o: LaSynthOptions): { ids0: Tensor; ids1: Tensor; raw1: Tensor } {
  const R = rowsDim(o);
  const s0 = ctx.input('s0', ['batch', o.rows, L(o)], 'int32');
  const raw1 = ctx.input('s1', ['batch', o.rows, L(o)], 'int32');
  return { ids0: op.reshape(s0, [R, L(o)]), ids1: op.reshape(raw1, [R, L(o)]), raw1 };
}

/**
 * Teacher-forced training graph. Inputs: `s0`, `s1` [B, rows, L] (value tokens), `prev` [B, T];
 * for the losses `target`, `mask` [B, T], `legal` [B, T, V], `endAt` [B, T] (1 at step L − 1 of each
 * program) and, with the op predictor, `opLabel` [B, rows, L] (int32, OPS − 1 = none).
 */
function training(ctx: BuildContext, o: LaSynthOptions): BuiltModel {
  const T = o.steps;
  const R = rowsDim(o);
  const { ids0, ids1 } = ioInputs(ctx, o);
  let enc = encodeIO(ctx, o, embedding(ctx, 'enc0.emb', ids0, o.streams[0].vocab, o.embed), ids1);
  const first = enc;
  const prev = ctx.input('prev', ['batch', T], 'int32');
  const emb = tokenTable(ctx, o, prev); // [B, T, E]
  const embR = tileRows(o, emb, enc.state.h); // [R, T, E]
  // The executor's view of the program: step t's state has read tokens 0 … t (per program, not per row).
  const reader =
    o.executor === 'none'
      ? null
      : unrollLstm(
          ctx,
          READER,
          emb,
          { h: zerosRows(timeStep(emb, 0), o.hidden), c: zerosRows(timeStep(emb, 0), o.hidden) },
          o.hidden,
        );
  let s = enc.state;
  const pooled: Tensor[] = [];
  const latents: Tensor[] = [enc.inputs];
  for (let t = 0; t < T; t++) {
    const history = o.selfAttention ? op.slice(emb, [0], [t + 1], [1]) : null;
    const r = decoderStep(ctx, o, enc.memories, s, stepInput(ctx, o, s, timeStep(embR, t), history));
    s = r.state;
    pooled.push(op.reshape(r.pooled, ['batch', 1, o.hidden]));
    if (executesAt(o, t) && t < T - 1 && reader) {
      enc = execute(ctx, o, enc, tileRows(o, reader.states[t].h, enc.state.h), ids1).enc;
      latents.push(enc.inputs);
    }
  }
  const logits = op.reshape(linear(ctx, 'logits', op.concat(pooled, 1), o.progVocab), [
    'batch',
    T,
    o.progVocab,
  ]);
  if (!ctx.training) return { outputs: { logits } };
  const target = ctx.input('target', ['batch', T], 'int32');
  const mask = ctx.input('mask', ['batch', T]);
  const legal = ctx.input('legal', ['batch', T, o.progVocab]);
  const l = sequenceLoss(logits, target, mask, { legal });
  let loss = l.loss;
  const metrics: Record<string, Tensor> = {
    tokenAccuracy: l.tokenAccuracy,
    sequenceAccuracy: l.sequenceAccuracy,
  };
  if (reader) {
    const endAt = ctx.input('endAt', ['batch', T]);
    const endR = tileRows(o, endAt, enc.state.h); // [R, T]
    const hpEnd = op.reshape(op.matmul(op.reshape(endAt, ['batch', 1, T]), reader.outputs), [
      'batch',
      o.hidden,
    ]);
    const hEnd = tileRows(o, hpEnd, enc.state.h); // [R, H]: the program state that read the whole program
    let inputsEnd = latents[0];
    if (latents.length > 1) {
      const { segments: S, matrix } = segmentMatrix(o);
      const segW = op.matmul(endR, ctx.graph.constant(matrix, [T, S])); // [R, S]
      const flat = op.concat(
        latents.map((x) => op.reshape(x, [R, 1, L(o) * o.hidden])),
        1,
      ); // [R, S, L·H]
      inputsEnd = op.reshape(op.matmul(op.reshape(segW, [R, 1, S]), flat), [R, L(o), o.hidden]);
    }
    const ex = classLoss(executorLogits(ctx, o, inputsEnd, hEnd), ids1, VALUES);
    loss = op.add(loss, ex.loss);
    metrics.execLoss = ex.loss;
    metrics.execAccuracy = ex.accuracy;
  }
  if (first.opScores) {
    const labels = op.reshape(ctx.input('opLabel', ['batch', o.rows, L(o)], 'int32'), [R, L(o)]);
    const ol = classLoss(first.opScores, labels, OPS);
    loss = op.add(loss, ol.loss);
    metrics.opLoss = ol.loss;
    metrics.opAccuracy = ol.accuracy;
  }
  return { outputs: { logits }, loss, metrics };
}

/** Memory names of the step graphs' inputs (`m<j>`, `p<j>`). */
export const memoryCount = (o: Pick<LaSynthOptions, 'opPredictor'>): number => (o.opPredictor ? 3 : 2);
const memoryName = (j: number): string => (j < 2 ? `att.dec${j}` : 'att.decop');
const memoryWidth = (o: LaSynthOptions, j: number): number => (j < 2 ? o.hidden : o.embed);

function memoryOutputs(o: LaSynthOptions, memories: readonly AttentionMemory[], suffix: string) {
  const out: Record<string, Tensor> = {};
  const N = (t: Tensor) => op.reshape(t, ['batch', o.rows, ...t.shape.slice(1)]);
  memories.forEach((m, j) => {
    out[`m${j}${suffix}`] = N(m.keys);
    out[`p${j}${suffix}`] = N(m.projected);
  });
  return out;
}

/**
 * Encode graph: `x0` [B, rows, L, V0] (a distribution over the input stream's tokens per list position:
 * one-hot for a spec, the executor's latent inputs after a latent execution) and `s1` (output tokens) →
 * `m<j>`, `p<j>` (keys and projections of each memory), `h`, `c`.
 */
function encodeEntry(ctx: BuildContext, o: LaSynthOptions): BuiltModel {
  const R = rowsDim(o);
  const x0 = ctx.input('x0', ['batch', o.rows, L(o), o.streams[0].vocab]);
  const ids1 = op.reshape(ctx.input('s1', ['batch', o.rows, L(o)], 'int32'), [R, L(o)]);
  const p = op.reshape(x0, [R, L(o), o.streams[0].vocab]);
  const enc = encodeIO(ctx, o, softInputs(ctx, o, p), ids1);
  const N = (t: Tensor) => op.reshape(t, ['batch', o.rows, ...t.shape.slice(1)]);
  return { outputs: { ...memoryOutputs(o, enc.memories, ''), h: N(enc.state.h), c: N(enc.state.c) } };
}

/** Whether the step graph carries the program reader (only partial execution runs the executor while
 * decoding). */
export const readsProgram = (o: Pick<LaSynthOptions, 'executor'>): boolean => o.executor === 'partial';

/**
 * Step graph: `m<j>`, `p<j>`, `h`, `c` (per state), `token` [N] and, with self-attention, `hist`
 * [N, history] (int32: the tokens read so far, this one included) and `histMask` [N, history] →
 * `hNext`, `cNext`, `logits` [N, V]; with partial execution also the program reader's `hp`, `cp`
 * [N, H] → `hpNext`, `cpNext`.
 */
function stepEntry(ctx: BuildContext, o: LaSynthOptions): BuiltModel {
  const R = rowsDim(o);
  const H = o.hidden;
  const rows = (t: Tensor) => op.reshape(t, [R, ...t.shape.slice(2)]);
  const memories: AttentionMemory[] = [];
  for (let j = 0; j < memoryCount(o); j++) {
    const keys = rows(ctx.input(`m${j}`, ['batch', o.rows, L(o), memoryWidth(o, j)]));
    const projected = rows(ctx.input(`p${j}`, ['batch', o.rows, L(o), o.attention]));
    memories.push({ name: memoryName(j), keys, values: keys, projected, hidden: o.attention });
  }
  const h = rows(ctx.input('h', ['batch', o.rows, H]));
  const c = rows(ctx.input('c', ['batch', o.rows, H]));
  const token = ctx.input('token', ['batch'], 'int32');
  const emb = tokenTable(ctx, o, token); // [N, E]
  const embR = tileRows(o, emb, h);
  let history: Tensor | null = null;
  let historyMask: Tensor | undefined;
  if (o.selfAttention) {
    history = tokenTable(ctx, o, ctx.input('hist', ['batch', o.history], 'int32')); // [N, Lh, E]
    historyMask = ctx.input('histMask', ['batch', o.history]);
  }
  const r = decoderStep(ctx, o, memories, { h, c }, stepInput(ctx, o, { h, c }, embR, history, historyMask));
  const back = (t: Tensor) => op.reshape(t, ['batch', o.rows, H]);
  const outputs: Record<string, Tensor> = {
    hNext: back(r.state.h),
    cNext: back(r.state.c),
    logits: linear(ctx, 'logits', r.pooled, o.progVocab),
  };
  if (readsProgram(o)) {
    const hp = ctx.input('hp', ['batch', H]);
    const cp = ctx.input('cp', ['batch', H]);
    const next = lstmCell(ctx, READER, emb, { h: hp, c: cp }, H);
    outputs.hpNext = next.h;
    outputs.cpNext = next.c;
  }
  return { outputs };
}

/**
 * Executor graph (partial execution): `m0` [N, rows, L, H] (the current latent inputs' encodings) and
 * `hp` [N, H] (the program state after the step) → `latent` [N, rows, L, VALUES], the new latent inputs,
 * which the decoder feeds to `encode`.
 */
function execEntry(ctx: BuildContext, o: LaSynthOptions): BuiltModel {
  const R = rowsDim(o);
  const inputs = op.reshape(ctx.input('m0', ['batch', o.rows, L(o), o.hidden]), [R, L(o), o.hidden]);
  const hp = tileRows(o, ctx.input('hp', ['batch', o.hidden]), inputs);
  const latent = op.softmax(executorLogits(ctx, o, inputs, hp), -1);
  return { outputs: { latent: op.reshape(latent, ['batch', o.rows, L(o), VALUES]) } };
}

export type LaSynthEntries = 'encode' | 'step' | 'exec';

export function lasynthNet(name: string, o: LaSynthOptions): MultiEntryDef<LaSynthEntries> {
  const entries: Partial<Record<LaSynthEntries, (ctx: BuildContext) => BuiltModel>> = {
    encode: (ctx) => encodeEntry(ctx, o),
    step: (ctx) => stepEntry(ctx, o),
  };
  if (readsProgram(o)) entries.exec = (ctx) => execEntry(ctx, o);
  return {
    name,
    training: (ctx) => training(ctx, o),
    entries: entries as Record<LaSynthEntries, (ctx: BuildContext) => BuiltModel>,
  };
}
