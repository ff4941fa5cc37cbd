// Errors the command line reports itself. Anything thrown below main() that is one of these (or a
// RobustRegError from the library, or a CsvError) becomes a one-line message and an exit code;
// nothing reaches the user as a stack trace.
import { RobustRegError } from '../index.js';

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

/**
 * A RANK_DEFICIENT error from the library names columns by their 0-based index into X
 * (`details.columns`); the command line counts columns from 1 and knows their names, so say those:
 * `lad: column "const" is constant, …`. The names go into `details.names` as well. Anything else
 * is returned unchanged.
 */
export function withColumnNames(e: unknown, names: readonly string[]): unknown {
  if (!(e instanceof RobustRegError) || e.code !== 'RANK_DEFICIENT') return e;
  const cols = e.details.columns;
  if (!Array.isArray(cols) || cols.length === 0 || !cols.every((j) => Number.isInteger(j) && j >= 0 && j < names.length)) return e;
  const named = cols.map((j: number) => JSON.stringify(names[j]));
  const message = e.message.replace(/\bcolumns? [\d, ]+ of X (is|are)\b/, (_m, verb: string) => `column${cols.length > 1 ? 's' : ''} ${named.join(', ')} ${verb}`);
  if (message === e.message) return e;
  return new RobustRegError('RANK_DEFICIENT', message, { ...e.details, names: cols.map((j: number) => names[j]) });
}
