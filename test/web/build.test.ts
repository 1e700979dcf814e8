import { describe, expect, it } from 'vitest';
import { nodeOnlyStubs } from '../../src/web/build/plugins.js';

// The build's guard: node-only modules may be reached by the page only through a dynamic import
// (the lazily imported training code of model definitions), never from an entry's static graph.

type Hook = (this: unknown, ...args: unknown[]) => unknown;
const plugin = nodeOnlyStubs() as unknown as Record<'resolveId' | 'load' | 'generateBundle', Hook>;
const ctx = {
  error(message: string): never {
    throw new Error(message);
  },
};
const chunk = (moduleIds: string[], imports: string[] = [], isEntry = false) => ({
  type: 'chunk',
  isEntry,
  imports,
  moduleIds,
});

describe('node-only stubs', () => {
  it('resolve node built-ins and onnxruntime-node to stubs, nothing else', () => {
    expect(plugin.resolveId.call(ctx, 'node:fs')).toBe('\0node-only:node:fs');
    expect(plugin.resolveId.call(ctx, 'path')).toBe('\0node-only:path');
    expect(plugin.resolveId.call(ctx, 'onnxruntime-node')).toBe('\0node-only:onnxruntime-node');
    expect(plugin.resolveId.call(ctx, 'onnxruntime-web/wasm')).toBeNull();
    expect(plugin.resolveId.call(ctx, './learner.js')).toBeNull();
  });

  it('a stub has the named exports of the module it replaces, each failing when used', async () => {
    const src = (await plugin.load.call(ctx, '\0node-only:node:fs')) as string;
    expect(src).toMatch(/export const readFileSync = stub;/);
    expect(src).toMatch(/export default stub;/);
    const mod = (await import(`data:text/javascript,${encodeURIComponent(src)}`)) as {
      readFileSync: () => unknown;
    };
    expect(() => mod.readFileSync()).toThrow('node:fs is not available in the browser');
  });

  it('the build fails when an entry reaches a stub without a dynamic import', () => {
    const lazy = {
      'worker.js': chunk(['/src/web/app/worker.ts'], ['app.js'], true),
      'app.js': chunk(['/src/builtins.ts']),
      'learner.js': chunk(['/src/models/x/learner.ts', '\0node-only:node:fs']),
    };
    expect(() => plugin.generateBundle.call(ctx, {}, lazy)).not.toThrow();
    const eager = { ...lazy, 'app.js': chunk(['/src/builtins.ts'], ['learner.js']) };
    expect(() => plugin.generateBundle.call(ctx, {}, eager)).toThrow(
      'learner.js loads node-only modules without a dynamic import: node:fs',
    );
  });
});
