// Result objects: plain data (copies, never views of WASM memory) plus predict().
import { RobustRegError } from '../errors.js';
import { copyX, shapeOf, type XInput } from '../data/input.js';
import type { Loss } from '../data/options.js';
import type { FitStatus } from './status.js';

export interface Certificate {
  /** Primal objective at the returned coefficients. */
  primal: number;
  /** Objective of the dual-feasible point d found by the solver (a lower bound on the optimum). */
  dual: number;
  /** primal − dual: how far from optimal the returned fit can be, at most. */
  gap: number;
}

export interface FitResult {
  loss: Loss;
  /** One coefficient per column of X (intercept excluded). */
  coef: Float64Array;
  /** The intercept (0 when `intercept: false`). */
  intercept: number;
  /** The minimised objective, in the units of the loss (see README "Objectives"). */
  objective: number;
  iterations: number;
  converged: boolean;
  /** 'optimal' (certified), 'solved' (direct solve), 'converged', 'max-iterations', 'stalled' (IRLS: a step failed; the last good iterate is returned). */
  status: FitStatus;
  backend: 'wasm' | 'js';
  /** Number of observations and of columns of X. */
  n: number;
  p: number;
  /** Predictions intercept + X·coef for new rows (same column count as the fit). */
  predict(X: XInput): Float64Array;
  /** L2: reciprocal condition estimate (1-norm) of the centered, scaled Gram matrix; 1 = perfect. */
  rcond?: number;
  /** L2: which solve ran: 'cholesky' (double-double refinement), 'cholesky-f64' (float64 refinement:
   * large well-conditioned problems) or 'qr' (the fallback used on ill-conditioned designs). */
  method?: 'cholesky' | 'cholesky-f64' | 'cholesky-f32' | 'qr';
  /** L2: the refinement's last correction relative to the coefficients (how it knew it was done). */
  lastCorrection?: number;
  /** L1/quantile: the optimality certificate. */
  certificate?: Certificate;
  /** L1/quantile: the optimum is probably not unique (the objective is what is certified). */
  nonUnique?: boolean;
  /** quantile: the τ fitted. */
  tau?: number;
  /** L1/quantile: simplex pivots after coordinate descent (included in iterations). */
  edgeSteps?: number;
  /** L1/quantile: reduced problems solved by globbing (Portnoy–Koenker preprocessing on large n;
   * 0 = the plain solve on all rows). The certificate is always for the full data. */
  globRounds?: number;
  /** L1/quantile: globbed rows found on the wrong side of the fit and moved back into the band. */
  globFixups?: number;
  /** L1/quantile: 0, or the number of distinct rows solved when exactly duplicated (x, y) rows were
   * collapsed into one weighted row each (exact: same objective, minimisers and certificate). */
  collapsedRows?: number;
}

/** What ols() and fit({ loss: 'l2' }) return: the least-squares fields are always present. */
export interface L2Result extends FitResult {
  loss: 'l2';
  status: 'solved';
  /** Reciprocal condition estimate (1-norm) of the centered, scaled Gram matrix; 1 = perfect. */
  rcond: number;
  /** Which solve ran: 'cholesky' (Cholesky factor, double-double refinement: the exact
   * least-squares solution rounded), 'cholesky-f64' (Cholesky factor, float64 refinement: large
   * well-conditioned problems, n (p + 1) >= 2^20 and rcond >= 1e-4), 'cholesky-f32' (Cholesky factor
   * of a Gram matrix with float32 products, float64 refinement to the same answer: large unweighted
   * problems with p + 1 >= 64 and a well-conditioned design, docs/design.md §5) or 'qr' (Householder
   * QR, the fallback on ill-conditioned designs; double-double refinement). */
  method: 'cholesky' | 'cholesky-f64' | 'cholesky-f32' | 'qr';
  /** The refinement's last correction, relative to the coefficients: max_j |d_j| / |beta_j| in
   * scaled coordinates (each |beta_j| floored at 2^-52 max|beta|). At most 2^-52 when the iteration
   * stopped at rounding level; larger when it stopped on its error bound or stopped contracting. */
  lastCorrection: number;
}

/** What lad(), quantile() and fit({ loss: 'l1' | 'quantile' }) return: the certificate is always present. */
export interface L1Result extends FitResult {
  loss: 'l1' | 'quantile';
  status: 'optimal' | 'max-iterations';
  /** The optimality certificate. */
  certificate: Certificate;
  /** The optimum is probably not unique (the objective is what is certified). */
  nonUnique: boolean;
  /** Simplex pivots after coordinate descent (included in iterations). */
  edgeSteps: number;
  /** Reduced problems solved by globbing (0 = the plain solve on all rows). */
  globRounds: number;
  /** Globbed rows found on the wrong side of the fit and moved back into the band. */
  globFixups: number;
  /** 0, or the number of distinct rows solved: exactly duplicated (x, y) rows (≥ 10,000 rows, at most
   * half distinct) are collapsed into one row weighted by their summed weight before solving (exact).
   * Set by lad()/quantile()/fit(); absent on results other solvers assemble (sql.quantile). */
  collapsedRows?: number;
}

export function makePredict(coef: Float64Array, intercept: number): (X: XInput) => Float64Array {
  const p = coef.length;
  return (X: XInput) => {
    const shape = shapeOf(X);
    if (shape.n > 0 && shape.p !== p) {
      throw new RobustRegError('DIMENSION_MISMATCH', `predict: X has ${shape.p} columns but the model has ${p}`, { argument: 'X', cols: shape.p, expected: p });
    }
    const { n } = shape;
    const buf = new Float64Array(n * p);
    copyX(X, shape, buf, 0);
    const out = new Float64Array(n).fill(intercept);
    for (let j = 0; j < p; j++) {
      const b = coef[j];
      const o = j * n;
      for (let i = 0; i < n; i++) out[i] += buf[o + i] * b;
    }
    return out;
  };
}

/**
 * The one host residual pass: r = y − b0 − Σ_j x_j·b_j, column by column (the order of the kernels'
 * residual pass), X column-major with n rows starting at element xOff of xv (float64 or float32
 * storage), y at element yOff of yv, slopes coef[cOff .. cOff + p). Columns with b_j = 0 are skipped
 * (r − x·0 = r for finite x, up to the sign of a zero residual).
 */
export function residualsColumnMajor(xv: Float64Array | Float32Array, xOff: number, yv: Float64Array, yOff: number,
  n: number, p: number, b0: number, coef: ArrayLike<number>, cOff = 0): Float64Array {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = yv[yOff + i] - b0;
  for (let j = 0; j < p; j++) {
    const b = coef[cOff + j];
    if (b === 0) continue;
    const o = xOff + j * n;
    for (let i = 0; i < n; i++) r[i] -= xv[o + i] * b;
  }
  return r;
}
