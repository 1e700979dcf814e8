/**
 * What the page uses of pngjs, without node: `PNG.sync.read` (every colour type, bit depth, palette,
 * tRNS transparency and Adam7 interlacing, decoded to 8-bit RGBA exactly as pngjs does) and
 * `PNG.sync.write` (8-bit RGBA). The Vite build aliases `pngjs` to this file, so problems read and
 * draw PNGs in the browser with the same code as on node. Inflate/deflate come from fflate.
 */
import { unzlibSync, zlibSync } from 'fflate';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

interface Header {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly colorType: number;
  readonly interlace: boolean;
}

interface Chunks {
  header: Header | null;
  palette: number[][];
  /** tRNS for grey / RGB: the raw sample values that are transparent. */
  transColor: number[] | null;
  idat: Uint8Array[];
}

const u32 = (b: Uint8Array, i: number): number =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

function readHeader(b: Uint8Array, at: number): Header {
  const h = {
    width: u32(b, at),
    height: u32(b, at + 4),
    depth: b[at + 8],
    colorType: b[at + 9],
    interlace: b[at + 12] === 1,
  };
  if (!(h.colorType in CHANNELS)) throw new Error(`Unsupported color type ${h.colorType}`);
  if (!DEPTHS[h.colorType].includes(h.depth)) throw new Error(`Unsupported bit depth ${h.depth}`);
  if (b[at + 10] !== 0 || b[at + 11] !== 0 || b[at + 12] > 1)
    throw new Error('Unsupported compression, filter or interlace method');
  return h;
}

function readChunks(b: Uint8Array): Chunks {
  if (b.length < 8 || SIGNATURE.some((v, i) => b[i] !== v)) throw new Error('Invalid file signature');
  const out: Chunks = { header: null, palette: [], transColor: null, idat: [] };
  let at = 8;
  for (;;) {
    if (at + 8 > b.length) throw new Error('Unexpected end of file');
    const len = u32(b, at);
    const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    const data = at + 8;
    if (data + len + 4 > b.length) throw new Error(`Truncated ${type} chunk`);
    if (crc32(b, at + 4, data + len) !== u32(b, data + len)) throw new Error(`Crc error - ${type}`);
    if (type === 'IHDR') out.header = readHeader(b, data);
    else if (type === 'PLTE')
      for (let i = 0; i + 2 < len; i += 3)
        out.palette.push([b[data + i], b[data + i + 1], b[data + i + 2], 255]);
    else if (type === 'tRNS') readTransparency(out, b.subarray(data, data + len));
    else if (type === 'IDAT') out.idat.push(b.subarray(data, data + len));
    else if (type === 'IEND') return out;
    at = data + len + 4;
  }
}

function readTransparency(c: Chunks, d: Uint8Array): void {
  const type = c.header?.colorType;
  if (type === 3) for (let i = 0; i < d.length && i < c.palette.length; i++) c.palette[i][3] = d[i];
  else if (type === 0) c.transColor = [(d[0] << 8) | d[1]];
  else if (type === 2) c.transColor = [(d[0] << 8) | d[1], (d[2] << 8) | d[3], (d[4] << 8) | d[5]];
}

/** Adam7 passes: start x, start y, step x, step y. */
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
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the scanline filters of one pass in place; returns the offset after it. */
function unfilter(raw: Uint8Array, at: number, rows: number, rowBytes: number, bpp: number): number {
  let prev: Uint8Array | null = null;
  for (let y = 0; y < rows; y++) {
    const type = raw[at];
    const row = raw.subarray(at + 1, at + 1 + rowBytes);
    if (row.length < rowBytes) throw new Error('Not enough image data');
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = prev ? prev[i] : 0;
      const c = prev && i >= bpp ? prev[i - bpp] : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type];
      if (pred === undefined) throw new Error(`Unrecognised filter type - ${type}`);
      row[i] = (row[i] + pred) & 0xff;
    }
    prev = row;
    at += 1 + rowBytes;
  }
  return at;
}

/** Sample `k` of a scanline, for any bit depth (most significant bits first). */
function sample(row: Uint8Array, k: number, depth: number): number {
  if (depth === 8) return row[k];
  if (depth === 16) return (row[2 * k] << 8) | row[2 * k + 1];
  const bit = k * depth;
  return (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
}

function decodePixels(h: Header, c: Chunks, raw: Uint8Array): Uint8Array {
  const ch = CHANNELS[h.colorType];
  const bpp = Math.max(1, (ch * h.depth) >> 3);
  const max = (1 << h.depth) - 1;
  const scale = (v: number): number => (h.depth === 8 ? v : Math.floor((v * 255) / max + 0.5));
  const out = new Uint8Array(4 * h.width * h.height);
  const passes = h.interlace ? ADAM7 : [[0, 0, 1, 1]];
  let at = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((h.width - x0) / dx);
    const ph = Math.ceil((h.height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const rowBytes = Math.ceil((pw * ch * h.depth) / 8);
    const start = at;
    at = unfilter(raw, at, ph, rowBytes, bpp);
    for (let py = 0; py < ph; py++) {
      const row = raw.subarray(start + py * (rowBytes + 1) + 1, start + (py + 1) * (rowBytes + 1));
      for (let px = 0; px < pw; px++) {
        const o = 4 * ((y0 + py * dy) * h.width + x0 + px * dx);
        const s = (i: number): number => sample(row, px * ch + i, h.depth);
        if (h.colorType === 3) {
          const color = c.palette[s(0)];
          if (!color) throw new Error(`index ${s(0)} not in palette`);
          out.set(color, o);
          continue;
        }
        const v = ch >= 3 ? [s(0), s(1), s(2)] : [s(0), s(0), s(0)];
        const alpha = ch === 2 ? s(1) : ch === 4 ? s(3) : max;
        const t = c.transColor;
        const transparent = t !== null && (t.length === 1 ? t[0] === v[0] : t.every((x, i) => x === v[i]));
        if (transparent) continue; // stays 0, 0, 0, 0 as in pngjs
        out[o] = scale(v[0]);
        out[o + 1] = scale(v[1]);
        out[o + 2] = scale(v[2]);
        out[o + 3] = scale(alpha);
      }
    }
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface PNGOptions {
  readonly width?: number;
  readonly height?: number;
}

export class PNG {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  data: Uint8Array;

  constructor(o: PNGOptions = {}) {
    this.width = o.width ?? 0;
    this.height = o.height ?? 0;
    this.data = new Uint8Array(4 * this.width * this.height);
  }

  static sync = {
    read(bytes: Uint8Array): PNG {
      const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
      const c = readChunks(b);
      if (!c.header) throw new Error('No IHDR chunk');
      const png = new PNG();
      png.width = c.header.width;
      png.height = c.header.height;
      png.data = decodePixels(c.header, c, unzlibSync(concat(c.idat)));
      return png;
    },

    write(png: PNG): Uint8Array {
      const { width, height, data } = png;
      const raw = new Uint8Array(height * (1 + 4 * width));
      for (let y = 0; y < height; y++)
        raw.set(data.subarray(4 * width * y, 4 * width * (y + 1)), y * (1 + 4 * width) + 1);
      const ihdr = new Uint8Array(13);
      const v = new DataView(ihdr.buffer);
      v.setUint32(0, width);
      v.setUint32(4, height);
      ihdr.set([8, 6, 0, 0, 0], 8);
      return concat([
        new Uint8Array(SIGNATURE),
        chunk('IHDR', ihdr),
        chunk('IDAT', zlibSync(raw)),
        chunk('IEND', new Uint8Array(0)),
      ]);
    },
  };
}

export default { PNG };
