import { describe, expect, it } from 'vitest';
import { Rng, uniformEvaluator } from '../core/index.js';
import { createToyDomain } from '../../test/fixtures/toy/toy-domain.js';
import { TabularLearner } from '../../test/fixtures/toy/tabular-learner.js';
import { collectRollouts, expertPairs, trainImitation, trainReinforce, type ValueExample } from './index.js';
import type { ToyState } from '../../test/fixtures/toy/toy-domain.js';

const domain = createToyDomain();

describe('generic trainers on the toy domain', () => {
  it('expertPairs is a fixed stream for a seed and pairs states with their trace actions', () => {
    const src = (rng: Rng) => domain.sampleTask(rng);
    const a = expertPairs(domain, src, new Rng(5), 50);
    const b = expertPairs(domain, src, new Rng(5), 50);
    expect(a.map((e) => e.action)).toEqual(b.map((e) => e.action));
    for (const e of a) expect(domain.step(e.state, e.action).ok).toBe(true);
  });

  it('imitation raises held-out next-action accuracy and checkpoints', async () => {
    const learner = new TabularLearner(domain);
    const hist = await trainImitation(domain, learner, {
      steps: 40,
      batchSize: 64,
      validateEvery: 10,
      checkpointEvery: 20,
      checkpointDir: '/nonexistent-not-written-by-tabular',
      validationSize: 200,
    });
    expect(learner.step).toBe(40);
    expect(hist.length).toBe(4);
    expect(hist[3].validationAccuracy).toBeGreaterThan(hist[0].validationAccuracy - 1e-9);
    expect(hist[3].validationAccuracy).toBeGreaterThan(0.3);
    expect(learner.saved.length).toBeGreaterThanOrEqual(2);
  });

  it('logged and saved seconds go on from the resumed learner’s training time, through both phases', async () => {
    const learner = new TabularLearner(domain);
    learner.trainedSeconds = 1000; // as restored from a checkpoint
    const dir = '/nonexistent-not-written-by-tabular';
    const hist = await trainImitation(domain, learner, {
      steps: 4,
      batchSize: 8,
      validateEvery: 2,
      validationSize: 8,
      checkpointDir: dir,
    });
    expect(hist.map((e) => e.seconds >= 1000 && e.seconds < 1100)).toEqual([true, true]);
    expect(hist[1].seconds).toBeGreaterThanOrEqual(hist[0].seconds);
    const saved = learner.saved.at(-1)!.seconds as number;
    expect(saved).toBeGreaterThanOrEqual(hist[1].seconds);
    expect(learner.trainedSeconds).toBe(saved);
    const rl = await trainReinforce(domain, learner, {
      iterations: 1,
      tasksPerIteration: 2,
      rolloutsPerTask: 2,
      checkpointDir: dir,
    });
    expect(rl[0].seconds).toBeGreaterThanOrEqual(saved);
    expect(learner.trainedSeconds).toBeGreaterThanOrEqual(rl[0].seconds);
  });

  it('the last checkpoint is written while Ctrl-C is handled (a press then cannot kill the save)', async () => {
    for (const train of [
      (l: TabularLearner) =>
        trainImitation(domain, l, {
          steps: 3,
          batchSize: 8,
          validateEvery: 3,
          validationSize: 8,
          checkpointDir: '/nonexistent-not-written-by-tabular',
        }),
      (l: TabularLearner) =>
        trainReinforce(domain, l, {
          iterations: 1,
          tasksPerIteration: 2,
          rolloutsPerTask: 2,
          checkpointDir: '/nonexistent-not-written-by-tabular',
        }),
    ]) {
      const learner = new TabularLearner(domain);
      const handled: number[] = [];
      const save = learner.save.bind(learner);
      learner.save = (dir, meta) => (handled.push(process.listenerCount('SIGINT')), save(dir, meta));
      const before = process.listenerCount('SIGINT');
      await train(learner);
      expect(handled.length).toBeGreaterThan(0);
      expect(handled.at(-1)).toBe(before + 1);
      expect(process.listenerCount('SIGINT')).toBe(before);
    }
  });

  it("a learner's further validation metrics are logged beside the loss and accuracy", async () => {
    const learner = new TabularLearner(domain);
    const measure = learner.measurePolicy.bind(learner);
    learner.measurePolicy = async (b) => ({
      ...(await measure(b)),
      metrics: { tokenAccuracy: 0.5, execAccuracy: 0.25 },
    });
    const hist = await trainImitation(domain, learner, {
      steps: 2,
      batchSize: 8,
      validateEvery: 2,
      validationSize: 8,
    });
    expect(hist[0].validationExecAccuracy).toBe(0.25);
    expect(hist[0]).not.toHaveProperty('validationTokenAccuracy');
  });

  it('resuming continues to the same total step count', async () => {
    const learner = new TabularLearner(domain);
    await trainImitation(domain, learner, { steps: 10, batchSize: 32, validateEvery: 5, validationSize: 50 });
    await trainImitation(domain, learner, { steps: 25, batchSize: 32, validateEvery: 5, validationSize: 50 });
    expect(learner.step).toBe(25);
  });

  it('rollouts label success by isSolved and run in lock-step batches', async () => {
    const tasks = Array.from({ length: 5 }, (_, i) => domain.sampleTask(new Rng(i)));
    let calls = 0;
    const base = uniformEvaluator(domain);
    const counting = {
      id: 'counting',
      evaluate: (...args: Parameters<typeof base.evaluate>) => (calls++, base.evaluate(...args)),
    };
    const rollouts = await collectRollouts(domain, counting, tasks, 8, new Rng(1));
    expect(rollouts).toHaveLength(40);
    expect(calls).toBeLessThanOrEqual(domain.maxDepth);
    for (const r of rollouts) {
      const last = r.states[r.states.length - 1];
      expect(r.success).toBe(domain.isSolved(last));
      expect(r.actions.length).toBe(r.states.length - 1);
    }
  });

  it('reinforce trains the value on every rollout state and the policy on successes', async () => {
    const learner = new TabularLearner(domain);
    const hist = await trainReinforce(domain, learner, {
      iterations: 3,
      tasksPerIteration: 10,
      rolloutsPerTask: 8,
    });
    expect(hist).toHaveLength(3);
    for (const h of hist) {
      expect(h.rolloutSuccess).toBeGreaterThanOrEqual(0);
      expect(h.valueExamples).toBeGreaterThan(0);
      expect(h.policyExamples > 0).toBe(h.rolloutSuccess > 0);
    }
    expect(learner.value.size).toBeGreaterThan(0);
  });

  it('rollouts stop at the per-task depth limit', async () => {
    const tasks = Array.from({ length: 4 }, (_, i) => domain.sampleTask(new Rng(i)));
    const rollouts = await collectRollouts(
      domain,
      uniformEvaluator(domain),
      tasks,
      4,
      new Rng(2),
      undefined,
      () => 2,
    );
    for (const r of rollouts) expect(r.actions.length).toBeLessThanOrEqual(2);
  });

  it("'best-score' value targets are the suffix maximum of the score along each rollout", async () => {
    const learner = new TabularLearner(domain);
    const seen: ValueExample<ToyState>[] = [];
    const train = learner.trainValue.bind(learner);
    learner.trainValue = (batch) => (seen.push(...batch), train(batch));
    await trainReinforce(domain, learner, {
      iterations: 1,
      tasksPerIteration: 6,
      rolloutsPerTask: 4,
      valueTargets: 'best-score',
      trainPolicy: false,
    });
    expect(seen.length).toBeGreaterThan(0);
    for (const e of seen) {
      expect(e.target).toBeGreaterThanOrEqual(domain.score(e.state) - 1e-12);
      expect(e.target).toBeLessThanOrEqual(1);
      if (e.success) expect(e.target).toBe(1);
    }
    expect(seen.some((e) => !e.success && e.target! > 0 && e.target! < 1)).toBe(true);
  });
});
