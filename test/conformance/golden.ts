/**
 * Golden playthroughs: for seeded tasks, the task, its action trace and the REPL state after every
 * step. A committed file pins the semantics; a fresh run that differs means training data changed.
 */
import { Rng, replay, type AnyDomain } from '../../src/core/index.js';

export interface Playthrough {
  readonly seed: number;
  readonly task: unknown;
  readonly actions: readonly string[];
  readonly states: readonly unknown[];
  readonly program: string | null;
  readonly solved: boolean;
}

export interface GoldenFile {
  readonly domain: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly playthroughs: readonly Playthrough[];
}

export function playthroughs(domain: AnyDomain, seeds: readonly number[]): GoldenFile {
  return {
    domain: domain.id,
    params: domain.params,
    playthroughs: seeds.map((seed) => {
      const task = domain.sampleTask(new Rng(seed));
      const r = replay(domain, task.spec, task.trace);
      const last = r.states[r.states.length - 1];
      const program = domain.program(last);
      return {
        seed,
        task: JSON.parse(JSON.stringify(task.spec)) as unknown,
        actions: task.trace.map((a) => domain.actionSpace.name(a)),
        states: r.states.map((s) => JSON.parse(JSON.stringify(domain.describe(s))) as unknown),
        program: program === null ? null : domain.print(program),
        solved: r.ok && domain.isSolved(r.state),
      };
    }),
  };
}

export const goldenSeeds = [1, 2, 3, 4, 5, 6, 7, 8];
