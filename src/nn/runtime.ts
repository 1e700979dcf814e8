/**
 * The only door to onnxruntime-node: sessions (cached per model bytes and thread count) and tensors.
 * ORT wraps input arrays without copying, so callers may keep a RtTensor and update its data in place.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { DType } from './graph.js';

export type FeedArray = Float32Array | Int32Array | BigInt64Array | Uint8Array;
export type RtTensor = ort.Tensor;
export type OutArray = Float32Array | Int32Array | BigInt64Array | Uint8Array;

export interface RuntimeOptions {
  /** Intra-op threads; default all cores (use 1 per worker when several run). */
  threads?: number;
  /**
   * Let idle ORT worker threads spin-wait for work (default false). Spinning wins a little on an idle
   * machine but loses badly when other processes share the cores: a CNN training step measured 145 ms
   * with spinning and 85–92 ms without, beside another busy process on this 2-core machine.
   */
  spin?: boolean;
}

export const defaultThreads = (): number => availableParallelism();

export function rtTensor(dtype: DType, data: FeedArray, dims: readonly number[]): RtTensor {
  return new ort.Tensor(dtype, data as never, dims);
}

export class Session {
  private constructor(
    private readonly sess: ort.InferenceSession,
    readonly threads: number,
  ) {}

  static async create(bytes: Uint8Array, opts: RuntimeOptions = {}): Promise<Session> {
    const threads = opts.threads ?? defaultThreads();
    const sess = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: opts.spin ? '1' : '0' } } },
    });
    return new Session(sess, threads);
  }

  get inputNames(): readonly string[] {
    return this.sess.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.sess.outputNames;
  }

  /** Runs the model; returns the outputs' data (copied by ORT) and dims. */
  async run(
    feeds: Record<string, RtTensor>,
    outputs?: readonly string[],
  ): Promise<Record<string, { data: OutArray; dims: number[] }>> {
    const res = outputs ? await this.sess.run(feeds, outputs as string[]) : await this.sess.run(feeds);
    const out: Record<string, { data: OutArray; dims: number[] }> = {};
    for (const [k, t] of Object.entries(res)) out[k] = { data: t.data as OutArray, dims: [...t.dims] };
    return out;
  }

  async release(): Promise<void> {
    await this.sess.release();
  }
}

const cache = new Map<string, Promise<Session>>();

/** A session for these model bytes and thread count, created once per process. */
export function cachedSession(bytes: Uint8Array, opts: RuntimeOptions = {}): Promise<Session> {
  const threads = opts.threads ?? defaultThreads();
  const key = `${createHash('sha1').update(bytes).digest('hex')}:${threads}:${opts.spin ? 1 : 0}`;
  let s = cache.get(key);
  if (!s) {
    s = Session.create(bytes, { ...opts, threads });
    cache.set(key, s);
    s.catch(() => cache.delete(key));
  }
  return s;
}
