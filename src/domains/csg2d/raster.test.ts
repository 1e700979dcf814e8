import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countOn,
  differenceRaster,
  emptyRaster,
  fromHexRows,
  fromPixels,
  hamming,
  intersectRaster,
  iou,
  popcount32,
  rasterEquals,
  rasterKey,
  toHexRows,
  toPixels,
  unionRaster,
  type Raster,
} from './raster.js';
import { ALL_PRIMITIVES } from './actions.js';
import type { Primitive, Program } from './dsl.js';
import { renderProgram } from './render.js';

// Arbitraries: random valid programs (trees over all primitive lines) and rasters.
const arbPrimitive: fc.Arbitrary<Primitive> = fc
  .integer({ min: 0, max: ALL_PRIMITIVES.length - 1 })
  .map((i) => ALL_PRIMITIVES[i]);

const arbProgram: fc.Arbitrary<Program> = fc.letrec<{ p: Program }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbPrimitive,
    fc.record({ op: fc.constantFrom('union' as const, 'diff' as const), a: tie('p'), b: tie('p') }),
  ),
})).p;

const arbRaster: fc.Arbitrary<Raster> = fc.oneof(
  arbProgram.map((p) => renderProgram(p)),
  fc.uint32Array({ minLength: 128, maxLength: 128 }),
);

describe('raster algebra', () => {
  it('popcount agrees with a bit loop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        let n = 0;
        for (let i = 0; i < 32; i++) n += (v >>> i) & 1;
        expect(popcount32(v)).toBe(n);
      }),
    );
  });

  it('union is commutative, idempotent and contains both inputs', () => {
    fc.assert(
      fc.property(arbRaster, arbRaster, (a, b) => {
        const u = unionRaster(a, b);
        expect(rasterEquals(u, unionRaster(b, a))).toBe(true);
        expect(rasterEquals(unionRaster(a, a), a)).toBe(true);
        expect(rasterEquals(unionRaster(u, a), u)).toBe(true);
        expect(countOn(u)).toBe(countOn(a) + countOn(b) - countOn(intersectRaster(a, b)));
      }),
    );
  });

  it('difference removes exactly the second operand', () => {
    fc.assert(
      fc.property(arbRaster, arbRaster, arbRaster, (a, b, c) => {
        const d = differenceRaster(a, b);
        expect(countOn(intersectRaster(d, b))).toBe(0);
        expect(rasterEquals(unionRaster(d, intersectRaster(a, b)), a)).toBe(true);
        expect(rasterEquals(differenceRaster(a, unionRaster(b, c)), differenceRaster(d, c))).toBe(true);
      }),
    );
  });

  it('IoU is symmetric, in [0, 1], and 1 exactly for equal rasters', () => {
    fc.assert(
      fc.property(arbRaster, arbRaster, (a, b) => {
        const x = iou(a, b);
        expect(x).toBe(iou(b, a));
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
        expect(x === 1).toBe(rasterEquals(a, b));
        expect(iou(a, a)).toBe(1);
        expect(hamming(a, b) === 0).toBe(rasterEquals(a, b));
      }),
    );
    expect(iou(emptyRaster(), emptyRaster())).toBe(1);
  });

  it('hex rows, pixels and keys round-trip', () => {
    fc.assert(
      fc.property(arbRaster, arbRaster, (a, b) => {
        const back = fromHexRows(toHexRows(a));
        expect(typeof back).not.toBe('string');
        expect(rasterEquals(back as Uint32Array, a)).toBe(true);
        expect(rasterEquals(fromPixels(toPixels(a)), a)).toBe(true);
        expect(rasterKey(a) === rasterKey(b)).toBe(rasterEquals(a, b));
      }),
    );
  });

  it('hex rows show the picture left to right', () => {
    const px = new Uint8Array(64 * 64);
    px[0] = 1; // top-left pixel
    px[64 + 5] = 1; // row 1, x = 5
    expect(toHexRows(fromPixels(px)).slice(0, 2)).toEqual(['8000000000000000', '0400000000000000']);
    expect(fromHexRows(['zz'])).toMatch(/64 hex rows/);
  });
});
