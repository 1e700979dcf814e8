import { describe, expect, it } from 'vitest';
import { Rng, getSearch, uniformEvaluator } from '../src/core/index.js';
import '../src/search/index.js';
import { createStringsDomain, runProgram, type StringsSpec } from '../src/domains/strings/index.js';

const rich = createStringsDomain({ mode: 'rich' });

describe('all examples count in a search', () => {
  it('six examples rule out the program four examples allow, and never lose a solvable task', async () => {
    // In the first four rows the number is also the text after the last space; not in the others.
    const rows = [
      ['Ann 12', '12'],
      ['Bo 345', '345'],
      ['Cy 6', '6'],
      ['Di 78', '78'],
      ['Ed 9 x', '9'],
      ['Flo 10 yz', '10'],
    ];
    const heldOut = { inputs: ['Gus 55 q'], output: '55' };
    const run = async (n: number) => {
      const spec: StringsSpec = { examples: rows.slice(0, n).map(([i, o]) => ({ inputs: [i], output: o })) };
      const r = await getSearch('enum').run({
        domain: rich,
        evaluator: uniformEvaluator(rich),
        spec,
        budget: { nodes: 40_000 },
        rng: new Rng(1),
        stopOnSolve: true,
      });
      const prog = r.best?.solved ? rich.program(r.best.state) : null;
      return prog;
    };
    const four = await run(4);
    const six = await run(6);
    expect(four).not.toBeNull();
    expect(six).not.toBeNull();
    // Four examples let the first program found be one that fails the held-out row; six do not.
    expect(runProgram(four!, heldOut.inputs)).not.toBe(heldOut.output);
    expect(runProgram(six!, heldOut.inputs)).toBe(heldOut.output);
    for (const [i, o] of rows) expect(runProgram(six!, [i])).toBe(o);
  });
});
