import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { createCsg2dDomain } from './domain.js';
import { objectCanvas } from './features.js';
import { getPixel } from './raster.js';

describe('csg2d features', () => {
  it('encodes spec, object canvases in pointer order and the object mask', () => {
    const domain = createCsg2dDomain({ maxObjects: 4 });
    const task = domain.sampleTask(new Rng(3), { maxSize: 6 });
    const { states } = replay(domain, task.spec, task.trace);
    const enc = domain.features!.encode(states);
    const P = 64 * 64;
    expect(enc.spec.length).toBe(states.length * P);
    expect(enc.objects.length).toBe(states.length * 4 * P);
    expect(enc.objectMask.length).toBe(states.length * 4);
    states.forEach((s, i) => {
      for (let j = 0; j < 4; j++) expect(enc.objectMask[i * 4 + j]).toBe(j < s.objects.length ? 1 : 0);
      s.objects.forEach((o, j) => {
        const slice = enc.objects.subarray((i * 4 + j) * P, (i * 4 + j + 1) * P);
        expect(Array.from(slice)).toEqual(Array.from(objectCanvas(o.raster)));
      });
    });
    const canvas = objectCanvas(states[0].spec);
    for (const [x, y] of [
      [0, 0],
      [13, 40],
      [63, 63],
    ])
      expect(canvas[y * 64 + x]).toBe(getPixel(states[0].spec, x, y) ? 1 : 0);
    expect(Array.from(enc.spec.subarray(0, P))).toEqual(Array.from(canvas));
  });
});
