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

/** An error in an input file: where it is and what is wrong. */
export class InputError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string | null,
    readonly problem: string,
  ) {
    super(`${file}:${line}${field ? `: field '${field}'` : ''}: ${problem}`);
    this.name = 'InputError';
  }
}
