/**
 * The encoder-decoder family of the no-REPL baselines (RobustFill; Property Signatures; REFERENCE §2),
 * generic over problems: a spec is `rows` rows (RobustFill: the I/O examples; Property Signatures: one
 * row) of `streams` token sequences (RobustFill: input values, then output values; Property
 * Signatures: the signature's symbols).
 *
 * - Encoder, per row: an LSTM over stream 0 from zeros; an LSTM over each later stream j from stream
 *   j−1's last state whose steps also read attention over stream j−1's encodings (the outputs attend
 *   over the inputs).
 * - Decoder, per row: an LSTM over the program tokens (a start token first) from the last stream's
 *   last state; step t reads [embedding of token t−1, attention over each stream's encodings in order
 *   (inputs, then outputs), queried by the previous h]; its feature tanh(W [h, contexts]) is max-pooled
 *   over the rows, then a linear layer gives the token logits.
 *
 * Three graphs over one set of weights (nn/entries.ts): `training` (teacher-forced, the whole sequence
 * unrolled, cross-entropy of every real token under the grammar's legal mask), `encode` (spec → each
 * stream's encodings and their attention projections, initial state) and `step` (a batch of cached
 * states + one token each → next states, logits). `decoderStep` is the one step both use: LaSynth's
 * additions (#17: executor replacing the memories every K steps, operation predictor on the encoder,
 * decoder self-attention) plug in there and in `encodeSpec`, without touching the rest.
 */
import {
  attend,
  attentionMemory,
  embedding,
  linear,
  lstmCell,
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
} from '../../nn/build.js';

export interface SeqStream {
  /** Tokens per row. */
  readonly length: number;
  readonly vocab: number;
}

export interface SeqNetOptions {
  /** Rows per spec (RobustFill: the examples), decoded in parallel and max-pooled. */
  readonly rows: number;
  readonly streams: readonly SeqStream[];
  /** Program vocabulary (the token formulation's); the start token is `progVocab`. */
  readonly progVocab: number;
  /** Teacher-forced steps of the training graph (longer programs are not trained on). */
  readonly steps: number;
  readonly embed: number;
  readonly hidden: number;
  /** Width of the attention score layers. */
  readonly attention: number;
}

/** Network sizes apart from the problem's rows, streams and vocabulary. */
export type SeqSizes = Pick<SeqNetOptions, 'steps' | 'embed' | 'hidden' | 'attention'>;

export interface Encoded {
  /** One attention memory per stream, [R, L_j, H] (R = batch × rows). */
  readonly memories: AttentionMemory[];
  readonly state: LstmState;
}

const streamName = (j: number): string => `s${j}`;

/** The spec encoder over stream inputs [N, rows, L_j] (int32). */
export function encodeSpec(ctx: BuildContext, o: SeqNetOptions, streams: readonly Tensor[]): Encoded {
  const R = `batch*${o.rows}`;
  const H = o.hidden;
  const encodings: Tensor[] = [];
  let state: LstmState | null = null;
  o.streams.forEach((s, j) => {
    const ids = op.reshape(streams[j], [R, s.length]);
    const x = embedding(ctx, `enc${j}.emb`, ids, s.vocab, o.embed); // [R, L, E]
    const s0 = state ?? { h: zerosRows(timeStep(x, 0), H), c: zerosRows(timeStep(x, 0), H) };
    const prev =
      j > 0 ? attentionMemory(ctx, `att.enc${j}`, encodings[j - 1], { hidden: o.attention }) : null;
    const r = unrollLstm(ctx, `enc${j}`, x, s0, H, {
      ...(prev ? { extra: (st: LstmState) => [attend(ctx, prev, st.h).context] } : {}),
    });
    encodings.push(r.outputs);
    state = r.last;
  });
  // The decoder's attention over each stream's encodings.
  const decMemories = encodings.map((keys, j) =>
    attentionMemory(ctx, `att.dec${j}`, keys, { hidden: o.attention }),
  );
  return { memories: decMemories, state: state! };
}

/**
 * One decoder step for R rows: previous tokens' embeddings [R, E], state → new state and the pooled
 * feature [N, H] (max over the rows of tanh(W [h, contexts])).
 */
export function decoderStep(
  ctx: BuildContext,
  o: SeqNetOptions,
  memories: readonly AttentionMemory[],
  s: LstmState,
  tokenEmb: Tensor,
): { state: LstmState; pooled: Tensor } {
  const contexts = memories.map((m) => attend(ctx, m, s.h).context);
  const next = lstmCell(ctx, 'dec', op.concat([tokenEmb, ...contexts], 1), s, o.hidden);
  const feat = op.tanh(linear(ctx, 'dec.proj', op.concat([next.h, ...contexts], 1), o.hidden));
  const pooled = op.reduceMax(op.reshape(feat, ['batch', o.rows, o.hidden]), [1]);
  return { state: next, pooled };
}

const tokenTable = (ctx: BuildContext, o: SeqNetOptions, ids: Tensor): Tensor =>
  embedding(ctx, 'prog.emb', ids, o.progVocab + 1, o.embed);

const logitsOf = (ctx: BuildContext, o: SeqNetOptions, pooled: Tensor): Tensor =>
  linear(ctx, 'logits', pooled, o.progVocab);

function streamInputs(ctx: BuildContext, o: SeqNetOptions): Tensor[] {
  return o.streams.map((s, j) => ctx.input(streamName(j), ['batch', o.rows, s.length], 'int32'));
}

/** Teacher-forced training graph: inputs `s<j>`, `prev` [B, T] (start token first), and for the loss
 * `target` [B, T], `mask` [B, T] (1 = real token) and `legal` [B, T, V] (the grammar's mask). */
function training(ctx: BuildContext, o: SeqNetOptions): BuiltModel {
  const T = o.steps;
  const enc = encodeSpec(ctx, o, streamInputs(ctx, o));
  const prev = ctx.input('prev', ['batch', T], 'int32');
  const emb = tokenTable(ctx, o, prev); // [B, T, E]
  // Every row decodes the same program: tile the embeddings over the rows (zeros carry the batch dim).
  const zk = op.reshape(zerosRows(enc.state.h, 1), ['batch', o.rows, 1, 1]);
  const tiled = op.add(op.reshape(emb, ['batch', 1, T, o.embed]), zk); // [B, rows, T, E]
  const embR = op.reshape(tiled, [`batch*${o.rows}`, T, o.embed]);
  let s = enc.state;
  const pooled: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const r = decoderStep(ctx, o, enc.memories, s, timeStep(embR, t));
    s = r.state;
    pooled.push(op.reshape(r.pooled, ['batch', 1, o.hidden]));
  }
  const logits = logitsOf(ctx, o, op.concat(pooled, 1)); // [B, T, V]
  if (!ctx.training) return { outputs: { logits } };
  const target = ctx.input('target', ['batch', T], 'int32');
  const mask = ctx.input('mask', ['batch', T]);
  const legal = ctx.input('legal', ['batch', T, o.progVocab]);
  const l = sequenceLoss(logits, target, mask, { legal });
  return {
    outputs: { logits },
    loss: l.loss,
    metrics: { tokenAccuracy: l.tokenAccuracy, sequenceAccuracy: l.sequenceAccuracy },
  };
}

/** Encode graph: `s<j>` → `m<j>`, `p<j>` (encodings, their attention projections) and `h`, `c`. */
function encodeEntry(ctx: BuildContext, o: SeqNetOptions): BuiltModel {
  const enc = encodeSpec(ctx, o, streamInputs(ctx, o));
  const outputs: Record<string, Tensor> = {};
  const N = (t: Tensor) => op.reshape(t, ['batch', o.rows, ...t.shape.slice(1)]);
  enc.memories.forEach((m, j) => {
    outputs[`m${j}`] = N(m.keys);
    outputs[`p${j}`] = N(m.projected);
  });
  outputs.h = N(enc.state.h);
  outputs.c = N(enc.state.c);
  return { outputs };
}

/** Step graph: `m<j>`, `p<j>`, `h`, `c` (per state, as encode gives them) and `token` [N] → `hNext`,
 * `cNext`, `logits` [N, V]. Token −1 … is not allowed: the start token is `progVocab`. */
function stepEntry(ctx: BuildContext, o: SeqNetOptions): BuiltModel {
  const R = `batch*${o.rows}`;
  const H = o.hidden;
  const rows = (t: Tensor) => op.reshape(t, [R, ...t.shape.slice(2)]);
  const memories: AttentionMemory[] = o.streams.map((s, j) => {
    const keys = rows(ctx.input(`m${j}`, ['batch', o.rows, s.length, H]));
    const projected = rows(ctx.input(`p${j}`, ['batch', o.rows, s.length, o.attention]));
    return { name: `att.dec${j}`, keys, values: keys, projected, hidden: o.attention };
  });
  const h = rows(ctx.input('h', ['batch', o.rows, H]));
  const c = rows(ctx.input('c', ['batch', o.rows, H]));
  const token = ctx.input('token', ['batch'], 'int32');
  const emb = tokenTable(ctx, o, token); // [N, E]
  const zr = op.reshape(zerosRows(h, 1), ['batch', o.rows, 1]);
  const embR = op.reshape(op.add(op.reshape(emb, ['batch', 1, o.embed]), zr), [R, o.embed]);
  const r = decoderStep(ctx, o, memories, { h, c }, embR);
  const back = (t: Tensor) => op.reshape(t, ['batch', o.rows, H]);
  return { outputs: { hNext: back(r.state.h), cNext: back(r.state.c), logits: logitsOf(ctx, o, r.pooled) } };
}

export function seqNet(name: string, o: SeqNetOptions): MultiEntryDef<'encode' | 'step'> {
  return {
    name,
    training: (ctx) => training(ctx, o),
    entries: { encode: (ctx) => encodeEntry(ctx, o), step: (ctx) => stepEntry(ctx, o) },
  };
}

/** Multiply-adds of one decoder step per spec (for sizing: the decoder dominates). */
export function decoderMacs(o: SeqNetOptions): number {
  const H = o.hidden;
  const ctxW = o.streams.length * H;
  const att = o.streams.reduce((a, s) => a + H * o.attention + s.length * (o.attention + H), 0);
  return o.rows * ((o.embed + ctxW + H) * 4 * H + (H + ctxW) * H + att) + H * o.progVocab;
}
