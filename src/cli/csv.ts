// A small RFC 4180 CSV reader for the command line. The library itself has zero runtime
// dependencies, and a CSV package would become a dependency of every user of the library, so the
// CLI carries its own (see docs/cli.md). Scope: comma-separated, double-quoted fields with `""`
// escapes and embedded newlines, CRLF / LF / CR line ends, a UTF-8 byte-order mark, blank lines
// skipped, and a header row detected when any of its fields is neither a number nor a missing value.

/** A malformed file: `line` is the 1-based physical line where the problem starts. */
export class CsvError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'CsvError';
    this.line = line;
  }
}

/** One record and the physical line (1-based) it starts on; quoted newlines make the two differ. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Split `text` into records. Blank lines (a record with no characters at all) are skipped. Errors:
 * an unterminated quoted field, or characters between a closing quote and the next comma.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const len = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < len) {
    // One record per iteration. A blank line (no characters before its line end) is skipped.
    const c0 = text.charCodeAt(i);
    if (c0 === LF || c0 === CR) {
      i += c0 === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const recordLine = line;
    const fields: string[] = [];
    for (;;) {
      // One field: quoted, or unquoted up to the next comma or line end (quotes inside it are data).
      if (text.charCodeAt(i) === QUOTE) {
        const startLine = line;
        let field = '';
        let from = ++i;
        for (;;) {
          if (i >= len) throw new CsvError(`unterminated quoted field starting on line ${startLine}`, startLine);
          const d = text.charCodeAt(i);
          if (d === QUOTE) {
            field += text.slice(from, i);
            if (text.charCodeAt(i + 1) === QUOTE) {
              field += '"';
              i += 2;
              from = i;
              continue;
            }
            i++;
            break;
          }
          if (d === LF) line++;
          else if (d === CR && text.charCodeAt(i + 1) !== LF) line++;
          i++;
        }
        // Spaces or tabs may follow the closing quote; then a comma, a line end or the end.
        while (i < len && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
        const e = i < len ? text.charCodeAt(i) : -1;
        if (e !== -1 && e !== COMMA && e !== LF && e !== CR) {
          throw new CsvError(`unexpected character ${JSON.stringify(text[i])} after a closing quote on line ${line}`, line);
        }
        fields.push(field);
      } else {
        const from = i;
        while (i < len) {
          const d = text.charCodeAt(i);
          if (d === COMMA || d === LF || d === CR) break;
          i++;
        }
        fields.push(text.slice(from, i));
      }
      if (i < len && text.charCodeAt(i) === COMMA) {
        i++;
        continue; // a comma at the very end of the text still opens one (empty) field
      }
      break;
    }
    records.push({ fields, line: recordLine });
    if (i < len) {
      // At a line end.
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
    }
  }
  return records;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const SPACE = 32;
const TAB = 9;

/** Tokens read as a missing value (case-insensitive for NA/NaN): empty, NA, NaN, after trimming. */
export function isMissingToken(s: string): boolean {
  const t = s.trim();
  if (t === '') return true;
  const u = t.toUpperCase();
  return u === 'NA' || u === 'NAN';
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The value of a plain decimal number (optional sign, digits, point, exponent; surrounding spaces
 * allowed), else NaN. Hex, binary and octal literals, "Infinity", thousands separators and
 * underscores are not numbers here, although JavaScript's Number() accepts some of them.
 */
export function toNumber(s: string): number {
  const v = Number(s);
  // Number('') and Number('  ') are 0; everything Number() rejects is NaN already.
  if (!Number.isFinite(v)) return v === v && NUMBER_RE.test(s.trim()) ? v : NaN;
  const t = s.length > 0 && (s.charCodeAt(0) === SPACE || s.charCodeAt(s.length - 1) === SPACE) ? s.trim() : s;
  if (t.length === 0) return NaN;
  // Reject 0x.., 0b.., 0o.. (the only non-decimal forms Number() accepts that are finite).
  if (t.length > 1 && t.charCodeAt(0) === 48 /* 0 */ && /[xXbBoO]/.test(t[1])) return NaN;
  return v;
}

/** A finite decimal number, or one too large for a double (1e999), after trimming. */
export function isNumericToken(s: string): boolean {
  return NUMBER_RE.test(s.trim());
}

/** Tokens for infinities, reported as "not finite" rather than "not a number". */
export function isInfiniteToken(s: string): boolean {
  return /^[+-]?(?:inf|infinity)$/i.test(s.trim());
}

export interface CsvTable {
  /** Column names: from the header row, or V1, V2, … (R's convention) when there is none. */
  names: string[];
  hasHeader: boolean;
  /** Data rows, each exactly `names.length` raw fields. */
  rows: string[][];
  /** Physical line (1-based) on which each data row starts. */
  lines: number[];
}

export type HeaderMode = 'auto' | 'yes' | 'no';

/**
 * Parse CSV text into a rectangular table of raw strings. Throws CsvError for an empty file,
 * a header with an empty or repeated column name, or a row with the wrong number of fields.
 */
export function parseCsv(text: string, header: HeaderMode = 'auto'): CsvTable {
  const records = parseCsvRecords(text);
  if (records.length === 0) throw new CsvError('the file is empty (no rows)', 1);
  const first = records[0];
  const hasHeader =
    header === 'yes' ||
    (header === 'auto' && first.fields.some((f) => !isNumericToken(f) && !isMissingToken(f) && !isInfiniteToken(f)));
  const width = first.fields.length;
  let names: string[];
  if (hasHeader) {
    names = first.fields.map((f) => f.trim());
    const seen = new Map<string, number>();
    names.forEach((name, j) => {
      if (name === '') {
        throw new CsvError(
          `column ${j + 1} has no name in the header on line ${first.line}` +
            (j === 0 ? ' (a file written by R\'s write.csv? use row.names = FALSE)' : ''),
          first.line,
        );
      }
      const prev = seen.get(name);
      if (prev !== undefined) {
        throw new CsvError(`column name "${name}" appears twice in the header on line ${first.line} (columns ${prev + 1} and ${j + 1})`, first.line);
      }
      seen.set(name, j);
    });
  } else {
    names = Array.from({ length: width }, (_, j) => `V${j + 1}`);
  }
  const body = hasHeader ? records.slice(1) : records;
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const r of body) {
    if (r.fields.length !== width) {
      throw new CsvError(
        `line ${r.line} has ${r.fields.length} field${r.fields.length === 1 ? '' : 's'}, expected ${width}` +
          (hasHeader ? ` (as in the header on line ${first.line})` : ` (as on line ${first.line})`),
        r.line,
      );
    }
    rows.push(r.fields);
    lines.push(r.line);
  }
  if (rows.length === 0) throw new CsvError(`no data rows after the header on line ${first.line}`, first.line);
  return { names, hasHeader, rows, lines };
}
