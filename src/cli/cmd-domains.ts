import type { Command } from 'commander';
import { listDomains, models, problems } from '../core/index.js';
import { baseMethods, methodHelp } from '../methods/index.js';

/** `replsynth domains`: the registered problems, their formulations, methods and models. */
export function registerDomainsCommand(program: Command): void {
  program
    .command('domains')
    .description('list the problems, their formulations (with parameters), methods and models')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const defs = listDomains();
      if (opts.json) {
        const out = defs.map((d) => ({
          id: d.id,
          problem: d.problem ?? d.id,
          description: d.description,
          params: d.params,
        }));
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      const w = (s: string): boolean => process.stdout.write(s + '\n');
      if (problems.list().length === 0) w('no problems registered');
      for (const p of problems.list()) {
        w(`${p.id}${p.aliases?.length ? ` (also ${p.aliases.join(', ')})` : ''} — ${p.description}`);
        for (const d of defs.filter((x) => (x.problem ?? x.id) === p.id)) {
          w(`  formulation ${d.id} — ${d.description}`);
          for (const q of d.params) {
            const choices = q.choices ? ` (${q.choices.join('|')})` : '';
            w(`    ${q.name}: ${q.type}${choices} = ${String(q.default)}  ${q.description}`);
          }
        }
        w(`  methods: ${baseMethods(p.id).length ? methodHelp(p.id) : 'none'}`);
        for (const m of models.list().filter((x) => x.problem === p.id))
          w(`  model ${m.id} — ${m.description}`);
      }
    });
}
