/**
 * Half-precision weight storage for shipped models.
 *
 * `toFloat16Model(bytes)` rewrites an ONNX model so that each large float32 initializer W is stored as a
 * float16 initializer `W.fp16` followed by a `Cast(to=FLOAT)` node whose output is named W. The graph
 * computes in float32 exactly as before (every consumer still reads W), and the file stays a plain,
 * valid ONNX model that any runtime (Python onnxruntime, onnxruntime-web, Netron) opens directly; only
 * the weight values are rounded to the nearest float16.
 *
 * Why a Cast in the graph rather than expanding to float32 in our own loaders: a file with float16
 * initializers feeding float32 ops is not valid ONNX, so the Cast has to be in the file anyway, and ORT
 * folds `Cast(constant)` into a float32 constant while it optimises the graph, before it pre-packs conv
 * and matmul weights: the optimised graph of a converted file (dumped with `optimizedModelFilePath`)
 * has the same node list and initializer types as the float32 file's (checked for all four shipped
 * files): no Cast and no float16 tensor left. Measured with
 * `npx tsx scripts/check-fp16.ts --timing` (2 shared cores, load average 5–8, so ±20 % noise): strings
 * model session creation 19–26 ms (fp32) vs 24–33 ms (fp16), a 256-state batch 71–131 ms vs 92–111 ms
 * with no consistent winner; the csg2d pair encoder 3–6 ms vs 3–5 ms to create, 17–31 ms vs 20–34 ms per
 * 256 pairs. Expanding to float32 in JS and re-encoding before session creation cost 30–45 ms more on the
 * strings model and gained nothing. So loaders do nothing special; only `readInitializers` (warm start,
 * resume) expands the weights back to float32 arrays.
 *
 * Small initializers (biases, scalars, masks) stay float32: they cost nothing and constants such as
 * 1e9 or 1e4 do not fit float16's range (±65504). Tensors with any value outside that range stay too.
 */
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';

const { onnx } = onnxProto;

const FLOAT = 1;
const FLOAT16 = 10;
/** Largest finite float16. */
export const FLOAT16_MAX = 65504;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float16 bit pattern nearest to `x` (round to nearest, ties to even; overflow → ±Infinity). */
export function float16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const e = (b >>> 23) & 0xff;
  const m = b & 0x7fffff;
  if (e === 0xff) return sign | 0x7c00 | (m ? 0x200 : 0); // Inf / NaN
  const e16 = e - 112; // rebias 127 → 15
  if (e16 >= 0x1f) return sign | 0x7c00;
  if (e16 > 0) {
    // Normal: keep 10 mantissa bits, round on the 13 dropped ones (a carry may bump the exponent).
    const rest = m & 0x1fff;
    let h = (e16 << 10) | (m >>> 13);
    if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++;
    return sign | h;
  }
  // Subnormal (or zero): value = mant16 · 2^-24.
  const shift = 126 - e; // ≥ 14
  if (shift > 24) return sign;
  const full = m | 0x800000;
  const rest = full & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  let h = full >>> shift;
  if (rest > half || (rest === half && h & 1)) h++;
  return sign | h;
}

let table: Float32Array | null = null;

/** float16 bit pattern → its value (a lookup table of all 65536 patterns, built on first use). */
export function float16Value(h: number): number {
  return (table ??= buildTable())[h & 0xffff];
}

function buildTable(): Float32Array {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const e = (h >>> 10) & 0x1f;
    const m = h & 0x3ff;
    t[h] =
      e === 0
        ? sign * m * 2 ** -24
        : e === 0x1f
          ? m
            ? NaN
            : sign * Infinity
          : sign * (1 + m / 1024) * 2 ** (e - 15);
  }
  return t;
}

/** float32 values → float16 bit patterns. */
export function toFloat16(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = float16Bits(data[i]);
  return out;
}

/** float16 bit patterns → float32 values (exact). */
export function fromFloat16(bits: Uint16Array): Float32Array {
  const t = (table ??= buildTable());
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = t[bits[i]];
  return out;
}

/** Copies a little-endian byte payload into an aligned typed array (protobuf slices may be unaligned). */
function aligned<T extends Float32Array | Uint16Array>(
  raw: Uint8Array,
  width: number,
  make: (n: number) => T,
): T {
  const out = make(raw.byteLength / width);
  new Uint8Array(out.buffer).set(raw);
  return out;
}

/** The float32 values of an initializer (raw_data or float_data), or null when it is not float32. */
function float32Data(t: O.ITensorProto): Float32Array | null {
  if (t.dataType !== FLOAT) return null;
  if (t.rawData && t.rawData.byteLength > 0) return aligned(t.rawData, 4, (n) => new Float32Array(n));
  return Float32Array.from(t.floatData ?? []);
}

/** The float16 bit patterns of an initializer (raw_data or int32_data), or null when it is not float16. */
function float16Data(t: O.ITensorProto): Uint16Array | null {
  if (t.dataType !== FLOAT16) return null;
  if (t.rawData && t.rawData.byteLength > 0) return aligned(t.rawData, 2, (n) => new Uint16Array(n));
  return Uint16Array.from(t.int32Data ?? []);
}

export interface Float16Options {
  /** Initializers with fewer elements stay float32 (default 256). */
  minElements?: number;
  /** Convert only initializers for which this returns true (default: all eligible). */
  filter?: (name: string) => boolean;
}

export interface Float16Result {
  bytes: Uint8Array;
  /** Names of the initializers now stored as float16. */
  converted: string[];
  /** Float32 elements kept as float32. */
  keptElements: number;
}

/** Is this model's weight storage already float16 (it has `W.fp16` → Cast → W pairs)? */
export function hasFloat16Weights(bytes: Uint8Array): boolean {
  const g = onnx.ModelProto.decode(bytes).graph;
  return (g?.initializer ?? []).some((t) => t.dataType === FLOAT16);
}

/**
 * Stores the model's large float32 initializers as float16, each followed by a Cast to float32 that
 * keeps the original name (see the file comment). Initializers no node reads are left alone.
 */
export function toFloat16Model(bytes: Uint8Array, opts: Float16Options = {}): Float16Result {
  const minElements = opts.minElements ?? 256;
  const m = onnx.ModelProto.decode(bytes);
  const g = m.graph;
  if (!g) throw new Error('nn: model has no graph');
  const read = new Set<string>();
  for (const n of g.node ?? []) for (const i of n.input ?? []) read.add(i);
  for (const o of g.output ?? []) read.add(o.name ?? '');
  const names = new Set<string>();
  for (const t of g.initializer ?? []) names.add(t.name ?? '');
  for (const n of g.node ?? []) for (const o of n.output ?? []) names.add(o);
  for (const v of g.input ?? []) names.add(v.name ?? '');

  const inits: O.ITensorProto[] = [];
  const casts: O.INodeProto[] = [];
  const converted: string[] = [];
  let keptElements = 0;
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    const data = float32Data(t);
    const ok =
      data !== null &&
      data.length >= minElements &&
      read.has(name) &&
      !names.has(`${name}.fp16`) &&
      (opts.filter?.(name) ?? true) &&
      data.every((v) => Number.isFinite(v) && Math.abs(v) <= FLOAT16_MAX);
    if (!ok) {
      if (data) keptElements += data.length;
      inits.push(t);
      continue;
    }
    const half = toFloat16(data);
    inits.push({
      name: `${name}.fp16`,
      dims: t.dims,
      dataType: FLOAT16,
      rawData: new Uint8Array(half.buffer, half.byteOffset, half.byteLength),
    });
    casts.push({
      opType: 'Cast',
      name: `${name}.cast`,
      input: [`${name}.fp16`],
      output: [name],
      attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }],
    });
    converted.push(name);
  }
  g.initializer = inits;
  // Casts first: nodes must stay in topological order.
  g.node = [...casts, ...(g.node ?? [])];
  return { bytes: onnx.ModelProto.encode(m).finish(), converted, keptElements };
}

/**
 * Float32 initializers of a model by name, copied into aligned arrays. Float16-stored weights (a float16
 * initializer read only by a Cast to float32) are expanded and reported under the Cast's output name,
 * so a float16 file gives the same names as the float32 file it came from.
 */
export function readInitializers(model: Uint8Array): Map<string, { shape: number[]; data: Float32Array }> {
  const m = onnx.ModelProto.decode(model);
  const g = m.graph;
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  const halves = new Map<string, O.ITensorProto>();
  for (const t of g?.initializer ?? []) {
    const shape = (t.dims ?? []).map(Number);
    const data = float32Data(t);
    if (data) out.set(t.name ?? '', { shape, data });
    else if (t.dataType === FLOAT16) halves.set(t.name ?? '', t);
  }
  if (halves.size === 0) return out;
  for (const n of g?.node ?? []) {
    if (n.opType !== 'Cast' || n.input?.length !== 1 || n.output?.length !== 1) continue;
    const to = n.attribute?.find((a) => a.name === 'to');
    const t = halves.get(n.input[0]);
    if (!t || Number(to?.i) !== FLOAT) continue;
    out.set(n.output[0], { shape: (t.dims ?? []).map(Number), data: fromFloat16(float16Data(t)!) });
  }
  return out;
}
