import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../core/index.js';
import { arbProgram } from './arbitrary.test-util.js';
import { bodyTokens, printProgram, programError, programShape, tokenCount, type Program } from './dsl.js';
import { lex, parseProgram } from './parse.js';

const wrap = (body: string, decls = 'int i = 0; int x = 1;'): string =>
  `int * func_1(int a[]) { ${decls} ${body} return a; }`;

describe('minic dsl: printer and parser', () => {
  it('parse(print(p)) = p for any program of the language', () => {
    fc.assert(
      fc.property(arbProgram, (p) => {
        expect(programError(p)).toBeNull();
        expect(parseProgram(printProgram(p))).toEqual(p);
      }),
      { numRuns: 400 },
    );
  });

  it('the printed program has the tokens tokenCount counts', () => {
    fc.assert(
      fc.property(arbProgram, (p) => {
        expect(lex(printProgram(p)).length).toBe(tokenCount(p));
        expect(
          lex(printProgram(p))
            .map((l) => l.t)
            .slice(10, -4),
        ).toEqual(bodyTokens(p));
      }),
      { numRuns: 200 },
    );
  });

  it('prints real C: header, declarations, else-if as else { if }, parentheses only where needed', () => {
    const p = parseProgram(
      wrap(
        'for (i = 0; i < 5; i++) { if (a[i] > x) a[i] = a[i] - (x + 1); else if (a[i] == 0) break; else { x -= 1; } }',
      ),
    );
    expect(printProgram(p)).toBe(
      [
        'int * func_1(int a[]) {',
        '  int v0 = 0;',
        '  int v1 = 1;',
        '  for (v0 = 0; v0 < 5; v0++) {',
        '    if (a[v0] > v1) {',
        '      a[v0] = a[v0] - (v1 + 1);',
        '    } else {',
        '      if (a[v0] == 0) {',
        '        break;',
        '      } else {',
        '        v1 -= 1;',
        '      }',
        '    }',
        '  }',
        '  return a;',
        '}',
      ].join('\n'),
    );
    expect(printProgram(parseProgram(wrap('x = (a[0] + 1) - a[1];')))).toContain('v1 = a[0] + 1 - a[1];');
  });

  it('accepts a little more than it prints: other names, int *a, ++x, comments', () => {
    const p = parseProgram(
      'int *f(int *xs) { /* sum */ int s = 0; int k = 0;\n for (k = 0; k < 5; ++k) s += xs[k]; // all\n ++s; xs[0] = s; return xs; }',
    );
    expect(printProgram(p)).toContain('for (v1 = 0; v1 < 5; v1++) {');
    expect(printProgram(p)).toContain('  v0++;');
    expect(parseProgram('int *g(int b[5]) { b[0]--; return b; }').body).toHaveLength(1);
  });

  const bad: [string, string, RegExp][] = [
    ['a constant outside [−4, 4]', wrap('x = 7;'), /constant 7 outside/],
    ['5 outside a loop bound', wrap('x = 5;'), /constant 5 outside/],
    ['three operations', wrap('x = a[0] + a[1] + a[2] + 1;'), /at most 2 operations/],
    ['an index counts as part of the expression', wrap('x = a[i + 1] + a[i - 1];'), /at most 2 operations/],
    [
      'assigning the loop variable',
      wrap('for (i = 0; i < 5; i++) { i = 2; }'),
      /loop variable v0 is assigned/,
    ],
    [
      'reusing an outer loop variable',
      wrap('for (i = 0; i < 5; i++) for (i = 0; i < 2; i++) x++;'),
      /loop variable/,
    ],
    ['break outside a loop', wrap('break;'), /break outside a loop/],
    ['an empty block', wrap('if (x < 0) { }'), /empty block/],
    ['a while loop', wrap('while (x < 3) x++;'), /'while' is not in the language/],
    ['an undeclared variable', wrap('y = 1;'), /undeclared variable 'y'/],
    ['a declaration after statements', wrap('x = 1; int y = 2;'), /declare locals at the top/],
    ['a declaration without a value', wrap('', 'int i;'), /needs a constant initialiser/],
    ['a loop counting with <=', wrap('for (i = 0; i <= 4; i++) x++;'), /'<'/],
    ['a different increment', wrap('for (i = 0; i < 5; x++) x++;'), /expected 'v0'|expected 'i'/],
    ['unary minus on a variable', wrap('x = -i;'), /unary minus only on constants/],
    ['return in the middle', wrap('return a; x = 1;'), /only at the end/],
    [
      'too many locals',
      wrap('', 'int b = 0; int c = 0; int d = 0; int e = 0; int f = 0; int g = 0; int h = 0;'),
      /at most 6 locals/,
    ],
    ['a stray character', wrap('x = 1 * 2;'), /expected ';'|unexpected/],
    ['returning something else', 'int * f(int a[]) { int x = 0; return x; }', /must return 'a'/],
  ];
  for (const [what, text, message] of bad)
    it(`rejects ${what} with a ParseError at a position`, () => {
      let err: unknown;
      try {
        parseProgram(text);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).message).toMatch(message);
      const pos = (err as ParseError).position;
      expect(pos).toBeGreaterThanOrEqual(0);
      expect(pos).toBeLessThanOrEqual(text.length);
    });

  it('points at the offending token', () => {
    const text = wrap('x = 7;');
    expect(() => parseProgram(text)).toThrow(ParseError);
    try {
      parseProgram(text);
    } catch (e) {
      expect(text.slice((e as ParseError).position)).toMatch(/^7;/);
    }
  });

  it('rejects programs over 256 tokens', () => {
    const long = Array.from({ length: 50 }, () => 'a[0] = a[1] + 1;').join(' ');
    expect(() => parseProgram(wrap(long))).toThrow(/tokens \(at most 256\)/);
  });

  it('shape facts count loops, nesting, ifs, breaks and continues', () => {
    const p: Program = parseProgram(
      wrap(
        'for (i = 0; i < 5; i++) { for (x = 0; x < i; x++) { if (a[x] > 0) continue; } if (i > 2) break; }',
      ),
    );
    expect(programShape(p)).toMatchObject({ loops: 2, loopDepth: 2, ifs: 2, breaks: 1, continues: 1 });
  });
});
