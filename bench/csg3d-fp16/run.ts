/**
 * Does float16 weight storage keep the csg3d model's behaviour? Runs the float32 pieces of a
 * checkpoint (default checkpoints/csg3d; `--from=DIR`) and their float16 conversion (nn/fp16.ts, what
 * `train --ship` writes with shipFloat16) on every state along the ground-truth traces of 40 generated
 * scenes, and reports the top-1 line agreement, the max |Δ log-prob| over all legal lines and the max
 * |Δ value|. `npm run bench -- csg3d-fp16`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, replay } from '../../src/core/index.js';
import { createCsg3dDomain, type Csg3dState } from '../../src/domains/csg3d/index.js';
import {
  NetworkBackend,
  PIECE_FILES,
  lineDistribution,
  type Csg3dModelConfig,
  type Csg3dModels,
} from '../../src/models/csg3d/index.js';
import { InferenceModel, toFloat16Model } from '../../src/nn/index.js';
import type { BenchContext } from '../run.js';

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const dir = ctx.args.find((a) => a.startsWith('--from='))?.slice(7) ?? 'checkpoints/csg3d';
  if (!existsSync(join(dir, 'config.json'))) throw new Error(`no csg3d checkpoint in ${dir}`);
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Csg3dModelConfig;
  const domain = createCsg3dDomain(config.domainParams);
  const load = async (f16: boolean): Promise<Csg3dModels> => {
    const m: Record<string, InferenceModel> = {};
    for (const [k, f] of Object.entries(PIECE_FILES)) {
      const bytes = new Uint8Array(readFileSync(join(dir, f)));
      m[k] = await InferenceModel.fromBytes(f16 ? toFloat16Model(bytes).bytes : bytes, {
        threads: 2,
        cache: false,
      });
    }
    return m as unknown as Csg3dModels;
  };
  const [a, b] = [await load(false), await load(true)];
  const K = config.net.maxObjects;
  const states: Csg3dState[] = [];
  const rng = new Rng(1);
  for (let i = 0; i < 40; i++) {
    const t = domain.sampleTask(rng);
    const r = replay(domain, t.spec, t.trace);
    if (r.ok) states.push(...r.states.slice(0, -1));
  }
  const sa = await new NetworkBackend(a, K, config.net.hidden).score(states);
  const sb = await new NetworkBackend(b, K, config.net.hidden).score(states);
  let agree = 0;
  let maxLogp = 0;
  let maxValue = 0;
  states.forEach((s, i) => {
    const da = lineDistribution(s, sa[i], domain.limits, K);
    const db = lineDistribution(s, sb[i], domain.limits, K);
    let ia = 0;
    let ib = 0;
    for (let j = 0; j < da.logp.length; j++) {
      if (da.logp[j] > da.logp[ia]) ia = j;
      if (db.logp[j] > db.logp[ib]) ib = j;
      if (da.logp[j] > -Infinity) maxLogp = Math.max(maxLogp, Math.abs(da.logp[j] - db.logp[j]));
    }
    if (ia === ib) agree++;
    maxValue = Math.max(maxValue, Math.abs(sa[i].value - sb[i].value));
  });
  const out = {
    from: dir,
    states: states.length,
    top1Agreement: agree / states.length,
    maxAbsDeltaLogProb: maxLogp,
    maxAbsDeltaValue: maxValue,
  };
  console.log(out);
  return out;
}
