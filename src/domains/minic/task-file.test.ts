import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, SpecError, UserError } from '../../core/index.js';
import { parseInlineExamples, parseTaskFile, validateSpec } from './task-file.js';

const ex = (input: number[], output: number[]) => ({ input, output });
const line = (o: unknown): string => JSON.stringify(o);
const inc = 'int * func_1(int a[]) { a[0] = a[0] + 1; return a; }';

function errorOf(text: string): InputError {
  try {
    parseTaskFile(text, 'tasks.jsonl');
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('minic task files', () => {
  it('reads tasks with only examples, with tests, and with a program (checked, its size a fact)', () => {
    const text = [
      line({ examples: [ex([1, 2, 3, 4, 5], [2, 2, 3, 4, 5])] }),
      '',
      line({
        name: 'inc',
        program: inc,
        examples: [ex([0, 0, 0, 0, 0], [1, 0, 0, 0, 0])],
        tests: [ex([3, 1, 1, 1, 1], [4, 1, 1, 1, 1])],
      }),
    ].join('\n');
    const specs = parseTaskFile(text, 'tasks.jsonl');
    expect(specs.map((s) => s.name)).toEqual(['task 1', 'inc']);
    expect(specs[0].spec).toEqual({ examples: [ex([1, 2, 3, 4, 5], [2, 2, 3, 4, 5])] });
    expect(specs[1].spec.tests).toHaveLength(1);
    expect(specs[1].facts?.targetTokens).toBe(26);
  });

  const cases: [string, string, number, string | null, RegExp][] = [
    ['bad JSON', '{"examples": [', 1, null, /invalid JSON/],
    ['an unknown field', line({ examples: [], colour: 1 }), 1, 'colour', /unknown field/],
    ['no examples', line({ examples: [] }), 1, 'examples', /non-empty array/],
    [
      'a short list',
      `\n${line({ examples: [ex([1, 2, 3], [1, 2, 3])] })}`,
      2,
      'examples[0].input',
      /list of 5 integers/,
    ],
    [
      'a float',
      line({ examples: [ex([1, 2, 3, 4, 5], [1, 2, 3, 4, 5.5])] }),
      1,
      'examples[0].output',
      /32-bit integers/,
    ],
    [
      'a missing output',
      line({ examples: [{ input: [1, 2, 3, 4, 5] }] }),
      1,
      'examples[0].output',
      /missing output/,
    ],
    [
      'a program that does not parse',
      line({ program: 'int main() {}', examples: [ex([0, 0, 0, 0, 0], [0, 0, 0, 0, 0])] }),
      1,
      'program',
      /expected '\*'/,
    ],
    [
      'a program that disagrees',
      line({ program: inc, examples: [ex([0, 0, 0, 0, 0], [0, 0, 0, 0, 0])] }),
      1,
      'examples[0].output',
      /gives \[1,0,0,0,0\], not \[0,0,0,0,0\]/,
    ],
    ['an empty file', '\n\n', 1, null, /no tasks/],
  ];
  for (const [what, text, lineNo, field, message] of cases)
    it(`reports ${what} with the file, line and field`, () => {
      const e = errorOf(text);
      expect([e.file, e.line, e.field]).toEqual(['tasks.jsonl', lineNo, field]);
      expect(e.problem).toMatch(message);
    });

  it('any bytes give tasks or one InputError on one line (mutated records and random text)', () => {
    const good = line({ name: 'inc', program: inc, examples: [ex([0, 0, 0, 0, 0], [1, 0, 0, 0, 0])] });
    const mutated = fc
      .tuple(fc.nat(good.length), fc.nat(8), fc.string({ maxLength: 6 }))
      .map(([at, cut, insert]) => good.slice(0, at) + insert + good.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ maxLength: 200 })), (text) => {
        try {
          parseTaskFile(text, 'f.jsonl');
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).message).not.toMatch(/\n/);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reads inline pairs, with or without brackets; a bad one is a usage error naming it', () => {
    expect(
      parseInlineExamples(['[1,2,3,4,5] => [2,3,4,5,6]', '0 0 0 0 0 => 1 1 1 1 1'])[0].spec.examples,
    ).toEqual([ex([1, 2, 3, 4, 5], [2, 3, 4, 5, 6]), ex([0, 0, 0, 0, 0], [1, 1, 1, 1, 1])]);
    expect(parseInlineExamples([])).toEqual([]);
    expect(() => parseInlineExamples(['[1,2,3,4,5] -> [1,2,3,4,5]'])).toThrow(UserError);
    expect(() => parseInlineExamples(['[1,2,3] => [1,2,3,4,5]'])).toThrow(/example 1 .*list of 5 integers/);
  });

  it('validate refuses specs the problem cannot work on', () => {
    expect(() => validateSpec({ examples: [] })).toThrow(SpecError);
    expect(() => validateSpec({ examples: [ex([1, 2, 3, 4, 5], [1, 2, 3, 4])] })).toThrow(/example 1/);
    expect(() =>
      validateSpec({
        examples: [ex([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])],
        tests: [ex([2 ** 31, 0, 0, 0, 0], [0, 0, 0, 0, 0])],
      }),
    ).toThrow(/test 1/);
    expect(() => validateSpec({ examples: [ex([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])] })).not.toThrow();
  });
});
