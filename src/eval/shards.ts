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
    exitCode = 3,
  ) {
    super(message, exitCode);
  }
}

/** The exit code an evaluation ends with when Ctrl-C stopped it (its finished results are kept). */
export const INTERRUPTED = 130;

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
                    Object.assign(
                      new Error(
                        `${label} shard ${k} failed (${code === null ? `killed by ${signal}` : `exit ${code}`}; its error is above)`,
                      ),
                      { exitCode: code === 2 ? 2 : 3 },
                    ),
                  ),
            );
          }),
      ),
    ).catch((e: Error & { exitCode?: number }) => {
      for (const c of children) if (c.exitCode === null) c.kill();
      throw new ShardFailure(
        e.message,
        files.flatMap((f) => readShardResults<T>(f)),
        e.exitCode,
      );
    });
    return files.flatMap((f) => readShardResults<T>(f));
  } finally {
    process.off('SIGINT', onInterrupt);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs an evaluation and, if it fails part-way, keeps what finished: the results (with the settings
 * they were made with) go to `OUT.partial.json` and the error says so. `run` reports each finished
 * result through `keep` (single-process runs); shard runs report theirs through ShardFailure.
 */
export async function keepingPartialResults<T>(
  out: string | undefined,
  run: (keep: (r: T) => void) => Promise<T[]>,
  earlier: readonly T[] = [],
  settings: Readonly<Record<string, unknown>> = {},
): Promise<T[]> {
  const kept: T[] = [];
  try {
    return await run((r) => kept.push(r));
  } catch (e) {
    const partial = [...earlier, ...(e instanceof ShardFailure ? (e.partial as T[]) : kept)];
    if (!out || partial.length === 0) throw e;
    savePartial(out, partial, settings, e);
    const message = e instanceof Error ? e.message : String(e);
    const interrupted = e instanceof UserError && e.exitCode === INTERRUPTED;
    throw new UserError(
      `${message}; ${partial.length} finished results kept in ${partialPath(out)} (${interrupted ? 'rerun with --resume to finish' : 'once the cause is fixed, the same command with --resume runs the rest'})`,
      e instanceof UserError ? e.exitCode : 3,
    );
  }
}

/** Writes OUT.partial.json: the finished results and the settings a resume must match. */
export function savePartial(
  out: string,
  results: readonly unknown[],
  settings: Readonly<Record<string, unknown>>,
  error: unknown,
): void {
  const message = error instanceof Error ? error.message : String(error);
  writeFileAtomic(
    partialPath(out),
    JSON.stringify({ partial: true, error: message, settings, results }, null, 1) + '\n',
  );
}

/** Where an evaluation that stopped part-way keeps its finished results. */
export function partialPath(out: string): string {
  return `${out}.partial.json`;
}

/** A partial file's settings and results as written; a missing or malformed file is a one-line error. */
export function readPartialFile(file: string): { settings: unknown; results: unknown[] } {
  if (!existsSync(file))
    throw new UserError(`--resume: ${file} does not exist (no stopped evaluation to resume)`, 2);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, 2);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new UserError(`${file}: expected an object {"settings": …, "results": […]}`, 2);
  const results = (doc as { results?: unknown }).results;
  if (!Array.isArray(results)) throw new UserError(`${file}: field 'results' must be an array`, 2);
  return { settings: (doc as { settings?: unknown }).settings, results };
}

/** The finished results of `OUT.partial.json` (checked by the caller that wrote them). */
export function readPartialResults<T>(file: string): T[] {
  return readPartialFile(file).results as T[];
}

/** What a run of evaluation work is told: where to report results, and which results to run. */
export interface EvalControl<T> {
  readonly keep: (r: T) => void;
  /**
   * Whether the result with this key still has to be run: false when a resumed evaluation already
   * has it. Throws 'interrupted' once Ctrl-C asked the run to stop, so it stops before its next task.
   */
  readonly pending: (key: string) => boolean;
  /** Whether Ctrl-C asked the run to stop (for work that waits on others, like a job queue). */
  readonly interrupted: () => boolean;
}

function evalControl<T>(
  keep: (r: T) => void,
  done: readonly string[],
  interrupted: () => boolean,
): EvalControl<T> {
  const skip = new Set(done);
  return {
    keep,
    interrupted,
    pending: (key) => {
      if (skip.has(key)) return false;
      if (interrupted()) throw new UserError('interrupted', INTERRUPTED);
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
 * `earlier` results (from OUT.partial.json, checked by the caller) are kept and skipped; Ctrl-C stops
 * the work and keeps what finished. `finish` writes the final files; only once it has succeeded is
 * the partial file removed, so a failing final write loses nothing. Returns earlier and new results.
 */
export async function runResumable<T>(o: {
  label: string;
  out: string | undefined;
  resume: boolean;
  jobs: number;
  n: number;
  key: (r: T) => string;
  here: (ctl: EvalControl<T>) => Promise<T[]>;
  earlier?: readonly T[];
  settings?: Readonly<Record<string, unknown>>;
  finish?: (results: T[]) => Promise<void>;
}): Promise<T[]> {
  if (o.resume && !o.out)
    throw new UserError('--resume needs --out (the partial results are OUT.partial.json)', 2);
  const partial = o.out ? partialPath(o.out) : null;
  const earlier = o.earlier ?? (o.resume && partial ? readPartialResults<T>(partial) : []);
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
    const all = await keepingPartialResults<T>(
      o.out,
      async (keep) => {
        const fresh =
          o.jobs > 1
            ? await runShards<T>(
                o.label,
                o.jobs,
                o.n,
                o.resume && partial ? ['--skip-done', partial] : [],
              ).catch((e: unknown) => {
                // Shards ended by Ctrl-C were interrupted, not crashed.
                throw stop && e instanceof ShardFailure
                  ? new ShardFailure('interrupted', e.partial, INTERRUPTED)
                  : e;
              })
            : await o.here(evalControl(keep, earlier.map(o.key), () => stop));
        const results = [...earlier, ...fresh];
        // From here on every result is kept: a failing final write leaves them all in the partial file.
        for (const r of fresh) if (o.jobs > 1) keep(r);
        await o.finish?.(results);
        return results;
      },
      earlier,
      o.settings,
    );
    if (partial) rmSync(partial, { force: true });
    return all;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
