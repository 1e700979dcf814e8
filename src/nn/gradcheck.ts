/**
 * Gradient check: the gradients ORT computes (float32, from the autodiff graph) against central finite
 * differences of the float64 reference implementation of the same graph. The error of a gradient tensor is
 * normwise, max|ort − fd| / max|fd| over the checked entries, which measures float32 rounding relative
 * to the gradient's scale and is not inflated by entries that cancel to ~0.
 */
import { Rng } from '../core/rng.js';
import { gradients } from './autodiff.js';
import { type Tensor, concreteShape } from './graph.js';
import type { NDArray } from './ops/ndarray.js';
import { nchwcBlockSize } from './nchwc.js';
import { exportModel } from './onnx-export.js';
import { evalReference } from './reference.js';
import { Session, rtTensor, type RtTensor } from './runtime.js';

export interface GradCheckCase {
  loss: Tensor;
  /** Tensors (graph inputs) to differentiate with respect to. */
  wrt: readonly Tensor[];
  /** Values of every graph input (float inputs are rounded to float32 first). */
  feeds: Map<Tensor, NDArray>;
}

export interface GradCheckResult {
  /** Worst normwise relative gradient error over the checked tensors. */
  worst: number;
  perTensor: { name: string; err: number; checked: number }[];
  /** |loss_ort − loss_ref| / max(1, |loss_ref|). */
  lossErr: number;
}

export async function gradCheck(
  c: GradCheckCase,
  opts: { samples?: number; eps?: number; seed?: number } = {},
): Promise<GradCheckResult> {
  const samples = opts.samples ?? 64;
  const eps = opts.eps ?? 1e-5;
  const rng = new Rng(opts.seed ?? 1);
  for (const [t, v] of c.feeds) if (t.dtype === 'float32') v.data = v.data.map(Math.fround);
  const grads = gradients(c.loss, c.wrt);
  const outputs: Record<string, Tensor> = { loss: c.loss };
  grads.forEach((g, i) => (outputs[`grad${i}`] = g));
  // A training graph is exported and run as the Trainer does (NCHWc convolutions, 'extended').
  const training = c.loss.graph.forTraining;
  const nchwcBlock = training ? await nchwcBlockSize() : undefined;
  const { bytes, inputs } = exportModel({ outputs, nchwcBlock });
  const sess = await Session.create(bytes, { threads: 1, optimization: training ? 'extended' : 'all' });
  const feeds: Record<string, RtTensor> = {};
  for (const t of inputs) {
    const v = c.feeds.get(t);
    if (!v) throw new Error(`gradCheck: no feed for ${t}`);
    const data =
      t.dtype === 'float32'
        ? Float32Array.from(v.data)
        : t.dtype === 'int32'
          ? Int32Array.from(v.data)
          : t.dtype === 'int64'
            ? BigInt64Array.from(v.data, (x) => BigInt(x))
            : Uint8Array.from(v.data);
    feeds[t.name] = rtTensor(t.dtype, data, v.shape);
  }
  const res = await sess.run(feeds);
  await sess.release();
  const refLoss = (): number => evalReference([c.loss], c.feeds)[0].data[0];
  const l0 = refLoss();
  const lossErr = Math.abs(Number(res.loss.data[0]) - l0) / Math.max(1, Math.abs(l0));
  const perTensor: GradCheckResult['perTensor'] = [];
  c.wrt.forEach((t, i) => {
    const x = c.feeds.get(t)!;
    const g = res[`grad${i}`].data as Float32Array;
    const n = x.data.length;
    const idx = n <= samples ? [...Array(n).keys()] : Array.from({ length: samples }, () => rng.int(n));
    let num = 0;
    let den = 0;
    for (const j of idx) {
      const orig = x.data[j];
      x.data[j] = orig + eps;
      const lp = refLoss();
      x.data[j] = orig - eps;
      const lm = refLoss();
      x.data[j] = orig;
      const fd = (lp - lm) / (2 * eps);
      num = Math.max(num, Math.abs(g[j] - fd));
      den = Math.max(den, Math.abs(fd));
    }
    perTensor.push({ name: t.name, err: den > 0 ? num / den : num, checked: idx.length });
  });
  return { worst: Math.max(0, ...perTensor.map((p) => p.err)), perTensor, lossErr };
}

/** Random normal feed values for a tensor (batch dims resolved with `batch`). */
export function randomFeed(t: Tensor, rng: Rng, batch = 2, scale = 1): NDArray {
  const shape = concreteShape(t.shape, batch);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float64Array.from({ length: n }, () => rng.normal() * scale) };
}
