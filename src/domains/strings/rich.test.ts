import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { arbRichExpr, arbRichProgram, arbRichRow } from './arbitrary.test-util.js';
import { buildActionTable, programToActions } from './actions.js';
import { createStringsDomain } from './domain.js';
import { parseProgram, printProgram, type Program } from './dsl.js';
import { compileToFunction } from './export-js.js';
import { generateTask, replaysToSolved } from './generator.js';
import { runProgram } from './interpreter.js';
import { specConstants, specTexts } from './proposals.js';
import { legalActionList, replStep, type StringsSpec, type StringsState } from './repl.js';
import { stringsFromTokens, stringsTokens } from './tokens.js';

const p = (text: string): Program => parseProgram(text);
const rich = createStringsDomain({ mode: 'rich' });

function play(spec: StringsSpec, names: string[]): StringsState {
  let s = rich.initialState(spec);
  for (const n of names) {
    const a = rich.table.byName.get(n);
    expect(a, n).toBeDefined();
    const r = replStep(rich.repl, s, a!);
    expect(r.ok, `${n}: ${r.ok ? '' : r.reason}`).toBe(true);
    if (r.ok) s = r.state;
  }
  return s;
}

describe('rich mode: language', () => {
  it('parse(print(p)) = p on random rich programs', () => {
    fc.assert(
      fc.property(arbRichProgram, (prog) => {
        expect(parseProgram(printProgram(prog))).toEqual(prog);
      }),
      { numRuns: 2000 },
    );
  });

  it('the exported JavaScript agrees with the interpreter, and most cases produce text', () => {
    let cases = 0;
    let text = 0;
    fc.assert(
      fc.property(arbRichExpr, fc.array(arbRichRow, { minLength: 1, maxLength: 4 }), (e, rows) => {
        const prog = { exprs: [e] };
        const f = compileToFunction(prog);
        for (const row of rows) {
          const want = runProgram(prog, row);
          expect(f(...row)).toBe(want);
          cases++;
          if (want !== null && want !== '') text++;
        }
      }),
      { numRuns: 3000 },
    );
    expect(text / cases).toBeGreaterThan(0.3);
  });

  it('tokens round-trip every rich program (rich operations are one token each)', () => {
    fc.assert(
      fc.property(
        arbRichProgram.filter((q) => {
          try {
            stringsTokens(q);
            return true;
          } catch {
            return false;
          }
        }),
        (prog) => {
          const back = stringsFromTokens(stringsTokens(prog));
          expect(back && printProgram(back)).toBe(printProgram(prog));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('has the semantics of a spreadsheet user', () => {
    const run = (text: string, ...row: string[]): string | null => runProgram(p(text), row);
    expect(run('Concat(Pad(5, "0"))', '42')).toBe('00042');
    expect(run('Concat(Pad(4, " ", GetToken(Number, 0)))', 'id 7')).toBe('   7');
    expect(run('Concat(Fixed(2))', '3.14159')).toBe('3.14');
    expect(run('Concat(Fixed(1))', '7')).toBe('7.0');
    expect(run('Concat(Round(1))', '2.50')).toBe('2.5');
    expect(run('Concat(Thousands())', '1234567.5')).toBe('1,234,567.5');
    expect(run('Concat(Thousands())', '-1234')).toBe('-1,234');
    expect(run('Concat(Thousands())', 'abc')).toBeNull();
    expect(run('Concat(Len())', 'héllo')).toBe('5');
    expect(run('Concat(Add(-1, Find("@")))', 'ann@x.org')).toBe('3');
    expect(run('Concat(Count(Word))', 'a bc d')).toBe('3');
    expect(run('Concat(Test(Has(Number)))', 'abc1')).toBe('TRUE');
    expect(run('Concat(Test(StartsWithCI("dr")))', 'Dr. Who')).toBe('TRUE');
    expect(run('Concat(Test(EqualsCI("n/a")))', 'N/A')).toBe('TRUE');
    expect(run('Concat(Test(NumGt(18)))', ' 21 ')).toBe('TRUE');
    expect(run('Concat(Test(NumGt(18)))', 'x')).toBe('FALSE');
    expect(run('Concat(Test(IsEmpty))', '')).toBe('TRUE');
    expect(run('Concat(Test(Is(Number)))', '123')).toBe('TRUE');
    expect(run('Concat(Test(Is(Number)))', '12a')).toBe('FALSE');
    const cond = 'Concat(If(Contains("Inc"), 0, Then, "company"), If(Contains("Inc"), 0, Else, "person"))';
    expect(run(cond, 'Acme Inc')).toBe('company');
    expect(run(cond, 'Ann Lee')).toBe('person');
    expect(run('Concat(If(IsEmpty, 1, Else, In(1)), If(IsEmpty, 1, Then, In(0)))', 'a', '')).toBe('a');
    // Unicode classes: an accented word is one word, an accented capital a capital.
    expect(run('Concat(GetToken(UWord, 1))', 'José Müller')).toBe('Müller');
    expect(run('Concat(GetToken(Word, 1))', 'José Müller')).toBe('M');
    expect(run('Concat(GetAll(UCaps))', 'Émile Zola')).toBe('ÉZ');
  });
});

describe('rich mode: constants proposed from the examples', () => {
  const dates: StringsSpec = {
    examples: [
      { inputs: ['2029-06-01'], output: 'year: 2029; month: 06' },
      { inputs: ['2031-11-23'], output: 'year: 2031; month: 11' },
      { inputs: ['1999-01-15'], output: 'year: 1999; month: 01' },
      { inputs: ['2001-12-30'], output: 'year: 2001; month: 12' },
    ],
  };

  it('proposes shared output text the inputs cannot give, split at sensible boundaries', () => {
    const c = specConstants(dates);
    expect(c).toContain('year: ');
    expect(c).toContain('; month: ');
    expect(c.length).toBeLessThanOrEqual(8);
    const yesNo: StringsSpec = {
      examples: [
        { inputs: ['12'], output: 'small' },
        { inputs: ['400'], output: 'large' },
        { inputs: ['7'], output: 'small' },
        { inputs: ['950'], output: 'large' },
      ],
    };
    expect(specConstants(yesNo)).toEqual(expect.arrayContaining(['small', 'large']));
  });

  it('proposes input texts that tell the examples apart', () => {
    const t = specTexts({
      examples: [
        { inputs: ['Acme Inc'], output: 'x' },
        { inputs: ['Ann Lee'], output: 'y' },
        { inputs: ['Bolt Inc'], output: 'x' },
        { inputs: ['Bo Chen'], output: 'y' },
      ],
    });
    expect(t).toContain('Inc');
  });

  it('"year: " is one action: the task takes 15 actions instead of 25', () => {
    const prog = p('Concat("year: ", GetToken(Number, 0), "; month: ", GetToken(Number, 1))');
    const trace = programToActions(prog, rich.table, dates)!;
    const names = trace.map((a) => rich.table.entries[a].name);
    expect(names).toContain(`SpecConst(#${specConstants(dates).indexOf('year: ')})`);
    expect(replaysToSolved(rich.repl, dates, trace)).toBe(true);
    const extended = createStringsDomain();
    const old = programToActions(prog, extended.table)!;
    expect(trace.length).toBeLessThan(old.length);
    const s = play(
      dates,
      names.filter((n) => n !== 'Commit' || true),
    );
    expect(s.solved).toBe(true);
  });

  it('slot actions are legal only for proposed slots', () => {
    const spec: StringsSpec = {
      examples: [
        { inputs: ['a'], output: 'id: a' },
        { inputs: ['b'], output: 'id: b' },
      ],
    };
    const s0 = rich.initialState(spec);
    const legal = new Set(legalActionList(rich.repl, s0));
    const n = specConstants(spec).length;
    expect(n).toBeGreaterThan(0);
    for (let k = 0; k < 8; k++) expect(legal.has(rich.table.byName.get(`SpecConst(#${k})`)!)).toBe(k < n);
    const bad = replStep(rich.repl, s0, rich.table.byName.get('SpecConst(#7)')!);
    expect(bad.ok).toBe(false);
  });

  it('a conditional on a proposed input text, and a TRUE/FALSE test', () => {
    const spec: StringsSpec = {
      examples: [
        { inputs: ['Acme Inc'], output: 'company' },
        { inputs: ['Ann Lee'], output: 'person' },
        { inputs: ['Bolt Inc'], output: 'company' },
        { inputs: ['Bo Chen'], output: 'person' },
      ],
    };
    const prog = p('Concat(If(Contains("Inc"), 0, Then, "company"), If(Contains("Inc"), 0, Else, "person"))');
    const trace = programToActions(prog, rich.table, spec)!;
    expect(trace).not.toBeNull();
    expect(replaysToSolved(rich.repl, spec, trace)).toBe(true);
    const flags: StringsSpec = {
      examples: spec.examples.map((e) => ({
        inputs: e.inputs,
        output: e.output === 'company' ? 'TRUE' : 'FALSE',
      })),
    };
    const t2 = programToActions(p('Concat(Test(EndsWith("Inc")))'), rich.table, flags)!;
    expect(replaysToSolved(rich.repl, flags, t2)).toBe(true);
  });
});

describe('rich mode: formulation', () => {
  it('keeps every extended action at its index and appends its own', () => {
    const ext = buildActionTable({ extended: true, columns: 3 });
    const r = buildActionTable({ extended: true, columns: 3, rich: true });
    expect(r.size).toBeGreaterThan(ext.size);
    ext.entries.forEach((e, i) => expect(r.entries[i].name).toBe(e.name));
    expect(new Set(r.entries.map((e) => e.name)).size).toBe(r.size);
    expect(rich.features!.shapes.masks).toEqual([4, 23, 36]);
  });

  it('generated tasks replay to solved and use the new actions', () => {
    const rng = new Rng(7);
    const used = new Set<string>();
    for (let i = 0; i < 150; i++) {
      const t = generateTask(rng, rich.generatorConfig);
      expect(replaysToSolved(rich.repl, t.spec, t.trace)).toBe(true);
      // Every ground-truth action is legal where it is taken (the policy is trained on masked logits).
      let s = rich.initialState(t.spec);
      for (const a of t.trace) {
        expect(rich.legalMask!(s)[a], rich.table.entries[a].name).toBe(1);
        const r = rich.step(s, a);
        if (r.ok) s = r.state;
      }
      for (const a of t.trace) used.add(rich.table.entries[a].family.id);
      for (const e of t.spec.tests ?? []) expect(runProgram(t.program, e.inputs)).toBe(e.output);
    }
    for (const f of ['SpecConst', 'If', 'Test', 'Pad', 'Len']) expect(used, f).toContain(f);
  });

  it('marks proposed constants in the output and texts in the input', () => {
    const spec: StringsSpec = {
      examples: [
        { inputs: ['Acme Inc'], output: 'id: 1' },
        { inputs: ['Ann Lee'], output: 'id: 2' },
      ],
    };
    const f = rich.features!.encode([rich.initialState(spec)]);
    const W = 36;
    const R = 23;
    const row = (e: number, r: number): number[] =>
      Array.from((f.masks as Float32Array).slice((e * R + r) * W, (e * R + r) * W + 8));
    const k = specConstants(spec).indexOf('id: ');
    expect(row(0, 7 + k)).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    const t = specTexts(spec).indexOf('Inc');
    expect(row(0, 15 + t)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
  });
});

describe('all examples count', () => {
  // Four examples fit two programs (the first four characters, or the first word); the fifth and
  // sixth rule the wrong one out. More examples must never make a solvable task unsolvable.
  const rows = [
    ['Anna Smith', 'Anna'],
    ['Bert Jones', 'Bert'],
    ['Carl Brown', 'Carl'],
    ['Dora White', 'Dora'],
    ['Eve Black', 'Eve'],
    ['Frederik Green', 'Frederik'],
  ];
  const spec = (n: number): StringsSpec => ({
    examples: rows.slice(0, n).map(([i, o]) => ({ inputs: [i], output: o })),
  });

  it('every given example is checked by the REPL, not only the network slots', () => {
    const six = spec(6);
    const sub = programToActions(p('Concat(SubStr(0, 4))'), rich.table, six)!;
    expect(
      replaysToSolved(rich.repl, spec(4), programToActions(p('Concat(SubStr(0, 4))'), rich.table, spec(4))!),
    ).toBe(true);
    expect(replaysToSolved(rich.repl, six, sub)).toBe(false);
    const word = programToActions(p('Concat(GetToken(Word, 0))'), rich.table, six)!;
    expect(replaysToSolved(rich.repl, six, word)).toBe(true);
    // The network sees its 4 slots; the other examples are still in the state it scores.
    const f = rich.features!.encode([rich.initialState(six)]);
    expect(Array.from(f.exampleMask as Float32Array)).toEqual([1, 1, 1, 1]);
  });
});
