/**
 * What the browser tests share: Debian's chromium driven by playwright-core (never a downloaded
 * browser), the playground served by `replsynth serve` from the built dist/, and the CLI for
 * comparisons.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Why the browser tests cannot run here, or null. */
export const noBrowser: string | null = existsSync(chromiumPath)
  ? null
  : `no chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`;

// This machine's network is closed: without the background-networking switches chromium keeps trying.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launch = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath, args: ARGS, headless: true });

/** dist/ must hold the CLI (npm run build) and the page (npm run build:web, built here when missing). */
export function ensureBuilt(): void {
  if (!existsSync(join(repo, 'dist/cli/main.js'))) throw new Error('dist/ is not built: run npm run build');
  if (existsSync(join(repo, 'dist/web/index.html'))) return;
  const r = spawnSync('npm', ['run', 'build:web'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build:web failed');
}

export interface Served {
  readonly url: string;
  stop(): Promise<void>;
}

/** `replsynth serve --port 0`, resolved with the address it prints. */
export function serve(): Promise<Served> {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--port', '0'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`replsynth serve exited (${code}): ${err}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m)
        resolve({
          url: m[0],
          stop: () =>
            new Promise<void>((done) => {
              child.removeAllListeners('exit');
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
    });
  });
}

export interface CliResult {
  readonly name: string;
  readonly solved: boolean;
  readonly program: string | null;
  readonly nodes: number;
}

/** `replsynth <args> --json`: one result per line (a child process, so several can run at once). */
export function cliJson(args: readonly string[]): Promise<CliResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/cli/main.js', ...args, '--json'], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0 && code !== 1) reject(new Error(`replsynth ${args.join(' ')}: ${err}`));
      else
        resolve(
          out
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as CliResult),
        );
    });
  });
}

/** What the page exposes for tests (src/web/app/main.ts). */
export interface PageState {
  readonly timings: { firstResultMs: number | null; results: CliResult[] };
  readonly client: { readyAt: number; warmedAt: Record<string, number> };
}

export const state = (page: Page): Promise<PageState> =>
  page.evaluate(() => {
    const r = (globalThis as unknown as { replsynth: PageState }).replsynth;
    return { timings: r.timings, client: { readyAt: r.client.readyAt, warmedAt: r.client.warmedAt } };
  });

/** Waits until the page has `n` results in all. */
export function results(page: Page, n: number, timeout = 60_000): Promise<unknown> {
  return page.waitForFunction(
    (k) => (globalThis as unknown as { replsynth: PageState }).replsynth.timings.results.length >= k,
    n,
    { timeout },
  );
}
