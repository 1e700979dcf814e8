import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCsg2dDomain } from '../../src/domains/csg2d/index.js';
import { Csg2dLearner } from '../../src/models/csg2d/index.js';
import { captureIo } from '../fixtures/capture-io.js';
import { runCli } from '../../src/cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'replsynth-cad-'));
const image = 'examples/cad/scene-6.png';
const isPng = (p: string): boolean => readFileSync(p).subarray(1, 4).toString() === 'PNG';

describe('replsynth cad / eval cad2d', () => {
  let io: ReturnType<typeof captureIo>;
  beforeEach(() => (io = captureIo()));
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing image is a one-line error naming the file, exit code 2', async () => {
    expect(await runCli(['cad', '--image', join(dir, 'nope.png'), '--model', 'uniform'])).toBe(2);
    const lines = io.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('nope.png');
  });

  it('an unknown --out format is a usage error', async () => {
    expect(await runCli(['cad', '--image', image, '--out', join(dir, 'x.txt'), '--model', 'uniform'])).toBe(
      2,
    );
    expect(io.err()).toContain('.scad');
  });

  it('writes an SVG and a side-by-side PNG with the uniform policy, and never overwrites without --force', async () => {
    const out = join(dir, 'prog.svg');
    expect(
      await runCli(['cad', '--image', image, '--timeout', '0.5', '--out', out, '--model', 'uniform']),
    ).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(isPng(join(dir, 'prog.compare.png'))).toBe(true);
    expect(io.out()).toMatch(/# IoU \d\.\d{4}/);
    expect(io.out()).toMatch(/smc\+refine .*refinement: IoU \d\.\d{4} → \d\.\d{4}/);
    expect(
      await runCli(['cad', '--image', image, '--timeout', '0.5', '--out', out, '--model', 'uniform']),
    ).toBe(2);
    expect(io.err()).toContain('--force');
    expect(
      await runCli([
        'cad',
        '--image',
        image,
        '--timeout',
        '0.5',
        '--out',
        out,
        '--model',
        'uniform',
        '--force',
      ]),
    ).toBe(0);
  }, 30_000);

  it('writes OpenSCAD with an (untrained) saved model folder', async () => {
    const domain = createCsg2dDomain();
    const learner = await Csg2dLearner.create(
      domain,
      { filters: [4, 4], strides: [4, 4], hidden: 8, context: 8, attention: 4, valueHidden: 4 },
      { seed: 1, threads: 1 },
    );
    const modelDir = join(dir, 'model');
    await learner.save(modelDir, {});
    const out = join(dir, 'prog.scad');
    const compare = join(dir, 'cmp.png');
    expect(
      await runCli([
        'cad',
        '--image',
        image,
        '--timeout',
        '0.5',
        '--out',
        out,
        '--compare',
        compare,
        '--model',
        modelDir,
        '--threads',
        '1',
      ]),
    ).toBe(0);
    expect(readFileSync(out, 'utf8').length).toBeGreaterThan(10);
    expect(isPng(compare)).toBe(true);
    expect(io.out()).toContain(`${modelDir} policy`);
  }, 30_000);

  it('eval cad2d writes a summary JSON and a plot', async () => {
    const out = join(dir, 'results.json');
    const plot = join(dir, 'iou.svg');
    mkdirSync(join(dir, 'img'));
    const args = [
      'eval',
      'cad2d',
      '--scenes',
      '2',
      '--max-shapes',
      '3',
      '--timeout',
      '0.3',
      '--search',
      'smc,beam',
      '--model',
      'uniform',
      '--out',
      out,
      '--plot',
      plot,
      '--renders',
      join(dir, 'img'),
    ];
    expect(await runCli(args)).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      summary: Record<string, { meanIoU: number; scenes: number; largestProgramLines: number | null }>;
      scenes: unknown[];
    };
    expect(Object.keys(doc.summary)).toEqual(['smc', 'beam']);
    expect(doc.summary.smc.scenes).toBe(2);
    expect(doc.summary.smc.meanIoU).toBeGreaterThan(0);
    expect(doc.scenes).toHaveLength(4);
    expect(readFileSync(plot, 'utf8')).toContain('<svg');
    expect(existsSync(join(dir, 'img', 'scene-0-smc.png'))).toBe(true);
  }, 30_000);

  it('eval cad2d runs X+refine and refine alone within the budget, reporting the IoU before refinement', async () => {
    const out = join(dir, 'refine.json');
    const args = [
      'eval',
      'cad2d',
      '--scenes',
      '2',
      '--max-shapes',
      '4',
      '--timeout',
      '3',
      '--nodes',
      '300',
      '--search',
      'beam,beam+refine,refine',
      '--model',
      'uniform',
      '--out',
      out,
    ];
    expect(await runCli(args)).toBe(0);
    type Row = {
      search: string;
      iou: number;
      timeMs: number;
      nodes: number;
      trace: { iou: number }[];
      refine: { iouBefore: number; linesBefore: number | null } | null;
    };
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      summary: Record<string, { meanIoU: number }>;
      scenes: Row[];
    };
    expect(Object.keys(doc.summary)).toEqual(['beam', 'beam+refine', 'refine']);
    for (const r of doc.scenes) {
      // Within the 3 s budget (plus one refinement scan); the node budget bounds the search.
      expect(r.timeMs).toBeLessThan(4500);
      if (r.search === 'beam') expect(r.refine ?? null).toBeNull();
      else {
        expect(r.iou).toBeGreaterThanOrEqual(r.refine!.iouBefore);
        expect(r.trace.at(-1)!.iou).toBe(r.iou);
      }
      if (r.search === 'refine') expect(r.nodes).toBe(0);
    }
    expect(doc.summary['beam+refine'].meanIoU).toBeGreaterThan(0.5);
  }, 60_000);

  it('an unknown method or a refine share outside [0, 1] is a one-line usage error', async () => {
    expect(await runCli(['cad', '--image', image, '--search', 'smc+polish', '--model', 'uniform'])).toBe(2);
    expect(io.err()).toContain("unknown method 'smc+polish'");
    expect(await runCli(['cad', '--image', image, '--refine-share', '1.5', '--model', 'uniform'])).toBe(2);
    expect(io.err()).toContain('--refine-share');
    expect(io.err().trim().split('\n')).toHaveLength(2);
  });

  it('eval cad2d --images evaluates on a folder of PNGs (the bundled examples)', async () => {
    const out = join(dir, 'images.json');
    const args = [
      'eval',
      'cad2d',
      '--images',
      'examples/cad',
      '--timeout',
      '0.3',
      '--search',
      'beam',
      '--model',
      'uniform',
      '--out',
      out,
    ];
    expect(await runCli(args)).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      summary: Record<string, { scenes: number }>;
      scenes: { name: string; targetLines: number | null; iou: number }[];
    };
    expect(doc.summary.beam.scenes).toBe(2);
    expect(doc.scenes.map((s) => s.name)).toEqual(['scene-12.png', 'scene-6.png']);
    expect(doc.scenes.every((s) => s.targetLines === null && s.iou >= 0 && s.iou <= 1)).toBe(true);
  }, 30_000);

  it('eval cad2d --images with no PNGs is a one-line usage error', async () => {
    expect(await runCli(['eval', 'cad2d', '--images', dir + '/none', '--model', 'uniform'])).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toContain('--images');
  });
});

describe('cad is shared by the 2D and 3D problems', () => {
  it('the input flag picks the problem: --voxels goes to csg3d (its reader names the file), --image to csg2d', async () => {
    const io = captureIo();
    expect(await runCli(['cad', '--voxels', '/no/such/scene.json', '--model', 'uniform'])).toBe(2);
    expect(io.err()).toContain('/no/such/scene.json');
    expect(await runCli(['cad', '--timeout', '1'])).toBe(2);
    expect(io.err()).toMatch(/--image FILE \(csg2d\).*--voxels FILE \(csg3d\)/);
    vi.restoreAllMocks();
  });
});
