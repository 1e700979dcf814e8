/**
 * The whole-program MDP the shared imitation trainer sees when it trains a sequence model: one step
 * writes the whole token sequence, so each generated task is one (state, action) example — a whole
 * trajectory, trained teacher-forced in one graph — and a batch of B examples holds B distinct scenes.
 * (The token-by-token MDP would hand the trainer B prefixes of one scene per batch.) Used only by
 * training; searches run on the token formulation.
 */
import type { Domain, Rng, StepResult, Task } from '../../core/index.js';
import type { SequenceExample, SequenceStream } from './kinds.js';

export interface WholeState {
  readonly example: SequenceExample;
  readonly written: readonly number[] | null;
}

const same = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((t, i) => t === b[i]);

export function wholeProgramDomain(
  stream: SequenceStream,
): Domain<SequenceExample, WholeState, readonly number[], readonly number[]> {
  return {
    id: `${stream.kind.formulation}-whole`,
    params: stream.tokens.params,
    actionSpace: { size: 0, flat: false, name: (a) => a.join(' '), key: (a) => a.join('.') },
    maxDepth: 1,
    sampleTask(rng: Rng): Task<SequenceExample, readonly number[]> {
      const example = stream.next(rng);
      return { spec: example, trace: [example.tokens] };
    },
    initialState: (example) => ({ example, written: null }),
    randomLegalAction: () => null,
    legalActions: () => [],
    step(s, a): StepResult<WholeState> {
      if (s.written) return { ok: false, reason: 'the program is written' };
      return { ok: true, state: { example: s.example, written: a } };
    },
    isSolved: (s) => s.written !== null && same(s.written, s.example.tokens),
    isTerminal: (s) => s.written !== null,
    score: (s) => (s.written !== null && same(s.written, s.example.tokens) ? 1 : 0),
    stateKey: (s) => (s.written ? s.written.join('.') : ''),
    program: (s) => s.written,
    print: (p) => p.join(' '),
    parse: (t) => t.trim().split(/\s+/).map(Number),
    describe: (s) => ({ tokens: s.example.tokens.length, written: s.written?.length ?? null }),
  };
}
