/**
 * Recurrent helpers over the cells of layers.ts (`lstmCell`, `gruCell`, re-exported here).
 *
 * - `zerosRows(like, width)`: zeros [B, width] carrying `like`'s (symbolic) batch dim, for initial states.
 * - `timeStep(x, t)`: step t of a [B, T, D] sequence as [B, D].
 * - `unrollLstm(ctx, name, x, s0, hidden, opts)`: an LSTM over x [B, T, D] from state s0 = {h, c}; returns
 *   every step's h as [B, T, H], each step's state, and the last state. `opts.extra(s, t)` appends tensors
 *   to the input of step t computed from the state before it (attention contexts: input feeding);
 *   `opts.mask` [B, T] (1 = real token, 0 = padding) keeps the state unchanged over padded steps, so
 *   `last` is the state after each row's last real token (and the padded rows' outputs repeat it).
 * - `unrollGru(...)`: the same for a GRU (state = h).
 * - `unrollWith(T, s0, step)`: the generic loop both use: `step(t, s)` → next state; returns the states.
 *
 * Weight sharing is by name (as everywhere in nn): one `name` unrolled twice, or used by an incremental
 * `step` graph (entries.ts), is the same cell.
 */
import type { Tensor } from './graph.js';
import { type LstmState, gruCell, lstmCell } from './layers.js';
import * as op from './ops/all.js';
import type { BuildContext } from './params.js';

export { gruCell, lstmCell, type LstmState };

/** Zeros [B, width] with the batch dim of `like` ([B, ...]); no gradient flows into `like`. */
export function zerosRows(like: Tensor, width: number): Tensor {
  const flat = like.rank === 2 ? like : op.reshape(like, [like.shape[0], -1]);
  const zr = op.stopGradient(op.mul(op.reduceSum(flat, [1], true), 0)); // [B, 1]
  return op.add(zr, like.graph.constant(new Float32Array(width), [width]));
}

/** Step t of x [B, T, D] as [B, D]. */
export function timeStep(x: Tensor, t: number): Tensor {
  return op.reshape(op.slice(x, [t], [t + 1], [1]), [x.shape[0], x.shape[2]]);
}

/** Column t of a mask [B, T] as [B, 1]. */
const maskAt = (mask: Tensor, t: number): Tensor => op.slice(mask, [t], [t + 1], [1]);

/** m·a + (1 − m)·b for a [B, 1] mask m. */
const blend = (m: Tensor, a: Tensor, b: Tensor): Tensor => op.add(b, op.mul(m, op.sub(a, b)));

/** Runs `step` for t = 0 … T−1 from s0; returns the T states after each step. */
export function unrollWith<S>(T: number, s0: S, step: (t: number, s: S) => S): S[] {
  const states: S[] = [];
  let s = s0;
  for (let t = 0; t < T; t++) states.push((s = step(t, s)));
  return states;
}

export interface UnrollOptions<S> {
  /** Extra input of step t, computed from the state before it (e.g. attention contexts). */
  extra?: (s: S, t: number) => Tensor[];
  /** [B, T] float, 1 = real step, 0 = padding (the state is carried over unchanged). */
  mask?: Tensor;
}

export interface Unrolled<S> {
  /** Every step's hidden output, [B, T, H]. */
  outputs: Tensor;
  /** The state after each step. */
  states: S[];
  last: S;
}

const stack = (hs: Tensor[]): Tensor =>
  op.concat(
    hs.map((h) => op.reshape(h, [h.shape[0], 1, h.shape[1]])),
    1,
  );

function inputAt<S>(x: Tensor, t: number, s: S, opts: UnrollOptions<S>): Tensor {
  const xt = timeStep(x, t);
  return opts.extra ? op.concat([xt, ...opts.extra(s, t)], 1) : xt;
}

/** An LSTM over x [B, T, D] (see the file header). */
export function unrollLstm(
  ctx: BuildContext,
  name: string,
  x: Tensor,
  s0: LstmState,
  hidden: number,
  opts: UnrollOptions<LstmState> = {},
): Unrolled<LstmState> {
  const states = unrollWith(x.shape[1] as number, s0, (t, s) => {
    const n = lstmCell(ctx, name, inputAt(x, t, s, opts), s, hidden);
    if (!opts.mask) return n;
    const m = maskAt(opts.mask, t);
    return { h: blend(m, n.h, s.h), c: blend(m, n.c, s.c) };
  });
  return { outputs: stack(states.map((s) => s.h)), states, last: states[states.length - 1] ?? s0 };
}

/** A GRU over x [B, T, D] (see the file header). */
export function unrollGru(
  ctx: BuildContext,
  name: string,
  x: Tensor,
  h0: Tensor,
  hidden: number,
  opts: UnrollOptions<Tensor> = {},
): Unrolled<Tensor> {
  const states = unrollWith(x.shape[1] as number, h0, (t, h) => {
    const n = gruCell(ctx, name, inputAt(x, t, h, opts), h, hidden);
    return opts.mask ? blend(maskAt(opts.mask, t), n, h) : n;
  });
  return { outputs: stack(states), states, last: states[states.length - 1] ?? h0 };
}
