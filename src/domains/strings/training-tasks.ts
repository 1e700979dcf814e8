/**
 * Task streams for training and evaluation. Realistic templates are split once, by a hash of their
 * id, into a training part and a held-out part: models may train on the first, benchmarks report on
 * the second, so "unseen tasks" means unseen templates, not just unseen rows.
 */
import type { Rng } from '../../core/index.js';
import { programToActions } from './actions.js';
import { familyTask, templatesFor, type FamilyDomainInfo, type FamilyTemplate } from './families.js';
import { randomProgram, replaysToSolved, type GeneratedTask, type GeneratorConfig } from './generator.js';
import { runProgram } from './interpreter.js';
import type { StringsExample } from './repl.js';

export type TemplateSplit = 'train' | 'heldout';

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Which side of the fixed split a template is on: its own `split` when it names one (the
 * benchmark-only templates), else by hash (about one third held out).
 */
export function templateSplit(t: FamilyTemplate): TemplateSplit {
  if (t.split) return t.split;
  return fnv(t.id) % 3 === 0 ? 'heldout' : 'train';
}

export function templatesOfSplit(d: FamilyDomainInfo, split: TemplateSplit): FamilyTemplate[] {
  return templatesFor(d).filter((t) => templateSplit(t) === split);
}

/** A realistic task from one side of the split (uniform over its templates). */
export function splitFamilyTask(
  rng: Rng,
  d: FamilyDomainInfo,
  split: TemplateSplit,
  tests = 3,
): GeneratedTask {
  const ts = templatesOfSplit(d, split);
  for (let attempt = 0; attempt < 100; attempt++) {
    const task = familyTask(rng, rng.pick(ts), d, d.generatorConfig.examples, tests);
    if (task) return task;
  }
  throw new Error(`strings: could not build a ${split} family task`);
}

/**
 * A random DSL program run on realistic rows (from a training-split template's row generator): the
 * policy sees real-looking text while the programs stay as varied as the grammar. Null when no
 * program in `tries` gives valid outputs on all rows.
 */
export function realisticInputTask(
  rng: Rng,
  d: FamilyDomainInfo & { readonly generatorConfig: GeneratorConfig },
  tries = 200,
): GeneratedTask | null {
  const cfg = d.generatorConfig;
  const template = rng.pick(templatesOfSplit(d, 'train'));
  const rows: string[][] = [];
  for (let i = 0; i < cfg.examples; i++) rows.push(template.row(rng));
  const columns = Math.min(cfg.columns, rows[0].length);
  for (let attempt = 0; attempt < tries; attempt++) {
    const program = randomProgram(rng, { ...cfg, columns });
    const trace = programToActions(program, cfg.repl.table);
    if (trace === null || trace.length > cfg.maxTrace) continue;
    if (trace.filter((a) => a === cfg.repl.table.commit).length > cfg.repl.maxCommits) continue;
    const examples: StringsExample[] = [];
    for (const inputs of rows) {
      const output = runProgram(program, inputs);
      if (output === null || output.length === 0 || output.length > d.maxLength) break;
      examples.push({ inputs, output });
    }
    if (examples.length !== rows.length) continue;
    // A program that ignores its input teaches nothing about reading text.
    if (new Set(examples.map((e) => e.output)).size === 1 && rows.length > 1) continue;
    const spec = { examples };
    const own = cfg.repl.table.slots ? programToActions(program, cfg.repl.table, spec) : trace;
    if (own && own.length <= cfg.maxTrace && replaysToSolved(cfg.repl, spec, own))
      return { spec, program, trace: own };
  }
  return null;
}
