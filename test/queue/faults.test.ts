/**
 * Evaluations on the BullMQ queue against a real redis-server: three worker processes, one SIGKILLed
 * mid-job, Redis restarted once during the run; every (task, method) result must be present exactly
 * once and equal a local `--jobs 1` run's. Then Ctrl-C and --resume through the queue, and jobs that
 * fail for their input or are refused for a different model hash.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerBuiltins } from '../../src/builtins.js';
import { runCli } from '../../src/cli/run.js';
import { problems, type ItemResult } from '../../src/core/index.js';
import { parseQueueUrl } from '../../src/queue/connection.js';
import { runEvalOnQueue } from '../../src/queue/eval-queue.js';
import { captureIo } from '../fixtures/capture-io.js';
import {
  killStarted,
  noRedis,
  replsynth,
  startRedis,
  withoutTimes,
  type Proc,
  type RedisServer,
} from './redis.js';

const TASKS = 'bench/strings-eval/heldout-100.jsonl';
/** A node budget (and a generous clock) makes every result the same on any machine and load. */
const evalArgs = (limit: number): string[] => [
  'eval',
  'strings',
  '--tasks',
  TASKS,
  '--limit',
  String(limit),
  '--methods',
  'smc,beam',
  '--nodes',
  '300',
  '--timeout',
  '600',
  '--seed',
  '3',
];

type Doc = { summary: Record<string, unknown>; settings: Record<string, unknown>; tasks: ItemResult[] };
const read = (f: string): Doc => JSON.parse(readFileSync(f, 'utf8')) as Doc;
const keyOf = (r: ItemResult): string => `${String(r.item)}/${r.search}`;

// In CI the tests must run (.ci/run installs redis-server); elsewhere they say why they were skipped.
describe.skipIf(noRedis !== null && !process.env.CI)(
  `eval on a Redis queue with worker processes${noRedis ? ` (skipped: ${noRedis})` : ''}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'replsynth-queue-'));
    let redis: RedisServer;
    const workers: Proc[] = [];
    const local = join(dir, 'local.json');

    beforeAll(async () => {
      redis = await startRedis();
      // Short locks, so the job of the killed worker is handed on within seconds.
      for (let k = 0; k < 3; k++) workers.push(replsynth(['worker', '--queue', redis.url, '--lock', '1']));
      // The reference: the same evaluation in one local process.
      const io = captureIo();
      try {
        expect(await runCli([...evalArgs(20), '--out', local]), io.err()).toBe(0);
      } finally {
        vi.restoreAllMocks();
      }
      await Promise.all(workers.map((w) => w.waitFor(/taking jobs/, 240_000)));
    }, 300_000);

    afterAll(async () => {
      // Workers, and a submitter left waiting by a failed test, go before their Redis does.
      killStarted();
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a worker killed mid-job and a Redis restart: every result once, equal to the local run', async () => {
      const out = join(dir, 'queue.json');
      const plot = join(dir, 'queue.svg');
      const sub = replsynth([...evalArgs(20), '--queue', redis.url, '--out', out, '--plot', plot]);
      // Worker 0 is killed as soon as it has taken a job (the child computing it goes with it).
      const started = /started (\S+) (\S+)/.exec(await workers[0].waitFor(/started \S+ \S+/))!;
      workers[0].child.kill('SIGKILL');
      await workers[0].done;
      await sub.waitFor(/\[10\/40\]/, 240_000);
      await redis.restart();
      expect(await sub.done, sub.output()).toBe(0);
      // The job the killed worker held was not finished by it, and was run again by another worker.
      expect(workers[0].output()).not.toContain(`done ${started[1]} ${started[2]}`);
      const redone = workers
        .slice(1)
        .filter((w) => w.output().includes(`done ${started[1]} ${started[2]}\n`));
      expect(redone.length, workers.map((w) => w.output()).join('\n---\n')).toBeGreaterThanOrEqual(1);
      expect(sub.output()).toMatch(/ETA/);
      // The restart happened while the submitter waited, and it carried on.
      expect(sub.output()).toMatch(/lost the connection to Redis[^]*connected to Redis at \S+ again/);

      const q = read(out);
      const ref = read(local);
      const keys = q.tasks.map(keyOf);
      expect(new Set(keys).size).toBe(40);
      expect(keys).toEqual(ref.tasks.map(keyOf));
      expect(q.tasks.map(withoutTimes)).toEqual(ref.tasks.map(withoutTimes));
      expect(q.tasks.some((r) => 'error' in r)).toBe(false);
      expect(q.settings.queue).toBe(redis.url);
      expect(readFileSync(plot, 'utf8')).toMatch(/^<svg/);
    }, 300_000);

    it('Ctrl-C keeps the finished results; --resume finishes through the queue, equal to the local run', async () => {
      const out = join(dir, 'resumed.json');
      const args = [...evalArgs(4), '--queue', redis.url, '--out', out];
      const first = replsynth(args);
      await first.waitFor(/\[2\/8\]/, 200_000);
      first.child.kill('SIGINT');
      expect(await first.done, first.output()).toBe(130);
      expect(first.output()).toMatch(/rerun with --resume/);
      expect(existsSync(`${out}.partial.json`)).toBe(true);
      const second = replsynth([...args, '--resume']);
      expect(await second.done, second.output()).toBe(0);
      expect(existsSync(`${out}.partial.json`)).toBe(false);
      const ref = read(local).tasks.filter((r) => (r.item as number) < 4);
      expect(read(out).tasks.map(withoutTimes)).toEqual(ref.map(withoutTimes));
    }, 240_000);

    it('a job that fails for its input, and one refused for another model hash, are recorded; the run goes on', async () => {
      registerBuiltins();
      const problem = problems.get('strings');
      const good = { name: 'upper', spec: { examples: [{ inputs: ['ab'], output: 'AB' }] } };
      const bad = { name: 'bad', spec: { examples: [] } };
      const kept: ItemResult[] = [];
      const results = await runEvalOnQueue({
        target: parseQueueUrl('--queue', redis.url),
        problem,
        items: [good, bad],
        methods: ['enum', 'smc'],
        settings: { timeMs: 60_000, nodes: 200, seed: 1, params: {} },
        formulationParams: {},
        // enum uses no model; the hash given for smc's model is not the workers'.
        hashes: new Map([
          ['enum', 'no'],
          ['smc', 'sha256:0000000000000000'],
        ]),
        runSettings: { test: 'failures' },
        ctl: { keep: (r) => kept.push(r), pending: () => true, interrupted: () => false },
        onResult: () => {},
      });
      expect(results).toHaveLength(4);
      expect(kept).toHaveLength(4);
      const by = new Map(results.map((r) => [keyOf(r), r]));
      expect(by.get('0/enum')!.error).toBeUndefined();
      expect(by.get('0/enum')).toMatchObject({ name: 'upper', search: 'enum' });
      expect(by.get('0/enum')!.nodes).toBeGreaterThan(0);
      expect(by.get('1/enum')).toMatchObject({ name: 'bad', solved: false, program: null });
      expect(String(by.get('1/enum')!.error)).toMatch(/task 'bad'/);
      for (const k of ['0/smc', '1/smc'])
        expect(String(by.get(k)!.error)).toMatch(/model files of method 'smc' differ from the submitter's/);
      // The surviving workers said what they refused.
      expect(workers.map((w) => w.output()).join('')).toMatch(/failed \S+ 0\/smc: refused by the worker/);
    }, 60_000);

    it('data minic --queue writes the files a local run writes (pieces assembled in order)', async () => {
      const args = ['data', 'minic', '--train', '1500', '--val', '100', '--test', '100', '--seed', '5'];
      const here = join(dir, 'data-local');
      const io = captureIo();
      try {
        expect(await runCli([...args, '--out', here]), io.err()).toBe(0);
      } finally {
        vi.restoreAllMocks();
      }
      const there = join(dir, 'data-queue');
      const sub = replsynth([...args, '--out', there, '--queue', redis.url]);
      expect(await sub.done, sub.output()).toBe(0);
      for (const f of ['train.jsonl', 'val.jsonl', 'test.jsonl'])
        expect(readFileSync(join(there, f), 'utf8')).toBe(readFileSync(join(here, f), 'utf8'));
      const stats = (f: string): Record<string, unknown> => {
        const { seconds: _s, ...rest } = JSON.parse(readFileSync(join(f, 'stats.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        return rest;
      };
      expect(stats(there)).toEqual(stats(here));
      expect(workers.map((w) => w.output()).join('')).toMatch(/done data-\S+ 0\n/);
    }, 240_000);
  },
);
