/**
 * `replsynth worker --queue URL`: runs evaluation and dataset jobs from a Redis queue until Ctrl-C,
 * on any machine with the same replsynth version and model files as the submitter (a job whose model
 * hash differs is refused with a message saying so, and recorded as that item's error).
 */
import type { Command } from 'commander';
import { parseQueueUrl } from '../queue/connection.js';
import { startWorker } from '../queue/worker.js';
import { intOption, numberOption } from './options.js';

interface WorkerOpts {
  queue: string;
  concurrency: string;
  lock: string;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run `eval … --queue` and `data … --queue` jobs from a Redis queue, until Ctrl-C')
    .requiredOption('--queue <url>', 'the Redis server of the queue (redis://HOST:PORT)')
    .option('--concurrency <n>', 'jobs at a time, each in its own child process', '1')
    .option(
      '--lock <seconds>',
      "how long a job stays locked without a sign of life: a dead worker's jobs are handed on after about twice this",
      '30',
    )
    .action(async (o: WorkerOpts) => {
      const target = parseQueueUrl('--queue', o.queue);
      const concurrency = intOption('--concurrency', o.concurrency, 1, 256);
      const lockMs = Math.round(1000 * numberOption('--lock', o.lock, 0.5, 3600));
      const log = (l: string): void => void process.stderr.write(`${l}\n`);
      const worker = await startWorker({ target, concurrency, lockMs, log });
      log(`worker: taking jobs from ${target.url} (${concurrency} at a time; Ctrl-C stops)`);
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (): void => {
          // The first Ctrl-C lets running jobs finish; a second one stops at once (they are handed on).
          const force = stopping;
          if (!stopping) log('worker: stopping after the running jobs (Ctrl-C again to stop now)');
          stopping = true;
          void worker.close(force).then(() => resolve());
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      log('worker: stopped');
    });
}
