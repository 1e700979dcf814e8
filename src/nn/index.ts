/** Public API of the neural engine (see README.md). */
export * from './graph.js';
export * as op from './ops/all.js';
export { allOps, getOp, type OpDef } from './ops/registry.js';
export type { NDArray } from './ops/ndarray.js';
export { gradients } from './autodiff.js';
export { exportModel, OPSET, type ExportSpec } from './onnx-export.js';
export {
  Session,
  cachedSession,
  defaultThreads,
  rtTensor,
  type FeedArray,
  type RuntimeOptions,
} from './runtime.js';
export { evalReference } from './reference.js';
export { gradCheck, randomFeed, type GradCheckResult } from './gradcheck.js';
export { BuildContext, ParamStore, type BuiltModel, type Init, type ModelDef } from './params.js';
export * from './layers.js';
export * from './losses.js';
export { adamStep, defaultAdamOptions, scheduleFactor, type AdamOptions, type Schedule } from './adam.js';
export { atomicWrite, readInitializers } from './checkpoint.js';
export { InferenceModel, loadInferenceModel, type InputInfo, type RunOptions } from './model.js';
export { Trainer, createTrainer, loadTrainer, type StepResult, type TrainerOptions } from './trainer.js';
