/**
 * Teacher-forcing batches for the training graph of net.ts: each task's streams (codec), its
 * program tokens shifted right behind the start token (`prev`), the targets, a mask of the real
 * tokens and the grammar's legal mask before every token.
 */
import type { FeedArray } from '../../nn/build.js';
import { streamBuffers, type SeqSpecCodec, type TokenGrammarLike } from './codec.js';

export interface SeqTask {
  readonly spec: unknown;
  /** Program tokens, end token included; at most `steps` of them. */
  readonly tokens: readonly number[];
}

export function teacherBatch(
  codec: SeqSpecCodec,
  grammar: TokenGrammarLike,
  steps: number,
  tasks: readonly SeqTask[],
): Record<string, FeedArray> {
  const n = tasks.length;
  const V = grammar.vocabulary.length;
  const streams = streamBuffers(codec, n);
  const prev = new Int32Array(n * steps);
  const target = new Int32Array(n * steps);
  const mask = new Float32Array(n * steps);
  const legal = new Float32Array(n * steps * V);
  const row = new Uint8Array(V);
  tasks.forEach((t, i) => {
    if (t.tokens.length > steps) throw new Error(`seq: a task of ${t.tokens.length} tokens > ${steps} steps`);
    codec.write(t.spec, streams, i);
    let g: unknown = grammar.start();
    for (let s = 0; s < steps; s++) {
      const at = i * steps + s;
      prev[at] = s === 0 ? V : s <= t.tokens.length ? t.tokens[s - 1] : 0;
      if (s >= t.tokens.length) {
        legal[at * V] = 1; // padding: any legal row keeps the masked softmax finite
        continue;
      }
      target[at] = t.tokens[s];
      mask[at] = 1;
      grammar.legal(g, row);
      for (let v = 0; v < V; v++) legal[at * V + v] = row[v];
      const nx = grammar.next(g, t.tokens[s]);
      if (nx === null) throw new Error(`seq: token ${grammar.vocabulary[t.tokens[s]]} is not legal at ${s}`);
      g = nx;
    }
  });
  const feeds: Record<string, FeedArray> = { prev, target, mask, legal };
  streams.forEach((b, j) => (feeds[`s${j}`] = b));
  return feeds;
}
