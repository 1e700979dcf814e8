/**
 * The csg3d domain (3D CAD, REFERENCE §1): its definition for the registry and the pieces later work
 * builds on (voxels, the voxelizer, features, readers of voxel files and meshes, exports, renders).
 */
import type { DomainDefinition, ParamValue } from '../../core/index.js';
import { createCsg3dDomain, csg3dParams } from './domain.js';
import { csg3dProblem, csg3dRefiner } from './problem.js';
import { CSG3D_TOKEN_PARAMS, csg3dTokenParts } from './tokens.js';

/** The REPL formulation (a set of objects in scope; each line adds one). */
export const csg3dDefinition: DomainDefinition = {
  id: 'csg3d',
  problem: 'csg3d',
  description: '3D CAD: cuboids, spheres and cylinders combined by union and difference to match 32³ voxels',
  params: csg3dParams,
  goldenVariants: [{ name: 'test20', params: { maxShapes: 20 } }],
  create: (params?: Readonly<Record<string, ParamValue>>) => createCsg3dDomain(params),
};

/** Everything this folder registers: the problem, its formulations, its refiner and its tokens. */
export const csg3dBundle = {
  problem: csg3dProblem,
  formulations: [csg3dDefinition],
  refiners: [csg3dRefiner],
  tokens: { params: CSG3D_TOKEN_PARAMS, parts: csg3dTokenParts },
};
export * from './problem.js';
export { createCsg3dDomain, csg3dParams, programOneLine, type Csg3dDomain } from './domain.js';
export * from './dsl.js';
export * from './voxels.js';
export * from './actions.js';
export * from './render.js';
export * from './repl.js';
export * from './spec.js';
export * from './generator.js';
export * from './features.js';
export * from './export.js';
export * from './mesh.js';
export * from './stl.js';
export * from './voxel-io.js';
export * from './image.js';
export * from './refine.js';
export * from './tokens.js';
