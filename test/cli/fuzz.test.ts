/**
 * Fuzzing every reader and the commands' flags with fast-check: whatever the bytes or the values,
 * the outcome is a result or a clear one-line error naming the file and line (exit code 2), never an
 * internal error, and no user file is changed. The corpus of known bad files is bad-inputs.test.ts.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { csg2dProblem } from '../../src/domains/csg2d/index.js';
import { stringsProblem } from '../../src/domains/strings/index.js';
import { inputMessages } from '../../src/io/files.js';
import { run, snapshot } from './cli-check.js';

const dir = mkdtempSync(join(tmpdir(), 'replsynth-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Parse = (bytes: Uint8Array, name: string, values?: Record<string, unknown>) => unknown;
const parseTasks = stringsProblem.io.inputs[0].parse as Parse;
const parsePng = csg2dProblem.io.inputs[0].parse as Parse;

/** Parses, and expects either specs or input errors whose every line names the file (and a line). */
function expectClearOrOk(parse: () => unknown, file: string, withLine: boolean): void {
  try {
    parse();
  } catch (e) {
    const lines = inputMessages(e);
    expect(lines, `not an input error: ${String(e)}`).not.toBeNull();
    expect(e instanceof InputError || e instanceof AggregateError || e instanceof Error).toBe(true);
    for (const l of lines!) {
      expect(l).not.toContain('\n');
      expect(l.startsWith(withLine ? `${file}:` : file), l).toBe(true);
      if (withLine) expect(l, l).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:[1-9]\\d*: `));
    }
  }
}

const good = [
  { name: 'a', examples: [{ inputs: ['ab cd'], output: 'AB' }], tests: [{ inputs: ['x'] }] },
  { examples: [{ input: 'x y', output: 'y' }], fill: [['z w']] },
];
const goodJsonl = good.map((t) => JSON.stringify(t)).join('\n') + '\n';
const goodCsv = 'name,initials\n"Lee, Ann",AL\nBo Ek,BE\nCy,\n';
const enc = new TextEncoder();

/** Mutations of a valid file: bytes replaced, inserted, deleted, the file cut short. */
const mutated = (text: string): fc.Arbitrary<Uint8Array> =>
  fc
    .array(
      fc.record({
        at: fc.nat(),
        kind: fc.constantFrom('set', 'insert', 'delete', 'cut'),
        byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...enc.encode('"{}[],:\n\\ '))),
      }),
      { maxLength: 6 },
    )
    .map((edits) => {
      const b = [...enc.encode(text)];
      for (const e of edits) {
        const i = b.length ? e.at % b.length : 0;
        if (e.kind === 'set') b[i] = e.byte;
        else if (e.kind === 'insert') b.splice(i, 0, e.byte);
        else if (e.kind === 'delete') b.splice(i, 1);
        else b.length = i;
      }
      return Uint8Array.from(b);
    });

describe('fuzz: readers', () => {
  it('JSONL task files: mutated and random bytes give tasks or errors naming file and line', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(goodJsonl), fc.uint8Array({ maxLength: 200 })), (bytes) =>
        expectClearOrOk(() => parseTasks(bytes, 'f.jsonl'), 'f.jsonl', true),
      ),
      { numRuns: 400 },
    );
  });

  it('JSON and CSV task files likewise (header or not, any limits)', () => {
    fc.assert(
      fc.property(
        mutated(JSON.stringify(good, null, 2)),
        mutated(goodCsv),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        (json, csv, header, maxLength) => {
          expectClearOrOk(() => parseTasks(json, 'f.json'), 'f.json', true);
          const values = { header, maxLength, columns: 3 };
          expectClearOrOk(() => parseTasks(csv, 'f.csv', values), 'f.csv', true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('PNG images: truncated, mutated and random bytes give a target or an error naming the file', () => {
    const png = new Uint8Array(readFileSync('examples/cad/scene-6.png'));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.nat({ max: png.length }).map((n) => png.subarray(0, n)),
          fc.uint8Array({ maxLength: 100 }),
          fc.tuple(fc.nat({ max: png.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
            const b = Uint8Array.from(png);
            b[i] = v;
            return b;
          }),
        ),
        (bytes) => expectClearOrOk(() => parsePng(bytes, 'f.png'), 'f.png', false),
      ),
      { numRuns: 150 },
    );
  });

  it('inline pairs and --apply rows: any text gives a spec or a usage error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
        (words, apply) => {
          try {
            const specs = stringsProblem.io.inline!.parse(words);
            for (const s of specs) {
              const spec = stringsProblem.io.withOptions!(s.spec, { apply, maxLength: 200, columns: 3 });
              try {
                stringsProblem.validate(spec);
              } catch (e) {
                expect(inputMessages(e)).not.toBeNull();
              }
            }
          } catch (e) {
            expect(inputMessages(e), String(e)).not.toBeNull();
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('fuzz: commands', () => {
  const tasks = join(dir, 'tasks.jsonl');
  writeFileSync(tasks, goodJsonl);

  it('any values of the common flags give a result or a usage error (0, 1 or 2), never an internal error', async () => {
    const value = fc.oneof(
      fc.constantFrom(
        '',
        '0',
        '-1',
        '1',
        '2',
        '1e9',
        'NaN',
        'Infinity',
        '0.5',
        '3/2',
        ',',
        'smc,smc',
        'enum',
        'x',
      ),
      fc.string({ maxLength: 6 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          timeout: value,
          nodes: value,
          seed: value,
          jobs: value,
          methods: value,
          limit: value,
          maxLength: value,
        }),
        async (v) => {
          const before = snapshot([dir]);
          const r = await run([
            'eval',
            'strings',
            '--tasks',
            tasks,
            '--timeout',
            v.timeout,
            '--nodes',
            v.nodes,
            '--seed',
            v.seed,
            '--jobs',
            v.jobs === '1' ? '1' : v.jobs,
            '--methods',
            v.methods,
            '--limit',
            v.limit,
            '--max-length',
            v.maxLength,
            '--model',
            'uniform',
          ]);
          expect([0, 1, 2], r.err).toContain(r.code);
          for (const l of r.lines) expect(l, r.err).toMatch(/^(replsynth: |\[\d+\/\d+\] |searching )/);
          expect(r.err).not.toMatch(/internal error/);
          expect(snapshot([dir])).toEqual(before);
        },
      ),
      // Values that pass every check run a real (tiny) evaluation, and jobs > 1 forks: keep it short.
      {
        numRuns: 40,
        examples: [
          [
            {
              timeout: '1',
              nodes: '50',
              seed: '1',
              jobs: '1',
              methods: 'enum',
              limit: '1',
              maxLength: '200',
            },
          ],
        ],
      },
    );
  }, 120_000);

  it('a model folder with a fuzzed config.json is used or refused with a line naming the file', async () => {
    const model = join(dir, 'model');
    cpSync('models/strings', model, { recursive: true });
    const config = readFileSync(join(model, 'config.json'), 'utf8');
    await fc.assert(
      fc.asyncProperty(mutated(config), async (bytes) => {
        writeFileSync(join(model, 'config.json'), bytes);
        const r = await run([
          'strings',
          'ab => AB',
          'cd => CD',
          '--model',
          model,
          '--nodes',
          '30',
          '--method',
          'smc',
        ]);
        expect([0, 1, 2], r.err).toContain(r.code);
        if (r.code === 2) expect(r.err, r.err).toMatch(/config\.json|model\.onnx|model in/);
        expect(r.err).not.toMatch(/internal error/);
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
