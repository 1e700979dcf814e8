/**
 * Rasterizer: a pixel is filled when its centre lies inside the shape. Pixel (c, r) of a 64×64 raster
 * has its centre at ((c + ½)/2, (r + ½)/2) units. CAD.py sampled pixel corners instead; centres make a
 * w-unit-wide rectangle exactly 2w pixels wide, matching the SVG/OpenSCAD exports. Circle edges never
 * pass through a centre; rect45 edges can, and count as inside (like CAD.py's `<= 0` half-planes).
 */
import { CANVAS, isPrimitive, primitiveArgs, type Primitive, type Program } from './dsl.js';
import { SIZE, differenceRaster, emptyRaster, setPixel, unionRaster, type Raster } from './raster.js';

/** True when the point (px, py), in canvas units, is inside the primitive. */
export function insidePrimitive(p: Primitive, px: number, py: number): boolean {
  switch (p.op) {
    case 'circle': {
      const dx = px - p.x;
      const dy = py - p.y;
      return dx * dx + dy * dy <= (p.d * p.d) / 4;
    }
    case 'rect':
      return px >= p.x1 && px <= p.x2 && py >= p.y1 && py <= p.y2;
    case 'rect45': {
      // s runs along the down-right side (length b), t along the down-left side (length a), both ×2.
      const u = px - p.x;
      const v = py - p.y;
      const s = u + v;
      const t = v - u;
      return s >= 0 && s <= 2 * p.b && t >= 0 && t <= 2 * p.a;
    }
  }
}

/** Pixel bounding box [c0, c1] × [r0, r1] that contains every filled pixel of the primitive. */
function pixelBox(p: Primitive): [number, number, number, number] {
  let x0: number, x1: number, y0: number, y1: number;
  if (p.op === 'circle') [x0, x1, y0, y1] = [p.x - p.d / 2, p.x + p.d / 2, p.y - p.d / 2, p.y + p.d / 2];
  else if (p.op === 'rect') [x0, x1, y0, y1] = [p.x1, p.x2, p.y1, p.y2];
  else [x0, x1, y0, y1] = [p.x - p.a, p.x + p.b, p.y, p.y + p.a + p.b];
  const k = SIZE / CANVAS;
  const clamp = (v: number): number => Math.max(0, Math.min(SIZE - 1, v));
  return [
    clamp(Math.floor(x0 * k) - 1),
    clamp(Math.ceil(x1 * k)),
    clamp(Math.floor(y0 * k) - 1),
    clamp(Math.ceil(y1 * k)),
  ];
}

function rasterizePrimitive(p: Primitive): Raster {
  const out = emptyRaster();
  const [c0, c1, r0, r1] = pixelBox(p);
  const k = CANVAS / SIZE;
  for (let r = r0; r <= r1; r++) {
    const py = (r + 0.5) * k;
    for (let c = c0; c <= c1; c++) if (insidePrimitive(p, (c + 0.5) * k, py)) setPixel(out, c, r);
  }
  return out;
}

// Every primitive is rasterized once per process; there are about 20 thousand distinct ones (≈ 10 MB).
const cache = new Map<string, Raster>();

/** Cache key of a primitive: its printed call, e.g. "circle(10,12,8)". */
export function primitiveKey(p: Primitive): string {
  return `${p.op}(${primitiveArgs(p).join(',')})`;
}

/** The raster of a primitive (shared and cached: never mutate the result). */
export function renderPrimitive(p: Primitive): Raster {
  const key = primitiveKey(p);
  let r = cache.get(key);
  if (!r) {
    r = rasterizePrimitive(p);
    cache.set(key, r);
  }
  return r;
}

/** The 64×64 raster of a whole program (primitives from the cache, operators as word ops). */
export function renderProgram(p: Program): Raster {
  if (isPrimitive(p)) return renderPrimitive(p);
  const a = renderProgram(p.a);
  const b = renderProgram(p.b);
  return p.op === 'union' ? unionRaster(a, b) : differenceRaster(a, b);
}

/** True when the point (px, py), in canvas units, is inside the program's shape. */
export function insideProgram(p: Program, px: number, py: number): boolean {
  if (isPrimitive(p)) return insidePrimitive(p, px, py);
  const a = insideProgram(p.a, px, py);
  return p.op === 'union' ? a || insideProgram(p.b, px, py) : a && !insideProgram(p.b, px, py);
}

/** Renders at any resolution (one byte per pixel, row-major), e.g. for high-resolution pictures. */
export function renderAt(p: Program, size: number): Uint8Array {
  const out = new Uint8Array(size * size);
  const k = CANVAS / size;
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) out[r * size + c] = insideProgram(p, (c + 0.5) * k, (r + 0.5) * k) ? 1 : 0;
  return out;
}
