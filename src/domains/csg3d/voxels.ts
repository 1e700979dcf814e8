/**
 * Bit-packed 32³ voxel grids. Word w = 32·z + y holds the row (y, z): bit x is voxel (x, y, z). Union,
 * difference, equality and IoU are 1,024 word operations plus popcounts, so a REPL step (combine two
 * objects and score the result against the spec) stays in the microsecond range.
 */

export const N = 32;
export const WORDS = N * N;
export const VOXELS = N * N * N;

/** A 32³ binary volume, one 32-bit word per row (see the file header for the layout). */
export type Voxels = Uint32Array;

export function emptyVoxels(): Voxels {
  return new Uint32Array(WORDS);
}

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Number of filled voxels. */
export function countOn(a: Voxels): number {
  let n = 0;
  for (let i = 0; i < WORDS; i++) if (a[i] !== 0) n += popcount32(a[i]);
  return n;
}

export function unionVoxels(a: Voxels, b: Voxels): Voxels {
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) out[i] = a[i] | b[i];
  return out;
}

export function differenceVoxels(a: Voxels, b: Voxels): Voxels {
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) out[i] = a[i] & ~b[i];
  return out;
}

export function intersectVoxels(a: Voxels, b: Voxels): Voxels {
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) out[i] = a[i] & b[i];
  return out;
}

export function voxelsEqual(a: Voxels, b: Voxels): boolean {
  for (let i = 0; i < WORDS; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Intersection over union; two empty volumes count as identical (IoU 1). */
export function iou(a: Voxels, b: Voxels): number {
  let inter = 0;
  let uni = 0;
  for (let i = 0; i < WORDS; i++) {
    const o = a[i] | b[i];
    if (o === 0) continue;
    inter += popcount32(a[i] & b[i]);
    uni += popcount32(o);
  }
  return uni === 0 ? 1 : inter / uni;
}

/** Number of voxels where the volumes differ. */
export function hamming(a: Voxels, b: Voxels): number {
  let n = 0;
  for (let i = 0; i < WORDS; i++) n += popcount32(a[i] ^ b[i]);
  return n;
}

export function getVoxel(a: Voxels, x: number, y: number, z: number): boolean {
  return ((a[z * N + y] >>> x) & 1) === 1;
}

export function setVoxel(a: Voxels, x: number, y: number, z: number): void {
  a[z * N + y] |= 1 << x;
}

/** Bits x0..x1 (inclusive, clipped to 0..31) of a row word; 0 when the span is empty. */
export function spanMask(x0: number, x1: number): number {
  x0 = Math.max(0, x0);
  x1 = Math.min(N - 1, x1);
  if (x1 < x0) return 0;
  const hi = x1 === 31 ? 0xffffffff : (1 << (x1 + 1)) - 1;
  return (hi & ~((1 << x0) - 1)) >>> 0;
}

/** An exact string key of a volume (16 bits per character), for observational-equivalence keys. */
export function voxelsKey(a: Voxels): string {
  const halves = new Uint16Array(a.buffer, a.byteOffset, WORDS * 2);
  // Chunks keep the argument list of fromCharCode small.
  let s = '';
  for (let i = 0; i < halves.length; i += 512)
    s += String.fromCharCode.apply(null, halves.subarray(i, i + 512) as unknown as number[]);
  return s;
}

/** Unpacks to one byte per voxel, index x + 32·y + 1024·z (1 = filled). */
export function toBytes(a: Voxels): Uint8Array {
  const out = new Uint8Array(VOXELS);
  for (let w = 0; w < WORDS; w++) {
    let v = a[w];
    for (let x = 0; v !== 0; x++, v >>>= 1) out[w * N + x] = v & 1;
  }
  return out;
}

/** Packs one value per voxel (index x + 32·y + 1024·z, non-zero = filled). */
export function fromBytes(values: ArrayLike<number>): Voxels {
  if (values.length !== VOXELS) throw new RangeError(`expected ${VOXELS} voxels, got ${values.length}`);
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < VOXELS; i++) if (values[i]) out[i >>> 5] |= 1 << (i & 31);
  return out;
}

/** Rows as 1,024 strings of 8 hex digits (the row word, most significant digit first). */
export function toHexRows(a: Voxels): string[] {
  return Array.from(a, (w) => w.toString(16).padStart(8, '0'));
}

/** Parses hex rows; returns an error message instead of throwing so callers can add context. */
export function fromHexRows(rows: unknown): Voxels | string {
  if (!Array.isArray(rows) || rows.length !== WORDS) return `expected ${WORDS} hex rows`;
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) {
    const s: unknown = rows[i];
    if (typeof s !== 'string' || !/^[0-9a-fA-F]{8}$/.test(s)) return `row ${i} is not 8 hex digits`;
    out[i] = parseInt(s, 16) >>> 0;
  }
  return out;
}

/**
 * A compact spec text: runs of equal rows as `count*hex` joined by spaces (empty rows compress to one
 * run), so generated specs stay small in JSON and golden files.
 */
export function toRuns(a: Voxels): string {
  const parts: string[] = [];
  for (let i = 0; i < WORDS;) {
    let j = i + 1;
    while (j < WORDS && a[j] === a[i]) j++;
    const hex = a[i].toString(16);
    parts.push(j - i === 1 ? hex : `${j - i}*${hex}`);
    i = j;
  }
  return parts.join(' ');
}

export function fromRuns(text: unknown): Voxels | string {
  if (typeof text !== 'string') return 'expected a string of row runs';
  const out = new Uint32Array(WORDS);
  let at = 0;
  for (const part of text.trim().split(/\s+/)) {
    const m = /^(?:(\d+)\*)?([0-9a-fA-F]{1,8})$/.exec(part);
    if (!m) return `bad run '${part.slice(0, 20)}'`;
    const count = m[1] === undefined ? 1 : Number(m[1]);
    if (at + count > WORDS) return `more than ${WORDS} rows`;
    out.fill(parseInt(m[2], 16) >>> 0, at, at + count);
    at += count;
  }
  return at === WORDS ? out : `expected ${WORDS} rows, got ${at}`;
}
