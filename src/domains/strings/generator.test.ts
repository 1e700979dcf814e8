import { describe, expect, it } from 'vitest';
import { Rng, replay } from '../../core/index.js';
import { createStringsDomain } from './domain.js';
import { FAMILY_TEMPLATES, familyTask, templatesFor } from './families.js';
import { RICH_HELDOUT_TEMPLATES } from './families-rich-heldout.js';
import { runProgram } from './interpreter.js';

for (const mode of ['paper', 'extended', 'rich'] as const) {
  describe(`strings generator (${mode})`, () => {
    const d = createStringsDomain({ mode });

    it('every generated task replays its trace to solved (many seeds)', () => {
      for (let seed = 0; seed < 400; seed++) {
        const task = d.sampleTask(new Rng(seed));
        const r = replay(d, task.spec, task.trace);
        expect(r.ok, `seed ${seed}`).toBe(true);
        if (r.ok) expect(d.isSolved(r.state), `seed ${seed}`).toBe(true);
        expect(task.trace.length).toBeLessThanOrEqual(30);
        expect(task.spec.examples).toHaveLength(4);
        for (const ex of task.spec.examples) {
          expect(ex.output.length).toBeGreaterThan(0);
          expect(ex.output.length).toBeLessThanOrEqual(36);
          for (const s of ex.inputs) expect(s.length).toBeLessThanOrEqual(36);
        }
        // The held-out rows follow the same program as the examples.
        if (r.ok)
          for (const t of task.spec.tests ?? [])
            expect(runProgram(d.program(r.state)!, t.inputs)).toBe(t.output);
      }
    });

    it('is deterministic per seed', () => {
      expect(JSON.stringify(d.sampleTask(new Rng(7)))).toBe(JSON.stringify(d.sampleTask(new Rng(7))));
    });

    it('every realistic template it can express yields tasks that replay to solved', () => {
      const ts = templatesFor(d);
      // Extended mode expresses every template but the rich-mode ones (conditionals, numbers, …).
      const all = FAMILY_TEMPLATES.length;
      const want = mode === 'paper' ? 30 : mode === 'extended' ? all - RICH_HELDOUT_TEMPLATES.length : all;
      expect(ts.length).toBeGreaterThanOrEqual(want);
      for (const t of ts)
        for (let seed = 0; seed < 3; seed++) {
          const task = familyTask(new Rng(`${t.id}/${seed}`), t, d, 4, 3);
          expect(task, t.id).not.toBeNull();
          const r = replay(d, task!.spec, task!.trace);
          expect(r.ok && d.isSolved(r.state), t.id).toBe(true);
          expect(task!.spec.tests).toHaveLength(3);
        }
    });

    it('samples families through taskSource', () => {
      const fam = createStringsDomain({ mode, taskSource: 'families' });
      for (let seed = 0; seed < 20; seed++) {
        const task = fam.sampleTask(new Rng(seed));
        expect(task.name).toBeTruthy();
        const r = replay(fam, task.spec, task.trace);
        expect(r.ok && fam.isSolved(r.state)).toBe(true);
      }
    });
  });
}

it('the realistic families cover every family with at least 30 templates', () => {
  expect(FAMILY_TEMPLATES.length).toBeGreaterThanOrEqual(30);
  const fams = new Set(FAMILY_TEMPLATES.map((t) => t.family));
  for (const f of [
    'names',
    'emails',
    'phones',
    'reviews',
    'dates',
    'times',
    'addresses',
    'paths',
    'products',
  ])
    expect(fams.has(f as never)).toBe(true);
  expect(new Set(FAMILY_TEMPLATES.map((t) => t.id)).size).toBe(FAMILY_TEMPLATES.length);
});
