import { join } from 'node:path';
import type { Command } from 'commander';
import { problems } from '../core/index.js';
import { packageRoot } from '../io/files.js';
import { runCli } from './run.js';

/**
 * `replsynth demo` (what `npm start` runs): synthesizes programs for every problem's bundled example
 * input with the shipped models. Unsolved tasks are reported, not treated as errors: a demonstration.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description("synthesize programs for the problems' bundled examples")
    .option('--timeout <s>', 'search time per task in seconds', '5')
    .action(async (o: { timeout: string }) => {
      let unsolved = false;
      for (const p of problems.list()) {
        const demo = p.cli?.demo;
        const input = p.io.inputs[0];
        if (!demo || !input) continue;
        const file = join(packageRoot, demo);
        process.stdout.write(`replsynth demo (${p.id}): ${file}\n\n`);
        const flag = p.cli?.synth.inputFlag ?? input.single ?? input.id;
        const code = await runCli([p.cli?.command ?? p.id, `--${flag}`, file, '--timeout', o.timeout]);
        if (code > 1) process.exitCode = code;
        if (code === 1) unsolved = true;
      }
      process.stdout.write(
        `\n${unsolved ? 'some tasks were not solved within the time limit' : 'all tasks solved'}. More: replsynth --help\n`,
      );
    });
}
