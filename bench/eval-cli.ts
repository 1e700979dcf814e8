/**
 * Shared by the long evaluation benchmarks: runs `replsynth eval …` as a user would (a child process,
 * 2 jobs, results and plot written with --force) and returns the results file.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function runEvalCli<Doc>(args: readonly string[], out: string, plot: string): Doc {
  const full = [
    'tsx',
    'src/cli/main.ts',
    'eval',
    ...args,
    '--jobs',
    '2',
    '--out',
    out,
    '--plot',
    plot,
    '--force',
  ];
  const r = spawnSync('npx', full, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`eval failed with exit code ${r.status}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Doc;
}
