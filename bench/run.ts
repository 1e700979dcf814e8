/**
 * Benchmark runner: `npm run bench` runs every benchmark, `npm run bench -- NAME [NAME…]` some of them.
 * A benchmark is bench/NAME/run.ts exporting `run(ctx)`, which returns a JSON-able object; the runner
 * writes it to bench/results/NAME.json (atomically). Benchmarks may write plots next to it via ctx.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../src/io/files.js';

export interface BenchContext {
  /** Folder for results and plots (bench/results). */
  resultsDir: string;
  /** Writes a file into resultsDir atomically. */
  write(name: string, content: string | Uint8Array): string;
  /** Arguments after the benchmark names (e.g. --quick). */
  args: string[];
}

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const names = argv.filter((a) => !a.startsWith('-'));
  const args = argv.filter((a) => a.startsWith('-'));
  const all = readdirSync(here).filter(
    (d) => statSync(join(here, d)).isDirectory() && existsSync(join(here, d, 'run.ts')),
  );
  // The search evaluations take 30 minutes to hours: a benchmark exporting `long = true` runs only
  // when named.
  const long: string[] = [];
  for (const n of all)
    if (((await import(pathToFileURL(join(here, n, 'run.ts')).href)) as { long?: boolean }).long)
      long.push(n);
  const chosen = names.length > 0 ? names : all.filter((n) => !long.includes(n));
  if (names.length === 0)
    console.error(
      `replsynth bench: skipping the long evaluations (${long.join(', ')}); name them to run them`,
    );
  for (const n of chosen) {
    if (!all.includes(n)) {
      console.error(`replsynth bench: unknown benchmark '${n}' (have: ${all.join(', ')})`);
      process.exit(2);
    }
  }
  mkdirSync(resultsDir, { recursive: true });
  const ctx: BenchContext = {
    resultsDir,
    args,
    write: (name, content) => {
      const p = join(resultsDir, name);
      writeFileAtomic(p, content);
      return p;
    },
  };
  for (const n of chosen) {
    console.log(`== bench ${n}`);
    const mod = (await import(pathToFileURL(join(here, n, 'run.ts')).href)) as {
      run: (c: BenchContext) => Promise<Record<string, unknown>>;
    };
    const t0 = performance.now();
    const result = await mod.run(ctx);
    const out = {
      benchmark: n,
      date: new Date().toISOString(),
      seconds: (performance.now() - t0) / 1000,
      ...result,
    };
    const p = ctx.write(`${n}.json`, JSON.stringify(out, null, 2) + '\n');
    console.log(`wrote ${p}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
