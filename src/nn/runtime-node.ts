/**
 * The node product's ONNX Runtime: registers onnxruntime-node (CPU, all cores by default) as the
 * backend of runtime.ts. Imported for its effect by the node entry (nn/index.ts) and node-io.ts.
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { setOnnxBackend, type OnnxBackend } from './runtime.js';

export const nodeBackend: OnnxBackend = {
  InferenceSession: ort.InferenceSession,
  Tensor: ort.Tensor,
  defaultThreads: availableParallelism,
};

setOnnxBackend(nodeBackend);
