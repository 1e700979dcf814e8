import { describe, expect, it } from 'vitest';
import { nodeOnlyImports } from '../../../test/import-graph.js';

// test/browser-safe.test.ts covers src/domains/index.ts; the csg3d model's loading path (the store, as
// for csg2d; the definition imports the node-only learner lazily) is checked here until listed there.
describe('csg3d is browser-safe', () => {
  for (const entry of ['src/domains/csg3d/index.ts', 'src/models/csg3d/store.ts'])
    it(`${entry} reaches no node module`, () => {
      expect(nodeOnlyImports([entry])).toEqual([]);
    });
});
