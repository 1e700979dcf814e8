/**
 * csg3d programs as tokens, for decoders without a REPL (CSGNet): the shared CSG token scheme
 * (src/csg/tokens.ts) over cuboids, spheres and cylinders, e.g.
 * `diff cuboid x1=0 y1=0 z1=0 x2=16 y2=16 z2=8 cylinder axis=z x=8 y=8 z=0 r=4 l=8 <end>`. The grammar
 * walks a trie of every valid primitive (actions.ts), so it allows exactly the REPL's parameter ranges.
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
  AXES,
  FIELDS,
  isPrimitive,
  makePrimitive,
  primitiveArgs,
  primitiveError,
  type Primitive,
  type Program,
} from './dsl.js';
import { generateScene } from './generator.js';
import { renderProgram } from './render.js';
import { specFromVoxels } from './spec.js';
import { csg3dParams } from './domain.js';

export { END_TOKEN } from '../../csg/tokens.js';

const CONFIG: CsgTokenConfig<Primitive> = {
  id: 'csg3d',
  kinds: ['cuboid', 'sphere', 'cylinder'],
  fields: FIELDS,
  isPrimitive,
  primitiveArgs,
  makePrimitive,
  primitiveError,
  allPrimitives: ALL_PRIMITIVES,
  vocabularyFields: ['x1', 'y1', 'z1', 'x2', 'y2', 'z2', 'axis', 'x', 'y', 'z', 'r', 'l'],
  // A sphere: head and four parameters.
  minSubtree: 5,
  // `x1=4`, `r=8`; a cylinder's axis as `axis=z`.
  fieldToken: (field, value) => `${field}=${field === 'axis' ? AXES[value] : value}`,
  fieldValue: (field, token) => {
    const m = /^([a-z]+\d?)=([xyz]|\d{1,2})$/.exec(token);
    if (!m || m[1] !== field) return null;
    const v = field === 'axis' ? AXES.indexOf(m[2] as (typeof AXES)[number]) : Number(m[2]);
    return v < 0 || Number.isNaN(v) ? null : v;
  },
};

/** The program's tokens in prefix order (without the end token). */
export function csg3dTokens(program: Program): string[] {
  return csgTokens(CONFIG, program);
}

/** The program written by tokens (one trailing end token allowed), or null when malformed or invalid. */
export function csg3dFromTokens(tokens: readonly string[]): Program | null {
  return csgFromTokens(CONFIG, tokens);
}

export const csg3dTokenizer = { tokens: csg3dTokens, fromTokens: csg3dFromTokens };

export type Csg3dTokenOptions = CsgTokenOptions;

/** Room for scenes of up to 13 shapes (the generator's default) in every draw (≤ 7 tokens per shape). */
export const defaultCsg3dTokenOptions: Csg3dTokenOptions = { maxTokens: 128 };

/** A grammar state: immutable. */
export type Csg3dGrammarState = CsgGrammarState;

/** The csg3d token grammar (a TokenGrammar<Csg3dGrammarState>); ~5 MB of trie for the 34,327 primitives. */
export class Csg3dTokenGrammar extends CsgTokenGrammar<Primitive> {
  constructor(options: Csg3dTokenOptions = defaultCsg3dTokenOptions) {
    super(CONFIG, options);
  }
}

// ------------------------------------------------------------------ parts of the token formulation

/** Parameters of the csg3d token formulation: the scene generator's and the token cap. */
export const CSG3D_TOKEN_PARAMS: readonly ParamSpec[] = [
  ...csg3dParams.filter((p) => p.name === 'maxShapes' || p.name === 'sphereRate'),
  maxTokensParam(CONFIG.minSubtree, defaultCsg3dTokenOptions.maxTokens),
];

/** Grammar, tokenizer and scene sampler of the csg3d token formulation for given parameters. */
export function csg3dTokenParts(given: Readonly<Record<string, ParamValue>> = {}) {
  return csgTokenParts(
    CSG3D_TOKEN_PARAMS,
    given,
    (maxTokens) => new Csg3dTokenGrammar({ maxTokens }),
    csg3dTokenizer,
    (rng, o, params) => {
      const scene = generateScene(rng, { ...o, sphereRate: params.sphereRate as number });
      return { spec: specFromVoxels(renderProgram(scene.program)), program: scene.program };
    },
  );
}
