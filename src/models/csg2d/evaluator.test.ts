import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { actionKey, createCsg2dDomain, type Csg2dState } from '../../domains/csg2d/index.js';
import { Csg2dLearner } from './learner.js';
import { LineSampler, lineAction, lineDistribution, type Csg2dScores } from './lines.js';
import { uniformCsg2dEvaluator, type Csg2dEvaluator } from './evaluator.js';

const domain = createCsg2dDomain();
const K = domain.limits.maxObjects;

function traceStates(seed: number, tasks: number): Csg2dState[] {
  const rng = new Rng(seed);
  return Array.from({ length: tasks }).flatMap(() => {
    const t = domain.sampleTask(rng, { maxSize: 6 });
    const r = replay(domain, t.spec, t.trace);
    if (!r.ok) throw new Error(r.reason);
    return r.states;
  });
}

function randomScores(rng: Rng): Csg2dScores {
  const f = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.normal());
  return { typeLogits: f(5), args: f(173), ptrA: f(2 * K), ptrB: f(2 * K * K), value: 0.3 };
}

const tinyNet = { filters: [4, 4], strides: [4, 4], hidden: 8, context: 8, attention: 4, valueHidden: 4 };

describe('csg2d evaluator', () => {
  it('the line distribution sums to 1 over legal lines only', () => {
    const rng = new Rng(1);
    for (const s of traceStates(3, 3)) {
      const d = lineDistribution(s, randomScores(rng), domain.limits, K);
      let total = 0;
      d.logp.forEach((v) => (total += v > -Infinity ? Math.exp(v) : 0));
      expect(total).toBeCloseTo(1, 9);
      d.combines.forEach((c) => expect(domain.step(s, c).ok).toBe(true));
    }
  });

  it('the factorised sampler matches the enumerated distribution (log-probs and frequencies)', () => {
    const rng = new Rng(11);
    for (const s of traceStates(5, 2)) {
      const scores = randomScores(rng);
      const d = lineDistribution(s, scores, domain.limits, K);
      const sampler = new LineSampler(s, scores, domain.limits, K);
      d.logp.forEach((v, i) => {
        if (v > -Infinity) expect(sampler.logProb(lineAction(d, i))).toBeCloseTo(v, 8);
      });
      const n = 4000;
      const freq = new Map<string, number>();
      for (let k = 0; k < n; k++) {
        const a = sampler.sample(rng)!;
        const key = actionKey(a);
        freq.set(key, (freq.get(key) ?? 0) + 1);
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

  it('proposals are legal, merged, batched in one network run, and top is sorted', async () => {
    const learner = await Csg2dLearner.create(domain, tinyNet, { seed: 2, threads: 1 });
    const ev = (await learner.evaluator()) as Csg2dEvaluator;
    const states = traceStates(4, 3);
    const reqs = states.map((_, i) =>
      i % 2 ? { kind: 'top' as const, k: 7 } : { kind: 'sample' as const, count: 50 },
    );
    const out = await ev.evaluate(states, reqs, new Rng(9));
    expect(ev.stats.headRuns).toBe(1);
    out.forEach((e, i) => {
      expect(e.value).toBeGreaterThan(0);
      expect(e.value).toBeLessThanOrEqual(1);
      const keys = e.proposals.map((p) => actionKey(p.action));
      expect(new Set(keys).size).toBe(keys.length); // duplicates merged
      for (const p of e.proposals) expect(domain.step(states[i], p.action).ok).toBe(true);
      if (reqs[i].kind === 'sample') expect(e.proposals.reduce((a, p) => a + p.count, 0)).toBe(50);
      else {
        expect(e.proposals.length).toBe(7);
        for (let j = 1; j < e.proposals.length; j++)
          expect(e.proposals[j].logPrior).toBeLessThanOrEqual(e.proposals[j - 1].logPrior);
      }
    });
    // A second call on the same states uses the per-state cache: no new network run.
    await ev.evaluate(states, null, new Rng(1));
    expect(ev.stats.headRuns).toBe(1);
  }, 60_000);

  it('a population rolled forward reuses cached object encodings (each picture is encoded once)', async () => {
    const learner = await Csg2dLearner.create(domain, tinyNet, { seed: 2, threads: 1 });
    const ev = (await learner.evaluator()) as Csg2dEvaluator;
    const task = domain.sampleTask(new Rng(5), { maxSize: 4 });
    const rng = new Rng(1);
    let pop: Csg2dState[] = Array.from({ length: 16 }, () => domain.initialState(task.spec));
    for (let depth = 0; depth < 4; depth++) {
      const out = await ev.evaluate(
        pop,
        pop.map(() => ({ kind: 'sample' as const, count: 1 })),
        rng,
      );
      pop = pop.map((s, i) => {
        const r = domain.step(s, out[i].proposals[0].action);
        return r.ok ? r.state : s;
      });
    }
    expect(ev.stats.headRuns).toBe(4);
    const s = ev.stats;
    expect(s.objectsNeeded).toBeGreaterThan(s.objectsEncoded);
    expect(s.specsEncoded).toBe(1);
  }, 60_000);

  it('the uniform evaluator samples every line type and respects a full scope', async () => {
    const ev = uniformCsg2dEvaluator(domain);
    const [root] = traceStates(6, 1);
    const [e] = await ev.evaluate([root], [{ kind: 'sample', count: 200 }], new Rng(3));
    const ops = new Set(e.proposals.map((p) => p.action.op));
    expect(ops).toEqual(new Set(['circle', 'rect', 'rect45']));
  });
});
