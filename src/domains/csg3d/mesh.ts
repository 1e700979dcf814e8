/**
 * A closed, consistently oriented triangle surface of a solid, by marching tetrahedra: the solid is
 * sampled on a lattice (padded with an empty layer so the surface closes), every lattice cube is cut
 * into the same six tetrahedra around its main diagonal (so neighbouring cubes cut their shared faces
 * alike), and each tetrahedron with inside and outside corners gets one triangle or a quad (two) through
 * the midpoints of its mixed edges. Each output edge lies in one tetrahedron face, shared by exactly two
 * tetrahedra, so every edge belongs to exactly two triangles; triangles face outwards. Unlike the cube
 * faces of voxels, this never makes edges shared by four faces.
 */
import { insideProgram, renderProgram } from './render.js';
import type { Program } from './dsl.js';
import { SIDE } from './dsl.js';
import type { Triangles } from './stl.js';

/** The six tetrahedra of a cube (corner bit 1 = +x, 2 = +y, 4 = +z), one per path 0 → 7. */
const TETS = [
  [0, 1, 3, 7],
  [0, 1, 5, 7],
  [0, 2, 3, 7],
  [0, 2, 6, 7],
  [0, 4, 5, 7],
  [0, 4, 6, 7],
];

/**
 * The surface of a lattice field: `inside[i + n·j + n²·k]` for lattice point (i, j, k), which sits at
 * `origin + spacing · (i, j, k)` in space. The field's border layer must be empty (outside).
 */
export function surfaceOfField(inside: Uint8Array, n: number, origin: number, spacing: number): Triangles {
  const out: number[] = [];
  const flag = new Uint8Array(8);
  // Corner c of the current cube: offset (c & 1, c >> 1 & 1, c >> 2 & 1) in lattice steps.
  const xyz = (c: number, axis: number): number => ((c >> axis) & 1) * spacing;
  const mid = (p: number, q: number, axis: number): number => (xyz(p, axis) + xyz(q, axis)) / 2;
  let bx = 0;
  let by = 0;
  let bz = 0;
  /** One triangle through the midpoints of corner pairs, turned to face from `ins` to `outs`. */
  const emit = (pairs: readonly number[], ins: readonly number[], outs: readonly number[]): void => {
    const v = [0, 1, 2].map((k) => [0, 1, 2].map((axis) => mid(pairs[2 * k], pairs[2 * k + 1], axis)));
    const u1 = [0, 1, 2].map((axis) => v[1][axis] - v[0][axis]);
    const u2 = [0, 1, 2].map((axis) => v[2][axis] - v[0][axis]);
    const nrm = [u1[1] * u2[2] - u1[2] * u2[1], u1[2] * u2[0] - u1[0] * u2[2], u1[0] * u2[1] - u1[1] * u2[0]];
    // Outwards = from the inside corners' centroid towards the outside corners'.
    let d = 0;
    for (let axis = 0; axis < 3; axis++) {
      const ci = ins.reduce((acc, c) => acc + xyz(c, axis), 0) / ins.length;
      const co = outs.reduce((acc, c) => acc + xyz(c, axis), 0) / outs.length;
      d += nrm[axis] * (co - ci);
    }
    for (const k of d >= 0 ? [0, 1, 2] : [0, 2, 1]) out.push(bx + v[k][0], by + v[k][1], bz + v[k][2]);
  };
  for (let k = 0; k + 1 < n; k++)
    for (let j = 0; j + 1 < n; j++)
      for (let i = 0; i + 1 < n; i++) {
        const base = i + n * (j + n * k);
        let count = 0;
        for (let c = 0; c < 8; c++) {
          flag[c] = inside[base + (c & 1) + (c & 2 ? n : 0) + (c & 4 ? n * n : 0)];
          count += flag[c];
        }
        if (count === 0 || count === 8) continue;
        bx = origin + spacing * i;
        by = origin + spacing * j;
        bz = origin + spacing * k;
        for (const tet of TETS) {
          const ins = tet.filter((c) => flag[c]);
          const outs = tet.filter((c) => !flag[c]);
          if (ins.length === 0 || outs.length === 0) continue;
          if (ins.length === 1 || outs.length === 1) {
            const [lone, others] = ins.length === 1 ? [ins[0], outs] : [outs[0], ins];
            emit([lone, others[0], lone, others[1], lone, others[2]], ins, outs);
          } else {
            const [a, b] = ins;
            const [c, d] = outs;
            // The quad a–c, a–d, b–d, b–c, as two triangles sharing the diagonal (a–c, b–d).
            emit([a, c, a, d, b, d], ins, outs);
            emit([a, c, b, d, b, c], ins, outs);
          }
        }
      }
  return Float64Array.from(out);
}

/**
 * The surface of a program's solid, sampled `perVoxel` times per voxel along each axis (at sub-voxel
 * centres); coordinates in voxel units. perVoxel 1 samples the voxel centres, so the surface separates
 * exactly the program's voxels.
 */
export function programSurface(p: Program, perVoxel = 2): Triangles {
  const m = SIDE * perVoxel;
  const n = m + 2;
  const field = new Uint8Array(n * n * n);
  const h = 1 / perVoxel;
  if (perVoxel === 1) {
    // The voxelizer's own test at the centres: read the rendered voxels.
    const v = renderProgram(p);
    for (let k = 0; k < m; k++)
      for (let j = 0; j < m; j++)
        for (let i = 0, w = v[k * SIDE + j]; w !== 0; i++, w >>>= 1)
          if (w & 1) field[i + 1 + n * (j + 1 + n * (k + 1))] = 1;
    return surfaceOfField(field, n, -0.5 * h, h);
  }
  for (let k = 0; k < m; k++)
    for (let j = 0; j < m; j++)
      for (let i = 0; i < m; i++)
        if (insideProgram(p, (i + 0.5) * h, (j + 0.5) * h, (k + 0.5) * h))
          field[i + 1 + n * (j + 1 + n * (k + 1))] = 1;
  return surfaceOfField(field, n, -0.5 * h, h);
}
