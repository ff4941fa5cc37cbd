// The command line's view of the outside world, passed in so that tests run main() in-process.
import { readFile, writeFile } from 'node:fs/promises';
import { InputError } from './errors.js';

export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Standard input: a string (tests) or a stream of chunks (process.stdin). Read only for file `-`. */
  stdin: string | AsyncIterable<string | Uint8Array>;
  /** True when stderr is an interactive terminal: enables the progress line. */
  isTTY: boolean;
  /** Clock in milliseconds (default performance.now); tests substitute a fake one. */
  now?: () => number;
}

export async function readAll(input: string | AsyncIterable<string | Uint8Array>): Promise<string> {
  if (typeof input === 'string') return input;
  const dec = new TextDecoder('utf-8');
  let s = '';
  for await (const chunk of input) s += typeof chunk === 'string' ? chunk : dec.decode(chunk, { stream: true });
  return s + dec.decode();
}

/** Read a data file (`-` = standard input) as UTF-8 text; failures become InputError. */
export async function readInput(path: string, io: CliIo): Promise<string> {
  if (path === '-') return readAll(io.stdin);
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${JSON.stringify(path)}: ${fsReason(e)}`);
  }
}

export async function writeOutput(path: string, text: string, what: string): Promise<void> {
  try {
    await writeFile(path, text, 'utf8');
  } catch (e) {
    throw new InputError(`cannot write the ${what} to ${JSON.stringify(path)}: ${fsReason(e)}`);
  }
}

function fsReason(e: unknown): string {
  const code = (e as { code?: string })?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return (e as Error)?.message ?? String(e);
  }
}
