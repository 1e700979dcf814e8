/**
 * csg2d programs as tokens, for decoders without a REPL (CSGNet): the shared CSG token scheme
 * (src/csg/tokens.ts) over circles, rects and rect45s, e.g.
 * `diff circle x=16 y=16 d=20 rect x1=10 y1=10 x2=22 y2=22 <end>`. The grammar walks a trie of every
 * valid primitive (actions.ts), so it allows exactly the REPL's parameter ranges.
 */
import type { ParamSpec, ParamValue } from '../../core/index.js';
import {
  CsgTokenGrammar,
  csgFromTokens,
  csgTokenParts,
  csgTokens,
  maxTokensParam,
  type CsgGrammarState,
  type CsgTokenConfig,
  type CsgTokenOptions,
} from '../../csg/tokens.js';
import { ALL_PRIMITIVES } from './actions.js';
import {
  isPrimitive,
  makePrimitive,
  primitiveArgs,
  primitiveError,
  type Primitive,
  type Program,
} from './dsl.js';
import { generateScene } from './generator.js';
import { renderProgram } from './render.js';
import { specFromRaster } from './spec.js';
import { csg2dParams } from './domain.js';

export { END_TOKEN } from '../../csg/tokens.js';
/** Parameter fields of each primitive, in printed order. */
export const FIELDS: Readonly<Record<Primitive['op'], readonly string[]>> = {
  circle: ['x', 'y', 'd'],
  rect: ['x1', 'y1', 'x2', 'y2'],
  rect45: ['x', 'y', 'a', 'b'],
};

const CONFIG: CsgTokenConfig<Primitive> = {
  id: 'csg2d',
  kinds: ['circle', 'rect', 'rect45'],
  fields: FIELDS,
  isPrimitive,
  primitiveArgs,
  makePrimitive,
  primitiveError,
  allPrimitives: ALL_PRIMITIVES,
  vocabularyFields: ['x', 'y', 'd', 'x1', 'y1', 'x2', 'y2', 'a', 'b'],
  // A circle: head and three parameters.
  minSubtree: 4,
  fieldToken: (field, value) => `${field}=${value}`,
  fieldValue: (field, token) => {
    const m = /^([a-z]\d?)=(\d{1,2})$/.exec(token);
    return m && m[1] === field ? Number(m[2]) : null;
  },
};

/** The program's tokens in prefix order (without the end token). */
export function csg2dTokens(program: Program): string[] {
  return csgTokens(CONFIG, program);
}

/** The program written by tokens (one trailing end token allowed), or null when malformed or invalid. */
export function csg2dFromTokens(tokens: readonly string[]): Program | null {
  return csgFromTokens(CONFIG, tokens);
}

export const csg2dTokenizer = { tokens: csg2dTokens, fromTokens: csg2dFromTokens };

export type Csg2dTokenOptions = CsgTokenOptions;

/** Room for scenes of up to 13 shapes (the generator's default) in nearly every draw. */
export const defaultCsg2dTokenOptions: Csg2dTokenOptions = { maxTokens: 128 };

/** A grammar state: immutable. */
export type Csg2dGrammarState = CsgGrammarState;

/** The csg2d token grammar (a TokenGrammar<Csg2dGrammarState>); ~3 MB of trie for the 19,509 primitives. */
export class Csg2dTokenGrammar extends CsgTokenGrammar<Primitive> {
  constructor(options: Csg2dTokenOptions = defaultCsg2dTokenOptions) {
    super(CONFIG, options);
  }
}

// ------------------------------------------------------------------ parts of the token formulation

/** Parameters of the csg2d token formulation: the scene generator's and the token cap. */
export const CSG2D_TOKEN_PARAMS: readonly ParamSpec[] = [
  ...csg2dParams.filter((p) => p.name === 'maxShapes' || p.name === 'triangleRate'),
  maxTokensParam(CONFIG.minSubtree, defaultCsg2dTokenOptions.maxTokens),
];

/** Grammar, tokenizer and scene sampler of the csg2d token formulation for given parameters. */
export function csg2dTokenParts(given: Readonly<Record<string, ParamValue>> = {}) {
  return csgTokenParts(
    CSG2D_TOKEN_PARAMS,
    given,
    (maxTokens) => new Csg2dTokenGrammar({ maxTokens }),
    csg2dTokenizer,
    (rng, o, params) => {
      const scene = generateScene(rng, { ...o, triangleRate: params.triangleRate as number });
      return { spec: specFromRaster(renderProgram(scene.program)), program: scene.program };
    },
  );
}
