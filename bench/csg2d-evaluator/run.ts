/**
 * csg2d evaluator costs with the default-size network (untrained weights: the cost does not depend on
 * them): the same SMC search with and without the object-encoding cache (encodings computed vs
 * needed, nodes expanded in the budget), one head run's latency per population size, and the JS cost
 * per state of the enumerated line distribution (≈ 19.5k lines; used by 'top') and of one factorised
 * draw (used by 'sample').
 */
import { Rng, getSearch } from '../../src/core/index.js';
import { readFileSync } from 'node:fs';
import { createCsg2dDomain, pngToRaster, specFromRaster } from '../../src/domains/csg2d/index.js';
import {
  Csg2dLearner,
  NetworkBackend,
  lineDistribution,
  LineSampler,
  pieceBytes,
  piecesFromBytes,
  Csg2dEvaluator,
} from '../../src/models/csg2d/index.js';
import '../../src/search/index.js';
import type { BenchContext } from '../run.js';

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const seconds = ctx.args.includes('--quick') ? 3 : 10;
  const domain = createCsg2dDomain();
  const learner = await Csg2dLearner.create(domain, {}, { seed: 1, threads: 1 });
  const net = learner.config.net;
  const models = await piecesFromBytes(pieceBytes(learner.trainer.store, net), 1);
  const spec = specFromRaster(pngToRaster(readFileSync('examples/cad/scene-6.png'), 'scene-6.png').raster);
  const out: Record<string, unknown> = { seconds, threads: 1, net };
  for (const cache of [true, false]) {
    const ev = new Csg2dEvaluator(domain, new NetworkBackend(models, net.maxObjects, net.hidden, cache));
    const r = await getSearch('smc').run({
      domain,
      evaluator: ev,
      spec,
      budget: { timeMs: seconds * 1000 },
      rng: new Rng(1),
      stopOnSolve: true,
    });
    out[cache ? 'smcWithCache' : 'smcWithoutCache'] = {
      nodes: r.nodesExpanded,
      bestIoU: r.best?.score ?? 0,
      ...ev.stats,
    };
  }
  // Line distribution (JS) per state.
  const ev = new Csg2dEvaluator(domain, new NetworkBackend(models, net.maxObjects, net.hidden));
  const root = domain.initialState(spec);
  const states = [root];
  const rng = new Rng(2);
  for (let i = 0; i < 3; i++) {
    const [e] = await ev.evaluate([states[states.length - 1]], [{ kind: 'sample', count: 1 }], rng);
    const r = domain.step(states[states.length - 1], e.proposals[0].action);
    if (r.ok) states.push(r.state);
  }
  const scores = await (ev.backend as NetworkBackend).score(states);
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 1000)
    for (let i = 0; i < states.length; i++, n++)
      lineDistribution(states[i], scores[i], domain.limits, net.maxObjects);
  out.lineDistributionMsPerState = (performance.now() - t0) / n;
  const t1 = performance.now();
  let m = 0;
  while (performance.now() - t1 < 1000)
    for (let i = 0; i < states.length; i++, m++)
      new LineSampler(states[i], scores[i], domain.limits, net.maxObjects).sample(rng);
  out.factorisedSampleMsPerState = (performance.now() - t1) / m;
  return out;
}
