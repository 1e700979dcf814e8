import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { createCsg3dDomain } from './domain.js';
import { printProgram, type Program } from './dsl.js';
import { fromJson, toJson, toOpenScad, toStl } from './export.js';
import { programSurface } from './mesh.js';
import { renderProgram } from './render.js';
import { parseStl, voxelizeTriangles } from './stl.js';
import { iou } from './voxels.js';

const slab: Program = { op: 'cuboid', x1: 0, y1: 4, z1: 0, x2: 24, y2: 28, z2: 8 };
const barrel: Program = { op: 'cylinder', axis: 'x', x: 4, y: 16, z: 16, r: 8, l: 20 };
const pin: Program = { op: 'cylinder', axis: 'y', x: 12, y: 0, z: 4, r: 2, l: 20 };
const ball: Program = { op: 'sphere', x: 20, y: 16, z: 16, r: 4 };
const part: Program = {
  op: 'diff',
  a: { op: 'union', a: slab, b: barrel },
  b: { op: 'union', a: pin, b: ball },
};

/**
 * Directed edges by coordinates: a closed, consistently oriented surface has each once, reversed once.
 * Vertices lie on a quarter-voxel lattice in [−1, 33], so each gets an integer id.
 */
function edgeFaults(tris: Float64Array): number {
  const id = (i: number): number =>
    (Math.round(4 * tris[i] + 8) * 160 + Math.round(4 * tris[i + 1] + 8)) * 160 +
    Math.round(4 * tris[i + 2] + 8);
  const edges = new Map<number, number>();
  for (let t = 0; t < tris.length; t += 9)
    for (let k = 0; k < 3; k++) {
      const e = id(t + 3 * k) * 2 ** 23 + id(t + 3 * ((k + 1) % 3));
      edges.set(e, (edges.get(e) ?? 0) + 1);
    }
  let faults = 0;
  for (const [e, c] of edges) {
    const rev = (e % 2 ** 23) * 2 ** 23 + Math.floor(e / 2 ** 23);
    if (c !== 1 || edges.get(rev) !== 1) faults++;
  }
  return faults;
}

const hasOpenScad = ((): boolean => {
  try {
    execFileSync('openscad', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('csg3d exports', () => {
  it('STL: closed, every edge in exactly two triangles, outwards, and it voxelizes back to the program', () => {
    const domain = createCsg3dDomain();
    const rng = new Rng(7);
    for (const p of [
      part,
      ...[0].map(() => {
        const t = domain.sampleTask(rng, { maxSize: 8 });
        const r = replay(domain, t.spec, t.trace);
        return r.ok ? domain.program(r.state)! : part;
      }),
    ]) {
      const tris = programSurface(p, 1);
      expect(tris.length).toBeGreaterThan(0);
      expect(edgeFaults(tris)).toBe(0);
      expect(iou(voxelizeTriangles(tris), renderProgram(p))).toBe(1);
    }
    const fine = programSurface(barrel, 2);
    expect(edgeFaults(fine)).toBe(0);
    expect(iou(voxelizeTriangles(fine), renderProgram(barrel))).toBeGreaterThan(0.95);
    const stl = toStl(part);
    expect(iou(voxelizeTriangles(parseStl(stl, 'part.stl')), renderProgram(part))).toBe(1);
  });

  it('OpenSCAD source uses cube, sphere and rotated cylinders in voxel units', () => {
    const scad = toOpenScad(part);
    expect(scad).toContain('difference() {');
    expect(scad).toContain('translate([0, 4, 0]) cube([24, 24, 8]);');
    expect(scad).toContain('translate([4, 16, 16]) rotate([0, 90, 0]) cylinder(h = 20, r = 8, $fn = 64);');
    expect(scad).toContain('translate([12, 0, 4]) rotate([-90, 0, 0]) cylinder(h = 20, r = 2, $fn = 64);');
    expect(scad).toContain('translate([20, 16, 16]) sphere(r = 4, $fn = 64);');
  });

  it('JSON round-trips through the source text', () => {
    const j = JSON.parse(JSON.stringify(toJson(part))) as unknown;
    expect(printProgram(fromJson(j))).toBe(printProgram(part));
    expect(() => fromJson({ format: 'other' })).toThrow(/replsynth-csg3d/);
  });

  // Debian's openscad renders with CGAL (seconds for overlapping curved parts, so the parts here are
  // small: each primitive kind, each operator); skipped where it is not installed.
  it.skipIf(!hasOpenScad)(
    'OpenSCAD renders the exported .scad to a solid whose voxelization matches ours (IoU ≥ 0.99)',
    () => {
      const parts: Program[] = [
        { op: 'union', a: slab, b: barrel },
        { op: 'diff', a: { op: 'cylinder', axis: 'z', x: 16, y: 16, z: 4, r: 12, l: 20 }, b: slab },
        { op: 'diff', a: slab, b: pin },
        ball,
      ];
      const dir = mkdtempSync(join(tmpdir(), 'csg3d-scad-'));
      try {
        for (const [i, p] of parts.entries()) {
          const [scad, stl] = [join(dir, `part${i}.scad`), join(dir, `part${i}.stl`)];
          writeFileSync(scad, toOpenScad(p));
          execFileSync('openscad', ['-o', stl, scad], { stdio: 'ignore' });
          const tris = parseStl(new Uint8Array(readFileSync(stl)), stl);
          expect(iou(voxelizeTriangles(tris), renderProgram(p))).toBeGreaterThanOrEqual(0.99);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
