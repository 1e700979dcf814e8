/**
 * The voxelizer: voxel (x, y, z) is filled when its centre (x + ½, y + ½, z + ½) lies inside the shape
 * (closed). Grid coordinates are multiples of 4 and radii integers, so no voxel centre lies exactly on
 * a sphere or cylinder surface and a cuboid [x1, x2] fills exactly voxels x1 … x2 − 1: the OpenSCAD
 * and STL exports describe the same solid. Each row of a primitive is one span of x, one word.
 */
import { isPrimitive, type Primitive, type Program } from './dsl.js';
import { N, WORDS, differenceVoxels, spanMask, unionVoxels, type Voxels } from './voxels.js';

/** True when the point (px, py, pz), in voxel units, is inside the primitive. */
export function insidePrimitive(p: Primitive, px: number, py: number, pz: number): boolean {
  switch (p.op) {
    case 'cuboid':
      return px >= p.x1 && px <= p.x2 && py >= p.y1 && py <= p.y2 && pz >= p.z1 && pz <= p.z2;
    case 'sphere': {
      const dx = px - p.x;
      const dy = py - p.y;
      const dz = pz - p.z;
      return dx * dx + dy * dy + dz * dz <= p.r * p.r;
    }
    case 'cylinder': {
      const r2 = p.r * p.r;
      const dx = px - p.x;
      const dy = py - p.y;
      const dz = pz - p.z;
      if (p.axis === 'x') return dx >= 0 && dx <= p.l && dy * dy + dz * dz <= r2;
      if (p.axis === 'y') return dy >= 0 && dy <= p.l && dx * dx + dz * dz <= r2;
      return dz >= 0 && dz <= p.l && dx * dx + dy * dy <= r2;
    }
  }
}

/** The x-span [x0, x1] of voxels whose centres lie inside a disc row: |x + ½ − c|² ≤ rem. */
function discSpan(c: number, rem: number): number {
  if (rem < 0) return 0;
  const s = Math.sqrt(rem);
  let x0 = Math.max(0, Math.ceil(c - 0.5 - s));
  let x1 = Math.min(N - 1, Math.floor(c - 0.5 + s));
  // The square root may round either way; the comparisons on quarter-integers below are exact.
  const inside = (x: number): boolean => (x + 0.5 - c) * (x + 0.5 - c) <= rem;
  while (x0 > 0 && inside(x0 - 1)) x0--;
  while (x0 <= x1 && !inside(x0)) x0++;
  while (x1 < N - 1 && inside(x1 + 1)) x1++;
  while (x1 >= x0 && !inside(x1)) x1--;
  return spanMask(x0, x1);
}

/** The row word (y, z) of a primitive. */
export function primitiveRow(p: Primitive, y: number, z: number): number {
  const yc = y + 0.5;
  const zc = z + 0.5;
  switch (p.op) {
    case 'cuboid':
      return yc >= p.y1 && yc <= p.y2 && zc >= p.z1 && zc <= p.z2 ? spanMask(p.x1, p.x2 - 1) : 0;
    case 'sphere':
      return discSpan(p.x, p.r * p.r - (yc - p.y) ** 2 - (zc - p.z) ** 2);
    case 'cylinder': {
      const r2 = p.r * p.r;
      if (p.axis === 'x') return (yc - p.y) ** 2 + (zc - p.z) ** 2 <= r2 ? spanMask(p.x, p.x + p.l - 1) : 0;
      if (p.axis === 'y') return yc >= p.y && yc <= p.y + p.l ? discSpan(p.x, r2 - (zc - p.z) ** 2) : 0;
      return zc >= p.z && zc <= p.z + p.l ? discSpan(p.x, r2 - (yc - p.y) ** 2) : 0;
    }
  }
}

/** Rows [y0, y1] × [z0, z1] that can hold voxels of the primitive. */
export function primitiveBox(p: Primitive): [number, number, number, number] {
  const clamp = (v: number): number => Math.max(0, Math.min(N - 1, v));
  let y0: number, y1: number, z0: number, z1: number;
  if (p.op === 'cuboid') [y0, y1, z0, z1] = [p.y1, p.y2, p.z1, p.z2];
  else if (p.op === 'sphere') [y0, y1, z0, z1] = [p.y - p.r, p.y + p.r, p.z - p.r, p.z + p.r];
  else {
    const ly = p.axis === 'y' ? p.l : p.r;
    const lz = p.axis === 'z' ? p.l : p.r;
    [y0, y1, z0, z1] = [
      p.axis === 'y' ? p.y : p.y - p.r,
      p.y + ly,
      p.axis === 'z' ? p.z : p.z - p.r,
      p.z + lz,
    ];
  }
  return [clamp(y0 - 1), clamp(y1), clamp(z0 - 1), clamp(z1)];
}

export function voxelizePrimitive(p: Primitive): Voxels {
  const out = new Uint32Array(WORDS);
  const [y0, y1, z0, z1] = primitiveBox(p);
  for (let z = z0; z <= z1; z++) for (let y = y0; y <= y1; y++) out[z * N + y] = primitiveRow(p, y, z);
  return out;
}

/** Cache key of a primitive: its printed call without spaces, e.g. "sphere(16,16,16,8)". */
export function primitiveKey(p: Primitive): string {
  switch (p.op) {
    case 'cuboid':
      return `cuboid(${p.x1},${p.y1},${p.z1},${p.x2},${p.y2},${p.z2})`;
    case 'sphere':
      return `sphere(${p.x},${p.y},${p.z},${p.r})`;
    case 'cylinder':
      return `cylinder(${p.axis},${p.x},${p.y},${p.z},${p.r},${p.l})`;
  }
}

// 34k distinct primitives at 4 KB each would be 140 MB: keep the most recent ones (searches reuse few).
const CACHE_LIMIT = 8192;
let cache = new Map<string, Voxels>();
let older = new Map<string, Voxels>();

/** The voxels of a primitive (shared and cached: never mutate the result). */
export function renderPrimitive(p: Primitive): Voxels {
  const key = primitiveKey(p);
  let v = cache.get(key);
  if (v) return v;
  v = older.get(key) ?? voxelizePrimitive(p);
  // Two generations: a full cache becomes the older one, so hot entries survive one turnover.
  if (cache.size >= CACHE_LIMIT) {
    older = cache;
    cache = new Map();
  }
  cache.set(key, v);
  return v;
}

/** The voxels of a whole program (primitives from the cache, operators as word operations). */
export function renderProgram(p: Program): Voxels {
  if (isPrimitive(p)) return renderPrimitive(p);
  const a = renderProgram(p.a);
  const b = renderProgram(p.b);
  return p.op === 'union' ? unionVoxels(a, b) : differenceVoxels(a, b);
}

/** True when the point, in voxel units, is inside the program's solid. */
export function insideProgram(p: Program, px: number, py: number, pz: number): boolean {
  if (isPrimitive(p)) return insidePrimitive(p, px, py, pz);
  const a = insideProgram(p.a, px, py, pz);
  if (p.op === 'union') return a || insideProgram(p.b, px, py, pz);
  return a && !insideProgram(p.b, px, py, pz);
}
