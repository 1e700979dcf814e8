/**
 * `replsynth synth <problem>` (and the friendly `strings`, `cad`): specs from command-line words or an
 * input file, one method within a budget, the program printed with the problem's own report, exports
 * written by extension (--out) and a comparison picture (--compare) where the problem can render.
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { UserError, type AnyProblem, type NamedSpec } from '../core/index.js';
import { runOne } from '../eval/run-one.js';
import { checkOutput, readSpecs, writeFileAtomic } from '../io/files.js';
import { methodHelp, methodParams, resolveMethod } from '../methods/index.js';
import { methodList, prepare } from './engine.js';
import {
  addParamOptions,
  budgetOptions,
  intOption,
  paramValues,
  parseBudget,
  threadsOption,
} from './options.js';

interface SynthOpts {
  [k: string]: unknown;
  timeout: string;
  nodes?: string;
  method: string;
  seed: string;
  json?: boolean;
  model?: string;
  threads?: string;
  out?: string;
  compare?: string;
  force?: boolean;
}

const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function inputFlag(problem: AnyProblem): { flag: string; key: string } | null {
  const f = problem.io.inputs[0];
  if (!f) return null;
  const flag = problem.cli?.synth.inputFlag ?? f.single ?? f.id;
  return { flag, key: camel(flag) };
}

function specsFrom(problem: AnyProblem, words: string[], o: SynthOpts): NamedSpec<unknown>[] {
  const input = inputFlag(problem);
  const path = input ? (o[input.key] as string | undefined) : undefined;
  const inline = problem.io.inline;
  if (path) {
    if (words.length)
      throw new UserError(`give the spec either inline or with --${input!.flag} FILE, not both`, 2);
    return readSpecs(problem.io.inputs[0], path, false, (w) => process.stderr.write(`${w}\n`));
  }
  const specs = inline?.parse(words) ?? [];
  if (specs.length === 0)
    throw new UserError(
      `no input: ${[inline ? `pass ${inline.usage}` : '', input ? `--${input.flag} FILE` : ''].filter(Boolean).join(' or ')}`,
      2,
    );
  return specs;
}

/** The comparison picture next to --out: `prog.svg` → `prog.compare.png`. */
export function comparePathFor(out: string): string {
  const ext = extname(out);
  return `${ext ? out.slice(0, -ext.length) : out}.compare.png`;
}

function exporterFor(problem: AnyProblem, out: string | undefined) {
  if (!out) return null;
  const ext = extname(out).toLowerCase();
  const e = problem.io.exporters.find((x) => x.extension === ext);
  if (!e)
    throw new UserError(
      `--out ${out}: unknown format '${ext || '(none)'}' (use ${problem.io.exporters.map((x) => x.extension).join(', ')})`,
      2,
    );
  return e;
}

async function synthesize(problem: AnyProblem, words: string[], o: SynthOpts): Promise<number> {
  const budget = parseBudget(o);
  const seed = intOption('--seed', o.seed);
  const def = resolveMethod(problem.id, o.method);
  const params = paramValues(methodParams(problem.id), o);
  const exporter = exporterFor(problem, o.out);
  const compare = problem.io.render ? (o.compare ?? (o.out ? comparePathFor(o.out) : undefined)) : undefined;
  // Checked before the (long) search, not after it.
  checkOutput('--out', o.out, o.force);
  checkOutput('--compare', compare, o.force);
  let specs = specsFrom(problem, words, o);
  if (problem.io.withOptions) {
    const values = paramValues(problem.io.options ?? [], o);
    specs = specs.map((s) => ({ ...s, spec: problem.io.withOptions!(s.spec, values) }));
  }
  if ((o.out || compare) && specs.length !== 1)
    throw new UserError(`--out and --compare take one spec, got ${specs.length}`, 2);
  const prepared = await prepare(problem, [def.id], { model: o.model, threads: threadsOption(o.threads) });
  const ok = problem.cli?.synth.ok ?? ((r) => r.solved);
  let failed = 0;
  for (const [i, item] of specs.entries()) {
    const { best, ...r } = await runOne(problem, prepared.methods.get(def.id)!, item, {
      ...budget,
      seed,
      index: i,
      params: params as Record<string, never>,
      source: prepared.sources.get(def.id),
    });
    if (!ok(r)) failed++;
    if (o.json) process.stdout.write(JSON.stringify(item.name ? r : { ...r, name: undefined }) + '\n');
    else for (const line of problem.report.human(r)) process.stdout.write(line + '\n');
    if (best === null) continue;
    if (exporter && o.out) {
      writeFileAtomic(o.out, exporter.write(best));
      process.stderr.write(`wrote ${o.out}\n`);
    }
    if (compare) {
      writeFileAtomic(compare, problem.io.render!(item.spec, best));
      process.stderr.write(
        `wrote ${compare} (target | reconstruction | difference, score ${problem.evaluate(item.spec, best).score.toFixed(4)})\n`,
      );
    }
  }
  await prepared.dispose();
  return failed;
}

/** Adds the synth command of a problem under `parent` with the given name. */
export function registerSynth(parent: Command, problem: AnyProblem, name: string): Command {
  const d = problem.cli?.synth ?? { timeoutS: 10, method: 'smc' };
  const cmd = parent.command(name).description(`synthesize a program: ${problem.description}`);
  if (problem.io.inline) cmd.argument('[spec...]', problem.io.inline.usage);
  const input = inputFlag(problem);
  if (input) cmd.option(`--${input.flag} <file>`, problem.io.inputs[0].description);
  addParamOptions(cmd, problem.io.options ?? []);
  budgetOptions(cmd, d.timeoutS, 'spec')
    .option('--method <id>', `method: ${methodHelp(problem.id)}`, d.method)
    .option('--search <id>', 'alias of --method');
  addParamOptions(cmd, methodParams(problem.id));
  cmd
    .option('--seed <n>', 'random seed', '1')
    .option('--json', 'machine-readable output (one JSON object per spec)')
    .option('--model <dir>', "model folder, or 'uniform' (default: the shipped model if present)")
    .option('--threads <n>', 'ONNX Runtime threads')
    .option(
      '--out <file>',
      `write the program: ${problem.io.exporters.map((e) => `${e.extension} (${e.description})`).join(', ')}`,
    );
  if (problem.io.render)
    cmd.option('--compare <png>', 'target | reconstruction | difference picture (default: next to --out)');
  cmd.option('--force', 'overwrite existing output files');
  cmd.action(async (...args: unknown[]) => {
    const words = problem.io.inline ? (args[0] as string[]) : [];
    const o = (problem.io.inline ? args[1] : args[0]) as SynthOpts & { search?: string };
    if (o.search) o.method = o.search;
    methodList(o.method);
    if ((await synthesize(problem, words, o)) > 0) process.exitCode = 1;
  });
  return cmd;
}
