/**
 * Writes bench/strings-eval/rich-heldout-54.jsonl: tasks from the rich-mode benchmark-only templates
 * (src/domains/strings/families-rich-heldout.ts: conditionals, numbers, TRUE/FALSE, accented names,
 * long labelled outputs), 4 examples + 3 held-out rows each, fixed seed, 3 tasks per template.
 * Usage: npx tsx bench/strings-eval/make-rich.ts [count] [seed] > bench/strings-eval/rich-heldout-54.jsonl
 */
import { Rng } from '../../src/core/index.js';
import { createStringsDomain, familyTask } from '../../src/domains/strings/index.js';
import { RICH_HELDOUT_TEMPLATES } from '../../src/domains/strings/families-rich-heldout.js';

const count = Number(process.argv[2] ?? 54);
const seed = Number(process.argv[3] ?? 1919);
const domain = createStringsDomain({ mode: 'rich' });
const rng = new Rng(seed);
const templates = rng.shuffle([...RICH_HELDOUT_TEMPLATES]);
for (let i = 0; i < count; i++) {
  const template = templates[i % templates.length];
  const t = familyTask(rng, template, domain, 4, 3);
  if (!t) throw new Error(`could not build a task from template ${template.id}`);
  const row = { name: `${template.id}-${i}`, examples: t.spec.examples, tests: t.spec.tests };
  process.stdout.write(JSON.stringify(row) + '\n');
}
