/**
 * `replsynth eval <problem>`: every method on every item (an input file or folder, or generated
 * tasks), the same budget each; a summary built from what the problem declares, per-item results, a
 * plot. Runs in --jobs processes, can be stopped with Ctrl-C and finished with --resume. Everything
 * is checked before the first run: flags, every item (all bad ones reported), every output path, and
 * on --resume that the partial results were made with the same settings.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  Rng,
  UserError,
  type AnyProblem,
  type ItemResult,
  type NamedSpec,
  type OptionValues,
} from '../core/index.js';
import { checkItems } from '../eval/run-one.js';
import {
  partialPath,
  readPartialFile,
  runResumable,
  shardControl,
  type EvalControl,
} from '../eval/shards.js';
import { evaluationPlot, summarise } from '../eval/summary.js';
import {
  checkDistinct,
  checkFolder,
  checkOutput,
  readSpecs,
  throwProblems,
  writeFileAtomic,
} from '../io/files.js';
import { methodHelp, methodParams, type Prepared } from '../methods/index.js';
import { parseQueueUrl, type QueueTarget } from '../queue/connection.js';
import { evalItem } from '../queue/eval-job.js';
import { runEvalOnQueue } from '../queue/eval-queue.js';
import { modelHashes } from '../queue/model-hash.js';
import { methodList, prepare, problemOptionValues } from './engine.js';
import {
  addParamOptions,
  budgetOptions,
  intOption,
  paramValues,
  parseBudget,
  parsePolish,
  polishOption,
} from './options.js';

interface EvalOpts {
  [k: string]: unknown;
  timeout: string;
  nodes?: string;
  polish: string;
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
  queue?: string;
}

interface Items {
  readonly items: readonly NamedSpec<unknown>[];
  /** What the evaluation ran on, for settings and plot titles. */
  readonly settings: Record<string, unknown>;
  readonly on: string;
}

/** The problem's own options that make sense for a whole evaluation (not per-spec lists like --apply). */
const evalOptions = (problem: AnyProblem) => (problem.io.options ?? []).filter((p) => !p.repeatable);

function itemsFor(problem: AnyProblem, o: EvalOpts, quiet: boolean): Items {
  const warn = (w: string): void => {
    if (!quiet) process.stderr.write(`${w}\n`);
  };
  const values = problemOptionValues({ ...problem, io: { ...problem.io, options: evalOptions(problem) } }, o);
  const withOptions = (items: NamedSpec<unknown>[]): NamedSpec<unknown>[] =>
    problem.io.withOptions
      ? items.map((s) => ({ ...s, spec: problem.io.withOptions!(s.spec, values) }))
      : items;
  for (const f of problem.io.inputs) {
    const path = o[f.id] as string | undefined;
    if (!path) continue;
    let items = readSpecs(f, path, f.kind === 'folder', warn, values);
    if (o.limit) items = items.slice(0, intOption('--limit', o.limit, 1));
    return {
      items: withOptions(items),
      settings: { [f.id]: path, ...values },
      on: `${items.length} ${problem.report.noun} from ${path}`,
    };
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

/** The field of a result that holds its item's index: the problem's, or `item`. */
const indexFieldOf = (problem: AnyProblem): string => problem.report.indexField ?? 'item';

/** Results are keyed by item index and method, so two items with the same name are both run. */
const keyOf = (problem: AnyProblem) => (r: { search: string; [k: string]: unknown }) =>
  `${String(r[indexFieldOf(problem)])}/${r.search}`;

const renderPath = (problem: AnyProblem, dir: string, i: number, m: string): string =>
  join(dir, `${problem.report.indexField ?? 'item'}-${i}-${m}.png`);

async function runShard(
  problem: AnyProblem,
  o: EvalOpts,
  methods: readonly string[],
  items: readonly NamedSpec<unknown>[],
  idx: readonly number[],
  ctl: EvalControl<ItemResult>,
  prepared: Prepared,
): Promise<ItemResult[]> {
  const budget = parseBudget(o);
  const seed = intOption('--seed', o.seed);
  const params = paramValues(methodParams(problem.id), o) as Record<string, never>;
  const key = keyOf(problem);
  const field = indexFieldOf(problem);
  const out: ItemResult[] = [];
  const total = idx.length * methods.length;
  for (const i of idx) {
    for (const m of methods) {
      const name = items[i].name;
      if (!ctl.pending(key({ search: m, [field]: i }))) continue;
      const { result, best } = await evalItem(problem, prepared.methods.get(m)!, items[i], {
        ...budget,
        ...polishOf(o),
        seed,
        index: i,
        params,
        source: prepared.sources.get(m),
      });
      out.push(result);
      ctl.keep(result);
      if (o.renders && problem.io.render && best !== null)
        writeFileAtomic(renderPath(problem, o.renders, i, m), problem.io.render(items[i].spec, best));
      process.stderr.write(`[${out.length}/${total}] #${i} ${name} ${m}: ${problem.report.brief(result)}\n`);
    }
  }
  return out;
}

/** The evaluation's work as jobs on the queue at `target`, run by `replsynth worker` processes. */
function runOnQueue(
  target: QueueTarget,
  problem: AnyProblem,
  o: EvalOpts,
  methods: readonly string[],
  items: readonly NamedSpec<unknown>[],
  ctl: EvalControl<ItemResult>,
  c: {
    hashes: ReadonlyMap<string, string>;
    settings: Record<string, unknown>;
    formulationParams: OptionValues;
  },
): Promise<ItemResult[]> {
  const field = indexFieldOf(problem);
  return runEvalOnQueue({
    target,
    problem,
    items,
    methods,
    settings: {
      ...parseBudget(o),
      ...polishOf(o),
      seed: intOption('--seed', o.seed),
      params: paramValues(methodParams(problem.id), o) as Record<string, never>,
    },
    ...(o.model !== undefined ? { model: o.model } : {}),
    formulationParams: c.formulationParams,
    hashes: c.hashes,
    runSettings: c.settings,
    ctl,
    onResult: (r, progress) => {
      const i = r[field] as number;
      // Workers return printed programs: a render is made here from the program read back.
      if (o.renders && problem.io.render && r.program !== null)
        writeFileAtomic(
          renderPath(problem, o.renders, i, r.search),
          problem.io.render(items[i].spec, problem.parse(r.program)),
        );
      const what = typeof r.error === 'string' ? `error: ${r.error}` : problem.report.brief(r);
      process.stderr.write(`${progress} #${i} ${r.name} ${r.search}: ${what}\n`);
    },
  });
}

/** --polish as runOne takes it: absent at 1 (stop at the first solution), so older results still match. */
function polishOf(o: EvalOpts): { polish?: number } {
  const p = parsePolish(o.polish);
  return p === 1 ? {} : { polish: p };
}

/** The settings of an evaluation, as a partial file records them (a resume must match them). */
function settingsOf(
  problem: AnyProblem,
  o: EvalOpts,
  methods: readonly string[],
  on: Record<string, unknown>,
): Record<string, unknown> {
  const budget = parseBudget(o);
  return {
    problem: problem.id,
    ...on,
    timeoutS: budget.timeMs / 1000,
    nodes: budget.nodes ?? null,
    ...polishOf(o),
    searches: methods,
    ...paramValues(methodParams(problem.id), o),
    seed: Number(o.seed),
    model: o.model ?? 'default',
  };
}

/**
 * The results of OUT.partial.json, checked against this evaluation: the same settings, and every
 * entry a result of one of its items and methods (named by field when not).
 */
function earlierResults(
  problem: AnyProblem,
  file: string,
  settings: Record<string, unknown>,
  items: readonly NamedSpec<unknown>[],
  methods: readonly string[],
): ItemResult[] {
  const doc = readPartialFile(file);
  const saved = doc.settings as Record<string, unknown> | undefined;
  if (typeof saved !== 'object' || saved === null)
    throw new UserError(
      `--resume: ${file} records no settings, so its results cannot be matched to this evaluation; remove it (or pass --force without --resume) to start again`,
      2,
    );
  const differ = Object.keys({ ...saved, ...settings }).filter(
    (k) => JSON.stringify(saved[k]) !== JSON.stringify(settings[k]),
  );
  if (differ.length)
    throw new UserError(
      `--resume: ${file} was made with other settings (${differ.map((k) => `${k}: ${JSON.stringify(saved[k])}, now ${JSON.stringify(settings[k])}`).join('; ')}); resume with the same options, or use another --out`,
      2,
    );
  const field = indexFieldOf(problem);
  const seen = new Set<string>();
  return doc.results.map((r, k) => {
    const bad = (f: string | null, what: string): never => {
      throw new UserError(
        `${file}: field 'results[${k}]${f ? `.${f}` : ''}': ${what}; remove the file to start again`,
        2,
      );
    };
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return bad(null, 'expected a result object');
    const x = r as Record<string, unknown>;
    const i = x[field];
    if (!Number.isInteger(i) || (i as number) < 0 || (i as number) >= items.length)
      return bad(field, `expected an item index in 0…${items.length - 1}, got ${JSON.stringify(i)}`);
    if (x.name !== items[i as number].name)
      return bad(
        'name',
        `expected ${JSON.stringify(items[i as number].name)}, got ${JSON.stringify(x.name)}`,
      );
    if (typeof x.search !== 'string' || !methods.includes(x.search))
      return bad('search', `expected one of ${methods.join(', ')}, got ${JSON.stringify(x.search)}`);
    for (const f of ['solved', 'timeMs', 'nodes'] as const)
      if (typeof x[f] !== (f === 'solved' ? 'boolean' : 'number'))
        return bad(f, `missing or of the wrong type`);
    const key = keyOf(problem)(x as ItemResult);
    if (seen.has(key)) return bad(null, `a second result for ${key}`);
    seen.add(key);
    return x as ItemResult;
  });
}

/** Output checks before any work: folders exist, nothing overwritten without --force, no clashes. */
function checkOutputs(
  problem: AnyProblem,
  o: EvalOpts,
  items: readonly NamedSpec<unknown>[],
  methods: readonly string[],
  done: ReadonlySet<string>,
): void {
  const partial = o.out ? partialPath(o.out) : undefined;
  checkDistinct([
    ['--out', o.out],
    ['--plot', o.plot],
    ['the partial results', partial],
  ]);
  // A resumed evaluation finishes the same outputs (a failed final write may have left one of them).
  checkOutput('--out', o.out, o.force || o.resume);
  checkOutput('--plot', o.plot, o.force || o.resume);
  if (partial && !o.resume && existsSync(partial) && !o.force)
    throw new UserError(
      `${partial} holds the finished results of a stopped evaluation: pass --resume to finish it, or --force to start again`,
      2,
    );
  checkFolder('--renders', o.renders);
  if (o.renders && problem.io.render && !o.force) {
    const key = keyOf(problem);
    const field = indexFieldOf(problem);
    for (let i = 0; i < items.length; i++)
      for (const m of methods) {
        const p = renderPath(problem, o.renders, i, m);
        if (!done.has(key({ search: m, [field]: i })) && existsSync(p))
          throw new UserError(`--renders ${o.renders}: ${p} exists; pass --force to overwrite`, 2);
      }
  }
}

async function evaluate(problem: AnyProblem, o: EvalOpts): Promise<void> {
  if (o.search) o.methods = o.search;
  const methods = methodList(problem, o.search ? '--search' : '--methods', o.methods);
  const budget = parseBudget(o);
  const jobs = intOption('--jobs', o.jobs, 1);
  const target = o.queue ? parseQueueUrl('--queue', o.queue) : null;
  if (target && jobs > 1)
    throw new UserError('--queue and --jobs: the workers of the queue run the jobs; give one of them', 2);
  const { items, settings: on, on: onText } = itemsFor(problem, o, Boolean(o.shard));
  const all = items.map((_, i) => i);
  const key = keyOf(problem);
  const formulationParams = problemOptionValues(
    { ...problem, io: { ...problem.io, options: evalOptions(problem) } },
    o,
  );
  if (o.shard) {
    const [k, m] = o.shard.split('/').map(Number);
    const mine = all.filter((i) => i % m === k);
    const prepared = await prepare(problem, methods, {
      model: o.model,
      threads: 1,
      quiet: true,
      formulationParams,
    });
    try {
      await runShard(problem, o, methods, items, mine, shardControl(o.shardOut, o.skipDone, key), prepared);
    } finally {
      await prepared.dispose();
    }
    return;
  }
  const settings = settingsOf(problem, o, methods, on);
  if (o.resume && !o.out)
    throw new UserError('--resume needs --out (the partial results are OUT.partial.json)', 2);
  const earlier =
    o.resume && o.out ? earlierResults(problem, partialPath(o.out), settings, items, methods) : [];
  checkOutputs(problem, o, items, methods, new Set(earlier.map(key)));
  // Models are loaded and every item checked here, before any run (and before any shard starts).
  const prepared = await prepare(problem, methods, { model: o.model, formulationParams });
  try {
    throwProblems(checkItems(problem, items, [...prepared.methods.values()]));
    const hashes = modelHashes(prepared);
    if (jobs > 1 || target) await prepared.dispose();
    await runResumable<ItemResult>({
      label: `eval-${problem.id}`,
      out: o.out,
      resume: o.resume ?? false,
      jobs,
      n: items.length,
      key,
      earlier,
      settings,
      here: (ctl) =>
        target
          ? runOnQueue(target, problem, o, methods, items, ctl, { hashes, settings, formulationParams })
          : runShard(problem, o, methods, items, all, ctl, prepared),
      finish: (results) =>
        finish(problem, o, methods, items, results, {
          settings,
          jobs,
          timeMs: budget.timeMs,
          on: onText,
          ...(target ? { queue: target.url } : {}),
        }),
    });
  } finally {
    if (jobs === 1 && !target) await prepared.dispose();
  }
}

/** The summary on stdout, then the results file and the plot (before the partial file goes). */
async function finish(
  problem: AnyProblem,
  o: EvalOpts,
  methods: readonly string[],
  items: readonly NamedSpec<unknown>[],
  results: ItemResult[],
  c: { settings: Record<string, unknown>; jobs: number; timeMs: number; on: string; queue?: string },
): Promise<void> {
  const field = indexFieldOf(problem);
  results.sort(
    (a, b) =>
      (a[field] as number) - (b[field] as number) || methods.indexOf(a.search) - methods.indexOf(b.search),
  );
  const summary = summarise(problem, results, methods, c.timeMs);
  const width = Math.max(11, ...Object.keys(summary).map((m) => m.length + 1));
  for (const [m, v] of Object.entries(summary))
    process.stdout.write(`${m.padEnd(width)} ${problem.report.headline(v)}\n`);
  const doc = {
    summary,
    settings: { ...c.settings, jobs: c.jobs, ...(c.queue ? { queue: c.queue } : {}) },
    [problem.report.noun]: results,
  };
  // Everything is rendered before anything is written; the results file goes last.
  const plot = o.plot
    ? await evaluationPlot(problem, results, methods, {
        items: items.length,
        timeoutS: c.timeMs / 1000,
        on: c.on,
      })
    : null;
  if (o.plot && plot !== null) writeFileAtomic(o.plot, plot);
  if (o.out) writeFileAtomic(o.out, JSON.stringify(doc, null, 1) + '\n');
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
  addParamOptions(cmd, evalOptions(problem));
  const g = problem.io.generator;
  if (g) {
    cmd.option(`--${g.countFlag} <n>`, `number of generated ${problem.report.noun}`, String(g.defaultCount));
    addParamOptions(cmd, g.params);
  }
  polishOption(budgetOptions(cmd, d.timeoutS, 'item and method'), 1)
    .option('--methods <list>', `comma-separated methods: ${methodHelp(problem.id)}`, d.methods)
    .option('--search <list>', 'alias of --methods');
  addParamOptions(cmd, methodParams(problem.id));
  cmd
    .option('--out <file>', 'results JSON')
    .option('--plot <file>', `SVG plot (${problem.report.curves.join(', ')})`);
  if (problem.io.render)
    cmd.option(
      '--renders <dir>',
      'write target | reconstruction | difference PNGs into this (existing) folder',
    );
  cmd
    .option('--jobs <n>', 'items run in parallel processes', '1')
    .option(
      '--queue <url>',
      'run the items as jobs on a Redis queue (redis://HOST:PORT) for `replsynth worker` processes on any machine',
    )
    .option('--seed <n>', 'random seed (item i uses seed + i)', '1')
    .option('--limit <n>', 'only the first n items of an input file')
    .option('--model <dir>', "model folder, or 'uniform' (default: the shipped model if present)")
    .option(
      '--force',
      'overwrite existing --out/--plot/--renders files (and start again over OUT.partial.json)',
    )
    .option('--resume', 'finish a stopped evaluation: keep the results in OUT.partial.json, run the rest')
    .option('--shard <k/n>', 'internal: run every n-th item starting at k')
    .option('--shard-out <file>', 'internal: where a shard writes its results')
    .option('--skip-done <file>', 'internal: results a resumed shard skips')
    .action((o: EvalOpts) => evaluate(problem, o));
}
