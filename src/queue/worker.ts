/**
 * The working side: a BullMQ worker that takes replsynth jobs from Redis and runs each in a sandboxed
 * child process (processor.ts). The parent only talks to Redis, so it renews job locks on time however
 * long a search keeps a child busy; when a worker dies, its lock runs out and another worker's stalled
 * check puts the job back in the queue (`lockMs` is how soon).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { QUEUE_NAME, checkReachable, type QueueTarget } from './connection.js';
import type { JobEnvelope } from './submit.js';

export interface WorkerOptions {
  readonly target: QueueTarget;
  readonly concurrency: number;
  /** Lock duration and stalled-check interval (ms): a dead worker's job is handed on after about twice this. */
  readonly lockMs: number;
  readonly log: (line: string) => void;
}

/** The processor module beside this one: compiled JavaScript, or the TypeScript source under tsx. */
function processorFile(): string {
  const js = fileURLToPath(new URL('./processor.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./processor.ts', import.meta.url));
}

export async function startWorker(o: WorkerOptions): Promise<Worker<JobEnvelope>> {
  await checkReachable(o.target);
  const worker = new Worker<JobEnvelope>(QUEUE_NAME, processorFile(), {
    connection: o.target.connection,
    concurrency: o.concurrency,
    lockDuration: o.lockMs,
    stalledInterval: o.lockMs,
    // A job is put back after each worker that died on it, a few times, then failed (it may be the cause).
    maxStalledCount: 3,
    useWorkerThreads: false,
  });
  let lost = false;
  worker.on('error', (e) => {
    if (!lost)
      o.log(`worker: lost the connection to Redis at ${o.target.url} (${e.message}); waiting for it`);
    lost = true;
  });
  worker.on('ready', () => {
    if (lost) o.log(`worker: connected to Redis at ${o.target.url} again`);
    lost = false;
  });
  worker.on('active', (job) => o.log(`started ${job.data.run} ${job.data.key}`));
  worker.on('completed', (job) => o.log(`done ${job.data.run} ${job.data.key}`));
  worker.on('failed', (job, e) =>
    o.log(`failed ${job?.data.run ?? '?'} ${job?.data.key ?? '?'}: ${e.message}`),
  );
  await worker.waitUntilReady();
  return worker;
}
