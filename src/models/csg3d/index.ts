/** The 3D CAD policy/value network, its evaluator, learner and model folders. */
export * from './net.js';
export * from './lines.js';
export * from './evaluator.js';
export * from './learner.js';
export * from './store.js';
export * from './pieces.js';
export * from './definition.js';
