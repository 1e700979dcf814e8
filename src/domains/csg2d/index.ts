/**
 * The csg2d domain (2D CAD, REFERENCE §1): its definition for the registry and the pieces later
 * issues build on (rasters, rendering, features, export, PNG input/output).
 */
import type { DomainDefinition, ParamValue } from '../../core/index.js';
import { createCsg2dDomain, csg2dParams } from './domain.js';
import { csg2dProblem, csg2dRefiner } from './problem.js';
import { CSG2D_TOKEN_PARAMS, csg2dTokenParts } from './tokens.js';

/** The REPL formulation (a set of objects in scope; each line adds one). */
export const csg2dDefinition: DomainDefinition = {
  id: 'csg2d',
  problem: 'csg2d',
  description: '2D CAD: circles and (45°) rectangles combined by union and difference to match a 64×64 image',
  params: csg2dParams,
  goldenVariants: [{ name: 'test30', params: { maxShapes: 30 } }],
  create: (params?: Readonly<Record<string, ParamValue>>) => createCsg2dDomain(params),
};

/** Everything this folder registers: the problem, its formulations and its refiner. */
export const csg2dBundle = {
  problem: csg2dProblem,
  formulations: [csg2dDefinition],
  refiners: [csg2dRefiner],
  tokens: { params: CSG2D_TOKEN_PARAMS, parts: csg2dTokenParts },
};
export * from './problem.js';
export { createCsg2dDomain, csg2dParams, programOneLine, type Csg2dDomain } from './domain.js';
export * from './dsl.js';
export * from './raster.js';
export * from './actions.js';
export * from './render.js';
export * from './repl.js';
export * from './spec.js';
export * from './generator.js';
export * from './features.js';
export * from './export.js';
export * from './image.js';
export * from './refine.js';
export * from './examples.js';
