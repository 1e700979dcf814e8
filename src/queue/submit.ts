/**
 * The submitting side of a run on the queue: puts one BullMQ job per piece of work into Redis (job
 * ids derived from the run's settings, so a resumed or repeated submission finds the jobs it made
 * before instead of adding them twice), then collects every result exactly once from the queue's
 * events, with a sweep over the job states at the start, after each reconnect and every few seconds
 * (events are a notification; the job records in Redis are the truth).
 */
import { createHash } from 'node:crypto';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { QUEUE_NAME, checkReachable, type QueueTarget } from './connection.js';
import { projectVersion } from './model-hash.js';

export type JobKind = 'eval' | 'data';

/** What every job holds: its kind, the version that made it, its run and key, and the work. */
export interface JobEnvelope {
  readonly kind: JobKind;
  readonly version: string;
  readonly run: string;
  readonly key: string;
  readonly payload: unknown;
}

export interface QueueWork<R> {
  readonly target: QueueTarget;
  readonly kind: JobKind;
  /** Identifies the run: the same settings give the same id (see runId). */
  readonly run: string;
  /** The work still to do, one job each; keys are unique within the run. */
  readonly jobs: readonly { readonly key: string; readonly payload: unknown }[];
  readonly onResult: (key: string, result: R) => void;
  /** A job failed for good (its input, a worker's refusal): recorded, the run goes on. */
  readonly onFailure: (key: string, message: string) => void;
  /** Checked often: once true, the run's waiting jobs are withdrawn and runOnQueue returns. */
  readonly interrupted: () => boolean;
  readonly log?: (line: string) => void;
  /** How often job states are swept (ms). */
  readonly sweepMs?: number;
}

/** A run whose jobs all have an outcome (or that was interrupted). */
export interface QueueRun {
  /** Closes the connection; with `forget`, first removes the run's job records from Redis. */
  close(forget: boolean): Promise<void>;
}

/** A run id from anything JSON-able that determines its results. */
export function runId(prefix: string, settings: unknown): string {
  return `${prefix}${createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16)}`;
}

/** BullMQ job ids may not contain ':'. */
const jobIdOf = (run: string, key: string): string => `${run}.${key.replace(/:/g, '~')}`;

const KEEP = { age: 7 * 24 * 3600 };

/** Waits for whichever comes first: `ms` or a call of the returned wake function. */
function sleeper(): { sleep: (ms: number) => Promise<void>; wake: () => void } {
  let wake = (): void => {};
  return {
    sleep: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      }),
    wake: () => wake(),
  };
}

type Outcome<R> = { result: R } | { failed: string };

/** Settles each of `ids` whose job has finished; returns the ids that have no job record. */
async function sweepJobs<R>(
  queue: Queue<JobEnvelope>,
  ids: readonly string[],
  settle: (id: string, outcome: Outcome<R>) => void,
): Promise<string[]> {
  const missing: string[] = [];
  for (let k = 0; k < ids.length; k += 200) {
    const jobs = await Promise.all(ids.slice(k, k + 200).map((id) => queue.getJob(id)));
    await Promise.all(
      jobs.map(async (job: Job<JobEnvelope> | undefined, n) => {
        const id = ids[k + n];
        if (!job) return void missing.push(id);
        const state = await job.getState();
        if (state === 'completed') settle(id, { result: job.returnvalue as R });
        else if (state === 'failed') settle(id, { failed: job.failedReason });
      }),
    );
  }
  return missing;
}

/**
 * Runs the jobs on whatever workers serve the queue and reports each result or failure once. Returns
 * when every job has an outcome, or when `interrupted()` (its waiting jobs withdrawn; jobs already on a
 * worker finish there and are collected by a later submission of the same run). The jobs' records
 * stay in Redis until `close(true)` removes them, so a submitter that dies loses nothing.
 */
export async function runOnQueue<R>(w: QueueWork<R>): Promise<QueueRun> {
  const log = w.log ?? ((l: string) => void process.stderr.write(`${l}\n`));
  await checkReachable(w.target);
  const queue = new Queue<JobEnvelope>(QUEUE_NAME, { connection: w.target.connection });
  const events = new QueueEvents(QUEUE_NAME, { connection: w.target.connection });
  const pending = new Map<string, string>(w.jobs.map((j) => [jobIdOf(w.run, j.key), j.key]));
  const all = [...pending.keys()];
  const { sleep, wake } = sleeper();
  let lost = false;
  const onLost = (why: string): void => {
    if (!lost) log(`queue: lost the connection to Redis at ${w.target.url} (${why}); waiting for it`);
    lost = true;
  };
  const back = (): void => {
    if (lost) log(`queue: connected to Redis at ${w.target.url} again`);
    lost = false;
  };
  queue.on('error', (e) => onLost(e.message));
  events.on('error', (e) => onLost(e.message));
  events.on('ioredis:close', () => onLost('connection closed'));
  const settle = (id: string, outcome: Outcome<R>): void => {
    const key = pending.get(id);
    if (key === undefined) return;
    pending.delete(id);
    back();
    if ('result' in outcome) w.onResult(key, outcome.result);
    else w.onFailure(key, outcome.failed);
    if (pending.size === 0) wake();
  };
  events.on('completed', ({ jobId, returnvalue }) =>
    settle(jobId, { result: (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as R }),
  );
  events.on('failed', ({ jobId, failedReason }) => settle(jobId, { failed: failedReason }));
  const sweep = async (): Promise<string[]> => {
    const missing = await sweepJobs<R>(queue, [...pending.keys()], settle);
    // Commands wait while Redis is away: a sweep that returns means it is back.
    back();
    return missing;
  };
  try {
    await events.waitUntilReady();
    // Jobs of an earlier submission of this run that finished are collected, not run again.
    const missing = new Set(await sweep());
    const add = w.jobs.filter((j) => missing.has(jobIdOf(w.run, j.key)));
    for (let k = 0; k < add.length; k += 500)
      await queue.addBulk(
        add.slice(k, k + 500).map((j) => ({
          name: w.kind,
          data: { kind: w.kind, version: projectVersion(), run: w.run, key: j.key, payload: j.payload },
          opts: { jobId: jobIdOf(w.run, j.key), attempts: 1, removeOnComplete: KEEP, removeOnFail: KEEP },
        })),
      );
    let last = Date.now();
    while (pending.size > 0 && !w.interrupted()) {
      await sleep(250);
      // Events settle jobs as they finish; the sweep is a safety net, rarer when many jobs wait.
      if (Date.now() - last > Math.max(w.sweepMs ?? 5000, 2 * pending.size)) {
        last = Date.now();
        await sweep();
      }
    }
    if (w.interrupted() && pending.size > 0) {
      // Waiting jobs are withdrawn; a job on a worker is locked, finishes there and stays in Redis.
      await Promise.all([...pending.keys()].map((id) => queue.remove(id).catch(() => 0)));
    }
  } catch (e) {
    await queue.close();
    throw e;
  } finally {
    await events.close();
  }
  return {
    close: async (forget) => {
      try {
        if (forget) await Promise.all(all.map((id) => queue.remove(id).catch(() => 0)));
      } finally {
        await queue.close();
      }
    },
  };
}
