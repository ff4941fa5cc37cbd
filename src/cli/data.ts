// From a CSV byte stream to a Dataset: the header names the columns, each used column is converted
// as its records arrive (numbers straight from the bytes into a growing Float64Array; logical
// columns TRUE/FALSE to 0/1; text to dictionary codes), and the columns then go through the
// library's model frame (src/frame.ts: factors, missing values, coefficient names) into one
// Dataset. No whole-file string and no array of rows is ever held; unused columns are never decoded.
import { Dataset, RobustRegError, type ColumnWriter, type FactorColumn, type FrameInfo } from '../index.js';
import { CsvError, CsvStreamParser, fieldText, isInfiniteToken, isMissingToken, isNumericToken, toNumber, type CsvTable, type HeaderMode } from './csv.js';
import { InputError } from './errors.js';

export interface FrameRequest {
  y: string;
  /** --x values as given: each is a column name, or a comma-separated list of names/positions. */
  x?: string[];
  weights?: string;
  factors?: string[];
  header: HeaderMode;
  /** 'omit' (default): drop rows with missing values and say so; 'fail': refuse them. */
  na: 'omit' | 'fail';
  intercept: boolean;
  precision: 'f64' | 'f32';
  backend?: 'auto' | 'wasm' | 'js';
}

/** The data of a fit: a Dataset plus the names and lines of its rows. */
export interface FrameDesign {
  ds: Dataset;
  frame: FrameInfo;
  n: number;
  p: number;
  /** Coefficient names of the design columns (R's model.matrix names). */
  xNames: string[];
  /** The predictor columns as given (for the model line). */
  xColumns: string[];
  yName: string;
  weightsName?: string;
  /** Physical line of each row used. */
  lines: Int32Array;
  /** R row names (an unnamed first column) of each row used, if the file has them. */
  labels?: string[];
  /** Physical lines (and labels) of rows dropped for missing values. */
  droppedLines: number[];
  droppedLabels?: string[];
  /** Bytes read and data rows in the file. */
  bytes: number;
  rowsIn: number;
  /** What `lines` count: physical lines of a CSV file, or 1-based rows of a Parquet/Arrow file. */
  rowKind: 'line' | 'row';
}

/**
 * Find a column by exact name, else by 1-based position ("3"). `what` names the flag for messages.
 */
export function resolveColumn(names: string[], hasHeader: boolean, ref: string, what: string): number {
  const name = ref.trim();
  const j = names.indexOf(name);
  if (j >= 0) return j;
  if (/^[1-9]\d*$/.test(name) && Number(name) <= names.length) return Number(name) - 1;
  const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, … (${names.length} in all)` : names.join(', ');
  throw new InputError(`column "${name}" (${what}) is not in the data; columns are: ${shown}` + (hasHeader ? '' : ' (no header row was detected)'));
}

// --------------------------------------------------------------------------- number conversion

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A plain decimal (sign, ≤ 15 significant digits, point, exponent) read straight from the bytes,
 * exactly rounded (Clinger's fast path: an integer mantissa below 2^53 times or over an exact power
 * of ten ≤ 10^22); NaN for anything else, which the caller then converts from its text.
 */
function fastNumber(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  let c = b[i];
  if (c === 45 || c === 43) { neg = c === 45; i++; }
  let mant = 0;
  let digits = 0;
  let exp = 0;
  let any = false;
  while (i < e && (c = b[i] - 48) >= 0 && c <= 9) {
    if (mant !== 0 || c !== 0) digits++;
    mant = mant * 10 + c;
    any = true;
    i++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e && (c = b[i] - 48) >= 0 && c <= 9) {
      if (mant !== 0 || c !== 0) digits++;
      mant = mant * 10 + c;
      exp--;
      any = true;
      i++;
    }
  }
  if (!any || digits > 15) return NaN;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) { eneg = b[i] === 45; i++; }
    let ev = 0;
    let ed = false;
    while (i < e && (c = b[i] - 48) >= 0 && c <= 9 && ev < 1000) { ev = ev * 10 + c; ed = true; i++; }
    if (!ed) return NaN;
    exp += eneg ? -ev : ev;
  }
  if (i !== e) return NaN;
  let v: number;
  if (mant === 0) v = 0;
  else if (exp >= 0 && exp <= 22) v = mant * POW10[exp];
  else if (exp < 0 && exp >= -22) v = mant / POW10[-exp];
  else return NaN;
  return neg ? -v : v;
}

const LOGICAL: Record<string, number> = { TRUE: 1, true: 1, True: 1, T: 1, FALSE: 0, false: 0, False: 0, F: 0 };

// ------------------------------------------------------------------------------- column store

const EMPTY = 0, NUMERIC = 1, LOGICAL_KIND = 2, TEXT = 3;

/** One used column, converted as its records arrive. */
class ColumnStore {
  kind = EMPTY;
  /** Numeric values: a JS array, or a view of the ColumnWriter in linear memory (float32 for X with --f32). */
  num: Float64Array | Float32Array;
  codes: Int32Array | null = null;
  private map: Map<string, number> | null = null;
  levels: string[] = [];
  /** The first text value and its line (for the message when y turns out to be text). */
  firstText: { value: string; line: number } | null = null;

  constructor(readonly name: string, cap: number, view?: Float64Array | Float32Array) {
    this.num = view ?? new Float64Array(cap);
  }

  /** Room for `cap` rows; `view` (direct mode) is the column's new place, already holding its rows. */
  grow(cap: number, n: number, view?: Float64Array | Float32Array): void {
    if (view && this.kind !== TEXT) {
      this.num = view;
      return;
    }
    if (this.kind === TEXT) {
      const c = new Int32Array(cap);
      c.set(this.codes!.subarray(0, n));
      this.codes = c;
    } else {
      const a = new Float64Array(cap);
      a.set(this.num.subarray(0, n));
      this.num = a;
    }
  }

  private code(s: string): number {
    let k = this.map!.get(s);
    if (k === undefined) {
      k = this.levels.length;
      this.map!.set(s, k);
      this.levels.push(s);
    }
    return k;
  }

  /** Switch to text: earlier values keep their printed form (numbers as String(v), logicals as TRUE/FALSE). */
  private toText(n: number): void {
    const codes = new Int32Array(this.num.length);
    this.map = new Map();
    this.levels = [];
    for (let i = 0; i < n; i++) {
      const v = this.num[i];
      codes[i] = v !== v ? -1 : this.code(this.kind === LOGICAL_KIND ? (v ? 'TRUE' : 'FALSE') : String(v));
    }
    this.codes = codes;
    this.num = new Float64Array(0);
    this.kind = TEXT;
  }

  add(b: Uint8Array, s: number, e: number, q: number, row: number, line: number): void {
    if (this.kind === NUMERIC && q !== 2) {
      const v = fastNumber(b, s, e);
      if (v === v) { this.num[row] = v; return; }
    }
    const t = fieldText(b, s, e, q);
    if (this.kind === TEXT) {
      this.codes![row] = isMissingToken(t) ? -1 : this.code(t);
      return;
    }
    if (isMissingToken(t)) { this.num[row] = NaN; return; }
    if (this.kind !== LOGICAL_KIND && isNumericToken(t)) {
      const v = toNumber(t);
      if (!Number.isFinite(v)) throw new InputError(`line ${line}, column "${this.name}": ${JSON.stringify(short(t))} is too large for a double`);
      this.kind = NUMERIC;
      this.num[row] = v;
      return;
    }
    if (this.kind !== LOGICAL_KIND && isInfiniteToken(t)) {
      throw new InputError(`line ${line}, column "${this.name}": ${JSON.stringify(short(t))} is not a finite number`);
    }
    const lg = LOGICAL[t.trim()];
    if (lg !== undefined && this.kind !== NUMERIC) {
      this.kind = LOGICAL_KIND;
      this.num[row] = lg;
      return;
    }
    this.firstText ??= { value: t, line };
    this.toText(row);
    this.codes![row] = this.code(t);
  }

  /** The column for the model frame. */
  column(n: number): Float64Array | Float32Array | FactorColumn {
    if (this.kind === TEXT) return { codes: this.codes!.subarray(0, n), levels: this.levels };
    if (this.kind === LOGICAL_KIND) {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = this.num[i] !== this.num[i] ? -1 : this.num[i];
      return { codes, levels: ['FALSE', 'TRUE'] };
    }
    return this.num.subarray(0, n);
  }
}

function short(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

// ------------------------------------------------------------------------------------ reading

export interface ReadProgress {
  (bytes: number): void;
}

/**
 * Read a CSV byte stream into a Dataset through the model frame. `totalBytes` (when known) sizes
 * the column buffers after the first records, so they are not regrown.
 */
export async function loadDesign(source: AsyncIterable<Uint8Array | string>, totalBytes: number | undefined, req: FrameRequest, progress?: ReadProgress): Promise<FrameDesign> {
  let names: string[] | null = null;
  let hasHeader = false;
  let rowNames = false;
  let width = 0;
  let headerLine = 1;
  const stores: ColumnStore[] = [];
  /** For each column of the file, its store (or null: not used). */
  let storeOf: (ColumnStore | null)[] = [];
  let labels: string[] | null = null;
  let lines = new Int32Array(4096);
  let cap = 4096;
  let n = 0;
  let yName = '', weightsName: string | undefined, xColumns: string[] = [];
  let factors: string[] = [];
  /** Direct mode (no --factor): numeric columns are written straight into linear memory. */
  let buffer: ColumnWriter | null = null;

  const setup = (fields: string[], header: boolean, line: number) => {
    hasHeader = header;
    headerLine = line;
    width = fields.length;
    if (header) {
      names = fields.map((f) => f.trim());
      const seen = new Map<string, number>();
      names.forEach((name, j) => {
        if (name === '') {
          if (j === 0 && width > 1) { rowNames = true; return; } // R's write.csv row names
          throw new CsvError(`column ${j + 1} has no name in the header on line ${line}`, line);
        }
        const prev = seen.get(name);
        if (prev !== undefined) throw new CsvError(`column name "${name}" appears twice in the header on line ${line} (columns ${prev + 1} and ${j + 1})`, line);
        seen.set(name, j);
      });
    } else {
      names = Array.from({ length: width }, (_, j) => `V${j + 1}`);
    }
    const nm = names;
    const col = (ref: string, what: string): number => {
      const j = resolveColumn(nm, hasHeader, ref, what);
      if (rowNames && j === 0) throw new InputError(`column 1 (${what}) holds the row names (its header is empty, as R's write.csv writes them)`);
      return j;
    };
    const yIdx = col(req.y, '--y');
    const wIdx = req.weights === undefined ? -1 : col(req.weights, '--weights');
    if (wIdx === yIdx) throw new InputError(`--weights names the response column "${nm[yIdx]}"`);
    let xIdx: number[];
    if (req.x === undefined) {
      xIdx = nm.map((_, j) => j).filter((j) => j !== yIdx && j !== wIdx && !(rowNames && j === 0));
    } else {
      xIdx = [];
      for (const raw of req.x) {
        // a whole --x value that is a column name (commas and all) is that column
        const parts = nm.includes(raw.trim()) ? [raw] : raw.split(',');
        for (const part of parts) xIdx.push(col(part, '--x'));
      }
      for (let a = 0; a < xIdx.length; a++) {
        if (xIdx[a] === yIdx) throw new InputError(`--x includes the response column "${nm[yIdx]}"`);
        if (xIdx[a] === wIdx) throw new InputError(`--x includes the weights column "${nm[wIdx]}"`);
        if (xIdx.indexOf(xIdx[a]) !== a) throw new InputError(`--x names column "${nm[xIdx[a]]}" twice`);
      }
    }
    factors = (req.factors ?? []).map((f) => {
      const j = col(f, '--factor');
      if (!xIdx.includes(j)) throw new InputError(`--factor names column "${nm[j]}", which is not a predictor`);
      return nm[j];
    });
    yName = nm[yIdx];
    weightsName = wIdx >= 0 ? nm[wIdx] : undefined;
    xColumns = xIdx.map((j) => nm[j]);
    storeOf = nm.map(() => null);
    if (factors.length === 0) buffer = Dataset.columnWriter(xIdx.length, { weights: wIdx >= 0, capacity: cap, precision: req.precision, ...(req.backend ? { backend: req.backend } : {}) });
    const v = buffer?.views();
    const viewOf = (k: number) => (v ? (k === 0 ? v.y : k <= xIdx.length ? v.x[k - 1] : v.w) : undefined);
    [yIdx, ...xIdx, ...(wIdx >= 0 ? [wIdx] : [])].forEach((j, k) => {
      const s = new ColumnStore(nm[j], cap, viewOf(k));
      storeOf[j] = s;
      stores.push(s);
    });
    if (rowNames) labels = [];
  };

  /** Per file column: the float64 array a plain number goes straight into, or null (see add()). */
  let fast: (Float64Array | null)[] = [];
  const refresh = (j: number) => {
    const s = storeOf[j];
    fast[j] = s !== null && s.kind === NUMERIC && s.num instanceof Float64Array ? s.num : null;
  };
  let firstRecord = true;
  const parser = new CsvStreamParser((buf, starts, ends, quoted, count, line, nums) => {
    if (firstRecord) {
      firstRecord = false;
      const fields = Array.from({ length: count }, (_, k) => fieldText(buf, starts[k], ends[k], quoted[k]));
      const header = req.header === 'yes' ||
        (req.header === 'auto' && fields.some((f) => !isNumericToken(f) && !isMissingToken(f) && !isInfiniteToken(f)));
      setup(fields, header, line);
      fast = storeOf.map(() => null);
      if (header) return;
    }
    if (count !== width) {
      throw new CsvError(
        `line ${line} has ${count} field${count === 1 ? '' : 's'}, expected ${width}` +
          (hasHeader ? ` (as in the header on line ${headerLine})` : ` (as on line ${headerLine})`),
        line,
      );
    }
    if (n === cap) {
      // size from the bytes per row so far when the file size is known, else double
      const done = parser.bytesDone + starts[0];
      const est = totalBytes && done > 0 ? Math.ceil((n * totalBytes) / done * 1.02) + 1024 : 0;
      const next = Math.max(2 * cap, est);
      if (buffer) {
        buffer.grow(next, n);
        const v = buffer.views();
        stores.forEach((s, k) => s.grow(next, n, k === 0 ? v.y : k <= v.x.length ? v.x[k - 1] : v.w));
      } else {
        for (const s of stores) s.grow(next, n);
      }
      for (let j = 0; j < fast.length; j++) refresh(j);
      const l = new Int32Array(next);
      l.set(lines);
      lines = l;
      cap = next;
    }
    for (let j = 0; j < count; j++) {
      // the hot path: a number already read by the parser, into a float64 column
      const a = fast[j];
      if (a !== null) {
        const v = nums[j];
        if (v === v) { a[n] = v; continue; }
      }
      const s = storeOf[j];
      if (s === null) continue;
      s.add(buf, starts[j], ends[j], quoted[j], n, line);
      refresh(j);
    }
    if (labels) labels.push(fieldText(buf, starts[0], ends[0], quoted[0]));
    lines[n++] = line;
  });

  try {
    return await finishDesign();
  } catch (e) {
    (buffer as ColumnWriter | null)?.dispose();
    throw e;
  }

  async function finishDesign(): Promise<FrameDesign> {
  let bytes = 0;
  const enc = new TextEncoder();
  try {
    for await (const chunk of source) {
      const b = typeof chunk === 'string' ? enc.encode(chunk) : chunk;
      bytes += b.length;
      parser.push(b);
      progress?.(bytes);
    }
    parser.end();
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(e.message);
    throw e;
  }
  if (names === null) throw new InputError('the file is empty (no rows)');
  if (n === 0) throw new InputError(`no data rows after the header on line ${headerLine}`);

  const ys = stores[0];
  if (ys.kind === TEXT) {
    const ft = ys.firstText!;
    throw new InputError(`line ${ft.line}, column "${yName}": ${JSON.stringify(short(ft.value))} is not a number (the response --y must be numeric)`);
  }
  if (weightsName !== undefined) {
    const ws = stores[stores.length - 1];
    if (ws.kind === TEXT) {
      const ft = ws.firstText!;
      throw new InputError(`line ${ft.line}, column "${weightsName}": ${JSON.stringify(short(ft.value))} is not a number (--weights must be numeric)`);
    }
  }
  const direct = buffer !== null && stores.every((s) => s.kind === NUMERIC || s.kind === EMPTY);
  if (buffer && !direct) {
    // a logical or text column: copy the numeric columns out of linear memory and build the frame
    for (const s of stores) if (s.kind !== TEXT) s.num = Float64Array.from(s.num.subarray(0, n));
    buffer.dispose();
    buffer = null;
  }
  const columns: Record<string, Float64Array | Float32Array | FactorColumn> = {};
  for (const s of stores) columns[s.name] = direct ? s.num.subarray(0, n) : s.column(n);
  const usedLines = lines;
  const usedLabels = labels as string[] | null;

  if (req.na === 'fail') {
    // refuse before building anything: list the first rows with a missing value and their columns
    const missing: number[] = [];
    let count = 0;
    for (let i = 0; i < n; i++) {
      let m = false;
      for (const c in columns) if (isMissingAt(columns[c], i)) { m = true; break; }
      if (m) {
        count++;
        if (missing.length < MAX_LISTED) missing.push(i);
      }
    }
    if (count > 0) {
      const listed = missing.map((i) => `line ${usedLines[i]} (${Object.keys(columns).filter((c) => isMissingAt(columns[c], i)).join(', ')})`).join(', ');
      const more = count > MAX_LISTED ? `, and ${count - MAX_LISTED} more` : '';
      throw new InputError(
        `missing values (empty, NA or NaN) in ${count} row${count === 1 ? '' : 's'}: ${listed}${more}; without --na fail such rows are dropped`,
      );
    }
  }
  let ds: Dataset;
  const frameOptions = { y: yName, x: xColumns, factors, weights: weightsName, intercept: req.intercept, na: 'omit' as const };
  try {
    if (direct) {
      // every column numeric: the frame only finds the rows to keep; they are compacted in place
      ds = buffer!.finish(n, { y: yName, x: xColumns, weights: weightsName }, { intercept: req.intercept });
      buffer = null;
    } else {
      ds = Dataset.fromColumns(columns, { ...frameOptions, precision: req.precision, ...(req.backend ? { backend: req.backend } : {}) });
    }
  } catch (e) {
    throw restate(e, usedLines);
  }
  const frame = ds.frame!;
  const droppedLines = Array.from(frame.dropped, (i) => usedLines[i]);
  const d: FrameDesign = {
    ds, frame, n: ds.rows, p: ds.cols, xNames: frame.names, xColumns, yName, weightsName,
    lines: pick(usedLines, frame.rowIndex),
    droppedLines, bytes, rowsIn: n, rowKind: 'line',
  };
  if (usedLabels) {
    d.labels = Array.from(frame.rowIndex, (i) => usedLabels[i]);
    d.droppedLabels = Array.from(frame.dropped, (i) => usedLabels[i]);
  }
  return d;
  }
}

const MAX_LISTED = 8;

function pick(a: Int32Array, idx: Int32Array): Int32Array {
  if (idx.length === 0 || idx[idx.length - 1] === idx.length - 1) return a.subarray(0, idx.length); // nothing dropped
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}

function isMissingAt(c: Float64Array | Float32Array | FactorColumn, i: number): boolean {
  if (c instanceof Float64Array || c instanceof Float32Array) return c[i] !== c[i];
  return (c.codes[i] as number) < 0;
}

/** A model-frame error that names a row (0-based) is restated with the file's line. */
function restate(e: unknown, lines: Int32Array): unknown {
  if (!(e instanceof RobustRegError)) return e;
  const row = e.details.row;
  const msg = e.message.replace(/^(Dataset\.fromColumns|ColumnWriter\.finish): /, '');
  if (typeof row === 'number') {
    return new InputError(msg.replace(/, row \d+:/, `, line ${lines[row]}:`).replace(/\(the first is row \d+\)/, `(the first is on line ${lines[row]})`)
      .replace(/out of x\b/, 'out with --x').replace(/^column "([^"]*)" \((\w+)\)/, 'column "$1" ($2)'));
  }
  if (e.code === 'INVALID_INPUT' && /factor|levels|logical column|no rows left/.test(msg)) {
    return new InputError(msg.replace(/leave it out of x/, 'leave it out with --x'));
  }
  return e;
}

// ------------------------------------------------- small in-memory tables (the demo's bundled data)

/** The numeric design of a small table of strings, row-major (the demo's bundled data sets). */
export interface TableDesign {
  /** Row-major n × p. */
  X: Float64Array;
  y: Float64Array;
  weights?: Float64Array;
  n: number;
  p: number;
  xNames: string[];
  yName: string;
  weightsName?: string;
  /** Physical lines of the rows used. */
  lines: number[];
  /** Physical lines of rows dropped for missing values. */
  droppedLines: number[];
}

export interface TableRequest {
  y: string;
  /** Predictor columns; default: every column except y and the weights column. */
  x?: string[];
  weights?: string;
  dropMissing: boolean;
}


export function buildDesign(t: CsvTable, req: TableRequest): TableDesign {
  const yIdx = resolveColumn(t.names, t.hasHeader, req.y, '--y');
  const wIdx = req.weights === undefined ? -1 : resolveColumn(t.names, t.hasHeader, req.weights, '--weights');
  if (wIdx === yIdx) throw new InputError(`--weights names the response column "${t.names[yIdx]}"`);
  let xIdx: number[];
  if (req.x === undefined) {
    xIdx = t.names.map((_, j) => j).filter((j) => j !== yIdx && j !== wIdx);
  } else {
    xIdx = req.x.map((ref) => resolveColumn(t.names, t.hasHeader, ref, '--x'));
    for (let a = 0; a < xIdx.length; a++) {
      if (xIdx[a] === yIdx) throw new InputError(`--x includes the response column "${t.names[yIdx]}"`);
      if (xIdx[a] === wIdx) throw new InputError(`--x includes the weights column "${t.names[wIdx]}"`);
      if (xIdx.indexOf(xIdx[a]) !== a) throw new InputError(`--x names column "${t.names[xIdx[a]]}" twice`);
    }
  }
  const used = [yIdx, ...xIdx, ...(wIdx >= 0 ? [wIdx] : [])];

  // One pass: convert every used field; the first non-numeric text is an error, missing values
  // are collected per row (and the row is dropped, or reported).
  const p = xIdx.length;
  const nw = wIdx >= 0 ? 1 : 0;
  const width = 1 + p + nw;
  const vals = new Float64Array(t.rows.length * width);
  const missing: { line: number; cols: string[] }[] = [];
  const keep: number[] = [];
  for (let i = 0; i < t.rows.length; i++) {
    const row = t.rows[i];
    let miss: string[] | null = null;
    for (let k = 0; k < width; k++) {
      const j = used[k];
      const f = row[j];
      const v = toNumber(f);
      if (Number.isFinite(v)) {
        vals[i * width + k] = v;
        continue;
      }
      if (isMissingToken(f)) {
        (miss ??= []).push(t.names[j]);
        continue;
      }
      const shown = JSON.stringify(f.length > 40 ? f.slice(0, 40) + '…' : f);
      const what = v === v ? 'is too large for a double' : isInfiniteToken(f) ? 'is not a finite number' : 'is not a number';
      throw new InputError(`line ${t.lines[i]}, column "${t.names[j]}": ${shown} ${what}`);
    }
    if (miss) missing.push({ line: t.lines[i], cols: miss });
    else keep.push(i);
  }
  if (missing.length > 0 && !req.dropMissing) {
    const listed = missing
      .slice(0, MAX_LISTED)
      .map((m) => `line ${m.line} (${m.cols.join(', ')})`)
      .join(', ');
    const more = missing.length > MAX_LISTED ? `, and ${missing.length - MAX_LISTED} more` : '';
    throw new InputError(
      `missing values (empty, NA or NaN) in ${missing.length} row${missing.length === 1 ? '' : 's'}: ${listed}${more}; ` +
        'use --drop-missing to drop those rows',
    );
  }
  const n = keep.length;
  if (n === 0) throw new InputError(`no rows left: all ${t.rows.length} rows have missing values`);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const weights = nw ? new Float64Array(n) : undefined;
  keep.forEach((i, r) => {
    const o = i * width;
    y[r] = vals[o];
    for (let j = 0; j < p; j++) X[r * p + j] = vals[o + 1 + j];
    if (weights) weights[r] = vals[o + 1 + p];
  });
  return {
    X,
    y,
    weights,
    n,
    p,
    xNames: xIdx.map((j) => t.names[j]),
    yName: t.names[yIdx],
    weightsName: wIdx >= 0 ? t.names[wIdx] : undefined,
    lines: keep.map((i) => t.lines[i]),
    droppedLines: missing.map((m) => m.line),
  };
}

// ------------------------------------------------------------------ Parquet and Arrow IPC files

/**
 * A Parquet (hyparquet) or Arrow IPC / Feather (apache-arrow) file through the model frame. The
 * readers are loaded on demand (dynamic import) so that the library itself has no dependency;
 * without them the command says which package to install. Rows are numbered from 1 in messages.
 */
export async function loadColumnarFile(path: string, kind: 'parquet' | 'arrow', bytes: number, req: FrameRequest): Promise<FrameDesign> {
  if (req.header !== 'auto') throw new InputError(`--header applies to CSV files, not to ${kind === 'parquet' ? 'Parquet' : 'Arrow'} files`);
  let names: string[];
  let rows: number;
  let table: unknown;
  if (kind === 'parquet') {
    const hp = await optionalImport('hyparquet', 'Parquet');
    let meta: { num_rows: bigint | number };
    let file: unknown;
    try {
      file = await hp.asyncBufferFromFile(path);
      meta = await hp.parquetMetadataAsync(file);
      names = (hp.parquetSchema(meta).children as { element: { name: string } }[]).map((c) => c.element.name);
    } catch (e) {
      throw new InputError(`cannot read ${JSON.stringify(path)} as Parquet: ${(e as Error).message} (a truncated or damaged file?)`);
    }
    rows = Number(meta.num_rows);
    const used = usedColumns(names, req);
    const cols: Record<string, unknown[]> = {};
    for (const c of used) cols[c] = new Array(rows);
    try {
      await hp.parquetRead({
        file, metadata: meta, columns: used,
        onChunk: (c: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number; rowEnd: number }) => {
          const dst = cols[c.columnName];
          if (!dst) return;
          for (let i = c.rowStart; i < Math.min(c.rowEnd, rows); i++) dst[i] = c.columnData[i - c.rowStart];
        },
      });
    } catch (e) {
      throw new InputError(`cannot read ${JSON.stringify(path)} as Parquet: ${(e as Error).message} (a truncated or damaged file?)`);
    }
    // numbers into Float64Array (null → NaN); booleans and strings stay arrays
    for (const c of used) {
      const a = cols[c];
      const first = a.find((v) => v != null);
      if (typeof first === 'number' || typeof first === 'bigint') {
        const f = new Float64Array(rows);
        for (let i = 0; i < rows; i++) f[i] = a[i] == null ? NaN : Number(a[i]);
        (cols as Record<string, unknown>)[c] = f;
      } else if (first !== undefined && typeof first !== 'boolean' && typeof first !== 'string') {
        throw new InputError(`column "${c}" of ${JSON.stringify(path)} holds values of type ${first instanceof Date ? 'date' : typeof first}, which cannot be a predictor; leave it out with --x`);
      }
    }
    table = cols;
  } else {
    const ar = await optionalImport('apache-arrow', 'Arrow IPC/Feather');
    const { readFile } = await import('node:fs/promises');
    let t: { schema: { fields: { name: string }[] }; numRows: number };
    try {
      t = ar.tableFromIPC(await readFile(path));
    } catch (e) {
      throw new InputError(`cannot read ${JSON.stringify(path)} as an Arrow IPC (Feather v2) file: ${(e as Error).message}`);
    }
    names = t.schema.fields.map((f) => f.name);
    rows = t.numRows;
    table = t;
  }
  if (rows === 0) throw new InputError(`${JSON.stringify(path)} has no rows`);
  const yName = names[resolveColumn(names, true, req.y, '--y')];
  const weightsName = req.weights === undefined ? undefined : names[resolveColumn(names, true, req.weights, '--weights')];
  const xColumns = req.x === undefined
    ? names.filter((c) => c !== yName && c !== weightsName)
    : req.x.flatMap((raw) => (names.includes(raw.trim()) ? [raw.trim()] : raw.split(','))).map((r) => names[resolveColumn(names, true, r, '--x')]);
  const factors = (req.factors ?? []).map((f) => names[resolveColumn(names, true, f, '--factor')]);
  for (const f of factors) if (!xColumns.includes(f)) throw new InputError(`--factor names column "${f}", which is not a predictor`);
  let ds: Dataset;
  try {
    ds = Dataset.fromColumns(table as Record<string, Float64Array>, {
      y: yName, x: xColumns, factors, weights: weightsName, intercept: req.intercept, na: req.na,
      precision: req.precision, ...(req.backend ? { backend: req.backend } : {}),
    });
  } catch (e) {
    if (e instanceof RobustRegError) {
      const row = e.details.row;
      let msg = e.message.replace(/^Dataset\.fromColumns: /, '').replace(/leave it out of x/, 'leave it out with --x')
        .replace(/option x /, '--x ').replace(/pass na: 'omit' to drop them/, 'without --na fail such rows are dropped');
      if (typeof row === 'number') msg = msg.replace(/, row \d+:/, `, row ${row + 1}:`);
      msg = msg.replace(/\(rows ([\d, ]+)(, … \((\d+) in all\))?, 0-based\)/, (_m, list: string, more?: string) =>
        `(rows ${list.split(', ').map((v) => Number(v) + 1).join(', ')}${more ?? ''})`);
      throw new InputError(msg);
    }
    throw e;
  }
  const frame = ds.frame!;
  return {
    ds, frame, n: ds.rows, p: ds.cols, xNames: frame.names, xColumns, yName, weightsName,
    lines: Int32Array.from(frame.rowIndex, (i) => i + 1),
    droppedLines: Array.from(frame.dropped, (i) => i + 1),
    bytes, rowsIn: rows, rowKind: 'row',
  };
}

/** The columns a request reads (y, weights, x; all when --x is not given). */
function usedColumns(names: string[], req: FrameRequest): string[] {
  if (req.x === undefined) return names;
  const want = new Set<string>();
  const add = (r: string) => { const j = resolveColumn(names, true, r, 'column'); want.add(names[j]); };
  add(req.y);
  if (req.weights !== undefined) add(req.weights);
  for (const raw of req.x) (names.includes(raw.trim()) ? [raw.trim()] : raw.split(',')).forEach(add);
  return names.filter((c) => want.has(c));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function optionalImport(pkg: string, what: string): Promise<any> {
  try {
    return await import(pkg);
  } catch {
    throw new InputError(`reading ${what} files needs the package ${pkg}, which is not installed; run: npm install ${pkg}`);
  }
}
