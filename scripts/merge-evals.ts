/**
 * Merges `replsynth eval <problem> --out` files that ran different methods on the same items (same
 * problem, seed, inputs and budget — checked), re-summarises them with the problem's report and
 * redraws the plot with every method. For when one long evaluation is split into several runs.
 * Usage: npx tsx scripts/merge-evals.ts OUT.json OUT.svg IN1.json IN2.json …
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { problems, type ItemResult } from '../src/core/index.js';
import { registerBuiltins } from '../src/builtins.js';
import { evaluationPlot, summarise } from '../src/eval/summary.js';

type EvalDoc = { settings: Record<string, unknown> & { searches: string[]; timeoutS: number } } & Record<
  string,
  unknown
>;

registerBuiltins();
const [out, plot, ...inputs] = process.argv.slice(2);
if (!out || !plot || inputs.length < 2)
  throw new Error('usage: merge-evals OUT.json OUT.svg IN1.json IN2.json …');
const docs = inputs.map((f) => JSON.parse(readFileSync(f, 'utf8')) as EvalDoc);
// Files written before the problem was recorded are 2D CAD evaluations (the only ones merged then).
const problem = problems.get(String(docs[0].settings.problem ?? 'csg2d'));
const noun = problem.report.noun;
const same = (d: EvalDoc): string => {
  const { searches: _s, jobs: _j, refineShare: _r, mergedFrom: _m, ...rest } = d.settings;
  return JSON.stringify(rest);
};
for (const [i, d] of docs.entries())
  if (same(d) !== same(docs[0]))
    throw new Error(`${inputs[i]}: settings differ from ${inputs[0]} (${same(d)} vs ${same(docs[0])})`);
const methods = docs.flatMap((d) => d.settings.searches);
if (new Set(methods).size !== methods.length)
  throw new Error(`a method appears in more than one input: ${methods.join(', ')}`);
const results = docs.flatMap((d) => d[noun] as ItemResult[]);
const timeoutS = docs[0].settings.timeoutS;
const summary = summarise(problem, results, methods, timeoutS * 1000);
const items = new Set(results.map((r) => (problem.report.indexField ? r[problem.report.indexField] : r.name)))
  .size;
writeFileSync(
  out,
  JSON.stringify(
    { summary, settings: { ...docs[0].settings, searches: methods, mergedFrom: inputs }, [noun]: results },
    null,
    1,
  ) + '\n',
);
writeFileSync(
  plot,
  await evaluationPlot(problem, results, methods, { items, timeoutS, on: `${items} ${noun}` }),
);
for (const [k, v] of Object.entries(summary)) console.log(k.padEnd(11), JSON.stringify(v));
