import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { createCsg2dDomain } from './domain.js';
import { isPrimitive, printProgram, type Program } from './dsl.js';
import { generateScene, removeDeadCode, traceFor } from './generator.js';
import { countOn, differenceRaster, rasterEquals, unionRaster } from './raster.js';
import { renderProgram } from './render.js';
import { rasterFromSpec } from './spec.js';

/** Every tree with one subtree removed (the same moves dead code removal tries). */
function* removals(p: Program): Generator<Program> {
  if (isPrimitive(p)) return;
  for (const a of removals(p.a)) yield { op: p.op, a, b: p.b };
  for (const b of removals(p.b)) yield { op: p.op, a: p.a, b };
  yield p.a;
  if (p.op === 'union') yield p.b;
}

describe('csg2d scene generator', () => {
  const domain = createCsg2dDomain();

  it('is deterministic per seed', () => {
    expect(domain.sampleTask(new Rng(5))).toEqual(domain.sampleTask(new Rng(5)));
    expect(domain.sampleTask(new Rng(5))).not.toEqual(domain.sampleTask(new Rng(6)));
  });

  it('replaying every ground-truth trace reproduces the spec exactly (sizes up to 30)', () => {
    let longest = 0;
    for (let seed = 0; seed < 300; seed++) {
      const maxSize = [3, 13, 30][seed % 3];
      const task = domain.sampleTask(new Rng(seed), { maxSize });
      const r = replay(domain, task.spec, task.trace);
      if (!r.ok) throw new Error(`seed ${seed}: action ${r.at} failed: ${r.reason}`);
      expect(domain.score(r.state)).toBe(1);
      expect(r.state.objects.length).toBe(1);
      expect(rasterEquals(r.state.objects[0].raster, rasterFromSpec(task.spec))).toBe(true);
      longest = Math.max(longest, task.trace.length);
    }
    expect(longest).toBeGreaterThan(25);
  });

  it('accepts a shape only when it changes 10–60 % of the pixels', () => {
    let shapes = 0;
    for (let seed = 0; seed < 100; seed++) {
      const scene = generateScene(new Rng(seed), { maxShapes: 30, minShapes: 30 });
      let canvas = renderProgram(scene.steps[0].shape);
      for (const step of scene.steps.slice(1)) {
        const r = renderProgram(step.shape);
        const next = step.op === 'union' ? unionRaster(canvas, r) : differenceRaster(canvas, r);
        const pc = Math.abs(countOn(next) - countOn(canvas)) / countOn(canvas);
        expect(pc).toBeGreaterThanOrEqual(0.1);
        expect(pc).toBeLessThanOrEqual(0.6);
        canvas = next;
        shapes++;
      }
      expect(rasterEquals(canvas, renderProgram(scene.program))).toBe(true);
    }
    expect(shapes).toBeGreaterThan(100 * 20);
  });

  it('uses union about twice as often as difference, and draws some triangles', () => {
    let unions = 0;
    let diffs = 0;
    let triangles = 0;
    for (let seed = 0; seed < 200; seed++)
      for (const s of generateScene(new Rng(seed), { maxShapes: 13, minShapes: 13 }).steps) {
        if (s.op === 'union') unions++;
        if (s.op === 'diff') diffs++;
        if (!isPrimitive(s.shape)) triangles++;
      }
    // Accepted ratios differ from the drawn 2 : 1 because the 10–60 % rule filters unevenly.
    expect(unions).toBeGreaterThan(diffs);
    expect(diffs).toBeGreaterThan(0.15 * (unions + diffs));
    expect(triangles).toBeGreaterThan(0.03 * (unions + diffs));
  });

  it('leaves no dead code: removing any subtree changes the picture', () => {
    for (let seed = 0; seed < 40; seed++) {
      const p = generateScene(new Rng(seed), { maxShapes: 20 }).program;
      const target = renderProgram(p);
      for (const q of removals(p)) expect(rasterEquals(renderProgram(q), target)).toBe(false);
    }
    const dead = generateScene(new Rng(1), { maxShapes: 1 }).program;
    const padded: Program = { op: 'union', a: dead, b: dead };
    expect(printProgram(removeDeadCode(padded))).toBe(printProgram(dead));
  });

  it('traces scenes with at most 3 objects in scope', () => {
    for (let seed = 0; seed < 50; seed++) {
      const { maxScope } = traceFor(generateScene(new Rng(seed), { maxShapes: 30 }).program);
      expect(maxScope).toBeLessThanOrEqual(3);
    }
  });
});
