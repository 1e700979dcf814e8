import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { registerBuiltins } from '../../src/builtins.js';
import { openFolder } from '../../src/io/files.js';
import { CsgnetDecoder } from '../../src/models/csgnet/evaluator.js';
import {
  SequenceStream,
  csgnet2d,
  csgnet3d,
  tokenDomain,
  type TokenDomainLike,
  type TokenStateLike,
} from '../../src/models/csgnet/kinds.js';
import { CsgnetLearner, sequenceFeeds } from '../../src/models/csgnet/learner.js';
import type { CsgnetNetOptions } from '../../src/models/csgnet/net.js';
import { loadCsgnet } from '../../src/models/csgnet/store.js';
import { wholeProgramDomain } from '../../src/models/csgnet/whole.js';

const tmp = mkdtempSync(join(tmpdir(), 'replsynth-csgnet-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => registerBuiltins());

/** A tiny 2-D net (one strided conv) so graphs build and run in a moment. */
function tiny(domain: TokenDomainLike, steps = 40): CsgnetNetOptions {
  return {
    ...csgnet2d.net,
    filters: [4],
    strides: [8],
    encoding: 16,
    hidden: 16,
    embed: 8,
    vocab: domain.actionSpace.size,
    steps,
  };
}

async function tinyLearner(seed = 1) {
  const domain = tokenDomain(csgnet2d, {});
  const net = tiny(domain);
  const learner = await CsgnetLearner.create(
    csgnet2d,
    domain,
    { tokenParams: {}, replParams: { maxShapes: 4 }, net },
    { lr: 3e-3, seed, threads: 1 },
  );
  return { domain, net, learner, stream: new SequenceStream(csgnet2d, domain, { maxShapes: 4 }, net.steps) };
}

/** The states along a token sequence, root first (the last one after every token). */
function walk(domain: TokenDomainLike, spec: unknown, tokens: readonly number[]): TokenStateLike[] {
  const out = [domain.initialState(spec)];
  for (const t of tokens) {
    const r = domain.step(out[out.length - 1], t);
    if (!r.ok) throw new Error(r.reason);
    out.push(r.state);
  }
  return out;
}

describe('csgnet', () => {
  it('training examples come from the REPL sampler: grammar-legal token programs of the scene, seeded', () => {
    const domain = tokenDomain(csgnet2d, {});
    const s = new SequenceStream(csgnet2d, domain, { maxShapes: 5 }, 40);
    const a = s.batch(new Rng(3), 4);
    const b = s.batch(new Rng(3), 4);
    expect(a.map((e) => e.tokens)).toEqual(b.map((e) => e.tokens));
    for (const e of a) {
      expect(e.tokens[e.tokens.length - 1]).toBe(domain.grammar.end);
      expect(e.tokens.length).toBeLessThanOrEqual(40);
      expect(e.target.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    }
    // The feeds: one real step per token, each target token legal where it stands.
    const f = sequenceFeeds(a, domain, tiny(domain));
    const V = domain.actionSpace.size;
    expect(f.weight.reduce((x, y) => x + y, 0)).toBe(a.reduce((n, e) => n + e.tokens.length, 0));
    a[0].tokens.forEach((t, k) => expect(f.legal[k * V + t]).toBe(1));
    expect(f.prev[1]).toBe(a[0].tokens[0]);
  });

  it('the incremental decoder gives the teacher-forced logits, stepping each new state once per call', async () => {
    const { domain, net, learner, stream } = await tinyLearner();
    const whole = wholeProgramDomain(stream);
    const batch = stream
      .batch(new Rng(7), 4)
      .map((e) => ({ state: whole.initialState(e), action: e.tokens }));
    for (let i = 0; i < 3; i++) await learner.trainPolicy(batch);
    const task = domain.sampleTask(new Rng(9), { maxSize: 3 });
    const states = walk(domain, task.spec, task.trace);
    // The training graph's logits for the whole sequence.
    const example = { target: new Float32Array(csgnet2d.cells), tokens: task.trace };
    csgnet2d.writeTarget(task.spec, example.target, 0);
    const feeds = sequenceFeeds([example], domain, net);
    const full = await (
      await learner.trainer.exportInference({ threads: 1 })
    ).run({ target: feeds.target, prev: feeds.prev });
    const ev = await learner.evaluator();
    const decoder = (ev as unknown as { stats: { stepRuns: number; statesStepped: number } }).stats;
    const d = new CsgnetDecoder(csgnet2d, domain, await learner.inferencePieces(), net);
    const V = net.vocab;
    for (let t = 0; t < task.trace.length; t++) {
      const [scores] = await d.score([states[t]]);
      for (let v = 0; v < V; v += 17) expect(scores.logits[v]).toBeCloseTo(full.logits[t * V + v], 4);
    }
    expect(d.stats.stepRuns).toBe(task.trace.length);
    expect(d.stats.statesStepped).toBe(task.trace.length);
    expect(d.stats.specsEncoded).toBe(1);
    // Asking again costs nothing; a deep state with no cached ancestor is stepped along its path.
    await d.score(states.slice(0, 3));
    expect(d.stats.stepRuns).toBe(task.trace.length);
    const fresh = new CsgnetDecoder(csgnet2d, domain, await learner.inferencePieces(), net);
    await fresh.score([states[3]]);
    expect(fresh.stats.statesStepped).toBe(4);
    expect(fresh.stats.stepRuns).toBe(4);
    // The evaluator proposes legal tokens only.
    const [e0] = await ev.evaluate([states[0]] as never, [{ kind: 'top', k: 5 }], new Rng(1));
    const mask = domain.legalMask!(states[0]);
    for (const p of e0.proposals) expect(mask[p.action as unknown as number]).toBe(1);
    expect(decoder.stepRuns).toBe(1);
    await learner.dispose();
  }, 60_000);

  it('training lowers the loss; a checkpoint resumes at its step and loads as a model folder', async () => {
    const { domain, learner, stream } = await tinyLearner(2);
    const whole = wholeProgramDomain(stream);
    const batch = stream
      .batch(new Rng(1), 8)
      .map((e) => ({ state: whole.initialState(e), action: e.tokens }));
    const first = await learner.measurePolicy(batch);
    for (let i = 0; i < 15; i++) await learner.trainPolicy(batch);
    const after = await learner.measurePolicy(batch);
    expect(after.loss).toBeLessThan(first.loss);
    const dir = join(tmp, 'ckpt');
    await learner.save(dir, { phase: 'imitation' });
    const cfg = learner.config;
    const again = await CsgnetLearner.resume(csgnet2d, domain, dir, cfg, 1);
    expect(again.step).toBe(15);
    expect((await again.measurePolicy(batch)).loss).toBeCloseTo(after.loss, 5);
    const loaded = await loadCsgnet(csgnet2d, openFolder(dir), 1);
    const spec = loaded.domain.sampleTask(new Rng(4)).spec;
    const [ev] = await loaded
      .evaluator()
      .evaluate([loaded.domain.initialState(spec)], [{ kind: 'sample', count: 8 }], new Rng(2));
    expect(ev.proposals.reduce((n, p) => n + p.count, 0)).toBe(8);
    await expect(loadCsgnet(csgnet3d, openFolder(dir), 1)).rejects.toThrow(/field 'kind'/);
    await Promise.all([learner.dispose(), again.dispose()]);
  }, 60_000);

  it('the 3-D kind builds its volume input and trains a step', async () => {
    const domain = tokenDomain(csgnet3d, {});
    const net: CsgnetNetOptions = {
      ...csgnet3d.net,
      filters: [2],
      strides: [8],
      encoding: 8,
      hidden: 8,
      embed: 4,
      vocab: domain.actionSpace.size,
      steps: 40,
    };
    const stream = new SequenceStream(csgnet3d, domain, { maxShapes: 3 }, net.steps);
    const learner = await CsgnetLearner.create(
      csgnet3d,
      domain,
      { tokenParams: {}, replParams: { maxShapes: 3 }, net },
      { seed: 1, threads: 1 },
    );
    const whole = wholeProgramDomain(stream);
    const m = await learner.trainPolicy(
      stream.batch(new Rng(2), 2).map((e) => ({ state: whole.initialState(e), action: e.tokens })),
    );
    expect(Number.isFinite(m.loss)).toBe(true);
    await expect(learner.trainValue()).rejects.toThrow(/--phase imitation/);
    await learner.dispose();
  }, 60_000);
});
