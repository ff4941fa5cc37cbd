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
 * Receives each complete record as byte ranges of `buf`: field k is buf[starts[k], ends[k]),
 * `quoted[k]` is 0 (plain), 1 (quoted) or 2 (quoted with "" escapes to undo: see fieldText);
 * `nums[k]` is the field's value when it is an unquoted plain decimal read exactly on the way
 * (sign, digits and a point, mantissa below 2^53, ≤ 22 decimals: equal to Number(text) bit for
 * bit), else NaN (convert the text).
 */
export type RecordHandler = (buf: Uint8Array, starts: Int32Array, ends: Int32Array, quoted: Uint8Array, count: number, line: number, nums: Float64Array) => void;

/**
 * A streaming RFC 4180 reader over bytes: push() chunks as they arrive, end() at the end. Records
 * are handed over complete, as byte ranges (no string per field unless the handler asks for one);
 * a record cut by a chunk boundary is carried over and re-read with the next chunk. Blank lines are
 * skipped. Errors (CsvError, with the line): an unterminated quoted field, text after a closing quote.
 */
export class CsvStreamParser {
  private carry: Uint8Array | null = null;
  private work = new Uint8Array(0);
  private line = 1;
  private pendingCR = false;
  private first = true;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private quoted = new Uint8Array(64);
  private nums = new Float64Array(64);
  /** Bytes handed over so far (complete records and skipped line ends). */
  bytesDone = 0;

  constructor(private readonly onRecord: RecordHandler) {
    warmUp();
  }

  push(chunk: Uint8Array): void {
    let b = chunk;
    if (this.carry) {
      // carry + chunk in a reused work buffer (fresh allocations cost page faults on every chunk)
      const need = this.carry.length + chunk.length;
      if (this.work.length < need) this.work = new Uint8Array(Math.max(need, 2 * this.work.length));
      b = this.work.subarray(0, need);
      b.set(this.carry);
      b.set(chunk, this.carry.length);
      this.carry = null;
    }
    this.run(b, false);
  }

  end(): void {
    const b = this.carry ?? new Uint8Array(0);
    this.carry = null;
    this.run(b, true);
  }

  private grow(): void {
    const m = this.starts.length * 2;
    const s = new Int32Array(m), e = new Int32Array(m), q = new Uint8Array(m), v = new Float64Array(m);
    s.set(this.starts);
    e.set(this.ends);
    q.set(this.quoted);
    v.set(this.nums);
    this.starts = s;
    this.ends = e;
    this.quoted = q;
    this.nums = v;
  }

  /** Set by quotedEnd: the line after the field, and 1 if it has "" escapes. */
  private qLine = 1;
  private qEsc = 0;

  /**
   * The index of the closing quote of a quoted field whose text starts at `from`, or −1 when the
   * chunk ends first (re-read with the next chunk); counts the newlines inside (qLine).
   */
  private quotedEnd(b: Uint8Array, from: number, len: number, final: boolean, line: number): number {
    let j = from;
    let esc = 0;
    const startLine = line;
    for (;;) {
      if (j >= len) {
        if (final) throw new CsvError(`unterminated quoted field starting on line ${startLine}`, startLine);
        return -1;
      }
      const d = b[j];
      if (d === QUOTE) {
        if (j + 1 >= len && !final) return -1; // "" or the end? need the next byte
        if (b[j + 1] === QUOTE) { esc = 1; j += 2; continue; }
        break;
      }
      if (d === LF) line++;
      else if (d === CR && (j + 1 >= len || b[j + 1] !== LF)) line++;
      j++;
    }
    this.qLine = line;
    this.qEsc = esc;
    return j;
  }

  private run(b: Uint8Array, final: boolean): void {
    const len = b.length;
    let i = 0;
    if (this.first && len >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      i = 3;
      this.first = false;
    } else if (this.first && (len >= 3 || final)) {
      this.first = false;
    } else if (this.first) {
      this.carry = b.slice(); // too short to tell whether a byte-order mark starts it
      return;
    }
    if (this.pendingCR && i < len) {
      if (b[i] === LF) i++;
      this.pendingCR = false;
    }
    let line = this.line;
    let starts = this.starts, ends = this.ends, quoted = this.quoted, nums = this.nums;
    let done = i;
    let lineDone = line;
    records: while (i < len) {
      const c0 = b[i];
      if (c0 === LF || c0 === CR) {
        // a blank line
        if (c0 === CR) {
          if (i + 1 < len) { if (b[i + 1] === LF) i++; } else if (!final) this.pendingCR = true;
        }
        i++;
        line++;
        done = i;
        lineDone = line;
        continue;
      }
      const recLine = line;
      let nf = 0;
      for (;;) {
        if (nf === starts.length) {
          this.grow();
          starts = this.starts; ends = this.ends; quoted = this.quoted; nums = this.nums;
        }
        if (i < len && b[i] === QUOTE) {
          // a quoted field (kept out of this loop: a smaller hot function compiles sooner)
          const from = i + 1;
          const j = this.quotedEnd(b, from, len, final, line);
          if (j < 0) break records;
          line = this.qLine;
          const esc = this.qEsc;
          starts[nf] = from;
          ends[nf] = j;
          quoted[nf] = 1 + esc;
          nums[nf] = NaN;
          nf++;
          i = j + 1;
          while (i < len && (b[i] === SPACE || b[i] === TAB)) i++;
          if (i >= len && !final) break records;
          if (i < len && b[i] !== COMMA && b[i] !== LF && b[i] !== CR) {
            throw new CsvError(`unexpected character ${JSON.stringify(String.fromCharCode(b[i]))} after a closing quote on line ${line}`, line);
          }
        } else {
          // Unquoted: read a plain decimal on the way to the delimiter (sign, digits, one point,
          // no exponent). The first 9 digits are summed as a small integer (one integer
          // multiply-add per digit, not a floating-point chain), further ones as a double; the value
          // is mantissa / 10^k, exact when the mantissa is below 2^53 and k ≤ 22 (two exact
          // doubles and one correctly rounded division: Clinger's fast path, so it equals
          // Number(text) bit for bit). Anything else leaves NaN: the caller converts the text.
          const from = i;
          let v = NaN;
          let j = i;
          let neg = false;
          let c = j < len ? b[j] : 0;
          if (c === MINUS || c === PLUS) { neg = c === MINUS; j++; }
          let m = 0, nd = 0, dot = -1, x = 0;
          while (j < len) {
            const d = b[j] - 48;
            if (d >= 0 && d <= 9) {
              if (nd < 9) m = m * 10 + d;
              else x = (nd === 9 ? m : x) * 10 + d;
              nd++;
              j++;
            } else if (d === DOT - 48 && dot < 0) {
              dot = j;
              j++;
            } else break;
          }
          const scale = dot < 0 ? 0 : j - dot - 1;
          if (nd > 0 && scale <= 22 && j < len && ((c = b[j]) === COMMA || c === LF || c === CR) && (nd <= 9 || x < TWO53)) {
            const mant = nd <= 9 ? m : x;
            v = scale === 0 ? mant : mant / POW10[scale];
            if (neg) v = -v;
            i = j;
          } else {
            while (i < len) {
              const c = b[i];
              if (c === COMMA || c === LF || c === CR) break;
              i++;
            }
            if (i >= len && !final) break records;
          }
          starts[nf] = from;
          ends[nf] = i;
          quoted[nf] = 0;
          nums[nf] = v;
          nf++;
        }
        if (i < len && b[i] === COMMA) {
          i++;
          if (i >= len && !final) break records;
          continue; // a comma at the very end still opens one (empty) field
        }
        break;
      }
      if (i < len) {
        // at a line end
        if (b[i] === CR) {
          if (i + 1 < len) { if (b[i + 1] === LF) i++; } else if (!final) this.pendingCR = true;
        }
        i++;
        line++;
      }
      this.onRecord(b, starts, ends, quoted, nf, recLine, nums);
      done = i;
      lineDone = line;
    }
    this.bytesDone += done;
    // an incomplete record is re-read with the next chunk, from its first line
    this.line = lineDone;
    // a copy: the caller may reuse the chunk's buffer for the next read
    if (done < len) this.carry = b.slice(done);
  }
}

let warm = false;

/**
 * Once per process, parse a small sample that takes every path of the reader (header, plain and
 * long numbers, exponents, quotes with escapes and newlines, empty fields, CRLF / lone CR, blank
 * lines, a byte-order mark, chunk boundaries, a last record without a line end). The engine then
 * optimises run() with complete type feedback once, instead of optimising it early in a large file
 * and throwing the code away at the first chunk end or the first uncommon field (measured: two
 * such deoptimisations and three full compilations of run() on the 1e6 × 10 benchmark file).
 */
function warmUp(): void {
  if (warm) return;
  warm = true;
  const text = '\uFEFF"id","y",x1,x 2\r\n' +
    '"a",1.5,-2,+3.25\r\n\r\n' +
    'b,12345678901.25,1e3,-0.000012345\n' +
    '"c""d",NA,,"7"\r' +
    '"e\nf", 2 ,0.1234567890123,9007199254740993\n' +
    'g,-.5,5.,123456789012345678901234\n' +
    'h,3,4,5';
  const bytes = new TextEncoder().encode(text.repeat(3).replace(/5$/, '5\n') + 'i,1,2,3');
  let sink = 0;
  for (const cut of [0, 7, 40, 95, 141]) {
    const p = new CsvStreamParser((_b, starts, ends, _q, count, line, nums) => {
      for (let k = 0; k < count; k++) sink += ends[k] - starts[k] + (nums[k] === nums[k] ? 1 : 0);
      sink += line;
    });
    p.push(bytes.subarray(0, cut));
    p.push(bytes.subarray(cut));
    p.end();
  }
  if (sink < 0) throw new Error('unreachable');
}

const utf8 = new TextDecoder('utf-8');

/** The text of field k (escaped quotes undone). */
export function fieldText(buf: Uint8Array, s: number, e: number, quoted: number): string {
  const t = utf8.decode(buf.subarray(s, e));
  return quoted === 2 ? t.replace(/""/g, '"') : t;
}

/**
 * Split `text` into records. Blank lines (a record with no characters at all) are skipped. Errors:
 * an unterminated quoted field, or characters between a closing quote and the next comma.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const p = new CsvStreamParser((buf, starts, ends, quoted, count, line) => {
    const fields: string[] = [];
    for (let k = 0; k < count; k++) fields.push(fieldText(buf, starts[k], ends[k], quoted[k]));
    records.push({ fields, line });
  });
  p.push(new TextEncoder().encode(text));
  p.end();
  return records;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TWO53 = 2 ** 53;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
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
