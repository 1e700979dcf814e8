/** Methods: searches over formulations, compositions with refiners, and getting them ready to run. */
export * from './search-method.js';
export * from './compose.js';
export * from './resolve.js';
export * from './prepare.js';
export * from './decode.js';
