import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ItemResult } from '../../src/core/index.js';

type CadSceneResult = ItemResult & { scene: number };
import { captureIo } from '../fixtures/capture-io.js';
import { runCli } from '../../src/cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'replsynth-resume-'));

const evalArgs = (out: string, scenes = 3) => [
  'eval',
  'cad2d',
  '--scenes',
  String(scenes),
  '--max-shapes',
  '3',
  '--timeout',
  '0.2',
  '--search',
  'beam',
  '--model',
  'uniform',
  '--out',
  out,
];
const scenesOf = (out: string) =>
  (JSON.parse(readFileSync(out, 'utf8')) as { scenes: CadSceneResult[] }).scenes;

describe('eval cad2d: stop and resume', () => {
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--resume without a stopped evaluation is a one-line usage error', async () => {
    const io = captureIo();
    expect(await runCli([...evalArgs(join(dir, 'none.json')), '--resume'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toContain('none.json.partial.json does not exist');
  });

  it('Ctrl-C keeps the finished scenes in OUT.partial.json; --resume runs only the rest', async () => {
    const out = join(dir, 'r.json');
    let pressed = false;
    const io = captureIo((s) => {
      if (!pressed && /^\[\d+\/\d+\] #0 /.test(s)) {
        pressed = true;
        process.emit('SIGINT');
      }
    });
    expect(await runCli(evalArgs(out))).toBe(130);
    expect(io.err()).toMatch(
      /interrupted; 1 finished results kept in .*r\.json\.partial\.json \(rerun with --resume/,
    );
    expect(existsSync(out)).toBe(false);
    const partial = JSON.parse(readFileSync(`${out}.partial.json`, 'utf8')) as { results: CadSceneResult[] };
    expect(partial.results.map((r) => r.scene)).toEqual([0]);
    // Mark the kept result, so the resumed run can be seen to keep it rather than redo it.
    partial.results[0] = { ...partial.results[0], nodes: 424242 };
    writeFileSync(`${out}.partial.json`, JSON.stringify(partial));
    vi.restoreAllMocks();
    const io2 = captureIo();
    expect(await runCli([...evalArgs(out), '--resume'])).toBe(0);
    expect(io2.err()).not.toMatch(/\] #0 /);
    const scenes = scenesOf(out);
    expect(scenes.map((r) => r.scene)).toEqual([0, 1, 2]);
    expect(scenes[0].nodes).toBe(424242);
    expect(existsSync(`${out}.partial.json`)).toBe(false);
  }, 30_000);

  it('a malformed partial file is a one-line error naming it and its field', async () => {
    const out = join(dir, 'bad.json');
    writeFileSync(`${out}.partial.json`, JSON.stringify({ partial: true, results: 'nope' }));
    const io = captureIo();
    expect(await runCli([...evalArgs(out), '--resume'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toContain("bad.json.partial.json: field 'results' must be an array");
  });
});
