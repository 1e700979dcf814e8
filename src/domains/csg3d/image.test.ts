import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { comparisonPng, volumePng } from './image.js';
import { renderProgram } from './render.js';
import { emptyVoxels } from './voxels.js';

const read = (bytes: Uint8Array): PNG => PNG.sync.read(Buffer.from(bytes));

describe('csg3d renders', () => {
  const target = renderProgram({ op: 'cuboid', x1: 4, y1: 4, z1: 4, x2: 28, y2: 28, z2: 28 });
  const recon = renderProgram({ op: 'sphere', x: 16, y: 16, z: 16, r: 12 });

  it('target | reconstruction | difference from three viewpoints', () => {
    const png = read(comparisonPng(target, recon, undefined, 48));
    expect([png.width, png.height]).toEqual([3 * 48 + 2 * 6, 3 * 48 + 2 * 6]);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4)
      colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    // The difference column shows target-only voxels in red (the cube's corners stick out of the ball).
    const redAt = (x0: number): boolean => {
      for (let y = 0; y < 48; y++)
        for (let x = x0; x < x0 + 48; x++) {
          const i = 4 * (y * png.width + x);
          if (png.data[i] > 120 && png.data[i + 1] < 60 && png.data[i + 2] < 60) return true;
        }
      return false;
    };
    expect(redAt(2 * 54)).toBe(true);
    expect(redAt(0)).toBe(false);
    expect(colours.size).toBeGreaterThan(5);
  });

  it('an empty volume renders blank', () => {
    const png = read(volumePng(emptyVoxels(), undefined, 16));
    expect(png.width).toBe(3 * 16 + 2 * 6);
    for (let y = 0; y < 16; y++) expect(png.data[4 * (y * png.width)]).toBe(255);
  });
});
