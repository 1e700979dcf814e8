import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { ALL_PRIMITIVES } from './actions.js';
import { isPrimitive, lineCount, type Primitive, type Program } from './dsl.js';
import { generateScene } from './generator.js';
import { iou } from './raster.js';
import { refineProgram } from './refine.js';
import { renderPrimitive, renderProgram } from './render.js';

/** The program with its k-th primitive (pre-order) moved by `dx` grid units along x (kept on the canvas). */
function nudge(p: Program, k: { left: number }, dx: number): Program {
  if (isPrimitive(p)) {
    if (k.left-- !== 0) return p;
    const shift = (v: number) => Math.min(30, Math.max(0, v + dx));
    if (p.op === 'rect')
      return p.x2 + dx <= 30 && p.x1 + dx >= 0 ? { ...p, x1: p.x1 + dx, x2: p.x2 + dx } : p;
    if (p.op === 'rect45') return { ...p, x: shift(p.x) };
    const r = p.d / 2;
    return p.x + dx - r >= 0 && p.x + dx + r <= 32 ? { ...p, x: p.x + dx } : p;
  }
  return { op: p.op, a: nudge(p.a, k, dx), b: nudge(p.b, k, dx) };
}

const circle = (x: number, y: number, d: number): Primitive => ({ op: 'circle', x, y, d });

describe('csg2d refinement', () => {
  it('the reported IoU is the rendered IoU, never below the start, and lines only shrink at IoU 1 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom(-4, -2, 2, 4),
        (seed, k, dx) => {
          const scene = generateScene(new Rng(seed), { maxShapes: 6 });
          const target = renderProgram(scene.program);
          const start = nudge(scene.program, { left: k }, dx);
          const before = iou(renderProgram(start), target);
          let steps = 0;
          const res = refineProgram(start, target, { shouldStop: () => ++steps > 40 });
          expect(res.iou).toBeCloseTo(iou(renderProgram(res.program), target), 12);
          expect(res.iou).toBeGreaterThanOrEqual(before - 1e-12);
          if (before === 1) expect(lineCount(res.program)).toBeLessThanOrEqual(lineCount(start));
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it('one replacement finds the best single primitive of all 19,509 (checked by brute force)', () => {
    const scene = generateScene(new Rng(3), { maxShapes: 5, minShapes: 3 });
    const target = renderProgram(scene.program);
    let brute = 0;
    for (const p of ALL_PRIMITIVES) brute = Math.max(brute, iou(renderPrimitive(p), target));
    const res = refineProgram(circle(16, 16, 6), target, { maxInsertions: 0 });
    expect(isPrimitive(res.program)).toBe(true);
    expect(res.iou).toBeCloseTo(brute, 12);
    expect(res.converged).toBe(true);
  });

  it('trims bloat: a union with a shape already covered is deleted, IoU unchanged', () => {
    const big = circle(16, 16, 20);
    const target = renderPrimitive(big);
    const bloated: Program = {
      op: 'union',
      a: { op: 'union', a: big, b: circle(16, 16, 8) },
      b: circle(14, 16, 6),
    };
    const res = refineProgram(bloated, target);
    expect(res.program).toEqual(big);
    expect(res.iou).toBe(1);
    expect(res.moves.delete).toBe(2);
  });

  it('repairs a misplaced shape of a generated scene back to IoU 1', () => {
    const scene = generateScene(new Rng(11), { maxShapes: 4, minShapes: 4 });
    const target = renderProgram(scene.program);
    // The first primitive whose move changes the picture.
    let start = scene.program;
    for (let k = 0; k < lineCount(scene.program) && iou(renderProgram(start), target) === 1; k++)
      start = nudge(scene.program, { left: k }, 4);
    expect(iou(renderProgram(start), target)).toBeLessThan(1);
    const res = refineProgram(start, target);
    expect(res.iou).toBe(1);
    expect(lineCount(res.program)).toBeLessThanOrEqual(lineCount(scene.program));
  });

  it('from nothing, builds a union of two disjoint circles exactly', () => {
    const truth: Program = { op: 'union', a: circle(8, 8, 10), b: circle(22, 22, 12) };
    const seen: number[] = [];
    const res = refineProgram(null, renderProgram(truth), { onImprove: (_p, s) => seen.push(s) });
    expect(res.iou).toBe(1);
    expect(lineCount(res.program)).toBe(3);
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('stops when told to, keeping the start program', () => {
    const scene = generateScene(new Rng(2), { maxShapes: 6, minShapes: 4 });
    const start = nudge(scene.program, { left: 0 }, 2);
    const target = renderProgram(scene.program);
    const res = refineProgram(start, target, { shouldStop: () => true });
    expect(res.program).toBe(start);
    expect(res.converged).toBe(false);
  });
});
