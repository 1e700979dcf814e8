/**
 * scripts/carry-run.mjs: a run packed for the repository keeps what resuming needs, leaves out what is
 * made again, and unpacks to the same paths without overwriting anything.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = resolve('scripts/carry-run.mjs');
const dir = mkdtempSync(join(tmpdir(), 'carry-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const put = (f: string, text: string): void => {
  mkdirSync(dirname(join(dir, f)), { recursive: true });
  writeFileSync(join(dir, f), text);
};
const carry = (...args: string[]) => spawnSync('node', [script, ...args], { cwd: dir, encoding: 'utf8' });

describe('carry-run', () => {
  it('packs every checkpoint resumable (without its inference graphs) and snapshots whole, and unpacks without overwriting', () => {
    const ck = 'checkpoints/run';
    for (const [name, step] of [
      ['a', 10],
      ['b', 4],
    ] as const) {
      put(`${ck}/${name}/training-state.json`, JSON.stringify({ step }));
      for (const f of ['training-state.bin', 'model.onnx', 'encode.onnx', 'config.json', 'train-log.jsonl'])
        put(`${ck}/${name}/${f}`, `${name} ${f}`);
    }
    // a is finished (its last snapshot exists; a retraining round may start from a), b is between
    // snapshots, with one at its own step (an intermediate snapshot holds no training state).
    put(`${ck}/snapshots/a/step-10/encode.onnx`, 'a snap encode');
    put(`${ck}/snapshots/a/step-10/training-state.json`, '{"step":10}');
    put(`${ck}/snapshots/b/step-2/step.onnx`, 'b snap step');
    put(`${ck}/snapshots/b/step-4/step.onnx`, 'b snap step 4');
    put(`${ck}/snapshots/b/step-6.partial/step.onnx`, 'torn');
    // A pack interrupted earlier left its work folder.
    put('runs/run.packing/carry.json', '{}');
    put('experiments/run/results/a-step-10.json', '{}');

    const p = carry('pack', 'runs/run', ck, 'experiments/run');
    expect(p.status, p.stderr).toBe(0);
    const f = (x: string): string => join(dir, 'runs/run/files', x);
    for (const kept of [
      `${ck}/a/training-state.json`,
      `${ck}/a/training-state.bin`,
      `${ck}/a/model.onnx`,
      `${ck}/a/config.json`,
      `${ck}/a/train-log.jsonl`,
      `${ck}/b/training-state.json`,
      `${ck}/b/training-state.bin`,
      `${ck}/b/model.onnx`,
      `${ck}/b/config.json`,
      `${ck}/snapshots/a/step-10/encode.onnx`,
      `${ck}/snapshots/a/step-10/training-state.json`,
      `${ck}/snapshots/b/step-2/step.onnx`,
      `${ck}/snapshots/b/step-4/step.onnx`,
      'experiments/run/results/a-step-10.json',
    ])
      expect(existsSync(f(kept)), kept).toBe(true);
    for (const left of [`${ck}/a/encode.onnx`, `${ck}/b/encode.onnx`, `${ck}/snapshots/b/step-6.partial`])
      expect(existsSync(f(left)), left).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'runs/run/carry.json'), 'utf8'))).toMatchObject({
      folders: [ck, 'experiments/run'],
      left: { unfinished: [`${ck}/snapshots/b/step-6.partial`] },
    });
    expect(existsSync(join(dir, 'runs/run.packing'))).toBe(false);

    // A new machine: only the packed run is there, and one newer file.
    rmSync(join(dir, 'checkpoints'), { recursive: true });
    rmSync(join(dir, 'experiments'), { recursive: true });
    put(`${ck}/b/config.json`, 'newer');
    const u = carry('unpack', 'runs/run');
    expect(u.status, u.stderr).toBe(0);
    expect(u.stdout).toContain('1 were there already');
    expect(readFileSync(join(dir, ck, 'b/config.json'), 'utf8')).toBe('newer');
    expect(readFileSync(join(dir, ck, 'b/training-state.bin'), 'utf8')).toBe('b training-state.bin');
    expect(readFileSync(join(dir, ck, 'snapshots/a/step-10/encode.onnx'), 'utf8')).toBe('a snap encode');

    const bad = carry('unpack', 'nowhere');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^carry-run: unpack: nowhere\/carry.json: no such file/);
  });
});
