import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The dependency table of docs/architecture.md is enforced by lint; these tests show it bites.
async function lint(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint();
  const [res] = await eslint.lintText(code, { filePath });
  return res.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint rules', () => {
  it('search may not import nn', async () => {
    const msgs = await lint(
      'src/search/bad.ts',
      "import { x } from '../nn/graph.js';\nexport const y = x;\n",
    );
    expect(msgs.join('\n')).toContain('no-restricted-imports');
  });
  it('search may not import a domain', async () => {
    const msgs = await lint(
      'src/search/bad.ts',
      "import { x } from '../domains/strings/dsl.js';\nexport const y = x;\n",
    );
    expect(msgs.join('\n')).toContain('no-restricted-imports');
  });
  it('core may not import anything of ours outside core', async () => {
    const msgs = await lint(
      'src/core/bad.ts',
      "import { x } from '../search/smc.js';\nexport const y = x;\n",
    );
    expect(msgs.join('\n')).toContain('no-restricted-imports');
  });
  it('a domain may not import nn', async () => {
    const msgs = await lint(
      'src/domains/strings/bad.ts',
      "import { x } from '../../nn/graph.js';\nexport const y = x;\n",
    );
    expect(msgs.join('\n')).toContain('no-restricted-imports');
  });
  it('models may import nn, domains and core', async () => {
    const code =
      "import { a } from '../nn/graph.js';\nimport { b } from '../domains/strings/dsl.js';\nimport { c } from '../core/rng.js';\nexport const y = [a, b, c];\n";
    expect(
      (await lint('src/models/ok.ts', code)).filter((m) => m.startsWith('no-restricted-imports')),
    ).toEqual([]);
  });
  it('Math.random is banned', async () => {
    const msgs = await lint('src/core/bad.ts', 'export const r = Math.random();\n');
    expect(msgs.join('\n')).toContain('no-restricted-properties');
  });
});
