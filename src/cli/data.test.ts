import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { captureIo } from '../../test/fixtures/capture-io.js';
import { runCli } from './run.js';

describe('replsynth data <problem>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replsynth-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());
  const args = (out: string, ...more: string[]) => [
    'data',
    'minic',
    '--train',
    '30',
    '--val',
    '3',
    '--test',
    '3',
    '--out',
    out,
    '--seed',
    '2',
    ...more,
  ];
  const read = (d: string, f: string): string => readFileSync(join(d, f), 'utf8');

  it('writes the splits and stats.json into a new folder; the same seed gives the same files', async () => {
    const io = captureIo();
    const a = join(dir, 'a');
    expect(await runCli(args(a))).toBe(0);
    expect(read(a, 'train.jsonl').trim().split('\n')).toHaveLength(30);
    expect(read(a, 'test.jsonl').trim().split('\n')).toHaveLength(3);
    const stats = JSON.parse(read(a, 'stats.json')) as {
      seed: number;
      paper: { holds: boolean }[];
      all: { tasks: number };
    };
    expect(stats.seed).toBe(2);
    expect(stats.all.tasks).toBe(36);
    expect(stats.paper.every((c) => c.holds)).toBe(true);
    expect(io.out()).toContain('wrote');
    const b = join(dir, 'b');
    expect(await runCli(args(b))).toBe(0);
    for (const f of ['train.jsonl', 'val.jsonl', 'test.jsonl']) expect(read(b, f)).toBe(read(a, f));
  });

  it('never overwrites a dataset without --force', async () => {
    const io = captureIo();
    const a = join(dir, 'c');
    expect(await runCli(args(a))).toBe(0);
    const before = read(a, 'train.jsonl');
    expect(await runCli([...args(a).slice(0, -2), '--seed', '3'])).not.toBe(0);
    expect(io.err()).toMatch(/exists; pass --force/);
    expect(read(a, 'train.jsonl')).toBe(before);
    expect(await runCli([...args(a).slice(0, -2), '--seed', '3', '--force'])).toBe(0);
    expect(read(a, 'train.jsonl')).not.toBe(before);
  });

  it('refuses bad outputs and options before any work, in one line', async () => {
    const io = captureIo();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect(await runCli(args(join(dir, 'no', 'such', 'folder')))).toBe(2);
    expect(await runCli(args(file))).toBe(2);
    expect(
      await runCli(['data', 'minic', '--train', '0', '--val', '0', '--test', '0', '--out', join(dir, 'z')]),
    ).toBe(2);
    expect(await runCli(['data', 'minic', '--train', 'many', '--out', join(dir, 'z')])).toBe(2);
    expect(await runCli(['data', 'minic', '--loop-rate', '2', '--out', join(dir, 'z')])).toBe(2);
    const lines = io.err().trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/does not exist/);
    expect(lines[1]).toMatch(/is a file/);
  });

  it('eval reads the test split back', async () => {
    captureIo();
    const a = join(dir, 'd');
    expect(await runCli(args(a))).toBe(0);
    const out = join(dir, 'r.json');
    expect(
      await runCli([
        'eval',
        'minic',
        '--tasks',
        join(a, 'test.jsonl'),
        '--methods',
        'smc',
        '--nodes',
        '30',
        '--out',
        out,
      ]),
    ).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { tasks: { name: string; heldOut: number }[] };
    expect(doc.tasks).toHaveLength(3);
    expect(doc.tasks[0].name).toMatch(/^minic-[0-9a-f]{16}$/);
    expect(doc.tasks[0].heldOut).toBe(5);
  });
});
