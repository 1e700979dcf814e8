import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importSpecifiers, nodeOnlyImports, walkImports } from './import-graph.js';

/**
 * Entry files a browser bundle may load: nothing reachable from them may import a node module or
 * onnxruntime-node. Add entries here as more of the code becomes browser-ready (e.g. src/domains/…).
 */
export const browserEntries = [
  'src/core/index.ts',
  'src/search/index.ts',
  'src/nn/inference.ts',
  'src/nn/build.ts',
  'src/domains/index.ts',
  'src/methods/index.ts',
  'src/conformance/index.ts',
  'src/eval/run-one.ts',
  'src/eval/summary.ts',
  'src/models/strings/store.ts',
  'src/models/csg2d/store.ts',
];

describe('browser-safe entries', () => {
  for (const entry of browserEntries)
    it(`${entry} reaches no node module`, () => {
      expect(nodeOnlyImports([entry])).toEqual([]);
    });

  it('the node entry of nn does reach onnxruntime-node (the walker sees through re-exports)', () => {
    const g = walkImports(['src/nn/index.ts']);
    expect(g.external.has('onnxruntime-node')).toBe(true);
    expect(g.files.has('src/nn/inference.ts')).toBe(true);
    expect(nodeOnlyImports(['src/nn/index.ts'])).toContain(
      'src/nn/index.ts → src/nn/runtime-node.ts → onnxruntime-node',
    );
  });
});

describe('import-graph walker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds value imports, re-exports and dynamic imports; skips type-only ones and comments', () => {
    const src = [
      "import a from './a.js';",
      "import { b, type B } from './b.js';",
      "import type { C } from './c.js';",
      "import { type D } from './d.js';",
      "import './side.js';",
      "export * from './e.js';",
      "export { f } from './f.js';",
      "export type { G } from './g.js';",
      "// import x from 'node:fs';",
      "/* export * from 'node:os'; */",
      'const s = "import q from \'node:path\'";',
      "export const h = () => import('./h.js');",
    ].join('\n');
    expect(importSpecifiers(src)).toEqual(['./a.js', './b.js', './side.js', './e.js', './f.js', './h.js']);
  });

  it('follows .js specifiers to .ts files and reports the chain to a node module', () => {
    mkdirSync(join(dir, 'lib'), { recursive: true });
    writeFileSync(
      join(dir, 'entry.ts'),
      "export * from './lib/index.js';\nimport type { X } from './types.js';\n",
    );
    writeFileSync(
      join(dir, 'types.ts'),
      "import { readFileSync } from 'node:fs';\nexport type X = typeof readFileSync;\n",
    );
    writeFileSync(join(dir, 'lib', 'index.ts'), "export { read } from './io.js';\nimport './missing.js';\n");
    writeFileSync(
      join(dir, 'lib', 'io.ts'),
      "import { readFile } from 'fs/promises';\nexport const read = readFile;\n",
    );
    expect(nodeOnlyImports(['entry.ts'], dir)).toEqual([
      'entry.ts → lib/index.ts → lib/io.ts → fs/promises',
      'lib/index.ts → ./missing.js (no such file)',
    ]);
  });
});
