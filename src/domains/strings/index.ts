/**
 * The strings problem (FlashFill-style text transformation by example) and its REPL formulation:
 * public API. Importing this module registers nothing; src/domains/index.ts registers `stringsBundle`.
 */
import type { DomainDefinition, ParamValue } from '../../core/index.js';
import { STRINGS_PARAMS, createStringsDomain } from './domain.js';
import type { Program } from './dsl.js';
import { runProgram } from './interpreter.js';
import { stringsProblem } from './problem.js';
import { STRINGS_TOKEN_PARAMS, stringsTokenParts } from './tokens.js';

/** The REPL formulation (Write-Execute-Assess). */
export const stringsDefinition: DomainDefinition = {
  id: 'strings',
  problem: 'strings',
  description: 'Text transformation by example (RobustFill DSL with a REPL, as in Write-Execute-Assess)',
  params: STRINGS_PARAMS,
  goldenVariants: [
    { name: 'paper', params: { mode: 'paper' } },
    { name: 'rich', params: { mode: 'rich' } },
  ],
  create: (params?: Readonly<Record<string, ParamValue>>) => createStringsDomain(params),
};

/** Everything this folder registers: the problem and its formulations. */
export const stringsBundle = {
  problem: stringsProblem,
  formulations: [stringsDefinition],
  refiners: [],
  tokens: { params: STRINGS_TOKEN_PARAMS, parts: stringsTokenParts },
};
export { stringsProblem, parseInlinePair } from './problem.js';

/** Fills rows with a program's output (null where the program fails on a row). */
export function fillRows(program: Program, rows: readonly (readonly string[])[]): (string | null)[] {
  return rows.map((r) => runProgram(program, r));
}

export { createStringsDomain, STRINGS_PARAMS, type StringsDomain } from './domain.js';
export * from './dsl.js';
export { runProgram, runExpr, applyOp, pySlice, titleCase } from './interpreter.js';
export { compileToJs, compileToFunction } from './export-js.js';
export {
  buildActionTable,
  programToActions,
  CONST_WORDS,
  type ActionTable,
  type ActionEntry,
  type Family,
} from './actions.js';
export {
  initialReplState,
  replStep,
  legalMaskOf,
  legalActionList,
  committedProgram,
  progressScore,
  stateKeyOf,
  type ReplConfig,
  type StringsSpec,
  type StringsState,
  type StringsExample,
} from './repl.js';
export {
  generateTask,
  randomProgram,
  replaysToSolved,
  type GeneratorConfig,
  type GeneratedTask,
} from './generator.js';
export {
  FAMILY_TEMPLATES,
  familyTask,
  templatesFor,
  templateProgram,
  type FamilyTemplate,
} from './families.js';
export {
  makeFeatures,
  writeMasks,
  CHAR_VOCAB,
  CHAR_PAD,
  CHAR_OTHER,
  CHAR_COLUMN_SEP,
  MASK_ROWS,
  SLOTS,
} from './features.js';
export * from './training-tasks.js';
export { parseTaskText, parseJsonl, parseCsv, type FileTask } from './task-file.js';
export {
  CHARACTERS,
  DELIMITERS,
  TYPE_NAMES,
  REGEX_SOURCES,
  NUM_REGEXES,
  matches,
  type RegexId,
} from './regex.js';
