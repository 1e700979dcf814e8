/**
 * Public API of the neural engine for node (see README.md): everything, with onnxruntime-node as the
 * runtime. Browsers import inference.ts instead (no node modules, no training).
 */
import './runtime-node.js';

export * from './graph.js';
export * as op from './ops/all.js';
export { allOps, getOp, type OpDef } from './ops/registry.js';
export type { NDArray } from './ops/ndarray.js';
export { gradients } from './autodiff.js';
export { exportModel, OPSET, type ExportSpec } from './onnx-export.js';
export * from './inference.js';
export { nodeBackend } from './runtime-node.js';
export { evalReference } from './reference.js';
export { gradCheck, randomFeed, type GradCheckResult } from './gradcheck.js';
export { BuildContext, ParamStore, type BuiltModel, type Init, type ModelDef } from './params.js';
export * from './layers.js';
export * from './losses.js';
export * from './rnn.js';
export * from './attention.js';
export * from './seq-losses.js';
export * from './entries.js';
export { adamStep, defaultAdamOptions, scheduleFactor, type AdamOptions, type Schedule } from './adam.js';
export {
  FLOAT16_MAX,
  float16Bits,
  float16Value,
  fromFloat16,
  hasFloat16Weights,
  toFloat16,
  toFloat16Model,
  type Float16Options,
  type Float16Result,
} from './fp16.js';
export {
  atomicWrite,
  loadInferenceModel,
  readCheckpoint,
  saveInferenceModel,
  writeCheckpoint,
  type CheckpointFiles,
} from './node-io.js';
export {
  Trainer,
  createTrainer,
  loadTrainer,
  type LoadOptions,
  type StepResult,
  type TrainerOptions,
} from './trainer.js';
