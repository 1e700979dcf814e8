/**
 * Vite plugins of the playground build.
 *
 * `nodeOnlyStubs`: the page registers the same parts as the CLI (registerBuiltins). Model definitions
 * import their training code lazily (`import('./learner.js')`), and that code reaches node modules and
 * onnxruntime-node. Such imports resolve to stubs that throw if ever called, so the lazy chunks build;
 * the build then fails if a stub is reachable without a dynamic import from an entry, i.e. if the page
 * itself would load node code.
 *
 * `shippedAssets`: copies what the page fetches at run time — for every registered model with shipped
 * weights, exactly the files its definition declares (so training state is left out), and the bundled
 * examples — and writes `models/index.json` and `examples/index.json` so the page needs no directory
 * listing from its host.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';
import { models } from '../../core/index.js';
import { registerBuiltins } from '../../builtins.js';

const STUB = '\0node-only:';
const NODE_ONLY_PACKAGES = new Set(['onnxruntime-node']);

const isNodeOnly = (id: string): boolean =>
  id.startsWith('node:') || builtinModules.includes(id) || NODE_ONLY_PACKAGES.has(id);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

async function stubSource(id: string): Promise<string> {
  let names: string[] = [];
  try {
    names = Object.keys((await import(id)) as object).filter((k) => k !== 'default' && IDENTIFIER.test(k));
  } catch {
    // Not importable here either: a default export is all the stub offers.
  }
  const fail = `() => { throw new Error(${JSON.stringify(`${id} is not available in the browser`)}); }`;
  return [
    `const fail = ${fail};`,
    // Not thenable, no symbols: awaiting or inspecting a stub must not call it.
    "const stub = new Proxy(fail, { get: (_, k) => (k === 'then' || typeof k === 'symbol' ? undefined : stub), apply: fail, construct: fail });",
    'export default stub;',
    ...names.map((n) => `export const ${n} = stub;`),
  ].join('\n');
}

interface ChunkInfo {
  readonly type: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly moduleIds?: readonly string[];
}

export function nodeOnlyStubs(): Plugin {
  return {
    name: 'replsynth:node-only-stubs',
    enforce: 'pre',
    resolveId(id) {
      return isNodeOnly(id) ? STUB + id : null;
    },
    load(id) {
      return id.startsWith(STUB) ? stubSource(id.slice(STUB.length)) : null;
    },
    generateBundle(_options, bundle) {
      const chunks = bundle as unknown as Record<string, ChunkInfo>;
      const seen = new Set<string>();
      const visit = (name: string): void => {
        const c = chunks[name];
        if (!c || c.type !== 'chunk' || seen.has(name)) return;
        seen.add(name);
        const stubs = (c.moduleIds ?? []).filter((m) => m.startsWith(STUB));
        if (stubs.length)
          this.error(
            `${name} loads node-only modules without a dynamic import: ${stubs.map((s) => s.slice(STUB.length)).join(', ')}`,
          );
        for (const i of c.imports ?? []) visit(i);
      };
      for (const [name, c] of Object.entries(chunks)) if (c.type === 'chunk' && c.isEntry) visit(name);
    },
  };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

/** The page-relative files to copy from the package root: shipped model files and examples. */
export function shippedFiles(root: string): { files: string[]; manifest: Record<string, string[]> } {
  registerBuiltins();
  const manifest: Record<string, string[]> = {};
  const files: string[] = [];
  for (const m of models.list()) {
    if (!m.shipped) continue;
    const present = m.files.filter((f) => existsSync(join(root, 'models', m.shipped!, f)));
    manifest[m.shipped] = present;
    files.push(...present.map((f) => `models/${m.shipped}/${f}`));
  }
  files.push(...filesUnder(join(root, 'examples')).map((p) => relative(root, p).split('\\').join('/')));
  return { files, manifest };
}

export function shippedAssets(root: string): Plugin {
  const listing = () => {
    const { files, manifest } = shippedFiles(root);
    const examples = files.filter((f) => f.startsWith('examples/'));
    return { files, manifest, examples };
  };
  return {
    name: 'replsynth:shipped-assets',
    generateBundle() {
      const { files, manifest, examples } = listing();
      for (const f of files)
        this.emitFile({ type: 'asset', fileName: f, source: readFileSync(join(root, f)) });
      this.emitFile({ type: 'asset', fileName: 'models/index.json', source: JSON.stringify(manifest) });
      this.emitFile({ type: 'asset', fileName: 'examples/index.json', source: JSON.stringify(examples) });
    },
    configureServer(server) {
      // `vite` (dev): the same files, served from the package root.
      const { files, manifest, examples } = listing();
      const json: Record<string, string> = {
        '/models/index.json': JSON.stringify(manifest),
        '/examples/index.json': JSON.stringify(examples),
      };
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0]);
        if (json[path] !== undefined) {
          res.setHeader('Content-Type', 'application/json');
          res.end(json[path]);
        } else if (files.includes(path.slice(1))) res.end(readFileSync(join(root, path.slice(1))));
        else next();
      });
    },
  };
}
