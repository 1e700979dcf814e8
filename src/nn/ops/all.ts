/** Imports every op file so that each registers its entry in the op table; re-exports the builders. */
export * from './arith.js';
export * from './activations.js';
export * from './compare.js';
export * from './conv.js';
export * from './gather.js';
export * from './matmul.js';
export * from './pool.js';
export * from './reduce.js';
export * from './shape-ops.js';
export * from './softmax.js';
export * from './where.js';
