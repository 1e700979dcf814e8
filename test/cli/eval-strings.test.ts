import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withoutFlags } from '../../src/eval/shards.js';
import { runCli } from '../../src/cli/run.js';

describe('replsynth eval strings', () => {
  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('strips shard-irrelevant flags from argv', () => {
    expect(
      withoutFlags(
        ['eval', 'strings', '--jobs', '2', '--out=x.json', '--plot', 'p.svg', '--timeout', '3'],
        ['--jobs', '--out', '--plot'],
      ),
    ).toEqual(['eval', 'strings', '--timeout', '3']);
  });

  it('writes the summary, per-task results and a plot; refuses to overwrite without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-eval-'));
    const tasks = join(dir, 't.jsonl');
    writeFileSync(
      tasks,
      [
        {
          name: 'upper',
          examples: [
            { inputs: ['ab cd'], output: 'AB CD' },
            { inputs: ['ef'], output: 'EF' },
          ],
          tests: [{ inputs: ['gh'], output: 'GH' }],
        },
        {
          name: 'first',
          examples: [
            { inputs: ['ab cd'], output: 'ab' },
            { inputs: ['ef gh'], output: 'ef' },
          ],
          tests: [{ inputs: ['ij kl'], output: 'ij' }],
        },
      ]
        .map((t) => JSON.stringify(t))
        .join('\n') + '\n',
    );
    const out = join(dir, 'r.json');
    const plot = join(dir, 'p.svg');
    const args = [
      'eval',
      'strings',
      '--tasks',
      tasks,
      '--search',
      'enum',
      '--timeout',
      '10',
      '--out',
      out,
      '--plot',
      plot,
    ];
    expect(await runCli(args)).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      summary: Record<string, { solved: number; total: number; heldOutCorrect: number }>;
      tasks: { name: string; solved: boolean }[];
    };
    expect(doc.summary.enum.total).toBe(2);
    expect(doc.summary.enum.solved).toBe(2);
    expect(doc.summary.enum.heldOutCorrect).toBe(2);
    expect(doc.tasks.map((t) => t.name)).toEqual(['upper', 'first']);
    expect(readFileSync(plot, 'utf8').startsWith('<svg')).toBe(true);
    expect(await runCli(args)).toBe(2);
    expect(existsSync(out)).toBe(true);
  });
});
