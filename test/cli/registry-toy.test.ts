import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { models, problems, registerModel, unregisterForTests } from '../../src/core/index.js';
import { registerBundle } from '../../src/domains/index.js';
import { runCli } from '../../src/cli/run.js';
import { captureIo } from '../fixtures/capture-io.js';
import { toyBundle, toyModel } from '../fixtures/toy/toy-problem.js';

// A problem, formulation and model registered here only: every command must offer them.
describe('a problem registered only in a test appears in synth, eval and train', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replsynth-toy-'));
  beforeAll(() => {
    registerBundle(toyBundle);
    registerModel(toyModel);
  });
  afterAll(() => {
    problems.unregister('toy');
    models.unregister('toy');
    unregisterForTests('domain', 'toy');
    rmSync(dir, { recursive: true, force: true });
  });

  it('synth toy: finds a program for an inline target (no weights: uniform policy, with a note)', async () => {
    const io = captureIo();
    const out = join(dir, 'p.txt');
    expect(await runCli(['synth', 'toy', '7', '--nodes', '5000', '--out', out])).toBe(0);
    expect(io.out()).toMatch(/^solved: /);
    expect(io.err()).toContain('no trained toy model');
    expect(readFileSync(out, 'utf8').trim().split(' ').length).toBeGreaterThan(0);
  });

  it('eval toy: generated tasks, every method, a summary from the declared report', async () => {
    const io = captureIo();
    const out = join(dir, 'r.json');
    const args = ['eval', 'toy', '--tasks', '2', '--methods', 'smc,enum', '--nodes', '3000', '--out', out];
    expect(await runCli(args)).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      summary: Record<string, { solved: number; total: number }>;
      tasks: { search: string }[];
    };
    expect(Object.keys(doc.summary)).toEqual(['smc', 'enum']);
    expect(doc.summary.smc.total).toBe(2);
    expect(doc.tasks).toHaveLength(4);
    expect(io.out()).toContain('smc');
  });

  it('train toy: the trainer and its declared options come from the model definition', async () => {
    captureIo();
    const ckpt = join(dir, 'ckpt');
    expect(
      await runCli([
        'train',
        'toy',
        '--phase',
        'imitation',
        '--steps',
        '3',
        '--checkpoint',
        ckpt,
        '--flavour',
        'fancy',
      ]),
    ).toBe(0);
    expect(readFileSync(join(ckpt, 'train-log.jsonl'), 'utf8')).toContain('"step"');
    expect(await runCli(['train', 'toy', '--flavour', 'sour', '--checkpoint', ckpt])).toBe(2);
  });

  it("a model's own command appears as a top-level command with its declared options", async () => {
    const io = captureIo();
    expect(await runCli(['toy-count', '--upto', '4'])).toBe(0);
    expect(io.out()).toBe('1\n2\n3\n4\n');
    expect(await runCli(['toy-count', '--upto', '0'])).toBe(2);
  });

  it('an unknown method for the problem is a one-line usage error listing the methods', async () => {
    const io = captureIo();
    expect(await runCli(['synth', 'toy', '3', '--method', 'magic'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toContain('smc');
  });
});
