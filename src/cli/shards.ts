import { fork, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/index.js';

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
export async function runShards<T>(label: string, jobs: number, n: number): Promise<T[]> {
  const dir = mkdtempSync(join(tmpdir(), `replsynth-${label}-`));
  const files = Array.from({ length: Math.min(jobs, n) }, (_, k) => join(dir, `shard-${k}.jsonl`));
  const children: ChildProcess[] = [];
  try {
    const args = withoutFlags(process.argv.slice(2), ['--jobs', '--out', '--plot']);
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
): Promise<T[]> {
  const kept: T[] = [];
  try {
    return await run((r) => kept.push(r));
  } catch (e) {
    const partial = e instanceof ShardFailure ? (e.partial as T[]) : kept;
    if (!out || partial.length === 0) throw e;
    const path = `${out}.partial.json`;
    const message = e instanceof Error ? e.message : String(e);
    writeFileAtomic(
      path,
      JSON.stringify({ partial: true, error: message, results: partial }, null, 1) + '\n',
    );
    throw new UserError(`${message}; ${partial.length} finished results kept in ${path}`);
  }
}

/** Writes a file atomically (temp + rename). */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/** A user's file is never overwritten without --force. */
export function refuseOverwrite(flag: string, path: string | undefined, force: boolean | undefined): void {
  if (path && existsSync(path) && !force)
    throw new UserError(`${flag} ${path} exists; pass --force to overwrite`);
}
