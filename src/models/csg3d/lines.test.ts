import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { actionKey, createCsg3dDomain, type Csg3dState } from '../../domains/csg3d/index.js';
import { LineSampler, lineAction, lineDistribution, lineTargets, type Csg3dScores } from './lines.js';
import { ARG_COLUMNS, ARG_HEADS, argClass } from './net.js';

const domain = createCsg3dDomain();
const K = domain.limits.maxObjects;

function traceStates(seed: number, tasks: number): Csg3dState[] {
  const rng = new Rng(seed);
  return Array.from({ length: tasks }).flatMap(() => {
    const t = domain.sampleTask(rng, { maxSize: 5 });
    const r = replay(domain, t.spec, t.trace);
    if (!r.ok) throw new Error(r.reason);
    return r.states;
  });
}

function randomScores(rng: Rng): Csg3dScores {
  const f = (n: number): Float32Array => Float32Array.from({ length: n }, () => 2 * rng.normal());
  return { typeLogits: f(5), args: f(ARG_COLUMNS), ptrA: f(2 * K), ptrB: f(2 * K * K), value: 0.3 };
}

describe('csg3d line policy', () => {
  it('has 16 argument heads (cuboid 6, sphere 4, cylinder 6) and classes for every value', () => {
    expect(ARG_HEADS.map((h) => `${h.type}.${h.field}`).join(' ')).toBe(
      'cuboid.x1 cuboid.y1 cuboid.z1 cuboid.x2 cuboid.y2 cuboid.z2 sphere.x sphere.y sphere.z sphere.r ' +
        'cylinder.axis cylinder.x cylinder.y cylinder.z cylinder.r cylinder.l',
    );
    expect(argClass('cylinder', 5, 20)).toBe(4);
    expect(argClass('sphere', 3, 12)).toBe(2);
    expect(argClass('cuboid', 3, 28)).toBe(7);
    const t = lineTargets({ op: 'cylinder', axis: 'y', x: 8, y: 0, z: 8, r: 4, l: 12 });
    expect(t.args.slice(10)).toEqual([1, 2, 0, 2, 1, 2]);
    expect(t.argWeight.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('the line distribution sums to 1 over legal lines only', () => {
    const rng = new Rng(1);
    for (const s of traceStates(3, 2)) {
      const d = lineDistribution(s, randomScores(rng), domain.limits, K);
      let total = 0;
      d.logp.forEach((v) => (total += v > -Infinity ? Math.exp(v) : 0));
      expect(total).toBeCloseTo(1, 9);
      d.combines.forEach((c) => expect(domain.step(s, c).ok).toBe(true));
    }
  });

  it('the factorised sampler matches the enumerated distribution (log-probs and frequencies)', () => {
    const rng = new Rng(11);
    for (const s of traceStates(5, 1).slice(0, 3)) {
      const scores = randomScores(rng);
      const d = lineDistribution(s, scores, domain.limits, K);
      const sampler = new LineSampler(s, scores, domain.limits, K);
      d.logp.forEach((v, i) => {
        if (v > -Infinity) expect(sampler.logProb(lineAction(d, i))).toBeCloseTo(v, 8);
      });
      const n = 3000;
      const freq = new Map<string, number>();
      for (let k = 0; k < n; k++) {
        const a = sampler.sample(rng)!;
        expect(domain.step(s, a).ok).toBe(true);
        freq.set(actionKey(a), (freq.get(actionKey(a)) ?? 0) + 1);
      }
      const order = [...d.logp.keys()]
        .filter((i) => d.logp[i] > -Infinity)
        .sort((x, y) => d.logp[y] - d.logp[x]);
      for (const i of order.slice(0, 5)) {
        const p = Math.exp(d.logp[i]);
        const got = (freq.get(actionKey(lineAction(d, i))) ?? 0) / n;
        expect(Math.abs(got - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-3);
      }
    }
  });
});
