import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The dependency table of docs/architecture.md and the size limits are enforced by lint; these tests
// plant violations in virtual files (nothing is written) and show each rule bites.
const eslint = new ESLint();

async function lint(
  filePath: string,
  code: string,
): Promise<{ rule: string; severity: number; text: string }[]> {
  const [res] = await eslint.lintText(code, { filePath });
  return res.messages.map((m) => ({ rule: m.ruleId ?? '', severity: m.severity, text: m.message }));
}

/** Messages of the folder rule for a file that imports `source`. */
async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const msgs = await lint(filePath, `import { x } from '${source}';\nexport const y = x;\n`);
  return msgs.filter((m) => m.rule === 'replsynth/layers').map((m) => m.text);
}

const banned = async (file: string, source: string): Promise<void> => {
  expect(await layerErrors(file, source), `${file} → ${source}`).toHaveLength(1);
};
const allowed = async (file: string, source: string): Promise<void> => {
  expect(await layerErrors(file, source), `${file} → ${source}`).toEqual([]);
};

describe('lint: folder dependency table', () => {
  it('search may import core, but not nn or a domain', async () => {
    await allowed('src/search/ok.ts', '../core/index.js');
    await banned('src/search/bad.ts', '../nn/graph.js');
    await banned('src/search/bad.ts', '../domains/strings/dsl.js');
    expect(await layerErrors('src/search/bad.ts', '../nn/graph.js')).toEqual([
      'src/search may import only: core; not src/nn/graph.js (see docs/architecture.md)',
    ]);
  });

  it('core may import nothing of ours outside core', async () => {
    await allowed('src/core/ok.ts', './rng.js');
    await banned('src/core/bad.ts', '../search/smc.js');
    expect((await layerErrors('src/core/bad.ts', '../search/smc.js'))[0]).toContain(
      'may import only: nothing of ours',
    );
  });

  it('a domain may not import nn', async () => {
    await banned('src/domains/strings/bad.ts', '../../nn/graph.js');
  });

  it('models may import nn, domains and core', async () => {
    const code =
      "import { a } from '../../nn/graph.js';\nimport { b } from '../../domains/strings/dsl.js';\n" +
      "import { c } from '../../core/rng.js';\nimport { d } from './net.js';\nexport const y = [a, b, c, d];\n";
    expect(
      (await lint('src/models/strings/ok.ts', code)).filter((m) => m.rule === 'replsynth/layers'),
    ).toEqual([]);
  });

  it('the ban holds at any depth, for a file deep in a folder and for a long relative path', async () => {
    for (let depth = 0; depth <= 6; depth++) {
      const dir = ['src/search', ...Array.from({ length: depth }, (_, i) => `d${i}`)].join('/');
      await banned(`${dir}/bad.ts`, `${'../'.repeat(depth + 1)}nn/graph.js`);
      await allowed(`${dir}/ok.ts`, `${'../'.repeat(depth + 1)}core/rng.js`);
    }
    // Detours through other folders still land on the target.
    await banned('src/search/bad.ts', '../core/../nn/graph.js');
    await banned('src/search/bad.ts', './../../src/nn/graph.js');
  });

  it('catches re-exports, dynamic imports, type imports and import types', async () => {
    const errs = async (code: string): Promise<number> =>
      (await lint('src/search/bad.ts', code)).filter((m) => m.rule === 'replsynth/layers').length;
    expect(await errs("export { x } from '../nn/graph.js';\n")).toBe(1);
    expect(await errs("export * from '../nn/graph.js';\n")).toBe(1);
    expect(await errs("export const m = () => import('../nn/graph.js');\n")).toBe(1);
    expect(await errs("import type { X } from '../nn/graph.js';\nexport type Y = X;\n")).toBe(1);
    expect(await errs("export type Y = import('../nn/graph.js').X;\n")).toBe(1);
  });

  it('a directory import counts as its folder', async () => {
    await banned('src/search/bad.ts', '../nn');
    await allowed('src/search/ok.ts', '../core');
  });

  it('package imports are not ours and are not checked', async () => {
    await allowed('src/core/ok.ts', 'node:fs');
  });
});

describe('lint: domains and models are independent of their siblings', () => {
  it('a domain may import its own folder and core only', async () => {
    await allowed('src/domains/strings/ok.ts', './dsl.js');
    await allowed('src/domains/strings/sub/ok.ts', '../dsl.js');
    await allowed('src/domains/strings/ok.ts', '../../core/index.js');
    await banned('src/domains/strings/bad.ts', '../csg2d/raster.js');
    await banned('src/domains/strings/bad.ts', '../../domains/csg2d/raster.js');
    await banned('src/domains/strings/deep/er/bad.ts', '../../../csg2d/raster.js');
    await banned('src/domains/strings/bad.ts', '../index.js');
    expect(await layerErrors('src/domains/strings/bad.ts', '../csg2d/raster.js')).toEqual([
      'src/domains/strings may not import src/domains/csg2d/raster.js: a domain may import only core and its own folder',
    ]);
  });

  it('src/domains/index.ts (the list of built-ins) may import every domain', async () => {
    await allowed('src/domains/index.ts', './strings/index.js');
    await allowed('src/domains/index.ts', './csg2d/index.js');
  });

  it('a model may not import a sibling model', async () => {
    await allowed('src/models/strings/ok.ts', './net.js');
    await banned('src/models/strings/bad.ts', '../csg2d/net.js');
    expect((await layerErrors('src/models/strings/bad.ts', '../csg2d/net.js'))[0]).toContain(
      'a model may import only core and its own folder',
    );
  });
});

describe('lint: train, and the folders of the new architecture', () => {
  it('train may import only core', async () => {
    await allowed('src/train/ok.ts', '../core/learner.js');
    for (const f of [
      '../nn/graph.js',
      '../models/strings/learner.js',
      '../search/smc.js',
      '../domains/strings/dsl.js',
    ])
      await banned('src/train/bad.ts', f);
  });

  it('conformance may import core and search only', async () => {
    await allowed('src/conformance/ok.ts', '../core/index.js');
    await allowed('src/conformance/ok.ts', '../search/index.js');
    await banned('src/conformance/bad.ts', '../domains/strings/index.js');
    await banned('src/conformance/bad.ts', '../nn/graph.js');
  });

  it('formulations may import core only', async () => {
    await allowed('src/formulations/ok.ts', '../core/index.js');
    await banned('src/formulations/bad.ts', '../search/smc.js');
  });

  it('methods may import core, search and formulations', async () => {
    for (const f of ['../core/index.js', '../search/smc.js', '../formulations/repl.js'])
      await allowed('src/methods/ok.ts', f);
    await banned('src/methods/bad.ts', '../models/strings/net.js');
    await banned('src/methods/bad.ts', '../domains/strings/dsl.js');
  });

  it('eval may import core, methods and io (it runs methods and writes results at the edge)', async () => {
    for (const f of ['../core/index.js', '../methods/index.js', '../io/files.js'])
      await allowed('src/eval/ok.ts', f);
    await banned('src/eval/bad.ts', '../models/strings/net.js');
    await banned('src/eval/bad.ts', '../cli/main.js');
  });

  it('io (the node edge) may import core and nn only', async () => {
    for (const f of ['../core/index.js', '../nn/atomic.js']) await allowed('src/io/ok.ts', f);
    for (const f of ['../models/strings/net.js', '../methods/x.js', '../cli/main.js', '../index.js'])
      await banned('src/io/bad.ts', f);
  });

  it('entry points may import anything', async () => {
    await allowed('src/cli/ok.ts', '../train/index.js');
    await allowed('src/cli/ok.ts', '../index.js');
    await allowed('src/index.ts', './cli/main.js');
  });

  it('a folder missing from the table is an error in each of its files', async () => {
    const msgs = await lint('src/mystery/x.ts', 'export const y = 1;\n');
    expect(msgs.map((m) => m.text)).toContain(
      'src/mystery is not in the folder table of eslint.config.js: add it with the folders it may import',
    );
    await banned('src/search/bad.ts', '../mystery/x.js');
  });
});

describe('lint: bench, scripts and product code', () => {
  it('bench and scripts may not import src/cli, but may import the library', async () => {
    await banned('bench/some/run.ts', '../../src/cli/cmd-eval-cad.js');
    await banned('scripts/merge.ts', '../src/cli/run.js');
    expect((await layerErrors('scripts/merge.ts', '../src/cli/run.js'))[0]).toContain(
      'scripts/ may not import src/cli',
    );
    await allowed('bench/some/run.ts', '../../src/search/index.js');
    await allowed('scripts/golden.ts', '../test/conformance/golden.js');
  });

  it('product code may not import test/ or test libraries; tests beside it may', async () => {
    await banned('src/search/bad.ts', '../../test/fixtures/toy/toy-domain.js');
    await allowed('src/search/bad.test.ts', '../../test/fixtures/toy/toy-domain.js');
    await allowed('src/domains/strings/x.test-util.ts', '../../../test/fixtures/capture-io.js');
    const vitest = "import { it } from 'vitest';\nexport const y = it;\n";
    expect((await lint('src/conformance/bad.ts', vitest)).map((m) => m.rule)).toContain(
      'no-restricted-imports',
    );
    expect((await lint('src/conformance/ok.test.ts', vitest)).map((m) => m.rule)).not.toContain(
      'no-restricted-imports',
    );
    const fc = "import fc from 'fast-check';\nexport const y = fc;\n";
    expect((await lint('src/core/bad.ts', fc)).map((m) => m.rule)).toContain('no-restricted-imports');
  });

  it('Math.random is banned', async () => {
    expect((await lint('src/core/bad.ts', 'export const r = Math.random();\n')).map((m) => m.rule)).toContain(
      'no-restricted-properties',
    );
  });
});

describe('lint: size limits warn in product code', () => {
  const lines = (n: number): string =>
    Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
  const fn = (body: number): string =>
    `export function f(): number {\n  let s = 0;\n${'  s++;\n'.repeat(body)}  return s;\n}\n`;
  const sizeRules = async (file: string, code: string): Promise<{ rule: string; severity: number }[]> =>
    (await lint(file, code))
      .filter((m) => m.rule.startsWith('max-lines'))
      .map(({ rule, severity }) => ({ rule, severity }));

  it('a file over 600 lines gets a max-lines warning, not an error', async () => {
    expect(await sizeRules('src/core/big.ts', lines(600))).toEqual([]);
    expect(await sizeRules('src/core/big.ts', lines(601))).toEqual([{ rule: 'max-lines', severity: 1 }]);
  });

  it('a function over 80 lines gets a max-lines-per-function warning', async () => {
    expect(await sizeRules('src/search/long.ts', fn(76))).toEqual([]); // 80 lines: header, counter, 76, return, brace
    expect(await sizeRules('src/search/long.ts', fn(77))).toEqual([
      { rule: 'max-lines-per-function', severity: 1 },
    ]);
  });

  it('blank lines and comments do not count toward a function', async () => {
    const padded = fn(70).replace('  let s = 0;\n', `  let s = 0;\n${'\n  // why\n'.repeat(30)}`);
    expect(await sizeRules('src/search/long.ts', padded)).toEqual([]);
  });

  it('tests and files outside src are exempt', async () => {
    expect(await sizeRules('src/core/big.test.ts', lines(700) + fn(100))).toEqual([]);
    expect(await sizeRules('bench/x/run.ts', lines(700) + fn(100))).toEqual([]);
  });
});
