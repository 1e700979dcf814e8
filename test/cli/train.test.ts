import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { hasFloat16Weights } from '../../src/nn/index.js';

const dir = mkdtempSync(join(tmpdir(), 'replsynth-train-'));

describe('replsynth train <domain>', () => {
  let err: string[];
  beforeEach(() => {
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(
      (s: string | Uint8Array) => (err.push(String(s)), true),
    );
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a bad --phase is a usage error for every domain', async () => {
    for (const d of ['strings', 'cad2d']) {
      expect(await runCli(['train', d, '--phase', 'sideways', '--checkpoint', join(dir, 'never')])).toBe(2);
      expect(existsSync(join(dir, 'never'))).toBe(false);
    }
  });

  it('strings: trains, checkpoints, and a second run resumes where the first stopped', async () => {
    const ckpt = join(dir, 'strings');
    const args = [
      'train',
      'strings',
      '--phase',
      'imitation',
      '--batch',
      '8',
      '--dense',
      '1',
      '--growth',
      '8',
      '--threads',
      '1',
      '--checkpoint',
      ckpt,
    ];
    expect(await runCli([...args, '--steps', '2'])).toBe(0);
    expect(JSON.parse(readFileSync(join(ckpt, 'training-state.json'), 'utf8'))).toMatchObject({ step: 2 });
    expect(await runCli([...args, '--steps', '3'])).toBe(0);
    expect(err.join('')).toContain(`resuming from ${ckpt} at step 2`);
    expect(JSON.parse(readFileSync(join(ckpt, 'training-state.json'), 'utf8'))).toMatchObject({ step: 3 });
  }, 60_000);

  it('cad2d: an RL iteration trains the value and --ship writes a loadable model folder', async () => {
    const ckpt = join(dir, 'cad');
    const ship = join(dir, 'cad-model');
    const args = [
      'train',
      'cad2d',
      '--phase',
      'rl',
      '--no-rl-policy',
      '--iterations',
      '1',
      '--tasks-per-iteration',
      '2',
      '--rollouts',
      '2',
    ];
    expect(
      await runCli([
        ...args,
        '--batch',
        '16',
        '--max-shapes',
        '2',
        '--threads',
        '1',
        '--checkpoint',
        ckpt,
        '--ship',
        ship,
      ]),
    ).toBe(0);
    for (const f of ['config.json', 'pair-encoder.onnx', 'spec-encoder.onnx', 'head.onnx'])
      expect(existsSync(join(ship, f)), f).toBe(true);
    // Shipped weights are stored as float16 (checked for this model), the checkpoint's stay float32.
    expect(hasFloat16Weights(new Uint8Array(readFileSync(join(ship, 'head.onnx'))))).toBe(true);
    expect(hasFloat16Weights(new Uint8Array(readFileSync(join(ckpt, 'head.onnx'))))).toBe(false);
    const log = readFileSync(join(ckpt, 'train-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>);
    expect(log.at(-1)).toHaveProperty('rolloutSuccess');
  }, 120_000);
});
