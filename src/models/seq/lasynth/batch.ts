/**
 * Teacher-forcing batches of the LaSynth training graph: the sequence family's (seq/batch.ts) plus
 * `endAt` (1 at step L − 1 of each program: where the final latent execution is supervised) and, with
 * the op predictor, `opLabel` (per row and position, the operation in + c mapping input to output:
 * c + 4, or OPS − 1 when |c| > 4 or a value is out of range).
 */
import type { FeedArray } from '../../../nn/build.js';
import type { TokenGrammarLike } from '../codec.js';
import { teacherBatch, type SeqTask } from '../batch.js';
import { OPS, VALUES, type LaSynthOptions } from './net.js';
import type { LaSynthVariant } from './variants.js';

/** The op label of an input and an output value token (value + 4; VALUES = out of range). */
export function opLabel(inTok: number, outTok: number): number {
  if (inTok >= VALUES || outTok >= VALUES) return OPS - 1;
  const c = outTok - inTok;
  return Math.abs(c) <= 4 ? c + 4 : OPS - 1;
}

export function lasynthBatch(
  variant: LaSynthVariant,
  grammar: TokenGrammarLike,
  net: LaSynthOptions,
  tasks: readonly SeqTask[],
): Record<string, FeedArray> {
  const feeds = teacherBatch(variant.codec, grammar, net.steps, tasks);
  const T = net.steps;
  if (net.executor !== 'none') {
    const endAt = new Float32Array(tasks.length * T);
    tasks.forEach((t, i) => (endAt[i * T + t.tokens.length - 1] = 1));
    feeds.endAt = endAt;
  }
  if (net.opPredictor) {
    const s0 = feeds.s0 as Int32Array;
    const s1 = feeds.s1 as Int32Array;
    feeds.opLabel = Int32Array.from(s0, (a, k) => opLabel(a, s1[k]));
  }
  return feeds;
}
