import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseInlinePair } from '../../src/domains/strings/index.js';
import { captureIo } from '../fixtures/capture-io.js';
import { runCli } from '../../src/cli/run.js';

describe('replsynth strings', () => {
  let io: ReturnType<typeof captureIo>;
  beforeEach(() => (io = captureIo()));
  afterEach(() => vi.restoreAllMocks());

  it('parses inline pairs with columns', () => {
    expect(parseInlinePair('Jane Smith => J. Smith', 0)).toEqual({
      inputs: ['Jane Smith'],
      output: 'J. Smith',
    });
    expect(parseInlinePair('a | b => a-b', 0)).toEqual({ inputs: ['a', 'b'], output: 'a-b' });
    expect(() => parseInlinePair('no arrow', 2)).toThrow(/example 3/);
  });

  it('no examples is a usage error (exit 2, one line)', async () => {
    expect(await runCli(['strings', '--search', 'enum'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });

  it('a bad task file names the file and line (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-'));
    const f = join(dir, 'bad.jsonl');
    writeFileSync(f, '{"examples": [{"inputs": ["a"], "output": "b"}]}\n{"examples": 3}\n');
    expect(await runCli(['strings', '--examples', f, '--search', 'enum'])).toBe(2);
    expect(io.err()).toContain(`${f}:2`);
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });

  it('enumeration solves a one-step task; the JS function agrees on filled rows', async () => {
    const code = await runCli([
      'strings',
      'ann lee => ANN LEE',
      'bo ek => BO EK',
      '--apply',
      'cy di',
      '--search',
      'enum',
      '--timeout',
      '20',
      '--json',
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(io.out().trim()) as {
      solved: boolean;
      javascript: string;
      fill: { inputs: string[]; output: string }[];
    };
    expect(r.solved).toBe(true);
    expect(r.fill).toEqual([{ inputs: ['cy di'], output: 'CY DI' }]);
    const fn = new Function(`${r.javascript}; return transform;`)() as (x: string) => string;
    expect(fn('cy di')).toBe('CY DI');
  });

  it('an unknown search method is a usage error', async () => {
    expect(await runCli(['strings', 'a => b', '--search', 'magic'])).toBe(2);
    expect(io.err()).toContain('magic');
  });
});

describe('inline rows to fill', () => {
  it("a pair with nothing after '=>' is a row to fill, as an empty CSV output is", async () => {
    const io = captureIo();
    const code = await runCli([
      'strings',
      'ann lee => ANN LEE',
      'bo ek => BO EK',
      'cy di =>',
      '--method',
      'enum',
      '--timeout',
      '20',
      '--json',
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(io.out().trim()) as {
      examples: number;
      fill: { inputs: string[]; output: string }[];
    };
    expect(r.examples).toBe(2);
    expect(r.fill).toEqual([{ inputs: ['cy di'], output: 'CY DI' }]);
    vi.restoreAllMocks();
  });
});
