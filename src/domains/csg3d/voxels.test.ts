import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  VOXELS,
  countOn,
  differenceVoxels,
  fromBytes,
  fromHexRows,
  fromRuns,
  getVoxel,
  hamming,
  iou,
  spanMask,
  toBytes,
  toHexRows,
  toRuns,
  unionVoxels,
  voxelsKey,
} from './voxels.js';

const arbBytes = fc.array(fc.tuple(fc.nat(VOXELS - 1), fc.nat(600)), { maxLength: 8 }).map((runs) => {
  const b = new Uint8Array(VOXELS);
  for (const [at, len] of runs) b.fill(1, at, Math.min(VOXELS, at + len));
  return b;
});

describe('bit-packed 32³ voxels', () => {
  it('word operations agree with one byte per voxel', () => {
    fc.assert(
      fc.property(arbBytes, arbBytes, (a, b) => {
        const va = fromBytes(a);
        const vb = fromBytes(b);
        expect(toBytes(va)).toEqual(a);
        const u = toBytes(unionVoxels(va, vb));
        const d = toBytes(differenceVoxels(va, vb));
        let inter = 0;
        let uni = 0;
        let diff = 0;
        let wrong = 0;
        for (let i = 0; i < VOXELS; i++) {
          if (u[i] !== (a[i] | b[i]) || d[i] !== (a[i] & ~b[i] & 1)) wrong++;
          inter += a[i] & b[i];
          uni += a[i] | b[i];
          diff += a[i] ^ b[i];
        }
        expect(wrong).toBe(0);
        expect(iou(va, vb)).toBeCloseTo(uni === 0 ? 1 : inter / uni, 12);
        expect(hamming(va, vb)).toBe(diff);
        expect(countOn(va)).toBe(a.reduce((s, x) => s + x, 0));
      }),
      { numRuns: 10 },
    );
  });

  it('voxel (x, y, z) is bit x of row 32·z + y, and index x + 32·y + 1024·z of the bytes', () => {
    const b = new Uint8Array(VOXELS);
    b[3 + 32 * 5 + 1024 * 7] = 1;
    const v = fromBytes(b);
    expect(v[7 * 32 + 5]).toBe(1 << 3);
    expect(getVoxel(v, 3, 5, 7)).toBe(true);
  });

  it('spans, hex rows and row runs round-trip', () => {
    expect(spanMask(0, 31)).toBe(0xffffffff);
    expect(spanMask(4, 7)).toBe(0xf0);
    expect(spanMask(5, 4)).toBe(0);
    fc.assert(
      fc.property(arbBytes, (a) => {
        const v = fromBytes(a);
        expect(fromHexRows(toHexRows(v))).toEqual(v);
        expect(fromRuns(toRuns(v))).toEqual(v);
        expect(voxelsKey(v)).toBe(voxelsKey(new Uint32Array(v)));
      }),
      { numRuns: 30 },
    );
    expect(fromRuns('1024*0')).toEqual(new Uint32Array(1024));
    expect(fromRuns('1023*0')).toContain('expected 1024 rows');
    expect(fromHexRows(['xyz'])).toContain('1024');
  });
});
