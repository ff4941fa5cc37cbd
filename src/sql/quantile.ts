// Exact L1 / quantile regression over a table in a SQL engine, by Portnoy & Koenker's globbing
// ("The Gaussian hare and the Laplacian tortoise", Statistical Science 1997; quantreg's rq.fit.pfn),
// with the engine doing every pass over all rows and robustreg only the small exact solves:
//
//  1. sample   m = ((P+1)·n)^(2/3) rows drawn by a deterministic hash of each row's values
//              (no RNG state: the same table gives the same sample), fetched and fitted (b̂).
//  2. band     from the sample: the leverage-scaled residual z = r / bw(x), bw(x)² = x̃ᵀ(X̃ᵀX̃)⁻¹x̃
//              (computed as 1/m + ‖L⁻¹(x − x̄)‖², L Lᵀ the sample's centered cross-products), and
//              its quantiles κ_lo, κ_hi at τ ∓ M/(2n), M = 0.8·m. Rows with r < κ_lo·bw go to the
//              lower glob, r > κ_hi·bw to the upper glob, the rest (≈ M rows) form the band.
//  3. globs    one aggregate statement: for each glob its row count, Σw, Σw·y and Σw·x_j.
//  4. band     the band's rows are fetched.
//  5. solve    the exact kernel (lad/quantile) on band + two pseudo-rows: the glob's weighted mean
//              row with weight Σw. While every globbed row stays on its side, ρ_τ of the pseudo-row
//              is exactly the sum of ρ_τ of its rows, so the local objective IS the full objective.
//  6. verify   one aggregate statement at the new fit: globbed rows now on the wrong side (counts),
//              the new globs' sums, the full objective Σ w ρ_τ(r) over all rows, the row count.
//              Wrong-side rows are fetched and moved into the band (a "fixup"), and 5–6 repeat;
//              too many (> 0.1·M) or more than 3 fixup rounds double m and start again from 1.
//  7. certificate  primal = the engine's Σ w ρ_τ(r) over ALL rows at the returned fit; dual = the
//              local solve's dual objective. The local dual point extends to a dual-feasible point
//              of the full problem (each globbed row takes its pseudo-row's dual value, in [τ−1, τ];
//              Xᵀ(w∘d) is unchanged because the pseudo-row is the weighted sum of its rows), with the
//              same dual objective — so primal − dual bounds the distance to the optimum of the full
//              table, whatever happened before. Every statement re-counts the rows (DATA_CHANGED if
//              the table moved under the fit).
import { RobustRegError } from '../errors.js';
import { opt } from '../fit/option-table.js';
import type { L1Result } from '../fit/result.js';
import { checkTau, finish, solveL1 } from '../fit/solvers.js';
import { fail, optBackend, type BackendChoice } from '../data/options.js';
import { lit, type Dialect } from './dialect.js';
import {
  Session, W, Y, baseRelation, checkDb, checkSource, probe, readCommonSql, sum0, xAlias,
  type Fetched, type SqlDatabase, type SqlProgress,
} from './session.js';
import type { SqlDialect } from './dialect.js';

/** Options of sql.quantile. */
export interface SqlQuantileOptions {
  /** The response column. */
  y: string;
  /** The predictor columns, in coefficient order. */
  x: readonly string[];
  /** A column of non-negative weights (default: every row weighs 1). */
  weights?: string;
  /** The quantile level in (0, 1) (default 0.5: least absolute deviations, in ρ_½ = |r|/2 units). */
  tau?: number;
  /** The SQL dialect to emit (default 'duckdb'). */
  dialect?: SqlDialect;
  /** Fit an intercept (default true). */
  intercept?: boolean;
  /** Rows with a NULL in a used column: 'omit' (default: dropped, R's na.omit) or 'fail'. */
  na?: 'omit' | 'fail';
  /** Relative duality-gap tolerance of the local solves and of the final certificate (default 1e-10). */
  tol?: number;
  /** Iteration cap of each local solve (default 10000). */
  maxIter?: number;
  /** Seed of the subsample's row hash (default 20220); another seed draws another subsample. */
  seed?: number;
  /** Backend of the local solves: 'auto' (default), 'wasm' or 'js'. */
  backend?: BackendChoice;
  /** Called after every statement. */
  onProgress?: (p: SqlProgress) => void;
  /** Cancels between statements, while one runs, and inside a local solve (CANCELLED). */
  signal?: AbortSignal;
}

/** What sql.quantile returns: quantile()'s result with the full table's certificate, plus what the database did. */
export interface SqlL1Result extends L1Result {
  /** Statements sent to the database. */
  queries: number;
  /** Data rows returned by the database: the probe's row, the subsample, the band and fixed-up rows. */
  rowsFetched: number;
  /** Rows of the hash subsample(s) fetched. */
  sampleRows: number;
  /** Rows of the final local problem (band + fixed-up rows; the two glob pseudo-rows not counted). */
  bandRows: number;
  /** Rows skipped for a NULL in a used column (na: 'omit'). */
  rowsOmitted: number;
  /** The statements sent, in order. */
  statements: string[];
}

const OPTIONS = ['tau', 'tol', 'maxIter', 'seed', 'backend'] as const;
export const SQL_DEFAULT_SEED = 20220;
/** Mm.factor of quantreg's rq.fit.pfn: the band holds about 0.8·m rows. */
const BAND_FACTOR = 0.8;
/** Fixup rounds before m is doubled (rq.fit.pfn's max.bad.fixups). */
const MAX_FIXUP_ROUNDS = 3;

interface Glob {
  count: number;
  W: number;
  Wy: number;
  Wx: Float64Array;
}

interface Fit {
  b0: number;
  coef: Float64Array;
  r: L1Result;
}

export async function quantile(db: SqlDatabase, source: string, options: SqlQuantileOptions): Promise<SqlL1Result> {
  const fn = 'sql.quantile';
  const dbc = checkDb(fn, db);
  const src = checkSource(fn, source);
  const { c, o } = readCommonSql(fn, options, OPTIONS);
  const tau = o.tau === undefined ? 0.5 : checkTau(o.tau);
  const tol = opt(o, 'l1Tol');
  const maxIter = opt(o, 'l1MaxIter');
  const seed = o.seed === undefined ? SQL_DEFAULT_SEED : o.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 2147483647) fail('seed', 'an integer in [0, 2147483647]', seed);
  const backend = optBackend(o);
  const s = new Session(fn, dbc, c);
  s.checkAborted();
  const cols = await probe(s, src);
  const d = c.dialect;
  const p = cols.x.length;
  const P = p + (c.intercept ? 1 : 0);
  const { t } = baseRelation(d, src, cols);
  const hasW = cols.weights !== undefined;
  const wt = (e: string): string => (hasW ? `${W} * ${e}` : e);

  // ---- pass 1: counts, weights, finiteness
  const v1 = [
    `(SELECT CAST(COUNT(*) AS ${d.double}) FROM ${src} AS src0)`,
    `CAST(COUNT(*) AS ${d.double})`,
    hasW ? `CAST(COALESCE(SUM(CASE WHEN ${W} > 0 THEN 1 ELSE 0 END), 0) AS ${d.double})` : `CAST(COUNT(*) AS ${d.double})`,
    hasW ? sum0(d, W) : `CAST(COUNT(*) AS ${d.double})`,
    hasW ? `MIN(${W})` : lit(d, 1),
    sum0(d, Y),
    ...cols.x.map((_, j) => sum0(d, xAlias(j))),
  ];
  const a = await s.numbers(`WITH t AS (${t})\nSELECT ${v1.map((e, k) => `${e} AS a${k}`).join(', ')} FROM t`, 'count', v1.length);
  s.progress('count');
  const [nAll, n, , Wsum, wmin] = a;
  const omitted = nAll - n;
  if (c.na === 'fail' && omitted > 0) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: ${omitted} row${omitted === 1 ? ' has' : 's have'} a NULL in a used column; pass na: 'omit' to drop them`, { argument: 'na', count: omitted });
  }
  if (!(n > 0)) throw new RobustRegError('INVALID_INPUT', `${fn}: no rows to fit (${nAll} rows in the source, ${omitted} with a NULL in a used column)`, { argument: 'source', rows: n });
  const names = [cols.y, ...cols.x];
  for (let j = 0; j <= p; j++) {
    if (!Number.isFinite(a[5 + j])) {
      throw new RobustRegError('NON_FINITE', `${fn}: column ${JSON.stringify(names[j])} holds NaN or ±Infinity, or its sum overflows double precision (${a[5 + j]})`, { argument: j === 0 ? 'y' : `x[${j - 1}]`, value: names[j] });
    }
  }
  if (hasW) {
    if (!Number.isFinite(Wsum)) throw new RobustRegError('NON_FINITE', `${fn}: the weights column ${JSON.stringify(cols.weights)} holds NaN or ±Infinity, or its sum overflows (${Wsum})`, { argument: 'weights', value: cols.weights });
    if (wmin < 0) throw new RobustRegError('INVALID_INPUT', `${fn}: the weights column ${JSON.stringify(cols.weights)} has negative values (minimum ${wmin}); weights must be ≥ 0`, { argument: 'weights', value: wmin });
    if (!(Wsum > 0)) throw new RobustRegError('INVALID_INPUT', `${fn}: the weights column ${JSON.stringify(cols.weights)} is 0 in every row; at least one row needs a positive weight`, { argument: 'weights', value: cols.weights });
  }

  const rowCols = [Y, ...cols.x.map((_, j) => xAlias(j)), ...(hasW ? [W] : [])].join(', ');
  const localSolve = (band: Fetched, globs: Glob[], start: Fit | null): Fit => {
    const used = globs.filter((g) => g.W > 0);
    const rows = band.n + used.length;
    const X = new Float64Array(rows * p);
    const y = new Float64Array(rows);
    const w = new Float64Array(rows);
    for (let j = 0; j < p; j++) {
      X.set(band.X.subarray(j * band.n, (j + 1) * band.n), j * rows);
      used.forEach((g, k) => { X[j * rows + band.n + k] = g.Wx[j] / g.W; });
    }
    y.set(band.y);
    if (band.w) w.set(band.w);
    else w.fill(1, 0, band.n);
    used.forEach((g, k) => {
      y[band.n + k] = g.Wy / g.W;
      w[band.n + k] = g.W;
    });
    const r = solveL1(fn, { data: X, rows, cols: p, layout: 'column-major' }, y, {
      weights: w, intercept: c.intercept, tol, maxIter, backend, signal: c.signal,
      ...(start ? { start: { coef: start.coef, intercept: start.b0 } } : {}),
    }, tau, 'quantile');
    return { b0: r.intercept, coef: r.coef, r };
  };

  /** r = y − b0 − Σ x_j b_j in SQL, with the fit's exact doubles. */
  const resid = (f: { b0: number; coef: Float64Array }): string => {
    const terms = [c.intercept ? lit(d, f.b0) : '', ...Array.from(f.coef, (b, j) => (b === 0 ? '' : `${xAlias(j)} * ${lit(d, b)}`))].filter((e) => e !== '');
    return `(${Y} - (${terms.length ? terms.join(' + ') : lit(d, 0)}))`;
  };
  const rho = (r: string): string => `CASE WHEN ${r} < 0 THEN ${lit(d, tau - 1)} * ${r} ELSE ${lit(d, tau)} * ${r} END`;
  const globSums = (g: string, side: number): string[] => {
    const on = (e: string): string => `CASE WHEN ${g} = ${side} THEN ${e} ELSE ${lit(d, 0)} END`;
    return [
      `CAST(COALESCE(SUM(CASE WHEN ${g} = ${side} THEN 1 ELSE 0 END), 0) AS ${d.double})`,
      hasW ? sum0(d, on(W)) : `CAST(COALESCE(SUM(CASE WHEN ${g} = ${side} THEN 1 ELSE 0 END), 0) AS ${d.double})`,
      sum0(d, on(wt(Y))),
      ...cols.x.map((_, j) => sum0(d, on(wt(xAlias(j))))),
    ];
  };
  const readGlob = (v: Float64Array, at: number): Glob => ({ count: v[at], W: v[at + 1], Wy: v[at + 2], Wx: v.slice(at + 3, at + 3 + p) });
  const checkCount = (now: number): void => {
    if (now !== n) throw s.changed('the number of complete rows', n, now);
  };

  let sampleRows = 0;
  let fixups = 0;
  let iterations = 0;
  let m = Math.round(((P + 1) * n) ** (2 / 3));
  for (;;) {
    // ------------------------------------------------------------------ all rows (small tables)
    if (2 * m >= n) {
      s.round++;
      const all = await s.fetch(`WITH t AS (${t})\nSELECT ${rowCols} FROM t`, 'band');
      s.progress('band');
      if (all.n !== n) throw s.changed('the number of complete rows', n, all.n);
      const f = localSolve(all, [], null);
      iterations += f.r.iterations;
      const v = await s.numbers(`WITH t AS (${t})\nSELECT CAST(COUNT(*) AS ${d.double}) AS a0, ${sum0(d, wt(`(${rho('e')})`))} AS a1 FROM (SELECT ${rowCols}, ${resid(f)} AS e FROM t) AS z`, 'verify', 2);
      checkCount(v[0]);
      s.objective = v[1];
      s.progress('verify');
      return result(f, v[1], all.n, sampleRows, 0, 0);
    }

    // ------------------------------------------------------------------------------- 1. sample
    const K = Math.min(HASH_MAX, Math.ceil((m / n) * HASH_MAX));
    const sample = await s.fetch(`WITH t AS (${t})\nSELECT ${rowCols} FROM t WHERE ${d.bucket([Y, ...cols.x.map((_, j) => xAlias(j)), ...(hasW ? [W] : [])], seed)} < ${K}`, 'sample');
    sampleRows += sample.n;
    s.progress('sample');
    if (sample.n < 4 * P) {
      m *= 2;
      continue;
    }
    let pre: Fit;
    try {
      pre = localSolve(sample, [], null);
    } catch (e) {
      if (e instanceof RobustRegError && e.code === 'RANK_DEFICIENT') {
        m *= 2; // the subsample missed what makes the columns independent (a rare level, say)
        continue;
      }
      throw e;
    }
    iterations += pre.r.iterations;

    // --------------------------------------------------------------------------------- 2. band
    const bandSql = bandExpression(d, sample, p, c.intercept);
    const z = new Float64Array(sample.n);
    const rs = residuals(sample, pre);
    for (let i = 0; i < sample.n; i++) z[i] = rs[i] / Math.max(1e-300, bandSql.value(sample, i));
    const M = BAND_FACTOR * m;
    const loQ = Math.max(1 / n, tau - M / (2 * n));
    const hiQ = Math.min(tau + M / (2 * n), (n - 1) / n);
    const zs = Float64Array.from(z).sort();
    const kLo = Math.min(0, zs[Math.max(0, Math.floor(loQ * zs.length) - 1)]);
    const kHi = Math.max(0, zs[Math.min(zs.length - 1, Math.ceil(hiQ * zs.length))]);
    const r0 = resid(pre);
    const ctes = [
      `t AS (${t})`,
      // residual and band scale computed once per row in inner projections (CASE would evaluate
      // them once per branch: 3-4x the engine time in DuckDB)
      `s0 AS (SELECT ${rowCols}, CASE WHEN e0 < ${lit(d, kLo)} * bw THEN -1 WHEN e0 > ${lit(d, kHi)} * bw THEN 1 ELSE 0 END AS g0 FROM `
        + `(SELECT ${rowCols}, ${r0} AS e0, ${bandSql.text} AS bw FROM (SELECT ${rowCols}${bandSql.us.map((u, k) => `, ${u} AS u${k + 1}`).join('')} FROM t) AS a) AS b)`,
    ];
    let g = 'g0';
    let from = 's0';

    // -------------------------------------------------------------------------------- 3. globs
    const gv = [
      `CAST(COUNT(*) AS ${d.double})`,
      `CAST(COALESCE(SUM(CASE WHEN ${g} = 0 THEN 1 ELSE 0 END), 0) AS ${d.double})`,
      ...globSums(g, -1), ...globSums(g, 1),
    ];
    const G = await s.numbers(`WITH ${ctes.join(',\n')}\nSELECT ${gv.map((e, k) => `${e} AS a${k}`).join(', ')} FROM ${from}`, 'globs', gv.length);
    checkCount(G[0]);
    s.progress('globs');
    let globs = [readGlob(G, 2), readGlob(G, 5 + p)];

    // --------------------------------------------------------------------------------- 4. band
    let band = await s.fetch(`WITH ${ctes.join(',\n')}\nSELECT ${rowCols} FROM ${from} WHERE ${g} = 0`, 'band');
    s.progress('band');
    if (band.n !== G[1]) throw s.changed('the number of rows in the band', G[1], band.n);

    // ------------------------------------------------------------------ 5–6. solve and verify
    let start: Fit = pre;
    let restart = false;
    for (let fixRound = 0; ; fixRound++) {
      s.round++;
      const f = localSolve(band, globs, start);
      iterations += f.r.iterations;
      start = f;
      const rk = resid(f);
      const e = `e${s.round}`;
      const gNext = `g${s.round}`;
      const next = `s${s.round}`;
      const cteNext = `${next} AS (SELECT z.*, CASE WHEN ${g} = -1 AND ${e} > 0 THEN 0 WHEN ${g} = 1 AND ${e} < 0 THEN 0 ELSE ${g} END AS ${gNext} FROM (SELECT ${from}.*, ${rk} AS ${e} FROM ${from}) AS z)`;
      const vv = [
        `CAST(COUNT(*) AS ${d.double})`,
        `CAST(COALESCE(SUM(CASE WHEN ${g} <> ${gNext} THEN 1 ELSE 0 END), 0) AS ${d.double})`,
        sum0(d, wt(`(${rho(e)})`)),
        ...globSums(gNext, -1), ...globSums(gNext, 1),
      ];
      const V = await s.numbers(`WITH ${[...ctes, cteNext].join(',\n')}\nSELECT ${vv.map((e, k) => `${e} AS a${k}`).join(', ')} FROM ${next}`, 'verify', vv.length);
      checkCount(V[0]);
      s.objective = V[2];
      s.progress('verify');
      const wrong = V[1];
      const newGlobs = [readGlob(V, 3), readGlob(V, 6 + p)];
      if (wrong === 0) {
        // the globs are unchanged: their sums must be the ones the local solve used
        for (let k = 0; k < 2; k++) {
          const [u, v] = [globs[k], newGlobs[k]];
          if (u.count !== v.count) throw s.changed(`the number of rows in the ${k === 0 ? 'lower' : 'upper'} glob`, u.count, v.count);
          if (!close(u.W, v.W) || !close(u.Wy, v.Wy)) throw s.changed(`the sum of ${k === 0 ? 'lower' : 'upper'}-glob ${close(u.W, v.W) ? 'w·y' : 'weights'}`, close(u.W, v.W) ? u.Wy : u.W, close(u.W, v.W) ? v.Wy : v.W);
        }
        return result(f, V[2], band.n, sampleRows, s.round, fixups);
      }
      if (wrong > 0.1 * M || fixRound + 1 >= MAX_FIXUP_ROUNDS) {
        m *= 2; // the band was too narrow: a larger subsample gives a better preliminary fit
        restart = true;
        break;
      }
      // fixup: fetch the rows that changed side and move them into the band
      ctes.push(cteNext);
      const moved = await s.fetch(`WITH ${ctes.join(',\n')}\nSELECT ${rowCols} FROM ${next} WHERE ${g} <> ${gNext}`, 'fixups');
      s.progress('fixups');
      if (moved.n !== wrong) throw s.changed('the number of globbed rows on the wrong side', wrong, moved.n);
      fixups += moved.n;
      band = concat(band, moved, p);
      globs = newGlobs;
      g = gNext;
      from = next;
    }
    if (restart) continue;
  }

  function result(f: Fit, primal: number, bandRows: number, sample: number, rounds: number, fix: number): SqlL1Result {
    const dual = f.r.certificate.dual;
    const gap = primal - dual;
    const ok = f.r.converged && gap <= tol * Math.max(1, Math.abs(primal));
    const r = finish<L1Result>({
      loss: 'quantile',
      coef: f.coef.slice(),
      intercept: f.b0,
      objective: primal,
      iterations,
      converged: ok,
      status: ok ? 'optimal' : 'max-iterations',
      backend: f.r.backend,
      n, p,
      certificate: { primal, dual, gap },
      nonUnique: f.r.nonUnique,
      edgeSteps: f.r.edgeSteps,
      globRounds: rounds,
      globFixups: fix,
      tau,
    }) as SqlL1Result;
    r.queries = s.queries;
    r.rowsFetched = s.rowsFetched;
    r.sampleRows = sample;
    r.bandRows = bandRows;
    r.rowsOmitted = omitted;
    r.statements = s.log.slice();
    return r;
  }
}

const HASH_MAX = 1073741824;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

function residuals(data: Fetched, f: Fit): Float64Array {
  const { n } = data;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = data.y[i] - f.b0;
  f.coef.forEach((b, j) => {
    for (let i = 0; i < n; i++) r[i] -= data.X[j * n + i] * b;
  });
  return r;
}

function concat(a: Fetched, b: Fetched, p: number): Fetched {
  const n = a.n + b.n;
  const X = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    X.set(a.X.subarray(j * a.n, (j + 1) * a.n), j * n);
    X.set(b.X.subarray(j * b.n, (j + 1) * b.n), j * n + a.n);
  }
  const y = new Float64Array(n);
  y.set(a.y);
  y.set(b.y, a.n);
  let w: Float64Array | undefined;
  if (a.w && b.w) {
    w = new Float64Array(n);
    w.set(a.w);
    w.set(b.w, a.n);
  }
  return { n, X, y, w };
}

/**
 * The band's scale bw(x) = √(x̃ᵀ(X̃ᵀX̃)⁻¹x̃) of the sample design X̃ (with the intercept column when
 * fitted), as SQL text and as a function on fetched rows. With an intercept it is
 * √(1/m + ‖L⁻¹(x − x̄)‖²), L Lᵀ the centered cross-products (no cancellation for offset columns);
 * a column without spread in the sample gets a tiny ridge so L exists.
 */
function bandExpression(d: Dialect, sample: Fetched, p: number, intercept: boolean): { us: string[]; text: string; value(data: Fetched, i: number): number } {
  const n = sample.n;
  const mean = new Float64Array(p);
  if (intercept) {
    for (let j = 0; j < p; j++) {
      let sm = 0;
      for (let i = 0; i < n; i++) sm += sample.X[j * n + i];
      mean[j] = sm / n;
    }
  }
  const S = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k <= j; k++) {
      let sm = 0;
      for (let i = 0; i < n; i++) sm += (sample.X[j * n + i] - mean[j]) * (sample.X[k * n + i] - mean[k]);
      S[j * p + k] = sm;
      S[k * p + j] = sm;
    }
  }
  // L (lower) with L Lᵀ = S + ridge, then A = L⁻¹ (lower)
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const ridge = 1e-10 * Math.max(S[j * p + j], 1e-300) + 1e-300;
    for (let k = 0; k <= j; k++) {
      let v = S[j * p + k] + (j === k ? ridge : 0);
      for (let i = 0; i < k; i++) v -= L[j * p + i] * L[k * p + i];
      L[j * p + k] = j === k ? Math.sqrt(Math.max(v, ridge)) : v / L[k * p + k];
    }
  }
  const A = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    // solve L a = e_k: column k of A
    for (let j = 0; j < p; j++) {
      let v = j === k ? 1 : 0;
      for (let i = 0; i < j; i++) v -= L[j * p + i] * A[i * p + k];
      A[j * p + k] = v / L[j * p + j];
    }
  }
  const c0 = intercept ? 1 / n : 0;
  const dev = (j: number): string => (intercept ? `(${xAlias(j)} - ${lit(d, mean[j])})` : xAlias(j));
  const us: string[] = [];
  for (let j = 0; j < p; j++) {
    const terms: string[] = [];
    for (let k = 0; k <= j; k++) if (A[j * p + k] !== 0) terms.push(`${lit(d, A[j * p + k])} * ${dev(k)}`);
    us.push(terms.length ? terms.join(' + ') : lit(d, 0));
  }
  // over the columns u1..up (us, computed in an inner projection): POWER is ~2x slower than u * u
  const text = `SQRT(${[lit(d, c0), ...us.map((_, k) => `u${k + 1} * u${k + 1}`)].join(' + ')})`;
  return {
    us,
    text,
    value(data: Fetched, i: number): number {
      const m = data.n;
      let q = c0;
      for (let j = 0; j < p; j++) {
        let u = 0;
        for (let k = 0; k <= j; k++) u += A[j * p + k] * (data.X[k * m + i] - mean[k]);
        q += u * u;
      }
      return Math.sqrt(q);
    },
  };
}
