/**
 * A static import-graph walker for TypeScript sources: from entry files, follows relative `import` /
 * `export … from` / `import()` specifiers (a `.js` specifier resolves to the `.ts` file beside it) and
 * collects the bare modules reached. Type-only imports are skipped (they vanish at compile time).
 * test/browser-safe.test.ts uses it to keep node modules out of what a browser bundle would load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Repository-relative path of the importing file. */
  readonly from: string;
  readonly specifier: string;
}

export interface ImportGraph {
  /** Every source file reached, repository-relative, with the chain of files that leads to it. */
  readonly files: ReadonlyMap<string, readonly string[]>;
  /** Every bare (non-relative) specifier reached, with the files that import it. */
  readonly external: ReadonlyMap<string, readonly string[]>;
  /** Relative specifiers that name no file. */
  readonly unresolved: readonly ImportEdge[];
}

/** The value (not type-only) module specifiers of one TypeScript source. */
export function importSpecifiers(source: string, fileName = 'x.ts'): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null;
      const typeOnly =
        c !== undefined &&
        (c.isTypeOnly || (!c.name && named !== null && named.length > 0 && named.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push(n.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const named = n.exportClause && ts.isNamedExports(n.exportClause) ? n.exportClause.elements : null;
      const typeOnly =
        n.isTypeOnly || (named !== null && named.length > 0 && named.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push(n.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments.length === 1 &&
      ts.isStringLiteralLike(n.arguments[0])
    ) {
      out.push(n.arguments[0].text);
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      const e = n.moduleReference.expression;
      if (!n.isTypeOnly && ts.isStringLiteral(e)) out.push(e.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The .ts file a relative specifier names (`./a.js` → `./a.ts`, `./dir` → `./dir/index.ts`), or null. */
function resolveRelative(fromFile: string, spec: string): string | null {
  const base = resolve(dirname(fromFile), spec);
  const candidates = base.endsWith('.js')
    ? [base.slice(0, -3) + '.ts', base.slice(0, -3) + '.tsx', base]
    : base.endsWith('.ts')
      ? [base]
      : [base + '.ts', join(base, 'index.ts'), base];
  return candidates.find((c) => existsSync(c) && /\.(ts|tsx|js|mjs)$/.test(c)) ?? null;
}

/** Walks the graph from `entries` (paths relative to `root`, default the repository). */
export function walkImports(entries: readonly string[], root = process.cwd()): ImportGraph {
  const files = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  const unresolved: ImportEdge[] = [];
  const queue: string[] = [];
  for (const e of entries) {
    const abs = resolve(root, e);
    if (!existsSync(abs)) {
      unresolved.push({ from: '(entry)', specifier: e });
      continue;
    }
    const rel = relative(root, abs);
    if (!files.has(rel)) {
      files.set(rel, [rel]);
      queue.push(abs);
    }
  }
  while (queue.length > 0) {
    const abs = queue.shift()!;
    const rel = relative(root, abs);
    const chain = files.get(rel)!;
    for (const spec of importSpecifiers(readFileSync(abs, 'utf8'), abs)) {
      if (!spec.startsWith('.')) {
        const list = external.get(spec) ?? [];
        if (!list.includes(rel)) list.push(rel);
        external.set(spec, list);
        continue;
      }
      const target = resolveRelative(abs, spec);
      if (!target) {
        unresolved.push({ from: rel, specifier: spec });
        continue;
      }
      const t = relative(root, target);
      if (!files.has(t)) {
        files.set(t, [...chain, t]);
        queue.push(target);
      }
    }
  }
  return { files, external, unresolved };
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Node's own modules (`node:fs`, `fs`, `fs/promises` …) and the node-only ONNX Runtime package. */
export function isNodeOnly(specifier: string): boolean {
  return specifier.startsWith('node:') || nodeBuiltins.has(specifier) || specifier === 'onnxruntime-node';
}

/**
 * Node-only modules reachable from the entries, each as a readable chain
 * (`src/nn/inference.ts → src/nn/model.ts → node:fs`), plus relative imports that resolve to nothing.
 */
export function nodeOnlyImports(
  entries: readonly string[],
  root = process.cwd(),
  forbidden: (specifier: string) => boolean = isNodeOnly,
): string[] {
  const g = walkImports(entries, root);
  const out: string[] = [];
  for (const [spec, importers] of g.external)
    if (forbidden(spec)) for (const f of importers) out.push([...g.files.get(f)!, spec].join(' → '));
  for (const u of g.unresolved) out.push(`${u.from} → ${u.specifier} (no such file)`);
  return out.sort();
}
