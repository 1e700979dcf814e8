/**
 * The browser-safe entry of the neural engine: running .onnx models given as bytes, over whichever ONNX
 * Runtime is registered (`setOnnxBackend(ort)` with onnxruntime-web). No graph builder, no training, no
 * file IO and no node module is reachable from here (test/browser-safe.test.ts checks).
 */
export { InferenceModel, type InputInfo, type RunOptions } from './model.js';
export { readNetworkFile, type NetworkWant } from './network-file.js';
export {
  Session,
  cachedSession,
  contentHash,
  defaultThreads,
  getOnnxBackend,
  rtTensor,
  setOnnxBackend,
  type BackendSession,
  type BackendSessionOptions,
  type BackendTensor,
  type FeedArray,
  type OnnxBackend,
  type OutArray,
  type RtTensor,
  type RuntimeOptions,
} from './runtime.js';
export { readInitializers } from './fp16.js';
export type { DType, Dim, Shape } from './types.js';
