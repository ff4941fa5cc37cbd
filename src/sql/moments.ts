// Least squares over a table in a SQL engine: the engine computes the weighted, centered co-moments
// of V = [X | y] in one statement of two passes, robustreg solves from them (GramAccumulator).
//
// Why two passes. The one-pass formula C = Σ w v vᵀ − W m mᵀ subtracts two numbers of size
// W·(|m|² + s²) to get one of size W·s² (s: spread, m: mean): it loses log10(1 + m²/s²) digits
// to cancellation — all 16 for a timestamp column (m/s ≈ 1e8). Two passes (means first, then the
// products of deviations) never cancel: every term of the second pass has the size of the result.
// The second pass also sums the deviations themselves, S_j = Σ w (v_j − m_j), which would be 0 in
// exact arithmetic; adding S_j/W to the mean and subtracting S Sᵀ/W from C is the "corrected
// two-pass algorithm" (Chan, Golub & LeVeque 1983), which removes the first-order effect of the
// rounding error in the means.
//
// Accuracy. With u = 2⁻⁵³ and ε the summation error of the engine's SUM relative to Σ|terms| —
// ε ≈ 2u for DuckDB's fsum (compensated), ε ≤ (n−1)u for a recursive SUM (typically √n·u; pairwise
// or tree-parallel sums: log2(n)·u) — each co-moment satisfies |ΔC_jk| ≤ (ε + 4u)·√(C_jj C_kk)
// (Cauchy–Schwarz bounds Σ|terms|), i.e. the correlation matrix is known to ε + 4u absolutely.
// The coefficients then carry a relative error of about κ(Corr(X))·(ε + 4u), where κ(Corr(X)) =
// κ(Z)² is the condition number of the correlation matrix of X (Z: the centered, column-scaled
// design) — the normal-equations bound, against κ(Z)·u for the in-memory ols() (QR + refinement).
// On well-conditioned data (κ(Corr) ≤ 1e3) with DuckDB this is ≤ 1e-12; an ill-conditioned design
// (NIST Longley, Filip) should be fitted in memory or with a better-conditioned parametrisation.
import { RobustRegError } from '../errors.js';
import { GramAccumulator, type GramMoments } from '../fit/accumulator.js';
import type { L2Result } from '../fit/result.js';
import { lit, type Dialect } from './dialect.js';
import {
  Session, W, Y, baseRelation, checkDb, checkSource, probe, readCommonSql, sum0, xAlias,
  type Columns, type SqlDatabase, type SqlProgress,
} from './session.js';
import type { SqlDialect } from './dialect.js';

/** Options of sql.momentsQuery. */
export interface SqlMomentsOptions {
  /** The response column. */
  y: string;
  /** The predictor columns, in coefficient order. */
  x: readonly string[];
  /** A column of non-negative weights (default: every row weighs 1). */
  weights?: string;
  /** The SQL dialect to emit (default 'duckdb'). */
  dialect?: SqlDialect;
  /** Rows with a NULL in a used column: 'omit' (default: dropped, R's na.omit) or 'fail'. */
  na?: 'omit' | 'fail';
}

/** Options of sql.leastSquares. */
export interface SqlLeastSquaresOptions extends SqlMomentsOptions {
  /** Fit an intercept (default true). */
  intercept?: boolean;
  /** Called after every statement. */
  onProgress?: (p: SqlProgress) => void;
  /** Cancels between statements and while one runs (CANCELLED). */
  signal?: AbortSignal;
}

/** What sql.momentsQuery returns: the statement, and the reader of its one result row. */
export interface SqlMomentsQuery {
  /** One SQL statement (two passes over the data: means, then centered products); its result is one row. */
  text: string;
  /** Turn the statement's result row into the moments GramAccumulator.fromMoments takes (validated). */
  moments(row: Record<string, unknown>): GramMoments;
}

/** What sql.leastSquares returns: ols()'s result, plus what the database did. */
export interface SqlL2Result extends L2Result {
  /** Statements sent to the database. */
  queries: number;
  /** Data rows returned by the database (the probe's one row; the fit itself fetches none). */
  rowsFetched: number;
  /** Rows skipped for a NULL in a used column (na: 'omit'). */
  rowsOmitted: number;
  /** The statements sent, in order. */
  statements: string[];
}

/** Number of values the moments statement returns for p columns of X. */
function layout(p: number): { count: number; mean: number; s: number; c: (j: number, k: number) => number } {
  const q = p + 1;
  // a0 n_all, a1 n (complete rows), a2 positive-weight rows, a3 W, a4 min weight, a5 n in pass 2,
  // a6.. means (q), then S (q), then C upper triangle row by row
  const mean = 6;
  const s = mean + q;
  const c0 = s + q;
  const idx = (j: number, k: number): number => c0 + j * q - (j * (j - 1)) / 2 + (k - j);
  return { count: c0 + (q * (q + 1)) / 2, mean, s, c: idx };
}

/** The moments statement over `source` (its used columns already resolved). */
export function momentsStatement(d: Dialect, source: string, cols: Columns): string {
  const p = cols.x.length;
  const q = p + 1;
  const { t } = baseRelation(d, source, cols);
  const v = (j: number): string => (j < p ? xAlias(j) : Y); // V = [X | y]
  const hasW = cols.weights !== undefined;
  const wt = (e: string): string => (hasW ? `${W} * ${e}` : e);
  const m = (j: number): string => `m${j}`;
  const mSel = [
    `CAST(COUNT(*) AS ${d.double}) AS n1`,
    hasW ? `${sum0(d, W)} AS sw` : `CAST(COUNT(*) AS ${d.double}) AS sw`,
    hasW ? `CAST(COALESCE(SUM(CASE WHEN ${W} > 0 THEN 1 ELSE 0 END), 0) AS ${d.double}) AS npos` : `CAST(COUNT(*) AS ${d.double}) AS npos`,
    hasW ? `MIN(${W}) AS wmin` : `${lit(d, 1)} AS wmin`,
    ...Array.from({ length: q }, (_, j) => `COALESCE(${d.sum(wt(v(j)))} / NULLIF(${hasW ? d.sum(W) : 'COUNT(*)'}, 0), 0) AS ${m(j)}`),
  ];
  const dev = (j: number): string => `(t.${v(j)} - m.${m(j)})`;
  const cSel = [
    `CAST(COUNT(*) AS ${d.double}) AS n2`,
    ...Array.from({ length: q }, (_, j) => `${sum0(d, hasW ? `t.${W} * ${dev(j)}` : dev(j))} AS s${j}`),
  ];
  for (let j = 0; j < q; j++) {
    for (let k = j; k < q; k++) cSel.push(`${sum0(d, `${hasW ? `t.${W} * ` : ''}${dev(j)} * ${dev(k)}`)} AS c${j}_${k}`);
  }
  const out = [
    `(SELECT CAST(COUNT(*) AS ${d.double}) FROM ${source} AS src0) AS a0`, 'm.n1 AS a1', 'm.npos AS a2', 'm.sw AS a3', 'm.wmin AS a4', 'c.n2 AS a5',
  ];
  const L = layout(p);
  for (let j = 0; j < q; j++) out.push(`m.${m(j)} AS a${L.mean + j}`);
  for (let j = 0; j < q; j++) out.push(`c.s${j} AS a${L.s + j}`);
  for (let j = 0; j < q; j++) for (let k = j; k < q; k++) out.push(`c.c${j}_${k} AS a${L.c(j, k)}`);
  // The base relation is written out in both passes rather than shared as a CTE: an engine may
  // materialise a CTE referenced twice (DuckDB does), holding every row in memory between the passes.
  return `WITH m AS (SELECT ${mSel.join(', ')} FROM (${t}) AS t),\n`
    + `c AS (SELECT ${cSel.join(', ')} FROM (${t}) AS t CROSS JOIN m)\n`
    + `SELECT ${out.join(', ')} FROM m CROSS JOIN c`;
}

/**
 * Read the moments statement's row: checks (NULL rows under na: 'fail', NaN/±Infinity, negative or
 * all-zero weights, a source that changed between the passes) and the corrected two-pass moments.
 */
export function readMoments(fn: string, a: Float64Array, cols: Columns, na: 'omit' | 'fail'): GramMoments & { omitted: number } {
  const p = cols.x.length;
  const q = p + 1;
  const L = layout(p);
  const [nAll, n, nPos, Wsum, wmin, n2] = a;
  const omitted = nAll - n;
  if (na === 'fail' && omitted > 0) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: ${omitted} row${omitted === 1 ? ' has' : 's have'} a NULL in a used column; pass na: 'omit' to drop them`, { argument: 'na', count: omitted });
  }
  if (!(n > 0)) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: no rows to fit (${nAll} rows in the source, ${omitted} with a NULL in a used column)`, { argument: 'source', rows: n });
  }
  if (n2 !== n) throw new SessionLess(fn).changed('the number of complete rows', n, n2);
  const names = [...cols.x, cols.y];
  for (let j = 0; j < q; j++) {
    for (const [what, v] of [['mean', a[L.mean + j]], ['centered sum of squares', a[L.c(j, j)]]] as const) {
      if (!Number.isFinite(v)) {
        throw new RobustRegError('NON_FINITE', `${fn}: column ${JSON.stringify(names[j])} holds NaN or ±Infinity, or its ${what} overflows double precision (${v})`, { argument: j < p ? `x[${j}]` : 'y', value: names[j] });
      }
    }
  }
  if (cols.weights !== undefined) {
    if (!Number.isFinite(Wsum)) {
      throw new RobustRegError('NON_FINITE', `${fn}: the weights column ${JSON.stringify(cols.weights)} holds NaN or ±Infinity, or its sum overflows (${Wsum})`, { argument: 'weights', value: cols.weights });
    }
    if (wmin < 0) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: the weights column ${JSON.stringify(cols.weights)} has negative values (minimum ${wmin}); weights must be ≥ 0`, { argument: 'weights', value: wmin });
    }
    if (!(Wsum > 0)) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: the weights column ${JSON.stringify(cols.weights)} is 0 in every row; at least one row needs a positive weight`, { argument: 'weights', value: cols.weights });
    }
  }
  const mean = new Float64Array(q);
  const meanLo = new Float64Array(q);
  const S = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    S[j] = a[L.s + j];
    const hi = a[L.mean + j];
    const corr = S[j] / Wsum; // corrected two-pass: the mean's own rounding error, measured
    const h = hi + corr;
    mean[j] = h;
    meanLo[j] = corr - (h - hi);
  }
  const C = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    for (let k = j; k < q; k++) {
      const v = a[L.c(j, k)] - (S[j] * S[k]) / Wsum;
      C[j * q + k] = v;
      C[k * q + j] = v;
    }
  }
  for (let j = 0; j < q; j++) if (C[j * q + j] < 0) C[j * q + j] = 0;
  return { rows: n, positiveRows: nPos, weightSum: Wsum, mean, meanLo, comoments: C, omitted };
}

/** Only for the DATA_CHANGED message outside a session (momentsQuery's reader). */
class SessionLess {
  constructor(readonly fn: string) {}
  changed(what: string, before: number, after: number): RobustRegError {
    return new RobustRegError('DATA_CHANGED', `${this.fn}: the source changed between passes: ${what} was ${before}, now ${after}; run again on a stable snapshot`, { what, before, after });
  }
}

/**
 * The moments statement for `source`, to run anywhere; `moments(row)` reads its result row for
 * `GramAccumulator.fromMoments`. Column names are used as given (quoted), so they must match the
 * table's spelling.
 */
export function momentsQuery(source: string, options: SqlMomentsOptions): SqlMomentsQuery {
  const fn = 'sql.momentsQuery';
  const src = checkSource(fn, source);
  const { c } = readCommonSql(fn, options, []);
  const text = momentsStatement(c.dialect, src, c.cols);
  const p = c.cols.x.length;
  const count = layout(p).count;
  return {
    text,
    moments(row: Record<string, unknown>): GramMoments {
      const rfn = 'sql.momentsQuery(...).moments';
      if (typeof row !== 'object' || row === null) {
        throw new RobustRegError('INVALID_INPUT', `${rfn}: row must be the statement's result row (an object), received ${String(row)}`, { argument: 'row' });
      }
      const lower = new Map(Object.keys(row).map((k) => [k.toLowerCase(), k]));
      const a = new Float64Array(count);
      for (let k = 0; k < count; k++) {
        const key = lower.get(`a${k}`);
        const v = key === undefined ? undefined : row[key];
        const x = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
        if (key === undefined || (Number.isNaN(x) && !(typeof v === 'number'))) {
          throw new RobustRegError('INVALID_INPUT', `${rfn}: row.a${k} must be a number (the statement's column a${k}), received ${v === undefined ? 'nothing' : String(v)}`, { argument: `row.a${k}` });
        }
        a[k] = x;
      }
      const { omitted: _omitted, ...m } = readMoments(rfn, a, c.cols, c.na);
      return m;
    },
  };
}

/**
 * Weighted least squares over a table in a SQL engine: one statement computes the co-moments, the
 * solve is GramAccumulator's (the same scaling, Cholesky/QR choice, rcond and rank errors as ols()).
 */
export async function leastSquares(db: SqlDatabase, source: string, options: SqlLeastSquaresOptions): Promise<SqlL2Result> {
  const fn = 'sql.leastSquares';
  const dbc = checkDb(fn, db);
  const src = checkSource(fn, source);
  const { c } = readCommonSql(fn, options, []);
  const s = new Session(fn, dbc, c);
  s.checkAborted();
  const cols = await probe(s, src);
  const L = layout(cols.x.length);
  const a = await s.numbers(momentsStatement(c.dialect, src, cols), 'moments', L.count);
  s.progress('moments');
  const { omitted, ...m } = readMoments(fn, a, cols, c.na);
  const acc = GramAccumulator.fromMoments(m);
  const r = acc.solve({ intercept: c.intercept }) as SqlL2Result;
  r.queries = s.queries;
  r.rowsFetched = s.rowsFetched;
  r.rowsOmitted = omitted;
  r.statements = s.log.slice();
  return r;
}
