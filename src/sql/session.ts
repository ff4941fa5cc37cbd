// The adapter side of sql.*: the options every SQL entry point shares, the one place queries are
// sent (counting queries and fetched rows, turning adapter failures into QUERY_FAILED, honouring the
// AbortSignal between and during queries), the probe that resolves and type-checks the columns, and
// the base relation `t` every statement reads: the used columns cast to float64, aliased, with the
// rows that have a NULL in a used column dropped (R's na.omit, as modelFrame does) or refused.
import { RobustRegError, describe } from '../errors.js';
import { checkOptionsObject, optBool, optFunction, optSignal } from '../data/options.js';
import { dialectOf, type Dialect } from './dialect.js';

/** A database: anything with `query(text)` resolving to the result rows as plain objects. */
export interface SqlDatabase {
  /**
   * Run one SQL statement and resolve to its rows, each an object from column name to value
   * (numbers; bigints and numeric strings are accepted too). `options.signal` is robustreg's
   * AbortSignal, for adapters that can interrupt a running statement.
   */
  query(text: string, options?: { signal?: AbortSignal }): Promise<ReadonlyArray<Record<string, unknown>>>;
}

/** What sql.leastSquares / sql.quantile report while they run (once after every statement). */
export interface SqlProgress {
  /** The step just finished: 'probe', 'moments', 'sample', 'globs', 'band', 'verify', 'fixups'. */
  stage: string;
  /** Statements sent so far. */
  queries: number;
  /** Data rows returned by the engine so far (the probe row, the subsample, the band, fixed-up rows). */
  rowsFetched: number;
  /** sql.quantile: globbing rounds so far (local solves of band + glob rows); 0 before the first. */
  round: number;
  /** sql.quantile: the objective at the latest fit, over all rows (NaN until known). */
  objective: number;
}

/** The used columns, resolved against the table's own spelling. */
export interface Columns {
  y: string;
  x: string[];
  weights: string | undefined;
}

export const COMMON_SQL_OPTIONS = ['y', 'x', 'weights', 'dialect', 'intercept', 'na', 'onProgress', 'signal'] as const;

export interface CommonSql {
  cols: Columns;
  dialect: Dialect;
  intercept: boolean;
  na: 'omit' | 'fail';
  onProgress: ((p: SqlProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}

/** Check the options every SQL entry point shares (before any statement is sent). */
export function readCommonSql(fn: string, options: unknown, extra: readonly string[]): { c: CommonSql; o: Record<string, unknown> } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: options must be an object naming the columns ({ y, x }), received ${describe(options)}`, { argument: 'options' });
  }
  const o = checkOptionsObject(options, [...COMMON_SQL_OPTIONS, ...extra], fn);
  const y = columnName(fn, 'y', o.y);
  if (!Array.isArray(o.x)) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option x must be an array of column names, received ${describe(o.x)}`, { argument: 'x', value: o.x });
  }
  const x = (o.x as unknown[]).map((v, j) => columnName(fn, `x[${j}]`, v));
  const seen = new Set<string>();
  for (const name of x) {
    if (seen.has(name.toLowerCase())) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: option x names column ${JSON.stringify(name)} twice`, { argument: 'x', value: name });
    }
    seen.add(name.toLowerCase());
  }
  const weights = o.weights === undefined ? undefined : columnName(fn, 'weights', o.weights);
  const dialect = dialectOf(o.dialect, fn);
  const intercept = optBool(o, 'intercept', true);
  if (!intercept && x.length === 0) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option intercept must be true when x names no columns (there is nothing to fit), received false`, { argument: 'intercept', value: false });
  }
  const na = o.na === undefined ? 'omit' : o.na;
  if (na !== 'omit' && na !== 'fail') {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option na must be 'omit' or 'fail', received ${describe(na)}`, { argument: 'na', value: na });
  }
  const onProgress = optFunction<(p: SqlProgress) => void>(o, 'onProgress');
  const signal = optSignal(o);
  return { c: { cols: { y, x, weights }, dialect, intercept, na, onProgress, signal }, o };
}

function columnName(fn: string, option: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option ${option} must be a column name (a non-empty string), received ${describe(v)}`, { argument: option, value: v });
  }
  return v;
}

/** The source: a table name (or table function) or a parenthesised subquery; one statement only. */
export function checkSource(fn: string, source: unknown): string {
  if (typeof source !== 'string' || source.trim().length === 0) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: source must be a table name or a parenthesised subquery (a non-empty string), received ${describe(source)}`, { argument: 'source', value: source });
  }
  if (source.includes(';')) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: source must be one table name or subquery, without ';', received ${describe(source)}`, { argument: 'source', value: source });
  }
  return source.trim();
}

export function checkDb(fn: string, db: unknown): SqlDatabase {
  if (typeof db !== 'object' || db === null || typeof (db as { query?: unknown }).query !== 'function') {
    throw new RobustRegError('INVALID_INPUT', `${fn}: db must be an object with a query(text) method returning a promise of row objects, received ${describe(db)}`, { argument: 'db', value: db });
  }
  return db as SqlDatabase;
}

// ------------------------------------------------------------------------------------- statements

/** Aliases of the base relation's columns: x columns rx1..rxp, y ry, weights rw. */
export const Y = 'ry';
export const W = 'rw';
export const xAlias = (j: number): string => `rx${j + 1}`;

/**
 * The base relation: used columns cast to float64 under fixed aliases, complete rows only.
 * `complete` is the predicate "no used column is NULL" over the raw source.
 */
export function baseRelation(d: Dialect, source: string, cols: Columns): { t: string; complete: string } {
  const used = [cols.y, ...cols.x, ...(cols.weights === undefined ? [] : [cols.weights])];
  const complete = used.map((c) => `${d.ident(c)} IS NOT NULL`).join(' AND ');
  const sel = [
    `CAST(${d.ident(cols.y)} AS ${d.double}) AS ${Y}`,
    ...cols.x.map((c, j) => `CAST(${d.ident(c)} AS ${d.double}) AS ${xAlias(j)}`),
    ...(cols.weights === undefined ? [] : [`CAST(${d.ident(cols.weights)} AS ${d.double}) AS ${W}`]),
  ];
  return { t: `SELECT ${sel.join(', ')} FROM ${source} AS src WHERE ${complete}`, complete };
}

/** SUM that is 0 (not NULL) over no rows. */
export function sum0(d: Dialect, e: string): string {
  return `COALESCE(${d.sum(e)}, 0)`;
}

// ----------------------------------------------------------------------------------------- runner

/** Sends the statements of one call: counts them, fetches, converts, cancels. */
export class Session {
  queries = 0;
  rowsFetched = 0;
  round = 0;
  objective = NaN;
  /** Every statement sent, in order (returned to the caller for inspection and replay). */
  readonly log: string[] = [];

  constructor(readonly fn: string, readonly db: SqlDatabase, readonly c: CommonSql) {}

  checkAborted(): void {
    if (this.c.signal?.aborted) {
      throw new RobustRegError('CANCELLED', `${this.fn}: cancelled through options.signal (after ${this.queries} statements)`, { queries: this.queries });
    }
  }

  /** Run one statement; resolves to its rows. Adapter failures become QUERY_FAILED. */
  async run(text: string, stage: string, dataRows = false): Promise<ReadonlyArray<Record<string, unknown>>> {
    this.checkAborted();
    const signal = this.c.signal;
    this.queries++;
    this.log.push(text);
    let rows: unknown;
    try {
      const p = Promise.resolve(this.db.query(text, signal ? { signal } : {}));
      if (signal) {
        let onAbort: (() => void) | undefined;
        const aborted = new Promise<never>((_, reject) => {
          onAbort = () => reject(new RobustRegError('CANCELLED', `${this.fn}: cancelled through options.signal (during statement ${this.queries}, ${stage})`, { queries: this.queries, stage }));
          signal.addEventListener('abort', onAbort, { once: true });
        });
        p.catch(() => undefined); // a statement still running when the call is cancelled: its outcome is dropped
        try {
          rows = await Promise.race([p, aborted]);
        } finally {
          signal.removeEventListener('abort', onAbort!);
        }
      } else {
        rows = await p;
      }
    } catch (e) {
      if (e instanceof RobustRegError) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      throw new RobustRegError('QUERY_FAILED', `${this.fn}: the database failed on statement ${this.queries} (${stage}): ${msg}`, { stage, statement: text, cause: e });
    }
    if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null)) {
      throw new RobustRegError('QUERY_FAILED', `${this.fn}: db.query must resolve to an array of row objects, received ${describe(rows)} (statement ${this.queries}, ${stage})`, { stage, statement: text });
    }
    if (dataRows) this.rowsFetched += rows.length;
    this.checkAborted();
    return rows as ReadonlyArray<Record<string, unknown>>;
  }

  /** Run an aggregate statement returning one row of numbers named a0, a1, …; returns them in order. */
  async numbers(text: string, stage: string, count: number): Promise<Float64Array> {
    const rows = await this.run(text, stage);
    if (rows.length !== 1) {
      throw new RobustRegError('QUERY_FAILED', `${this.fn}: an aggregate statement (${stage}) returned ${rows.length} rows, expected 1`, { stage, statement: text });
    }
    const get = keyGetter(rows[0]);
    const out = new Float64Array(count);
    for (let k = 0; k < count; k++) out[k] = toNumber(this.fn, get(`a${k}`), `a${k}`, stage);
    return out;
  }

  /** Fetch data rows (columns ry, rx1.., rw) into column arrays. */
  async fetch(text: string, stage: string): Promise<Fetched> {
    const rows = await this.run(text, stage, true);
    const p = this.c.cols.x.length;
    const n = rows.length;
    const y = new Float64Array(n);
    const X = new Float64Array(n * p); // column-major
    const w = this.c.cols.weights === undefined ? undefined : new Float64Array(n);
    if (n > 0) {
      const get = keyGetter(rows[0]);
      const keys = [Y, ...this.c.cols.x.map((_, j) => xAlias(j)), ...(w ? [W] : [])].map((k) => get.key(k));
      for (let i = 0; i < n; i++) {
        const r = rows[i];
        y[i] = toNumber(this.fn, r[keys[0]], Y, stage);
        for (let j = 0; j < p; j++) X[j * n + i] = toNumber(this.fn, r[keys[1 + j]], xAlias(j), stage);
        if (w) w[i] = toNumber(this.fn, r[keys[1 + p]], W, stage);
      }
    }
    return { n, X, y, w };
  }

  progress(stage: string): void {
    this.c.onProgress?.({ stage, queries: this.queries, rowsFetched: this.rowsFetched, round: this.round, objective: this.objective });
  }

  changed(what: string, before: number, after: number): RobustRegError {
    return new RobustRegError('DATA_CHANGED', `${this.fn}: the source changed between statements: ${what} was ${before}, now ${after}; nothing was fitted (run again on a stable snapshot)`, { what, before, after });
  }
}

export interface Fetched {
  n: number;
  /** Column-major n × p. */
  X: Float64Array;
  y: Float64Array;
  w: Float64Array | undefined;
}

/** Row keys looked up case-insensitively (engines fold unquoted aliases to lower or upper case). */
function keyGetter(row: Record<string, unknown>): ((k: string) => unknown) & { key(k: string): string } {
  const map = new Map<string, string>();
  for (const k of Object.keys(row)) if (!map.has(k.toLowerCase())) map.set(k.toLowerCase(), k);
  const key = (k: string): string => (k in row ? k : map.get(k.toLowerCase()) ?? k);
  const f = ((k: string) => row[key(k)]) as ((k: string) => unknown) & { key(k: string): string };
  f.key = key;
  return f;
}

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$|^\s*[+-]?(?:Infinity|inf|NaN)\s*$/i;

/** A value the engine returned as a number (number, bigint or numeric string; NULL → NaN). */
function toNumber(fn: string, v: unknown, key: string, stage: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v.trim().replace(/^([+-]?)inf$/i, '$1Infinity'));
  throw new RobustRegError('QUERY_FAILED', `${fn}: column ${key} of a result (${stage}) is ${describe(v)}, expected a number`, { stage, column: key, value: v });
}

/** Is a value the driver returned a number (or a numeric string, as drivers return DECIMAL)? */
function isNumericValue(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  return typeof v === 'string' && NUMERIC.test(v);
}

// ------------------------------------------------------------------------------------------ probe

/**
 * Resolve the column names against the source (`SELECT * … LIMIT 1`: unknown columns are named with
 * the ones that exist) and check each used column holds numbers (its first non-NULL value).
 */
export async function probe(s: Session, source: string): Promise<Columns> {
  const d = s.c.dialect;
  const rows = await s.run(`SELECT * FROM ${source} AS src LIMIT 1`, 'probe', true);
  if (rows.length === 0) {
    throw new RobustRegError('INVALID_INPUT', `${s.fn}: source ${source} has no rows`, { argument: 'source', rows: 0 });
  }
  const row = rows[0];
  const have = Object.keys(row);
  const resolve = (option: string, name: string): string => {
    if (have.includes(name)) return name;
    const ci = have.filter((k) => k.toLowerCase() === name.toLowerCase());
    if (ci.length === 1) return ci[0];
    throw new RobustRegError('INVALID_INPUT', `${s.fn}: option ${option} names column ${JSON.stringify(name)}, which ${source} does not have; its columns are ${have.map((k) => JSON.stringify(k)).join(', ')}`, { argument: option, value: name, columns: have });
  };
  const c = s.c.cols;
  const cols: Columns = {
    y: resolve('y', c.y),
    x: c.x.map((n, j) => resolve(`x[${j}]`, n)),
    weights: c.weights === undefined ? undefined : resolve('weights', c.weights),
  };
  const used: Array<[string, string]> = [['y', cols.y], ...cols.x.map((n, j): [string, string] => [`x[${j}]`, n]),
    ...(cols.weights === undefined ? [] : [['weights', cols.weights] as [string, string]])];
  for (const [option, name] of used) {
    let v = row[name];
    if (v === null || v === undefined) {
      const more = await s.run(`SELECT ${d.ident(name)} AS v FROM ${source} AS src WHERE ${d.ident(name)} IS NOT NULL LIMIT 1`, 'probe', true);
      if (more.length === 0) {
        throw new RobustRegError('INVALID_INPUT', `${s.fn}: column ${JSON.stringify(name)} (option ${option}) is NULL in every row of ${source}`, { argument: option, value: name });
      }
      v = Object.values(more[0])[0];
    }
    if (!isNumericValue(v)) {
      throw new RobustRegError('INVALID_INPUT', `${s.fn}: column ${JSON.stringify(name)} (option ${option}) is not numeric: the database returned ${describe(v)}`, { argument: option, value: name, sample: v });
    }
  }
  s.progress('probe');
  return cols;
}
