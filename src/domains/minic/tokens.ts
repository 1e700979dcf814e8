/**
 * The token formulation's parts for minic: the tokenizer (body tokens of grammar.ts), the grammar
 * and a task sampler that draws only training-split behaviours (dataset.ts), so a model trained on
 * the formulation's tasks never sees a test behaviour. By default a sampled program is replaced by
 * the shorter equivalent one simplify.ts finds (same behaviour, so the same split).
 */
import {
  resolveParams,
  type ParamSpec,
  type ParamValue,
  type Rng,
  type TaskOptions,
} from '../../core/index.js';
import { bodyTokens, type Program } from './dsl.js';
import { sampleSplitTask, type MinicSpec } from './dataset.js';
import { MINIC_DATASET_PARAMS, taskName } from './datasets.js';
import { END_TOKEN, MINIC_MAX_TOKENS, MinicTokenGrammar } from './grammar.js';
import { programFromBodyTokens } from './parse.js';
import { simplifyProgram } from './simplify.js';

/** Body tokens of a program (without the end token). */
export const minicTokens = (p: Program): string[] => bodyTokens(p);

/** The program written by body tokens (a trailing end token allowed), or null. */
export function minicFromTokens(tokens: readonly string[]): Program | null {
  const n = tokens.length > 0 && tokens[tokens.length - 1] === END_TOKEN ? tokens.length - 1 : tokens.length;
  return programFromBodyTokens(tokens.slice(0, n));
}

export const minicTokenizer = { tokens: minicTokens, fromTokens: minicFromTokens };

export const MINIC_TOKEN_PARAMS: readonly ParamSpec[] = [
  ...MINIC_DATASET_PARAMS,
  {
    name: 'maxTokens',
    type: 'int',
    default: MINIC_MAX_TOKENS,
    min: 20,
    max: MINIC_MAX_TOKENS,
    description: 'longest body token sequence, end token included (243: whole programs of ≤ 256 C tokens)',
  },
  {
    name: 'simplify',
    type: 'bool',
    default: true,
    description:
      'train on the shortest equivalent program found by simplify.ts (same behaviour), not the generated one',
  },
];

/** Grammar, tokenizer and training-task sampler of the minic token formulation. */
export function minicTokenParts(given: Readonly<Record<string, ParamValue>> = {}) {
  const params = resolveParams(MINIC_TOKEN_PARAMS, given);
  const grammar = new MinicTokenGrammar(params.maxTokens as number);
  const sampleProgram = (
    rng: Rng,
    options: TaskOptions = {},
  ): { spec: MinicSpec; program: Program; name: string } => {
    const maxStatements = Math.min(options.maxSize ?? Infinity, params.maxStatements as number);
    const t = sampleSplitTask(rng, 'train', { maxStatements, loopRate: params.loopRate as number });
    const program = params.simplify
      ? simplifyProgram(t.program, { inputs: [...t.spec.examples, ...t.spec.tests].map((e) => e.input) })
          .program
      : t.program;
    return { spec: t.spec, program, name: taskName(t) };
  };
  return { grammar, tokenizer: minicTokenizer, sampleProgram };
}
