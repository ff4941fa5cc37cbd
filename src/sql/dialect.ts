// SQL dialects: the few places where the text robustreg emits differs between engines. Everything
// else is plain SQL-92 that DuckDB, PostgreSQL, Spark SQL and BigQuery all accept (WITH, CASE, CAST,
// SUM, COUNT, MIN, SQRT, ABS): identifier quoting, the name of the float64 type, the summation
// function, and the deterministic row hash that draws the subsample of sql.quantile.
import { RobustRegError, describe } from '../errors.js';

/** The SQL dialects robustreg can emit. */
export type SqlDialect = 'duckdb' | 'postgres' | 'spark' | 'bigquery';

export const DIALECTS: readonly SqlDialect[] = ['duckdb', 'postgres', 'spark', 'bigquery'];

/** Subsample buckets of the row hash: a row is drawn when hash mod 2^30 < K (K = fraction · 2^30). */
export const HASH_BUCKETS = 1073741824;

export interface Dialect {
  readonly name: SqlDialect;
  /** A quoted identifier (a column name exactly as the table spells it). */
  ident(name: string): string;
  /** The float64 type name. */
  readonly double: string;
  /**
   * The sum of a float64 expression. DuckDB: `fsum`, Kahan–Babuška–Neumaier compensated summation
   * (error ≈ 2u·Σ|terms| whatever the row count and the order the engine's threads combine in).
   * The others: SUM, recursive or pairwise in the engine's own order (error ≤ (n − 1)u·Σ|terms|,
   * typically ≈ √n·u·Σ|terms|).
   */
  sum(expr: string): string;
  /** An integer in [0, 2^30) computed from the row's values and a seed: the subsample's row hash. */
  bucket(cols: readonly string[], seed: number): string;
}

function quoteWith(q: string): (name: string) => string {
  return (name) => q + name.split(q).join(q + q) + q;
}

const DUCKDB: Dialect = {
  name: 'duckdb',
  ident: quoteWith('"'),
  double: 'DOUBLE',
  sum: (e) => `fsum(${e})`,
  // hash() of DuckDB: a 64-bit UBIGINT hash of all its arguments (non-negative, so % is a bucket).
  bucket: (cols, seed) => `(hash(${[...cols, String(seed)].join(', ')}) % ${HASH_BUCKETS})`,
};

const POSTGRES: Dialect = {
  name: 'postgres',
  ident: quoteWith('"'),
  double: 'DOUBLE PRECISION',
  sum: (e) => `SUM(${e})`,
  // hashtextextended(text, seed) (PostgreSQL ≥ 11) of the row's values as text (float8 prints
  // round-trip exactly by default since PostgreSQL 12); a signed bigint, folded into [0, 2^30).
  bucket: (cols, seed) =>
    `(MOD(MOD(hashtextextended(concat_ws('|', ${cols.join(', ')}), ${seed}), ${HASH_BUCKETS}) + ${HASH_BUCKETS}, ${HASH_BUCKETS}))`,
};

const SPARK: Dialect = {
  name: 'spark',
  ident: quoteWith('`'),
  double: 'DOUBLE',
  sum: (e) => `SUM(${e})`,
  // xxhash64(cols..., seed): a signed 64-bit hash; pmod folds it into [0, 2^30).
  bucket: (cols, seed) => `pmod(xxhash64(${[...cols, String(seed)].join(', ')}), ${HASH_BUCKETS})`,
};

const BIGQUERY: Dialect = {
  name: 'bigquery',
  ident: quoteWith('`'),
  double: 'FLOAT64',
  sum: (e) => `SUM(${e})`,
  // FARM_FINGERPRINT of the values as a JSON array (doubles print round-trip exactly); a signed INT64.
  bucket: (cols, seed) =>
    `MOD(MOD(FARM_FINGERPRINT(TO_JSON_STRING([${[...cols, String(seed)].map((c) => `CAST(${c} AS FLOAT64)`).join(', ')}])), ${HASH_BUCKETS}) + ${HASH_BUCKETS}, ${HASH_BUCKETS})`,
};

const BY_NAME: Record<SqlDialect, Dialect> = { duckdb: DUCKDB, postgres: POSTGRES, spark: SPARK, bigquery: BIGQUERY };

export function dialectOf(v: unknown, fn: string): Dialect {
  if (v === undefined) return DUCKDB;
  if (typeof v !== 'string' || !(DIALECTS as readonly string[]).includes(v)) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option dialect must be one of ${DIALECTS.map((d) => `'${d}'`).join(', ')}, received ${describe(v)}`, { argument: 'dialect', value: v });
  }
  return BY_NAME[v as SqlDialect];
}

/**
 * A float64 constant that every dialect reads back as exactly the same double: the shortest
 * round-trip decimal with an exponent (so no engine types it DECIMAL/NUMERIC), cast to float64.
 */
export function lit(d: Dialect, v: number): string {
  if (!Number.isFinite(v)) throw new RobustRegError('INTERNAL', `SQL literal of a non-finite number (${v})`, {});
  let s = String(v === 0 ? 0 : v); // -0 → 0
  if (!/e/i.test(s)) s += 'e0';
  else s = s.replace('e+', 'e');
  return `CAST(${s} AS ${d.double})`;
}
