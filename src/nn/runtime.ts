/**
 * The door to ONNX Runtime: sessions (cached per model bytes and thread count) and tensors, over a
 * pluggable backend. The node product registers onnxruntime-node (runtime-node.ts, imported by
 * nn/index.ts); a browser registers onnxruntime-web with `setOnnxBackend(ort)`. Nothing here imports a
 * runtime or a node module, so the browser inference entry (inference.ts) can use this file as it is.
 * ORT wraps input arrays without copying, so callers may keep a RtTensor and update its data in place.
 */
import type { DType } from './types.js';

export type FeedArray = Float32Array | Int32Array | BigInt64Array | Uint8Array;
export type OutArray = Float32Array | Int32Array | BigInt64Array | Uint8Array;

/** What we use of an ORT tensor (onnxruntime-common's Tensor satisfies it). */
export interface BackendTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** What we use of ORT's session options (a subset of onnxruntime-common's SessionOptions). */
export interface BackendSessionOptions {
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  executionMode?: 'sequential' | 'parallel';
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  extra?: Record<string, unknown>;
}

/** What we use of an ORT inference session. */
export interface BackendSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, BackendTensor>): Promise<Record<string, BackendTensor>>;
  run(feeds: Record<string, BackendTensor>, fetches: string[]): Promise<Record<string, BackendTensor>>;
  /** Outputs mapped to pre-allocated tensors ORT writes into (or null: ORT allocates). */
  run(
    feeds: Record<string, BackendTensor>,
    fetches: Record<string, BackendTensor | null>,
  ): Promise<Record<string, BackendTensor>>;
  release(): Promise<void>;
}

/**
 * An ORT-like backend: the `onnxruntime-node` or `onnxruntime-web` module object fits as it is. The two
 * optional fields say how this backend is best run: threads when the caller gives none (node: all cores),
 * and options added to every session (e.g. `{ executionProviders: ['wasm'] }`).
 */
export interface OnnxBackend {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: BackendSessionOptions): Promise<BackendSession>;
  };
  readonly Tensor: new (type: DType, data: FeedArray, dims: readonly number[]) => BackendTensor;
  defaultThreads?: () => number;
  sessionOptions?: Record<string, unknown>;
}

export type RtTensor = BackendTensor;

let backend: OnnxBackend | null = null;

interface CacheEntry {
  readonly bytes: Uint8Array;
  readonly session: Promise<Session>;
}

/** Sessions by model content, threads and spinning (see cachedSession). */
const cache = new Map<string, CacheEntry[]>();

/** Sets the runtime every session and tensor is made with (the node entry sets onnxruntime-node). */
export function setOnnxBackend(
  b: OnnxBackend,
  extra: Pick<OnnxBackend, 'defaultThreads' | 'sessionOptions'> = {},
): void {
  // Sessions belong to the runtime that made them: a new backend starts a new cache.
  if (backend && backend.InferenceSession !== b.InferenceSession) cache.clear();
  backend = {
    InferenceSession: b.InferenceSession,
    Tensor: b.Tensor,
    defaultThreads: extra.defaultThreads ?? b.defaultThreads,
    sessionOptions: extra.sessionOptions ?? b.sessionOptions,
  };
}

export function getOnnxBackend(): OnnxBackend {
  if (!backend)
    throw new Error(
      'nn: no ONNX Runtime backend: import nn/index.js (node) or call setOnnxBackend(ort) (e.g. onnxruntime-web)',
    );
  return backend;
}

export interface RuntimeOptions {
  /** Intra-op threads; default the backend's (node: all cores; use 1 per worker when several run). */
  threads?: number;
  /**
   * Let idle ORT worker threads spin-wait for work (default false). Spinning wins a little on an idle
   * machine but loses badly when other processes share the cores: a CNN training step measured 145 ms
   * with spinning and 85–92 ms without, beside another busy process on this 2-core machine.
   */
  spin?: boolean;
  /**
   * ORT graph optimisation level (default 'all'). Training graphs use 'extended': their convolutions take
   * weights as inputs, which ORT's NCHWc layout pass (level 'all') cannot pre-pack, so it only wraps
   * pooling and resizing in layout reorders that cost more than they save.
   */
  optimization?: 'basic' | 'extended' | 'all';
}

/** Threads a session gets when the caller gives none: the backend's choice, else 1. */
export const defaultThreads = (): number => getOnnxBackend().defaultThreads?.() ?? 1;

export function rtTensor(dtype: DType, data: FeedArray, dims: readonly number[]): RtTensor {
  return new (getOnnxBackend().Tensor)(dtype, data, dims);
}

export class Session {
  private constructor(
    private readonly sess: BackendSession,
    readonly threads: number,
  ) {}

  static async create(bytes: Uint8Array, opts: RuntimeOptions = {}): Promise<Session> {
    const b = getOnnxBackend();
    const threads = opts.threads ?? defaultThreads();
    const sess = await b.InferenceSession.create(bytes, {
      ...b.sessionOptions,
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: opts.optimization ?? 'all',
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

  /**
   * Runs the model; returns the outputs' data (copied by ORT) and dims. `outputs` names the outputs to
   * compute, or maps them to tensors ORT writes into (pre-allocated, reused across runs: no allocation
   * and no copy per run) or to null (ORT allocates).
   */
  async run(
    feeds: Record<string, RtTensor>,
    outputs?: readonly string[] | Readonly<Record<string, RtTensor | null>>,
  ): Promise<Record<string, { data: OutArray; dims: number[] }>> {
    const res = !outputs
      ? await this.sess.run(feeds)
      : Array.isArray(outputs)
        ? await this.sess.run(feeds, [...(outputs as readonly string[])])
        : await this.sess.run(feeds, { ...(outputs as Record<string, RtTensor | null>) });
    const out: Record<string, { data: OutArray; dims: number[] }> = {};
    for (const [k, t] of Object.entries(res)) out[k] = { data: t.data as OutArray, dims: [...t.dims] };
    return out;
  }

  async release(): Promise<void> {
    await this.sess.release();
  }
}

/** The whole 32-bit words of `b` (a view when aligned, else a copy; node Buffers slice as views). */
function words(b: Uint8Array): Int32Array {
  if (b.byteOffset % 4 === 0) return new Int32Array(b.buffer, b.byteOffset, b.byteLength >>> 2);
  const copy = new Uint8Array(b.byteLength & ~3);
  copy.set(b.subarray(0, copy.length));
  return new Int32Array(copy.buffer);
}

/**
 * A 64-bit content hash of model bytes, for the session cache key: FNV-1a-style multiply chains over
 * 32-bit words in four independent lanes (so the CPU overlaps them), folded into two. Not
 * cryptographic: a cache hit is confirmed by comparing the bytes. Measured (best of 25): 2.8 ms on the
 * 14.8 MB float32 strings model and 1.5 ms on its 7.4 MB float16 file, vs 9.4 ms and 4.5 ms for
 * node:crypto's sha1 (the previous key, which browsers lack); the same array is hashed only once.
 */
export function contentHash(bytes: Uint8Array): string {
  const w = words(bytes);
  const n = w.length & ~3;
  let a = 0x811c9dc5 ^ bytes.byteLength;
  let b = 0x9e3779b9;
  let c = 0x85ebca6b;
  let d = 0xc2b2ae35;
  for (let i = 0; i < n; i += 4) {
    a = Math.imul(a ^ w[i], 0x01000193);
    b = Math.imul(b ^ w[i + 1], 0x01000193);
    c = Math.imul(c ^ w[i + 2], 0x01000193);
    d = Math.imul(d ^ w[i + 3], 0x01000193);
  }
  for (let i = n * 4; i < bytes.byteLength; i++) a = Math.imul(a ^ bytes[i], 0x01000193);
  const h1 = Math.imul(a ^ (c >>> 15) ^ (a >>> 16), 0x85ebca6b) ^ c;
  const h2 = Math.imul(b ^ (d >>> 13) ^ (b >>> 16), 0xc2b2ae35) ^ d;
  return `${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.byteLength !== b.byteLength) return false;
  const wa = words(a);
  const wb = words(b);
  for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
  for (let i = wa.length * 4; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The content hash per byte array already seen (the same array is never hashed twice). */
const hashed = new WeakMap<Uint8Array, string>();

/** A session for these model bytes and thread count, created once per process. */
export function cachedSession(bytes: Uint8Array, opts: RuntimeOptions = {}): Promise<Session> {
  const threads = opts.threads ?? defaultThreads();
  let h = hashed.get(bytes);
  if (h === undefined) hashed.set(bytes, (h = contentHash(bytes)));
  const key = `${h}:${bytes.byteLength}:${threads}:${opts.spin ? 1 : 0}`;
  const entries = cache.get(key) ?? [];
  const hit = entries.find((e) => sameBytes(e.bytes, bytes));
  if (hit) return hit.session;
  const entry: CacheEntry = { bytes, session: Session.create(bytes, { ...opts, threads }) };
  entries.push(entry);
  cache.set(key, entries);
  entry.session.catch(() => {
    const list = cache.get(key)?.filter((e) => e !== entry) ?? [];
    if (list.length > 0) cache.set(key, list);
    else cache.delete(key);
  });
  return entry.session;
}
