/**
 * State → tensors for the CNN policy/value (REFERENCE §1: per object a CNN on [spec, object canvas]).
 * `spec` [1, 64, 64], `objects` [maxObjects, 64, 64] (slot i = pointer i, empty slots zero) and
 * `objectMask` [maxObjects] (1 for occupied slots), all float32 0/1.
 */
import type { Features } from '../../core/index.js';
import { SIZE, WORDS, type Raster } from './raster.js';
import type { Csg2dState } from './repl.js';

const PIXELS = SIZE * SIZE;

/** Writes a raster's pixels as 0/1 floats into `out` at `offset` (row-major). */
export function writeCanvas(r: Raster, out: Float32Array, offset: number): void {
  for (let w = 0; w < WORDS; w++) {
    let v = r[w];
    const base = offset + w * 32;
    // Words are zero in most of a sparse canvas: skip them, the output is zero-filled already.
    if (v === 0) continue;
    for (let i = 0; i < 32; i++, v >>>= 1) out[base + i] = v & 1;
  }
}

/** One object's (or the spec's) canvas as a fresh Float32Array of 64×64 values, for per-object encoders. */
export function objectCanvas(r: Raster): Float32Array {
  const out = new Float32Array(PIXELS);
  writeCanvas(r, out, 0);
  return out;
}

export function csg2dFeatures(maxObjects: number): Features<Csg2dState> {
  return {
    shapes: { spec: [1, SIZE, SIZE], objects: [maxObjects, SIZE, SIZE], objectMask: [maxObjects] },
    dtypes: { spec: 'float32', objects: 'float32', objectMask: 'float32' },
    encode(states) {
      const n = states.length;
      const spec = new Float32Array(n * PIXELS);
      const objects = new Float32Array(n * maxObjects * PIXELS);
      const objectMask = new Float32Array(n * maxObjects);
      for (let s = 0; s < n; s++) {
        const st = states[s];
        writeCanvas(st.spec, spec, s * PIXELS);
        const k = Math.min(st.objects.length, maxObjects);
        for (let i = 0; i < k; i++) {
          writeCanvas(st.objects[i].raster, objects, (s * maxObjects + i) * PIXELS);
          objectMask[s * maxObjects + i] = 1;
        }
      }
      return { spec, objects, objectMask };
    },
  };
}
