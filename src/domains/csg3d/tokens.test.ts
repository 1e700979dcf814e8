import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { ALL_PRIMITIVES } from './actions.js';
import { createCsg3dDomain } from './domain.js';
import { printProgram } from './dsl.js';
import { Csg3dTokenGrammar, csg3dFromTokens, csg3dTokenParts, csg3dTokens, END_TOKEN } from './tokens.js';
import { replay } from '../../core/index.js';

const grammar = new Csg3dTokenGrammar();

function walk(tokens: readonly string[]) {
  let g = grammar.start();
  for (const t of tokens) {
    const next = grammar.next(g, grammar.vocabulary.indexOf(t));
    if (next === null) return null;
    g = next;
  }
  return g;
}

describe('csg3d tokens', () => {
  it('programs round-trip through their tokens, and the grammar accepts them', () => {
    const domain = createCsg3dDomain();
    const rng = new Rng(1);
    for (let i = 0; i < 10; i++) {
      const t = domain.sampleTask(rng);
      const r = replay(domain, t.spec, t.trace);
      if (!r.ok) throw new Error(r.reason);
      const p = domain.program(r.state)!;
      const toks = csg3dTokens(p);
      expect(printProgram(csg3dFromTokens(toks)!)).toBe(printProgram(p));
      const g = walk([...toks, END_TOKEN]);
      expect(g === null ? null : grammar.isComplete(g)).toBe(true);
    }
    expect(csg3dTokens({ op: 'cylinder', axis: 'y', x: 8, y: 0, z: 8, r: 4, l: 12 })).toEqual([
      'cylinder',
      'axis=y',
      'x=8',
      'y=0',
      'z=8',
      'r=4',
      'l=12',
    ]);
  });

  it('the grammar allows exactly the valid primitives', () => {
    let accepted = 0;
    for (const p of ALL_PRIMITIVES.filter((_, i) => i % 97 === 0)) {
      const g = walk(csg3dTokens(p));
      if (g && grammar.isComplete(g)) accepted++;
    }
    expect(accepted).toBe(Math.ceil(ALL_PRIMITIVES.length / 97));
    expect(walk(['sphere', 'x=0', 'y=16', 'z=16', 'r=4'])).toBeNull();
    expect(walk(['cylinder', 'axis=z', 'x=8', 'y=8', 'z=16'])).not.toBeNull();
    expect(walk(['cylinder', 'axis=z', 'x=8', 'y=8', 'z=16', 'r=4', 'l=20'])).toBeNull();
    expect(csg3dFromTokens(['union', 'sphere', 'x=16', 'y=16', 'z=16', 'r=8'])).toBeNull();
  });

  it('random legal walks end within the cap and decode to programs', () => {
    const rng = new Rng(3);
    const mask = new Uint8Array(grammar.vocabulary.length);
    for (let w = 0; w < 20; w++) {
      let g = grammar.start();
      const names: string[] = [];
      for (;;) {
        grammar.legal(g, mask);
        const legal = [...mask.keys()].filter((t) => mask[t]);
        expect(legal.length).toBeGreaterThan(0);
        const t = mask[grammar.end] && rng.bool(0.3) ? grammar.end : rng.pick(legal);
        names.push(grammar.vocabulary[t]);
        g = grammar.next(g, t)!;
        if (t === grammar.end) break;
      }
      expect(names.length).toBeLessThanOrEqual(grammar.maxTokens);
      expect(csg3dFromTokens(names)).not.toBeNull();
    }
    const parts = csg3dTokenParts({ maxTokens: 64 });
    expect(parts.grammar.maxTokens).toBe(64);
    expect(parts.sampleProgram(new Rng(2)).spec.size).toBe(32);
  });
});
