/**
 * An error meant for the user: the CLI prints its message on one line (no stack trace) and exits with
 * `exitCode`. Messages name the file, line and field when they come from input files.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * A checkpoint that cannot be resumed is the user's to fix (or remove): one line naming the folder, what
 * is wrong with it, and how to start again (exit 2). A UserError passes through unchanged.
 */
export function checkpointError(dir: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  const msg = (e instanceof Error ? e.message : String(e))
    .replace(/^nn: /, '')
    .replace(/; the checkpoint is damaged$/, '');
  return new UserError(
    `cannot resume from the checkpoint in ${dir}: ${msg} (remove the folder, or pass another --checkpoint, to start again)`,
    2,
  );
}

/** Control characters and line separators written as escapes (`\n`, `\u2028`): one line. */
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const oneLine = (s: string): string =>
  s.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f\u2028\u2029]/g,
    (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * An error in an input file: where it is and what is wrong. The message is one line even when a field
 * name or a quoted value read from the file holds a newline (a JSON key "\n…" for instance).
 */
export class InputError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string | null,
    readonly problem: string,
  ) {
    super(oneLine(`${file}:${line}${field ? `: field '${field}'` : ''}: ${problem}`));
    this.name = 'InputError';
  }
}
