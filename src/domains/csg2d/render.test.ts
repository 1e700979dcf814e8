import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_PRIMITIVES, PRIMITIVE_COUNTS } from './actions.js';
import type { Primitive, Program } from './dsl.js';
import { countOn, getPixel, rasterEquals, toPixels } from './raster.js';
import { renderAt, renderPrimitive, renderProgram } from './render.js';

const arbPrimitive = fc.integer({ min: 0, max: ALL_PRIMITIVES.length - 1 }).map((i) => ALL_PRIMITIVES[i]);
const arbProgram: fc.Arbitrary<Program> = fc.letrec<{ p: Program }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbPrimitive,
    fc.record({ op: fc.constantFrom('union' as const, 'diff' as const), a: tie('p'), b: tie('p') }),
  ),
})).p;

/** Extent in units [x0, x1] × [y0, y1] of a primitive. */
function extent(p: Primitive): [number, number, number, number] {
  if (p.op === 'circle') return [p.x - p.d / 2, p.x + p.d / 2, p.y - p.d / 2, p.y + p.d / 2];
  if (p.op === 'rect') return [p.x1, p.x2, p.y1, p.y2];
  return [p.x - p.a, p.x + p.b, p.y, p.y + p.a + p.b];
}

describe('rasterizer', () => {
  it('enumerates every valid primitive once', () => {
    expect(PRIMITIVE_COUNTS.rect).toBe(120 * 120);
    expect(ALL_PRIMITIVES.length).toBe(
      PRIMITIVE_COUNTS.circle + PRIMITIVE_COUNTS.rect + PRIMITIVE_COUNTS.rect45,
    );
    expect(new Set(ALL_PRIMITIVES.map((p) => JSON.stringify(p))).size).toBe(ALL_PRIMITIVES.length);
  });

  it('draws every primitive non-empty and inside its extent', () => {
    fc.assert(
      fc.property(arbPrimitive, (p) => {
        const r = renderPrimitive(p);
        expect(countOn(r)).toBeGreaterThan(0);
        const [x0, x1, y0, y1] = extent(p);
        let outside = 0;
        for (let y = 0; y < 64; y++)
          for (let x = 0; x < 64; x++) {
            const cx = (x + 0.5) / 2;
            const cy = (y + 0.5) / 2;
            if (getPixel(r, x, y) && (cx < x0 || cx > x1 || cy < y0 || cy > y1)) outside++;
          }
        expect(outside).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('gives shapes their areas: rect exactly, circles and rect45 within a boundary ring', () => {
    expect(countOn(renderPrimitive({ op: 'rect', x1: 2, y1: 4, x2: 8, y2: 6 }))).toBe(4 * 6 * 2);
    fc.assert(
      fc.property(arbPrimitive, (p) => {
        const n = countOn(renderPrimitive(p));
        if (p.op === 'rect') expect(n).toBe(4 * (p.x2 - p.x1) * (p.y2 - p.y1));
        else if (p.op === 'circle') expect(Math.abs(n - Math.PI * p.d * p.d)).toBeLessThan(4 * Math.PI * p.d);
        else expect(Math.abs(n - 8 * p.a * p.b)).toBeLessThanOrEqual(4 * 2 * (p.a + p.b) + 2);
      }),
      { numRuns: 300 },
    );
  });

  it('circles are symmetric about their centre', () => {
    const r = renderPrimitive({ op: 'circle', x: 10, y: 12, d: 10 });
    for (let dy = -12; dy < 12; dy++)
      for (let dx = -12; dx < 12; dx++)
        expect(getPixel(r, 20 + dx, 24 + dy)).toBe(getPixel(r, 19 - dx, 23 - dy));
  });

  it('renderAt(64) agrees with the cached word-op renderer', () => {
    fc.assert(
      fc.property(arbProgram, (p) => {
        expect(Array.from(renderAt(p, 64))).toEqual(Array.from(toPixels(renderProgram(p))));
      }),
      { numRuns: 100 },
    );
  });

  it('renders union and difference as set operations', () => {
    const a: Primitive = { op: 'rect', x1: 0, y1: 0, x2: 10, y2: 10 };
    const b: Primitive = { op: 'circle', x: 10, y: 10, d: 10 };
    const d = renderProgram({ op: 'diff', a, b });
    expect(getPixel(d, 1, 1)).toBe(true);
    expect(getPixel(d, 19, 19)).toBe(false);
    expect(
      rasterEquals(renderProgram({ op: 'union', a, b }), renderProgram({ op: 'union', a: b, b: a })),
    ).toBe(true);
  });
});
