/**
 * `replsynth data <problem>`: a dataset of generated tasks for every problem that declares
 * `io.dataset` — one JSONL file per split (OUT/<split>.jsonl) and OUT/stats.json. Options come from
 * the declared splits (`--train N` …) and params. Outputs are checked before the work starts and
 * written atomically at the end, so Ctrl-C leaves nothing half-written.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  UserError,
  problems,
  type AnyProblem,
  type DatasetGenerator,
  type ParamValue,
} from '../core/index.js';
import { checkOutput, writeFileAtomic } from '../io/files.js';
import { parseQueueUrl } from '../queue/connection.js';
import { generateOnQueue } from '../queue/data-job.js';
import { createProgress } from '../train/progress.js';
import { addParamOptions, intOption, paramValues } from './options.js';

/** The lines of one file, kept as a few large chunks (a dataset may hold millions of lines). */
class Lines {
  count = 0;
  private chunks: Buffer[] = [];
  private pending: string[] = [];

  add(line: string): void {
    this.pending.push(line, '\n');
    if (++this.count % 10_000 === 0) this.flush();
  }

  private flush(): void {
    this.chunks.push(Buffer.from(this.pending.join('')));
    this.pending = [];
  }

  bytes(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }
}

interface DataOpts {
  [k: string]: unknown;
  out: string;
  seed: string;
  force?: boolean;
  queue?: string;
}

/** The files a dataset writes, checked before any work: the folder may be created, never a file. */
function outputsOf(d: DatasetGenerator, dir: string, force: boolean): string[] {
  const files = [...d.splits.map((s) => join(dir, `${s.name}.jsonl`)), join(dir, 'stats.json')];
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserError(`--out ${dir}: is a file, not a folder`, 2);
    for (const f of files) checkOutput('--out', f, force);
  } else {
    const parent = dirname(resolve(dir));
    if (!existsSync(parent) || !statSync(parent).isDirectory())
      throw new UserError(`--out ${dir}: the folder ${parent} does not exist`, 2);
  }
  return files;
}

async function writeDataset(problem: AnyProblem, d: DatasetGenerator, o: DataOpts): Promise<void> {
  const counts = Object.fromEntries(
    d.splits.map((s) => [s.name, intOption(`--${s.name}`, String(o[s.name]), 0)]),
  );
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0)
    throw new UserError(`nothing to generate: give ${d.splits.map((s) => `--${s.name} N`).join(', ')}`, 2);
  const seed = intOption('--seed', o.seed);
  const params = paramValues(d.params, o) as Record<string, ParamValue>;
  const files = outputsOf(d, o.out, Boolean(o.force));
  const target = o.queue ? parseQueueUrl('--queue', o.queue) : null;
  const progress = createProgress(`data-${problem.id}`, total, { logEvery: 20 });
  const lines = new Map(d.splits.map((s) => [s.name, new Lines()]));
  const t0 = performance.now();
  let stats: unknown;
  const request = {
    counts,
    seed,
    params,
    onItem: (split: string, item: unknown) => lines.get(split)?.add(d.record(item)),
    onProgress: (done: number) => progress.update(done),
  };
  // On a queue Ctrl-C withdraws the waiting pieces; either way nothing is written.
  let stop = false;
  const onInterrupt = (): void => void (stop = true);
  if (target) process.on('SIGINT', onInterrupt);
  try {
    stats = target ? await generateOnQueue(target, problem.id, d, request, () => stop) : d.generate(request);
  } finally {
    process.off('SIGINT', onInterrupt);
    progress.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  mkdirSync(o.out, { recursive: true });
  d.splits.forEach((s, i) => {
    const l = lines.get(s.name)!;
    writeFileAtomic(files[i], l.bytes());
    process.stdout.write(`wrote ${files[i]} (${l.count} ${problem.report.noun})\n`);
  });
  const head = { problem: problem.id, counts, seed, params, seconds: Number(seconds.toFixed(2)) };
  writeFileAtomic(files[files.length - 1], JSON.stringify({ ...head, ...(stats as object) }, null, 1) + '\n');
  process.stdout.write(`wrote ${files[files.length - 1]} (${seconds.toFixed(1)} s)\n`);
  for (const line of d.summary?.(stats) ?? []) process.stdout.write(`${line}\n`);
}

/** Adds `data <problem>` for every registered problem with a dataset generator. */
export function registerData(program: Command): void {
  const withData = problems.list().filter((p) => p.io.dataset);
  if (withData.length === 0) return;
  const data = program
    .command('data')
    .description(`generate a dataset of tasks: ${withData.map((p) => `\`data ${p.id}\``).join(', ')}`);
  for (const p of withData) {
    const d = p.io.dataset!;
    const cmd = data.command(p.id).description(d.description);
    for (const a of p.aliases ?? []) cmd.alias(a);
    for (const s of d.splits)
      cmd.option(`--${s.name} <n>`, `number of ${s.description}`, String(s.defaultCount));
    addParamOptions(cmd, d.params);
    cmd
      .requiredOption(
        '--out <dir>',
        `output folder for ${d.splits.map((s) => `${s.name}.jsonl`).join(', ')}, stats.json (created if missing)`,
      )
      .option('--seed <n>', 'random seed (the same seed and sizes give the same files)', '1')
      .option('--force', 'overwrite the files of an existing dataset')
      .option(
        '--queue <url>',
        'make the dataset in pieces on a Redis queue (redis://HOST:PORT) for `replsynth worker` processes; the same files',
      )
      .action((o: DataOpts) => writeDataset(p, d, o));
  }
}
