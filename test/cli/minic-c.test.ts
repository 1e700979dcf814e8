/**
 * `replsynth c`: its default method is the best shipped decoder (LaSynth), a run on inline examples
 * works, and bad input is a one-line usage error.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { minicProblem } from '../../src/domains/minic/index.js';
import { captureIo } from '../fixtures/capture-io.js';

describe('replsynth c', () => {
  let io: ReturnType<typeof captureIo>;
  beforeEach(() => (io = captureIo()));
  afterEach(() => vi.restoreAllMocks());

  it('decodes with the best shipped decoder (lasynth: 54 % against robustfill 51 % and propsig 39 % on bench/seq-minic/test-100) by default', () => {
    expect(minicProblem.cli?.synth?.method).toBe('lasynth');
  });

  it('runs the decoder on inline examples', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-c-'));
    const out = join(dir, 'prog.c');
    const code = await runCli([
      'c',
      '[1,2,3,4,0] => [2,2,3,4,0]',
      '--nodes',
      '2000',
      '--seed',
      '3',
      '--out',
      out,
    ]);
    expect([0, 1]).toContain(code);
    if (existsSync(out)) expect(readFileSync(out, 'utf8')).toContain('int * func_1(int a[])');
    expect(io.err() + io.out()).toMatch(/lasynth/);
  }, 120_000);

  it('a malformed example is a usage error (exit 2, one line)', async () => {
    expect(await runCli(['c', '[1,2,3] => [1,2]', '--nodes', '10'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });
});
