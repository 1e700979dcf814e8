import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { arbProgram } from './arbitrary.test-util.js';
import { parseProgram, printProgram, type Program } from './dsl.js';
import { CHARACTERS } from './regex.js';
import {
  END_TOKEN,
  StringsTokenGrammar,
  stringsFromTokens,
  stringsTokenGrammar,
  stringsTokenParts,
  stringsTokens,
  type StringsGrammarState,
} from './tokens.js';

const CHARS = new Set(CHARACTERS);
const tokenizable = (p: Program): boolean =>
  p.exprs.length > 0 &&
  p.exprs.every(
    (e) =>
      e.source.src === 'input' || (e.source.value !== '' && [...e.source.value].every((c) => CHARS.has(c))),
  );

const roundTrip = (p: Program): string | null => {
  const back = stringsFromTokens(stringsTokens(p));
  return back && printProgram(back);
};

/** The grammar state after names, checking each token is legal (mask and next agree); null if not. */
function walkNames(g: StringsTokenGrammar, names: readonly string[]): StringsGrammarState | null {
  const mask = new Uint8Array(g.vocabulary.length);
  let s = g.start();
  for (const n of names) {
    const t = g.vocabulary.indexOf(n);
    if (t < 0) return null;
    g.legal(s, mask);
    const next = g.next(s, t);
    expect(mask[t] === 1).toBe(next !== null);
    if (next === null) return null;
    s = next;
  }
  return s;
}

/** A random legal walk to the end; checks mask = next for every token and the cap at every step. */
function randomWalk(g: StringsTokenGrammar, rng: Rng, endBias: number): string[] {
  const mask = new Uint8Array(g.vocabulary.length);
  const out: string[] = [];
  let s = g.start();
  for (;;) {
    g.legal(s, mask);
    expect(mask[g.end] === 1).toBe(g.isComplete(s) && out[out.length - 1] !== END_TOKEN);
    const legal: number[] = [];
    const before = JSON.stringify(s);
    for (let t = 0; t < mask.length; t++) {
      if ((g.next(s, t) !== null) !== (mask[t] === 1))
        expect.fail(`mask and next disagree on ${g.vocabulary[t]}`);
      if (mask[t]) legal.push(t);
    }
    expect(JSON.stringify(s)).toBe(before);
    if (legal.length === 0) {
      expect(out[out.length - 1]).toBe(END_TOKEN);
      return out;
    }
    const t = mask[g.end] && rng.bool(endBias) ? g.end : legal[rng.int(legal.length)];
    out.push(g.vocabulary[t]);
    expect(out.length).toBeLessThanOrEqual(g.maxTokens);
    s = g.next(s, t)!;
  }
}

describe('strings tokens: tokenizer', () => {
  it('fromTokens(tokens(p)) prints as p on random programs', () => {
    fc.assert(
      fc.property(arbProgram.filter(tokenizable), (p) => {
        expect(roundTrip(p)).toBe(printProgram(p));
        const chars = stringsFromTokens(stringsTokens(p, false));
        expect(chars && printProgram(chars)).toBe(printProgram(p));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes expressions source first, operations innermost first, constants in pieces', () => {
    const p = parseProgram(
      'Concat(ToCase(Proper, GetToken(Word, 1)), ", ", SubStr(0, 3, In(2)), "x", "stay")',
    );
    expect(stringsTokens(p).join(' ')).toBe(
      'In(0) GetToken Word 1 ToCase(Proper) Const(", ") In(2) SubStr 0 3 Const("x") ' +
        'Const("st") + Const("a") + Const("y")',
    );
    expect(roundTrip(p)).toBe(printProgram(p));
    expect(
      roundTrip(parseProgram('Concat(Replace(" ", "", Trim()), GetSpan("(", 0, End, Word, -1, Start))')),
    ).toBe('Concat(Replace(" ", "", Trim()), GetSpan("(", 0, End, Word, -1, Start))');
  });

  it('refuses malformed token lists', () => {
    for (const bad of [
      [],
      [END_TOKEN],
      ['GetToken', 'Word', '1'],
      ['In(0)', 'GetToken', 'Word'],
      ['In(0)', 'GetToken', '"("', '1'],
      ['In(0)', 'GetToken', 'Word', '6'],
      ['+', 'Const("a")'],
      ['Const("a")', '+'],
      ['Const("a")', '+', 'In(0)'],
      ['In(0)', 'Bogus'],
      ['In(0)', END_TOKEN, 'In(0)'],
    ])
      expect(stringsFromTokens(bad)).toBeNull();
    expect(stringsFromTokens(['In(1)', END_TOKEN])).toEqual({
      exprs: [{ source: { src: 'input', col: 1 }, ops: [] }],
    });
  });

  it('throws for constants the vocabulary cannot write', () => {
    expect(() => stringsTokens({ exprs: [{ source: { src: 'const', value: '' }, ops: [] }] })).toThrow(
      /empty/,
    );
    expect(() => stringsTokens({ exprs: [{ source: { src: 'const', value: 'é' }, ops: [] }] })).toThrow(
      /"é"/,
    );
  });
});

describe('strings tokens: grammar', () => {
  const paper = stringsTokenGrammar({ extended: false });
  const extended = stringsTokenGrammar();

  it('has a vocabulary of distinct names with the end token first', () => {
    for (const g of [paper, extended, stringsTokenGrammar({ columns: 16 })]) {
      expect(new Set(g.vocabulary).size).toBe(g.vocabulary.length);
      expect(g.vocabulary[g.end]).toBe(END_TOKEN);
    }
    expect([paper.vocabulary.length, paper.maxTokens]).toEqual([215, 48]);
    expect([extended.vocabulary.length, extended.maxTokens]).toEqual([257, 64]);
    expect(paper.vocabulary).not.toContain('Trim');
    expect(paper.vocabulary).not.toContain('In(1)');
  });

  for (const mode of ['paper', 'extended'] as const)
    for (const taskSource of ['random', 'families'] as const)
      it(`accepts the tokens of every generated program (${mode}, ${taskSource}) within the cap`, () => {
        const { grammar, tokenizer, sampleProgram } = stringsTokenParts({ mode, taskSource });
        for (let seed = 0; seed < 150; seed++) {
          const { program } = sampleProgram(new Rng(seed));
          const names = [...tokenizer.tokens(program), END_TOKEN];
          expect(names.length).toBeLessThanOrEqual(grammar.maxTokens);
          const end = walkNames(grammar, names);
          expect(end, names.join(' ')).not.toBeNull();
          expect(roundTrip(program)).toBe(printProgram(program));
        }
      });

  it('random legal walks end, parse and stay within the cap (any cap, any limit)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.boolean(),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(0, 0.3, 0.9),
        (seed, ext, maxTokens, maxExprs, endBias) => {
          const g = stringsTokenGrammar({ extended: ext, maxTokens, maxExprs });
          const walk = randomWalk(g, new Rng(seed), endBias);
          expect(walk.length).toBeLessThanOrEqual(maxTokens);
          const p = stringsFromTokens(walk);
          expect(p, walk.join(' ')).not.toBeNull();
          expect(p!.exprs.length).toBeLessThanOrEqual(maxExprs);
          expect(roundTrip(p!)).toBe(printProgram(p!));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses tokens out of place, out of range, or past the cap', () => {
    const g = stringsTokenGrammar({ maxTokens: 5 });
    const t = (n: string): number => g.vocabulary.indexOf(n);
    const s0 = g.start();
    expect(g.next(s0, g.end)).toBeNull();
    expect(g.next(s0, t('GetToken'))).toBeNull();
    expect(g.next(s0, -1)).toBeNull();
    expect(g.next(s0, 0.5)).toBeNull();
    expect(g.next(s0, g.vocabulary.length)).toBeNull();
    const s1 = g.next(s0, t('In(0)'))!;
    // GetSpan needs 7 tokens and the end: more than the 4 left.
    expect(g.next(s1, t('GetSpan'))).toBeNull();
    const s2 = g.next(s1, t('GetToken'))!;
    expect(g.next(s2, t('"("'))).toBeNull();
    expect(g.isComplete(s2)).toBe(false);
    const s4 = g.next(g.next(s2, t('Word'))!, t('1'))!;
    expect(g.isComplete(s4)).toBe(true);
    const mask = new Uint8Array(g.vocabulary.length);
    g.legal(s4, mask);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(1);
    expect(g.next(g.next(s4, g.end)!, t('In(0)'))).toBeNull();
  });
});
