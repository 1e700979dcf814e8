/**
 * RobustFill for strings: the character codec (windows, clipping, separators, characters outside the
 * 96, examples repeated or cut; never a crash), the training stream (the strings REPL model's, draw
 * for draw; programs written as legal tokens that reproduce their examples), the method id resolving
 * per problem, and `train robustfill-strings` end to end with a tiny network (validation logged,
 * resume, float16 ship, `eval strings --methods robustfill` with it).
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerBuiltins } from '../../src/builtins.js';
import { Rng, models } from '../../src/core/index.js';
import { createStringsDomain, runProgram, type StringsSpec } from '../../src/domains/strings/index.js';
import { resolveMethod } from '../../src/methods/index.js';
import { streamBuffers } from '../../src/models/seq/codec.js';
import { tokenDomain } from '../../src/models/seq/store.js';
import {
  CHAR_PAD_TOKEN,
  CHAR_TOKENS,
  CLIPPED_TOKEN,
  COLUMN_SEP_TOKEN,
  INPUT_WINDOW,
  OTHER_CHAR_TOKEN,
  OUTPUT_WINDOW,
  replTaskStream,
  robustfillStrings,
  robustfillStringsCodec as codec,
  stringsWholeSource,
} from '../../src/models/seq/strings.js';
import { runCli } from '../../src/cli/run.js';
import { hasFloat16Weights } from '../../src/nn/index.js';
import { captureIo } from '../fixtures/capture-io.js';

registerBuiltins();

const encode = (spec: StringsSpec): Int32Array[] => {
  const bufs = streamBuffers(codec, 1);
  codec.write(spec, bufs, 0);
  return bufs;
};
const row = (buf: Int32Array, r: number, w: number): number[] => [...buf.subarray(r * w, (r + 1) * w)];

describe('robustfill-strings codec', () => {
  it('writes characters, separators, padding and clipping per example row', () => {
    const long = 'x'.repeat(100);
    const [inp, out] = encode({
      examples: [
        { inputs: ['ab', 'c'], output: 'é!' },
        { inputs: [long], output: long },
      ],
    });
    const r0 = row(inp, 0, INPUT_WINDOW);
    expect(r0.slice(0, 3)).not.toContain(CHAR_PAD_TOKEN);
    expect(r0[2]).toBe(COLUMN_SEP_TOKEN);
    expect(r0.slice(4).every((t) => t === CHAR_PAD_TOKEN)).toBe(true);
    const o0 = row(out, 0, OUTPUT_WINDOW);
    expect(o0[0]).toBe(OTHER_CHAR_TOKEN);
    expect(o0[1]).not.toBe(OTHER_CHAR_TOKEN);
    // A string longer than its window keeps window − 1 characters and says it was clipped.
    expect(row(inp, 1, INPUT_WINDOW).at(-1)).toBe(CLIPPED_TOKEN);
    expect(row(out, 1, OUTPUT_WINDOW).at(-1)).toBe(CLIPPED_TOKEN);
    // Two examples fill four rows by repeating.
    expect(row(inp, 2, INPUT_WINDOW)).toEqual(r0);
    expect(row(out, 3, OUTPUT_WINDOW)).toEqual(row(out, 1, OUTPUT_WINDOW));
  });

  it('any spec of 1–6 examples with any text encodes within the vocabulary', () => {
    const example = fc.record({
      inputs: fc.array(fc.string({ unit: 'grapheme', maxLength: 120 }), { minLength: 1, maxLength: 4 }),
      output: fc.string({ unit: 'grapheme', maxLength: 120 }),
    });
    fc.assert(
      fc.property(fc.array(example, { minLength: 1, maxLength: 6 }), (examples) => {
        const [inp, out] = encode({ examples });
        for (const b of [inp, out]) for (const t of b) if (t < 0 || t >= CHAR_TOKENS) return false;
        return true;
      }),
      { numRuns: 200 },
    );
  });
});

describe('robustfill-strings training stream', () => {
  it("is the strings REPL model's stream, draw for draw", () => {
    const domain = createStringsDomain({});
    for (const kind of ['random', 'mixed', 'mixed-long']) {
      const repl = models.get('strings').trainer!.source!(domain as never, { tasks: kind }) as (r: Rng) => {
        spec: StringsSpec;
      };
      const mine = replTaskStream(domain, kind);
      const a = new Rng(`stream-${kind}`);
      const b = new Rng(`stream-${kind}`);
      for (let i = 0; i < 12; i++) expect(mine(a).spec).toEqual(repl(b).spec);
    }
  });

  it('gives legal token programs of at most the trained length that reproduce their examples', () => {
    const tokens = tokenDomain(robustfillStrings, {});
    const src = stringsWholeSource(tokens.params, 40, 'mixed');
    const formulation = tokens as unknown as {
      tokenizer: { fromTokens(t: readonly string[]): Parameters<typeof runProgram>[0] | null };
    };
    const rng = new Rng('whole');
    for (let i = 0; i < 30; i++) {
      const t = src(rng);
      const ids = t.spec.tokens;
      expect(ids.length).toBeLessThanOrEqual(40);
      expect(ids.at(-1)).toBe(tokens.grammar.end);
      let s = tokens.initialState(t.spec.spec);
      for (const id of ids) {
        const n = tokens.step(s, id);
        expect(n.ok).toBe(true);
        if (n.ok) s = n.state;
      }
      expect(tokens.isSolved(s)).toBe(true);
      const p = formulation.tokenizer.fromTokens(ids.map((k) => tokens.grammar.vocabulary[k]))!;
      const spec = t.spec.spec as StringsSpec;
      for (const e of spec.examples) expect(runProgram(p, [...e.inputs])).toBe(e.output);
    }
  });

  it('the method id robustfill selects the model of the problem', () => {
    expect(resolveMethod('strings', 'robustfill').model).toBe('robustfill-strings');
    expect(resolveMethod('minic', 'robustfill').model).toBe('robustfill-minic');
  });
});

const dir = mkdtempSync(join(tmpdir(), 'robustfill-strings-'));

describe('train robustfill-strings and eval strings --methods robustfill', () => {
  let io: ReturnType<typeof captureIo>;
  beforeEach(() => {
    io = captureIo();
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checkpoints with validation logged, resumes, ships float16, and decodes in eval', async () => {
    const ckpt = join(dir, 'ckpt');
    const ship = join(dir, 'model');
    const args = [
      'train',
      'robustfill-strings',
      '--phase',
      'imitation',
      '--batch',
      '4',
      '--hidden',
      '8',
      '--embed',
      '4',
      '--attention',
      '4',
      '--train-tokens',
      '12',
      '--threads',
      '1',
      // 16 validation programs (the model's default is 256): the accuracy is still measured and logged.
      '--validation',
      '16',
      '--checkpoint',
      ckpt,
    ];
    expect(await runCli([...args, '--steps', '2'])).toBe(0);
    const log = readFileSync(join(ckpt, 'train-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>);
    expect(log.at(-1)).toMatchObject({ step: 2 });
    expect(log.at(-1)!.validationAccuracy).toBeGreaterThanOrEqual(0);
    expect(await runCli([...args, '--steps', '3', '--ship', ship])).toBe(0);
    expect(io.err()).toContain(`resuming from ${ckpt} at step 2`);
    expect(hasFloat16Weights(readFileSync(join(ship, 'step.onnx')))).toBe(true);
    const res = join(dir, 'eval.json');
    const tasks = join(dir, 'tasks.jsonl');
    const examples = [
      { inputs: ['Ann Lee'], output: 'A' },
      { inputs: ['Bo Li'], output: 'B' },
    ];
    writeFileSync(tasks, JSON.stringify({ name: 'initial', examples }) + '\n');
    const code = await runCli([
      'eval',
      'strings',
      '--methods',
      'robustfill',
      '--model',
      ship,
      '--tasks',
      tasks,
      '--nodes',
      '40',
      '--timeout',
      '5',
      '--out',
      res,
    ]);
    expect([0, 1]).toContain(code);
    const doc = JSON.parse(readFileSync(res, 'utf8')) as {
      tasks: { search: string; nodes: number }[];
    };
    expect(doc.tasks[0].search).toBe('robustfill');
    expect(doc.tasks[0].nodes).toBeGreaterThan(0);
  }, 900_000);
});
