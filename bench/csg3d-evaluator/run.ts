/**
 * csg3d evaluator costs: the same SMC search on one seeded scene with and without the object-encoding
 * cache (encodings computed vs needed: the share served by the cache, nodes expanded in the budget),
 * with the shipped network (or, when none is shipped, the default-size network with initial weights —
 * the cost does not depend on them), and the JS cost per state of the enumerated line distribution
 * (~34k lines; used by 'top') and of one factorised draw (used by 'sample').
 * `npm run bench -- csg3d-evaluator [--quick]`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, getSearch, type ModelFiles } from '../../src/core/index.js';
import { createCsg3dDomain, evalScene3d } from '../../src/domains/csg3d/index.js';
import {
  Csg3dEvaluator,
  Csg3dLearner,
  LineSampler,
  NetworkBackend,
  lineDistribution,
  loadCsg3dModel,
  pieceBytes,
  piecesFromBytes,
  type Csg3dModels,
} from '../../src/models/csg3d/index.js';
import '../../src/search/index.js';
import type { BenchContext } from '../run.js';

const folder = (dir: string): ModelFiles => ({
  location: dir,
  has: (n) => Promise.resolve(existsSync(join(dir, n))),
  read: (n) => Promise.resolve(new Uint8Array(readFileSync(join(dir, n)))),
});

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const seconds = ctx.args.includes('--quick') ? 5 : 20;
  let domain = createCsg3dDomain();
  let models: Csg3dModels;
  let net;
  let source: string;
  if (existsSync('models/csg3d/config.json')) {
    const loaded = await loadCsg3dModel(folder('models/csg3d'), 2);
    [domain, models, net, source] = [loaded.domain, loaded.models, loaded.config.net, 'models/csg3d'];
  } else {
    const learner = await Csg3dLearner.create(domain, {}, { seed: 1, threads: 2 });
    net = learner.config.net;
    models = await piecesFromBytes(pieceBytes(learner.trainer.store, net), 2);
    source = 'initial weights';
  }
  const scene = evalScene3d(1, 0, 20, 8);
  const out: Record<string, unknown> = { seconds, threads: 2, source, scene: scene.name, net };
  for (const cache of [true, false]) {
    const ev = new Csg3dEvaluator(domain, new NetworkBackend(models, net.maxObjects, net.hidden, cache));
    const r = await getSearch('smc').run({
      domain,
      evaluator: ev,
      spec: scene.spec,
      budget: { timeMs: seconds * 1000 },
      rng: new Rng(1),
      stopOnSolve: true,
    });
    const s = ev.stats;
    out[cache ? 'smcWithCache' : 'smcWithoutCache'] = {
      nodes: r.nodesExpanded,
      bestIoU: r.best?.score ?? 0,
      cacheShare: 1 - s.objectsEncoded / Math.max(1, s.objectsNeeded),
      ...s,
    };
  }
  const ev = new Csg3dEvaluator(domain, new NetworkBackend(models, net.maxObjects, net.hidden));
  const states = [domain.initialState(scene.spec)];
  const rng = new Rng(2);
  for (let i = 0; i < 3; i++) {
    const [e] = await ev.evaluate([states[states.length - 1]], [{ kind: 'sample', count: 1 }], rng);
    const r = domain.step(states[states.length - 1], e.proposals[0].action);
    if (r.ok) states.push(r.state);
  }
  const scores = await (ev.backend as NetworkBackend).score(states);
  const perState = (f: (i: number) => void): number => {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 1000) for (let i = 0; i < states.length; i++, n++) f(i);
    return (performance.now() - t0) / n;
  };
  out.lineDistributionMsPerState = perState((i) =>
    lineDistribution(states[i], scores[i], domain.limits, net.maxObjects),
  );
  out.factorisedSampleMsPerState = perState((i) =>
    new LineSampler(states[i], scores[i], domain.limits, net.maxObjects).sample(rng),
  );
  console.log(out);
  return out;
}
