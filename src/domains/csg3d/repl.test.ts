import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { createCsg3dDomain } from './domain.js';
import { renderProgram } from './render.js';
import { specFromVoxels } from './spec.js';
import { countOn, differenceVoxels, iou, unionVoxels, voxelsEqual } from './voxels.js';
import { ALL_PRIMITIVES } from './actions.js';
import { combineFault } from './repl.js';
import { renderPrimitive } from './render.js';
import type { Cuboid, Cylinder, Program } from './dsl.js';

const domain = createCsg3dDomain();
const block: Cuboid = { op: 'cuboid', x1: 4, y1: 4, z1: 0, x2: 28, y2: 28, z2: 12 };
const hole: Cylinder = { op: 'cylinder', axis: 'z', x: 16, y: 16, z: 0, r: 8, l: 12 };
const target: Program = { op: 'diff', a: block, b: hole };
const spec = specFromVoxels(renderProgram(target));

describe('csg3d REPL', () => {
  it('adds objects, combines them with garbage collection, and solves the spec', () => {
    const r = replay(domain, spec, [block, hole, { op: 'diff', a: 0, b: 1 }]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.states.map((s) => s.objects.length)).toEqual([0, 1, 2, 1]);
    expect(domain.isSolved(r.state)).toBe(true);
    expect(domain.score(r.state)).toBe(1);
    expect(domain.print(domain.program(r.state)!)).toBe(
      'a = cuboid(4, 4, 0, 28, 28, 12)\nb = cylinder(z, 16, 16, 0, 8, 12)\nc = diff(a, b)',
    );
    expect(domain.score(r.states[1])).toBeCloseTo(iou(renderProgram(block), renderProgram(target)), 12);
  });

  it('fails bad lines with a reason and never mutates the state', () => {
    const s0 = domain.initialState(spec);
    const s1 = domain.step(s0, block);
    if (!s1.ok) throw new Error(s1.reason);
    const before = JSON.stringify(s1.state.objects.map((o) => o.key));
    const bad = [
      { op: 'union', a: 0, b: 0 },
      { op: 'union', a: 0, b: 3 },
      { op: 'sphere', x: 0, y: 0, z: 0, r: 4 },
      { op: 'cylinder', axis: 'w', x: 8, y: 8, z: 0, r: 4, l: 4 },
      { op: 'torus' },
      null,
    ];
    for (const a of bad) expect(domain.step(s1.state, a as never).ok).toBe(false);
    expect(JSON.stringify(s1.state.objects.map((o) => o.key))).toBe(before);
    // A union that changes nothing is refused: the inner cuboid is inside the outer one.
    const s2 = domain.step(s1.state, { op: 'cuboid', x1: 8, y1: 8, z1: 0, x2: 12, y2: 12, z2: 4 });
    if (!s2.ok) throw new Error(s2.reason);
    expect(domain.step(s2.state, { op: 'union', a: 0, b: 1 }).ok).toBe(false);
    expect(domain.step(s2.state, { op: 'diff', a: 1, b: 0 }).ok).toBe(false); // empty result
  });

  it('observational equivalence: the state key ignores object order and program text', () => {
    const a = replay(domain, spec, [block, hole]);
    const b = replay(domain, spec, [hole, block]);
    if (!a.ok || !b.ok) throw new Error('replay failed');
    expect(domain.stateKey(a.state)).toBe(domain.stateKey(b.state));
    expect(voxelsEqual(a.state.objects[0].voxels, b.state.objects[1].voxels)).toBe(true);
  });

  it('the scope is bounded: a primitive beyond maxObjects fails, random rollouts stay legal', () => {
    const small = createCsg3dDomain({ maxObjects: 2 });
    const r = replay(small, spec, [block, hole]);
    if (!r.ok) throw new Error(r.reason);
    expect(small.step(r.state, { op: 'sphere', x: 16, y: 16, z: 16, r: 4 }).ok).toBe(false);
    const rng = new Rng(3);
    let s = small.initialState(spec);
    for (let i = 0; i < 30 && !small.isTerminal(s); i++) {
      const act = small.randomLegalAction(s, rng);
      if (act === null) break;
      const next = small.step(s, act);
      if (next.ok) s = next.state;
    }
    expect(s.objects.length).toBeLessThanOrEqual(2);
  });

  it('an operator is refused exactly when its result equals an operand or is empty', () => {
    const rng = new Rng(9);
    const objects = Array.from({ length: 40 }, () =>
      renderPrimitive(ALL_PRIMITIVES[rng.int(ALL_PRIMITIVES.length)]),
    );
    objects.push(unionVoxels(objects[0], objects[1]), differenceVoxels(objects[2], objects[3]));
    for (const a of objects)
      for (const b of objects)
        for (const op of ['union', 'diff'] as const) {
          if (countOn(b) === 0 || countOn(a) === 0) continue;
          const out = op === 'union' ? unionVoxels(a, b) : differenceVoxels(a, b);
          const refused = voxelsEqual(out, a) || voxelsEqual(out, b) || countOn(out) === 0;
          expect(combineFault(op, a, b) !== null).toBe(refused);
        }
  });
});
