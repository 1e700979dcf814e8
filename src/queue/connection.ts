/**
 * Where the job queue is: a `redis://HOST:PORT[/DB]` URL checked once at the command line, and the
 * ioredis options every submitter and worker connects with. Commands never fail while Redis is away
 * (`maxRetriesPerRequest: null`, reconnect forever): a restarted Redis resumes the run; only the first
 * connection has a deadline, so a wrong address is a one-line error instead of a hang.
 */
import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { UserError } from '../core/index.js';

/** The BullMQ queue every replsynth job goes through (jobs name their run and kind). */
export const QUEUE_NAME = 'replsynth';

export interface QueueTarget {
  /** As the user gave it (for messages). */
  readonly url: string;
  readonly connection: RedisOptions;
}

/** `redis://HOST:PORT[/DB]` (also `rediss://` and `redis://:PASSWORD@HOST:PORT`), or a usage error. */
export function parseQueueUrl(flag: string, s: string): QueueTarget {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new UserError(`${flag} '${s}': expected a URL like redis://127.0.0.1:6379`, 2);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new UserError(`${flag} '${s}': expected redis://HOST:PORT (got the scheme ${u.protocol})`, 2);
  if (!u.hostname) throw new UserError(`${flag} '${s}': no host in the URL`, 2);
  const port = u.port === '' ? 6379 : Number(u.port);
  const db = u.pathname === '' || u.pathname === '/' ? 0 : Number(u.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0)
    throw new UserError(
      `${flag} '${s}': the database after the port must be a number (redis://HOST:PORT/0)`,
      2,
    );
  const connection: RedisOptions = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // Wait for Redis to come back instead of failing a command (BullMQ requires it for workers).
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
  return { url: s, connection };
}

/**
 * Resolves once Redis answers at `t`, or throws a one-line error (exit 2) after `timeoutMs`: called
 * before any work so that a wrong address or a stopped server is reported instead of waited on.
 */
export async function checkReachable(t: QueueTarget, timeoutMs = 10_000): Promise<void> {
  const client = new Redis({ ...t.connection, lazyConnect: true, retryStrategy: () => null });
  // The socket's error (ECONNREFUSED …) says more than connect()'s "Connection is closed".
  let socketError = '';
  client.on('error', (e: Error) => (socketError = e.message));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      let why: string;
      try {
        await client.connect();
        await client.ping();
        return;
      } catch (e) {
        why = socketError || (e instanceof Error ? e.message : String(e));
        client.disconnect();
      }
      if (Date.now() > deadline) throw new UserError(`--queue ${t.url}: cannot reach Redis (${why})`, 2);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    client.disconnect();
  }
}
