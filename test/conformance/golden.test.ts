import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenSeeds, playthroughs, type GoldenFile } from './golden.js';
import { goldenDomains } from './golden-domains.js';

describe('golden playthroughs', () => {
  for (const [name, domain] of goldenDomains()) {
    it(`${name} matches test/golden/${name}.json`, () => {
      const path = join('test', 'golden', `${name}.json`);
      expect(existsSync(path), `missing ${path}: run 'npm run golden -- ${name}'`).toBe(true);
      const want = JSON.parse(readFileSync(path, 'utf8')) as GoldenFile;
      const got = JSON.parse(JSON.stringify(playthroughs(domain, goldenSeeds))) as GoldenFile;
      expect(got).toEqual(want);
      for (const p of got.playthroughs) expect(p.solved).toBe(true);
    });
  }
});
