/**
 * STL meshes: reading ASCII and binary STL from bytes, writing binary STL, and voxelizing a closed
 * mesh at 32³. The voxelizer casts one ray along x through every row of voxel centres and fills the
 * centres that lie after an odd number of crossings (even–odd rule: a mesh's triangle orientation does
 * not matter). Rays that meet an edge or a vertex exactly are counted once, by the top-left rule of
 * rasterisers applied to the triangles projected on the (y, z) plane.
 *
 * The fit (`fitMesh`): the mesh's bounding box is centred at (14, 14, 14) — the centre of the grid's
 * range 0–28 — and scaled uniformly so that its longest side spans 28 voxels (7 grid cells); the axes
 * are kept (mesh x, y, z → voxel x, y, z; z up as in OpenSCAD).
 */
import { InputError } from '../../core/index.js';
import { N, WORDS, type Voxels } from './voxels.js';

/** Triangles as 9 numbers each: the three vertices' x, y, z. */
export type Triangles = Float64Array;

function parseAsciiStl(text: string, file: string): Triangles {
  const out: number[] = [];
  const lines = text.split('\n');
  let inLoop = 0;
  for (let i = 0; i < lines.length; i++) {
    const words = lines[i].trim().split(/\s+/);
    if (words[0] === 'outer') inLoop = 0;
    if (words[0] !== 'vertex') continue;
    const v = words.slice(1, 4).map(Number);
    if (words.length < 4 || !v.every(Number.isFinite))
      throw new InputError(file, i + 1, 'vertex', 'expected three numbers');
    out.push(...v);
    inLoop++;
    if (inLoop > 3) throw new InputError(file, i + 1, 'vertex', 'a facet has more than three vertices');
  }
  if (out.length % 9 !== 0)
    throw new InputError(file, lines.length, 'vertex', 'the last facet is incomplete');
  return Float64Array.from(out);
}

function parseBinaryStl(bytes: Uint8Array, file: string): Triangles {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(80, true);
  const out = new Float64Array(9 * n);
  for (let t = 0; t < n; t++)
    for (let k = 0; k < 9; k++) {
      const v = view.getFloat32(84 + 50 * t + 12 + 4 * k, true);
      if (!Number.isFinite(v)) throw new InputError(file, 0, `triangle ${t}`, 'a coordinate is not finite');
      out[9 * t + k] = v;
    }
  return out;
}

/** ASCII or binary STL (binary when the size matches its triangle count, else text starting `solid`). */
export function parseStl(bytes: Uint8Array, file: string): Triangles {
  if (bytes.length >= 84) {
    const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
    if (bytes.length === 84 + 50 * n) return parseBinaryStl(bytes, file);
  }
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 512)));
  if (!/^\s*solid/.test(head))
    throw new InputError(file, 0, null, 'not an STL file (neither binary nor ASCII)');
  const tris = parseAsciiStl(new TextDecoder().decode(bytes), file);
  if (tris.length === 0) throw new InputError(file, 1, null, 'the STL file has no facets');
  return tris;
}

/** Binary STL of triangles (normals from the vertex order, right-handed). */
export function writeBinaryStl(tris: Triangles, name = 'replsynth csg3d'): Uint8Array {
  const n = tris.length / 9;
  const out = new Uint8Array(84 + 50 * n);
  const view = new DataView(out.buffer);
  const label = new TextEncoder().encode(name.slice(0, 80));
  out.set(label);
  view.setUint32(80, n, true);
  for (let t = 0; t < n; t++) {
    const p = tris.subarray(9 * t, 9 * t + 9);
    const ux = p[3] - p[0];
    const uy = p[4] - p[1];
    const uz = p[5] - p[2];
    const vx = p[6] - p[0];
    const vy = p[7] - p[1];
    const vz = p[8] - p[2];
    let nx = uy * vz - uz * vy;
    let ny = uz * vx - ux * vz;
    let nz = ux * vy - uy * vx;
    const len = Math.hypot(nx, ny, nz) || 1;
    [nx, ny, nz] = [nx / len, ny / len, nz / len];
    const at = 84 + 50 * t;
    [nx, ny, nz, ...p].forEach((v, k) => view.setFloat32(at + 4 * k, v, true));
  }
  return out;
}

/** How a mesh was placed in the volume: voxel = (p − centre) · scale + 14. */
export interface MeshFit {
  readonly centre: readonly [number, number, number];
  readonly scale: number;
}

/** The stated fit (file header): centre the bounding box at 14, longest side 28 voxels. */
export function fitMesh(tris: Triangles): MeshFit {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < tris.length; i++) {
    lo[i % 3] = Math.min(lo[i % 3], tris[i]);
    hi[i % 3] = Math.max(hi[i % 3], tris[i]);
  }
  const extent = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  if (!(extent > 0)) throw new Error('the mesh has no extent');
  return {
    centre: [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2],
    scale: 28 / extent,
  };
}

export function applyFit(tris: Triangles, fit: MeshFit): Triangles {
  return tris.map((v, i) => (v - fit.centre[i % 3]) * fit.scale + 14);
}

/** Top-left rule for a CCW edge (dy, dz) in the (y, z) plane: which edges own the points on them. */
const ownsEdge = (dy: number, dz: number): boolean => dz < 0 || (dz === 0 && dy > 0);

/**
 * Voxels whose centres lie inside the closed mesh (coordinates in voxel units; no fit applied). Each
 * triangle adds its x-crossing to the rows whose (y, z) centre it covers.
 */
export function voxelizeTriangles(tris: Triangles): Voxels {
  const crossings: number[][] = Array.from({ length: WORDS }, () => []);
  for (let t = 0; t < tris.length; t += 9) {
    const [ax, ay, az] = tris.subarray(t, t + 3);
    let [bx, by, bz, cx, cy, cz] = tris.subarray(t + 3, t + 9);
    // Orient the projection counter-clockwise in (y, z); skip triangles seen edge-on.
    const area = (by - ay) * (cz - az) - (bz - az) * (cy - ay);
    if (area === 0) continue;
    if (area < 0) [bx, by, bz, cx, cy, cz] = [cx, cy, cz, bx, by, bz];
    const y0 = Math.max(0, Math.ceil(Math.min(ay, by, cy) - 0.5));
    const y1 = Math.min(N - 1, Math.floor(Math.max(ay, by, cy) - 0.5));
    const z0 = Math.max(0, Math.ceil(Math.min(az, bz, cz) - 0.5));
    const z1 = Math.min(N - 1, Math.floor(Math.max(az, bz, cz) - 0.5));
    const a2 = Math.abs(area);
    for (let z = z0; z <= z1; z++)
      for (let y = y0; y <= y1; y++) {
        const py = y + 0.5;
        const pz = z + 0.5;
        // Edge functions of a→b, b→c, c→a: twice the areas opposite c, a and b (barycentric weights).
        const wc = (by - ay) * (pz - az) - (bz - az) * (py - ay);
        if (wc < 0 || (wc === 0 && !ownsEdge(by - ay, bz - az))) continue;
        const wa = (cy - by) * (pz - bz) - (cz - bz) * (py - by);
        if (wa < 0 || (wa === 0 && !ownsEdge(cy - by, cz - bz))) continue;
        const wb = (ay - cy) * (pz - cz) - (az - cz) * (py - cy);
        if (wb < 0 || (wb === 0 && !ownsEdge(ay - cy, az - cz))) continue;
        crossings[z * N + y].push((wa * ax + wb * bx + wc * cx) / a2);
      }
  }
  const out = new Uint32Array(WORDS);
  for (let r = 0; r < WORDS; r++) {
    const xs = crossings[r];
    if (xs.length < 2) continue;
    xs.sort((p, q) => p - q);
    let word = 0;
    for (let x = 0, k = 0; x < N; x++) {
      while (k < xs.length && xs[k] < x + 0.5) k++;
      if (k % 2 === 1) word |= 1 << x;
    }
    out[r] = word >>> 0;
  }
  return out;
}

/** Parses an STL file and voxelizes it at 32³ with the stated fit; the warning says how it was placed. */
export function meshToVoxels(bytes: Uint8Array, file: string): { voxels: Voxels; warning: string } {
  const tris = parseStl(bytes, file);
  let fit: MeshFit;
  try {
    fit = fitMesh(tris);
  } catch {
    throw new InputError(file, 0, null, 'the mesh is empty or flat');
  }
  const voxels = voxelizeTriangles(applyFit(tris, fit));
  const c = fit.centre.map((v) => Number(v.toPrecision(6))).join(', ');
  return {
    voxels,
    warning:
      `${file}: ${tris.length / 9} triangles voxelized at 32³: bounding box centre (${c}) placed at ` +
      `(14, 14, 14), scaled by ${Number(fit.scale.toPrecision(6))} (longest side 28 voxels), axes kept`,
  };
}
