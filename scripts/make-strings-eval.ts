/**
 * Writes the strings evaluation task file: realistic tasks from the HELDOUT side of the template
 * split (no model trains on those templates), 4 examples + 3 held-out rows each, fixed seed. Tasks
 * cycle through the held-out templates so each template gets the same share (±1).
 * Usage: npx tsx scripts/make-strings-eval.ts [count] [seed] > bench/strings-eval/heldout-100.jsonl
 */
import { Rng } from '../src/core/index.js';
import { createStringsDomain, familyTask, templatesOfSplit } from '../src/domains/strings/index.js';

const count = Number(process.argv[2] ?? 100);
const seed = Number(process.argv[3] ?? 2026);
const domain = createStringsDomain();
const rng = new Rng(seed);
const templates = rng.shuffle([...templatesOfSplit(domain, 'heldout')]);
for (let i = 0; i < count; i++) {
  const template = templates[i % templates.length];
  const t = familyTask(rng, template, domain, 4, 3);
  if (!t) throw new Error(`could not build a task from template ${template.id}`);
  const row = { name: `${template.id}-${i}`, examples: t.spec.examples, tests: t.spec.tests };
  process.stdout.write(JSON.stringify(row) + '\n');
}
