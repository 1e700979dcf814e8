export * from '../core/learner.js';
export * from './imitation.js';
export * from './reinforce.js';
export * from './progress.js';
