import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbInput, arbProgram } from './arbitrary.test-util.js';
import { toC, toJs, toJsFunction } from './export.js';
import { compileProgram, RUN_STEPS, runProgram } from './interpreter.js';
import { parseProgram } from './parse.js';

describe('minic exports', () => {
  it('the JavaScript function gives what the interpreter gives, and throws where it reports an index error', () => {
    fc.assert(
      fc.property(arbProgram, fc.array(arbInput, { minLength: 1, maxLength: 3 }), (p, inputs) => {
        // Programs that reach the step limit would loop (almost) for ever in JavaScript, as in C.
        if (inputs.some((i) => compileProgram(p, 5000).run(i, []) === RUN_STEPS)) return;
        const f = toJsFunction(p);
        for (const input of inputs) {
          const r = runProgram(p, input);
          if (r.ok) expect(f(input)).toEqual(r.output);
          else expect(() => f(input)).toThrow(RangeError);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('writes a standalone function and a C file with the function and a demo main', () => {
    const p = parseProgram(
      'int * f(int a[]) { int s = 0; int i = 0; for (i = 0; i < 5; i++) s += a[i]; a[0] = s; return a; }',
    );
    expect(toJs(p)).toMatch(/^\/\*\*[^]*\nfunction func_1\(input\) \{\n/);
    expect(toJs(p)).not.toMatch(/import|require/);
    const c = toC(p);
    expect(c).toContain('int * func_1(int a[]) {');
    expect(c).toContain('#ifdef MINIC_MAIN');
    expect(toJsFunction(p)([1, 2, 3, 4, 5])).toEqual([15, 2, 3, 4, 5]);
  });
});
