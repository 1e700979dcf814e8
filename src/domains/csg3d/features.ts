/**
 * State → tensors for a Conv3d policy/value (REFERENCE §1: per object an encoder on [spec, object]):
 * `spec` [1, 32, 32, 32], `objects` [maxObjects, 32, 32, 32] (slot i = pointer i, empty slots zero) and
 * `objectMask` [maxObjects], float32 0/1. Tensor axes are (z, y, x), so row word w fills 32 floats at 32·w.
 */
import type { Features } from '../../core/index.js';
import type { Csg3dState } from './repl.js';
import { N, VOXELS, WORDS, type Voxels } from './voxels.js';

/** Writes a volume as 0/1 floats into `out` at `offset` (index x + 32·y + 1024·z). */
export function writeVolume(v: Voxels, out: Float32Array, offset: number): void {
  for (let w = 0; w < WORDS; w++) {
    let bits = v[w];
    // Most rows of a sparse volume are empty: skip them, the output is zero-filled already.
    for (let at = offset + w * N; bits !== 0; at++, bits >>>= 1) out[at] = bits & 1;
  }
}

export function csg3dFeatures(maxObjects: number): Features<Csg3dState> {
  return {
    shapes: { spec: [1, N, N, N], objects: [maxObjects, N, N, N], objectMask: [maxObjects] },
    dtypes: { spec: 'float32', objects: 'float32', objectMask: 'float32' },
    encode(states) {
      const n = states.length;
      const spec = new Float32Array(n * VOXELS);
      const objects = new Float32Array(n * maxObjects * VOXELS);
      const objectMask = new Float32Array(n * maxObjects);
      for (let s = 0; s < n; s++) {
        const st = states[s];
        writeVolume(st.spec, spec, s * VOXELS);
        const k = Math.min(st.objects.length, maxObjects);
        for (let i = 0; i < k; i++) {
          writeVolume(st.objects[i].voxels, objects, (s * maxObjects + i) * VOXELS);
          objectMask[s * maxObjects + i] = 1;
        }
      }
      return { spec, objects, objectMask };
    },
  };
}
