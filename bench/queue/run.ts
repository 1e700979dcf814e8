/**
 * Throughput of `eval … --queue` with 1, 2 and 4 local worker processes (issue 21): 20 strings tasks,
 * smc and beam, a node budget, against a redis-server started here (like the tests do). Also the same
 * evaluation as one local process, and the queue's cost per job (jobs of a single node each).
 * `npm run bench -- queue [--quick]` (quick: 1 and 2 workers). Needs redis-server on PATH.
 */
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { replsynth, startRedis, type Proc } from '../../test/queue/redis.js';
import type { BenchContext } from '../run.js';

/** Runs only when named (a few minutes, and it needs redis-server). */
export const long = true;

const TASKS = 'bench/strings-eval/heldout-100.jsonl';
const LIMIT = 20;
const METHODS = 'smc,beam';

const evalArgs = (nodes: number, out: string): string[] => [
  'eval',
  'strings',
  '--tasks',
  TASKS,
  '--limit',
  String(LIMIT),
  '--methods',
  METHODS,
  '--nodes',
  String(nodes),
  '--timeout',
  '600',
  '--out',
  out,
  '--force',
];

const load = (): number[] => loadavg().map((x) => Number(x.toFixed(2)));

interface Timed {
  readonly seconds: number;
  readonly jobs: number;
  readonly jobsPerSecond: number;
  /** From the first result to the last: without start-up, first model loads and the final writes. */
  readonly steadySeconds: number;
  readonly steadyJobsPerSecond: number;
  readonly loadBefore: number[];
  readonly loadAfter: number[];
}

const round = (x: number, d = 3): number => Number(x.toFixed(d));

async function timed(p: () => Proc, jobs: number): Promise<Timed> {
  const loadBefore = load();
  const t0 = performance.now();
  const proc = p();
  let first = 0;
  let last = 0;
  void proc.waitFor(/\[1\/\d+\]/, 3_600_000).then(() => (first = performance.now()));
  void proc.waitFor(new RegExp(`\\[${jobs}/${jobs}\\]`), 3_600_000).then(() => (last = performance.now()));
  const code = await proc.done;
  if (code !== 0) throw new Error(`exit ${code}:\n${proc.output()}`);
  const seconds = (performance.now() - t0) / 1000;
  const steady = (last - first) / 1000;
  return {
    seconds: round(seconds, 2),
    jobs,
    jobsPerSecond: round(jobs / seconds),
    steadySeconds: round(steady, 2),
    steadyJobsPerSecond: round((jobs - 1) / steady),
    loadBefore,
    loadAfter: load(),
  };
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.args.includes('--quick');
  const nodes = 1000;
  const jobs = LIMIT * METHODS.split(',').length;
  const dir = mkdtempSync(join(tmpdir(), 'replsynth-bench-queue-'));
  const redis = await startRedis();
  const byWorkers: Record<string, Timed & { sameAsLocal: boolean }> = {};
  const strip = (f: string): string =>
    JSON.stringify(
      (JSON.parse(readFileSync(f, 'utf8')) as { tasks: Record<string, unknown>[] }).tasks.map(
        ({ timeMs: _t, firstSolutionMs: _f, trace: _r, ...r }) => r,
      ),
    );
  try {
    const localOut = join(dir, 'local.json');
    const local = await timed(() => replsynth(evalArgs(nodes, localOut)), jobs);
    let overhead: Timed | null = null;
    for (const n of quick ? [1, 2] : [1, 2, 4]) {
      const workers = Array.from({ length: n }, () => replsynth(['worker', '--queue', redis.url]));
      await Promise.all(workers.map((w) => w.waitFor(/taking jobs/, 600_000)));
      const out = join(dir, `w${n}.json`);
      const t = await timed(() => replsynth([...evalArgs(nodes, out), '--queue', redis.url]), jobs);
      byWorkers[String(n)] = { ...t, sameAsLocal: strip(out) === strip(localOut) };
      if (n === 1) {
        // Warm worker, one node per job: what the queue itself costs per job.
        overhead = await timed(
          () => replsynth([...evalArgs(1, join(dir, 'tiny.json')), '--queue', redis.url]),
          jobs,
        );
      }
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.done));
    }
    return {
      machine: { cpus: cpus().length },
      settings: { tasks: `${TASKS} (first ${LIMIT})`, methods: METHODS, nodes, workerConcurrency: 1 },
      note: 'steady: from the first result line to the last (jobs - 1 jobs); seconds: wall time of the submitting command, from its start (includes process start-up and, on the queue, each worker child loading the model on its first job)',
      local,
      byWorkers,
      queueOverheadPerJob: overhead
        ? { ...overhead, steadySecondsPerJob: round(overhead.steadySeconds / (jobs - 1)) }
        : null,
    };
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
