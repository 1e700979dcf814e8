/**
 * `train csgnet-2d` (checkpoints, resume, validation log, ship), the `csgnet` method in `eval csg2d`,
 * and `experiment paper-csg2d --quick` (results, plots, a report with every claim's verdict; no silent
 * overwrite; --resume keeps finished steps).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { hasFloat16Weights } from '../../src/nn/index.js';
import { captureIo } from '../fixtures/capture-io.js';

const dir = mkdtempSync(join(tmpdir(), 'replsynth-experiment-'));

describe('csgnet and replsynth experiment', () => {
  let io: ReturnType<typeof captureIo>;
  beforeEach(() => {
    io = captureIo();
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('train csgnet-2d: checkpoints with validation logged, resumes, ships float16; eval runs csgnet with it', async () => {
    const ckpt = join(dir, 'ckpt');
    const ship = join(dir, 'model');
    const args = [
      'train',
      'csgnet-2d',
      '--phase',
      'imitation',
      '--batch',
      '4',
      '--hidden',
      '8',
      '--encoding',
      '8',
      '--embed',
      '4',
      '--max-shapes',
      '3',
      '--threads',
      '1',
      // 16 validation scenes (the model's default is 256): the accuracy is still measured and logged.
      '--validation',
      '16',
      '--checkpoint',
      ckpt,
    ];
    expect(await runCli([...args, '--steps', '2'])).toBe(0);
    const log = readFileSync(join(ckpt, 'train-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>);
    expect(log.at(-1)).toMatchObject({ step: 2 });
    expect(log.at(-1)!.validationAccuracy).toBeGreaterThanOrEqual(0);
    expect(await runCli([...args, '--steps', '3', '--ship', ship])).toBe(0);
    expect(io.err()).toContain(`resuming from ${ckpt} at step 2`);
    expect(hasFloat16Weights(readFileSync(join(ship, 'step.onnx')))).toBe(true);
    const res = join(dir, 'eval.json');
    const evalArgs = [
      'eval',
      'csg2d',
      '--methods',
      'csgnet,csgnet+refine',
      '--model',
      ship,
      '--scenes',
      '1',
      '--max-shapes',
      '2',
      '--nodes',
      '30',
      '--timeout',
      '5',
      '--out',
      res,
    ];
    expect(await runCli(evalArgs)).toBe(0);
    const doc = JSON.parse(readFileSync(res, 'utf8')) as {
      scenes: { search: string; nodes: number; model: string }[];
    };
    expect(doc.scenes.map((r) => r.search)).toEqual(['csgnet', 'csgnet+refine']);
    for (const r of doc.scenes) expect(r.nodes).toBeLessThanOrEqual(30);
    expect(doc.scenes[0].model).toBe(ship);
    expect(
      await runCli([...evalArgs.slice(0, -2), '--out', join(dir, 'e2.json'), '--decode', 'sideways']),
    ).toBe(2);
  }, 300_000);

  it('experiment paper-csg2d --quick: results, plots and a report of the claims; no silent rerun; --resume', async () => {
    const o = join(dir, 'exp');
    expect(await runCli(['experiment', 'paper-csg2d', '--quick', '--out', o])).toBe(0);
    for (const f of ['csg2d.json', 'csg2d.svg', 'paper-csg2d.svg', 'experiment.json', 'report.md'])
      expect(existsSync(join(o, f)), f).toBe(true);
    const summary = JSON.parse(readFileSync(join(o, 'experiment.json'), 'utf8')) as {
      claims: { holds: unknown; evidence: string }[];
    };
    expect(summary.claims.length).toBeGreaterThanOrEqual(8);
    for (const c of summary.claims) expect([true, false, null]).toContain(c.holds);
    const report = readFileSync(join(o, 'report.md'), 'utf8');
    expect(report).toMatch(/\*\*\d+ of \d+ claims hold here\.\*\*/);
    expect(report).toContain('| csgnet+refine |');
    expect(io.err()).toMatch(/\[experiment csg2d\] 14\/14 results/);
    expect(await runCli(['experiment', 'paper-csg2d', '--quick', '--out', o])).toBe(2);
    expect(io.err()).toContain('holds a finished experiment');
    const before = readFileSync(join(o, 'csg2d.json'), 'utf8');
    expect(await runCli(['experiment', 'paper-csg2d', '--quick', '--out', o, '--resume'])).toBe(0);
    expect(readFileSync(join(o, 'csg2d.json'), 'utf8')).toBe(before);
    expect(await runCli(['experiment', 'no-such-paper'])).toBe(2);
    expect(io.err()).toContain("unknown experiment 'no-such-paper' (have: paper-csg2d, paper-csg3d");
  }, 300_000);
});
