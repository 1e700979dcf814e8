/**
 * Tasks and datasets with the paper's constraints (REFERENCE §2): lists of 5 ints in [−4, 4], 5 spec
 * examples and 5 held-out tests, outputs in range, no trivial program (identity or constant), at most
 * 256 tokens. A program's behaviour is its outputs on a fixed probe set: equal behaviours are
 * duplicates, and a fixed hash of the behaviour picks the split, so no training task of any dataset
 * (any sizes, any seed) behaves like a test task of another.
 */
import { Rng } from '../../core/index.js';
import { CONST_MAX, CONST_MIN, LIST_LENGTH, MAX_PROGRAM_TOKENS, tokenCount, type Program } from './dsl.js';
import { defaultGeneratorOptions, randomProgram, type GeneratorOptions } from './generator.js';
import { compileProgram, RUN_OK, type CompiledProgram } from './interpreter.js';

export const EXAMPLES_PER_TASK = 5;
export const TESTS_PER_TASK = 5;

export interface MinicExample {
  readonly input: readonly number[];
  readonly output: readonly number[];
}

export interface MinicSpec {
  readonly examples: readonly MinicExample[];
  readonly tests?: readonly MinicExample[];
}

export type Split = 'train' | 'val' | 'test';
export const SPLITS: readonly Split[] = ['train', 'val', 'test'];

/** A generated task: its behaviour key, split, ground-truth program and spec. */
export interface MinicTask {
  readonly key: string;
  readonly split: Split;
  readonly program: Program;
  readonly spec: MinicSpec & { readonly tests: readonly MinicExample[] };
}

export type RejectReason = 'error' | 'identity' | 'constant' | 'range' | 'tokens' | 'unwanted';

/** A rejected candidate; past the behaviour checks it names its behaviour key and split. */
export interface Rejected {
  readonly reject: RejectReason;
  readonly key?: string;
  readonly split?: Split;
}

// ------------------------------------------------------------------ the probe set and behaviours

function probeSet(): Int32Array[] {
  const fixed = [
    [0, 0, 0, 0, 0],
    [-2, -1, 0, 1, 2],
    [4, 2, 0, -2, -4],
    [-4, 4, -4, 4, -4],
    [1, 1, 1, 1, 1],
    [3, -3, 2, -2, 1],
  ];
  const rng = new Rng('minic/probes/v1');
  const out = fixed.map((p) => Int32Array.from(p));
  while (out.length < 16)
    out.push(Int32Array.from({ length: LIST_LENGTH }, () => rng.range(CONST_MIN, CONST_MAX)));
  return out;
}

/** The fixed inputs every program is run on to identify its behaviour (changing them re-splits data). */
export const PROBES: readonly Int32Array[] = probeSet();

/** Mixes a 32-bit value (murmur3 finalizer). */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export interface Behaviour {
  /** 64 bits as 16 hex digits; equal for programs with the same outputs on every probe. */
  readonly key: string;
  readonly split: Split;
  /** Output equals input on every probe. */
  readonly identity: boolean;
  /** The same output on every probe. */
  readonly constant: boolean;
  /** Probes whose output stays in [−4, 4] (none: examples would be hard to find). */
  readonly inRange: number;
}

/** The split of a behaviour: 5 % test, 5 % validation, 90 % training, fixed forever. */
export function splitOf(h2: number): Split {
  const u = mix(h2 ^ 0x5bd1e995) % 100;
  return u < 5 ? 'test' : u < 10 ? 'val' : 'train';
}

const scratch = new Int32Array(LIST_LENGTH);

/** The behaviour of a compiled program on the probes, or null when it fails on one. */
export function behaviourOf(c: CompiledProgram): Behaviour | null {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let identity = true;
  let constant = true;
  let inRange = 0;
  const first = new Int32Array(LIST_LENGTH);
  for (let p = 0; p < PROBES.length; p++) {
    const input = PROBES[p];
    if (c.run(input, scratch) !== RUN_OK) return null;
    let fits = 1;
    for (let i = 0; i < LIST_LENGTH; i++) {
      const v = scratch[i];
      if (v !== input[i]) identity = false;
      if (v < CONST_MIN || v > CONST_MAX) fits = 0;
      if (p === 0) first[i] = v;
      else if (v !== first[i]) constant = false;
      h1 = Math.imul(h1 ^ v, 0x01000193);
      h2 = Math.imul(h2 ^ v, 0x5bd1e995) ^ (h2 >>> 15);
    }
    inRange += fits;
  }
  const a = mix(h1);
  const b = mix(h2 ^ a);
  const key = a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  return { key, split: splitOf(b), identity, constant, inRange };
}

// ------------------------------------------------------------------ tasks

const inRange = (xs: ArrayLike<number>): boolean => {
  for (let i = 0; i < xs.length; i++) if (xs[i] < CONST_MIN || xs[i] > CONST_MAX) return false;
  return true;
};

/** Spec-level triviality: every example's output equals its input, or all outputs are equal. */
export function looksTrivial(examples: readonly MinicExample[]): 'identity' | 'constant' | null {
  const same = (x: readonly number[], y: readonly number[]): boolean => x.every((v, i) => v === y[i]);
  if (examples.every((e) => same(e.input, e.output))) return 'identity';
  if (examples.every((e) => same(e.output, examples[0].output))) return 'constant';
  return null;
}

/** Draws distinct inputs whose outputs stay in [−4, 4]; null when too few turn up. */
function sampleExamples(c: CompiledProgram, rng: Rng, n: number, attempts: number): MinicExample[] | null {
  const out: MinicExample[] = [];
  const seen = new Set<string>();
  const input = new Int32Array(LIST_LENGTH);
  const output = new Int32Array(LIST_LENGTH);
  for (let k = 0; k < attempts && out.length < n; k++) {
    // Every other draw uses a narrower spread, so sums still fit in the range often enough.
    const r = k % 2 === 0 ? CONST_MAX : 2;
    for (let i = 0; i < LIST_LENGTH; i++) input[i] = rng.range(-r, r);
    if (c.run(input, output) !== RUN_OK || !inRange(output)) continue;
    const key = input.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ input: Array.from(input), output: Array.from(output) });
  }
  return out.length === n ? out : null;
}

export interface CandidateOptions extends GeneratorOptions {
  /** Which splits are wanted; a behaviour of another split is rejected before its examples are drawn. */
  readonly want?: (split: Split, key: string) => boolean;
}

/** One random program made into a task, or why it was rejected. */
export function candidateTask(rng: Rng, options: Partial<CandidateOptions> = {}): MinicTask | Rejected {
  const program = randomProgram(rng, { ...defaultGeneratorOptions, ...options });
  if (tokenCount(program) > MAX_PROGRAM_TOKENS) return { reject: 'tokens' };
  const c = compileProgram(program);
  const b = behaviourOf(c);
  if (b === null) return { reject: 'error' };
  if (b.identity) return { reject: 'identity' };
  if (b.constant) return { reject: 'constant' };
  if (b.inRange === 0) return { reject: 'range' };
  // From here on a rejection names the behaviour: an assembler that asks `want` later needs it.
  const seen = { key: b.key, split: b.split };
  if (options.want && !options.want(b.split, b.key)) return { reject: 'unwanted', ...seen };
  const all = sampleExamples(c, rng, EXAMPLES_PER_TASK + TESTS_PER_TASK, 80);
  if (all === null) return { reject: 'range', ...seen };
  const examples = all.slice(0, EXAMPLES_PER_TASK);
  const trivial = looksTrivial(examples);
  if (trivial) return { reject: trivial, ...seen };
  return { key: b.key, split: b.split, program, spec: { examples, tests: all.slice(EXAMPLES_PER_TASK) } };
}

/** A task of one split (the token formulation trains on 'train'; eval draws 'test'). */
export function sampleSplitTask(rng: Rng, split: Split, options: Partial<GeneratorOptions> = {}): MinicTask {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const t = candidateTask(rng, { ...options, want: (s) => s === split });
    if (!('reject' in t)) return t;
  }
  throw new Error(`minic: no ${split} task in 10000 draws`);
}
