import { describe, expect, it } from 'vitest';
import { replay } from '../../core/index.js';
import { createStringsDomain } from './domain.js';
import { CHAR_COLUMN_SEP, CHAR_OTHER } from './features.js';
import type { StringsSpec } from './repl.js';

const d = createStringsDomain({ mode: 'paper' });
const names = (ns: string[]): number[] => ns.map((n) => d.table.byName.get(n)!);
const spec: StringsSpec = {
  examples: [
    { inputs: ['ab 12 cd 345'], output: '12' },
    { inputs: ['x 7'], output: '7' },
  ],
};

describe('strings features', () => {
  it('has the paper shapes: 4 examples × 4 slots × 36, 7 mask rows, last action', () => {
    expect(d.features!.shapes).toEqual({
      chars: [4, 4, 36],
      masks: [4, 7, 36],
      lastAction: [1],
      exampleMask: [4],
    });
  });

  it('encodes characters, example slots and the last action type', () => {
    const r = replay(d, spec, names(['GetToken1(Number)']));
    if (!r.ok) throw new Error(r.reason);
    const f = d.features!.encode(r.states);
    const chars = f.chars as Int32Array;
    const per = 4 * 4 * 36;
    // 'a' is the 11th character of Python's printable (digits first), id = index + 1.
    expect(chars[0]).toBe(11);
    expect(chars.slice(3 * 36, 3 * 36 + 3)).toEqual(new Int32Array([2, 3, 0]));
    expect(Array.from(f.exampleMask.slice(0, 4))).toEqual([1, 1, 0, 0]);
    expect(f.lastAction[0]).toBe(0);
    expect(f.lastAction[1]).toBe(d.table.phaseNames.indexOf('GetToken1') + 1);
    // Rows 0 and 1 of example 0 mark the first two Number matches ("12" at 3–4, "345" at 9–11).
    const masks = f.masks as Float32Array;
    const m = masks.slice(7 * 4 * 36, 7 * 4 * 36 + 7 * 36);
    expect(Array.from(m.slice(0, 6))).toEqual([0, 0, 0, 1, 1, 0]);
    expect(Array.from(m.slice(36 + 9, 36 + 12))).toEqual([1, 1, 1]);
    expect(m.slice(2 * 36).reduce((a, b) => a + b, 0)).toBe(0);
    expect(chars.length).toBe(2 * per);
  });

  it('marks Replace and SubStr rows', () => {
    const r = replay(d, spec, names(['SubStr1(-2)']));
    if (!r.ok) throw new Error(r.reason);
    const m = d.features!.encode([r.state]).masks as Float32Array;
    expect(Array.from(m.slice(6 * 36, 6 * 36 + 13))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0]);
    const r2 = replay(d, spec, names(['Replace1(" ")']));
    if (!r2.ok) throw new Error(r2.reason);
    const m2 = d.features!.encode([r2.state]).masks as Float32Array;
    expect(Array.from(m2.slice(5 * 36, 5 * 36 + 6))).toEqual([0, 0, 1, 0, 0, 1]);
  });

  it('joins extended-mode columns with a separator and clips long strings', () => {
    const e = createStringsDomain();
    const s = e.initialState({ examples: [{ inputs: ['ab', 'é'.repeat(50)], output: 'x' }] });
    const chars = e.features!.encode([s]).chars as Int32Array;
    expect(Array.from(chars.slice(0, 5))).toEqual([11, 12, CHAR_COLUMN_SEP, CHAR_OTHER, CHAR_OTHER]);
    expect(chars[35]).toBe(CHAR_OTHER);
  });
});
