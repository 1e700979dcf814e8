/** replsynth's library entry point. */
export * from './core/index.js';
export { registerBuiltinDomains } from './domains/index.js';
