import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { ALL_PRIMITIVES, PRIMITIVE_COUNTS } from './actions.js';
import { parseProgram, primitiveError, printProgram, type Primitive, type Program } from './dsl.js';
import {
  Csg2dTokenGrammar,
  END_TOKEN,
  csg2dFromTokens,
  csg2dTokenParts,
  csg2dTokens,
  type Csg2dGrammarState,
} from './tokens.js';

const arbPrimitive = fc.integer({ min: 0, max: ALL_PRIMITIVES.length - 1 }).map((i) => ALL_PRIMITIVES[i]);
const arbProgram: fc.Arbitrary<Program> = fc.letrec<{ p: Program }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbPrimitive,
    fc.record({ op: fc.constantFrom('union' as const, 'diff' as const), a: tie('p'), b: tie('p') }),
  ),
})).p;

const grammar = new Csg2dTokenGrammar();
/** Primitive heads are tokens 1–3 (end, circle, rect, rect45, union, diff). */
const ids = (names: readonly string[]): number[] => names.map((n) => grammar.vocabulary.indexOf(n));

/** The state after token indices, checking mask = next on each; null at the first illegal one. */
function walk(g: Csg2dTokenGrammar, tokens: readonly number[]): Csg2dGrammarState | null {
  const mask = new Uint8Array(g.vocabulary.length);
  let s = g.start();
  for (const t of tokens) {
    g.legal(s, mask);
    const n = g.next(s, t);
    expect(mask[t] === 1).toBe(n !== null);
    if (n === null) return null;
    s = n;
  }
  return s;
}

/** A random legal walk to the end; checks mask = next for every token and purity at every step. */
function randomWalk(g: Csg2dTokenGrammar, rng: Rng, endBias: number): number[] {
  const mask = new Uint8Array(g.vocabulary.length);
  const out: number[] = [];
  let s = g.start();
  for (;;) {
    g.legal(s, mask);
    expect(mask[g.end] === 1).toBe(g.isComplete(s) && out[out.length - 1] !== g.end);
    const before = JSON.stringify(s);
    const legal: number[] = [];
    for (let t = 0; t < mask.length; t++) {
      if ((g.next(s, t) !== null) !== (mask[t] === 1))
        expect.fail(`mask and next disagree on ${g.vocabulary[t]}`);
      if (mask[t]) legal.push(t);
    }
    expect(JSON.stringify(s)).toBe(before);
    if (legal.length === 0) {
      expect(out[out.length - 1]).toBe(g.end);
      return out;
    }
    // Biased towards primitives: uniform walks open operators faster than they close them.
    const prims = legal.filter((t) => t >= 1 && t <= 3);
    const t =
      mask[g.end] && rng.bool(endBias)
        ? g.end
        : prims.length > 0 && rng.bool(endBias)
          ? prims[rng.int(prims.length)]
          : legal[rng.int(legal.length)];
    out.push(t);
    expect(out.length).toBeLessThanOrEqual(g.maxTokens);
    s = g.next(s, t)!;
  }
}

describe('csg2d tokens: tokenizer', () => {
  it('fromTokens(tokens(p)) prints as p on random programs', () => {
    fc.assert(
      fc.property(arbProgram, (p) => {
        const back = csg2dFromTokens(csg2dTokens(p));
        expect(back && printProgram(back)).toBe(printProgram(p));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes prefix notation with one token per named parameter', () => {
    const p = parseProgram('a = circle(16, 16, 20)\nb = rect(10, 10, 22, 22)\nc = diff(a, b)');
    expect(csg2dTokens(p).join(' ')).toBe('diff circle x=16 y=16 d=20 rect x1=10 y1=10 x2=22 y2=22');
  });

  it('refuses malformed or out-of-range tokens', () => {
    for (const bad of [
      '',
      END_TOKEN,
      'union circle x=16 y=16 d=20',
      'circle x=16 y=16',
      'circle y=16 x=16 d=20',
      'circle x=2 y=16 d=20',
      'rect x1=10 y1=10 x2=10 y2=22',
      'rect45 x=0 y=0 a=2 b=2',
      'circle x=16 y=16 d=20 circle x=16 y=16 d=20',
      'circle x=16 y=16 d=20 <end> <end>',
      'square x=1',
    ])
      expect(csg2dFromTokens(bad === '' ? [] : bad.split(' ')), bad).toBeNull();
    expect(csg2dFromTokens('circle x=16 y=16 d=20 <end>'.split(' '))).toEqual({
      op: 'circle',
      x: 16,
      y: 16,
      d: 20,
    });
  });
});

describe('csg2d tokens: grammar', () => {
  it('has 136 distinct tokens, the end token first, and a cap of 128', () => {
    expect(grammar.vocabulary.length).toBe(136);
    expect(new Set(grammar.vocabulary).size).toBe(136);
    expect(grammar.vocabulary[grammar.end]).toBe(END_TOKEN);
    expect(grammar.maxTokens).toBe(128);
  });

  it('allows exactly the valid primitives (the REPL parameter ranges)', () => {
    const mask = new Uint8Array(grammar.vocabulary.length);
    const found: Primitive[] = [];
    const dfs = (s: Csg2dGrammarState, names: string[]): void => {
      if (grammar.isComplete(s)) {
        found.push(csg2dFromTokens(names) as Primitive);
        return;
      }
      grammar.legal(s, mask);
      const legal = [...mask.keys()].filter((t) => mask[t] && (names.length > 0 || t <= 3));
      for (const t of legal) dfs(grammar.next(s, t)!, [...names, grammar.vocabulary[t]]);
    };
    dfs(grammar.start(), []);
    expect(found.length).toBe(ALL_PRIMITIVES.length);
    expect(found.every((p) => p !== null && primitiveError(p) === null)).toBe(true);
    for (const op of ['circle', 'rect', 'rect45'] as const)
      expect(found.filter((p) => p.op === op).length).toBe(PRIMITIVE_COUNTS[op]);
  });

  it('accepts the tokens of generated scenes within the cap', () => {
    const { sampleProgram } = csg2dTokenParts();
    let over = 0;
    for (let seed = 0; seed < 300; seed++) {
      const { program } = sampleProgram(new Rng(seed));
      const tokens = ids([...csg2dTokens(program), END_TOKEN]);
      if (tokens.length > grammar.maxTokens) {
        over++;
        continue;
      }
      expect(walk(grammar, tokens), csg2dTokens(program).join(' ')).not.toBeNull();
    }
    expect(over).toBe(0);
  });

  it('random legal walks end, parse and stay within the cap (any cap)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 5, max: 60 }),
        fc.constantFrom(0, 0.5, 0.9),
        (seed, maxTokens, endBias) => {
          const g = new Csg2dTokenGrammar({ maxTokens });
          const tokens = randomWalk(g, new Rng(seed), endBias);
          expect(tokens.length).toBeLessThanOrEqual(maxTokens);
          const p = csg2dFromTokens(tokens.map((t) => g.vocabulary[t]));
          expect(p, tokens.map((t) => g.vocabulary[t]).join(' ')).not.toBeNull();
          expect(csg2dTokens(p!)).toEqual(tokens.slice(0, -1).map((t) => g.vocabulary[t]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses tokens out of place, out of range, or past the cap', () => {
    const g = new Csg2dTokenGrammar({ maxTokens: 10 });
    const s0 = g.start();
    for (const t of [g.end, -1, 1.5, g.vocabulary.length, ...ids(['x=16', 'd=20'])])
      expect(g.next(s0, t)).toBeNull();
    // union needs two subtrees: 1 + 4 + 4 + end = 10 tokens, so only circles fit below it.
    const s1 = walk(g, ids(['union']))!;
    const mask = new Uint8Array(g.vocabulary.length);
    g.legal(s1, mask);
    expect(g.vocabulary.filter((_, t) => mask[t])).toEqual(['circle']);
    const s2 = walk(g, ids(['union', 'circle', 'x=4']))!;
    g.legal(s2, mask);
    expect(g.vocabulary.filter((_, t) => mask[t])).toEqual([
      'y=4',
      'y=6',
      'y=8',
      'y=10',
      'y=12',
      'y=14',
      'y=16',
      'y=18',
      'y=20',
      'y=22',
      'y=24',
      'y=26',
      'y=28',
    ]);
    const s3 = walk(g, ids(['union', 'circle', 'x=4', 'y=4']))!;
    g.legal(s3, mask);
    // A circle at (4, 4) fits only with diameters up to 8.
    expect(g.vocabulary.filter((_, t) => mask[t])).toEqual(['d=6', 'd=8']);
    expect(g.isComplete(s3)).toBe(false);
  });
});
