/**
 * ORT's blocked-channel ("NCHWc") convolution for training graphs. ORT runs 2-D convolutions fastest in
 * its NCHWc layout, but its optimiser only moves convolutions with constant weights there; a training
 * graph's weights are inputs. Its `com.microsoft.nchwc` kernels take weights from any tensor, though, so
 * the exporter can emit them itself (onnx-export.ts, `nchwcBlock`): ReorderInput, a Conv on weights
 * reordered in the graph ([F/B, C/B, kh, kw, B(c), B(f)]), ReorderOutput — measured 2–3× faster than
 * ORT's NCHW Conv on 32-channel images here, 2× on the strings policy's 1-D conv (run as height 1).
 * The block size B is the CPU's (16 with AVX-512, 8 with AVX2); it is read once per process from the
 * shape ReorderInput gives a 4-channel tensor (it pads the channels to a whole block).
 */
import onnxProto from 'onnx-proto';
import { getOnnxBackend, rtTensor } from './runtime.js';

const { onnx } = onnxProto;

export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

let probe: Promise<number> | null = null;

/** The NCHWc block size of the ORT backend on this CPU, or 0 when it has no NCHWc kernels. */
export function nchwcBlockSize(): Promise<number> {
  return (probe ??= (async () => {
    const vi = (name: string) => ({
      name,
      type: { tensorType: { elemType: 1, shape: { dim: [1, 4, 1, 1].map((d) => ({ dimValue: d })) } } },
    });
    const model = {
      irVersion: 8,
      opsetImport: [
        { domain: '', version: 17 },
        { domain: NCHWC_DOMAIN, version: 1 },
      ],
      graph: {
        name: 'nchwc-probe',
        node: [{ opType: 'ReorderInput', domain: NCHWC_DOMAIN, input: ['x'], output: ['y'] }],
        input: [vi('x')],
        output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
      },
    };
    try {
      const b = getOnnxBackend();
      const s = await b.InferenceSession.create(onnx.ModelProto.encode(model).finish(), {
        ...b.sessionOptions,
        graphOptimizationLevel: 'basic',
      });
      const r = await s.run({ x: rtTensor('float32', new Float32Array(4), [1, 4, 1, 1]) });
      await s.release();
      const block = r.y.dims[1];
      return Number.isInteger(block) && block > 1 ? block : 0;
    } catch {
      return 0;
    }
  })());
}
