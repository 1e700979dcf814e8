export * from './net.js';
export * from './evaluator.js';
export * from './learner.js';
export * from './store.js';
export * from './definition.js';
