/**
 * Writes golden playthrough files: `npm run golden -- [NAME …]` (default: all). Run it only when a
 * change in semantics is intended, and say so in the commit message.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../src/io/files.js';
import { goldenSeeds, playthroughs } from '../test/conformance/golden.js';
import { goldenDomains } from '../test/conformance/golden-domains.js';

const domains = goldenDomains();
const names = process.argv.slice(2);
for (const n of names) {
  if (!domains.has(n)) {
    console.error(`golden: unknown domain '${n}' (have: ${[...domains.keys()].join(', ')})`);
    process.exit(2);
  }
}
for (const [name, domain] of domains) {
  if (names.length && !names.includes(name)) continue;
  const path = join('test', 'golden', `${name}.json`);
  writeFileAtomic(path, JSON.stringify(playthroughs(domain, goldenSeeds), null, 1) + '\n');
  console.log(`wrote ${path}`);
}
