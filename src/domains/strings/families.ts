/**
 * Realistic task families for development (the paper's 87-problem test set is not public): dates and
 * times, addresses, names, phone numbers, reviews, file paths, e-mails, product codes. Each template
 * is a row generator plus a reference program in the DSL, so every task comes with a trace that is
 * checked to replay to solved. They are for development and evaluation only: never tune the DSL or
 * a model to them.
 */
import type { Rng } from '../../core/index.js';
import { programToActions } from './actions.js';
import { maxColumn, parseProgram, type Program } from './dsl.js';
import { HELDOUT_TEMPLATES } from './families-heldout.js';
import { RICH_HELDOUT_TEMPLATES } from './families-rich-heldout.js';
import { PEOPLE_TEMPLATES } from './families-people.js';
import { THINGS_TEMPLATES } from './families-things.js';
import { replaysToSolved, type GeneratedTask } from './generator.js';
import { runProgram } from './interpreter.js';
import type { ReplConfig, StringsExample } from './repl.js';

export interface FamilyTemplate {
  readonly id: string;
  readonly family:
    | 'names'
    | 'emails'
    | 'phones'
    | 'reviews'
    | 'dates'
    | 'times'
    | 'addresses'
    | 'paths'
    | 'products'
    | 'conditionals'
    | 'numbers';
  /** One row of input columns. */
  readonly row: (rng: Rng) => string[];
  /** Reference program (DSL text). */
  readonly program: string;
  /** Forces the side of the template split (otherwise decided by a hash of the id). */
  readonly split?: 'train' | 'heldout';
}

export const FAMILY_TEMPLATES: readonly FamilyTemplate[] = [
  ...PEOPLE_TEMPLATES,
  ...THINGS_TEMPLATES,
  ...HELDOUT_TEMPLATES,
  ...RICH_HELDOUT_TEMPLATES,
];

const parsed = new Map<string, Program>();
export function templateProgram(t: FamilyTemplate): Program {
  let p = parsed.get(t.id);
  if (!p) {
    p = parseProgram(t.program);
    parsed.set(t.id, p);
  }
  return p;
}

export interface FamilyDomainInfo {
  readonly repl: ReplConfig;
  readonly maxLength: number;
  readonly generatorConfig: { readonly columns: number; readonly examples: number; readonly tests: number };
}

const expressible = new WeakMap<ReplConfig, FamilyTemplate[]>();

/** Templates the domain can express: its action table writes the program within the commit limit. */
export function templatesFor(d: FamilyDomainInfo): FamilyTemplate[] {
  const hit = expressible.get(d.repl);
  if (hit) return hit;
  const list = FAMILY_TEMPLATES.filter((t) => {
    const p = templateProgram(t);
    if (maxColumn(p) >= d.generatorConfig.columns) return false;
    const trace = programToActions(p, d.repl.table);
    return trace !== null && trace.filter((a) => a === d.repl.table.commit).length <= d.repl.maxCommits;
  });
  expressible.set(d.repl, list);
  return list;
}

/** A task from one template: `examples` rows plus held-out `tests`, all distinct, replay checked. */
export function familyTask(
  rng: Rng,
  t: FamilyTemplate,
  d: FamilyDomainInfo,
  nExamples: number,
  nTests: number,
): GeneratedTask | null {
  const program = templateProgram(t);
  const trace = programToActions(program, d.repl.table);
  if (trace === null) return null;
  for (let attempt = 0; attempt < 20; attempt++) {
    const seen = new Set<string>();
    const rows: StringsExample[] = [];
    for (let k = 0; k < 50 && rows.length < nExamples + nTests; k++) {
      const inputs = t.row(rng);
      const key = inputs.join('\u0000');
      const output = runProgram(program, inputs);
      if (seen.has(key) || output === null || output.length === 0) continue;
      if ([...inputs, output].some((s) => s.length > d.maxLength)) continue;
      seen.add(key);
      rows.push({ inputs, output });
    }
    if (rows.length < nExamples + nTests) return null;
    const spec = { name: t.id, examples: rows.slice(0, nExamples), tests: rows.slice(nExamples) };
    // Rich mode writes the constants these examples propose as one action each.
    const own = d.repl.table.slots ? programToActions(program, d.repl.table, spec) : trace;
    if (own && replaysToSolved(d.repl, spec, own)) return { spec, program, trace: own };
  }
  return null;
}
