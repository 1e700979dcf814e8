import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { createStringsDomain, generateTask, replaysToSolved } from '../../domains/strings/index.js';
import { StringsLearner } from './learner.js';

const domain = createStringsDomain();
const tiny = { denseLayers: 2, growth: 16, conv: 8, charEmbed: 4, actionEmbed: 4, valueHidden: 8 };

function examples(n: number) {
  const rng = new Rng(7);
  const out: { state: ReturnType<typeof domain.initialState>; action: number }[] = [];
  while (out.length < n) {
    const t = generateTask(rng, domain.generatorConfig);
    expect(replaysToSolved(domain.repl, t.spec, t.trace)).toBe(true);
    let s = domain.initialState(t.spec);
    for (const a of t.trace) {
      out.push({ state: s, action: a });
      const r = domain.step(s, a);
      if (!r.ok) break;
      s = r.state;
    }
  }
  return out.slice(0, n);
}

async function policyLogits(l: StringsLearner, states: ReturnType<typeof domain.initialState>[]) {
  const ev = (await l.evaluator()) as unknown as {
    scores(s: typeof states): Promise<{ logits: Float32Array; value: number }[]>;
  };
  return ev.scores(states);
}

describe('StringsLearner', () => {
  it('value training leaves the policy untouched; policy training improves it', async () => {
    const l = await StringsLearner.create(domain, tiny, { seed: 3, threads: 1, lr: 3e-3 });
    const ex = examples(64);
    const states = ex.map((e) => e.state);
    const before = await policyLogits(l, states);
    await l.trainValue(ex.map((e, i) => ({ state: e.state, success: i % 3 === 0 })));
    const after = await policyLogits(l, states);
    for (let i = 0; i < states.length; i++)
      expect(Array.from(after[i].logits)).toEqual(Array.from(before[i].logits));
    expect(after.some((a, i) => a.value !== before[i].value)).toBe(true);
    const m0 = await l.measurePolicy(ex);
    for (let k = 0; k < 30; k++) await l.trainPolicy(ex);
    const m1 = await l.measurePolicy(ex);
    expect(m1.loss).toBeLessThan(m0.loss * 0.7);
    await l.dispose();
  });
});
