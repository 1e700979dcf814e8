/**
 * Positions count code points, not UTF-16 units, wherever strings are cut or measured: the
 * interpreter, the exported JavaScript, the features and the limits. A character outside the BMP
 * (an emoji, a Deseret letter) is one character, never split into a lone surrogate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbProgram } from './arbitrary.test-util.js';
import { createStringsDomain } from './domain.js';
import { parseProgram } from './dsl.js';
import { compileToFunction } from './export-js.js';
import { getToken, pySlice, runProgram, titleCase } from './interpreter.js';
import { CHARACTERS, typeId } from './regex.js';
import { codePoints, specProblems, wellFormed } from './spec-check.js';

const astral = ['😀', '𐐨', '𐐀', '🇫🇷', '𝔸'];
const arbUnicodeText = fc
  .array(
    fc.oneof(fc.constantFrom(...CHARACTERS), fc.constantFrom(...astral), fc.constantFrom('é', 'Ab', ' ')),
    {
      maxLength: 16,
    },
  )
  .map((a) => a.join(''));
const arbRow = fc.array(arbUnicodeText, { minLength: 1, maxLength: 3 });

describe('strings: code points, not UTF-16 units', () => {
  it('SubStr counts characters and never splits one', () => {
    expect(pySlice('a😀c', 0, 2)).toBe('a😀');
    expect(pySlice('a😀c', -2, 10)).toBe('😀c');
    expect(runProgram(parseProgram('Concat(SubStr(0, 2))'), ['a😀c'])).toBe('a😀');
    expect(pySlice('abc', 0, 2)).toBe('ab');
  });

  it('Char matches a whole character; Proper case reaches letters outside the BMP', () => {
    expect(getToken('a😀c', typeId('Char'), 1)).toBe('😀');
    expect(getToken('a😀c', typeId('Char'), -1)).toBe('c');
    expect(titleCase('𐐨𐐨 ab')).toBe('𐐀𐐨 Ab');
  });

  it('programs keep well-formed text well-formed, and the exported JavaScript agrees with them', () => {
    let astralCases = 0;
    fc.assert(
      fc.property(arbProgram, fc.array(arbRow, { minLength: 1, maxLength: 3 }), (prog, rows) => {
        const f = compileToFunction(prog);
        for (const row of rows) {
          const want = runProgram(prog, row);
          if (want !== null) expect(wellFormed(want)).toBe(true);
          expect(f(...row)).toBe(want);
          if (row.some((s) => codePoints(s) !== s.length)) astralCases++;
        }
      }),
      { numRuns: 1500 },
    );
    expect(astralCases).toBeGreaterThan(100);
  });

  it('features give a character outside the BMP one slot, and masks follow code points', () => {
    const d = createStringsDomain();
    const spec = { examples: [{ inputs: ['a😀cd'], output: 'cd' }] };
    const s0 = d.initialState(spec);
    const f = d.features!.encode([s0]);
    const W = 36;
    const chars = Array.from((f.chars as Int32Array).subarray(0, W)).filter((c) => c !== 0);
    expect(chars).toHaveLength(4);
    // SubStr1(2): the mask selects positions 2… of the string: 'c' and 'd', slots 2 and 3.
    const sub = d.table.byName.get('SubStr1(2)')!;
    const s1 = d.step(s0, sub);
    if (!s1.ok) throw new Error(s1.reason);
    const masks = d.features!.encode([s1.state]).masks as Float32Array;
    const row6 = Array.from(masks.subarray(6 * W, 6 * W + 6));
    expect(row6).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('limits count characters: 200 emoji are within the default limit of 200', () => {
    const s = '😀'.repeat(200);
    expect(specProblems({ examples: [{ inputs: [s], output: 'x' }] })).toEqual([]);
    expect(specProblems({ examples: [{ inputs: [s + 'a'], output: 'x' }] })[0].message).toMatch(
      /201 characters/,
    );
  });
});
