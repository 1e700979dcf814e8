import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { PNG as RealPNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { PNG } from '../../src/web/shims/pngjs.js';

// The page's PNG codec must decode exactly as pngjs does (the CLI's), or a PNG would give the browser a
// different target than the command line. Images of every colour type, depth, filter and interlacing
// are written here by a small independent encoder and decoded by both.

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, c]);
}

const CH: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Packs samples into a scanline and filters it with `type` against the previous raw line. */
function packRow(samples: number[], depth: number): Buffer {
  const out = Buffer.alloc(Math.ceil((samples.length * depth) / 8));
  samples.forEach((s, k) => {
    if (depth === 16) out.writeUInt16BE(s, 2 * k);
    else if (depth === 8) out[k] = s;
    else out[(k * depth) >> 3] |= s << (8 - depth - ((k * depth) & 7));
  });
  return out;
}
function filterRow(row: Buffer, prev: Buffer | null, type: number, bpp: number): Buffer {
  const out = Buffer.alloc(row.length + 1);
  out[0] = type;
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp] : 0;
    const b = prev ? prev[i] : 0;
    const c = prev && i >= bpp ? prev[i - bpp] : 0;
    const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
    out[i + 1] = (row[i] - pred) & 0xff;
  }
  return out;
}

interface Img {
  w: number;
  h: number;
  colorType: number;
  depth: number;
  interlace?: boolean;
  palette?: number[][];
  trns?: number[];
}

function encode(img: Img, px: (x: number, y: number) => number[]): Buffer {
  const ch = CH[img.colorType];
  const bpp = Math.max(1, (ch * img.depth) >> 3);
  const lines: Buffer[] = [];
  for (const [x0, y0, dx, dy] of img.interlace ? ADAM7 : [[0, 0, 1, 1]]) {
    let prev: Buffer | null = null;
    for (let y = y0; y < img.h; y += dy) {
      const samples: number[] = [];
      for (let x = x0; x < img.w; x += dx) samples.push(...px(x, y));
      if (samples.length === 0) continue;
      const row = packRow(samples, img.depth);
      lines.push(filterRow(row, prev, (x0 + y + lines.length) % 5, bpp));
      prev = row;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.w, 0);
  ihdr.writeUInt32BE(img.h, 4);
  ihdr.set([img.depth, img.colorType, 0, 0, img.interlace ? 1 : 0], 8);
  const parts = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr)];
  if (img.palette) parts.push(chunk('PLTE', Buffer.from(img.palette.flat())));
  if (img.trns) parts.push(chunk('tRNS', Buffer.from(img.trns)));
  parts.push(chunk('IDAT', deflateSync(Buffer.concat(lines))), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

function same(bytes: Buffer): void {
  const want = RealPNG.sync.read(bytes);
  const got = PNG.sync.read(new Uint8Array(bytes));
  expect([got.width, got.height]).toEqual([want.width, want.height]);
  expect(Buffer.from(got.data).equals(Buffer.from(want.data))).toBe(true);
}

const hash = (x: number, y: number, k: number): number =>
  ((x * 73856093) ^ (y * 19349663) ^ (k * 83492791)) >>> 0;

describe('pngjs shim', () => {
  it('decodes the bundled CAD pictures as pngjs does', () => {
    for (const f of ['scene-6.png', 'scene-12.png']) same(readFileSync(`examples/cad/${f}`));
  });

  const cases: Img[] = [];
  for (const [ct, depths] of [
    [0, [1, 2, 4, 8, 16]],
    [2, [8, 16]],
    [3, [1, 2, 4, 8]],
    [4, [8, 16]],
    [6, [8, 16]],
  ] as const)
    for (const depth of depths)
      for (const interlace of [false, true]) cases.push({ w: 13, h: 11, colorType: ct, depth, interlace });

  for (const img of cases)
    it(`colour type ${img.colorType}, ${img.depth} bits${img.interlace ? ', interlaced' : ''}`, () => {
      const max = (1 << img.depth) - 1;
      const palette = Array.from({ length: Math.min(256, max + 1) }, (_, i) => [i, 255 - i, (7 * i) & 255]);
      const trns =
        img.colorType === 3
          ? palette.map((_, i) => (i * 37) & 255)
          : img.colorType === 0
            ? [0, 1]
            : img.colorType === 2
              ? [0, 2, 0, 3, 0, 4]
              : undefined;
      const ch = CH[img.colorType];
      const full = { ...img, ...(img.colorType === 3 ? { palette } : {}), ...(trns ? { trns } : {}) };
      // Grey 1 and RGB (2, 3, 4) appear at some pixels, so tRNS is exercised.
      same(
        encode(full, (x, y) =>
          x === 1 && y === 1 && img.colorType === 2
            ? [2, 3, 4]
            : Array.from({ length: ch }, (_, k) => hash(x, y, k) % (max + 1)),
        ),
      );
    });

  it('writes 8-bit RGBA that pngjs reads back', () => {
    const png = new PNG({ width: 5, height: 3 });
    png.data.forEach((_, i) => (png.data[i] = (i * 29) & 255));
    const back = RealPNG.sync.read(Buffer.from(PNG.sync.write(png)));
    expect([back.width, back.height]).toEqual([5, 3]);
    expect(Buffer.from(back.data).equals(Buffer.from(png.data))).toBe(true);
  });

  it('rejects what pngjs rejects: not a PNG, a bad checksum', () => {
    expect(() => PNG.sync.read(new Uint8Array([1, 2, 3]))).toThrow(/signature/);
    const bytes = Buffer.from(readFileSync('examples/cad/scene-6.png'));
    bytes[20] ^= 1;
    expect(() => PNG.sync.read(new Uint8Array(bytes))).toThrow(/Crc/);
  });
});
