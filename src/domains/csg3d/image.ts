/**
 * Pictures of volumes: an orthographic ray caster (one ray per pixel, stepped voxel by voxel) with
 * flat Lambert shading of the face each ray enters, from several viewpoints. The comparison picture
 * has the target, the reconstruction and their difference as columns and one viewpoint per row; in
 * the difference, voxels in both are grey, missing from the reconstruction red, extra in it blue.
 */
import { PNG } from 'pngjs';
import { N, getVoxel, type Voxels } from './voxels.js';

/** A viewpoint: azimuth around z from +x and elevation above the xy plane, in degrees. */
export interface View {
  readonly azimuth: number;
  readonly elevation: number;
}

/** Front-right from above, back-left from above, front-left from below: three novel views. */
export const DEFAULT_VIEWS: readonly View[] = [
  { azimuth: -60, elevation: 30 },
  { azimuth: 120, elevation: 30 },
  { azimuth: -130, elevation: -25 },
];

type Rgb = readonly [number, number, number];
/** Colour per voxel class (index 0 = empty). */
const SOLID: Rgb = [150, 175, 215];
const BOTH: Rgb = [165, 165, 165];
const MISSING: Rgb = [225, 55, 55];
const EXTRA: Rgb = [55, 95, 235];
const WHITE: Rgb = [255, 255, 255];
const GAP: Rgb = [200, 200, 200];

const norm = (v: number[]): number[] => {
  const l = Math.hypot(v[0], v[1], v[2]);
  return v.map((x) => x / l);
};
const cross = (a: number[], b: number[]): number[] => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

/**
 * Renders voxel classes (`classes[x + 32·y + 1024·z]`, 0 = empty) from one view into `size`² RGB values.
 */
export function renderView(
  classes: Uint8Array,
  palette: readonly Rgb[],
  view: View,
  size: number,
): Uint8Array {
  const az = (view.azimuth * Math.PI) / 180;
  const el = (view.elevation * Math.PI) / 180;
  const eye = [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)];
  const f = eye.map((v) => -v);
  const right = norm(cross(f, [0, 0, 1]));
  const up = cross(right, f);
  const light = norm([eye[0] + 0.4 * right[0], eye[1] + 0.4 * right[1], eye[2] + 0.9]);
  const half = (N * Math.sqrt(3)) / 2;
  const out = new Uint8Array(size * size * 3);
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      const u = ((px + 0.5) / size) * 2 - 1;
      const v = 1 - ((py + 0.5) / size) * 2;
      const o = [0, 1, 2].map((k) => N / 2 + eye[k] * 2 * N + (u * right[k] + v * up[k]) * half);
      const hit = castRay(classes, o, f);
      const c = hit ? shade(palette[hit.cls], hit.normal, light) : WHITE;
      out.set(c, 3 * (py * size + px));
    }
  return out;
}

function shade(base: Rgb, normal: number[], light: number[]): Rgb {
  const lambert = Math.max(0, normal[0] * light[0] + normal[1] * light[1] + normal[2] * light[2]);
  const k = 0.35 + 0.65 * lambert;
  return [Math.round(base[0] * k), Math.round(base[1] * k), Math.round(base[2] * k)];
}

/** The first non-empty voxel along the ray (Amanatides–Woo stepping) and the normal of the face entered. */
function castRay(classes: Uint8Array, o: number[], d: number[]): { cls: number; normal: number[] } | null {
  // Clip the ray to the volume's box.
  let t0 = -Infinity;
  let t1 = Infinity;
  let axis = -1;
  for (let k = 0; k < 3; k++) {
    if (d[k] === 0) {
      if (o[k] < 0 || o[k] > N) return null;
      continue;
    }
    const a = (0 - o[k]) / d[k];
    const b = (N - o[k]) / d[k];
    const near = Math.min(a, b);
    if (near > t0) [t0, axis] = [near, k];
    t1 = Math.min(t1, Math.max(a, b));
  }
  if (t0 > t1 || axis < 0) return null;
  const p = o.map((v, k) => v + d[k] * (t0 + 1e-9));
  const cell = p.map((v) => Math.min(N - 1, Math.max(0, Math.floor(v))));
  const step = d.map((v) => (v > 0 ? 1 : -1));
  const tMax = cell.map((c, k) => (d[k] === 0 ? Infinity : (c + (step[k] > 0 ? 1 : 0) - p[k]) / d[k]));
  const tDelta = d.map((v) => (v === 0 ? Infinity : Math.abs(1 / v)));
  for (;;) {
    const cls = classes[cell[0] + N * (cell[1] + N * cell[2])];
    if (cls !== 0) {
      const normal = [0, 0, 0];
      normal[axis] = -step[axis];
      return { cls, normal };
    }
    axis = tMax[0] < tMax[1] ? (tMax[0] < tMax[2] ? 0 : 2) : tMax[1] < tMax[2] ? 1 : 2;
    cell[axis] += step[axis];
    if (cell[axis] < 0 || cell[axis] >= N) return null;
    tMax[axis] += tDelta[axis];
  }
}

function classesOf(v: Voxels, cls = 1): Uint8Array {
  const out = new Uint8Array(N * N * N);
  for (let z = 0; z < N; z++)
    for (let y = 0; y < N; y++)
      for (let x = 0; x < N; x++) if (getVoxel(v, x, y, z)) out[x + N * (y + N * z)] = cls;
  return out;
}

function differenceClasses(target: Voxels, recon: Voxels): Uint8Array {
  const t = classesOf(target);
  const r = classesOf(recon);
  return t.map((a, i) => (a && r[i] ? 1 : a ? 2 : r[i] ? 3 : 0));
}

/** A grid of panels (rows × columns, each `size`² RGB) as PNG bytes, with grey gaps. */
function panelsToPng(panels: Uint8Array[][], size: number, gap: number): Uint8Array {
  const rows = panels.length;
  const cols = panels[0].length;
  const width = cols * size + (cols - 1) * gap;
  const height = rows * size + (rows - 1) * gap;
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const r = Math.floor(y / (size + gap));
      const c = Math.floor(x / (size + gap));
      const py = y - r * (size + gap);
      const px = x - c * (size + gap);
      const rgb: Rgb =
        py >= size || px >= size
          ? GAP
          : [
              panels[r][c][3 * (py * size + px)],
              panels[r][c][3 * (py * size + px) + 1],
              panels[r][c][3 * (py * size + px) + 2],
            ];
      const i = 4 * (y * width + x);
      png.data[i] = rgb[0];
      png.data[i + 1] = rgb[1];
      png.data[i + 2] = rgb[2];
      png.data[i + 3] = 255;
    }
  return new Uint8Array(PNG.sync.write(png));
}

/** One volume from several viewpoints, side by side. */
export function volumePng(v: Voxels, views: readonly View[] = DEFAULT_VIEWS, size = 160): Uint8Array {
  const classes = classesOf(v);
  return panelsToPng([views.map((view) => renderView(classes, [WHITE, SOLID], view, size))], size, 6);
}

/** Target | reconstruction | difference (columns), one row per viewpoint. */
export function comparisonPng(
  target: Voxels,
  recon: Voxels,
  views: readonly View[] = DEFAULT_VIEWS,
  size = 160,
): Uint8Array {
  const t = classesOf(target);
  const r = classesOf(recon);
  const d = differenceClasses(target, recon);
  const panels = views.map((view) => [
    renderView(t, [WHITE, SOLID], view, size),
    renderView(r, [WHITE, SOLID], view, size),
    renderView(d, [WHITE, BOTH, MISSING, EXTRA], view, size),
  ]);
  return panelsToPng(panels, size, 6);
}
