import { CommanderError } from 'commander';
import { UserError } from '../core/index.js';
import { buildProgram } from './program.js';

/**
 * Runs the CLI and returns its exit code: 0 ok, 1 failure, 2 usage error. User errors print one line
 * on stderr without a stack trace (set REPLSYNTH_DEBUG=1 for stacks of internal errors).
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'replsynth', ...argv]);
    const code = process.exitCode;
    process.exitCode = before;
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UserError) {
      process.stderr.write(`replsynth: ${e.message}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`replsynth: internal error: ${msg}\n`);
    if (process.env.REPLSYNTH_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
