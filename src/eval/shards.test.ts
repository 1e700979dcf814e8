import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../core/index.js';
import { keepingPartialResults, readShardResults, ShardFailure, shardSink } from './shards.js';

const dir = mkdtempSync(join(tmpdir(), 'replsynth-shards-'));

describe('evaluation shards keep what finished', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a shard appends one JSON line per finished result, readable while it runs', () => {
    const file = join(dir, 'shard.jsonl');
    const sink = shardSink<{ i: number }>(file);
    expect(readShardResults(file)).toEqual([]);
    sink({ i: 1 });
    sink({ i: 2 });
    expect(readShardResults<{ i: number }>(file)).toEqual([{ i: 1 }, { i: 2 }]);
    expect(readShardResults(join(dir, 'missing.jsonl'))).toEqual([]);
  });

  it('a run that fails part-way writes OUT.partial.json and says so in one line', async () => {
    const out = join(dir, 'r.json');
    const fail = keepingPartialResults<number>(out, async (keep) => {
      keep(1);
      keep(2);
      throw new Error('search crashed');
    });
    await expect(fail).rejects.toThrow(UserError);
    await expect(fail).rejects.toThrow(`search crashed; 2 finished results kept in ${out}.partial.json`);
    expect(JSON.parse(readFileSync(`${out}.partial.json`, 'utf8'))).toEqual({
      partial: true,
      error: 'search crashed',
      settings: {},
      results: [1, 2],
    });
    expect(existsSync(out)).toBe(false);
  });

  it('shard failures carry the results of every shard; without --out the error passes through', async () => {
    const out = join(dir, 's.json');
    await expect(
      keepingPartialResults(out, () =>
        Promise.reject(new ShardFailure('eval shard 1 failed (exit 1)', [7, 8, 9])),
      ),
    ).rejects.toThrow('3 finished results');
    expect(JSON.parse(readFileSync(`${out}.partial.json`, 'utf8')).results).toEqual([7, 8, 9]);
    await expect(keepingPartialResults(undefined, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await keepingPartialResults(out, async (keep) => (keep(1), [1]))).toEqual([1]);
  });
});
