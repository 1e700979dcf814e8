import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { synthesizeStrings } from './cmd-strings.js';

const bundled = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'examples',
  'strings',
  'names.jsonl',
);

/**
 * `replsynth demo` (what `npm start` runs): synthesizes programs for the bundled example tasks with the
 * shipped model. Unsolved tasks are reported, not treated as errors: this is a demonstration.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('synthesize programs for the bundled examples (examples/strings/names.jsonl)')
    .option('--timeout <s>', 'search time per task in seconds', '5')
    .action(async (o: { timeout: string }) => {
      process.stdout.write(`replsynth demo: ${bundled}\n\n`);
      const failed = await synthesizeStrings([], {
        examples: bundled,
        apply: [],
        timeout: o.timeout,
        search: 'smc',
        seed: '1',
      });
      process.stdout.write(
        `\n${failed === 0 ? 'all tasks solved' : `${failed} task(s) not solved within the time limit`}. More: replsynth --help\n`,
      );
    });
}
