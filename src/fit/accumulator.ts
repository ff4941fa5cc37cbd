// GramAccumulator: streaming and mergeable weighted least squares. Rows arrive in chunks (add), are
// reduced by the `moments` kernel to sufficient statistics of fixed size O(p^2), and are forgotten;
// accumulators built on different threads, processes or machines merge exactly like chunks
// (merge, toJSON / fromJSON), and solve() fits ordinary / ridge least squares from the statistics.
//
// Statistics (q = p + 1 columns V = [X | y]):
//   rows, positiveRows       counts (rows with weight > 0)
//   W                        the sum of the weights
//   mean (hi, lo)            weighted column means as double-doubles
//   R (q x q, upper)         a square root of the centered co-moment matrix C = sum w (v - m)(v - m)^T:
//                            R^T R = C, with a non-negative diagonal (the canonical sign choice).
// Keeping R instead of C is the QR form of the usual co-moment accumulator (Welford; Chan, Golub &
// LeVeque 1979): it is built by Householder QR of the centered rows (assembly/moments.ts), merged by
// Givens rotations of the stacked factors, and C is never formed, so solving from it loses
// eps * cond(Z) of accuracy instead of eps * cond(Z)^2 (Z: the centered, column-scaled design).
//
// Pairwise merge (Chan, Golub & LeVeque, "Updating formulae and a pairwise algorithm for computing
// sample variances", 1979 — weighted form): with W = W_a + W_b and d = m_b - m_a,
//   m = m_a + (W_b / W) d,   C = C_a + C_b + (W_a W_b / W) d d^T,
// the latter as R = qr([R_a; R_b; sqrt(W_a W_b / W) d^T]): the rows of R_b and the correction row
// are rotated into R_a (LINPACK dchud-style row updates). The means are merged in double-double, so an
// offset common to all rows (e.g. timestamps) costs no accuracy in the intercept.
//
// solve(): the least-squares problem is fully described by the p + 1 "pseudo-rows" R: for any b,
//   sum_i w_i (y_i - ybar - (x_i - xbar) . b)^2 = || R[:, p] - R[:, 0..p-1] b ||^2,
// so the existing l2_fit kernel is called on the q x p pseudo-design R[:, 0..p-1] with response
// R[:, p], no intercept and no weights, and the intercept is ybar - xbar . b. Scaling, the Cholesky /
// QR choice, refinement, rcond, ridge and the naming of aliased columns are therefore exactly those
// of ols(); the objective is sum w r^2 + ridge ||b||^2 as for ols(). Without an intercept the
// uncentered factor qr([R; sqrt(W) m^T]) is used instead.
import { Dataset } from '../data/dataset.js';
import { RobustRegError, describe } from '../errors.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_OBJECTIVE } from '../abi/info.js';
import { checkVectorShape, copyVec, copyX, shapeOf, type XInput } from '../data/input.js';
import { cholFactor, givensRotateIn, splitHi, twoProdErr, twoSumErr } from '../linalg/dense.js';
import { checkOptionsObject, fail, optBackend, optBool, type BackendChoice } from '../data/options.js';
import { opt } from './option-table.js';
import { makePredict, type L2Result } from './result.js';
import { l2Fields } from './solvers.js';
import { acquire, withSlot, type Slot } from '../backend/runtime.js';
import { kernelOutcome, rankDeficient } from './status.js';

/** Options of `new GramAccumulator(p, options)`. */
export interface GramAccumulatorOptions {
  /** Backend whose `moments` kernel reduces each chunk: 'auto' (default), 'wasm' or 'js'. */
  backend?: BackendChoice;
}

/** Options of `GramAccumulator.solve`. */
export interface GramSolveOptions {
  /** Fit an intercept (default true). */
  intercept?: boolean;
  /** Ridge penalty ridge·||coef||² (intercept excluded), ≥ 0. Default 0. */
  ridge?: number;
  /** Backend for the solve (default: the accumulator's). */
  backend?: BackendChoice;
}

/** The serialised statistics (plain JSON: numbers are written and read back exactly). */
export interface GramAccumulatorJSON {
  format: typeof FORMAT;
  version: 1;
  /** Columns of X. */
  p: number;
  rows: number;
  positiveRows: number;
  weightSum: number;
  /** Weighted means of the p columns of X and of y (last), high parts. */
  mean: number[];
  /** Low parts of the means (mean[j] + meanLo[j] is the mean to about twice double precision). */
  meanLo: number[];
  /** Upper triangle of R, row by row: R[0][0..p], R[1][1..p], …, R[p][p] ((p+1)(p+2)/2 numbers). */
  R: number[];
}

/** Weighted, centered co-moments of V = [X | y] computed elsewhere (e.g. by a SQL engine: sql.momentsQuery). */
export interface GramMoments {
  /** Rows summarised (including rows of zero weight). */
  rows: number;
  /** Rows with a positive weight (default: rows). */
  positiveRows?: number;
  /** The sum of the weights W (rows when unweighted); > 0. */
  weightSum: number;
  /** Weighted means of the p columns of X and of y (last): p + 1 numbers. */
  mean: ArrayLike<number>;
  /** Low parts of the means (mean + meanLo to about twice double precision; default 0). */
  meanLo?: ArrayLike<number>;
  /** C = Σ w (v − m)(v − m)ᵀ, (p+1)×(p+1) row-major, symmetric positive semidefinite. */
  comoments: ArrayLike<number>;
}

const FORMAT = 'robustreg.GramAccumulator';
const MAX_COLS = 4096;

interface Stats {
  rows: number;
  positiveRows: number;
  W: number;
  mean: Float64Array;
  meanLo: Float64Array;
  /** q x q row-major, upper triangle (strict lower part 0). */
  R: Float64Array;
}

export class GramAccumulator {
  /** Number of columns of X. */
  readonly cols: number;
  private readonly choice: BackendChoice;
  private s: Stats;

  /**
   * An empty accumulator for chunks with `p` columns of X. Chunks are reduced by the WebAssembly
   * kernel (after `await init()`) or by its TypeScript twin (`backend: 'js'`); both give identical bits.
   */
  constructor(p: number, options?: GramAccumulatorOptions) {
    const o = checkOptionsObject(options, ['backend'], 'GramAccumulator');
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > MAX_COLS) {
      throw new RobustRegError('INVALID_INPUT', `GramAccumulator: p (the number of columns of X) must be an integer in [0, ${MAX_COLS}], received ${describe(p)}`, { argument: 'p', value: p });
    }
    this.cols = p;
    this.choice = optBackend(o);
    this.s = emptyStats(p + 1);
  }

  /** Rows added so far (including rows of zero weight). */
  get rows(): number {
    return this.s.rows;
  }

  /** @internal the statistics as they are: R (q × q row-major upper factor of the centred co-moments of [X | y]), means, W. */
  get stats(): { readonly R: Float64Array; readonly mean: Float64Array; readonly W: number; readonly positiveRows: number } {
    return this.s;
  }

  /** Sum of the weights of the rows added so far. */
  get weightSum(): number {
    return this.s.W;
  }

  /** Weighted means of the columns of X and of y (last entry); a copy. */
  means(): Float64Array {
    return this.s.mean.slice();
  }

  /**
   * The centered co-moment matrix C = Σ w (v − m)(v − m)ᵀ of V = [X | y], (p+1)×(p+1) row-major,
   * formed from the factor (C / weightSum is the weighted covariance).
   */
  comoments(): Float64Array {
    const q = this.cols + 1;
    const R = this.s.R;
    const C = new Float64Array(q * q);
    for (let i = 0; i < q; i++) {
      for (let j = i; j < q; j++) {
        let c = 0;
        for (let k = 0; k <= i; k++) c += R[k * q + i] * R[k * q + j];
        if (!Number.isFinite(c)) {
          throw new RobustRegError('NON_FINITE', `GramAccumulator.comoments: entry (${i}, ${j}) of the co-moment matrix overflows double precision; rescale the data`, {});
        }
        C[i * q + j] = c;
        C[j * q + i] = c;
      }
    }
    return C;
  }

  /**
   * Add a chunk of rows: X (`number[][]`, or `{ data, rows, cols, layout }`) with `cols` columns, its
   * y and optional non-negative weights — or a Dataset (its own y and weights). The chunk is
   * validated completely before the statistics change (an invalid chunk leaves them as they were).
   */
  add(X: XInput | Dataset, y?: ArrayLike<number>, weights?: ArrayLike<number>): this {
    const fn = 'GramAccumulator.add';
    if (X instanceof Dataset) {
      if (y !== undefined || weights !== undefined) {
        throw new RobustRegError('INVALID_INPUT', `${fn}: a Dataset carries its own y and weights; pass it alone`, { argument: 'y' });
      }
      return this.addDataset(X);
    }
    const shape = shapeOf(X);
    const { n } = shape;
    if (n > 0 && shape.p !== this.cols) {
      throw new RobustRegError('DIMENSION_MISMATCH', `${fn}: X has ${shape.p} columns but the accumulator has ${this.cols}`, { argument: 'X', cols: shape.p, expected: this.cols });
    }
    const yv = checkVectorShape(y, n, 'y');
    const wv = weights === undefined ? undefined : checkVectorShape(weights, n, 'weights');
    if (n === 0) return this;
    const p = this.cols;
    const q = p + 1;
    const slot = acquire(this.choice, fn);
    const chunk = withSlot(slot, () => {
      const k = slot.backend.kernels;
      const [pX, pY, pW, pOut, pWork] = slot.arena.allocMany(
        [8 * n * p, 8 * n, wv ? 8 * n : 0, 8 * (q * q + 1 + 2 * q), k.moments_work_bytes(n, p)],
        `${fn} (chunk of n = ${n} rows, p = ${p})`);
      const f64 = slot.backend.f64();
      copyX(X, shape, f64, pX);
      copyVec(yv, f64, pY, 'y');
      let positive = n;
      if (wv) {
        const sum = copyVec(wv, f64, pW, 'weights', true);
        if (!Number.isFinite(sum)) {
          throw new RobustRegError('NON_FINITE', `${fn}: the sum of the weights overflows (${sum}); rescale the weights`, { argument: 'weights' });
        }
        positive = 0;
        for (let i = 0; i < n; i++) if (wv[i] > 0) positive++;
      }
      return runKernel(fn, slot, n, p, pX, pY, wv ? pW : 0, pOut, pWork, positive);
    });
    mergeStats(this.s, chunk, fn);
    return this;
  }

  private addDataset(ds: Dataset): this {
    const fn = 'GramAccumulator.add';
    ds.check(fn, true); // the moments kernel reads X in its storage precision (xf32)
    if (ds.cols !== this.cols) {
      throw new RobustRegError('DIMENSION_MISMATCH', `${fn}: the Dataset has ${ds.cols} columns but the accumulator has ${this.cols}`, { argument: 'X', cols: ds.cols, expected: this.cols });
    }
    const slot = this.choice === 'auto' ? acquire(ds.slot.backend.name, fn) : acquire(this.choice, fn);
    if (ds.slot !== slot) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: this Dataset lives in the ${ds.slot.backend.name} backend's memory but the accumulator uses backend '${slot.backend.name}'`, { argument: 'backend' });
    }
    const p = this.cols;
    const q = p + 1;
    const n = ds.rows;
    const chunk = withSlot(slot, () => {
      const k = slot.backend.kernels;
      const [pOut, pWork] = slot.arena.allocMany([8 * (q * q + 1 + 2 * q), k.moments_work_bytes(n, p)], `${fn} (Dataset of n = ${n} rows, p = ${p})`);
      return runKernel(fn, slot, n, p, ds.pX, ds.pY, ds.pW, pOut, pWork, ds.nPos, ds.xf32);
    });
    mergeStats(this.s, chunk, fn);
    return this;
  }

  /**
   * Merge another accumulator's statistics into this one (the other is unchanged). The result is
   * the accumulator of all rows of both, whatever the order of merging, up to rounding.
   */
  merge(other: GramAccumulator): this {
    const fn = 'GramAccumulator.merge';
    if (!(other instanceof GramAccumulator)) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: expected a GramAccumulator (use GramAccumulator.fromJSON for serialised statistics), received ${describe(other)}`, { argument: 'other' });
    }
    if (other.cols !== this.cols) {
      throw new RobustRegError('DIMENSION_MISMATCH', `${fn}: the other accumulator has ${other.cols} columns but this one has ${this.cols}`, { argument: 'other', cols: other.cols, expected: this.cols });
    }
    mergeStats(this.s, cloneStats(other.s), fn);
    return this;
  }

  /** An independent copy (same statistics, same backend choice). */
  clone(): GramAccumulator {
    const a = new GramAccumulator(this.cols, { backend: this.choice });
    a.s = cloneStats(this.s);
    return a;
  }

  /** The statistics as plain JSON data; `GramAccumulator.fromJSON` restores them bit for bit. */
  toJSON(): GramAccumulatorJSON {
    const q = this.cols + 1;
    const R: number[] = [];
    for (let i = 0; i < q; i++) for (let j = i; j < q; j++) R.push(this.s.R[i * q + j]);
    return {
      format: FORMAT,
      version: 1,
      p: this.cols,
      rows: this.s.rows,
      positiveRows: this.s.positiveRows,
      weightSum: this.s.W,
      mean: Array.from(this.s.mean),
      meanLo: Array.from(this.s.meanLo),
      R,
    };
  }

  /** Restore an accumulator from `toJSON()` output (the object, or its JSON text). */
  static fromJSON(json: unknown, options?: GramAccumulatorOptions): GramAccumulator {
    const fn = 'GramAccumulator.fromJSON';
    let o = json;
    if (typeof o === 'string') {
      try {
        o = JSON.parse(o);
      } catch (e) {
        throw bad(fn, 'json', `valid JSON text (${(e as Error).message})`, json);
      }
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw bad(fn, 'json', 'an object produced by GramAccumulator.toJSON()', o);
    const r = o as Record<string, unknown>;
    if (r.format !== FORMAT) throw bad(fn, 'format', JSON.stringify(FORMAT), r.format);
    if (r.version !== 1) throw bad(fn, 'version', '1', r.version);
    const p = r.p;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > MAX_COLS) throw bad(fn, 'p', `an integer in [0, ${MAX_COLS}]`, p);
    const q = p + 1;
    const count = (name: string): number => {
      const v = r[name];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(fn, name, 'a non-negative integer', v);
      return v;
    };
    const rows = count('rows');
    const positiveRows = count('positiveRows');
    if (positiveRows > rows) throw bad(fn, 'positiveRows', `at most rows (${rows})`, positiveRows);
    const W = r.weightSum;
    if (typeof W !== 'number' || !Number.isFinite(W) || W < 0) throw bad(fn, 'weightSum', 'a finite number ≥ 0', W);
    if ((W > 0) !== (positiveRows > 0)) throw bad(fn, 'weightSum', positiveRows > 0 ? '> 0 (there are rows of positive weight)' : '0 (there are no rows of positive weight)', W);
    const vec = (name: string, len: number): Float64Array => {
      const v = r[name];
      if (!Array.isArray(v) || v.length !== len) throw bad(fn, name, `an array of ${len} numbers`, v);
      const out = new Float64Array(len);
      for (let i = 0; i < len; i++) {
        const x = v[i];
        if (typeof x !== 'number' || !Number.isFinite(x)) throw bad(fn, `${name}[${i}]`, 'a finite number', x);
        out[i] = x + 0; // -0 -> +0 (canonical)
      }
      return out;
    };
    const mean = vec('mean', q);
    const meanLo = vec('meanLo', q);
    const packed = vec('R', (q * (q + 1)) / 2);
    const R = new Float64Array(q * q);
    let t = 0;
    for (let i = 0; i < q; i++) {
      for (let j = i; j < q; j++) R[i * q + j] = packed[t++];
      if (R[i * q + i] < 0) throw bad(fn, 'R', 'a factor with a non-negative diagonal', R[i * q + i]);
    }
    if (W === 0) {
      for (const [name, v] of [['mean', mean], ['meanLo', meanLo], ['R', packed]] as const) {
        const i = v.findIndex((x) => x !== 0);
        if (i >= 0) throw bad(fn, `${name}[${i}]`, '0 when weightSum is 0 (no rows of positive weight)', v[i]);
      }
    }
    const a = new GramAccumulator(p, options);
    a.s = { rows, positiveRows, W, mean, meanLo, R };
    return a;
  }

  /**
   * An accumulator from moments computed elsewhere (a SQL engine, a data-frame library): R is the
   * Cholesky factor of C, computed with C scaled to unit diagonal; a pivot at or below
   * (p+1)·u of its diagonal (a column that is constant or a combination of the others, within
   * rounding) gives a zero row, so the solve reports the aliased column as ols() does. Solving from
   * C squares the condition number (normal equations): see README "Beyond one machine".
   */
  static fromMoments(moments: GramMoments, options?: GramAccumulatorOptions): GramAccumulator {
    const fn = 'GramAccumulator.fromMoments';
    if (typeof moments !== 'object' || moments === null) throw bad(fn, 'moments', 'an object { rows, weightSum, mean, comoments }', moments);
    const m = moments as unknown as Record<string, unknown>;
    for (const k of Object.keys(m)) {
      if (!['rows', 'positiveRows', 'weightSum', 'mean', 'meanLo', 'comoments'].includes(k)) {
        throw new RobustRegError('INVALID_INPUT', `${fn}: unknown field ${JSON.stringify(k)}; valid fields are rows, positiveRows, weightSum, mean, meanLo, comoments`, { argument: k });
      }
    }
    const rows = m.rows;
    if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1) throw bad(fn, 'rows', 'a positive integer', rows);
    const positiveRows = m.positiveRows === undefined ? rows : m.positiveRows;
    if (typeof positiveRows !== 'number' || !Number.isSafeInteger(positiveRows) || positiveRows < 1 || positiveRows > rows) {
      throw bad(fn, 'positiveRows', `an integer in [1, rows = ${rows}]`, positiveRows);
    }
    const W = m.weightSum;
    if (typeof W !== 'number' || !Number.isFinite(W) || !(W > 0)) throw bad(fn, 'weightSum', 'a finite number > 0', W);
    const arr = (name: string, v: unknown, len: number | null): Float64Array => {
      if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) throw bad(fn, name, 'an array of numbers', v);
      const a = v as ArrayLike<unknown>;
      if (len !== null && a.length !== len) throw bad(fn, name, `an array of ${len} numbers`, v);
      const out = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        if (typeof x !== 'number' || !Number.isFinite(x)) {
          throw new RobustRegError(typeof x === 'number' ? 'NON_FINITE' : 'INVALID_INPUT', `${fn}: ${name}[${i}] must be a finite number, received ${describe(x)}`, { argument: `${name}[${i}]`, value: x });
        }
        out[i] = x + 0;
      }
      return out;
    };
    const mean = arr('mean', m.mean, null);
    const q = mean.length;
    if (q < 1 || q - 1 > MAX_COLS) throw bad(fn, 'mean', `an array of p + 1 numbers (p ≤ ${MAX_COLS})`, m.mean);
    const meanLo = m.meanLo === undefined ? new Float64Array(q) : arr('meanLo', m.meanLo, q);
    const C = arr('comoments', m.comoments, q * q);
    for (let i = 0; i < q; i++) {
      if (C[i * q + i] < 0) throw bad(fn, `comoments[${i * q + i}]`, 'a diagonal entry ≥ 0 (a sum of squares)', C[i * q + i]);
      for (let j = 0; j < i; j++) {
        const a = C[i * q + j], b = C[j * q + i];
        if (Math.abs(a - b) > 1e-12 * Math.max(Math.abs(a), Math.abs(b))) {
          throw bad(fn, `comoments[${i * q + j}]`, `equal to comoments[${j * q + i}] (${b}; the matrix is symmetric)`, a);
        }
      }
    }
    const acc = new GramAccumulator(q - 1, options);
    acc.s = { rows, positiveRows, W, mean, meanLo, R: cholFactor(C, q) };
    canonical(acc.s);
    return acc;
  }

  /**
   * Least squares (+ ridge) from the statistics: the same problem, result fields and errors as
   * `ols(X, y, { intercept, ridge, weights })` on all rows added.
   */
  solve(options?: GramSolveOptions): L2Result {
    const fn = 'GramAccumulator.solve';
    const o = checkOptionsObject(options, ['intercept', 'ridge', 'backend'], fn);
    const intercept = optBool(o, 'intercept', true);
    const ridge = opt(o, 'ridge');
    const choice = o.backend === undefined ? this.choice : optBackend(o);
    const s = this.s;
    const p = this.cols;
    const q = p + 1;
    if (s.rows === 0) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: no rows have been added; add at least one chunk (or merge accumulators with rows) before solving`, { argument: 'rows', rows: 0 });
    }
    if (!(s.W > 0)) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: weights are all zero (${s.rows} rows added); at least one observation needs a positive weight`, { argument: 'weights', rows: s.rows });
    }
    if (p + (intercept ? 1 : 0) === 0) fail('intercept', 'true when X has no columns (there is nothing to fit)', false);
    // Pseudo-rows: R (centered) or the factor of the uncentered co-moments.
    let P = s.R;
    if (!intercept) {
      P = s.R.slice();
      const sw = Math.sqrt(s.W);
      const row = new Float64Array(q);
      for (let j = 0; j < q; j++) row[j] = sw * (s.mean[j] + s.meanLo[j]);
      if (!row.every(Number.isFinite)) {
        throw new RobustRegError('NON_FINITE', `${fn}: the uncentered second moments overflow; fit with an intercept or rescale the data`, {});
      }
      givensRotateIn(P, q, row, 0);
    }
    const slot = acquire(choice, fn);
    return withSlot(slot, () => {
      const { backend } = slot;
      const k = backend.kernels;
      const [pX, pY, pCoef, pInfo, pFlags, pWork] = slot.arena.allocMany(
        [8 * q * p, 8 * q, 8 * (p + 1), 8 * INFO_LEN, 4 * Math.max(p, 1), k.l2_work_bytes(q, p)], `${fn} (p = ${p})`);
      const f64 = backend.f64();
      const xb = pX >>> 3;
      const yb = pY >>> 3;
      for (let i = 0; i < q; i++) {
        for (let j = 0; j < p; j++) f64[xb + j * q + i] = P[i * q + j];
        f64[yb + i] = P[i * q + p];
      }
      const status = k.l2_fit(q, p, pX, pY, 0, 0, ridge, pCoef, pInfo, pFlags, pWork);
      const fitStatus = kernelOutcome('gram', fn, status, () =>
        rankDeficient(fn, backend.i32().slice(pFlags >>> 2, (pFlags >>> 2) + p), p, intercept, s.positiveRows, true));
      const g = backend.f64();
      const coef = g.slice((pCoef >>> 3) + 1, (pCoef >>> 3) + 1 + p);
      const info = g.slice(pInfo >>> 3, (pInfo >>> 3) + INFO_LEN);
      const b0 = intercept ? interceptFrom(s.mean, s.meanLo, coef) : 0;
      if (!Number.isFinite(b0)) {
        throw new RobustRegError('NON_FINITE', `${fn}: the intercept (mean of y minus means of X times the coefficients) overflows double precision; rescale the data`, {});
      }
      const r = {
        loss: 'l2' as const,
        coef,
        intercept: b0,
        objective: info[INFO_OBJECTIVE],
        iterations: info[INFO_ITERATIONS],
        converged: true,
        status: fitStatus,
        backend: backend.name,
        n: s.rows,
        p,
        ...l2Fields(info),
      } as L2Result;
      Object.defineProperty(r, 'predict', { value: makePredict(coef, b0), enumerable: false });
      return r;
    });
  }
}

// ------------------------------------------------------------------------------------------------

function emptyStats(q: number): Stats {
  return { rows: 0, positiveRows: 0, W: 0, mean: new Float64Array(q), meanLo: new Float64Array(q), R: new Float64Array(q * q) };
}

function cloneStats(s: Stats): Stats {
  return { rows: s.rows, positiveRows: s.positiveRows, W: s.W, mean: s.mean.slice(), meanLo: s.meanLo.slice(), R: s.R.slice() };
}

function bad(fn: string, field: string, range: string, value: unknown): RobustRegError {
  return new RobustRegError('INVALID_INPUT', `${fn}: ${field} must be ${range}, received ${describe(value)}`, { argument: field, value });
}

/** Call the moments kernel on a chunk already in memory and read its statistics (canonical form). */
function runKernel(fn: string, slot: Slot, n: number, p: number, pX: number, pY: number, pW: number,
  pOut: number, pWork: number, positive: number, xf32 = 0): Stats {
  const q = p + 1;
  const status = slot.backend.kernels.moments(n, p, pX, pY, pW, pOut, pWork, xf32);
  kernelOutcome('moments', fn, status);
  const f = slot.backend.f64();
  const o = pOut >>> 3;
  const R = new Float64Array(q * q);
  for (let j = 0; j < q; j++) for (let i = 0; i <= j; i++) R[i * q + j] = f[o + j * q + i];
  const s: Stats = {
    rows: n,
    positiveRows: positive,
    W: f[o + q * q],
    mean: f.slice(o + q * q + 1, o + q * q + 1 + q),
    meanLo: f.slice(o + q * q + 1 + q, o + q * q + 1 + 2 * q),
    R,
  };
  canonical(s);
  return s;
}

/** Canonical form: non-negative diagonal of R (rows flipped; R^T R unchanged), no negative zeros. */
function canonical(s: Stats): void {
  const q = s.mean.length;
  const R = s.R;
  for (let i = 0; i < q; i++) {
    const flip = R[i * q + i] < 0;
    for (let j = i; j < q; j++) R[i * q + j] = (flip ? -R[i * q + j] : R[i * q + j]) + 0;
    s.mean[i] += 0;
    s.meanLo[i] += 0;
  }
}

/** Merge b into a (b may be modified). */
function mergeStats(a: Stats, b: Stats, fn: string): void {
  const q = a.mean.length;
  a.rows += b.rows;
  a.positiveRows += b.positiveRows;
  if (b.W === 0) return;
  if (a.W === 0) {
    a.W = b.W;
    a.mean = b.mean;
    a.meanLo = b.meanLo;
    a.R = b.R;
    return;
  }
  const W = a.W + b.W;
  if (!Number.isFinite(W)) {
    throw new RobustRegError('NON_FINITE', `${fn}: the sum of the weights overflows (${W}); rescale the weights`, { argument: 'weights' });
  }
  const f = b.W / W;
  const sd = Math.sqrt(a.W) * Math.sqrt(f); // sqrt(W_a W_b / W)
  const R = a.R.slice();
  const mean = new Float64Array(q);
  const meanLo = new Float64Array(q);
  const d = new Float64Array(q);
  const fh = splitHi(f);
  for (let j = 0; j < q; j++) {
    // delta = m_b - m_a as a double-double (dh, dl)
    const ah = a.mean[j];
    const bh = b.mean[j];
    const s0 = bh - ah;
    const e0 = twoSumErr(bh, -ah, s0) + (b.meanLo[j] - a.meanLo[j]);
    const dh = s0 + e0;
    const dl = e0 - (dh - s0);
    d[j] = sd * dh;
    // m = m_a + f * delta in double-double
    const th = f * dh;
    const dhh = splitHi(dh);
    const tl = twoProdErr(fh, f - fh, dhh, dh - dhh, th) + f * dl;
    const s1 = ah + th;
    const e1 = twoSumErr(ah, th, s1) + (a.meanLo[j] + tl);
    const hi = s1 + e1;
    mean[j] = hi;
    meanLo[j] = e1 - (hi - s1);
  }
  const v = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let nz = false;
    for (let j = i; j < q; j++) {
      v[j] = b.R[i * q + j];
      if (v[j] !== 0) nz = true;
    }
    for (let j = 0; j < i; j++) v[j] = 0;
    if (nz) givensRotateIn(R, q, v, i);
  }
  givensRotateIn(R, q, d, 0);
  for (let k = 0; k < q * q; k++) {
    if (!Number.isFinite(R[k])) {
      throw new RobustRegError('NON_FINITE', `${fn}: the merged co-moments overflow double precision; rescale the data`, {});
    }
  }
  a.W = W;
  a.mean = mean;
  a.meanLo = meanLo;
  a.R = R;
  canonical(a);
}

/** ybar - xbar . b with the means as double-doubles, accumulated in double-double (Dot2). */
function interceptFrom(mean: Float64Array, meanLo: Float64Array, coef: Float64Array): number {
  const p = coef.length;
  let h = mean[p];
  let l = meanLo[p];
  for (let j = 0; j < p; j++) {
    const b = coef[j];
    if (b === 0) continue;
    const m = mean[j];
    const ph = m * b;
    const mh = splitHi(m);
    const bh = splitHi(b);
    const pl = twoProdErr(mh, m - mh, bh, b - bh, ph) + meanLo[j] * b;
    const s = h - ph;
    l += twoSumErr(h, -ph, s) - pl;
    h = s;
  }
  return h + l;
}
