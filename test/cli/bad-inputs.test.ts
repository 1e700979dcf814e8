/**
 * The corpus of bad files (test/fixtures/bad-inputs/) through every command that reads them: each is
 * refused before any work with one line per problem naming the file, line and field, exit code 2, and
 * no file written or changed. Model folders and partial files are broken here, in a temporary folder.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { expectClearError } from './cli-check.js';

const corpus = 'test/fixtures/bad-inputs';
const S = (f: string): string => join(corpus, 'strings', f);
const I = (f: string): string => join(corpus, 'images', f);
const tmp = mkdtempSync(join(tmpdir(), 'replsynth-bad-'));

/** File → the lines its errors must give (file name, line and field). */
const strings: Record<string, RegExp[]> = {
  'broken-json.jsonl': [/broken-json\.jsonl:2: invalid JSON/],
  'many-bad-lines.jsonl': [
    /many-bad-lines\.jsonl:2: field 'examples': expected a non-empty array/,
    /many-bad-lines\.jsonl:3: field 'examples\[0\]\.output': expected a string, got 5/,
    /many-bad-lines\.jsonl:4: field 'exampels': unknown field/,
  ],
  'long-string.jsonl': [
    /long-string\.jsonl:2: field 'examples\[0\]\.inputs\[0\]': a string of 250 characters is longer than the limit of 200 \(raise it with --max-length\)/,
  ],
  'invalid-utf8.jsonl': [/invalid-utf8\.jsonl:2: not valid UTF-8 \(byte 0xe9/],
  'contradictory.jsonl': [
    /contradictory\.jsonl:1: field 'examples\[2\]\.output': has the same inputs as example 1 but another output/,
  ],
  'impossible-char.jsonl': [
    /impossible-char\.jsonl:1: field 'examples\[0\]\.output': the character "€" \(U\+20AC\) is in no input of example 1 and no program can write it/,
  ],
  'newline-output.jsonl': [
    /newline-output\.jsonl:1: field 'examples\[0\]\.output': the character "\\n" \(U\+000A\)/,
  ],
  'empty-outputs.jsonl': [/empty-outputs\.jsonl:1: field 'examples': every output is empty/],
  'four-columns.jsonl': [
    /four-columns\.jsonl:1: field 'examples\[0\]\.inputs': 4 input columns, more than the limit of 3 \(raise it with --columns\)/,
  ],
  'ragged-columns.jsonl': [
    /ragged-columns\.jsonl:1: field 'examples\[1\]\.inputs': has 1 input column, the first example has 2/,
  ],
  'not-an-object.jsonl': [/not-an-object\.jsonl:1: expected a JSON object/],
  'unknown-field.jsonl': [/unknown-field\.jsonl:1: field 'expected': unknown field/],
  'empty.jsonl': [/empty\.jsonl:1: no tasks in file/],
  'only-comments.jsonl': [/only-comments\.jsonl:1: no tasks in file/],
  'binary.jsonl': [/binary\.jsonl:1: not valid UTF-8/],
  'broken-pretty.json': [/broken-pretty\.json:4: invalid JSON/],
  'array-bad-element.json': [
    /array-bad-element\.json:\d+: field '\[1\]\.examples': expected a non-empty array/,
  ],
  'ragged.csv': [/ragged\.csv:3: has 3 columns, the header has 2/],
  'unclosed-quote.csv': [/unclosed-quote\.csv:\d+: a quoted cell is never closed/],
  'quote-in-cell.csv': [/quote-in-cell\.csv:2: .*quote/],
  'only-header.csv': [/only-header\.csv:1: field 'initials': no row has an output/],
  'one-column.csv': [/one-column\.csv:1: a CSV task needs at least one input column and an output column/],
  'long-cell.csv': [/long-cell\.csv:3: field 'name': a string of 201 characters/],
  'invalid-utf8.csv': [/invalid-utf8\.csv:3: not valid UTF-8/],
};

const images: Record<string, RegExp> = {
  'blank.png': /blank\.png: nothing to draw: every pixel is light/,
  'black.png': /black\.png: nothing to draw/,
  'one-pixel.png': /one-pixel\.png: nothing to draw/,
  'truncated.png': /truncated\.png: not a readable PNG image/,
  'not-a-png.png': /not-a-png\.png: not a readable PNG image/,
  'empty.png': /empty\.png: not a readable PNG image/,
};

describe('bad input files: one clear line each, exit code 2, nothing written', () => {
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const quick = ['--method', 'enum', '--nodes', '50', '--model', 'uniform'];

  for (const [file, lines] of Object.entries(strings))
    it(`strings --examples ${file}; eval strings --tasks ${file}`, async () => {
      await expectClearError(['strings', '--examples', S(file), ...quick], lines, { watch: [corpus] });
      const out = join(tmp, `${file}.results.json`);
      await expectClearError(
        ['eval', 'strings', '--tasks', S(file), '--methods', 'enum', '--nodes', '50', '--out', out],
        lines,
        { watch: [corpus, tmp] },
      );
    });

  for (const [file, line] of Object.entries(images))
    it(`cad --image ${file}; eval csg2d --images with it among good images`, async () => {
      await expectClearError(['cad', '--image', I(file), '--model', 'uniform', '--nodes', '10'], [line], {
        watch: [corpus],
      });
      const dir = join(tmp, `images-${file}`);
      mkdirSync(dir);
      cpSync('examples/cad/scene-6.png', join(dir, 'good.png'));
      cpSync(I(file), join(dir, file));
      await expectClearError(
        [
          'eval',
          'csg2d',
          '--images',
          dir,
          '--methods',
          'beam',
          '--nodes',
          '10',
          '--model',
          'uniform',
          '--out',
          join(tmp, `${file}.json`),
        ],
        [line],
        { watch: [corpus, tmp] },
      );
    });

  it('every bad image of a folder is reported at once, not just the first', async () => {
    const dir = join(tmp, 'all-bad');
    cpSync(join(corpus, 'images'), dir, { recursive: true });
    await expectClearError(
      ['eval', 'csg2d', '--images', dir, '--methods', 'beam', '--nodes', '10', '--model', 'uniform'],
      Object.values(images),
      { watch: [dir] },
    );
  });
});

/** A copy of the shipped strings model with one file replaced. */
function brokenModel(name: string, file: string, bytes: Uint8Array | string | null): string {
  const dir = join(tmp, name);
  cpSync('models/strings', dir, { recursive: true });
  if (bytes === null) rmSync(join(dir, file));
  else writeFileSync(join(dir, file), bytes);
  return dir;
}

describe('broken model folders: an input error naming the file, never a silent fallback', () => {
  const onnx = readFileSync('models/strings/model.onnx');
  const cases: [string, string, Uint8Array | string | null, RegExp][] = [
    [
      'truncated-onnx',
      'model.onnx',
      onnx.subarray(0, 5000),
      /truncated-onnx\/model\.onnx: not a readable ONNX model/,
    ],
    [
      'random-onnx',
      'model.onnx',
      Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251),
      /random-onnx\/model\.onnx: not a readable ONNX model/,
    ],
    ['empty-onnx', 'model.onnx', new Uint8Array(0), /empty-onnx\/model\.onnx: the file is empty/],
    [
      'foreign-onnx',
      'model.onnx',
      readFileSync('models/csg2d/head.onnx'),
      /foreign-onnx\/model\.onnx: not this model's network/,
    ],
    [
      'truncated-config',
      'config.json',
      readFileSync('models/strings/config.json', 'utf8').slice(0, 100),
      /truncated-config\/config\.json: not valid JSON/,
    ],
    [
      'foreign-config',
      'config.json',
      readFileSync('models/csg2d/config.json'),
      /foreign-config\/config\.json: field 'format'/,
    ],
    ['no-config', 'config.json', null, /no strings model in .*no-config \(missing config\.json\)/],
  ];
  for (const [name, file, bytes, line] of cases)
    it(`strings --model ${name}`, async () => {
      const dir = brokenModel(name, file, bytes);
      await expectClearError(['strings', 'ab => AB', 'cd => CD', '--nodes', '20', '--model', dir], [line], {
        watch: [dir],
      });
    });

  it('--model naming a folder that does not exist', async () => {
    await expectClearError(
      ['strings', 'ab => AB', '--model', join(tmp, 'nowhere')],
      [/no strings model in .*nowhere/],
    );
  });

  // Every trained model family: the shipped folder with a torn training state.
  for (const model of ['strings', 'csg2d', 'csg3d', 'robustfill-minic'])
    it(`a damaged ${model} checkpoint names its file and how to start again`, async () => {
      const ckpt = join(tmp, `ckpt-${model}`);
      cpSync(`models/${model}`, ckpt, { recursive: true });
      writeFileSync(join(ckpt, 'training-state.json'), '{"step": 3, "files": {');
      await expectClearError(
        ['train', model, '--phase', 'imitation', '--steps', '5', '--checkpoint', ckpt],
        [/cannot resume from the checkpoint in .*ckpt-[a-z0-9-]+: .*training-state\.json: not valid JSON/],
        { watch: [ckpt], exact: false },
      );
    });

  it('a checkpoint missing its weight files names the first one missing', async () => {
    const ckpt = join(tmp, 'ckpt-no-weights');
    mkdirSync(ckpt);
    cpSync('models/csg2d/config.json', join(ckpt, 'config.json'));
    writeFileSync(join(ckpt, 'training-state.json'), '{"step": 3, "files": {}}');
    await expectClearError(
      ['train', 'csg2d', '--phase', 'imitation', '--steps', '5', '--checkpoint', ckpt],
      [
        /cannot resume from the checkpoint in .*ckpt-no-weights: .*pair-encoder\.onnx: cannot read \(ENOENT\)/,
      ],
      { watch: [ckpt], exact: false },
    );
  });

  it('--checkpoint or --ship at a regular file is a usage error, before any training', async () => {
    const f = join(tmp, 'a-file');
    writeFileSync(f, 'mine');
    await expectClearError(
      ['train', 'strings', '--steps', '1', '--checkpoint', f],
      [/--checkpoint .*a-file: is a file, not a folder/],
      {
        watch: [f],
      },
    );
    await expectClearError(
      ['train', 'strings', '--steps', '1', '--checkpoint', join(tmp, 'c2'), '--ship', f],
      [/--ship .*a-file: is a file, not a folder/],
      { watch: [f] },
    );
  });
});
