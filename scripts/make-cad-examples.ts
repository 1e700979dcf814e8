/**
 * Writes the bundled example images: `npx tsx scripts/make-cad-examples.ts [outDir]` renders seeded
 * random scenes (6 and 12 shapes) to 256×256 PNGs (each raster pixel as a 4×4 block, so the PNG reads
 * back to exactly the scene's raster) next to their program text.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  exampleProgram,
  exampleScenes,
  primitiveCount,
  printProgram,
  rasterToPng,
  renderProgram,
} from '../src/domains/csg2d/index.js';
import { writeFileAtomic } from '../src/io/files.js';

const out = process.argv[2] ?? join('examples', 'cad');
mkdirSync(out, { recursive: true });
for (const ex of exampleScenes) {
  const p = exampleProgram(ex.shapes, ex.seed);
  writeFileAtomic(join(out, `${ex.name}.png`), rasterToPng(renderProgram(p), 4));
  writeFileAtomic(join(out, `${ex.name}.csg.txt`), printProgram(p) + '\n');
  console.log(`wrote ${join(out, ex.name)}.png (${primitiveCount(p)} primitives)`);
}
