export * from './rng.js';
export * from './domain.js';
export * from './evaluator.js';
export * from './budget.js';
export * from './search.js';
export * from './best-tracker.js';
export * from './errors.js';
export * from './learner.js';
