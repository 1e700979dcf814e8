/**
 * The token formulation of strings and csg2d: the shared domain conformance checks with their
 * grammars, and searches (beam, SMC) that find small programs token by token.
 */
import { describe, expect, it } from 'vitest';
import {
  FlatEvaluator,
  Rng,
  replay,
  type FlatScores,
  type SearchAlgorithm,
  type Task,
} from '../../src/core/index.js';
import { primitiveCount, type Program } from '../../src/domains/csg2d/dsl.js';
import {
  Csg2dTokenGrammar,
  CSG2D_TOKEN_PARAMS,
  csg2dFromTokens,
  csg2dTokenParts,
  csg2dTokens,
  type Csg2dGrammarState,
} from '../../src/domains/csg2d/tokens.js';
import { parseProgram, type Program as StringsProgram } from '../../src/domains/strings/dsl.js';
import type { StringsSpec } from '../../src/domains/strings/repl.js';
import {
  STRINGS_TOKEN_PARAMS,
  stringsTokenGrammar,
  stringsFromTokens,
  stringsTokenParts,
  stringsTokens,
  type StringsGrammarState,
} from '../../src/domains/strings/tokens.js';
import {
  encodeTokens,
  tokenFormulationDefinition,
  type TokenDomain,
  type TokenGrammar,
  type TokenState,
} from '../../src/formulations/index.js';
import {
  astarSearch,
  beamSearch,
  beamValueSearch,
  rolloutSearch,
  smcSearch,
} from '../../src/search/index.js';
import { describeDomainConformance, describeSearchConformance } from '../conformance/describe-conformance.js';
import { csg2dProblem } from '../../src/domains/csg2d/problem.js';
import { stringsProblem } from '../../src/domains/strings/problem.js';

// The domain grammars implement the shared interface structurally (domains cannot import it).
const _strings: TokenGrammar<StringsGrammarState> = stringsTokenGrammar();
const _csg: TokenGrammar<Csg2dGrammarState> = new Csg2dTokenGrammar();
void [_strings, _csg];

// The problems with their tokenizers wired in, as their owner will (see tokens.ts of each folder).
const strings = {
  ...stringsProblem,
  tokens: (p: StringsProgram) => stringsTokens(p),
  fromTokens: stringsFromTokens,
};
const csg2d = { ...csg2dProblem, tokens: csg2dTokens, fromTokens: csg2dFromTokens };

const stringsTokensDefinition = tokenFormulationDefinition(strings, {
  params: STRINGS_TOKEN_PARAMS,
  parts: stringsTokenParts,
});
const csg2dTokensDefinition = tokenFormulationDefinition(csg2d, {
  params: CSG2D_TOKEN_PARAMS,
  parts: csg2dTokenParts,
});

describeDomainConformance(stringsTokensDefinition, { mode: 'paper' }, { tasks: 25 });
describeDomainConformance(stringsTokensDefinition, { mode: 'extended', taskSource: 'mixed' }, { tasks: 25 });
describeDomainConformance(csg2dTokensDefinition, {}, { tasks: 25 });

describe('token formulation definitions', () => {
  it('follow the id convention and name their problem', () => {
    expect([stringsTokensDefinition.id, stringsTokensDefinition.problem]).toEqual([
      'strings-tokens',
      'strings',
    ]);
    expect([csg2dTokensDefinition.id, csg2dTokensDefinition.problem]).toEqual(['csg2d-tokens', 'csg2d']);
    const d = csg2dTokensDefinition.create({ maxTokens: 40 });
    expect([d.actionSpace.size, d.maxDepth]).toEqual([136, 40]);
    const s = stringsTokensDefinition.create({ mode: 'paper' });
    expect([s.actionSpace.size, s.maxDepth]).toEqual([215, 48]);
  });
});

// The shared search checks on the token formulations: uniform-evaluator runs (budgets, determinism,
// batching, any-time trace) and trace-oracle runs that must solve generated tasks.
// Small csg2d scenes keep traces short enough for the checks' batching bound (beam of width 1 on a
// 90-token trace makes 90 calls of one state); A* asks for 8 children per expansion, not 800.
for (const [def, params] of [
  [stringsTokensDefinition, {}],
  [csg2dTokensDefinition, { maxShapes: 3 }],
] as const)
  describe(def.id, () => {
    for (const alg of [beamSearch, beamValueSearch, smcSearch, rolloutSearch])
      describeSearchConformance(alg, { domain: def.create(params), tasks: 5 });
    describeSearchConformance(astarSearch, {
      domain: def.create(params),
      tasks: 5,
      options: { childrenPerExpansion: 8 },
    });
  });

/**
 * An oracle-ish evaluator: noisy logits (a hash of prefix and token, in [0, 2)) plus 3 for the target's
 * next token while the prefix is still on the target; value 0.9 on the target's prefixes, 0.1 off them.
 */
function noisyOracle<S, P, G>(domain: TokenDomain<S, P, G>, target: readonly number[]) {
  const size = domain.actionSpace.size;
  return new FlatEvaluator<TokenState<S, P, G>>('noisy-oracle', domain, (states) =>
    states.map((s): FlatScores => {
      const key = domain.stateKey(s);
      const logits = new Float32Array(size);
      let h = 0x811c9dc5;
      for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
      for (let t = 0; t < size; t++) logits[t] = ((Math.imul(h ^ t, 0x9e3779b1) >>> 8) % 2000) / 1000;
      const onTarget = domain.prefix(s).every((t, i) => t === target[i]);
      if (onTarget && s.length < target.length) logits[target[s.length]] += 3;
      return { logits, value: onTarget ? 0.9 : 0.1 };
    }),
  );
}

function replayed<S, P, G>(domain: TokenDomain<S, P, G>, task: Task<S, number>): TokenState<S, P, G> {
  const r = replay(domain, task.spec, task.trace);
  if (!r.ok) throw new Error(r.reason);
  return r.state;
}

async function solve<S, P, G>(
  domain: TokenDomain<S, P, G>,
  spec: S,
  target: readonly number[],
  alg: SearchAlgorithm,
  nodes: number,
) {
  const evaluator = noisyOracle(domain, target);
  return alg.run({ domain, evaluator, spec, budget: { nodes }, rng: new Rng(7) });
}

describe('searching the token formulation', () => {
  it('beam and SMC find a 1–2 primitive csg2d scene within a few thousand nodes', async () => {
    const domain = csg2dTokensDefinition.create() as TokenDomain<unknown, Program, Csg2dGrammarState>;
    const tasks = Array.from({ length: 12 }, (_, seed) => domain.sampleTask(new Rng(seed), { maxSize: 2 }));
    const small = tasks.filter((t) => primitiveCount(domain.program(replayed(domain, t))!) <= 2).slice(0, 4);
    expect(small.length).toBe(4);
    for (const [seed, task] of small.entries()) {
      for (const alg of [beamSearch, smcSearch]) {
        const r = await solve(domain, task.spec, task.trace, alg, 3000);
        expect(r.best?.solved, `${alg.id} seed ${seed}`).toBe(true);
        expect(r.nodesExpanded).toBeLessThanOrEqual(3000);
        expect(domain.score(r.best!.state)).toBe(1);
      }
    }
  });

  it('beam and SMC find a single-substring strings program and a constant one', async () => {
    const domain = stringsTokensDefinition.create() as TokenDomain<StringsSpec, unknown, StringsGrammarState>;
    const cases: [StringsSpec, string][] = [
      [
        {
          examples: [
            { inputs: ['John Smith'], output: 'John' },
            { inputs: ['Ada Lovelace'], output: 'Ada' },
          ],
        },
        'Concat(GetToken(Word, 0))',
      ],
      [
        {
          examples: [
            { inputs: ['x'], output: 'N/A' },
            { inputs: ['y'], output: 'N/A' },
          ],
        },
        'Concat("N/A")',
      ],
    ];
    for (const [spec, text] of cases) {
      const target = [
        ...encodeTokens(domain.grammar, stringsTokens(parseProgram(text)))!,
        domain.grammar.end,
      ];
      expect(replay(domain, spec, target).ok).toBe(true);
      for (const alg of [beamSearch, smcSearch]) {
        const r = await solve(domain, spec, target, alg, 3000);
        expect(r.best?.solved, `${alg.id} ${text}`).toBe(true);
      }
    }
  });
});
