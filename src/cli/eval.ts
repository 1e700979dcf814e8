/**
 * `replsynth eval <problem>`: every method on every item (an input file or folder, or generated
 * tasks), the same budget each; a summary built from what the problem declares, per-item results, a
 * plot. Runs in --jobs processes, can be stopped with Ctrl-C and finished with --resume.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Rng, UserError, type AnyProblem, type ItemResult, type NamedSpec } from '../core/index.js';
import { runOne } from '../eval/run-one.js';
import { runResumable, shardControl, type EvalControl } from '../eval/shards.js';
import { evaluationPlot, summarise } from '../eval/summary.js';
import { checkOutput, readSpecs, writeFileAtomic } from '../io/files.js';
import { methodHelp, methodParams, resolveMethod } from '../methods/index.js';
import { methodList, prepare } from './engine.js';
import { addParamOptions, budgetOptions, intOption, paramValues, parseBudget } from './options.js';

interface EvalOpts {
  [k: string]: unknown;
  timeout: string;
  nodes?: string;
  methods: string;
  search?: string;
  out?: string;
  plot?: string;
  renders?: string;
  jobs: string;
  seed: string;
  limit?: string;
  model?: string;
  force?: boolean;
  resume?: boolean;
  shard?: string;
  shardOut?: string;
  skipDone?: string;
}

interface Items {
  readonly items: readonly NamedSpec<unknown>[];
  /** What the evaluation ran on, for settings and plot titles. */
  readonly settings: Record<string, unknown>;
  readonly on: string;
}

function itemsFor(problem: AnyProblem, o: EvalOpts, quiet: boolean): Items {
  const warn = (w: string): void => {
    if (!quiet) process.stderr.write(`${w}\n`);
  };
  for (const f of problem.io.inputs) {
    const path = o[f.id] as string | undefined;
    if (!path) continue;
    let items = readSpecs(f, path, f.kind === 'folder', warn);
    if (o.limit) items = items.slice(0, intOption('--limit', o.limit, 1));
    return { items, settings: { [f.id]: path }, on: `${items.length} ${problem.report.noun} from ${path}` };
  }
  const g = problem.io.generator;
  if (!g)
    throw new UserError(
      `eval ${problem.id}: give ${problem.io.inputs.map((f) => `--${f.id} ${f.kind === 'folder' ? 'DIR' : 'FILE'}`).join(' or ')}`,
      2,
    );
  const n = intOption(`--${g.countFlag}`, String(o[g.countFlag]), 1);
  const params = paramValues(g.params, o) as Record<string, never>;
  const seed = intOption('--seed', o.seed);
  const items = Array.from({ length: n }, (_, i) => g.task(new Rng(seed), i, params));
  const desc = Object.entries(params)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  return {
    items,
    settings: { [g.countFlag]: n, ...params },
    on: `${n} generated ${problem.report.noun} (${desc})`,
  };
}

const keyOf = (problem: AnyProblem) => (r: { name?: unknown; search: string; [k: string]: unknown }) =>
  `${String(problem.report.indexField ? r[problem.report.indexField] : r.name)}/${r.search}`;

async function runShard(
  problem: AnyProblem,
  o: EvalOpts,
  methods: readonly string[],
  items: readonly NamedSpec<unknown>[],
  idx: readonly number[],
  ctl: EvalControl<ItemResult>,
  threads?: number,
): Promise<ItemResult[]> {
  const budget = parseBudget(o);
  const seed = intOption('--seed', o.seed);
  const params = paramValues(methodParams(problem.id), o) as Record<string, never>;
  const prepared = await prepare(problem, methods, { model: o.model, threads, quiet: Boolean(o.shard) });
  const key = keyOf(problem);
  const out: ItemResult[] = [];
  const total = idx.length * methods.length;
  for (const i of idx) {
    for (const m of methods) {
      const name = items[i].name;
      if (!ctl.pending(key({ name, search: m, [problem.report.indexField ?? '']: i }))) continue;
      const { best, ...r } = await runOne(problem, prepared.methods.get(m)!, items[i], {
        ...budget,
        seed,
        index: i,
        params,
        source: prepared.sources.get(m),
      });
      out.push(r);
      ctl.keep(r);
      if (o.renders && problem.io.render && best !== null) {
        mkdirSync(o.renders, { recursive: true });
        const stem = problem.report.indexField ?? 'item';
        writeFileAtomic(join(o.renders, `${stem}-${i}-${m}.png`), problem.io.render(items[i].spec, best));
      }
      process.stderr.write(`[${out.length}/${total}] #${i} ${name} ${m}: ${problem.report.brief(r)}\n`);
    }
  }
  await prepared.dispose();
  return out;
}

async function evaluate(problem: AnyProblem, o: EvalOpts): Promise<void> {
  if (o.search) o.methods = o.search;
  const methods = methodList(o.methods).map((m) => resolveMethod(problem.id, m).id);
  const budget = parseBudget(o);
  const { items, settings, on } = itemsFor(problem, o, Boolean(o.shard));
  const all = items.map((_, i) => i);
  const key = keyOf(problem);
  if (o.shard) {
    const [k, m] = o.shard.split('/').map(Number);
    const mine = all.filter((i) => i % m === k);
    await runShard(problem, o, methods, items, mine, shardControl(o.shardOut, o.skipDone, key), 1);
    return;
  }
  checkOutput('--out', o.out, o.force);
  checkOutput('--plot', o.plot, o.force);
  const jobs = intOption('--jobs', o.jobs, 1);
  const results = await runResumable<ItemResult>({
    label: `eval-${problem.id}`,
    out: o.out,
    resume: o.resume ?? false,
    jobs,
    n: items.length,
    key,
    here: (ctl) => runShard(problem, o, methods, items, all, ctl),
  });
  const order = new Map(items.map((t, i) => [t.name, i]));
  const index = (r: ItemResult): number =>
    problem.report.indexField ? (r[problem.report.indexField] as number) : (order.get(r.name ?? '') ?? 0);
  results.sort((a, b) => index(a) - index(b) || methods.indexOf(a.search) - methods.indexOf(b.search));
  const summary = summarise(problem, results, methods, budget.timeMs);
  for (const [m, v] of Object.entries(summary))
    process.stdout.write(`${m.padEnd(11)} ${problem.report.headline(v)}\n`);
  const doc = {
    summary,
    settings: {
      problem: problem.id,
      ...settings,
      timeoutS: budget.timeMs / 1000,
      nodes: budget.nodes ?? null,
      searches: methods,
      ...paramValues(methodParams(problem.id), o),
      seed: Number(o.seed),
      jobs,
      model: o.model ?? 'default',
    },
    [problem.report.noun]: results,
  };
  if (o.out) writeFileAtomic(o.out, JSON.stringify(doc, null, 1) + '\n');
  if (o.plot)
    writeFileAtomic(
      o.plot,
      await evaluationPlot(problem, results, methods, {
        items: items.length,
        timeoutS: budget.timeMs / 1000,
        on,
      }),
    );
}

/** Adds `eval <problem>` under `parent`. */
export function registerEval(parent: Command, problem: AnyProblem): void {
  const d = problem.cli?.eval ?? { timeoutS: 30, methods: 'smc' };
  const cmd = parent
    .command(problem.id)
    .description(`evaluate methods on ${problem.id}: ${problem.report.curves.join(', ')}`);
  for (const a of problem.aliases ?? []) cmd.alias(a);
  for (const f of problem.io.inputs)
    cmd.option(
      `--${f.id} <${f.kind === 'folder' ? 'dir' : 'file'}>`,
      `${f.description}${f.kind === 'folder' ? ' (a folder)' : ''}`,
    );
  const g = problem.io.generator;
  if (g) {
    cmd.option(`--${g.countFlag} <n>`, `number of generated ${problem.report.noun}`, String(g.defaultCount));
    addParamOptions(cmd, g.params);
  }
  budgetOptions(cmd, d.timeoutS, 'item and method')
    .option('--methods <list>', `comma-separated methods: ${methodHelp(problem.id)}`, d.methods)
    .option('--search <list>', 'alias of --methods');
  addParamOptions(cmd, methodParams(problem.id));
  cmd
    .option('--out <file>', 'results JSON')
    .option('--plot <file>', `SVG plot (${problem.report.curves.join(', ')})`);
  if (problem.io.render)
    cmd.option('--renders <dir>', 'write target | reconstruction | difference PNGs here');
  cmd
    .option('--jobs <n>', 'items run in parallel processes', '1')
    .option('--seed <n>', 'random seed (item i uses seed + i)', '1')
    .option('--limit <n>', 'only the first n items of an input file')
    .option('--model <dir>', "model folder, or 'uniform' (default: the shipped model if present)")
    .option('--force', 'overwrite existing --out/--plot files')
    .option('--resume', 'finish a stopped evaluation: keep the results in OUT.partial.json, run the rest')
    .option('--shard <k/n>', 'internal: run every n-th item starting at k')
    .option('--shard-out <file>', 'internal: where a shard writes its results')
    .option('--skip-done <file>', 'internal: results a resumed shard skips')
    .action((o: EvalOpts) => evaluate(problem, o));
}
