/**
 * The minic problem (LaSynth's restricted C): public API. It has no REPL formulation (partial
 * programs with loops cannot run); src/builtins.ts registers its token formulation `minic-tokens`
 * from `tokens`. Importing this module registers nothing.
 */
import { minicProblem } from './problem.js';
import { MINIC_TOKEN_PARAMS, minicTokenParts } from './tokens.js';

/** Everything this folder registers: the problem and the setup of its token formulation. */
export const minicBundle = {
  problem: minicProblem,
  formulations: [],
  refiners: [],
  tokens: { params: MINIC_TOKEN_PARAMS, parts: minicTokenParts },
};
export { minicProblem, evalTask } from './problem.js';
export * from './dsl.js';
export { parseProgram, programFromBodyTokens, lex } from './parse.js';
export * from './interpreter.js';
export * from './generator.js';
export * from './dataset.js';
export * from './datasets.js';
export * from './grammar.js';
export * from './tokens.js';
export * from './export.js';
export { parseTaskFile, parseInlineExamples, validateSpec, listError } from './task-file.js';
