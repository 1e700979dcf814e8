/**
 * Issue 13, kind by kind: nothing lost, every error clear. Each test names its kind (1–9); budgets
 * are nodes (enum, the uniform model) so the suite stays fast and deterministic.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { stringsProblem } from '../../src/domains/strings/index.js';
import { captureIo } from '../fixtures/capture-io.js';
import { expectClearError, run, snapshot } from './cli-check.js';

const dir = mkdtempSync(join(tmpdir(), 'replsynth-lost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const task = (name: string, ex: [string, string][], extra = {}): string =>
  JSON.stringify({ name, examples: ex.map(([i, o]) => ({ inputs: [i], output: o })), ...extra });
const upper = task('upper', [
  ['ab cd', 'AB CD'],
  ['ef', 'EF'],
]);
const lower = task('lower', [
  ['AB', 'ab'],
  ['CD', 'cd'],
]);
const tasks = file('t.jsonl', `${upper}\n${lower}\n`);
const evalStrings = (out: string, ...more: string[]): string[] => [
  'eval',
  'strings',
  '--tasks',
  tasks,
  '--methods',
  'enum',
  '--nodes',
  '3000',
  '--out',
  out,
  ...more,
];
const cadArgs = [
  'cad',
  '--image',
  'examples/cad/scene-6.png',
  '--model',
  'uniform',
  '--method',
  'smc',
  '--nodes',
  '200',
];

describe('1. work lost at the end: outputs are checked before the work, partial results kept', () => {
  it('--out in a folder that does not exist, or naming a folder, is refused before any run', async () => {
    await expectClearError(evalStrings(join(dir, 'nodir', 'r.json')), [/--out .*nodir.*does not exist/]);
    mkdirSync(join(dir, 'afolder'));
    await expectClearError(
      [...evalStrings(join(dir, 'afolder')), '--force'],
      [/--out .*afolder: is a folder/],
    );
    await expectClearError([...cadArgs, '--out', join(dir, 'nodir', 'p.svg')], [/--out .*does not exist/]);
    await expectClearError(
      [...cadArgs, '--out', join(dir, 'p.svg'), '--compare', join(dir, 'x', 'c.png')],
      [/--compare .*does not exist/],
    );
    expect(existsSync(join(dir, 'p.svg'))).toBe(false);
    await expectClearError(
      [...evalStrings(join(dir, 'r1.json')), '--plot', join(dir, 'nodir', 'p.svg')],
      [/--plot .*does not exist/],
    );
    expect(existsSync(join(dir, 'r1.json'))).toBe(false);
  });

  it('a final write that fails keeps every result in OUT.partial.json', async () => {
    const out = join(dir, 'late.json');
    // The plot's folder disappears during the run: the write fails after all the work is done.
    mkdirSync(join(dir, 'gone'));
    const io = captureIo((s) => {
      if (s.startsWith('[2/2]')) rmSync(join(dir, 'gone'), { recursive: true });
    });
    const code = await runCli([...evalStrings(out), '--plot', join(dir, 'gone', 'p.svg')]);
    vi.restoreAllMocks();
    expect(code, io.err()).toBe(3);
    expect(io.err()).toMatch(/2 finished results kept in .*late\.json\.partial\.json/);
    const partial = JSON.parse(readFileSync(`${out}.partial.json`, 'utf8')) as { results: unknown[] };
    expect(partial.results).toHaveLength(2);
    // …and --resume finishes without running anything again.
    const r = await run([...evalStrings(out), '--resume']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toMatch(/\[\d\/\d\]/);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(`${out}.partial.json`)).toBe(false);
  });

  it('--renders must be an existing folder (not created behind the user)', async () => {
    await expectClearError(
      [
        'eval',
        'csg2d',
        '--scenes',
        '1',
        '--max-shapes',
        '2',
        '--methods',
        'beam',
        '--nodes',
        '10',
        '--model',
        'uniform',
        '--renders',
        join(dir, 'no-renders'),
      ],
      [/--renders .*no-renders: the folder does not exist/],
    );
    expect(existsSync(join(dir, 'no-renders'))).toBe(false);
  });
});

describe('2. one bad item stops nothing: the whole input is checked first', () => {
  it('a 250-character string in task 2 is reported before task 1 runs; no partial file, no resume advice', async () => {
    const bad = file('bad2.jsonl', `${upper}\n${task('long', [['x'.repeat(250), 'x']])}\n`);
    const out = join(dir, 'bad2.json');
    const r = await expectClearError(
      ['eval', 'strings', '--tasks', bad, '--methods', 'enum', '--nodes', '100', '--out', out],
      [/bad2\.jsonl:2: field 'examples\[0\]\.inputs\[0\]': a string of 250 characters/],
      { watch: [dir] },
    );
    expect(r.err).not.toMatch(/\[1\/|--resume/);
    expect(existsSync(`${out}.partial.json`)).toBe(false);
  });

  it('strings --examples reports every bad task at once', async () => {
    const bad = file(
      'bad3.jsonl',
      `${upper}\n{"examples": 1}\n${lower}\n{"examples": [{"inputs": ["a"]}]}\n`,
    );
    await expectClearError(
      ['strings', '--examples', bad, '--method', 'enum', '--nodes', '100'],
      [/bad3\.jsonl:2: field 'examples'/, /bad3\.jsonl:4: field 'examples\[0\]\.output': missing output/],
    );
  });
});

describe('3. silent misreadings', () => {
  const solve = (...args: string[]) =>
    run(['strings', ...args, '--method', 'enum', '--nodes', '5000', '--json']);
  const result = (out: string) =>
    JSON.parse(out.trim().split('\n')[0]) as {
      solved: boolean;
      fill: { inputs: string[]; output: string | null }[];
    };

  it('the first CSV row is a header by default (whatever it says); --no-header reads it as an example', async () => {
    // The header's last cell is not output/result/target: it is still a header, not an example.
    const csv = file('names.csv', 'name,shout\nAnn Lee,ANN LEE\nBo Ek,BO EK\nCy Di,\n');
    const r = await solve('--examples', csv);
    expect(r.code).toBe(0);
    expect(result(r.out).fill).toEqual([{ inputs: ['Cy Di'], output: 'CY DI' }]);
    const nohead = file('nohead.csv', 'Ann Lee,ANN LEE\nBo Ek,BO EK\nCy Di,\n');
    const r2 = await solve('--examples', nohead, '--no-header');
    expect(result(r2.out).fill).toEqual([{ inputs: ['Cy Di'], output: 'CY DI' }]);
  });

  it('inline pairs and --apply rows keep their spaces; two arrows are an error; wrong --apply columns too', async () => {
    // One space on each side of '=>' belongs to the arrow; every other space is text.
    const r = await solve(' ab =>  AB', ' cd =>  CD', '--apply', '  ef ');
    expect(result(r.out).solved).toBe(true);
    expect(result(r.out).fill).toEqual([{ inputs: ['  ef '], output: '  EF ' }]);
    await expectClearError(['strings', 'a => b => c'], [/example 1 \('a => b => c'\): '=>' appears 2 times/]);
    await expectClearError(
      ['strings', 'ab => AB', '--apply', 'x | y'],
      [/--apply row 1 \('x \| y'\): has 2 columns, the examples have 1/],
    );
  });

  it('a UTF-8 byte-order mark and a pretty-printed .json file are read', async () => {
    const bom = file('bom.jsonl', `\uFEFF${upper}\n`);
    expect((await solve('--examples', bom)).code).toBe(0);
    const pretty = file('pretty.json', JSON.stringify(JSON.parse(upper), null, 2));
    expect((await solve('--examples', pretty)).code).toBe(0);
  });

  it('positions count characters: SubStr fills a😀c with a😀, never a lone surrogate (JS export too)', async () => {
    const r = await run([
      'strings',
      'abc => ab',
      'xyz => xy',
      'klm => kl',
      '--apply',
      'a😀c',
      '--method',
      'smc',
      '--nodes',
      '3000',
      '--json',
    ]);
    const doc = JSON.parse(r.out) as { fill: { output: string }[]; javascript: string };
    expect(doc.fill[0].output).toBe('a😀');
    const fn = new Function(`${doc.javascript}; return transform;`)() as (x: string) => string;
    expect(fn('a😀c')).toBe('a😀');
  });
});

describe('4. resume and method lists', () => {
  it('--resume with other settings is refused, naming them', async () => {
    const out = join(dir, 'settings.json');
    const io = captureIo((s) => {
      if (s.startsWith('[1/2]')) process.emit('SIGINT');
    });
    expect(await runCli(evalStrings(out))).toBe(130);
    vi.restoreAllMocks();
    expect(io.err()).toMatch(/1 finished results kept/);
    await expectClearError(
      [...evalStrings(out, '--seed', '7'), '--resume'],
      [/was made with other settings \(seed: 1, now 7\)/],
      {
        watch: [dir],
      },
    );
    const more = [
      'eval',
      'strings',
      '--tasks',
      tasks,
      '--methods',
      'enum,beam',
      '--nodes',
      '3000',
      '--out',
      out,
      '--resume',
    ];
    await expectClearError(more, [/searches: \["enum"\], now \["enum","beam"\]/]);
    // Without --resume the stopped run is not overwritten silently either.
    await expectClearError(evalStrings(out), [
      /partial\.json holds the finished results .* --resume .* --force/,
    ]);
  });

  it('two tasks with the same name are two tasks', async () => {
    const twins = file('twins.jsonl', `${upper}\n${upper}\n`);
    const out = join(dir, 'twins.json');
    const r = await run([
      'eval',
      'strings',
      '--tasks',
      twins,
      '--methods',
      'enum',
      '--nodes',
      '3000',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      summary: { enum: { solved: number; total: number } };
    };
    expect(doc.summary.enum).toMatchObject({ solved: 2, total: 2 });
  });

  it('a malformed entry of the partial file is an error naming its field', async () => {
    const out = join(dir, 'mal.json');
    const io = captureIo((s) => {
      if (s.startsWith('[1/2]')) process.emit('SIGINT');
    });
    await runCli(evalStrings(out));
    vi.restoreAllMocks();
    expect(io.err()).toMatch(/kept in/);
    const p = `${out}.partial.json`;
    const doc = JSON.parse(readFileSync(p, 'utf8')) as { results: Record<string, unknown>[] };
    doc.results[0].search = 7;
    writeFileSync(p, JSON.stringify(doc));
    await expectClearError(
      [...evalStrings(out), '--resume'],
      [/mal\.json\.partial\.json: field 'results\[0\]\.search'/],
      {
        watch: [dir],
      },
    );
  });

  it('a method named twice, an empty list or an empty entry is a usage error', async () => {
    await expectClearError(
      ['eval', 'strings', '--tasks', tasks, '--search', 'smc,smc'],
      [/method 'smc' is named twice/],
    );
    await expectClearError(
      ['eval', 'strings', '--tasks', tasks, '--search', ','],
      [/--search: no method given/],
    );
    await expectClearError(
      ['eval', 'strings', '--tasks', tasks, '--methods', 'enum,,smc'],
      [/an empty entry/],
    );
    await expectClearError(['strings', 'a => b', '--method', ' , '], [/--method: no method given/]);
  });
});

describe('5. images', () => {
  it('--compare equal to --out is refused before the search', async () => {
    const p = join(dir, 'same.png');
    await expectClearError(
      [...cadArgs, '--out', join(dir, 'same.svg'), '--compare', join(dir, 'same.svg')],
      [/--compare .*same\.svg is the same file as --out/],
    );
    expect(existsSync(p)).toBe(false);
  });

  it('eval --renders never overwrites without --force', async () => {
    const renders = join(dir, 'renders');
    mkdirSync(renders);
    writeFileSync(join(renders, 'scene-0-smc.png'), 'mine');
    const args = [
      'eval',
      'csg2d',
      '--scenes',
      '1',
      '--max-shapes',
      '2',
      '--methods',
      'smc',
      '--nodes',
      '200',
      '--model',
      'uniform',
      '--renders',
      renders,
    ];
    await expectClearError(args, [/scene-0-smc\.png exists; pass --force/], { watch: [renders] });
    expect((await run([...args, '--force'])).code).toBe(0);
    expect(readFileSync(join(renders, 'scene-0-smc.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('cad gives the same program for the same --seed and --nodes', async () => {
    const a = await run([...cadArgs, '--seed', '3']);
    const b = await run([...cadArgs, '--seed', '3']);
    expect(a.code).toBe(0);
    expect(a.out.split('\n').slice(0, -2)).toEqual(b.out.split('\n').slice(0, -2));
  });
});

describe('6. model folders', () => {
  it('train --ship refuses to replace a model folder without --force; with it, the folder is swapped whole', async () => {
    const ship = join(dir, 'shipped');
    mkdirSync(ship);
    writeFileSync(join(ship, 'MODEL_CARD.md'), '# the old model\n');
    writeFileSync(join(ship, 'model.onnx'), 'old weights');
    const base = [
      'train',
      'strings',
      '--phase',
      'imitation',
      '--steps',
      '1',
      '--batch',
      '4',
      '--dense',
      '1',
      '--growth',
      '4',
      '--threads',
      '1',
    ];
    const ckpt = join(dir, 'ship-ckpt');
    await expectClearError(
      [...base, '--checkpoint', ckpt, '--ship', ship],
      [/--ship .*shipped exists and is not empty; pass --force/],
      {
        watch: [ship],
      },
    );
    expect(existsSync(ckpt)).toBe(false);
    const r = await run([...base, '--checkpoint', ckpt, '--ship', ship, '--force']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/MODEL_CARD\.md of the model that was in .* was not kept/);
    expect(readdirSync(ship).sort()).toEqual([
      '.shipped-from',
      'config.json',
      'model.onnx',
      'train-log.jsonl',
    ]);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp') || n.includes('.old'))).toEqual([]);
  }, 60_000);
});

describe('7. impossible or degenerate specs, budgets, Ctrl-C, progress', () => {
  it('contradictory, unwritable and empty outputs are refused at once, inline too', async () => {
    await expectClearError(
      ['strings', 'ab => x', 'ab => y'],
      [/^replsynth: example 2, output: has the same inputs as example 1 but another output/],
    );
    await expectClearError(['strings', '10 => 10 €'], [/example 1, output: the character "€"/]);
    await expectClearError(['strings', 'ab =>', 'cd =>'], [/every output is empty/]);
  });

  it('a budget over a day is a usage error', async () => {
    await expectClearError(
      ['strings', 'ab => AB', '--timeout', '1e9'],
      [/--timeout: expected a number ≥ 0\.01 and ≤ 86400, got '1e9'/],
    );
    await expectClearError(['eval', 'strings', '--tasks', tasks, '--timeout', '90000'], [/--timeout/]);
  });

  it('Ctrl-C on strings prints the best program so far (and the exit code says whether it solves)', async () => {
    let pressed = false;
    const io = captureIo((s) => {
      if (!pressed && s.includes('searching')) {
        pressed = true;
        process.emit('SIGINT');
      }
    });
    const hard = ['Jane Smith => Smith, J.', 'John Doe => Doe, J.', 'Ann Lee => Lee, A.'];
    const code = await runCli([
      'strings',
      ...hard,
      '--method',
      'smc',
      '--model',
      'uniform',
      '--timeout',
      '30',
      '--json',
    ]);
    vi.restoreAllMocks();
    expect(pressed).toBe(true);
    expect(io.err()).toMatch(/interrupted: keeping the best program so far/);
    const r = JSON.parse(io.out()) as { solved: boolean; program: string | null; timeMs: number };
    expect(r.timeMs).toBeLessThan(10_000);
    expect(code).toBe(r.solved ? 0 : 1);
  }, 30_000);

  it('cad shows progress and, on Ctrl-C, writes the best program so far', async () => {
    const out = join(dir, 'ctrlc.svg');
    let pressed = false;
    const io = captureIo((s) => {
      if (!pressed && /searching .* best iou/.test(s)) {
        pressed = true;
        process.emit('SIGINT');
      }
    });
    const code = await runCli([
      'cad',
      '--image',
      'examples/cad/scene-6.png',
      '--model',
      'uniform',
      '--timeout',
      '60',
      '--out',
      out,
    ]);
    vi.restoreAllMocks();
    expect(io.err()).toMatch(/searching \d+\.\d\/60 s, best iou \d\.\d{4}/);
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<svg/);
  }, 60_000);
});

describe('8. limits: documented, adjustable, named in errors', () => {
  it('--max-length and --columns raise the limits', async () => {
    const long = 'x'.repeat(250);
    await expectClearError(
      ['strings', `${long} => X`],
      [/example 1, input column 1: a string of 250 characters .*--max-length/],
    );
    const up = (s: string): string => `${s} => ${s.toUpperCase()}`;
    const r = await run([
      'strings',
      up(`${long}a`),
      up(`${long}b`),
      '--max-length',
      '300',
      '--method',
      'enum',
      '--nodes',
      '5000',
    ]);
    expect(r.code).toBe(0);
    await expectClearError(
      ['strings', 'a | b | c | d => d'],
      [/4 input columns, more than the limit of 3 \(raise it with --columns\)/],
    );
    const four = await run([
      'strings',
      'a | b | c | d => d',
      'e | f | g | h => h',
      '--columns',
      '4',
      '--method',
      'enum',
      '--nodes',
      '60000',
    ]);
    expect(four.code).toBe(0);
    // The shipped model reads 3 columns: with 4, it says so instead of searching blind.
    await expectClearError(
      ['strings', 'a | b | c | d => d', '--columns', '4', '--method', 'smc', '--nodes', '10'],
      [/model in .* was trained for columns 3, not columns 4; pass --model uniform/],
    );
  });

  it('the README documents the limits and the exit codes', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toMatch(/characters per string[^\n]*\| 200 /);
    expect(readme).toMatch(/--max-length/);
    expect(readme).toMatch(/--columns/);
    for (const c of ['0', '1', '2', '3']) expect(readme).toMatch(new RegExp(`\\| ${c} +\\|`));
  });
});

describe('9. exit codes', () => {
  it('0 done, 1 unsolved, 2 usage or input error, 3 internal error (said so, with where to report)', async () => {
    expect((await run(['strings', 'ab => AB', 'cd => CD', '--method', 'enum', '--nodes', '3000'])).code).toBe(
      0,
    );
    expect(
      (
        await run([
          'strings',
          'Jane Smith => Smith, J.',
          'Ann Lee => Lee, A.',
          '--method',
          'enum',
          '--nodes',
          '20',
        ])
      ).code,
    ).toBe(1);
    await expectClearError(['strings', '--frobnicate'], [/unknown option '--frobnicate'/]);
    await expectClearError(
      ['strings', '--examples', join(dir, 'missing.jsonl')],
      [/missing\.jsonl: cannot read the file \(ENOENT\)/],
    );
    const mine = file('mine.js', 'my code');
    await expectClearError(
      ['strings', 'ab => AB', '--out', mine],
      [/--out .*mine\.js exists; pass --force/],
      { watch: [mine] },
    );
    const spy = vi.spyOn(stringsProblem, 'evaluate').mockImplementation(() => {
      throw new TypeError('boom');
    });
    const r = await run(['strings', 'ab => AB', '--method', 'enum', '--nodes', '100']);
    spy.mockRestore();
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /^replsynth: internal error \(a bug in replsynth, not in your input\): boom; please report it on the replsynth issue tracker/,
    );
  });
});

describe('the user files of every run above are intact', () => {
  it('the task file was never changed', () => {
    expect(snapshot([tasks]).size).toBe(1);
    expect(readFileSync(tasks, 'utf8')).toBe(`${upper}\n${lower}\n`);
  });
});
