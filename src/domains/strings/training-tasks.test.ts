import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/index.js';
import { createStringsDomain } from './domain.js';
import { replaysToSolved } from './generator.js';
import { readFileSync } from 'node:fs';
import { FAMILY_TEMPLATES } from './families.js';
import { HELDOUT_TEMPLATES } from './families-heldout.js';
import { RICH_HELDOUT_TEMPLATES } from './families-rich-heldout.js';
import { realisticInputTask, splitFamilyTask, templateSplit, templatesOfSplit } from './training-tasks.js';

const domain = createStringsDomain();

describe('training/evaluation task streams', () => {
  it('splits templates into disjoint train and held-out parts, both non-empty', () => {
    const train = templatesOfSplit(domain, 'train').map((t) => t.id);
    const held = templatesOfSplit(domain, 'heldout').map((t) => t.id);
    expect(train.length).toBeGreaterThan(10);
    expect(held.length).toBeGreaterThan(5);
    expect(train.filter((id) => held.includes(id))).toEqual([]);
    for (const t of FAMILY_TEMPLATES) expect(['train', 'heldout']).toContain(templateSplit(t));
  });

  it('held-out family tasks come from held-out templates and replay to solved', () => {
    const held = new Set(templatesOfSplit(domain, 'heldout').map((t) => t.id));
    const rng = new Rng(3);
    for (let i = 0; i < 30; i++) {
      const task = splitFamilyTask(rng, domain, 'heldout');
      expect(held.has(task.spec.name!)).toBe(true);
      expect(task.spec.tests!.length).toBe(3);
      expect(replaysToSolved(domain.repl, task.spec, task.trace)).toBe(true);
    }
  });

  it('random programs on realistic rows replay to solved and read their input', () => {
    const rng = new Rng(4);
    let made = 0;
    for (let i = 0; i < 30; i++) {
      const task = realisticInputTask(rng, domain);
      if (!task) continue;
      made++;
      expect(replaysToSolved(domain.repl, task.spec, task.trace)).toBe(true);
      expect(new Set(task.spec.examples.map((e) => e.output)).size).toBeGreaterThan(1);
    }
    expect(made).toBeGreaterThan(15);
  });

  it('benchmark-only templates are all held out, and the domain never samples a held-out template', () => {
    for (const t of [...HELDOUT_TEMPLATES, ...RICH_HELDOUT_TEMPLATES])
      expect(templateSplit(t), t.id).toBe('heldout');
    const held = new Set(templatesOfSplit(domain, 'heldout').map((t) => t.id));
    for (const source of ['families', 'mixed'])
      for (let seed = 0; seed < 200; seed++) {
        for (const mode of ['extended', 'rich']) {
          const task = createStringsDomain({ mode, taskSource: source }).sampleTask(new Rng(seed));
          if (task.name) expect(held.has(task.name), task.name).toBe(false);
          if (task.name)
            expect(task.name.startsWith('cond.') || task.name.startsWith('numbers.')).toBe(false);
        }
      }
  });

  it('the shipped benchmark file holds only held-out templates', () => {
    const held = new Set(templatesOfSplit(domain, 'heldout').map((t) => t.id));
    const lines = readFileSync('bench/strings-eval/heldout-100.jsonl', 'utf8').trim().split('\n');
    expect(lines).toHaveLength(100);
    for (const line of lines) {
      const name = (JSON.parse(line) as { name: string }).name;
      expect(held.has(name.replace(/-\d+$/, '')), name).toBe(true);
    }
  });
});
