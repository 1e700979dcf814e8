// Lint: TypeScript rules, a ban on Math.random (randomness is seeded and passed in), and the folder
// dependency table of docs/architecture.md: an import pointing the wrong way fails CI.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * For each folder of src/, the folders of src/ it may import besides itself (imports are checked by
 * resolved path, so at any depth). A folder missing here is a lint error in every file inside it: place
 * a new folder in the table first. `.` stands for the files at the top of src/ (index.ts, api.ts),
 * entry points like cli; they may import anything. Folders listed before they exist: conformance,
 * formulations, methods, eval, io (io: the node edge of files and folders, core and nn only).
 */
const everything = [
  'core',
  'nn',
  'domains',
  'search',
  'models',
  'train',
  'conformance',
  'formulations',
  'experiments',
  'csg',
  'csg-models',
];
const allowed = {
  core: [],
  nn: ['core'],
  // csg: what the 2D and 3D CSG problems share (language, tokens, REPL), parameterised by dimension and
  // primitive set; csg-models: what their line models share (scores, evaluator, learner). A domain or
  // model may not import a sibling, so shared code lives beside them, one layer each.
  csg: ['core'],
  'csg-models': ['core', 'nn', 'csg'],
  domains: ['core', 'csg'],
  search: ['core'],
  models: ['core', 'nn', 'domains', 'csg', 'csg-models'],
  train: ['core'],
  conformance: ['core', 'search'],
  formulations: ['core'],
  methods: ['core', 'search', 'formulations'],
  // eval runs methods on items and writes results through io (the node edge).
  eval: ['core', 'methods', 'io'],
  io: ['core', 'nn'],
  // experiments: a paper's comparison as eval steps, the claims checked on their results, a report.
  experiments: ['core', 'eval'],
  // queue runs evaluations and dataset jobs on BullMQ workers (an entry point of worker processes).
  queue: [...everything, 'methods', 'eval', 'io', '.'],
  cli: [...everything, 'methods', 'eval', 'io', 'web', 'queue', '.'],
  web: [...everything, 'methods', 'eval', 'io', 'cli', '.'],
};
/** Folders of independent parts: a file in src/domains/a/ may not import src/domains/b/ nor src/domains/*.ts. */
const isolated = { domains: 'a domain', models: 'a model' };

/** Folders outside src/ and the src/ folders they may not import. */
const outsideBans = { bench: ['cli'], scripts: ['cli'] };

const known = (folder) => Object.hasOwn(allowed, folder);

/** Where a file is: its area (src, bench …), its folder below src/ and, for src/<f>/<sub>/…, the sub-folder. */
function place(file) {
  const rel = path.relative(root, file).split(path.sep);
  const shown = rel.join('/');
  if (rel[0] !== 'src') return { area: rel[0], folder: null, sub: null, shown };
  // src/x is a file at the top of src/, unless it names a folder (a directory import).
  if (rel.length === 2) return { area: 'src', folder: known(rel[1]) ? rel[1] : '.', sub: null, shown };
  return { area: 'src', folder: rel[1], sub: rel.length > 3 ? rel[2] : null, shown };
}

const folderOf = (p) => (p.sub ? `src/${p.folder}/${p.sub}` : `src/${p.folder}`);

/** The message for an import from `from` (a file in src/<folder>/) of `to`, or null when the table allows it. */
function srcViolation(from, to) {
  if (to.area !== 'src') {
    const isTest = /\.test(-util)?\.ts$/.test(from.shown);
    return to.area === 'test' && !isTest
      ? 'product code in src/ may not import test/ (it is not shipped)'
      : null;
  }
  if (to.folder === from.folder) {
    const kind = isolated[from.folder];
    if (!kind || from.sub === null || to.sub === from.sub) return null;
    return `${folderOf(from)} may not import ${to.shown}: ${kind} may import only core and its own folder`;
  }
  if (allowed[from.folder].includes(to.folder)) return null;
  const may = allowed[from.folder].length ? allowed[from.folder].join(', ') : 'nothing of ours';
  return `src/${from.folder} may import only: ${may}; not ${to.shown} (see docs/architecture.md)`;
}

const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'The folder dependency table of docs/architecture.md' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = place(file);
    if (from.area === 'src' && from.folder !== '.' && !known(from.folder)) {
      return {
        Program(node) {
          context.report({
            node,
            message: `src/${from.folder} is not in the folder table of eslint.config.js: add it with the folders it may import`,
          });
        },
      };
    }
    const bans = from.area === 'src' ? null : Object.hasOwn(outsideBans, from.area) && outsideBans[from.area];
    // Files at the top of src/ are entry points: they may import anything.
    if (from.area === 'src' ? from.folder === '.' : !bans) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = place(path.resolve(path.dirname(file), source));
      const message =
        from.area === 'src'
          ? srcViolation(from, to)
          : to.area === 'src' && bans.includes(to.folder)
            ? `${from.area}/ may not import src/${to.folder}: it is an entry point; import the library code it uses`
            : null;
      if (message) context.report({ node, message });
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportType: (node) => {
        const lit = node.source ?? node.argument?.literal;
        if (lit) check(node, lit.value);
      },
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bench/results/**',
      'models/**',
      'scratch/**',
      'checkpoints/**',
      'runs/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', performance: 'readonly' } },
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use a seeded Rng from src/core/rng.ts, passed in explicitly.',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    plugins: { replsynth: { rules: { layers } } },
    rules: { 'replsynth/layers': 'error' },
  },
  {
    // Product code: what ships in dist/ may not use test libraries, and should stay readable in size.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test-util.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vitest', 'fast-check'].map((name) => ({ name, message: 'test libraries stay in tests' })),
          patterns: [{ group: ['vitest/*'], message: 'test libraries stay in tests' }],
        },
      ],
      'max-lines': ['warn', { max: 600 }],
      'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
);
