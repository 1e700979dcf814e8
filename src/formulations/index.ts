/**
 * Formulations: generic MDPs over any problem. The token formulation writes a program token by token
 * under a grammar (the decoding space of RobustFill, CSGNet, LaSynth); the REPL formulations live in
 * their problem's folder.
 */
export * from './grammar.js';
export * from './token.js';
