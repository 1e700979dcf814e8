/**
 * Bit-packed 64×64 binary rasters. Row r is words [2r, 2r+1]; bit i of word 2r+w is pixel x = 32w + i.
 * Union, difference, equality and IoU are 128 word operations plus popcounts, which keeps the REPL step
 * (combine two objects, score against the spec) in the microsecond range.
 */

export const SIZE = 64;
export const WORDS = (SIZE * SIZE) / 32;

/** A 64×64 binary image, packed 32 pixels per word (see the file header for the layout). */
export type Raster = Uint32Array;

export function emptyRaster(): Raster {
  return new Uint32Array(WORDS);
}

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Number of filled pixels. */
export function countOn(a: Raster): number {
  let n = 0;
  for (let i = 0; i < WORDS; i++) n += popcount32(a[i]);
  return n;
}

export function unionRaster(a: Raster, b: Raster): Raster {
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) out[i] = a[i] | b[i];
  return out;
}

export function differenceRaster(a: Raster, b: Raster): Raster {
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) out[i] = a[i] & ~b[i];
  return out;
}

export function intersectRaster(a: Raster, b: Raster): Raster {
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) out[i] = a[i] & b[i];
  return out;
}

export function rasterEquals(a: Raster, b: Raster): boolean {
  for (let i = 0; i < WORDS; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Intersection over union; two empty rasters count as identical (IoU 1). */
export function iou(a: Raster, b: Raster): number {
  let inter = 0;
  let uni = 0;
  for (let i = 0; i < WORDS; i++) {
    inter += popcount32(a[i] & b[i]);
    uni += popcount32(a[i] | b[i]);
  }
  return uni === 0 ? 1 : inter / uni;
}

/** Number of pixels where the rasters differ. */
export function hamming(a: Raster, b: Raster): number {
  let n = 0;
  for (let i = 0; i < WORDS; i++) n += popcount32(a[i] ^ b[i]);
  return n;
}

export function getPixel(a: Raster, x: number, y: number): boolean {
  return ((a[y * 2 + (x >>> 5)] >>> (x & 31)) & 1) === 1;
}

export function setPixel(a: Raster, x: number, y: number): void {
  a[y * 2 + (x >>> 5)] |= 1 << (x & 31);
}

/** Sets pixels x0..x1 (inclusive) of row y; clipped to the canvas. */
export function fillSpan(a: Raster, y: number, x0: number, x1: number): void {
  x0 = Math.max(0, x0);
  x1 = Math.min(SIZE - 1, x1);
  for (let x = x0; x <= x1; x++) a[y * 2 + (x >>> 5)] |= 1 << (x & 31);
}

/** An exact string key of a raster (16 bits per character), for observational-equivalence keys. */
export function rasterKey(a: Raster): string {
  // One fromCharCode call over a 16-bit view: ~10× faster than building the string piecewise.
  const halves = new Uint16Array(a.buffer, a.byteOffset, WORDS * 2);
  return String.fromCharCode.apply(null, halves as unknown as number[]);
}

/** Unpacks to one byte per pixel (row-major, 1 = filled). */
export function toPixels(a: Raster): Uint8Array {
  const out = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) out[y * SIZE + x] = (a[y * 2 + (x >>> 5)] >>> (x & 31)) & 1;
  return out;
}

/** Packs one value per pixel (row-major, non-zero = filled). */
export function fromPixels(pixels: ArrayLike<number>): Raster {
  if (pixels.length !== SIZE * SIZE)
    throw new RangeError(`expected ${SIZE * SIZE} pixels, got ${pixels.length}`);
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < SIZE * SIZE; i++) if (pixels[i]) out[i >>> 5] |= 1 << (i & 31);
  return out;
}

/**
 * Hex rows: 64 strings of 16 hex digits; each digit is 4 pixels left to right, most significant bit
 * leftmost, so the text shows the picture (e.g. "f0" = four filled pixels, then four empty).
 */
export function toHexRows(a: Raster): string[] {
  const rows: string[] = [];
  for (let y = 0; y < SIZE; y++) {
    let s = '';
    for (let k = 0; k < SIZE / 4; k++) {
      let d = 0;
      for (let j = 0; j < 4; j++) d = (d << 1) | (getPixel(a, 4 * k + j, y) ? 1 : 0);
      s += d.toString(16);
    }
    rows.push(s);
  }
  return rows;
}

/** Parses hex rows; returns an error message instead of throwing so callers can add context. */
export function fromHexRows(rows: readonly string[]): Raster | string {
  if (!Array.isArray(rows) || rows.length !== SIZE) return `expected ${SIZE} hex rows`;
  const out = new Uint32Array(WORDS);
  for (let y = 0; y < SIZE; y++) {
    const s = rows[y];
    if (typeof s !== 'string' || !/^[0-9a-fA-F]{16}$/.test(s)) return `row ${y} is not 16 hex digits`;
    for (let k = 0; k < SIZE / 4; k++) {
      const d = parseInt(s[k], 16);
      for (let j = 0; j < 4; j++) if ((d >> (3 - j)) & 1) setPixel(out, 4 * k + j, y);
    }
  }
  return out;
}
