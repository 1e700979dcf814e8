/**
 * Merges `replsynth eval cad2d --out` files that ran different searches on the same seeded scenes
 * (same seed, scene count, shape limits and budget — checked), re-summarises them and redraws the
 * mean-IoU-vs-time plot with every search. For when one long evaluation is split into several runs.
 * Usage: npx tsx scripts/merge-cad-evals.ts OUT.json OUT.svg IN1.json IN2.json …
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  cadIoUPlot,
  summariseCad,
  type CadEvalSettings,
  type CadSceneResult,
} from '../src/cli/cmd-eval-cad.js';

interface EvalDoc {
  settings: CadEvalSettings & { minShapes: number; searches: string[]; seed: number };
  scenes: CadSceneResult[];
}

const [out, plot, ...inputs] = process.argv.slice(2);
if (!out || !plot || inputs.length < 2)
  throw new Error('usage: merge-cad-evals OUT.json OUT.svg IN1.json IN2.json …');
const docs = inputs.map((f) => JSON.parse(readFileSync(f, 'utf8')) as EvalDoc);
const same = (d: EvalDoc): string =>
  JSON.stringify([
    d.settings.scenes,
    d.settings.maxShapes,
    d.settings.minShapes,
    d.settings.timeoutS,
    d.settings.seed,
    d.settings.images ?? null,
  ]);
for (const [i, d] of docs.entries())
  if (same(d) !== same(docs[0]))
    throw new Error(`${inputs[i]}: settings differ from ${inputs[0]} (${same(d)} vs ${same(docs[0])})`);
const searches = docs.flatMap((d) => d.settings.searches);
if (new Set(searches).size !== searches.length)
  throw new Error(`a search appears in more than one input: ${searches.join(', ')}`);
const scenes = docs
  .flatMap((d) => d.scenes)
  .sort((a, b) => a.scene - b.scene || searches.indexOf(a.search) - searches.indexOf(b.search));
const timeoutMs = docs[0].settings.timeoutS * 1000;
const summary = summariseCad(scenes, searches, timeoutMs);
const settings = { ...docs[0].settings, searches, mergedFrom: inputs };
writeFileSync(out, JSON.stringify({ summary, settings, scenes }, null, 1) + '\n');
writeFileSync(plot, await cadIoUPlot(scenes, searches, docs[0].settings));
for (const [k, v] of Object.entries(summary)) console.log(k.padEnd(11), JSON.stringify(v));
