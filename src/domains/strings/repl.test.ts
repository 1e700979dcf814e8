import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { createStringsDomain } from './domain.js';
import { parseProgram, printProgram } from './dsl.js';
import { runProgram } from './interpreter.js';
import type { StringsSpec, StringsState } from './repl.js';

const paper = createStringsDomain({ mode: 'paper' });
const ext = createStringsDomain();
const act = (name: string, d = paper): number => {
  const a = d.table.byName.get(name);
  if (a === undefined) throw new Error(`no action ${name}`);
  return a;
};
const run = (spec: StringsSpec, names: string[], d = paper) =>
  replay(
    d,
    spec,
    names.map((n) => act(n, d)),
  );
const spec1: StringsSpec = {
  examples: [
    { inputs: ['(hello)123'], output: 'HELLORE' },
    { inputs: ['(mister)123'], output: 'MISTERRE' },
  ],
};

describe('strings action table', () => {
  it('has exactly 482 actions in paper mode, in the original order', () => {
    expect(paper.actionSpace.size).toBe(482);
    expect(paper.table.phaseNames).toEqual([
      'ToCase',
      'Replace1',
      'Replace2',
      'SubStr1',
      'SubStr2',
      'GetToken1',
      'GetToken2',
      'GetUpTo',
      'GetFrom',
      'GetFirst1',
      'GetFirst2',
      'GetAll',
      'GetSpan1',
      'GetSpan2',
      'GetSpan3',
      'GetSpan4',
      'GetSpan5',
      'GetSpan6',
      'Const',
      'Commit',
    ]);
    expect(paper.actionSpace.name(0)).toBe('ToCase(Proper)');
    expect(paper.actionSpace.name(481)).toBe('Commit');
  });

  it('extended mode keeps the paper indices and appends its own actions', () => {
    expect(ext.actionSpace.size).toBeGreaterThan(482);
    for (let a = 0; a < 482; a++) expect(ext.actionSpace.name(a)).toBe(paper.actionSpace.name(a));
    for (const n of ['Trim', 'Replace2("")', 'Column(1)', 'ConstWord(", ")'])
      expect(ext.table.byName.has(n)).toBe(true);
  });
});

describe('strings REPL', () => {
  it('runs the GetSpan example of ROBUT.py test3 to solved', () => {
    const r = run(spec1, [
      'GetSpan1("(")',
      'GetSpan2(0)',
      'GetSpan3(End)',
      'GetSpan4(")")',
      'GetSpan5(0)',
      'GetSpan6(Start)',
      'ToCase(AllCaps)',
      'Commit',
      'Const("R")',
      'Commit',
      'Const("E")',
      'Commit',
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(paper.isSolved(r.state)).toBe(true);
    expect(paper.score(r.state)).toBe(1);
    const prog = paper.program(r.state)!;
    expect(printProgram(prog)).toBe('Concat(ToCase(AllCaps, GetSpan("(", 0, End, ")", 0, Start)), "R", "E")');
    expect(runProgram(prog, '(x)')).toBe('XRE');
  });

  it('first phases change nothing visible and set the pending operation', () => {
    const r = run(spec1, ['GetSpan1("(")', 'GetSpan2(0)']);
    expect(r.ok && r.state.scratch).toEqual(['(hello)123', '(mister)123']);
    expect(r.ok && r.state.pending.length).toBe(2);
  });

  it('fails on a wrong second phase, an index error, no change, and a broken prefix', () => {
    const fails = (names: string[]): string => {
      const r = run(spec1, names);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.reason;
    };
    expect(fails(['GetToken1(Word)', 'SubStr2(3)'])).toMatch(/out of phase/);
    expect(fails(['SubStr2(3)'])).toMatch(/out of phase/);
    expect(fails(['GetToken1(Word)', 'GetToken2(4)'])).toMatch(/index error/);
    expect(fails(['ToCase(Lower)'])).toMatch(/changes nothing/);
    expect(fails(['Commit'])).toMatch(/prefix/);
    expect(fails(['SubStr1(0)', 'SubStr2(0)', 'Commit'])).toMatch(/changes nothing/);
  });

  it('allows at most 6 commits in paper mode', () => {
    const spec: StringsSpec = { examples: [{ inputs: ['a'], output: 'aaaaaaa' }] };
    const r = run(spec, ['Commit', 'Commit', 'Commit', 'Commit', 'Commit', 'Commit']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(paper.isTerminal(r.state)).toBe(true);
    expect(paper.step(r.state, act('Commit')).ok).toBe(false);
    expect(paper.legalMask!(r.state)[act('Commit')]).toBe(0);
  });

  it('masks only the continuation after a first phase', () => {
    const r = run(spec1, ['GetToken1(Word)']);
    if (!r.ok) throw new Error(r.reason);
    const mask = paper.legalMask!(r.state);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(11);
    expect(mask[act('GetToken2(-5)')]).toBe(1);
  });

  it('extended mode: columns, Trim, delete-all, constant words', () => {
    const spec: StringsSpec = {
      examples: [
        { inputs: ['  Ada ', 'x-y-z'], output: 'Ada, xyz' },
        { inputs: [' Alan', 'a-b'], output: 'Alan, ab' },
      ],
    };
    const r = run(
      spec,
      ['Trim', 'Commit', 'ConstWord(", ")', 'Commit', 'Column(1)', 'Replace1("-")', 'Replace2("")', 'Commit'],
      ext,
    );
    expect(r.ok && ext.isSolved(r.state)).toBe(true);
    if (!r.ok) return;
    expect(printProgram(ext.program(r.state)!)).toBe('Concat(Trim(), ", ", Replace("-", "", In(1)))');
  });

  it('never mutates, and the committed program reproduces committed text', () => {
    const rng = new Rng(3);
    for (let t = 0; t < 30; t++) {
      const task = paper.sampleTask(rng);
      let s: StringsState = paper.initialState(task.spec);
      for (let k = 0; k < 30 && !paper.isTerminal(s); k++) {
        const before = JSON.stringify(s);
        const a = paper.randomLegalAction(s, rng)!;
        const r = paper.step(s, a);
        expect(JSON.stringify(s)).toBe(before);
        if (!r.ok) break;
        s = r.state;
        const prog = paper.program(s);
        if (prog)
          task.spec.examples.forEach((ex, i) => expect(runProgram(prog, ex.inputs)).toBe(s.committed[i]));
      }
    }
  });

  it('rejects unusable specs with a SpecError', () => {
    expect(() => paper.initialState({ examples: [] })).toThrow(/at least one example/);
    expect(() => paper.initialState({ examples: [{ inputs: ['a', 'b'], output: 'x' }] })).toThrow(
      /1 input column/,
    );
    expect(() => paper.initialState({ examples: [{ inputs: ['x'.repeat(40)], output: 'x' }] })).toThrow(
      /longer than the limit of 36/,
    );
    expect(() => paper.initialState({ examples: [{ inputs: ['é'], output: 'x' }] })).toThrow(/96 characters/);
    expect(() => ext.initialState({ examples: [{ inputs: ['é'.repeat(80)], output: 'x' }] })).not.toThrow();
  });

  it('parses a program with the REPL-independent parser and runs it', () => {
    const prog = parseProgram('Concat(GetToken(Word, 1), ", ", GetToken(Word, 0))');
    expect(runProgram(prog, 'Grace Hopper')).toBe('Hopper, Grace');
  });
});
