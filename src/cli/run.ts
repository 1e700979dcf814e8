import { CommanderError } from 'commander';
import { SpecError, UserError } from '../core/index.js';
import { InputProblems } from '../io/files.js';
import { buildProgram } from './program.js';

/**
 * Exit codes, the same for every command (README, "Exit codes"): 0 done; 1 finished but some task is
 * unsolved (synth of problems that have a notion of solved); 2 usage or input error (bad flag, bad
 * file, broken model folder, refused overwrite); 3 internal error (a bug); 130 interrupted by Ctrl-C
 * before the work was done (an evaluation keeps its finished results).
 */
export const EXIT = { ok: 0, unsolved: 1, usage: 2, internal: 3, interrupted: 130 } as const;

/** Where internal errors are to be reported. */
export const REPORT_BUGS =
  'the replsynth issue tracker (with the command, and the output of REPLSYNTH_DEBUG=1)';

/** The exit code of an error thrown by a command. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  // A UserError is always the user's: its default code (1) predates the split of 1 and 2.
  if (e instanceof UserError) return e.exitCode === 1 ? EXIT.usage : e.exitCode;
  if (e instanceof SpecError) return EXIT.usage;
  return EXIT.internal;
}

/**
 * The lines for an error: the user's message (one line; several only for a list of input errors found
 * together), or what the bug was and where to report it.
 */
function messageOf(e: unknown): string[] {
  const raw = e instanceof Error ? e.message : String(e);
  if (e instanceof InputProblems) return [...e.lines];
  const msg = raw.replace(/\s*\n\s*/g, ' ').trim();
  if (e instanceof UserError || e instanceof SpecError) return [msg];
  return [
    `internal error (a bug in replsynth, not in your input): ${msg}; please report it on ${REPORT_BUGS}`,
  ];
}

/**
 * Runs the CLI and returns its exit code (see EXIT). Errors print one line on stderr without a stack
 * trace (set REPLSYNTH_DEBUG=1 for stacks of internal errors).
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'replsynth', ...argv]);
    const code = process.exitCode;
    return typeof code === 'number' ? code : EXIT.ok;
  } catch (e) {
    // Commander has printed its own one-line message already.
    if (!(e instanceof CommanderError))
      for (const line of messageOf(e)) process.stderr.write(`replsynth: ${line}\n`);
    if (process.env.REPLSYNTH_DEBUG && e instanceof Error && exitCodeOf(e) === EXIT.internal)
      process.stderr.write(`${e.stack}\n`);
    return exitCodeOf(e);
  } finally {
    process.exitCode = before;
  }
}
