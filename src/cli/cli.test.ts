import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureIo } from '../../test/fixtures/capture-io.js';
import { runCli } from './run.js';

describe('replsynth CLI skeleton', () => {
  let io: ReturnType<typeof captureIo>;
  beforeEach(() => (io = captureIo()));
  afterEach(() => vi.restoreAllMocks());

  it('--version prints the package version', async () => {
    expect(await runCli(['--version'])).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
  it('--help lists the commands', async () => {
    expect(await runCli(['--help'])).toBe(0);
    expect(io.out()).toContain('domains');
  });
  it('an unknown command is a one-line error with exit code 2', async () => {
    expect(await runCli(['frobnicate'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toContain("unknown command 'frobnicate'");
  });
  it('an unknown option is a one-line error with exit code 2', async () => {
    expect(await runCli(['domains', '--frob'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toContain('--frob');
  });
  it('domains --json lists registered domains with their parameters', async () => {
    expect(await runCli(['domains', '--json'])).toBe(0);
    const list = JSON.parse(io.out()) as { id: string; params: unknown[] }[];
    expect(Array.isArray(list)).toBe(true);
    for (const d of list) expect(Array.isArray(d.params)).toBe(true);
  });
});
