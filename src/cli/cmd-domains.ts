import type { Command } from 'commander';
import { listDomains } from '../core/index.js';
import { registerBuiltinDomains } from '../domains/index.js';

/** `replsynth domains`: the registered domains and their parameters. */
export function registerDomainsCommand(program: Command): void {
  program
    .command('domains')
    .description('list the synthesis domains and their parameters')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      registerBuiltinDomains();
      const defs = listDomains();
      if (opts.json) {
        const out = defs.map((d) => ({ id: d.id, description: d.description, params: d.params }));
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      if (defs.length === 0) process.stdout.write('no domains registered\n');
      for (const d of defs) {
        process.stdout.write(`${d.id} — ${d.description}\n`);
        for (const p of d.params) {
          const choices = p.choices ? ` (${p.choices.join('|')})` : '';
          process.stdout.write(`  ${p.name}: ${p.type}${choices} = ${String(p.default)}  ${p.description}\n`);
        }
      }
    });
}
