import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { ALL_PRIMITIVES } from './actions.js';
import { createCsg3dDomain } from './domain.js';
import { lineCount, type Program } from './dsl.js';
import { bestPrimitiveFor, boxesOf, primitiveBoxes, refineProgram, slotBound } from './refine.js';
import { renderPrimitive, renderProgram } from './render.js';
import { voxelsFromSpec } from './spec.js';
import {
  countOn,
  differenceVoxels,
  intersectVoxels,
  iou,
  unionVoxels,
  voxelsEqual,
  WORDS,
} from './voxels.js';

describe('csg3d refinement', () => {
  it('decomposes every kind of primitive into boxes that cover it exactly', () => {
    for (const i of [0, 5000, 21_952, 22_300, 25_000, 30_000, 34_326]) {
      const v = renderPrimitive(ALL_PRIMITIVES[i]);
      let volume = 0;
      for (const [x0, x1, y0, y1, z0, z1] of boxesOf(v)) volume += (x1 - x0) * (y1 - y0) * (z1 - z0);
      expect(volume).toBe(countOn(v));
    }
    expect(boxesOf(renderPrimitive(ALL_PRIMITIVES[0]))).toHaveLength(1);
  });

  it('the bank (sizes voxelized once, shifted) holds exactly the voxels of every sphere and cylinder', () => {
    const { corners, first } = primitiveBoxes();
    const T = 33;
    for (let i = 21_952; i < ALL_PRIMITIVES.length; i += 7) {
      const v = new Uint32Array(WORDS);
      for (let b = first[i]; b < first[i + 1]; b++) {
        const hi = corners[8 * b];
        const lo = corners[8 * b + 7];
        const [x1, y1, z1] = [hi % T, Math.floor(hi / T) % T, Math.floor(hi / (T * T))];
        const [x0, y0, z0] = [lo % T, Math.floor(lo / T) % T, Math.floor(lo / (T * T))];
        for (let z = z0; z < z1; z++)
          for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) v[z * 32 + y] |= 1 << x;
      }
      expect(voxelsEqual(v, renderPrimitive(ALL_PRIMITIVES[i]))).toBe(true);
    }
  });

  it('the best primitive for a slot is the one brute force finds (IoU by box sums = by voxels)', () => {
    const rng = new Rng(5);
    const target = renderProgram({
      op: 'union',
      a: { op: 'cuboid', x1: 4, y1: 4, z1: 0, x2: 20, y2: 16, z2: 12 },
      b: { op: 'sphere', x: 20, y: 20, z: 16, r: 8 },
    });
    const other = renderPrimitive({ op: 'cylinder', axis: 'z', x: 12, y: 12, z: 4, r: 4, l: 16 });
    // Slot: union(other, P) — out = P ∪ other: U = full, V = other.
    const full = new Uint32Array(WORDS).fill(0xffffffff);
    const found = bestPrimitiveFor(full, other, target)!;
    const score = (i: number): number => iou(unionVoxels(renderPrimitive(ALL_PRIMITIVES[i]), other), target);
    expect(found.iou).toBeCloseTo(score(found.index), 12);
    for (let k = 0; k < 300; k++)
      expect(score(rng.int(ALL_PRIMITIVES.length))).toBeLessThanOrEqual(found.iou + 1e-12);
    // Slot: diff(other, P): U = empty, V = other.
    const cut = bestPrimitiveFor(new Uint32Array(WORDS), other, target)!;
    const cutScore = iou(differenceVoxels(other, renderPrimitive(ALL_PRIMITIVES[cut.index])), target);
    expect(cut.iou).toBeCloseTo(cutScore, 12);
    expect(countOn(intersectVoxels(other, target))).toBeGreaterThan(0);
  });

  it('improves a damaged program, keeps a perfect one, and is deterministic', () => {
    const domain = createCsg3dDomain();
    const task = domain.sampleTask(new Rng(8), { maxSize: 6, extra: { minShapes: 4 } });
    const target = voxelsFromSpec(task.spec);
    const start: Program = { op: 'sphere', x: 16, y: 16, z: 16, r: 8 };
    const improved: number[] = [];
    const a = refineProgram(start, target, { onImprove: (_, v) => improved.push(v) });
    expect(a.iou).toBeGreaterThan(iou(renderProgram(start), target));
    expect(improved).toEqual([...improved].sort((x, y) => x - y));
    expect(refineProgram(start, target)).toEqual(a);
    const perfect = refineProgram(a.program, renderProgram(a.program));
    expect(perfect.iou).toBe(1);
    expect(lineCount(perfect.program)).toBeLessThanOrEqual(lineCount(a.program));
    const stopped = refineProgram(null, target, { shouldStop: () => true });
    expect(stopped.converged).toBe(false);
  });

  it('no primitive beats the slot bound, and the bound is reached by a slot the target fills exactly', () => {
    const rng = new Rng(11);
    const target = renderProgram({
      op: 'diff',
      a: { op: 'cuboid', x1: 0, y1: 4, z1: 4, x2: 24, y2: 28, z2: 20 },
      b: { op: 'cylinder', axis: 'z', x: 12, y: 16, z: 0, r: 8, l: 20 },
    });
    for (let k = 0; k < 6; k++) {
      const v = renderPrimitive(ALL_PRIMITIVES[rng.int(ALL_PRIMITIVES.length)]);
      const u = k % 2 === 0 ? new Uint32Array(WORDS).fill(0xffffffff) : new Uint32Array(WORDS);
      const found = bestPrimitiveFor(u, v, target);
      if (found) expect(found.iou).toBeLessThanOrEqual(slotBound(u, v, target) + 1e-12);
    }
    // Slot diff(P, X) at the root with X the cylinder: U = ¬X, V = ∅; the target is one such P − X.
    const x = renderPrimitive({ op: 'cylinder', axis: 'z', x: 12, y: 16, z: 0, r: 8, l: 20 });
    const notX = differenceVoxels(new Uint32Array(WORDS).fill(0xffffffff), x);
    expect(slotBound(notX, new Uint32Array(WORDS), target)).toBe(1);
  });

  it('carves a new part by an existing one (diff(P, X)) and the kicks never make the result worse', () => {
    const x: Program = { op: 'cylinder', axis: 'z', x: 12, y: 16, z: 0, r: 8, l: 20 };
    const target = renderProgram({
      op: 'diff',
      a: { op: 'cuboid', x1: 0, y1: 4, z1: 4, x2: 24, y2: 28, z2: 20 },
      b: x,
    });
    const carved = refineProgram(x, target, { patience: 0, maxInsertions: 1 });
    expect(carved.iou).toBe(1);
    expect(lineCount(carved.program)).toBe(3);
    const domain = createCsg3dDomain();
    const task = domain.sampleTask(new Rng(21), { maxSize: 6, extra: { minShapes: 5 } });
    const scene = voxelsFromSpec(task.spec);
    const start: Program = { op: 'cuboid', x1: 0, y1: 0, z1: 0, x2: 28, y2: 28, z2: 28 };
    const greedy = refineProgram(start, scene, { patience: 0, maxInsertions: 2 });
    const kicked = refineProgram(start, scene, { patience: 2, maxInsertions: 2, seed: 4 });
    expect(kicked.iou).toBeGreaterThanOrEqual(greedy.iou);
    expect(kicked.moves.kicks).toBeGreaterThan(0);
    expect(refineProgram(start, scene, { patience: 2, maxInsertions: 2, seed: 4 })).toEqual(kicked);
  });
});
