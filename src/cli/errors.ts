// Errors the command line reports itself. Anything thrown below main() that is one of these (or a
// RobustRegError from the library, or a CsvError) becomes a one-line message and an exit code;
// nothing reaches the user as a stack trace.

/** Exit codes: 0 ok, 1 bad input (data, values out of range, library errors), 2 usage. */
export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Bad command line: unknown flag or command, missing required flag, malformed flag value. */
export class UsageError extends CliError {
  /** The command whose --help to point at ('' = top level). */
  readonly command: string;
  constructor(message: string, command = '') {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** Bad input data or values: unreadable file, broken CSV, unknown column, missing values. */
export class InputError extends CliError {
  constructor(message: string) {
    super(message, EXIT_INPUT);
    this.name = 'InputError';
  }
}
