/** CSGNet-style decoders (no REPL) for csg2d and csg3d: network, decoding evaluator, stores, definitions. */
export * from './net.js';
export * from './kinds.js';
export * from './evaluator.js';
export * from './store.js';
export * from './whole.js';
export * from './definition.js';
