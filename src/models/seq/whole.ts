/**
 * The whole-program MDP the shared imitation trainer (src/train/imitation.ts) sees when it trains a
 * sequence model: one action writes the whole token sequence, so each generated task is one (state,
 * action) example — a whole trajectory, trained teacher-forced in one graph — and a batch of B
 * examples holds B distinct tasks (the token-by-token MDP would give B prefixes of few tasks).
 * Training only; searches run on the token formulation. Tasks longer than the training graph's steps
 * are drawn again.
 */
import type { Domain, Rng, StepResult, Task } from '../../core/index.js';
import type { TokenDomainLike } from './codec.js';

export interface WholeSpec {
  /** The problem's spec. */
  readonly spec: unknown;
  /** The program's tokens, end token included. */
  readonly tokens: readonly number[];
}

export interface WholeState {
  readonly task: WholeSpec;
  readonly written: readonly number[] | null;
}

export type WholeDomain = Domain<WholeSpec, WholeState, readonly number[], readonly number[]>;

const same = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((t, i) => t === b[i]);

export function wholeProgramDomain(tokens: TokenDomainLike, maxSteps: number): WholeDomain {
  const vocab = tokens.grammar.vocabulary;
  return {
    id: `${tokens.id}-whole`,
    params: tokens.params,
    actionSpace: {
      size: 0,
      flat: false,
      name: (a) => a.map((t) => vocab[t]).join(' '),
      key: (a) => a.join('.'),
    },
    maxDepth: 1,
    sampleTask(rng: Rng): Task<WholeSpec, readonly number[]> {
      for (let i = 0; i < 1000; i++) {
        const t = tokens.sampleTask(rng);
        if (t.trace.length <= maxSteps) return { spec: { spec: t.spec, tokens: t.trace }, trace: [t.trace] };
      }
      throw new Error(`${tokens.id}: no sampled program of at most ${maxSteps} tokens in 1000 draws`);
    },
    initialState: (task) => ({ task, written: null }),
    randomLegalAction: () => null,
    legalActions: () => [],
    step(s, a): StepResult<WholeState> {
      if (s.written) return { ok: false, reason: 'the program is written' };
      return { ok: true, state: { task: s.task, written: a } };
    },
    isSolved: (s) => s.written !== null && same(s.written, s.task.tokens),
    isTerminal: (s) => s.written !== null,
    score: (s) => (s.written !== null && same(s.written, s.task.tokens) ? 1 : 0),
    stateKey: (s) => (s.written ? s.written.join('.') : ''),
    program: (s) => s.written,
    print: (p) => p.map((t) => vocab[t]).join(' '),
    parse: (text) =>
      text
        .trim()
        .split(/\s+/)
        .map((n) => vocab.indexOf(n)),
    describe: (s) => ({ tokens: s.task.tokens.length, written: s.written?.length ?? null }),
  };
}
