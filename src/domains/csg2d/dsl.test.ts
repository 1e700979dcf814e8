import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../core/index.js';
import { ALL_PRIMITIVES } from './actions.js';
import { lineCount, parseProgram, primitiveError, printProgram, programEquals, type Program } from './dsl.js';

const arbPrimitive = fc.integer({ min: 0, max: ALL_PRIMITIVES.length - 1 }).map((i) => ALL_PRIMITIVES[i]);
const arbProgram: fc.Arbitrary<Program> = fc.letrec<{ p: Program }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbPrimitive,
    fc.record({ op: fc.constantFrom('union' as const, 'diff' as const), a: tie('p'), b: tie('p') }),
  ),
})).p;

function parseError(text: string): ParseError {
  try {
    parseProgram(text);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

describe('csg2d language', () => {
  it('prints one statement per line and parses it back', () => {
    fc.assert(
      fc.property(arbProgram, (p) => {
        const text = printProgram(p);
        expect(text.split('\n').length).toBe(lineCount(p));
        const back = parseProgram(text);
        expect(programEquals(back, p)).toBe(true);
        expect(back).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it('prints the readable form of the brief', () => {
    const p: Program = {
      op: 'union',
      a: { op: 'circle', x: 10, y: 12, d: 8 },
      b: { op: 'rect45', x: 16, y: 2, a: 4, b: 6 },
    };
    expect(printProgram(p)).toBe('a = circle(10, 12, 8)\nb = rect45(16, 2, 4, 6)\nc = union(a, b)');
  });

  it('accepts nested expressions, comments and the difference alias', () => {
    const p = parseProgram(
      '# a washer\nhole = circle(16, 16, 6)\ndifference(circle(16, 16, 20), hole) // done\n',
    );
    expect(printProgram(p)).toBe('a = circle(16, 16, 20)\nb = circle(16, 16, 6)\nc = diff(a, b)');
  });

  it('distinguishes programs structurally', () => {
    const a = parseProgram('union(circle(10, 10, 6), rect(0, 0, 2, 2))');
    const b = parseProgram('union(rect(0, 0, 2, 2), circle(10, 10, 6))');
    expect(programEquals(a, b)).toBe(false);
    expect(programEquals(a, a)).toBe(true);
  });

  it('reports bad text with its position', () => {
    expect(parseError('a = circle(1, 2, 8)').message).toMatch(/grid/);
    expect(parseError('a = circle(2, 2, 8)').message).toMatch(/fully inside/);
    expect(parseError('a = rect(4, 0, 2, 2)').message).toMatch(/x1 < x2/);
    expect(parseError('a = rect45(0, 0, 2, 2)').message).toMatch(/leave the grid/);
    expect(parseError('a = circle(10, 10, 6)\nb = circle(12, 10, 6)').message).toMatch(/never used/);
    expect(parseError('a = circle(10, 10, 6)\nb = union(a, a)').message).toMatch(/used twice/);
    const e = parseError('a = circle(10, 10, 6)\nb = blob(a)');
    expect(e.message).toMatch(/unknown function 'blob'/);
    expect(e.position).toBe(26);
    expect(parseError('').message).toMatch(/empty/);
    expect(parseError('a = circle(10, 10)').message).toMatch(/expected ','/);
    expect(parseError('a = circle(10, 10, 6) $').message).toMatch(/unexpected character/);
  });

  it('validates every primitive parameter range', () => {
    expect(primitiveError({ op: 'circle', x: 16, y: 16, d: 32 })).toMatch(/diameter/);
    expect(primitiveError({ op: 'circle', x: 16, y: 16, d: 30 })).toBeNull();
    expect(primitiveError({ op: 'rect', x1: 0, y1: 0, x2: 32, y2: 2 })).toMatch(/grid/);
    expect(primitiveError({ op: 'rect45', x: 4, y: 0, a: 4, b: 0 })).toMatch(/≥ 2/);
    expect(primitiveError({ op: 'rect45', x: 4, y: 0, a: 4, b: 26 })).toBeNull();
  });
});
