import { describe, expect, it } from 'vitest';
import { Rng, SpecError, replay, uniformEvaluator, type Metrics } from '../core/index.js';
import { randomLegalWalk, type TokenGrammar, type Tokenizer } from './grammar.js';
import { tokenFormulation, tokenFormulationDefinition, type TokenProblem } from './token.js';

// A toy problem: programs are 1–3 digits (0–2), the spec a target sum.
type Digits = readonly number[];
interface SumSpec {
  readonly target: number;
}
const VOCAB = ['<end>', '0', '1', '2'];

/** Grammar state = number of digits written, or −1 after the end token. */
function digitsGrammar(maxTokens = 4): TokenGrammar<number> {
  const legal = (g: number, t: number): boolean =>
    g >= 0 && (t === 0 ? g >= 1 : t >= 1 && t <= 3 && g + 2 <= maxTokens);
  return {
    vocabulary: VOCAB,
    end: 0,
    maxTokens,
    start: () => 0,
    next: (g, t) => (legal(g, t) ? (t === 0 ? -1 : g + 1) : null),
    legal: (g, out) => {
      for (let t = 0; t < out.length; t++) out[t] = legal(g, t) ? 1 : 0;
    },
    isComplete: (g) => g !== 0,
  };
}

const digitsTokenizer: Tokenizer<Digits> = {
  tokens: (p) => p.map(String),
  fromTokens: (names) => {
    const body = names[names.length - 1] === '<end>' ? names.slice(0, -1) : names;
    return body.length > 0 && body.every((n) => /^[012]$/.test(n)) ? body.map(Number) : null;
  },
};

const evaluations: Digits[] = [];
const problem: TokenProblem<SumSpec, Digits> = {
  id: 'sum',
  validate: (spec) => {
    if (!(spec.target >= 0)) throw new SpecError('target must be ≥ 0');
  },
  evaluate(spec, program): Metrics {
    if (program) evaluations.push(program);
    const sum = (program ?? []).reduce((a, b) => a + b, 0);
    return { score: program ? 1 / (1 + Math.abs(sum - spec.target)) : 0, solved: sum === spec.target };
  },
  print: (p) => p.join(''),
  parse: (t) => [...t].map(Number),
};

const sampleProgram = (rng: Rng) => {
  const program = Array.from({ length: rng.range(1, 5) }, () => rng.int(3));
  return { spec: { target: program.reduce((a, b) => a + b, 0) }, program };
};

const domain = tokenFormulation(problem, digitsGrammar(), { sampleProgram, tokenizer: digitsTokenizer });
const spec = { target: 3 };

describe('token formulation', () => {
  it('names itself after the problem and exposes the vocabulary as a flat action space', () => {
    expect(domain.id).toBe('sum-tokens');
    expect([domain.actionSpace.size, domain.actionSpace.flat, domain.maxDepth]).toEqual([4, true, 4]);
    expect(domain.actionSpace.name(2)).toBe('1');
  });

  it('appends tokens without touching the parent, and finishes at the end token', () => {
    const s0 = domain.initialState(spec);
    const r1 = domain.step(s0, 2);
    expect(r1.ok).toBe(true);
    if (!r1.ok) return;
    expect([s0.length, domain.describe(s0)]).toEqual([0, '']);
    const r2 = domain.step(r1.state, 3);
    const sibling = domain.step(r1.state, 1);
    if (!r2.ok || !sibling.ok) throw new Error('legal steps failed');
    expect(domain.describe(r2.state)).toBe('1 2');
    expect(domain.prefix(r2.state)).toEqual([2, 3]);
    expect(domain.stateKey(r2.state)).not.toBe(domain.stateKey(sibling.state));
    expect([domain.program(r2.state), domain.score(r2.state), domain.isTerminal(r2.state)]).toEqual([
      null,
      0,
      false,
    ]);
    const end = domain.step(r2.state, 0);
    if (!end.ok) throw new Error(end.reason);
    expect(domain.program(end.state)).toEqual([1, 2]);
    expect([domain.isSolved(end.state), domain.score(end.state), domain.isTerminal(end.state)]).toEqual([
      true,
      1,
      true,
    ]);
    expect(domain.specOf(end.state)).toBe(spec);
    expect(domain.legalMask!(end.state)).toEqual(new Uint8Array(4));
    expect(domain.randomLegalAction(end.state, new Rng(1))).toBeNull();
  });

  it('refuses illegal, non-integer and out-of-range tokens with a reason, never throwing', () => {
    const s0 = domain.initialState(spec);
    for (const a of [0, -1, 4, 1.5, NaN]) {
      const r = domain.step(s0, a);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/not legal/);
    }
    const full = replay(domain, spec, [1, 1, 1]);
    if (!full.ok) throw new Error(full.reason);
    expect(domain.legalMask!(full.state)).toEqual(Uint8Array.from([1, 0, 0, 0]));
    const after = replay(domain, spec, [1, 0]);
    if (!after.ok) throw new Error(after.reason);
    expect(domain.step(after.state, 1)).toEqual({ ok: false, reason: 'the program is finished' });
  });

  it('scores a finished program once, with the problem', () => {
    evaluations.length = 0;
    const r = replay(domain, { target: 4 }, [3, 3, 0]);
    if (!r.ok) throw new Error(r.reason);
    expect(domain.score(r.state)).toBe(1);
    domain.score(r.state);
    domain.isSolved(r.state);
    expect(evaluations).toEqual([[2, 2]]);
    const miss = replay(domain, { target: 4 }, [2, 0]);
    if (!miss.ok) throw new Error(miss.reason);
    expect([domain.isSolved(miss.state), domain.score(miss.state)]).toEqual([false, 0.25]);
  });

  it('samples tasks as token traces, drawing again when a program does not fit the cap', () => {
    for (let seed = 0; seed < 30; seed++) {
      const task = domain.sampleTask(new Rng(seed));
      expect(task.trace.length).toBeLessThanOrEqual(4);
      expect(task.trace[task.trace.length - 1]).toBe(0);
      const r = replay(domain, task.spec, task.trace);
      expect(r.ok && domain.isSolved(r.state)).toBe(true);
    }
    const tooLong = tokenFormulation(problem, digitsGrammar(), {
      tokenizer: digitsTokenizer,
      sampleProgram: () => ({ spec, program: [1, 1, 1, 0] }),
      maxAttempts: 3,
    });
    expect(() => tooLong.sampleTask(new Rng(1))).toThrow(
      /sum-tokens: no sampled program fits the grammar in 3 draws/,
    );
  });

  it('validates specs with the problem and uses its tokenizer by default', () => {
    expect(() => domain.initialState({ target: -1 })).toThrow(SpecError);
    expect(() => tokenFormulation(problem, digitsGrammar(), { sampleProgram })).toThrow(
      /no tokens\/fromTokens/,
    );
    const withTokens = tokenFormulation({ ...problem, ...digitsTokenizer }, digitsGrammar(), {
      sampleProgram,
    });
    const r = replay(withTokens, spec, [2, 3, 0]);
    expect(r.ok && withTokens.program(r.state)).toEqual([1, 2]);
  });

  it('random legal rollouts always reach a finished, parsed program', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 200; i++) {
      let s = domain.initialState(spec);
      while (!domain.isTerminal(s)) {
        const a = domain.randomLegalAction(s, rng)!;
        expect(domain.legalMask!(s)[a]).toBe(1);
        const r = domain.step(s, a);
        if (!r.ok) throw new Error(r.reason);
        s = r.state;
      }
      expect(domain.program(s)).not.toBeNull();
      expect(randomLegalWalk(digitsGrammar(), rng).length).toBeLessThanOrEqual(4);
    }
  });

  it('works with the uniform evaluator (flat action space with a legality mask)', async () => {
    const ev = uniformEvaluator(domain);
    const [e] = await ev.evaluate([domain.initialState(spec)], [{ kind: 'top', k: 10 }], new Rng(1));
    expect(e.proposals.map((p) => p.action)).toEqual([1, 2, 3]);
  });

  it('builds a registrable definition from parameters', () => {
    const def = tokenFormulationDefinition(problem, {
      params: [{ name: 'maxTokens', type: 'int', default: 4, min: 2, max: 10, description: 'cap' }],
      parts: (p) => ({
        grammar: digitsGrammar(p.maxTokens as number),
        sampleProgram,
        tokenizer: digitsTokenizer,
      }),
    });
    expect([def.id, def.problem]).toEqual(['sum-tokens', 'sum']);
    const d = def.create({ maxTokens: 6 });
    expect([d.id, d.maxDepth, d.params]).toEqual(['sum-tokens', 6, { maxTokens: 6 }]);
    expect(() => def.create({ bogus: 1 })).toThrow(/unknown parameter/);
  });
});
