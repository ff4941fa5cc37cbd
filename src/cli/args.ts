// Argument parsing on node:util parseArgs (built in, no dependency), with its errors turned into
// UsageError (exit 2) and helpers for typed flag values.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parse(command: string, args: string[], options: Options): Parsed {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(cleanParseArgsMessage((e as Error).message), command);
    }
    throw e;
  }
}

/** Node's messages are long and suggest `--` tricks; keep the first sentence and one useful hint. */
function cleanParseArgsMessage(msg: string): string {
  const unknown = /^Unknown option '([^']+)'/.exec(msg);
  if (unknown) return `unknown option ${unknown[1]}`;
  const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(msg);
  if (ambiguous) return `option ${ambiguous[1]} needs a value; for a value starting with '-' write ${ambiguous[1]}=-VALUE`;
  const missing = /^Option '([^']+?)(?: <value>)?' argument missing/.exec(msg);
  if (missing) return `option ${missing[1].replace(/^-\w, /, '')} needs a value`;
  const noArg = /^Option '([^']+)' does not take an argument/.exec(msg);
  if (noArg) return `option ${noArg[1].replace(/^-\w, /, '')} does not take a value`;
  return msg.split('\n')[0].replace(/\.$/, '');
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A flag's value as a finite number (syntax only: range checks belong to the library). */
export function numberFlag(command: string, flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!NUMBER_RE.test(v.trim())) throw new UsageError(`--${flag} expects a number, received ${JSON.stringify(v)}`, command);
  const x = Number(v);
  if (!Number.isFinite(x)) throw new UsageError(`--${flag} expects a finite number, received ${JSON.stringify(v)}`, command);
  return x;
}

export function intFlag(command: string, flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\+?\d+$/.test(v.trim())) throw new UsageError(`--${flag} expects a whole number, received ${JSON.stringify(v)}`, command);
  return Number(v);
}

export function choiceFlag<T extends string>(command: string, flag: string, v: string | undefined, choices: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')}; received ${JSON.stringify(v)}`, command);
  }
  return v as T;
}

/** `--x a,b --x c` → ['a', 'b', 'c']. */
export function listFlag(command: string, flag: string, v: string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const out = v.flatMap((s) => s.split(',')).map((s) => s.trim());
  if (out.length === 0 || out.some((s) => s === '')) throw new UsageError(`--${flag} expects a comma-separated list of column names, received ${JSON.stringify(v.join(','))}`, command);
  return out;
}
