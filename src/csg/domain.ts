/**
 * What the csg2d and csg3d REPL formulations share: their declared parameters (scope, depth, solve
 * IoU, scene size and one shape-mix rate), sampling a task from the scene generator (redrawing the
 * rare scene this instance cannot hold), and the Domain methods that are the REPL's functions.
 */
import type { ParamSpec, ParamValue, Rng, Task, TaskOptions } from '../core/index.js';
import type { CsgProgram } from './program.js';
import type { CsgCombineAction, ReplLimits } from './repl.js';

/** The parameters of a CSG REPL formulation; what differs is given. */
export function csgDomainParams(o: {
  readonly maxObjects: number;
  readonly solveIoU: string;
  readonly maxShapes: string;
  /** The shape-mix rate of the generator (csg2d: triangles, csg3d: spheres). */
  readonly rate: ParamSpec;
}): ParamSpec[] {
  return [
    {
      name: 'maxObjects',
      type: 'int',
      default: o.maxObjects,
      min: 2,
      max: 16,
      description: 'most objects in scope at once',
    },
    { name: 'maxDepth', type: 'int', default: 100, min: 1, max: 1000, description: 'most lines per episode' },
    {
      name: 'solveIoU',
      type: 'float',
      default: 1,
      min: 0.5,
      max: 1,
      description: o.solveIoU,
    },
    {
      name: 'maxShapes',
      type: 'int',
      default: 13,
      min: 1,
      max: 60,
      description: o.maxShapes,
    },
    o.rate,
  ];
}

/** The REPL limits of resolved parameters. */
export function csgLimits(params: Readonly<Record<string, ParamValue>>): ReplLimits {
  return {
    maxObjects: params.maxObjects as number,
    maxDepth: params.maxDepth as number,
    solveIoU: params.solveIoU as number,
  };
}

/** A task sampler over the scene generator: a scene, its picture as the spec and its trace. */
export function csgSampleTask<Spec, P>(
  id: string,
  limits: ReplLimits,
  defaultMaxShapes: number,
  generate: (
    rng: Rng,
    o: { maxShapes: number; minShapes: number },
  ) => { readonly program: CsgProgram<P>; readonly steps: readonly unknown[] },
  traceFor: (p: CsgProgram<P>) => { trace: (P | CsgCombineAction)[]; maxScope: number },
  specOf: (p: CsgProgram<P>) => Spec,
): (rng: Rng, options?: TaskOptions) => Task<Spec, P | CsgCombineAction> {
  return (rng, options = {}) => {
    const maxShapes = options.maxSize ?? defaultMaxShapes;
    const minShapes = Number(options.extra?.minShapes ?? 1);
    for (let attempt = 0; attempt < 1000; attempt++) {
      const scene = generate(rng, { maxShapes, minShapes });
      const { trace, maxScope } = traceFor(scene.program);
      // Rare scenes that need more scope or lines than this instance allows are redrawn.
      if (maxScope > limits.maxObjects || trace.length > limits.maxDepth) continue;
      return { spec: specOf(scene.program), trace, name: `scene of ${scene.steps.length} shapes` };
    }
    throw new Error(`${id}: no scene with ≤ ${maxShapes} shapes fits maxObjects/maxDepth`);
  };
}

/** Rounds an IoU for descriptions (6 decimals). */
export const roundIoU = (x: number): number => Math.round(x * 1e6) / 1e6;

/** One-line program text for JSON descriptions: statements joined by "; ". */
export function csgProgramOneLine<Program>(print: (p: Program) => string, p: Program): string {
  return print(p).split('\n').join('; ');
}
