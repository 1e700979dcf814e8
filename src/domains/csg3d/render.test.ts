import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_PRIMITIVES, primitiveIndex } from './actions.js';
import {
  insidePrimitive,
  insideProgram,
  renderPrimitive,
  renderProgram,
  voxelizePrimitive,
} from './render.js';
import { countOn, getVoxel } from './voxels.js';
import type { Program } from './dsl.js';

const arbIndex = fc.integer({ min: 0, max: ALL_PRIMITIVES.length - 1 });

describe('csg3d voxelizer', () => {
  it('enumerates 34,327 valid primitives (21,952 cuboids, 495 spheres, 11,880 cylinders)', () => {
    expect(ALL_PRIMITIVES.length).toBe(34_327);
    expect(ALL_PRIMITIVES.filter((p) => p.op === 'cuboid').length).toBe(21_952);
    expect(ALL_PRIMITIVES.filter((p) => p.op === 'sphere').length).toBe(495);
    ALL_PRIMITIVES.slice(0, 50).forEach((p, i) => expect(primitiveIndex(p)).toBe(i));
  });

  it('fills exactly the voxels whose centres are inside the primitive', () => {
    fc.assert(
      fc.property(arbIndex, (i) => {
        const p = ALL_PRIMITIVES[i];
        const v = voxelizePrimitive(p);
        for (let z = 0; z < 32; z++)
          for (let y = 0; y < 32; y++)
            for (let x = 0; x < 32; x++)
              if (getVoxel(v, x, y, z) !== insidePrimitive(p, x + 0.5, y + 0.5, z + 0.5))
                throw new Error(`voxel ${x},${y},${z} of ${JSON.stringify(p)}`);
        expect(countOn(v)).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('a cuboid [x1, x2] fills voxels x1 … x2 − 1, and the cache returns the same voxels', () => {
    const c = { op: 'cuboid' as const, x1: 4, y1: 0, z1: 8, x2: 12, y2: 28, z2: 12 };
    expect(countOn(renderPrimitive(c))).toBe(8 * 28 * 4);
    expect(renderPrimitive(c)).toBe(renderPrimitive({ ...c }));
  });

  it('renders programs by word operations, as the point test says', () => {
    const p: Program = {
      op: 'diff',
      a: { op: 'union', a: ALL_PRIMITIVES[100], b: { op: 'sphere', x: 16, y: 16, z: 16, r: 12 } },
      b: { op: 'cylinder', axis: 'y', x: 16, y: 4, z: 16, r: 8, l: 20 },
    };
    const v = renderProgram(p);
    let n = 0;
    let wrong = 0;
    for (let z = 0; z < 32; z++)
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) {
          const inside = insideProgram(p, x + 0.5, y + 0.5, z + 0.5);
          if (getVoxel(v, x, y, z) !== inside) wrong++;
          n += inside ? 1 : 0;
        }
    expect(wrong).toBe(0);
    expect(n).toBeGreaterThan(1000);
  });
});
