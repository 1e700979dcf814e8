// Lint: TypeScript rules, a ban on Math.random (randomness is seeded and passed in), and the folder
// dependency table of docs/architecture.md: an import pointing the wrong way fails CI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const folders = ['core', 'nn', 'domains', 'search', 'models', 'train', 'cli', 'web'];
/** For each folder of src/, the folders of src/ it may import. */
const allowed = {
  core: ['core'],
  nn: ['core', 'nn'],
  domains: ['core', 'domains'],
  search: ['core', 'search'],
  models: ['core', 'nn', 'domains', 'models'],
  train: ['core', 'nn', 'models', 'search', 'train', 'domains'],
  cli: folders,
  web: folders,
};

function restrictFor(folder) {
  const banned = folders.filter((f) => !allowed[folder].includes(f));
  // Paths are relative, so ban any relative path that reaches one of the banned folders.
  const patterns = banned.flatMap((f) => [
    `../${f}/*`,
    `../../${f}/*`,
    `../../../${f}/*`,
    `../${f}`,
    `../../${f}`,
  ]);
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: patterns,
              message: `src/${folder} may import only: ${allowed[folder].join(', ')} (see docs/architecture.md)`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'models/**', 'scratch/**', 'checkpoints/**'],
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
  ...['core', 'nn', 'domains', 'search', 'models', 'train'].map(restrictFor),
);
