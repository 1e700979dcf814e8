/**
 * Voxel files, parsed from bytes (no file IO here). Three formats:
 *
 * - JSON (`.json`): `{"format": "replsynth-voxels", "size": N, …}` with one of `runs` (N = 32: row runs,
 *   see voxels.ts toRuns), `rows` (N = 32: 1,024 hex rows, row 32·z + y, bit x), `voxels` (N³ values 0/1,
 *   index x + N·y + N²·z) or `filled` (a list of [x, y, z] integer coordinates < N).
 * - Binary (`.rsvox`): the ASCII magic `RSVOX1`, the side N as uint16 little-endian, then ⌈N³/8⌉ bytes of
 *   bits: voxel i = x + N·y + N²·z is bit (i mod 8), least significant first, of byte ⌊i/8⌋. For N = 32
 *   the payload is exactly the in-memory layout of voxels.ts (little-endian row words).
 * - binvox (`.binvox`, Patrick Min's format): a text header (`#binvox 1`, `dim D D D`, `translate`,
 *   `scale`, `data`) then run-length pairs (value, count); y runs fastest, then z, then x. Its x, y, z
 *   are taken as ours (z up); its translate/scale are ignored.
 *
 * Any side N other than 32 is resampled to 32³ by volume averaging (a voxel is filled when at least
 * half of the source volume it covers is filled), with a warning.
 */
import { InputError } from '../../core/index.js';
import { N, VOXELS, WORDS, fromBytes, fromHexRows, fromRuns, toBytes, type Voxels } from './voxels.js';

/** A parsed volume and what was done to it on the way (resampling), for the user. */
export interface ReadVoxels {
  readonly voxels: Voxels;
  readonly warnings: string[];
}

const MAX_SIDE = 1024;

/** Volume-averaged resampling of a side-n grid of 0/1 values (index x + n·y + n²·z) to 32³. */
export function resampleTo32(values: Uint8Array | Float32Array, n: number): Voxels {
  if (n === N) return fromBytes(values);
  // Separable: resample x, then y, then z; each output cell averages the cells it overlaps.
  const axis = (src: Float32Array, dims: [number, number, number], a: 0 | 1 | 2): Float32Array => {
    const out: [number, number, number] = [dims[0], dims[1], dims[2]];
    out[a] = N;
    const res = new Float32Array(out[0] * out[1] * out[2]);
    const s = dims[a] / N;
    const step = a === 0 ? 1 : a === 1 ? dims[0] : dims[0] * dims[1];
    for (let z = 0; z < out[2]; z++)
      for (let y = 0; y < out[1]; y++)
        for (let x = 0; x < out[0]; x++) {
          const pos = [x, y, z];
          const o = pos[a];
          pos[a] = 0;
          const base = pos[0] + dims[0] * (pos[1] + dims[1] * pos[2]);
          const lo = o * s;
          const hi = (o + 1) * s;
          let acc = 0;
          for (let i = Math.floor(lo); i < Math.min(dims[a], Math.ceil(hi)); i++)
            acc += (Math.min(hi, i + 1) - Math.max(lo, i)) * src[base + i * step];
          res[x + out[0] * (y + out[1] * z)] = acc / s;
        }
    return res;
  };
  let v: Float32Array = Float32Array.from(values);
  v = axis(v, [n, n, n], 0);
  v = axis(v, [N, n, n], 1);
  v = axis(v, [N, N, n], 2);
  return fromBytes(Array.from(v, (f) => (f >= 0.5 ? 1 : 0)));
}

function resampled(values: Uint8Array, n: number, warnings: string[]): Voxels {
  if (n !== N) warnings.push(`resampled ${n}³ to ${N}³ by volume averaging`);
  return resampleTo32(values, n);
}

function parseJsonVoxels(text: string, file: string): ReadVoxels {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, 1, null, `not valid JSON (${(e as Error).message})`);
  }
  const bad = (field: string | null, why: string): never => {
    throw new InputError(file, 1, field, why);
  };
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return bad(null, 'expected a JSON object');
  const j = o as Record<string, unknown>;
  if (j.format !== undefined && j.format !== 'replsynth-voxels')
    bad('format', `expected 'replsynth-voxels', got ${JSON.stringify(j.format)}`);
  const n = j.size ?? N;
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > MAX_SIDE)
    bad('size', `expected an integer side 1–${MAX_SIDE}`);
  const side = n as number;
  const warnings: string[] = [];
  if ('runs' in j || 'rows' in j) {
    const field = 'runs' in j ? 'runs' : 'rows';
    if (side !== N) bad(field, `'${field}' needs size ${N}; use 'voxels' or 'filled' for other sizes`);
    const v = field === 'runs' ? fromRuns(j.runs) : fromHexRows(j.rows);
    if (typeof v === 'string') bad(field, v);
    return { voxels: v as Voxels, warnings };
  }
  if ('voxels' in j) {
    const a = j.voxels;
    if (!Array.isArray(a) || a.length !== side ** 3)
      bad('voxels', `expected an array of ${side ** 3} values`);
    const values = new Uint8Array(side ** 3);
    (a as unknown[]).forEach((x, i) => {
      if (x !== 0 && x !== 1 && x !== true && x !== false) bad('voxels', `value ${i} is not 0 or 1`);
      values[i] = x ? 1 : 0;
    });
    return { voxels: resampled(values, side, warnings), warnings };
  }
  if ('filled' in j) {
    if (!Array.isArray(j.filled)) bad('filled', 'expected a list of [x, y, z]');
    const values = new Uint8Array(side ** 3);
    (j.filled as unknown[]).forEach((p, i) => {
      const ok =
        Array.isArray(p) && p.length === 3 && p.every((c) => Number.isInteger(c) && c >= 0 && c < side);
      if (!ok) bad('filled', `entry ${i} is not [x, y, z] with integers 0–${side - 1}`);
      const [x, y, z] = p as number[];
      values[x + side * (y + side * z)] = 1;
    });
    return { voxels: resampled(values, side, warnings), warnings };
  }
  return bad(null, "needs one of 'runs', 'rows', 'voxels' or 'filled'");
}

const MAGIC = 'RSVOX1';

function parseBinaryVoxels(bytes: Uint8Array, file: string): ReadVoxels {
  const n = bytes[6] | (bytes[7] << 8);
  if (n < 1 || n > MAX_SIDE) throw new InputError(file, 0, 'size', `side ${n} outside 1–${MAX_SIDE}`);
  const need = 8 + Math.ceil(n ** 3 / 8);
  if (bytes.length !== need)
    throw new InputError(file, 0, null, `expected ${need} bytes for a ${n}³ volume, got ${bytes.length}`);
  const values = new Uint8Array(n ** 3);
  for (let i = 0; i < values.length; i++) values[i] = (bytes[8 + (i >>> 3)] >>> (i & 7)) & 1;
  const warnings: string[] = [];
  return { voxels: resampled(values, n, warnings), warnings };
}

/** The binary format's bytes for a 32³ volume. */
export function toBinaryVoxels(v: Voxels): Uint8Array {
  const out = new Uint8Array(8 + VOXELS / 8);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  out[6] = N;
  out.set(new Uint8Array(v.buffer, v.byteOffset, WORDS * 4), 8);
  // The payload is little-endian words; on a big-endian host the bytes would need swapping.
  return out;
}

function parseBinvox(bytes: Uint8Array, file: string): ReadVoxels {
  let at = 0;
  let line = 0;
  const readLine = (): string => {
    const end = bytes.indexOf(10, at);
    if (end < 0) throw new InputError(file, line + 1, null, 'the binvox header ends before "data"');
    const s = new TextDecoder().decode(bytes.subarray(at, end)).trim();
    at = end + 1;
    line++;
    return s;
  };
  if (!readLine().startsWith('#binvox')) throw new InputError(file, 1, null, 'not a binvox file');
  let dims: number[] | null = null;
  for (;;) {
    const s = readLine();
    if (s === 'data') break;
    if (s.startsWith('dim')) {
      dims = s.split(/\s+/).slice(1).map(Number);
      if (dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d >= 1 && d <= MAX_SIDE))
        throw new InputError(file, line, 'dim', 'expected three integer sizes');
    }
  }
  if (!dims) throw new InputError(file, line, 'dim', 'missing');
  if (dims[0] !== dims[1] || dims[1] !== dims[2])
    throw new InputError(file, line, 'dim', `only cubic volumes are supported, got ${dims.join('×')}`);
  const n = dims[0];
  const values = new Uint8Array(n ** 3);
  let i = 0;
  for (; at + 1 < bytes.length && i < values.length; at += 2) {
    const value = bytes[at];
    const count = bytes[at + 1];
    for (let k = 0; k < count && i < values.length; k++, i++) {
      if (!value) continue;
      // binvox index i = x·n² + z·n + y.
      const x = Math.floor(i / (n * n));
      const z = Math.floor(i / n) % n;
      const y = i % n;
      values[x + n * (y + n * z)] = 1;
    }
  }
  if (i < values.length)
    throw new InputError(file, line + 1, 'data', `run-length data covers ${i} of ${values.length} voxels`);
  const warnings: string[] = [];
  return { voxels: resampled(values, n, warnings), warnings };
}

/** A volume as a binvox file (32³, translate 0, scale 32), e.g. for tests and examples. */
export function toBinvox(v: Voxels): Uint8Array {
  const header = new TextEncoder().encode(
    `#binvox 1\ndim ${N} ${N} ${N}\ntranslate 0 0 0\nscale ${N}\ndata\n`,
  );
  const flat = toBytes(v);
  const runs: number[] = [];
  let prev = -1;
  let count = 0;
  for (let x = 0; x < N; x++)
    for (let z = 0; z < N; z++)
      for (let y = 0; y < N; y++) {
        const b = flat[x + N * (y + N * z)];
        if (b === prev && count < 255) count++;
        else {
          if (count > 0) runs.push(prev, count);
          prev = b;
          count = 1;
        }
      }
  runs.push(prev, count);
  const out = new Uint8Array(header.length + runs.length);
  out.set(header);
  out.set(runs, header.length);
  return out;
}

const startsWith = (bytes: Uint8Array, s: string): boolean =>
  bytes.length >= s.length && [...s].every((c, i) => bytes[i] === c.charCodeAt(0));

/** Parses any of the voxel formats, by content (magic or JSON), whatever the extension. */
export function parseVoxelFile(bytes: Uint8Array, file: string): ReadVoxels {
  if (startsWith(bytes, '#binvox')) return parseBinvox(bytes, file);
  if (startsWith(bytes, MAGIC)) return parseBinaryVoxels(bytes, file);
  const text = new TextDecoder().decode(bytes);
  if (/^\s*[{[]/.test(text)) return parseJsonVoxels(text, file);
  throw new InputError(file, 0, null, 'not a voxel file (expected replsynth-voxels JSON, RSVOX1 or binvox)');
}
