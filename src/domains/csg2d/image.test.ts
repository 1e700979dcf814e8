import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { parseProgram } from './dsl.js';
import { pngToRaster, rasterToPng, sideBySidePng, pixelsToPng } from './image.js';
import { exampleProgram, exampleScenes } from './examples.js';

const readPngRaster = (path: string) => pngToRaster(readFileSync(path), path);
import { countOn, fromPixels, iou, rasterEquals } from './raster.js';
import { renderAt, renderProgram } from './render.js';

const scene = renderProgram(
  parseProgram('diff(union(rect(2, 2, 20, 12), circle(20, 20, 16)), circle(8, 8, 6))'),
);

describe('csg2d PNG input/output', () => {
  it('reads back a 64×64 PNG exactly, without a warning', () => {
    const r = pngToRaster(rasterToPng(scene, 1));
    expect(r.warning).toBeNull();
    expect(rasterEquals(r.raster, scene)).toBe(true);
  });

  it('resizes other sizes by area averaging and says so', () => {
    const r = pngToRaster(rasterToPng(scene, 4));
    expect(rasterEquals(r.raster, scene)).toBe(true);
    expect(r.warning).toMatch(/resized 256×256 to 64×64/);
    const p = parseProgram('union(circle(10, 12, 14), rect45(22, 4, 6, 8))');
    const hi = pngToRaster(pixelsToPng(renderAt(p, 100), 100));
    expect(iou(hi.raster, renderProgram(p))).toBeGreaterThan(0.95);
  });

  it('inverts light-on-dark images, unless told not to', () => {
    const png = PNG.sync.read(rasterToPng(scene, 1));
    for (let i = 0; i < png.data.length; i += 4)
      for (let c = 0; c < 3; c++) png.data[i + c] = 255 - png.data[i + c];
    const bytes = PNG.sync.write(png);
    const r = pngToRaster(bytes);
    expect(rasterEquals(r.raster, scene)).toBe(true);
    expect(r.warning).toMatch(/inverted/);
    expect(countOn(pngToRaster(bytes, 'x.png', { invert: false }).raster)).toBe(4096 - countOn(scene));
  });

  it('a blank, all-dark or 1×1 image is an input error, never an empty target with IoU 1', () => {
    const solid = (w: number, h: number, v: number): Buffer => {
      const png = new PNG({ width: w, height: h });
      for (let i = 0; i < png.data.length; i += 4) png.data.set([v, v, v, 255], i);
      return PNG.sync.write(png);
    };
    expect(() => pngToRaster(solid(64, 64, 255), 'white.png')).toThrow(
      /white\.png:0: nothing to draw: every pixel is light/,
    );
    expect(() => pngToRaster(solid(64, 64, 0), 'black.png')).toThrow(/black\.png:0: nothing to draw/);
    expect(() => pngToRaster(solid(1, 1, 0), 'dot.png')).toThrow(/dot\.png:0: nothing to draw/);
    expect(() => pngToRaster(solid(1, 1, 255), 'dot.png')).toThrow(/nothing to draw/);
    expect(() => pngToRaster(solid(64, 64, 0), 'black.png', { invert: false })).not.toThrow();
  });

  it('a shape that touches the border is not mistaken for a light-on-dark image', () => {
    // A rectangle over the left, top and bottom edges: most of the border is dark, not all of it.
    const big = fromPixels(Array.from({ length: 64 * 64 }, (_, i) => (i % 64 < 48 ? 1 : 0)));
    const r = pngToRaster(rasterToPng(big, 1));
    expect(r.warning).toBeNull();
    expect(rasterEquals(r.raster, big)).toBe(true);
  });

  it('reports unreadable files as InputErrors naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg2d-'));
    writeFileSync(join(dir, 'bad.png'), 'not a png');
    expect(() => readPngRaster(join(dir, 'bad.png'))).toThrow(InputError);
    expect(() => readPngRaster(join(dir, 'bad.png'))).toThrow(/bad\.png:0: not a readable PNG/);
  });

  it('draws target | reconstruction | difference', () => {
    const recon = renderProgram(parseProgram('rect(2, 2, 20, 12)'));
    const png = PNG.sync.read(sideBySidePng(scene, recon, 2));
    expect([png.width, png.height]).toEqual([3 * 128 + 8, 128]);
    // A pixel in the target's circle but not in the reconstruction is red in the third panel.
    const x = 2 * (128 + 4) + 2 * 40;
    const i = 4 * (2 * 40 * png.width + x);
    expect([png.data[i], png.data[i + 1], png.data[i + 2]]).toEqual([220, 40, 40]);
  });

  it('ships example images that read back to their scenes exactly', () => {
    for (const ex of exampleScenes) {
      const r = readPngRaster(join('examples', 'cad', `${ex.name}.png`));
      expect([r.width, r.height]).toEqual([256, 256]);
      expect(rasterEquals(r.raster, renderProgram(exampleProgram(ex.shapes, ex.seed)))).toBe(true);
    }
  });
});
