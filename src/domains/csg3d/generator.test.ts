import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { createCsg3dDomain } from './domain.js';
import { isPrimitive, lineCount, primitiveCount, type Program } from './dsl.js';
import { generateScene, randomShape, removeDeadCode, traceFor } from './generator.js';
import { renderProgram } from './render.js';
import { countOn, voxelsEqual } from './voxels.js';

describe('csg3d scene generator', () => {
  it('draws 15 % spheres, else half cylinders and half cuboids', () => {
    const rng = new Rng(1);
    const n = 4000;
    const kinds = { cuboid: 0, sphere: 0, cylinder: 0 };
    for (let i = 0; i < n; i++) kinds[randomShape(rng).op]++;
    expect(kinds.sphere / n).toBeCloseTo(0.15, 1);
    expect(kinds.cuboid / n).toBeCloseTo(0.425, 1);
    expect(kinds.cylinder / n).toBeCloseTo(0.425, 1);
  });

  it('joins by union 70 % of the time; every accepted shape changes 10–60 % of the voxels', () => {
    const rng = new Rng(2);
    let unions = 0;
    let joins = 0;
    for (let s = 0; s < 30; s++) {
      const scene = generateScene(rng, { maxShapes: 8, minShapes: 8 });
      let acc: Program = scene.steps[0].shape;
      for (const st of scene.steps.slice(1)) {
        joins++;
        if (st.op === 'union') unions++;
        const next: Program = { op: st.op!, a: acc, b: st.shape };
        const before = countOn(renderProgram(acc));
        const change = Math.abs(countOn(renderProgram(next)) - before) / before;
        expect(change).toBeGreaterThanOrEqual(0.1);
        expect(change).toBeLessThanOrEqual(0.6);
        acc = next;
      }
      expect(voxelsEqual(renderProgram(scene.program), renderProgram(acc))).toBe(true);
    }
    expect(unions / joins).toBeGreaterThan(0.5);
    expect(unions / joins).toBeLessThan(0.9);
  });

  it('removes dead code: no subtree can be dropped without changing the voxels', () => {
    const rng = new Rng(3);
    for (let s = 0; s < 10; s++) {
      const p = generateScene(rng, { maxShapes: 10 }).program;
      expect(removeDeadCode(p)).toEqual(p);
      if (!isPrimitive(p)) expect(voxelsEqual(renderProgram(p.a), renderProgram(p))).toBe(false);
    }
  });

  it('traces are post-order, need two objects in scope, and replay to the scene', () => {
    const domain = createCsg3dDomain();
    const rng = new Rng(4);
    for (let s = 0; s < 10; s++) {
      const task = domain.sampleTask(rng, { maxSize: 20 });
      const r = replay(domain, task.spec, task.trace);
      expect(r.ok && domain.isSolved(r.state)).toBe(true);
      if (!r.ok) continue;
      const p = domain.program(r.state)!;
      expect(task.trace.length).toBe(lineCount(p));
      expect(traceFor(p).maxScope).toBeLessThanOrEqual(2);
      expect(primitiveCount(p)).toBeLessThanOrEqual(20);
    }
  });
});
