// A model frame like R's: from named columns (numbers, booleans, strings, dictionary codes; an
// Apache Arrow Table; an Arquero table) to the numeric design of a fit. Numeric columns pass
// through; logical columns become 0/1 (named `colTRUE`, as R's model.matrix names them); text
// columns become factors with treatment contrasts (reference = the first level in sorted order,
// dummies named `colLevel`); rows with a missing value in a used column are dropped (R's na.omit)
// or refused (na: 'fail'). The design is produced in row blocks, so Dataset.fromColumns copies the
// data once, straight into linear memory, without an intermediate matrix.
import { RobustRegError, describe } from '../errors.js';

/** A column given as codes into a list of levels (code −1, NaN or null = missing). */
export interface FactorColumn {
  codes: ArrayLike<number | null>;
  levels: readonly string[];
}

/** One column: numbers, booleans or strings (null/undefined/NaN = missing), or a FactorColumn. */
export type ColumnLike =
  | ArrayLike<number | null | undefined>
  | ArrayLike<boolean | null | undefined>
  | ArrayLike<string | null | undefined>
  | BigInt64Array
  | BigUint64Array
  | FactorColumn;

/** What `modelFrame` and `Dataset.fromColumns` read: named columns, an Arrow Table or an Arquero table. */
export type ColumnTable = Readonly<Record<string, ColumnLike>> | object;

export interface ModelFrameOptions {
  /** The response column (numeric or logical). */
  y: string;
  /** Predictor columns, in order. Default: every column except y, weights and rowNames. */
  x?: readonly string[];
  /** Numeric columns to treat as factors (levels in numeric order). */
  factors?: readonly string[];
  /** A column of non-negative observation weights. */
  weights?: string;
  /** A column of row labels: never a predictor (the CLI uses R's unnamed first column). */
  rowNames?: string;
  /** Rows with a missing value in a used column: 'omit' (default, R's na.omit) or 'fail'. */
  na?: 'omit' | 'fail';
  /** Whether the model will have an intercept (default true): without one, the first factor is coded in full, as in R. */
  intercept?: boolean;
  /** Most levels a factor may have (default 1000). */
  maxLevels?: number;
}

/** One term of the model: a column and the design columns it became. */
export interface FrameTerm {
  /** The data column. */
  column: string;
  kind: 'numeric' | 'logical' | 'factor';
  /** Names of its design columns (coefficients). */
  names: string[];
  /** factor/logical: all levels in order (the reference first when it is dropped). */
  levels?: string[];
  /** factor/logical with treatment contrasts: the level without a column. */
  reference?: string;
}

/** Description of a model frame (no data). */
export interface FrameInfo {
  /** Coefficient names of the design columns (without the intercept), as R's model.matrix. */
  names: string[];
  /** The response column. */
  yName: string;
  /** The weights column, if any. */
  weightsName?: string;
  terms: FrameTerm[];
  /** Rows in the input. */
  rowsIn: number;
  /** For each row of the design, its 0-based index in the input. */
  rowIndex: Int32Array;
  /** 0-based input indices of the rows dropped for missing values, ascending. */
  dropped: Int32Array;
}

/** A model frame with its data: X column-major (rows × cols), y, weights. */
export interface ModelFrame extends FrameInfo {
  X: { data: Float64Array; rows: number; cols: number; layout: 'column-major' };
  y: Float64Array;
  weights?: Float64Array;
}

// ------------------------------------------------------------------------------------ sources

const BLOCK = 4096;

/** A numeric or logical column read in blocks: NaN marks a missing value. */
interface NumSource {
  kind: 'numeric' | 'logical';
  name: string;
  /** Write rows [start, start + count) to out[0 .. count). */
  read(start: number, count: number, out: Float64Array): void;
  /** The column itself when it is a float array (scanned in place, without block copies). */
  array?: Float64Array | Float32Array;
}

/** A categorical column read in blocks: codes into `levels`, −1 marks a missing value. */
interface CodeSource {
  kind: 'codes';
  name: string;
  levels: string[];
  /** Numeric order of the levels (a numeric column given in `factors`), else text order. */
  numericLevels?: Float64Array;
  read(start: number, count: number, out: Int32Array): void;
}

type Source = NumSource | CodeSource;

/** A resolved table: its column names, row count and a source per column (made on demand). */
export interface TableReader {
  names: string[];
  rows: number;
  source(name: string, fn: string): Source;
}

function fail(code: 'INVALID_INPUT' | 'NON_FINITE' | 'DIMENSION_MISMATCH', message: string, details: Record<string, unknown>): never {
  throw new RobustRegError(code, message, details);
}

function isFactorColumn(c: unknown): c is FactorColumn {
  return typeof c === 'object' && c !== null && !ArrayBuffer.isView(c) && !Array.isArray(c) &&
    'codes' in c && 'levels' in c;
}

/** A source for one plain column (array, typed array or FactorColumn). */
function plainSource(name: string, c: unknown, n: number, fn: string): Source {
  if (isFactorColumn(c)) {
    const { codes, levels } = c;
    if (!Array.isArray(levels) || !levels.every((l) => typeof l === 'string')) {
      fail('INVALID_INPUT', `${fn}: column "${name}": levels must be an array of strings, received ${describe(levels)}`, { argument: name });
    }
    if (codes == null || typeof (codes as ArrayLike<number>).length !== 'number' || codes.length !== n) {
      fail('DIMENSION_MISMATCH', `${fn}: column "${name}": codes must have ${n} entries, received ${describe(codes)}`, { argument: name });
    }
    const L = levels.length;
    return {
      kind: 'codes', name, levels: levels.slice(),
      read(start, count, out) {
        for (let i = 0; i < count; i++) {
          const v = codes[start + i];
          if (v == null || v !== v || v === -1) { out[i] = -1; continue; }
          if (!(Number.isInteger(v) && v >= 0 && v < L)) {
            fail('INVALID_INPUT', `${fn}: column "${name}", row ${start + i}: code ${describe(v)} is not an index into its ${L} levels`, { argument: name, row: start + i });
          }
          out[i] = v;
        }
      },
    };
  }
  if (c instanceof BigInt64Array || c instanceof BigUint64Array) {
    return {
      kind: 'numeric', name,
      read(start: number, count: number, out: Float64Array) {
        for (let i = 0; i < count; i++) out[i] = Number(c[start + i]);
      },
    };
  }
  if (c instanceof Float64Array) {
    return { kind: 'numeric', name, array: c, read(start: number, count: number, out: Float64Array) { out.set(c.subarray(start, start + count)); } };
  }
  if (c instanceof Float32Array) {
    return { kind: 'numeric', name, array: c, read(start: number, count: number, out: Float64Array) { for (let i = 0; i < count; i++) out[i] = c[start + i]; } };
  }
  if (ArrayBuffer.isView(c)) {
    const a = c as unknown as ArrayLike<number>;
    return {
      kind: 'numeric', name,
      read(start, count, out) {
        for (let i = 0; i < count; i++) out[i] = a[start + i];
      },
    };
  }
  if (!Array.isArray(c)) fail('INVALID_INPUT', `${fn}: column "${name}" must be an array, a typed array or { codes, levels }, received ${describe(c)}`, { argument: name });
  const arr = c as unknown[];
  // The element type: the first non-missing value decides; every other one must agree.
  let type: string | undefined;
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (v == null || (typeof v === 'number' && v !== v)) continue;
    const t = typeof v === 'bigint' ? 'number' : typeof v; // BIGINT values (DuckDB, Arrow) as numbers
    if (t !== 'number' && t !== 'boolean' && t !== 'string') {
      fail('INVALID_INPUT', `${fn}: column "${name}", row ${i}: ${describe(v)} is not a number, boolean or string`, { argument: name, row: i });
    }
    if (type === undefined) type = t;
    else if (t !== type) {
      fail('INVALID_INPUT', `${fn}: column "${name}" mixes ${type}s and ${t}s (row ${i}: ${describe(v)})`, { argument: name, row: i });
    }
  }
  if (type === 'string') {
    const map = new Map<string, number>();
    const levels: string[] = [];
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = arr[i];
      if (typeof v !== 'string') { codes[i] = -1; continue; }
      let k = map.get(v);
      if (k === undefined) { k = levels.length; map.set(v, k); levels.push(v); }
      codes[i] = k;
    }
    return { kind: 'codes', name, levels, read(start, count, out) { out.set(codes.subarray(start, start + count)); } };
  }
  const logical = type === 'boolean';
  return {
    kind: logical ? 'logical' : 'numeric', name,
    read(start: number, count: number, out: Float64Array) {
      for (let i = 0; i < count; i++) {
        const v = arr[start + i];
        out[i] = v == null ? NaN : logical ? (v ? 1 : 0) : typeof v === 'bigint' ? Number(v) : (v as number);
      }
    },
  };
}

/** Turn a numeric source into a factor: distinct values in numeric order, labelled String(v). */
function numericToCodes(s: NumSource, n: number): CodeSource {
  const map = new Map<number, number>();
  const values: number[] = [];
  const codes = new Int32Array(n);
  const buf = new Float64Array(BLOCK);
  for (let start = 0; start < n; start += BLOCK) {
    const count = Math.min(BLOCK, n - start);
    s.read(start, count, buf);
    for (let i = 0; i < count; i++) {
      const v = buf[i];
      if (v !== v) { codes[start + i] = -1; continue; }
      let k = map.get(v);
      if (k === undefined) { k = values.length; map.set(v, k); values.push(v); }
      codes[start + i] = k;
    }
  }
  const levels = values.map((v) => (s.kind === 'logical' ? (v ? 'TRUE' : 'FALSE') : String(v)));
  return {
    kind: 'codes', name: s.name, levels, numericLevels: Float64Array.from(values),
    read(start, count, out) { out.set(codes.subarray(start, start + count)); },
  };
}

// ------------------------------------------------------------------------------- table readers

interface ArrowData {
  type: { typeId: number; bitWidth?: number; isSigned?: boolean; precision?: number; toString(): string; indices?: unknown; dictionary?: unknown };
  length: number;
  offset: number;
  nullCount: number;
  nullBitmap?: Uint8Array;
  values?: ArrayLike<number> | BigInt64Array | BigUint64Array | Uint8Array;
  valueOffsets?: Int32Array;
  dictionary?: { toArray(): ArrayLike<unknown>; length: number };
}

/** Arrow's Type enum values this reader understands (apache-arrow's Type: Int = 2, Float = 3, Bool = 6, Utf8 = 5, Dictionary = -1). */
const ARROW_INT = 2, ARROW_FLOAT = 3, ARROW_UTF8 = 5, ARROW_BOOL = 6, ARROW_DICT = -1, ARROW_LARGE_UTF8 = 20, ARROW_NULL = 1;

function isArrowTable(t: unknown): t is { schema: { fields: { name: string }[] }; numRows: number; getChild(name: string): { data: ArrowData[] } | null } {
  const o = t as Record<string, unknown>;
  return typeof o === 'object' && o !== null && typeof o.getChild === 'function' && typeof o.numRows === 'number' &&
    typeof o.schema === 'object' && o.schema !== null && Array.isArray((o.schema as { fields?: unknown }).fields);
}

function isArqueroTable(t: unknown): t is { columnNames(): string[]; numRows(): number; array(name: string): ArrayLike<unknown> } {
  const o = t as Record<string, unknown>;
  return typeof o === 'object' && o !== null && typeof o.columnNames === 'function' && typeof o.array === 'function' && typeof o.numRows === 'function';
}

/** Chunked Arrow column → source. Nulls (validity bitmap) are missing values. */
function arrowSource(name: string, chunks: ArrowData[], n: number, fn: string): Source {
  const typeId = chunks.length ? chunks[0].type.typeId : ARROW_NULL;
  const typeName = chunks.length ? String(chunks[0].type) : 'Null';
  const starts: number[] = [];
  let total = 0;
  for (const d of chunks) { starts.push(total); total += d.length; }
  if (total !== n) fail('DIMENSION_MISMATCH', `${fn}: Arrow column "${name}" has ${total} rows, the table ${n}`, { argument: name });
  const valid = (d: ArrowData, i: number): boolean => {
    if (!d.nullBitmap || d.nullCount === 0) return true;
    const b = d.offset + i;
    return ((d.nullBitmap[b >> 3] >> (b & 7)) & 1) === 1;
  };
  /** Visit rows [start, start+count) chunk by chunk: f(chunk, index in chunk, count, out offset). */
  const walk = (start: number, count: number, f: (d: ArrowData, from: number, m: number, o: number) => void): void => {
    let c = 0;
    while (c + 1 < chunks.length && starts[c + 1] <= start) c++;
    let o = 0;
    while (o < count) {
      const d = chunks[c];
      const from = start + o - starts[c];
      const m = Math.min(d.length - from, count - o);
      f(d, from, m, o);
      o += m;
      c++;
    }
  };
  if (typeId === ARROW_INT || typeId === ARROW_FLOAT) {
    const half = typeId === ARROW_FLOAT && chunks[0].type.precision === 0;
    if (half) fail('INVALID_INPUT', `${fn}: Arrow column "${name}" has type ${typeName} (float16), which is not supported; cast it to float32 or float64`, { argument: name, type: typeName });
    return {
      kind: 'numeric', name,
      read(start, count, out) {
        walk(start, count, (d, from, m, o) => {
          const v = d.values as ArrayLike<number | bigint>;
          const base = d.offset + from;
          const big = typeof (v as BigInt64Array)[0] === 'bigint' || v instanceof BigInt64Array || v instanceof BigUint64Array;
          for (let i = 0; i < m; i++) {
            out[o + i] = !valid(d, from + i) ? NaN : big ? Number(v[base + i]) : (v[base + i] as number);
          }
        });
      },
    };
  }
  if (typeId === ARROW_BOOL) {
    return {
      kind: 'logical', name,
      read(start, count, out) {
        walk(start, count, (d, from, m, o) => {
          const v = d.values as Uint8Array;
          for (let i = 0; i < m; i++) {
            const b = d.offset + from + i;
            out[o + i] = !valid(d, from + i) ? NaN : (v[b >> 3] >> (b & 7)) & 1;
          }
        });
      },
    };
  }
  if (typeId === ARROW_DICT || typeId === ARROW_UTF8 || typeId === ARROW_LARGE_UTF8) {
    // Dictionary: codes per chunk index into that chunk's dictionary; the levels are merged by text.
    // Plain strings: a dictionary is built while reading the bytes.
    const map = new Map<string, number>();
    const levels: string[] = [];
    const level = (s: string): number => {
      let k = map.get(s);
      if (k === undefined) { k = levels.length; map.set(s, k); levels.push(s); }
      return k;
    };
    const codes = new Int32Array(n);
    const dec = new TextDecoder();
    chunks.forEach((d, c) => {
      const s0 = starts[c];
      if (typeId === ARROW_DICT) {
        const dict = d.dictionary ? Array.from(d.dictionary.toArray()) : [];
        if (!dict.every((v) => typeof v === 'string' || v == null)) {
          fail('INVALID_INPUT', `${fn}: Arrow column "${name}" has type ${typeName}: only dictionaries of strings are supported`, { argument: name, type: typeName });
        }
        const remap = dict.map((v) => (v == null ? -1 : level(v as string)));
        const v = d.values as ArrayLike<number | bigint>;
        for (let i = 0; i < d.length; i++) {
          codes[s0 + i] = valid(d, i) ? remap[Number(v[d.offset + i])] : -1;
        }
      } else {
        const offs = d.valueOffsets as unknown as ArrayLike<number | bigint>;
        const bytes = d.values as Uint8Array;
        for (let i = 0; i < d.length; i++) {
          if (!valid(d, i)) { codes[s0 + i] = -1; continue; }
          const a = Number(offs[d.offset + i]), b = Number(offs[d.offset + i + 1]);
          codes[s0 + i] = level(dec.decode(bytes.subarray(a, b)));
        }
      }
    });
    return { kind: 'codes', name, levels, read(start, count, out) { out.set(codes.subarray(start, start + count)); } };
  }
  if (typeId === ARROW_NULL) {
    return { kind: 'numeric', name, read(_s, count, out) { out.fill(NaN, 0, count); } };
  }
  return fail('INVALID_INPUT', `${fn}: Arrow column "${name}" has type ${typeName}, which is not supported (numbers, booleans, strings and dictionary-encoded strings are); cast it or leave it out of x`, { argument: name, type: typeName });
}

/** Recognise the table: Arrow Table, Arquero table, or a plain object of columns. */
export function readTable(table: unknown, fn: string): TableReader {
  if (isArrowTable(table)) {
    const names = table.schema.fields.map((f) => f.name);
    const n = table.numRows;
    return {
      names, rows: n,
      source(name) {
        const v = table.getChild(name);
        return arrowSource(name, v ? v.data : [], n, fn);
      },
    };
  }
  if (isArqueroTable(table)) {
    const names = table.columnNames();
    const n = table.numRows();
    return { names, rows: n, source: (name) => plainSource(name, table.array(name), n, fn) };
  }
  if (typeof table !== 'object' || table === null || Array.isArray(table) || ArrayBuffer.isView(table)) {
    fail('INVALID_INPUT', `${fn}: table must be an object of named columns, an Apache Arrow Table or an Arquero table, received ${describe(table)}`, { argument: 'table' });
  }
  const cols = table as Record<string, unknown>;
  const names = Object.keys(cols);
  let n = -1;
  for (const name of names) {
    const c = cols[name];
    const len = isFactorColumn(c) ? (c.codes as ArrayLike<unknown>)?.length : (c as ArrayLike<unknown>)?.length;
    if (typeof len !== 'number') fail('INVALID_INPUT', `${fn}: column "${name}" must be an array, a typed array or { codes, levels }, received ${describe(c)}`, { argument: name });
    if (n < 0) n = len;
    else if (len !== n) fail('DIMENSION_MISMATCH', `${fn}: column "${name}" has ${len} rows but column "${names[0]}" has ${n}`, { argument: name, rows: len, expected: n });
  }
  return { names, rows: Math.max(n, 0), source: (name) => plainSource(name, cols[name], n, fn) };
}

// ------------------------------------------------------------------------------------- the plan

interface PlannedTerm extends FrameTerm {
  source: Source;
  /** factor: input code → design column offset within the term (−1 = reference, no column). */
  remap?: Int32Array;
}

/** A model frame before its data are produced: names, kept rows, and how to fill a block. */
export interface FramePlan extends FrameInfo {
  cols: number;
  hasWeights: boolean;
  /** Produce the design in blocks of at most `chunk` kept rows: X column-major (count × cols). */
  forEachBlock(chunk: number, emit: (X: Float64Array, y: Float64Array, w: Float64Array | undefined, count: number) => void): void;
}

const KEYS = ['y', 'x', 'factors', 'weights', 'rowNames', 'na', 'intercept', 'maxLevels'];

function nameOpt(o: Record<string, unknown>, key: string, fn: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail('INVALID_INPUT', `${fn}: option ${key} must be a column name (string), received ${describe(v)}`, { argument: key, value: v });
  return v;
}

function namesOpt(o: Record<string, unknown>, key: string, fn: string): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    fail('INVALID_INPUT', `${fn}: option ${key} must be an array of column names, received ${describe(v)}`, { argument: key, value: v });
  }
  return v.slice();
}

function quoteList(names: string[]): string {
  const shown = names.length > 12 ? [...names.slice(0, 12), `… (${names.length} in all)`] : names;
  return shown.map((s) => JSON.stringify(s)).join(', ');
}

/** Resolve the columns, find the rows with missing values, the factor levels and the names. */
export function planFrame(table: unknown, options: ModelFrameOptions, fn: string): FramePlan {
  if (typeof options !== 'object' || options === null) {
    fail('INVALID_INPUT', `${fn}: options must be an object with at least { y }, received ${describe(options)}`, { argument: 'options' });
  }
  const o = options as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.includes(k) && o[k] !== undefined) fail('INVALID_INPUT', `${fn}: unknown option ${JSON.stringify(k)}; options are ${KEYS.join(', ')}`, { argument: k });
  }
  const t = readTable(table, fn);
  const has = (name: string, what: string): string => {
    if (!t.names.includes(name)) {
      fail('INVALID_INPUT', `${fn}: column ${JSON.stringify(name)} (${what}) is not in the table; columns are ${quoteList(t.names)}`, { argument: what, value: name });
    }
    return name;
  };
  const yName = nameOpt(o, 'y', fn);
  if (yName === undefined) fail('INVALID_INPUT', `${fn}: option y (the response column) is required`, { argument: 'y' });
  has(yName, 'y');
  const wName = nameOpt(o, 'weights', fn);
  if (wName !== undefined) has(wName, 'weights');
  const rowNames = nameOpt(o, 'rowNames', fn);
  if (rowNames !== undefined) has(rowNames, 'rowNames');
  if (wName !== undefined && wName === yName) fail('INVALID_INPUT', `${fn}: option weights names the response column ${JSON.stringify(yName)}`, { argument: 'weights', value: wName });
  let xNames = namesOpt(o, 'x', fn);
  if (xNames === undefined) {
    xNames = t.names.filter((c) => c !== yName && c !== wName && c !== rowNames);
  } else {
    xNames.forEach((c, a) => {
      has(c, 'x');
      if (c === yName) fail('INVALID_INPUT', `${fn}: option x includes the response column ${JSON.stringify(c)}`, { argument: 'x', value: c });
      if (c === wName) fail('INVALID_INPUT', `${fn}: option x includes the weights column ${JSON.stringify(c)}`, { argument: 'x', value: c });
      if (xNames!.indexOf(c) !== a) fail('INVALID_INPUT', `${fn}: option x names column ${JSON.stringify(c)} twice`, { argument: 'x', value: c });
    });
  }
  const factors = namesOpt(o, 'factors', fn) ?? [];
  for (const f of factors) {
    has(f, 'factors');
    if (!xNames.includes(f)) fail('INVALID_INPUT', `${fn}: option factors names ${JSON.stringify(f)}, which is not a predictor (x)`, { argument: 'factors', value: f });
  }
  const na = o.na === undefined ? 'omit' : o.na;
  if (na !== 'omit' && na !== 'fail') fail('INVALID_INPUT', `${fn}: option na must be 'omit' or 'fail', received ${describe(na)}`, { argument: 'na', value: na });
  const intercept = o.intercept === undefined ? true : o.intercept;
  if (typeof intercept !== 'boolean') fail('INVALID_INPUT', `${fn}: option intercept must be true or false, received ${describe(intercept)}`, { argument: 'intercept', value: intercept });
  const maxLevels = o.maxLevels === undefined ? 1000 : o.maxLevels;
  if (typeof maxLevels !== 'number' || !Number.isInteger(maxLevels) || maxLevels < 2) fail('INVALID_INPUT', `${fn}: option maxLevels must be an integer ≥ 2, received ${describe(maxLevels)}`, { argument: 'maxLevels', value: maxLevels });
  const nIn = t.rows;
  if (nIn === 0) fail('INVALID_INPUT', `${fn}: the table has no rows`, { argument: 'table', rows: 0 });

  // Sources.
  const ySrc0 = t.source(yName, fn);
  if (ySrc0.kind === 'codes') {
    const ex = ySrc0.levels.slice(0, 2).map((s) => JSON.stringify(s)).join(', ');
    fail('INVALID_INPUT', `${fn}: the response column ${JSON.stringify(yName)} is text (values such as ${ex}); y must be numeric or logical`, { argument: 'y', value: yName });
  }
  const ySrc = ySrc0 as NumSource;
  let wSrc: NumSource | undefined;
  if (wName !== undefined) {
    const s = t.source(wName, fn);
    if (s.kind !== 'numeric') fail('INVALID_INPUT', `${fn}: the weights column ${JSON.stringify(wName)} is ${s.kind === 'codes' ? 'text' : 'logical'}; weights must be numeric`, { argument: 'weights', value: wName });
    wSrc = s;
  }
  const xSrc: Source[] = xNames.map((c) => {
    const s = t.source(c, fn);
    if (factors.includes(c)) {
      if (s.kind === 'codes') return s;
      return numericToCodes(s, nIn);
    }
    return s;
  });

  // Missing values: one block pass over every used column.
  const missing = new Uint8Array(nIn);
  const nb = new Float64Array(BLOCK);
  const cb = new Int32Array(BLOCK);
  const scanNum = (s: NumSource, what: string, nonNegative: boolean) => {
    const a = s.array;
    if (a && a.length >= nIn) {
      // a float column in place: one comparison per value unless it is missing, infinite or negative
      for (let i = 0; i < nIn; i++) {
        const v = a[i];
        if (v - v !== 0 || (nonNegative && v < 0)) {
          if (v !== v) missing[i] = 1;
          else if (v === Infinity || v === -Infinity) {
            fail('NON_FINITE', `${fn}: column ${JSON.stringify(s.name)} (${what}), row ${i}: ${v} is not finite`, { argument: what, column: s.name, row: i });
          } else {
            fail('INVALID_INPUT', `${fn}: column ${JSON.stringify(s.name)} (weights), row ${i}: ${v} is negative; weights must be ≥ 0`, { argument: 'weights', column: s.name, row: i });
          }
        }
      }
      return;
    }
    for (let start = 0; start < nIn; start += BLOCK) {
      const count = Math.min(BLOCK, nIn - start);
      s.read(start, count, nb);
      for (let i = 0; i < count; i++) {
        const v = nb[i];
        if (v !== v) missing[start + i] = 1;
        else if (v === Infinity || v === -Infinity) {
          fail('NON_FINITE', `${fn}: column ${JSON.stringify(s.name)} (${what}), row ${start + i}: ${v} is not finite`, { argument: what, column: s.name, row: start + i });
        } else if (nonNegative && v < 0) {
          fail('INVALID_INPUT', `${fn}: column ${JSON.stringify(s.name)} (weights), row ${start + i}: ${v} is negative; weights must be ≥ 0`, { argument: 'weights', column: s.name, row: start + i });
        }
      }
    }
  };
  scanNum(ySrc, 'y', false);
  if (wSrc) scanNum(wSrc, 'weights', true);
  for (const s of xSrc) {
    if (s.kind === 'codes') {
      for (let start = 0; start < nIn; start += BLOCK) {
        const count = Math.min(BLOCK, nIn - start);
        s.read(start, count, cb);
        for (let i = 0; i < count; i++) if (cb[i] < 0) missing[start + i] = 1;
      }
    } else {
      scanNum(s, 'x', false);
    }
  }
  let nDrop = 0;
  for (let i = 0; i < nIn; i++) nDrop += missing[i];
  const dropped = new Int32Array(nDrop);
  const rowIndex = new Int32Array(nIn - nDrop);
  for (let i = 0, a = 0, b = 0; i < nIn; i++) {
    if (missing[i]) dropped[a++] = i;
    else rowIndex[b++] = i;
  }
  if (nDrop > 0 && na === 'fail') {
    const shown = Array.from(dropped.subarray(0, 8)).join(', ') + (nDrop > 8 ? `, … (${nDrop} in all)` : '');
    fail('INVALID_INPUT', `${fn}: ${nDrop} row${nDrop === 1 ? ' has' : 's have'} a missing value in a used column (rows ${shown}, 0-based); pass na: 'omit' to drop them`, { argument: 'na', rows: Array.from(dropped.subarray(0, 8)), count: nDrop });
  }
  const n = rowIndex.length;
  if (n === 0) fail('INVALID_INPUT', `${fn}: no rows left: all ${nIn} rows have a missing value in a used column`, { argument: 'table', rows: nIn });

  // Terms: levels from the rows kept, sorted; treatment contrasts.
  let fullCoded = !intercept;
  const terms: PlannedTerm[] = xSrc.map((s) => {
    if (s.kind === 'numeric') return { column: s.name, kind: 'numeric', names: [s.name], source: s };
    const cat: CodeSource = s.kind === 'logical' ? numericToCodes(s, nIn) : (s as CodeSource);
    const count = new Float64Array(cat.levels.length);
    for (let start = 0; start < nIn; start += BLOCK) {
      const m = Math.min(BLOCK, nIn - start);
      cat.read(start, m, cb);
      for (let i = 0; i < m; i++) if (!missing[start + i]) count[cb[i]]++;
    }
    let used = cat.levels.map((_, k) => k).filter((k) => count[k] > 0);
    if (s.kind === 'logical') {
      // R codes a logical as a factor with levels FALSE, TRUE (both named even if one is absent).
      used = used.sort((a, b) => cat.numericLevels![a] - cat.numericLevels![b]);
    } else if (cat.numericLevels) {
      used.sort((a, b) => cat.numericLevels![a] - cat.numericLevels![b]);
    } else {
      used.sort((a, b) => (cat.levels[a] < cat.levels[b] ? -1 : cat.levels[a] > cat.levels[b] ? 1 : 0));
    }
    const levels = used.map((k) => cat.levels[k]);
    if (s.kind === 'logical') {
      if (levels.length < 2) {
        fail('INVALID_INPUT', `${fn}: the logical column ${JSON.stringify(s.name)} is ${levels[0]} in every row used; it cannot be a predictor (leave it out of x)`, { argument: 'x', column: s.name });
      }
    } else {
      if (levels.length > maxLevels) {
        fail('INVALID_INPUT', `${fn}: column ${JSON.stringify(s.name)} has ${levels.length} distinct values: as a factor that is more than ${maxLevels} levels (an identifier or free text?); leave it out of x`, { argument: 'x', column: s.name, levels: levels.length });
      }
      if (levels.length < 2) {
        fail('INVALID_INPUT', `${fn}: the factor ${JSON.stringify(s.name)} has a single level ${JSON.stringify(levels[0])} in the rows used; a factor needs at least two (leave it out of x)`, { argument: 'x', column: s.name });
      }
    }
    // A level with no rows is an error (it would be an all-zero dummy: an aliased coefficient):
    // declared but never used (the levels of a FactorColumn or an Arrow dictionary), or used only
    // by rows dropped for a missing value in another column.
    if (s.kind !== 'logical') {
      for (let k = 0; k < cat.levels.length; k++) {
        if (count[k] > 0) continue;
        let first = -1, all = 0;
        for (let start = 0; start < nIn; start += BLOCK) {
          const m = Math.min(BLOCK, nIn - start);
          cat.read(start, m, cb);
          for (let i = 0; i < m; i++) {
            if (cb[i] === k) { all++; if (first < 0) first = start + i; }
          }
        }
        const lv = JSON.stringify(cat.levels[k]);
        if (all === 0) {
          fail('INVALID_INPUT', `${fn}: level ${lv} of the factor ${JSON.stringify(s.name)} has no rows: it is declared (in the column's levels or its Arrow dictionary) but no row has it; drop the unused level before fitting`, { argument: 'x', column: s.name, level: cat.levels[k] });
        }
        fail('INVALID_INPUT', `${fn}: level ${lv} of the factor ${JSON.stringify(s.name)} has no rows left: its ${all} row${all === 1 ? ' was' : 's were'} dropped for a missing value in another used column (the first is row ${first}); fill in or remove those values, or leave the column out of x`, { argument: 'x', column: s.name, level: cat.levels[k], row: first });
      }
    }
    const full = fullCoded;
    fullCoded = false;
    const remap = new Int32Array(cat.levels.length).fill(-1);
    used.forEach((k, r) => (remap[k] = full ? r : r - 1));
    const names = (full ? levels : levels.slice(1)).map((l) => `${s.name}${l}`);
    const term: PlannedTerm = { column: s.name, kind: s.kind === 'logical' ? 'logical' : 'factor', names, levels, source: cat, remap };
    if (!full) term.reference = levels[0];
    return term;
  });
  const names = terms.flatMap((tm) => tm.names);
  const p = names.length;
  const seen = new Map<string, string>();
  for (const tm of terms) {
    for (const nm of tm.names) {
      const prev = seen.get(nm);
      if (prev !== undefined) fail('INVALID_INPUT', `${fn}: the coefficient name ${JSON.stringify(nm)} arises twice (columns ${JSON.stringify(prev)} and ${JSON.stringify(tm.column)}); rename one of them`, { argument: 'x', name: nm });
      seen.set(nm, tm.column);
    }
  }

  const info: FrameInfo = {
    names, yName, terms: terms.map(({ source: _s, remap: _r, ...rest }) => rest), rowsIn: nIn, rowIndex, dropped,
  };
  if (wName !== undefined) info.weightsName = wName;

  /** Whether rows [start, start + m) are all kept. */
  function blockComplete(start: number, m: number): boolean {
    for (let i = 0; i < m; i++) if (missing[start + i]) return false;
    return true;
  }

  function forEachBlock(chunk: number, emit: (X: Float64Array, y: Float64Array, w: Float64Array | undefined, count: number) => void): void {
    const X = new Float64Array(chunk * p);
    const y = new Float64Array(chunk);
    const w = wSrc ? new Float64Array(chunk) : undefined;
    const bufs = terms.map((tm) => (tm.source.kind === 'codes' ? new Int32Array(BLOCK) : new Float64Array(BLOCK)));
    const yb = new Float64Array(BLOCK);
    const wb = new Float64Array(BLOCK);
    let filled = 0;
    const flush = () => {
      if (filled === 0) return;
      // X was written with stride `chunk`; compact to stride `filled` for a short last block.
      if (filled < chunk) for (let j = 1; j < p; j++) X.copyWithin(j * filled, j * chunk, j * chunk + filled);
      emit(X, y, w, filled);
      filled = 0;
    };
    const allNumeric = terms.every((tm) => !tm.remap);
    for (let start = 0; start < nIn; start += BLOCK) {
      const m = Math.min(BLOCK, nIn - start);
      ySrc.read(start, m, yb);
      if (wSrc) wSrc.read(start, m, wb);
      terms.forEach((tm, k) => {
        if (tm.source.kind === 'codes') tm.source.read(start, m, bufs[k] as Int32Array);
        else tm.source.read(start, m, bufs[k] as Float64Array);
      });
      if (allNumeric && filled + m <= chunk && blockComplete(start, m)) {
        // no row of this block is dropped and every term is one numeric column: copy whole columns
        const r = filled;
        y.set(yb.subarray(0, m), r);
        if (w) w.set(wb.subarray(0, m), r);
        for (let k = 0; k < terms.length; k++) X.set((bufs[k] as Float64Array).subarray(0, m), k * chunk + r);
        filled += m;
        if (filled === chunk) flush();
        continue;
      }
      for (let i = 0; i < m; i++) {
        if (missing[start + i]) continue;
        const r = filled;
        y[r] = yb[i];
        if (w) w[r] = wb[i];
        let col = 0;
        for (let k = 0; k < terms.length; k++) {
          const tm = terms[k];
          if (tm.remap) {
            const width = tm.names.length;
            for (let c = 0; c < width; c++) X[(col + c) * chunk + r] = 0;
            const at = tm.remap[(bufs[k] as Int32Array)[i]];
            if (at >= 0) X[(col + at) * chunk + r] = 1;
            col += width;
          } else {
            X[col * chunk + r] = (bufs[k] as Float64Array)[i];
            col++;
          }
        }
        if (++filled === chunk) flush();
      }
    }
    flush();
  }

  return { ...info, cols: p, hasWeights: wSrc !== undefined, forEachBlock };
}

/**
 * A model frame like R's model.frame + model.matrix: the numeric design (column-major) of a fit
 * to named columns, with coefficient names, the rows used and the rows dropped for missing values.
 * Pass `result.X`, `result.y`, `{ weights: result.weights }` to a fit and `names` to summary().
 */
export function modelFrame(table: ColumnTable, options: ModelFrameOptions): ModelFrame {
  const plan = planFrame(table, options, 'modelFrame');
  const n = plan.rowIndex.length;
  const p = plan.cols;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const weights = plan.hasWeights ? new Float64Array(n) : undefined;
  let r0 = 0;
  plan.forEachBlock(Math.min(n, 65536), (Xb, yb, wb, count) => {
    for (let j = 0; j < p; j++) X.set(Xb.subarray(j * count, (j + 1) * count), j * n + r0);
    y.set(yb.subarray(0, count), r0);
    if (weights && wb) weights.set(wb.subarray(0, count), r0);
    r0 += count;
  });
  const { forEachBlock: _f, cols: _c, hasWeights: _h, ...info } = plan;
  const out: ModelFrame = { ...info, X: { data: X, rows: n, cols: p, layout: 'column-major' }, y };
  if (weights) out.weights = weights;
  return out;
}
