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

describe('csg3d language', () => {
  it('prints one statement per line and parses it back', () => {
    fc.assert(
      fc.property(arbProgram, (p) => {
        const text = printProgram(p);
        expect(text.split('\n').length).toBe(lineCount(p));
        const back = parseProgram(text);
        expect(programEquals(back, p)).toBe(true);
        expect(back).toEqual(p);
      }),
      { numRuns: 200 },
    );
  });

  it('prints the readable form', () => {
    const p: Program = {
      op: 'diff',
      a: { op: 'cuboid', x1: 0, y1: 4, z1: 8, x2: 12, y2: 16, z2: 20 },
      b: { op: 'cylinder', axis: 'z', x: 8, y: 8, z: 0, r: 4, l: 12 },
    };
    expect(printProgram(p)).toBe(
      'a = cuboid(0, 4, 8, 12, 16, 20)\nb = cylinder(z, 8, 8, 0, 4, 12)\nc = diff(a, b)',
    );
  });

  it('accepts nested expressions, comments and the difference alias', () => {
    const p = parseProgram(
      '# a part\nx = sphere(16, 16, 16, 8)\ndifference(union(x, cuboid(0,0,0,4,4,4)), cylinder(x, 0, 8, 8, 2, 4))',
    );
    expect(printProgram(p).split('\n')).toHaveLength(5);
  });

  it('reports the position of errors', () => {
    expect(parseError('a = sphere(16, 16, 16, 5)').message).toContain('radius');
    expect(parseError('a = sphere(2, 16, 16, 4)').message).toContain('grid');
    expect(parseError('a = sphere(4, 16, 16, 8)').message).toContain('inside');
    expect(parseError('a = cylinder(w, 8, 8, 0, 4, 12)').message).toContain('axis');
    expect(parseError('a = cylinder(z, 8, 8, 16, 4, 20)').message).toContain('inside');
    expect(parseError('a = cuboid(4, 0, 0, 4, 8, 8)').message).toContain('x1 < x2');
    const e = parseError('a = cuboid(0, 0, 0, 4, 4, 4)\nb = union(a, a)');
    expect(e.position).toBe('a = cuboid(0, 0, 0, 4, 4, 4)\nb = union(a, '.length);
    expect(parseError('a = cuboid(0, 0, 0, 4, 4, 4)\nb = cuboid(0, 0, 0, 8, 8, 8)').message).toContain(
      'never used',
    );
  });

  it('checks every range of a primitive', () => {
    expect(primitiveError({ op: 'cylinder', axis: 'x', x: 12, y: 12, z: 12, r: 12, l: 20 })).toBeNull();
    expect(primitiveError({ op: 'cylinder', axis: 'x', x: 16, y: 12, z: 12, r: 12, l: 20 })).toContain(
      'inside',
    );
    expect(primitiveError({ op: 'cylinder', axis: 'y', x: 12, y: 12, z: 12, r: 12, l: 6 })).toContain(
      'length',
    );
  });
});
