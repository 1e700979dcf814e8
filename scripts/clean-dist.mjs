#!/usr/bin/env node
// replsynth's `prepack`: deletes the compiled files in dist/ whose source in src/ is gone (renamed or
// removed modules), so that `npm pack` / `npm publish` from a working checkout do not ship them. tsc
// (the `prepare` script, which npm runs next) never deletes outputs. Files that still have a source
// are left in place, so a build running from dist/ meanwhile keeps working.
import { existsSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const src = join(root, 'src');
const compiled = /(\.d\.ts\.map|\.js\.map|\.d\.ts|\.js)$/;

function sweep(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // dist/web is Vite's build of the playground (src/web), not tsc's: it has no .ts source per file.
    if (path === join(dist, 'web')) continue;
    if (entry.isDirectory()) {
      sweep(path);
      if (readdirSync(path).length === 0) rmdirSync(path);
      continue;
    }
    if (!compiled.test(entry.name)) continue;
    const base = relative(dist, path).replace(compiled, '');
    if (!existsSync(join(src, `${base}.ts`))) {
      unlinkSync(path);
      console.log(`clean-dist: removed dist/${relative(dist, path)}`);
    }
  }
}

if (existsSync(dist) && existsSync(src)) sweep(dist);
