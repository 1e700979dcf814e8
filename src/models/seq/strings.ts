/**
 * RobustFill for strings (the seed paper's "no REPL" baseline of Fig. 7, REFERENCE §1): the sequence
 * family's encoder-decoder (net.ts) over the strings token formulation `strings-tokens`, trained on the
 * task stream of the strings REPL model.
 *
 * Spec encoding: one row per I/O example (4, the REPL model's example slots; a spec with fewer repeats
 * its examples, one with more uses the first 4), two character streams per row:
 * - the input columns joined by a column-separator token, `INPUT_WINDOW` = 48 tokens;
 * - the output, `OUTPUT_WINDOW` = 40 tokens.
 * Tokens: 0 padding, 1 … 96 the paper's printable characters, then column separator, a character
 * outside the 96 (accents, emoji: one token per code point) and "clipped" (written in the last slot of
 * a string longer than its window, whose first window − 1 characters are kept). Padding fills the
 * rest: the encoder LSTMs run over the whole window (learned, no masks), as in RobustFill.
 *
 * Why these windows: the LSTMs unroll over every slot, so encoder time and the decoder's attention grow
 * with them. On the training stream (measured over 2,000 tasks of `--tasks mixed`, seed 5) the joined
 * inputs have median 19, p90 44, p99 72 characters (multi-column realistic rows are the long ones),
 * outputs median 9, p99 36, max 72; on bench/strings-eval/heldout-100 and the EC set every input and
 * output is at most 36. 48 / 40 cover ≥ 90 % of training inputs, > 99 % of outputs and all of both
 * benchmarks, at 88 encoder steps per example.
 *
 * Training data (`--tasks`, default mixed): the same seeded stream as `train strings --tasks …` (the
 * shipped REPL model's): for mixed, in thirds, random programs on generated inputs, random programs on
 * realistic rows of training-split templates, and realistic tasks of training-split templates; for
 * mixed-long, also a quarter of long random programs. A model may not import its sibling
 * (src/models/strings), so the stream is rebuilt here from the same domain functions in the same order
 * of random draws; the programs are kept (not the REPL's actions) and written as tokens.
 */
import { UserError, type ModelDefinition, type ParamValue, type Rng, type Task } from '../../core/index.js';
import {
  CHARACTERS,
  createStringsDomain,
  generateTask,
  realisticInputTask,
  splitFamilyTask,
  type GeneratedTask,
  type StringsDomain,
  type StringsSpec,
} from '../../domains/strings/index.js';
import type { SeqSpecCodec, TokenDomainLike } from './codec.js';
import { seqModelDefinition } from './definition.js';
import type { SeqKind } from './kind.js';
import { tokenDomain } from './store.js';
import type { SeqLearner } from './learner.js';
import type { WholeDomain, WholeSpec } from './whole.js';

export const EXAMPLE_ROWS = 4;
export const INPUT_WINDOW = 48;
export const OUTPUT_WINDOW = 40;

export const CHAR_PAD_TOKEN = 0;
export const COLUMN_SEP_TOKEN = CHARACTERS.length + 1;
export const OTHER_CHAR_TOKEN = CHARACTERS.length + 2;
export const CLIPPED_TOKEN = CHARACTERS.length + 3;
export const CHAR_TOKENS = CHARACTERS.length + 4;

const CHAR_TOKEN = new Map(CHARACTERS.map((c, i) => [c, i + 1]));

/** The character tokens of a text's code points (outside the 96: one OTHER token each). */
function charTokens(text: string, out: number[]): void {
  for (const ch of text) out.push(CHAR_TOKEN.get(ch) ?? OTHER_CHAR_TOKEN);
}

/** Writes tokens into buf[at … at + window), clipped (last slot CLIPPED) or padded. */
function writeWindow(tokens: readonly number[], buf: Int32Array, at: number, window: number): void {
  const clipped = tokens.length > window;
  const n = clipped ? window - 1 : tokens.length;
  for (let k = 0; k < window; k++) buf[at + k] = k < n ? tokens[k] : CHAR_PAD_TOKEN;
  if (clipped) buf[at + window - 1] = CLIPPED_TOKEN;
}

/** The token streams of one example: input columns joined by separators, and the output. */
export function exampleTokens(e: { readonly inputs: readonly string[]; readonly output: string }): {
  input: number[];
  output: number[];
} {
  const input: number[] = [];
  e.inputs.forEach((col, c) => {
    if (c > 0) input.push(COLUMN_SEP_TOKEN);
    charTokens(col, input);
  });
  const output: number[] = [];
  charTokens(e.output, output);
  return { input, output };
}

export const robustfillStringsCodec: SeqSpecCodec = {
  rows: EXAMPLE_ROWS,
  streams: [
    { length: INPUT_WINDOW, vocab: CHAR_TOKENS },
    { length: OUTPUT_WINDOW, vocab: CHAR_TOKENS },
  ],
  write(spec, out, at) {
    const ex = (spec as StringsSpec).examples;
    if (!ex || ex.length === 0) throw new UserError('robustfill-strings: a spec without examples', 2);
    for (let r = 0; r < EXAMPLE_ROWS; r++) {
      const t = exampleTokens(ex[r % ex.length]);
      writeWindow(t.input, out[0], (at * EXAMPLE_ROWS + r) * INPUT_WINDOW, INPUT_WINDOW);
      writeWindow(t.output, out[1], (at * EXAMPLE_ROWS + r) * OUTPUT_WINDOW, OUTPUT_WINDOW);
    }
  },
};

export const robustfillStrings: SeqKind = {
  id: 'robustfill-strings',
  problem: 'strings',
  formulation: 'strings-tokens',
  description:
    'RobustFill for strings: per-example I/O character LSTM encoder, attention LSTM decoder max-pooled over examples',
  codec: robustfillStringsCodec,
  shipped: 'robustfill-strings',
  // Programs of the training stream take at most 35 tokens (2,000 tasks): 40 teacher-forced steps.
  sizes: { hidden: 96, embed: 32, attention: 48, steps: 40 },
};

// ------------------------------------------------------------------ the training stream

export const STRINGS_TASK_STREAMS = ['random', 'mixed', 'mixed-long'] as const;

/** The REPL model's task stream of that name over a REPL domain (see the file header). */
export function replTaskStream(domain: StringsDomain, kind: string): (rng: Rng) => GeneratedTask {
  const random = (rng: Rng): GeneratedTask => generateTask(rng, domain.generatorConfig);
  if (kind === 'random') return random;
  const mixed = (rng: Rng): GeneratedTask => {
    const u = rng.int(3);
    if (u === 1) return realisticInputTask(rng, domain) ?? random(rng);
    if (u === 2) return splitFamilyTask(rng, domain, 'train');
    return random(rng);
  };
  if (kind === 'mixed') return mixed;
  if (kind === 'mixed-long') {
    const long = { ...domain.generatorConfig, maxExprs: 10, maxTrace: 45 };
    return (rng) => (rng.bool(0.25) ? generateTask(rng, long) : mixed(rng));
  }
  throw new UserError(`--tasks: expected ${STRINGS_TASK_STREAMS.join(', ')}, got '${kind}'`, 2);
}

/** A program's token indices (end token included), or null when the grammar cannot write it. */
export function programTokenIds(
  tokens: TokenDomainLike & { readonly tokenizer?: unknown },
  program: unknown,
  steps: number,
): number[] | null {
  const tk = (tokens as unknown as { tokenizer: { tokens(p: unknown): string[] } }).tokenizer;
  const vocab = tokens.grammar.vocabulary;
  let names: string[];
  try {
    names = tk.tokens(program);
  } catch {
    return null;
  }
  const ids = names.map((n) => vocab.indexOf(n));
  ids.push(tokens.grammar.end);
  if (ids.length > steps || ids.length > tokens.grammar.maxTokens || ids.some((i) => i < 0)) return null;
  let g: unknown = tokens.grammar.start();
  const legal = new Uint8Array(vocab.length);
  for (const t of ids) {
    tokens.grammar.legal(g, legal);
    if (!legal[t]) return null;
    const nx = tokens.grammar.next(g, t);
    if (nx === null) return null;
    g = nx;
  }
  return ids;
}

/** The REPL parameters of the token formulation's (it adds maxTokens). */
function replParams(params: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const { maxTokens: _drop, ...rest } = params;
  return rest;
}

/**
 * Whole-program training tasks (whole.ts) from the REPL model's stream: each task's program as the
 * token formulation's tokens; programs it cannot write or longer than `steps` are drawn again.
 */
export function stringsWholeSource(
  params: Readonly<Record<string, ParamValue>>,
  steps: number,
  kind: string,
): (rng: Rng) => Task<WholeSpec, readonly number[]> {
  const tokens = tokenDomain(robustfillStrings, params);
  const stream = replTaskStream(createStringsDomain(replParams(params)), kind);
  return (rng) => {
    for (let i = 0; i < 1000; i++) {
      const t = stream(rng);
      const ids = programTokenIds(tokens, t.program, steps);
      if (ids) return { spec: { spec: t.spec, tokens: ids }, trace: [ids] };
    }
    throw new Error(`robustfill-strings: no writable program of at most ${steps} tokens in 1000 draws`);
  };
}

const base = seqModelDefinition(robustfillStrings);

export const robustfillStringsModel: ModelDefinition = {
  ...base,
  trainer: {
    ...base.trainer!,
    description:
      "train robustfill-strings teacher-forced on the strings REPL model's task stream (imitation only; resumes from the checkpoint folder)",
    params: [
      ...base.trainer!.params,
      {
        name: 'tasks',
        type: 'enum',
        choices: STRINGS_TASK_STREAMS,
        default: 'mixed',
        description: "training tasks: the strings REPL model's streams (random, mixed, mixed-long)",
      },
    ],
    // The whole-program domain of the base recipe, drawing its tasks from the REPL model's stream.
    async learner(o, s, open) {
      const r = await base.trainer!.learner(o, s, open);
      const l = r.learner as unknown as SeqLearner;
      const source = stringsWholeSource(l.tokens.params, l.config.net.steps, String(o.tasks ?? 'mixed'));
      return { learner: r.learner, domain: { ...(r.domain as WholeDomain), sampleTask: source } as never };
    },
  },
};
