/**
 * The node-free part of the engine for model code: the graph builder, ops, layers, losses, ONNX export
 * and inference (no training, no file IO). Model files that run in a browser import this, not index.ts.
 */
export * from './graph.js';
export * as op from './ops/all.js';
export { exportModel, OPSET, type ExportSpec } from './onnx-export.js';
export { BuildContext, ParamStore, type BuiltModel, type Init, type ModelDef } from './params.js';
export * from './layers.js';
export * from './losses.js';
export * from './rnn.js';
export * from './attention.js';
export * from './seq-losses.js';
export * from './entries.js';
export * from './inference.js';
