import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { arbProgram } from './arbitrary.test-util.js';
import { printProgram, programError, tokenCount } from './dsl.js';
import {
  END_TOKEN,
  MINIC_MAX_TOKENS,
  MINIC_VOCABULARY,
  MinicTokenGrammar,
  type MinicGrammarState,
} from './grammar.js';
import { minicFromTokens, minicTokenParts, minicTokens } from './tokens.js';

const ids = (names: readonly string[]): number[] => names.map((n) => MINIC_VOCABULARY.indexOf(n));

/** The state after token names, checking legal = next at every step; null at the first refused one. */
function walk(g: MinicTokenGrammar, names: readonly string[]): MinicGrammarState | null {
  const mask = new Uint8Array(g.vocabulary.length);
  let s = g.start();
  for (const t of ids(names)) {
    g.legal(s, mask);
    const n = g.next(s, t);
    expect(mask[t] === 1).toBe(n !== null);
    if (n === null) return null;
    s = n;
  }
  return s;
}

/**
 * A random legal walk to the end, checking at every step: mask = next, next does not mutate, end is
 * legal exactly when complete. `stopBias` prefers tokens that close structures, so walks finish.
 */
function randomWalk(g: MinicTokenGrammar, rng: Rng, stopBias: number): string[] {
  const mask = new Uint8Array(g.vocabulary.length);
  const out: string[] = [];
  let s = g.start();
  const closing = new Set(ids([END_TOKEN, '}', ';', ')', ']', '0', '1']));
  for (;;) {
    g.legal(s, mask);
    expect(mask[g.end] === 1).toBe(g.isComplete(s) && !s.ended);
    const before = JSON.stringify(s);
    const legal: number[] = [];
    for (let t = 0; t < mask.length; t++) if (mask[t]) legal.push(t);
    expect(JSON.stringify(s)).toBe(before);
    if (legal.length === 0) {
      expect(out[out.length - 1]).toBe(END_TOKEN);
      return out;
    }
    const closers = legal.filter((t) => closing.has(t));
    const t =
      closers.length && rng.bool(stopBias) ? closers[rng.int(closers.length)] : legal[rng.int(legal.length)];
    out.push(g.vocabulary[t]);
    expect(out.length).toBeLessThanOrEqual(g.maxTokens);
    s = g.next(s, t)!;
  }
}

describe('minic tokens', () => {
  const g = new MinicTokenGrammar();

  it('a whole program is at most 256 C tokens: 243 body tokens with the end token', () => {
    expect(MINIC_MAX_TOKENS).toBe(243);
    expect(MINIC_VOCABULARY.length).toBe(40);
  });

  it('the tokens of any program of the language are legal, end complete and read back as the program', () => {
    fc.assert(
      fc.property(arbProgram, (p) => {
        const names = minicTokens(p);
        const s = walk(g, [...names, END_TOKEN]);
        expect(s, names.join(' ')).not.toBeNull();
        expect(s!.ended).toBe(true);
        expect(minicFromTokens(names)).toEqual(p);
        expect(minicFromTokens([...names, END_TOKEN])).toEqual(p);
      }),
      { numRuns: 400 },
    );
  });

  it('random legal walks always finish within the cap and always parse into a valid program', () => {
    const rng = new Rng('minic/walks');
    for (let i = 0; i < 150; i++) {
      const names = randomWalk(g, rng, i % 3 === 0 ? 0 : 0.5);
      const p = minicFromTokens(names);
      expect(p, names.join(' ')).not.toBeNull();
      expect(programError(p!)).toBeNull();
      expect(tokenCount(p!)).toBeLessThanOrEqual(256);
      expect(minicTokens(p!)).toEqual(names.slice(0, -1));
    }
  });

  it('with a small cap every prefix still completes', () => {
    const small = new MinicTokenGrammar(30);
    const rng = new Rng('minic/small');
    for (let i = 0; i < 150; i++) {
      const names = randomWalk(small, rng, 0);
      expect(names.length).toBeLessThanOrEqual(30);
      expect(minicFromTokens(names)).not.toBeNull();
    }
  });

  it('refuses what the language forbids', () => {
    const refused = (body: string): boolean => walk(g, body.split(' ')) === null;
    expect(refused('int v1 = 0 ;')).toBe(true); // locals are declared in order
    expect(refused('int v0 = 5 ;')).toBe(true);
    expect(refused('int v0 = 0 ; v0 = 5 ;')).toBe(true);
    expect(refused('int v0 = 0 ; for ( v0 = 0 ; v0 < 5 ;')).toBe(false);
    expect(refused('int v0 = 0 ; for ( v0 = 0 ; v0 < 5 ; v0 ++ ) { v0 = 1 ;')).toBe(true);
    expect(refused('int v0 = 0 ; v0 = a [ 0 ] + a [ 1 ] + a [ 2 ] +')).toBe(true);
    expect(refused('int v0 = 0 ; if ( v0 < 1 ) { v0 ++ ; } else if')).toBe(true); // else { if … }
    expect(refused('int v0 = 0 ; v0 = a [ v0 + 1 ] + ( 1')).toBe(true);
    expect(refused('int v0 = 0 ; v0 = a [ v0 ] - ( a [ v0 + 1 ]')).toBe(true); // the reserved operation
    expect(refused('int v0 = 0 ; break')).toBe(true);
    expect(refused('int v0 = 0 ; if ( v0 < 1 ) { }')).toBe(true);
    expect(refused('int v0 = 0 ; v0 ++ ; int')).toBe(true);
    expect(refused('a [ - 0')).toBe(true);
    expect(refused('for')).toBe(true); // no local to count with
  });

  it('the sampler draws training tasks whose programs fit the grammar', () => {
    const parts = minicTokenParts();
    const rng = new Rng(4);
    for (let i = 0; i < 20; i++) {
      const s = parts.sampleProgram(rng);
      expect(
        walk(parts.grammar, [...minicTokens(s.program), END_TOKEN])?.ended,
        printProgram(s.program),
      ).toBe(true);
      expect(s.spec.examples).toHaveLength(5);
    }
    const small = parts.sampleProgram(new Rng(1), { maxSize: 2 });
    expect(small.program.body.length).toBeLessThanOrEqual(3);
  });
});
