/**
 * InferenceModel: a forward graph with its weights baked in, run by ORT on batches of any size (the batch
 * dimension is symbolic, so one session serves 1…N states). Made from the bytes of any plain .onnx file;
 * no file IO and no graph code here (node-io.ts loads and saves files), so browsers can use it.
 */
import onnxProto from 'onnx-proto';
import {
  type FeedArray,
  type RuntimeOptions,
  Session,
  cachedSession,
  rtTensor,
  type RtTensor,
} from './runtime.js';
import { type DType, type Dim, fromOnnxDType, symCoef } from './types.js';

const { onnx } = onnxProto;

export interface InputInfo {
  name: string;
  shape: Dim[];
  dtype: DType;
}

export interface RunOptions {
  /** Split batches larger than this into several ORT runs (bounds memory). */
  chunk?: number;
}

function perExample(shape: readonly Dim[]): { size: number; coef: number } {
  let size = 1;
  let coef = 0;
  for (const d of shape) {
    if (typeof d === 'number') size *= d;
    else coef = (coef || 1) * symCoef(d);
  }
  return { size, coef };
}

function convertFeed(info: InputInfo, data: FeedArray): FeedArray {
  if (info.dtype === 'int64' && data instanceof Int32Array) return BigInt64Array.from(data, (v) => BigInt(v));
  if (info.dtype === 'int32' && data instanceof BigInt64Array) return Int32Array.from(data, (v) => Number(v));
  return data;
}

export class InferenceModel {
  private constructor(
    readonly bytes: Uint8Array,
    private readonly session: Session,
    readonly inputs: readonly InputInfo[],
    readonly outputNames: readonly string[],
    private readonly owned = false,
  ) {}

  /** Frees a private session (`cache: false`); shared sessions live as long as the process. */
  async dispose(): Promise<void> {
    if (this.owned) await this.session.release();
  }

  /**
   * A model for these bytes. By default the session is shared per process (cached by content); with
   * `cache: false` it is private and `dispose()` frees it — for short-lived snapshots during training.
   */
  static async fromBytes(
    bytes: Uint8Array,
    opts: RuntimeOptions & { cache?: boolean } = {},
  ): Promise<InferenceModel> {
    const m = onnx.ModelProto.decode(bytes);
    const inits = new Set((m.graph?.initializer ?? []).map((t) => t.name));
    const inputs: InputInfo[] = (m.graph?.input ?? [])
      .filter((v) => !inits.has(v.name ?? ''))
      .map((v) => ({
        name: v.name ?? '',
        dtype: fromOnnxDType(v.type?.tensorType?.elemType ?? 1),
        shape: (v.type?.tensorType?.shape?.dim ?? []).map((d) =>
          d.dimParam ? d.dimParam : Number(d.dimValue),
        ),
      }));
    const session =
      opts.cache === false ? await Session.create(bytes, opts) : await cachedSession(bytes, opts);
    return new InferenceModel(bytes, session, inputs, [...session.outputNames], opts.cache === false);
  }

  /** Batch size implied by the feeds (every input must agree). */
  batchOf(feeds: Record<string, FeedArray>): number {
    let batch = -1;
    for (const info of this.inputs) {
      const data = feeds[info.name];
      if (!data) throw new Error(`nn: missing input '${info.name}'`);
      const { size, coef } = perExample(info.shape);
      const b = coef === 0 ? 1 : data.length / (size * coef);
      if (!Number.isInteger(b) || (coef === 0 && data.length !== size))
        throw new Error(
          `nn: input '${info.name}' has ${data.length} values, not a whole batch of [${info.shape}]`,
        );
      if (coef > 0) {
        if (batch >= 0 && b !== batch)
          throw new Error(`nn: input '${info.name}' has batch ${b}, others ${batch}`);
        batch = b;
      }
    }
    return Math.max(batch, 1);
  }

  /** Runs a batch of states; returns each named output as a flat array (batch-major). */
  async run(feeds: Record<string, FeedArray>, opts: RunOptions = {}): Promise<Record<string, Float32Array>> {
    const batch = this.batchOf(feeds);
    const chunk = opts.chunk ?? batch;
    if (batch <= chunk) return this.runOnce(feeds, batch);
    const parts: Record<string, Float32Array>[] = [];
    for (let at = 0; at < batch; at += chunk) {
      const n = Math.min(chunk, batch - at);
      const sub: Record<string, FeedArray> = {};
      for (const info of this.inputs) {
        const { size, coef } = perExample(info.shape);
        const per = size * Math.max(coef, 1);
        sub[info.name] = coef === 0 ? feeds[info.name] : feeds[info.name].subarray(at * per, (at + n) * per);
      }
      parts.push(await this.runOnce(sub, n));
    }
    const out: Record<string, Float32Array> = {};
    for (const k of this.outputNames) {
      const total = parts.reduce((a, p) => a + p[k].length, 0);
      const arr = new Float32Array(total);
      let o = 0;
      for (const p of parts) {
        arr.set(p[k], o);
        o += p[k].length;
      }
      out[k] = arr;
    }
    return out;
  }

  private async runOnce(
    feeds: Record<string, FeedArray>,
    batch: number,
  ): Promise<Record<string, Float32Array>> {
    const rt: Record<string, RtTensor> = {};
    for (const info of this.inputs) {
      const dims = info.shape.map((d) => (typeof d === 'number' ? d : symCoef(d) * batch));
      rt[info.name] = rtTensor(info.dtype, convertFeed(info, feeds[info.name]), dims);
    }
    const res = await this.session.run(rt);
    const out: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(res)) out[k] = v.data as Float32Array;
    return out;
  }
}
