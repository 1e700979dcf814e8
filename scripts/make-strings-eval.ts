/**
 * Writes the strings evaluation task file: realistic tasks from the HELD-OUT half of the template
 * split (no model trains on those templates), 4 examples + 3 held-out rows each, fixed seed.
 * Usage: npx tsx scripts/make-strings-eval.ts [count] [seed] > bench/strings-eval/heldout-100.jsonl
 */
import { Rng } from '../src/core/index.js';
import { createStringsDomain, splitFamilyTask } from '../src/domains/strings/index.js';

const count = Number(process.argv[2] ?? 100);
const seed = Number(process.argv[3] ?? 2026);
const domain = createStringsDomain();
const rng = new Rng(seed);
for (let i = 0; i < count; i++) {
  const t = splitFamilyTask(rng, domain, 'heldout');
  const row = { name: `${t.spec.name}-${i}`, examples: t.spec.examples, tests: t.spec.tests };
  process.stdout.write(JSON.stringify(row) + '\n');
}
