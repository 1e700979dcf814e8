import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/index.js';
import { checkReachable, parseQueueUrl } from '../../src/queue/connection.js';
import { expectClearError } from '../cli/cli-check.js';

describe('--queue URLs', () => {
  it('reads host, port, database and password; waits for Redis instead of failing a command', () => {
    expect(parseQueueUrl('--queue', 'redis://10.0.0.5:6380/2').connection).toMatchObject({
      host: '10.0.0.5',
      port: 6380,
      db: 2,
      maxRetriesPerRequest: null,
    });
    expect(parseQueueUrl('--queue', 'redis://:s%40cret@h').connection).toMatchObject({
      host: 'h',
      port: 6379,
      db: 0,
      password: 's@cret',
    });
  });

  it('a malformed URL is a one-line usage error', () => {
    for (const [url, why] of [
      ['h:6379', /expected redis:\/\/HOST:PORT \(got the scheme h:\)/],
      ['no url', /expected a URL like redis:/],
      ['http://h:1', /expected redis:\/\/HOST:PORT \(got the scheme http:\)/],
      ['redis://h:1/x', /the database after the port must be a number/],
    ] as const) {
      const e = (() => {
        try {
          parseQueueUrl('--queue', url);
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).exitCode).toBe(2);
      expect((e as UserError).message).toMatch(why);
    }
  });

  it('a Redis that does not answer is reported, not waited on forever', async () => {
    // Port 1 on loopback: nothing listens there.
    await expect(checkReachable(parseQueueUrl('--queue', 'redis://127.0.0.1:1'), 300)).rejects.toThrow(
      /--queue redis:\/\/127\.0\.0\.1:1: cannot reach Redis \(.*ECONNREFUSED/,
    );
  });

  it('eval and worker give the same one-line errors on the command line', async () => {
    await expectClearError(
      ['eval', 'strings', '--tasks', 'examples/strings/names.jsonl', '--queue', 'nope', '--model', 'uniform'],
      [/--queue 'nope': expected a URL like redis:\/\/127\.0\.0\.1:6379/],
    );
    await expectClearError(
      ['eval', 'strings', '--tasks', 'examples/strings/names.jsonl', '--queue', 'redis://h', '--jobs', '2'],
      [/--queue and --jobs/],
    );
    await expectClearError(['worker', '--queue', 'redis://h', '--concurrency', '0'], [/--concurrency/]);
  });
});
