import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { readFileSync } from 'node:fs';
import { parseCsv, parseJsonl, parseTaskText } from './task-file.js';

const readTaskFile = (path: string) => parseTaskText(readFileSync(path, 'utf8'), path);

const catchErr = (f: () => unknown): InputError => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('strings task files', () => {
  it('reads the example JSONL file with tests and rows to fill', () => {
    const tasks = readTaskFile('examples/strings/names.jsonl');
    expect(tasks.map((t) => t.name)).toEqual([
      'last-comma-first',
      'initials',
      'drop-title',
      'full-name-from-columns',
    ]);
    expect(tasks[0].spec.examples).toHaveLength(4);
    expect(tasks[0].spec.tests).toHaveLength(2);
    expect(tasks[0].spec.fill).toEqual([['Frances Allen']]);
    expect(tasks[1].spec.examples[0]).toEqual({ inputs: ['Grace Hopper'], output: 'G.H.' });
    expect(tasks[3].spec.fill).toHaveLength(2);
    expect(tasks[3].line).toBe(4);
  });

  it('reads the example CSV file: header, examples, rows to fill', () => {
    const [t] = readTaskFile('examples/strings/phones.csv');
    expect(t.name).toBe('phones');
    expect(t.spec.examples).toHaveLength(4);
    expect(t.spec.fill).toEqual([['(617) 253-1000'], ['(650) 723-2300']]);
  });

  it('handles quoted CSV cells and headerless files', () => {
    const [t] = parseCsv('"Smith, John","John"\n"a ""b""",b\nx,\n', 'f.csv', { header: false });
    expect(t.spec.examples).toEqual([
      { inputs: ['Smith, John'], output: 'John' },
      { inputs: ['a "b"'], output: 'b' },
    ]);
    expect(t.spec.fill).toEqual([['x']]);
  });

  it('names the line and field of the first error', () => {
    const cases: [string, number, string | null, RegExp][] = [
      ['{"examples": []}', 1, 'examples', /non-empty/],
      ['\n{"examples": [{"inputs": ["a"], "output": 3}]}', 2, 'examples[0].output', /string/],
      [
        '{"examples": [{"inputs": ["a"], "output": "b"}, {"inputs": ["a", "c"], "output": "b"}]}',
        1,
        'examples[1].inputs',
        /columns/,
      ],
      ['{"examples": [{"inputs": ["a"]}]}', 1, 'examples[0].output', /missing/],
      ['{"examples": [{"inputs": ["a"], "output": "b"}], "extra": 1}', 1, 'extra', /unknown/],
      ['{not json', 1, null, /invalid JSON/],
    ];
    for (const [text, line, field, problem] of cases) {
      const e = catchErr(() => parseJsonl(text, 't.jsonl'));
      expect([e.line, e.field]).toEqual([line, field]);
      expect(e.problem).toMatch(problem);
      expect(e.message).toContain(`t.jsonl:${line}`);
    }
    const e = catchErr(() => parseCsv('a,b\nc,d,e\n', 'p.csv'));
    expect(e.line).toBe(2);
    expect(catchErr(() => parseCsv('in,output\nx,\n', 'p.csv')).problem).toMatch(/no row has an output/);
  });
});

describe('strings example files are solvable in the DSL', () => {
  it('reference programs reproduce every example and test of the shipped files', async () => {
    const { parseProgram } = await import('./dsl.js');
    const { runProgram } = await import('./interpreter.js');
    const programs: Record<string, string> = {
      'last-comma-first': 'Concat(GetToken(Word, 1), ", ", GetToken(Word, 0))',
      initials: 'Concat(GetToken(AllCaps, 0), ".", GetToken(AllCaps, 1), ".")',
      'drop-title': 'Concat(GetSpan(PropCase, 1, Start, Word, -1, End))',
      'full-name-from-columns': 'Concat(ToCase(Proper, In(1)), ", ", ToCase(Proper, In(0)))',
      phones: 'Concat(GetToken(Number, 0), "-", GetToken(Number, 1), "-", GetToken(Number, 2))',
    };
    const tasks = [
      ...readTaskFile('examples/strings/names.jsonl'),
      ...readTaskFile('examples/strings/phones.csv'),
    ];
    for (const t of tasks) {
      const p = parseProgram(programs[t.name]);
      for (const ex of [...t.spec.examples, ...t.spec.tests])
        expect(runProgram(p, ex.inputs), t.name).toBe(ex.output);
      for (const row of t.spec.fill) expect(runProgram(p, row)).not.toBeNull();
    }
  });
});
