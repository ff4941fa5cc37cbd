// The command line, as a function: main(argv, io) → exit code. src/cli/main.ts wires it to the
// process; tests call it in-process with string buffers. Every failure becomes one clear message
// on stderr and an exit code (0 ok, 1 bad input, 2 usage) — never a stack trace.
import { readFileSync, statSync } from 'node:fs';
import { init, RobustRegError } from '../index.js';
import { CsvError } from './csv.js';
import { DEMO_HELP, demoCommand } from './demo.js';
import { CliError, EXIT_INPUT, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { FIT_HELP, fitCommand } from './fit.js';
import { suggest } from './format.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

export const HELP = `Usage: robustreg <command> [options]

Robust linear regression: L1 (least absolute deviations), quantile, Huber, smooth-L1 and least
squares, on WebAssembly with a pure-TypeScript fallback.

Commands:
  demo     fit every loss to two classic data sets with outliers and compare (start here)
  fit      fit one model to a CSV file (or standard input) and print a summary
  help     show help for a command: robustreg help fit

Options:
  -h, --help      show this help
  -V, --version   print the version

Run 'robustreg <command> --help' for the options of a command.
Exit codes: 0 ok, 1 bad input, 2 usage error.
`;

const COMMANDS = ['demo', 'fit', 'help'] as const;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch([...argv], io);
  } catch (e) {
    return report(e, io);
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(HELP);
    return EXIT_USAGE;
  }
  if (command === '-h' || command === '--help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (command === '-V' || command === '--version') {
    io.stdout.write(`robustreg ${version()}\n`);
    return EXIT_OK;
  }
  switch (command) {
    case 'help':
      return help(rest, io);
    case 'demo':
      // the demo's data are tiny: a warm-up would cost more than it saves
      if (!wantsHelp(rest)) await initLibrary(false, false);
      return demoCommand(rest, io);
    case 'fit':
      if (!wantsHelp(rest)) await initLibrary(kernelsFor(rest), warmupMode(rest));
      return fitCommand(rest, io);
    default: {
      if (command.startsWith('-')) throw new UsageError(`unknown option ${command} (options come after the command)`);
      const guess = suggest(command, COMMANDS);
      throw new UsageError(`unknown command ${JSON.stringify(command)}${guess ? ` (did you mean '${guess}'?)` : ''}`);
    }
  }
}

function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

function help(args: string[], io: CliIo): number {
  const topic = args[0];
  if (topic === undefined) io.stdout.write(HELP);
  else if (topic === 'fit') io.stdout.write(FIT_HELP);
  else if (topic === 'demo') io.stdout.write(DEMO_HELP);
  else if (topic === 'help') io.stdout.write(HELP);
  else throw new UsageError(`no help for ${JSON.stringify(topic)}; commands are ${COMMANDS.join(', ')}`);
  return EXIT_OK;
}

/** The package version, from package.json two levels up (from src/cli/ and from dist/cli/ alike). */
function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };
    return pkg.name === 'robustreg' && typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Compile the WebAssembly module once. It never fails for want of WebAssembly (the TS twin takes over).
 * `kernels`: the kernel families the command will use, warmed in the background (a worker, while the
 * CSV is read and parsed) so that a large fit runs optimized code; false: no warm-up.
 */
async function initLibrary(kernels: string[] | false, mode: boolean | 'wait'): Promise<void> {
  await init(kernels === false || mode === false ? { warmup: false } : { warmup: mode, warmupKernels: kernels });
}

/**
 * How `robustreg fit` warms up, from the size of its data file (the first argument when it is one):
 * below 64 KB none (a few hundred rows: the warm-up would cost more than the fit saves); up to 8 MB on
 * this thread before reading it ('wait': the file parses too quickly for a background warm-up to land
 * before the fit starts; warming one family costs tens of ms and saves several times that at 1e4
 * rows); larger files, standard input or an unknown argument order: in the background, while the
 * file is read and parsed.
 */
export function warmupMode(args: readonly string[]): boolean | 'wait' {
  const file = args[0];
  if (file === undefined || file === '-' || file.startsWith('-')) return true;
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return false; // a missing file fails before any fit
  }
  return size < 64 * 1024 ? false : size <= 8 * 1024 * 1024 ? 'wait' : true;
}

/** The kernel families `robustreg fit` will call, from its --loss (default l1; --tau/--taus: quantile). */
export function kernelsFor(args: readonly string[]): string[] {
  let loss = 'l1';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--loss' && i + 1 < args.length) loss = args[i + 1];
    else if (a.startsWith('--loss=')) loss = a.slice(7);
    else if (a === '--tau' || a === '--taus' || a.startsWith('--tau=') || a.startsWith('--taus=')) loss = 'quantile';
  }
  switch (loss) {
    case 'l2': return ['l2', 'moments', 'hc'];
    case 'huber': case 'smooth-l1': return ['irls'];
    case 'mm': return ['mm', 'l2'];
    case 'lts': return ['lts', 'l2'];
    default: return ['l1']; // l1, quantile (and a bad --loss, which fails before any fit)
  }
}

function report(e: unknown, io: CliIo): number {
  if (e instanceof UsageError) {
    const where = e.command ? `robustreg ${e.command}` : 'robustreg';
    io.stderr.write(`${where}: ${e.message}\nRun '${where} --help' for usage.\n`);
    return EXIT_USAGE;
  }
  if (e instanceof CliError) {
    io.stderr.write(`robustreg: error: ${e.message}\n`);
    return e.exitCode;
  }
  if (e instanceof RobustRegError) {
    io.stderr.write(`robustreg: error [${e.code}]: ${e.message}\n`);
    return EXIT_INPUT;
  }
  if (e instanceof CsvError) {
    io.stderr.write(`robustreg: error: ${e.message}\n`);
    return EXIT_INPUT;
  }
  // A bug, or something the command line did not anticipate: still no stack trace unless asked for.
  const msg = (e as Error)?.message ?? String(e);
  io.stderr.write(`robustreg: unexpected error: ${msg}\n`);
  if (typeof process !== 'undefined' && process.env.ROBUSTREG_DEBUG) io.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
  else io.stderr.write('(set ROBUSTREG_DEBUG=1 for a stack trace, and please report it)\n');
  return EXIT_INPUT;
}
