/** replsynth's library entry point: the contracts, the registries and `synthesize()`. */
export * from './core/index.js';
export { registerBuiltinDomains } from './domains/index.js';
export { registerBuiltinModels } from './models/index.js';
export { registerBuiltins } from './builtins.js';
export { synthesize, type SynthesizeOptions, type SynthesisResult } from './api.js';
export { baseMethods, resolveMethod, prepareMethods, methodHelp } from './methods/index.js';
