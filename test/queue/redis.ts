/**
 * What the queue tests share: Debian's redis-server on a free loopback port with append-only
 * persistence in a temporary folder (so a restart keeps the queue), and replsynth processes (the CLI
 * from source under tsx) whose output is collected and can be waited on.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const redisPath = process.env.REDIS_SERVER ?? 'redis-server';
const found = spawnSync(redisPath, ['--version'], { encoding: 'utf8' });
/** Why the queue tests cannot run here, or null. In CI they must run: .ci/run installs redis-server. */
export const noRedis: string | null =
  found.status === 0 ? null : `no ${redisPath} on PATH (apt-get install redis-server, or set REDIS_SERVER)`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGTERM: the append-only file is flushed) and starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const exited = (c: ChildProcess): Promise<void> =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => c.once('exit', () => r()));

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'replsynth-redis-'));
  const port = await freePort();
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn(
      redisPath,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--daemonize',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 15_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${out}`)));
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    restart: async () => {
      child.kill('SIGTERM');
      await exited(child);
      await launch();
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A replsynth process (`node --import tsx src/cli/main.ts …`) and everything it printed. */
export interface Proc {
  readonly child: ChildProcess;
  /** stdout and stderr together, so far. */
  output(): string;
  /** Resolves with the output once `pattern` appears in it. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or 128 + signal number as a shell reports it). */
  readonly done: Promise<number>;
}

/** Every process `replsynth()` started, so a test's clean-up can end those still running. */
export const started: ChildProcess[] = [];

/** Ends every process `replsynth()` started that is still running (SIGKILL). */
export function killStarted(): void {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export function replsynth(args: readonly string[]): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  started.push(child);
  let text = '';
  const waiters: (() => void)[] = [];
  const add = (d: Buffer): void => {
    text += d.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  const done = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : 130))),
  );
  return {
    child,
    output: () => text,
    done,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern} in:\n${text}`)),
          timeoutMs,
        );
        const check = (): void => {
          if (!pattern.test(text)) return;
          clearTimeout(t);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(text);
        };
        waiters.push(check);
        check();
      }),
  };
}

/** A result without what depends on the machine's speed (wall times): what must equal a local run's. */
export function withoutTimes(r: Record<string, unknown>): Record<string, unknown> {
  const { timeMs: _t, firstSolutionMs: _f, trace, ...rest } = r;
  return {
    ...rest,
    trace: ((trace ?? []) as Record<string, unknown>[]).map(({ timeMs: _p, ...p }) => p),
  };
}
