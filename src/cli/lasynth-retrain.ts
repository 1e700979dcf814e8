/**
 * LaSynth's iterative retraining (`--iterative_retraining_prog_gen`; REFERENCE §2): decode a program for
 * every training spec with the current model (greedy); where the decoded program satisfies the spec's
 * examples, it replaces the training target (the dataset's program); then train on the relabelled tasks
 * and report the round. The tasks are a `replsynth data minic` train split (programs as C text).
 */
import { readFileSync } from 'node:fs';
import { InputError, Rng, type Learner, type LoadedModel, type Task } from '../core/index.js';
import { minicTokenizer, parseProgram, parseTaskFile, type MinicSpec } from '../domains/minic/index.js';
import { programTokens } from '../formulations/index.js';
import type { TokenDomainLike } from '../models/seq/codec.js';
import { wholeProgramDomain, type WholeSpec, type WholeState } from '../models/seq/whole.js';
import { trainImitation, type TrainLogEntry } from '../train/index.js';

export interface RetrainTask {
  readonly spec: MinicSpec;
  /** The training target: program tokens, end token included. */
  readonly tokens: readonly number[];
}

/** The tasks of a train split whose programs fit the formulation (and the training graph's steps). */
export function datasetTasks(file: string, tokens: TokenDomainLike, maxSteps: number): RetrainTask[] {
  const text = readFileSync(file, 'utf8');
  const specs = parseTaskFile(text, file);
  const out: RetrainTask[] = [];
  let at = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const spec = specs[at++].spec;
    const prog = (JSON.parse(raw) as { program?: unknown }).program;
    if (typeof prog !== 'string')
      throw new InputError(file, i + 1, 'program', 'retraining needs each task’s program');
    const names = minicTokenizer.tokens(parseProgram(prog));
    const trace = programTokens(tokens.grammar as Parameters<typeof programTokens>[0], names);
    if (trace && trace.length <= maxSteps) out.push({ spec, tokens: trace });
  });
  if (out.length === 0) throw new InputError(file, 1, 'program', `no program of at most ${maxSteps} tokens`);
  return out;
}

/** The model's greedy program for a spec: its tokens when it satisfies the spec, else null. */
export async function decodeGreedy(model: LoadedModel, spec: MinicSpec): Promise<number[] | null> {
  const d = model.domain as TokenDomainLike;
  const ev = model.evaluator();
  const rng = new Rng(0);
  let s = d.initialState(spec);
  for (let k = 0; k < d.grammar.maxTokens && !d.isTerminal(s); k++) {
    const [e] = await ev.evaluate([s], [{ kind: 'top', k: 1 }], rng);
    if (e.proposals.length === 0) return null;
    const r = d.step(s, e.proposals[0].action as number);
    if (!r.ok) return null;
    s = r.state;
  }
  return d.isTerminal(s) && d.isSolved(s) ? d.prefix(s) : null;
}

export interface RoundReport {
  readonly round: number;
  readonly tasks: number;
  /** Specs whose greedy program satisfies the examples. */
  readonly solved: number;
  /** Targets replaced by a different decoded program. */
  readonly replaced: number;
  readonly step: number;
}

/** Replaces each target by its decoded program where one was found; counts the changes. */
export function relabel(
  tasks: readonly RetrainTask[],
  decoded: readonly (readonly number[] | null)[],
  maxSteps: number,
): { tasks: RetrainTask[]; solved: number; replaced: number } {
  let solved = 0;
  let replaced = 0;
  const out = tasks.map((t, i) => {
    const p = decoded[i];
    if (!p) return t;
    solved++;
    if (p.length > maxSteps || (p.length === t.tokens.length && p.every((x, j) => x === t.tokens[j])))
      return t;
    replaced++;
    return { spec: t.spec, tokens: p };
  });
  return { tasks: out, solved, replaced };
}

/** One round: decode, relabel, train `steps` more steps on the relabelled tasks. */
export async function retrainRound(
  round: number,
  tasks: readonly RetrainTask[],
  learner: Learner<WholeState, readonly number[]> & { loaded(threads?: number): Promise<LoadedModel> },
  o: {
    readonly tokens: TokenDomainLike;
    readonly maxSteps: number;
    readonly steps: number;
    readonly batchSize: number;
    readonly seed: number;
    readonly checkpointDir?: string;
    readonly log?: (e: TrainLogEntry) => void;
  },
): Promise<{ tasks: RetrainTask[]; report: RoundReport }> {
  const model = await learner.loaded(1);
  const decoded: (number[] | null)[] = [];
  for (const t of tasks) decoded.push(await decodeGreedy(model, t.spec));
  await model.dispose?.();
  const r = relabel(tasks, decoded, o.maxSteps);
  const domain = wholeProgramDomain(o.tokens, o.maxSteps);
  const source = (rng: Rng): Task<WholeSpec, readonly number[]> => {
    const t = r.tasks[rng.int(r.tasks.length)];
    return { spec: { spec: t.spec, tokens: t.tokens }, trace: [t.tokens] };
  };
  await trainImitation(
    domain,
    learner,
    {
      steps: learner.step + o.steps,
      batchSize: o.batchSize,
      seed: o.seed + round,
      validationSize: Math.min(64, r.tasks.length),
      validateEvery: o.steps,
      checkpointEvery: o.steps,
      ...(o.checkpointDir ? { checkpointDir: o.checkpointDir } : {}),
    },
    source,
    o.log,
  );
  return {
    tasks: r.tasks,
    report: { round, tasks: tasks.length, solved: r.solved, replaced: r.replaced, step: learner.step },
  };
}
