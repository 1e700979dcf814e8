import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { csg3dProblem } from './problem.js';
import { renderProgram } from './render.js';
import { voxelsFromSpec } from './spec.js';
import { fitMesh, meshToVoxels, parseStl, voxelizeTriangles, writeBinaryStl } from './stl.js';
import { parseVoxelFile, toBinaryVoxels, toBinvox } from './voxel-io.js';
import { countOn, iou, toBytes, toRuns, type Voxels } from './voxels.js';
import type { Program } from './dsl.js';

const part: Program = {
  op: 'union',
  a: { op: 'cuboid', x1: 0, y1: 4, z1: 0, x2: 20, y2: 28, z2: 8 },
  b: { op: 'sphere', x: 20, y: 12, z: 16, r: 8 },
};
const v = renderProgram(part);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
}

/** A box [lo, hi]³ as 12 triangles (outward), optionally in ASCII STL. */
function boxTriangles(lo: number[], hi: number[]): Float64Array {
  const c = (i: number): number[] => [i & 1 ? hi[0] : lo[0], i & 2 ? hi[1] : lo[1], i & 4 ? hi[2] : lo[2]];
  const quads = [
    [0, 2, 3, 1],
    [4, 5, 7, 6],
    [0, 1, 5, 4],
    [2, 6, 7, 3],
    [0, 4, 6, 2],
    [1, 3, 7, 5],
  ];
  return Float64Array.from(quads.flatMap(([a, b, cc, d]) => [a, b, cc, a, cc, d].flatMap(c)));
}

function asciiStl(tris: Float64Array): string {
  const lines = ['solid box'];
  for (let t = 0; t < tris.length; t += 9) {
    lines.push('  facet normal 0 0 0', '    outer loop');
    for (let k = 0; k < 3; k++)
      lines.push(`      vertex ${tris[t + 3 * k]} ${tris[t + 3 * k + 1]} ${tris[t + 3 * k + 2]}`);
    lines.push('    endloop', '  endfacet');
  }
  return lines.join('\n') + '\nendsolid box\n';
}

describe('csg3d voxel files', () => {
  it('reads the JSON forms, the binary form and binvox back to the same voxels', () => {
    const bytes = Array.from(toBytes(v));
    const filled: number[][] = [];
    bytes.forEach((b, i) => b && filled.push([i % 32, Math.floor(i / 32) % 32, Math.floor(i / 1024)]));
    const forms = [
      enc(JSON.stringify({ format: 'replsynth-voxels', size: 32, runs: toRuns(v) })),
      enc(JSON.stringify({ size: 32, voxels: bytes })),
      enc(JSON.stringify({ size: 32, filled })),
      toBinaryVoxels(v),
      toBinvox(v),
    ];
    for (const f of forms) expect(parseVoxelFile(f, 'x')).toEqual({ voxels: v, warnings: [] });
  });

  it('resamples other sizes by volume averaging, with a warning', () => {
    const n = 16;
    const filled: number[][] = [];
    for (let z = 0; z < 8; z++)
      for (let y = 0; y < n; y++) for (let x = 0; x < 4; x++) filled.push([x, y, z]);
    const r = parseVoxelFile(enc(JSON.stringify({ size: n, filled })), 'half.json');
    expect(r.warnings).toEqual(['resampled 16³ to 32³ by volume averaging']);
    expect(countOn(r.voxels)).toBe(8 * 32 * 16);
  });

  it('names the file, line and field of the first error', () => {
    expect(inputError(() => parseVoxelFile(enc('{"size": 32}'), 'a.json')).message).toContain(
      "needs one of 'runs'",
    );
    expect(inputError(() => parseVoxelFile(enc('{"size": 3, "voxels": [1]}'), 'a.json')).field).toBe(
      'voxels',
    );
    expect(
      inputError(() => parseVoxelFile(enc('{"size": 4, "filled": [[0, 0, 9]]}'), 'a.json')).message,
    ).toContain('entry 0');
    expect(inputError(() => parseVoxelFile(enc('{"format": "x"}'), 'a.json')).field).toBe('format');
    const bv = toBinvox(v);
    expect(inputError(() => parseVoxelFile(bv.subarray(0, bv.length - 2), 'a.binvox')).field).toBe('data');
    expect(
      inputError(() => parseVoxelFile(enc('#binvox 1\ndim 8 8 4\ndata\n'), 'b.binvox')).message,
    ).toContain('cubic');
    expect(inputError(() => parseVoxelFile(enc('hello'), 'c.txt')).file).toBe('c.txt');
  });

  it('the problem reads voxel files and meshes from bytes', () => {
    const [voxels, meshes] = csg3dProblem.io.inputs;
    const got = voxels.parse(toBinvox(v), 'dir/part.binvox');
    expect(got.specs[0].name).toBe('part.binvox');
    expect(voxelsFromSpec(got.specs[0].spec)).toEqual(v);
    const stl = writeBinaryStl(boxTriangles([0, 0, 0], [10, 5, 5]));
    const m = meshes.parse(stl, 'box.stl');
    expect(m.warnings?.[0]).toContain('longest side 28 voxels');
    expect(countOn(voxelsFromSpec(m.specs[0].spec))).toBe(28 * 14 * 14);
    expect(voxels.parse(stl, 'box.stl').specs).toHaveLength(1);
    const empty = enc(JSON.stringify({ size: 4, filled: [] }));
    expect(inputError(() => voxels.parse(empty, 'e.json')).message).toContain('nothing to reconstruct');
    const open = writeBinaryStl(boxTriangles([0, 0, 0], [10, 5, 5]).subarray(0, 9 * 10));
    expect(inputError(() => meshes.parse(open, 'open.stl')).message).toContain('is it closed?');
  });
});

describe('csg3d meshes', () => {
  it('parses ASCII and binary STL alike and voxelizes a box exactly', () => {
    const tris = boxTriangles([4, 8, 0], [20, 12, 16]);
    const a = parseStl(enc(asciiStl(tris)), 'box.stl');
    const b = parseStl(writeBinaryStl(tris), 'box.stl');
    expect(Array.from(a)).toEqual(Array.from(tris));
    expect(Array.from(b)).toEqual(Array.from(tris));
    const vox = voxelizeTriangles(a);
    expect(iou(vox, renderProgram({ op: 'cuboid', x1: 4, y1: 8, z1: 0, x2: 20, y2: 12, z2: 16 }))).toBe(1);
  });

  it('counts rays through shared edges and vertices once (faces on voxel-centre lines)', () => {
    // Faces at half-integers: every ray along x passes through the triangles' shared diagonals.
    const tris = boxTriangles([2.5, 2.5, 2.5], [9.5, 9.5, 9.5]);
    const vox: Voxels = voxelizeTriangles(tris);
    expect(countOn(vox)).toBeGreaterThanOrEqual(6 * 6 * 6);
    expect(countOn(vox)).toBeLessThanOrEqual(8 * 8 * 8);
    const inverted = tris.slice();
    for (let t = 0; t < inverted.length; t += 9)
      inverted.copyWithin(t + 3, t + 6, t + 9).set(tris.subarray(t + 3, t + 6), t + 6);
    expect(voxelizeTriangles(inverted)).toEqual(vox);
  });

  it('states its fit: centre at 14, longest side 28 voxels, axes kept', () => {
    const fit = fitMesh(boxTriangles([-5, 0, 100], [5, 2, 101]));
    expect(fit.centre).toEqual([0, 1, 100.5]);
    expect(fit.scale).toBeCloseTo(2.8, 12);
    expect(inputError(() => meshToVoxels(enc('solid x\nendsolid x\n'), 'e.stl')).message).toContain(
      'no facets',
    );
    expect(
      inputError(() => meshToVoxels(enc('solid x\nfacet\nouter loop\nvertex 1 2\n'), 'e.stl')).line,
    ).toBe(4);
  });
});
