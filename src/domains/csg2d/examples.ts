/** The bundled example scenes (examples/cad/): seeded random scenes of 6 and 12 shapes. */
import { Rng } from '../../core/index.js';
import { primitiveCount, type Program } from './dsl.js';
import { generateScene } from './generator.js';
import { countOn } from './raster.js';
import { renderProgram } from './render.js';

export const exampleScenes = [
  { name: 'scene-6', shapes: 6, seed: 6 },
  { name: 'scene-12', shapes: 12, seed: 12 },
] as const;

/** The seeded scene of an example: the first draw that keeps all its shapes and fills ≥ 15 % of the canvas. */
export function exampleProgram(shapes: number, seed: number): Program {
  const rng = new Rng(`csg2d-example/${seed}`);
  for (;;) {
    const scene = generateScene(rng, { maxShapes: shapes, minShapes: shapes, triangleRate: 0.1 });
    const filled = countOn(renderProgram(scene.program)) >= 0.15 * 64 * 64;
    if (scene.steps.length === shapes && primitiveCount(scene.program) >= shapes && filled)
      return scene.program;
  }
}
