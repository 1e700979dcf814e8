/**
 * `replsynth synth <problem>` (and the friendly `strings`, `cad`): specs from command-line words or an
 * input file, one method within a budget, the program printed with the problem's own report, exports
 * written by extension (--out) and a comparison picture (--compare) where the problem can render.
 * Everything is checked before the search: the flags, every spec, every output path. Ctrl-C stops the
 * search and keeps (prints and writes) the best program so far.
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import {
  UserError,
  type AnyProblem,
  type InputFormat,
  type NamedSpec,
  type OptionValues,
} from '../core/index.js';
import { SYNTH_POLISH, checkItems, runOne } from '../eval/run-one.js';
import { checkDistinct, checkOutput, readSpecs, throwProblems, writeFileAtomic } from '../io/files.js';
import { methodHelp, methodParams } from '../methods/index.js';
import { methodList, prepare, problemOptionValues } from './engine.js';
import {
  addParamOptions,
  budgetOptions,
  parsePolish,
  polishOption,
  intOption,
  paramValues,
  parseBudget,
  threadsOption,
} from './options.js';
import { progressReporter } from './progress.js';
import { EXIT } from './run.js';

interface SynthOpts {
  [k: string]: unknown;
  timeout: string;
  nodes?: string;
  polish: string;
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

/** The synth flag of each input format (`--examples`, `--image`, `--voxels`, `--mesh` …). */
export function inputFlags(
  problem: AnyProblem,
): { flag: string; key: string; format: InputFormat<unknown> }[] {
  return problem.io.inputs.map((f, i) => {
    const flag = (i === 0 ? problem.cli?.synth.inputFlag : undefined) ?? f.single ?? f.id;
    return { flag, key: camel(flag), format: f };
  });
}

type InlineReader = (words: readonly string[], values?: OptionValues) => NamedSpec<unknown>[];

function specsFrom(
  problem: AnyProblem,
  words: string[],
  o: SynthOpts,
  values: OptionValues,
): NamedSpec<unknown>[] {
  const flags = inputFlags(problem);
  const given = flags.filter((f) => o[f.key] !== undefined);
  const inline = problem.io.inline;
  if (given.length > 1)
    throw new UserError(`give one input, not ${given.map((f) => `--${f.flag}`).join(' and ')}`, 2);
  if (given.length === 1) {
    const input = given[0];
    if (words.length)
      throw new UserError(`give the spec either inline or with --${input.flag} FILE, not both`, 2);
    const path = o[input.key] as string;
    return readSpecs(input.format, path, false, (w) => process.stderr.write(`${w}\n`), values);
  }
  // Inline readers also take the option values (limits), like file readers.
  const specs = inline ? (inline.parse.bind(inline) as InlineReader)(words, values) : [];
  if (specs.length === 0)
    throw new UserError(
      `no input: ${[inline ? `pass ${inline.usage}` : '', ...flags.map((f) => `--${f.flag} FILE`)].filter(Boolean).join(' or ')}`,
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

/** Stops the search on Ctrl-C (its best program is kept, the specs after it are not run); a second Ctrl-C quits. */
function interruptible(): { signal: AbortSignal; interrupted: () => boolean; done: () => void } {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\ninterrupted: keeping the best program so far (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    done: () => process.off('SIGINT', onInterrupt),
  };
}

async function synthesize(problem: AnyProblem, words: string[], o: SynthOpts): Promise<number> {
  const budget = parseBudget(o);
  const polish = parsePolish(o.polish); // a bad value fails before the model loads
  const seed = intOption('--seed', o.seed);
  const chosen = methodList(problem, '--method', o.method);
  if (chosen.length > 1)
    throw new UserError(
      `--method takes one method, got ${chosen.length} (to compare methods: eval ${problem.id} --methods)`,
      2,
    );
  const [method] = chosen;
  const params = paramValues(methodParams(problem.id), o);
  const exporter = exporterFor(problem, o.out);
  const compare = problem.io.render ? (o.compare ?? (o.out ? comparePathFor(o.out) : undefined)) : undefined;
  // Checked before the (long) search, not after it.
  checkDistinct([
    ['--out', o.out],
    ['--compare', compare],
  ]);
  checkOutput('--out', o.out, o.force);
  checkOutput('--compare', compare, o.force);
  const values = problemOptionValues(problem, o);
  let specs = specsFrom(problem, words, o, values);
  if (problem.io.withOptions)
    specs = specs.map((s) => ({ ...s, spec: problem.io.withOptions!(s.spec, values) }));
  if ((o.out || compare) && specs.length !== 1)
    throw new UserError(`--out and --compare take one spec, got ${specs.length}`, 2);
  const prepared = await prepare(problem, [method], {
    model: o.model,
    threads: threadsOption(o.threads),
    formulationParams: values,
  });
  try {
    throwProblems(checkItems(problem, specs, [...prepared.methods.values()]));
    return await runAll(problem, specs, prepared, method, {
      ...budget,
      seed,
      polish,
      params,
      exporter,
      compare,
      o,
    });
  } finally {
    await prepared.dispose();
  }
}

async function runAll(
  problem: AnyProblem,
  specs: readonly NamedSpec<unknown>[],
  prepared: Awaited<ReturnType<typeof prepare>>,
  method: string,
  c: {
    timeMs: number;
    nodes?: number;
    seed: number;
    polish: number;
    params: Record<string, unknown>;
    exporter: ReturnType<typeof exporterFor>;
    compare: string | undefined;
    o: SynthOpts;
  },
): Promise<number> {
  const ok = problem.cli?.synth.ok ?? ((r) => r.solved);
  const stop = interruptible();
  let failed = 0;
  try {
    for (const [i, item] of specs.entries()) {
      if (stop.interrupted()) {
        process.stderr.write(`not run (interrupted): ${specs.length - i} of ${specs.length} specs\n`);
        return EXIT.interrupted;
      }
      const progress = progressReporter(
        problem,
        c.timeMs,
        specs.length > 1 ? `${i + 1}/${specs.length}` : '',
      );
      const { best, ...r } = await runOne(problem, prepared.methods.get(method)!, item, {
        timeMs: c.timeMs,
        ...(c.nodes !== undefined ? { nodes: c.nodes } : {}),
        seed: c.seed,
        index: i,
        params: c.params as Record<string, never>,
        source: prepared.sources.get(method),
        signal: stop.signal,
        onImprove: progress.improve,
        polish: c.polish,
      }).finally(progress.stop);
      if (!ok(r)) failed++;
      if (c.o.json) process.stdout.write(JSON.stringify(item.name ? r : { ...r, name: undefined }) + '\n');
      else for (const line of problem.report.human(r)) process.stdout.write(line + '\n');
      if (best === null) continue;
      if (c.exporter && c.o.out) {
        writeFileAtomic(c.o.out, c.exporter.write(best));
        process.stderr.write(`wrote ${c.o.out}\n`);
      }
      if (c.compare) {
        writeFileAtomic(c.compare, problem.io.render!(item.spec, best));
        process.stderr.write(
          `wrote ${c.compare} (target | reconstruction | difference, score ${problem.evaluate(item.spec, best).score.toFixed(4)})\n`,
        );
      }
    }
  } finally {
    stop.done();
  }
  return failed > 0 ? EXIT.unsolved : EXIT.ok;
}

/** Adds the synth command of a problem under `parent` with the given name. */
export function registerSynth(parent: Command, problem: AnyProblem, name: string): Command {
  const d = problem.cli?.synth ?? { timeoutS: 10, method: 'smc' };
  const cmd = parent.command(name).description(`synthesize a program: ${problem.description}`);
  if (problem.io.inline) cmd.argument('[spec...]', problem.io.inline.usage);
  for (const f of inputFlags(problem)) cmd.option(`--${f.flag} <file>`, f.format.description);
  addParamOptions(cmd, problem.io.options ?? []);
  polishOption(budgetOptions(cmd, d.timeoutS, 'spec'), SYNTH_POLISH)
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
    const code = await synthesize(problem, words, o);
    if (code !== EXIT.ok) process.exitCode = code;
  });
  return cmd;
}

/**
 * A friendly command that several problems share (`cad`: csg2d from --image, csg3d from --voxels or
 * --mesh): the input flag given picks the problem, and the words run as `synth <problem> …`.
 */
export function registerSharedSynth(parent: Command, name: string, shared: readonly AnyProblem[]): void {
  const by = shared.flatMap((p) => inputFlags(p).map((f) => ({ p, flag: `--${f.flag}` })));
  const usage = by.map((b) => `${b.flag} FILE (${b.p.id})`).join(', ');
  parent
    .command(name)
    .description(`synthesize a program: ${usage}; the other options are those of \`synth <problem>\``)
    .argument('[args...]', 'the options of `synth <problem>`')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (args: string[]) => {
      const hit = by.find((b) => args.some((a) => a === b.flag || a.startsWith(`${b.flag}=`)));
      const { runCli } = await import('./run.js');
      if (!hit) {
        if (args.includes('--help') || args.includes('-h')) {
          for (const p of shared) await runCli(['synth', p.id, '--help']);
          return;
        }
        throw new UserError(`${name}: give one of ${usage}`, 2);
      }
      process.exitCode = await runCli(['synth', hit.p.id, ...args]);
    });
}
