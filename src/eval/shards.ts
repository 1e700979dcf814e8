import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/index.js';
import { writeFileAtomic } from '../io/files.js';

/** argv without the given flags and their values (`--flag value` or `--flag=value`). */
export function withoutFlags(argv: readonly string[], flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (flags.includes(argv[i])) i++;
    else if (!flags.some((f) => argv[i].startsWith(`${f}=`))) out.push(argv[i]);
  }
  return out;
}

/** A shard run that failed, with the results the shards had finished (none are lost). */
export class ShardFailure extends UserError {
  constructor(
    message: string,
    readonly partial: readonly unknown[],
  ) {
    super(message);
  }
}

/** Results a shard has finished so far: its --shard-out file holds one JSON line per result. */
export function readShardResults<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** Where a shard appends each finished result (a no-op outside shard mode). */
export function shardSink<T>(file: string | undefined): (result: T) => void {
  if (!file) return () => {};
  writeFileSync(file, '');
  return (r) => appendFileSync(file, JSON.stringify(r) + '\n');
}

/**
 * Re-runs this CLI command in `min(jobs, n)` child processes, each with `--shard k/jobs --shard-out F`
 * (and without --jobs/--out/--plot), and returns their results concatenated in shard order. If a
 * shard fails, the others are stopped and a ShardFailure carries every result finished so far.
 */
export async function runShards<T>(
  label: string,
  jobs: number,
  n: number,
  extraArgs: readonly string[] = [],
): Promise<T[]> {
  const dir = mkdtempSync(join(tmpdir(), `replsynth-${label}-`));
  const files = Array.from({ length: Math.min(jobs, n) }, (_, k) => join(dir, `shard-${k}.jsonl`));
  const children: ChildProcess[] = [];
  // A Ctrl-C from the terminal reaches the shards too; an interrupt sent to this process alone is
  // passed on, so the shards stop and their finished results are kept either way.
  const onInterrupt = (): void => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGINT');
  };
  process.on('SIGINT', onInterrupt);
  try {
    const args = [
      ...withoutFlags(process.argv.slice(2), ['--jobs', '--out', '--plot', '--resume']),
      ...extraArgs,
    ];
    await Promise.all(
      files.map(
        (file, k) =>
          new Promise<void>((resolve, reject) => {
            const c = fork(process.argv[1], [...args, '--shard', `${k}/${jobs}`, '--shard-out', file], {
              stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            });
            children.push(c);
            c.on('exit', (code, signal) =>
              code === 0
                ? resolve()
                : reject(
                    new Error(
                      `${label} shard ${k} failed (${code === null ? `killed by ${signal}` : `exit ${code}`})`,
                    ),
                  ),
            );
          }),
      ),
    ).catch((e: Error) => {
      for (const c of children) if (c.exitCode === null) c.kill();
      throw new ShardFailure(
        e.message,
        files.flatMap((f) => readShardResults<T>(f)),
      );
    });
    return files.flatMap((f) => readShardResults<T>(f));
  } finally {
    process.off('SIGINT', onInterrupt);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs an evaluation and, if it fails part-way, keeps what finished: the results go to
 * `OUT.partial.json` and the error says so. `run` reports each finished result through `keep`
 * (single-process runs); shard runs report theirs through ShardFailure.
 */
export async function keepingPartialResults<T>(
  out: string | undefined,
  run: (keep: (r: T) => void) => Promise<T[]>,
  earlier: readonly T[] = [],
): Promise<T[]> {
  const kept: T[] = [];
  try {
    return await run((r) => kept.push(r));
  } catch (e) {
    const partial = [...earlier, ...(e instanceof ShardFailure ? (e.partial as T[]) : kept)];
    if (!out || partial.length === 0) throw e;
    const path = partialPath(out);
    const message = e instanceof Error ? e.message : String(e);
    writeFileAtomic(
      path,
      JSON.stringify({ partial: true, error: message, results: partial }, null, 1) + '\n',
    );
    throw new UserError(
      `${message}; ${partial.length} finished results kept in ${path} (rerun with --resume to finish)`,
    );
  }
}

/** Where an evaluation that stopped part-way keeps its finished results. */
export function partialPath(out: string): string {
  return `${out}.partial.json`;
}

/** The finished results of `OUT.partial.json`; a missing or malformed file is a one-line error. */
export function readPartialResults<T>(file: string): T[] {
  if (!existsSync(file))
    throw new UserError(`--resume: ${file} does not exist (no stopped evaluation to resume)`, 2);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const results = (doc as { results?: unknown }).results;
  if (!Array.isArray(results)) throw new UserError(`${file}: field 'results' must be an array`);
  return results as T[];
}

/** What a run of evaluation work is told: where to report results, and which results to run. */
export interface EvalControl<T> {
  readonly keep: (r: T) => void;
  /**
   * Whether the result with this key still has to be run: false when a resumed evaluation already
   * has it. Throws 'interrupted' once Ctrl-C asked the run to stop, so it stops before its next task.
   */
  readonly pending: (key: string) => boolean;
}

function evalControl<T>(
  keep: (r: T) => void,
  done: readonly string[],
  interrupted: () => boolean,
): EvalControl<T> {
  const skip = new Set(done);
  return {
    keep,
    pending: (key) => {
      if (skip.has(key)) return false;
      if (interrupted()) throw new UserError('interrupted');
      return true;
    },
  };
}

/** The control of a shard process: results to its --shard-out file, skips from --skip-done. */
export function shardControl<T>(
  shardOut: string | undefined,
  skipDone: string | undefined,
  key: (r: T) => string,
): EvalControl<T> {
  // A shard has no Ctrl-C handler of its own: the signal ends it, and the parent keeps its results.
  return evalControl(
    shardSink<T>(shardOut),
    skipDone ? readPartialResults<T>(skipDone).map(key) : [],
    () => false,
  );
}

/**
 * Runs an evaluation in `jobs` shard processes or in this one, so that it can be stopped and resumed:
 * with `resume`, the results in OUT.partial.json are kept and skipped; Ctrl-C stops the work and keeps
 * what finished there; on success the partial file is removed. Returns earlier and new results.
 */
export async function runResumable<T>(o: {
  label: string;
  out: string | undefined;
  resume: boolean;
  jobs: number;
  n: number;
  key: (r: T) => string;
  here: (ctl: EvalControl<T>) => Promise<T[]>;
}): Promise<T[]> {
  if (o.resume && !o.out)
    throw new UserError('--resume needs --out (the partial results are OUT.partial.json)', 2);
  const partial = o.out ? partialPath(o.out) : null;
  const earlier = o.resume && partial ? readPartialResults<T>(partial) : [];
  let stop = false;
  const onInterrupt = (): void => {
    if (!stop)
      process.stderr.write(
        '\ninterrupted: stopping after the current task and keeping the finished results\n',
      );
    stop = true;
  };
  process.on('SIGINT', onInterrupt);
  try {
    const fresh = await keepingPartialResults<T>(
      o.out,
      (keep) =>
        o.jobs > 1
          ? runShards<T>(o.label, o.jobs, o.n, o.resume && partial ? ['--skip-done', partial] : []).catch(
              (e: unknown) => {
                // Shards ended by Ctrl-C were interrupted, not crashed.
                throw stop && e instanceof ShardFailure ? new ShardFailure('interrupted', e.partial) : e;
              },
            )
          : o.here(evalControl(keep, earlier.map(o.key), () => stop)),
      earlier,
    );
    if (partial) rmSync(partial, { force: true });
    return [...earlier, ...fresh];
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
