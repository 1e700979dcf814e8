/**
 * Policy fine-tuning on successful rollouts (eq. 3 of the paper) from the shipped strings model, in
 * variants: `npm run bench -- strings-rl [--iterations=N] [--variants=paper,anchored]`.
 *
 * - paper: Adam lr 1e-3, policy batches of successful rollouts only (what cut validation accuracy
 *   from 0.72 to 0.55 in an earlier session);
 * - anchored: lr 1e-4, and half of every policy batch ground-truth pairs from the same task stream;
 * - lowlr: lr 1e-4 alone; mixed: lr 1e-3 with the ground-truth half (to tell the two fixes apart).
 *
 * Each variant starts from the same shipped weights and reports, before and after: next-action
 * accuracy on 1,024 ground-truth pairs (the imitation phase's validation set, seed 1), and the share of
 * held-out benchmark tasks (bench/strings-eval/heldout-100.jsonl, first 40) that 8 policy rollouts
 * solve. Writes bench/results/strings-rl.json.
 */
import { readFileSync } from 'node:fs';
import { Rng, type Task } from '../../src/core/index.js';
import { createStringsDomain, type StringsSpec, type StringsState } from '../../src/domains/strings/index.js';
import { readStringsConfig } from '../../src/models/strings/store.js';
import { StringsLearner } from '../../src/models/strings/learner.js';
import { stringsModel } from '../../src/models/strings/definition.js';
import { openFolder } from '../../src/io/files.js';
import { collectRollouts, expertPairs, trainReinforce } from '../../src/train/index.js';
import type { BenchContext } from '../run.js';

/** Runs only when named (tens of minutes). */
export const long = true;

/** `--name=value` (bench/run.ts passes only the arguments that start with '-'). */
const argOf = (args: readonly string[], name: string, d: string): string =>
  args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? d;

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const iterations = Number(argOf(ctx.args, '--iterations', '30'));
  const variants = argOf(ctx.args, '--variants', 'paper,anchored').split(',');
  const cfg = await readStringsConfig(openFolder('models/strings'));
  const domain = createStringsDomain(cfg.domainParams);
  const source = stringsModel.trainer!.source!(domain, { tasks: 'mixed' }) as (
    rng: Rng,
  ) => Task<StringsSpec, number>;
  const validation = expertPairs(domain, source, new Rng(1).derive('validation'), 1024);
  const held = readFileSync('bench/strings-eval/heldout-100.jsonl', 'utf8')
    .trim()
    .split('\n')
    .slice(0, 40)
    .map((l) => ({ spec: JSON.parse(l) as StringsSpec, trace: [] as number[] }));

  async function heldOutSolved(l: StringsLearner): Promise<number> {
    const ev = await l.evaluator();
    const rs = await collectRollouts<StringsSpec, StringsState, number>(domain, ev, held, 8, new Rng(5));
    return new Set(rs.filter((r) => r.success).map((r) => r.task)).size / held.length;
  }

  const out: Record<string, unknown> = { iterations, tasksPerIteration: 25, rolloutsPerTask: 16 };
  for (const v of variants) {
    const lr = v === 'paper' || v === 'mixed' ? 1e-3 : 1e-4;
    const mix = v === 'anchored' || v === 'mixed' ? 0.5 : 0;
    const l = await StringsLearner.warmStart(domain, 'models/strings', cfg, { lr, seed: 3, threads: 1 });
    if (mix > 0) l.setImitationMix(source, mix, 3);
    const before = await l.measurePolicy(validation);
    const solvedBefore = await heldOutSolved(l);
    const t0 = performance.now();
    const log = await trainReinforce(domain, l, { iterations, trainPolicy: true, seed: 1003 }, source);
    const after = await l.measurePolicy(validation);
    const solvedAfter = await heldOutSolved(l);
    out[v] = {
      lr,
      imitationMix: mix,
      validationAccuracyBefore: before.accuracy,
      validationAccuracyAfter: after.accuracy,
      heldOutRolloutSolvedBefore: solvedBefore,
      heldOutRolloutSolvedAfter: solvedAfter,
      meanRolloutSuccess: log.reduce((a, e) => a + (e.rolloutSuccess ?? 0), 0) / Math.max(1, log.length),
      seconds: (performance.now() - t0) / 1000,
    };
    process.stderr.write(`${v}: ${JSON.stringify(out[v])}\n`);
    await l.dispose();
  }
  return out;
}
