/**
 * Writes the bundled example images: `npx tsx src/domains/csg2d/make-examples.ts [outDir]` renders
 * seeded random scenes (6 and 12 shapes) to 256×256 PNGs (each raster pixel as a 4×4 block, so the
 * PNG reads back to exactly the scene's raster) next to their program text.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Rng } from '../../core/index.js';
import { printProgram, primitiveCount, type Program } from './dsl.js';
import { generateScene } from './generator.js';
import { rasterToPng } from './image.js';
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

function write(path: string, data: string | Buffer): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2] ?? join('examples', 'cad');
  mkdirSync(out, { recursive: true });
  for (const ex of exampleScenes) {
    const p = exampleProgram(ex.shapes, ex.seed);
    write(join(out, `${ex.name}.png`), rasterToPng(renderProgram(p), 4));
    write(join(out, `${ex.name}.csg.txt`), printProgram(p) + '\n');
    console.log(`wrote ${join(out, ex.name)}.png (${primitiveCount(p)} primitives)`);
  }
}
