/**
 * The issue-18 bars read from the evaluation files of bench/csg3d-eval: smc+refine mean IoU ≥ 0.9 at
 * 60 s; SMC above rollouts, beam and beam-value (no refinement) at 60 s and at a node budget, and SMC
 * with the value above SMC without it; the largest ground-truth program reconstructed at IoU ≥ 0.9
 * (≥ 21 lines); the share of object encodings the cache served; each method's mean-IoU curve.
 * `npx tsx bench/csg3d-eval/summary.ts` rewrites bench/results/csg3d-eval.json from the files there.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Scene {
  readonly search: string;
  readonly iou: number;
  readonly objectsNeeded?: number;
  readonly objectsEncoded?: number;
}
interface EvalDoc {
  readonly summary: Record<
    string,
    { meanIoU: number; largestTargetLines: number | null; meanIoUAt?: unknown }
  >;
  readonly settings: Record<string, unknown>;
  readonly scenes: readonly Scene[];
}

const read = (p: string): EvalDoc | null =>
  existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as EvalDoc) : null;

/** 1 − encoded / needed over every scene of the searches that use the network. */
function cacheShare(doc: EvalDoc): number | null {
  let needed = 0;
  let encoded = 0;
  for (const s of doc.scenes)
    if (s.objectsNeeded) {
      needed += s.objectsNeeded;
      encoded += s.objectsEncoded ?? 0;
    }
  return needed > 0 ? 1 - encoded / needed : null;
}

const mean = (doc: EvalDoc | null, m: string): number | null => doc?.summary[m]?.meanIoU ?? null;

function smcBeats(doc: EvalDoc | null): Record<string, boolean | null> {
  const smc = mean(doc, 'smc');
  const out: Record<string, boolean | null> = {};
  for (const m of ['rollout', 'beam', 'beam-value']) {
    const other = mean(doc, m);
    out[m] = smc === null || other === null ? null : smc > other;
  }
  return out;
}

export function summarize(dir: string): Record<string, unknown> {
  const timed = read(join(dir, 'csg3d-eval-scenes.json'));
  const nodes = read(join(dir, 'csg3d-eval-nodes.json'));
  const noValue = read(join(dir, 'csg3d-eval-nodes-novalue.json'));
  const smcRefine = mean(timed, 'smc+refine');
  const largest = timed?.summary['smc+refine']?.largestTargetLines ?? null;
  const smcNoValue = mean(noValue, 'smc');
  // Reruns of smc+refine alone (e.g. after a refiner change, or with another --refine-share).
  const reruns: Record<string, unknown> = {};
  for (const f of readdirSync(dir).filter((n) => /^csg3d-eval-smcrefine.*\.json$/.test(n))) {
    const d = read(join(dir, f))!;
    reruns[f] = { settings: d.settings, summary: d.summary['smc+refine'] };
  }
  const loadLog = join(dir, 'csg3d-eval-load.log');
  return {
    loadDuringRuns: existsSync(loadLog) ? readFileSync(loadLog, 'utf8').trim().split('\n') : null,
    smcRefineReruns: reruns,
    timed: timed ? { settings: timed.settings, summary: timed.summary, cacheShare: cacheShare(timed) } : null,
    nodes: nodes ? { settings: nodes.settings, summary: nodes.summary, cacheShare: cacheShare(nodes) } : null,
    smcWithoutValueAtNodes: smcNoValue,
    bars: {
      smcRefineMeanIoU: smcRefine,
      smcRefineAtLeast090: smcRefine === null ? null : smcRefine >= 0.9,
      smcBeatsAt60s: smcBeats(timed),
      smcBeatsAtNodes: smcBeats(nodes),
      smcWithValueBeatsWithoutAtNodes:
        smcNoValue === null || mean(nodes, 'smc') === null ? null : mean(nodes, 'smc')! > smcNoValue,
      largestTargetLinesAt090: largest,
      largestAtLeast21: largest === null ? null : largest >= 21,
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = join(process.cwd(), 'bench', 'results');
  const out = { benchmark: 'csg3d-eval', date: new Date().toISOString(), ...summarize(dir) };
  writeFileSync(join(dir, 'csg3d-eval.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(JSON.stringify(out, null, 2).slice(0, 4000));
}
