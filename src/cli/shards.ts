import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Re-runs this CLI command in `min(jobs, n)` child processes, each with `--shard k/jobs --shard-out F`
 * (and without --jobs/--out/--plot), and returns their JSON results concatenated in shard order.
 */
export async function runShards<T>(label: string, jobs: number, n: number): Promise<T[]> {
  const dir = mkdtempSync(join(tmpdir(), `replsynth-${label}-`));
  try {
    const args = withoutFlags(process.argv.slice(2), ['--jobs', '--out', '--plot']);
    const children = Array.from({ length: Math.min(jobs, n) }, (_, k) => {
      const file = join(dir, `shard-${k}.json`);
      return new Promise<T[]>((resolve, reject) => {
        const c = fork(process.argv[1], [...args, '--shard', `${k}/${jobs}`, '--shard-out', file], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        c.on('exit', (code) =>
          code === 0
            ? resolve(JSON.parse(readFileSync(file, 'utf8')) as T[])
            : reject(new UserError(`${label} shard ${k} failed (exit ${code})`)),
        );
      });
    });
    return (await Promise.all(children)).flat();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a file atomically (temp + rename). */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/** A user's file is never overwritten without --force. */
export function refuseOverwrite(flag: string, path: string | undefined, force: boolean | undefined): void {
  if (path && existsSync(path) && !force) throw new UserError(`${flag} ${path} exists; pass --force to overwrite`);
}
