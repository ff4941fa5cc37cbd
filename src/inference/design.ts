// The data a summary needs, read and validated once: X (column-major), y, weights, the rows with
// positive weight, residuals at the fitted coefficients, and the centring that keeps the covariance
// computations well conditioned.
import { RobustRegError, describe } from '../errors.js';
import { readXywHost } from '../data/input.js';
import { residualsColumnMajor } from '../fit/result.js';
import type { Mat } from '../linalg/dense.js';

export interface InferenceData {
  /** Rows used: those with positive weight (all rows when unweighted). */
  n: number;
  /** Rows passed in (including zero-weight rows). */
  nAll: number;
  /** Columns of X. */
  p: number;
  /** Coefficients: p + (intercept ? 1 : 0). */
  k: number;
  intercept: boolean;
  /** Column-major n × p, rows with positive weight only. */
  X: Float64Array;
  y: Float64Array;
  /** Weights of the rows used (all > 0), or null for unit weights. */
  w: Float64Array | null;
  /** For each used row its index in the caller's data. */
  rows: Int32Array;
  /** The caller's weights (all rows), as passed, for refits. */
  weightsAll: ArrayLike<number> | undefined;
}

export function readDesign(fn: string, X: unknown, y: unknown, weights: unknown, intercept: boolean): InferenceData {
  const r = readXywHost(fn, X, y, weights);
  const nAll = r.n;
  const p = r.p;
  const Xa = r.X;
  const ya = r.y;
  const wa = r.w;
  const k = p + (intercept ? 1 : 0);
  if (k === 0) throw new RobustRegError('INVALID_INPUT', `${fn}: the model has no coefficients (X has no columns and intercept is false)`, { argument: 'X' });
  let n = nAll;
  let rows: Int32Array;
  if (wa && wa.some((v) => v === 0)) {
    const keep: number[] = [];
    for (let i = 0; i < nAll; i++) if (wa[i] > 0) keep.push(i);
    rows = Int32Array.from(keep);
    n = keep.length;
    const X2 = new Float64Array(n * p);
    for (let j = 0; j < p; j++) for (let r = 0; r < n; r++) X2[j * n + r] = Xa[j * nAll + rows[r]];
    return {
      n, nAll, p, k, intercept, X: X2, y: Float64Array.from(rows, (i) => ya[i]), w: Float64Array.from(rows, (i) => wa![i]),
      rows, weightsAll: weights as ArrayLike<number>,
    };
  }
  rows = new Int32Array(nAll);
  for (let i = 0; i < nAll; i++) rows[i] = i;
  return { n, nAll, p, k, intercept, X: Xa, y: ya, w: wa, rows, weightsAll: weights as ArrayLike<number> | undefined };
}

/** Residuals y − intercept − X·coef over the used rows (the library's one residual pass). */
export function residuals(d: InferenceData, coef: ArrayLike<number>, intercept: number): Float64Array {
  return residualsColumnMajor(d.X, 0, d.y, 0, d.n, d.p, intercept, coef);
}

/** Weighted column means (the centring point; any point is exact, the mean is best conditioned). */
export function columnMeans(d: InferenceData, w: Float64Array | null): Float64Array {
  const { n, p, X } = d;
  const m = new Float64Array(p);
  if (!d.intercept) return m;
  let sw = 0;
  for (let i = 0; i < n; i++) sw += w ? w[i] : 1;
  for (let j = 0; j < p; j++) {
    let s = 0;
    const o = j * n;
    for (let i = 0; i < n; i++) s += (w ? w[i] : 1) * X[o + i];
    let mean = s / sw;
    // One refinement pass: the mean of the deviations (exact mean to rounding for huge offsets).
    let c = 0;
    for (let i = 0; i < n; i++) c += (w ? w[i] : 1) * (X[o + i] - mean);
    mean += c / sw;
    m[j] = mean;
  }
  return m;
}

/**
 * The design in centred coordinates, rows scaled: row i is s_i · [1, x_i − m] (or s_i · x_i without
 * an intercept), n × k column-major. `s` null means 1.
 */
export function centredDesign(d: InferenceData, m: Float64Array, s: Float64Array | null): Mat {
  const { n, p, k, X } = d;
  const a = new Float64Array(n * k);
  let c0 = 0;
  if (d.intercept) {
    for (let i = 0; i < n; i++) a[i] = s ? s[i] : 1;
    c0 = 1;
  }
  for (let j = 0; j < p; j++) {
    const o = j * n;
    const oc = (j + c0) * n;
    const mj = m[j];
    for (let i = 0; i < n; i++) a[oc + i] = (X[o + i] - mj) * (s ? s[i] : 1);
  }
  return { n, k, a };
}

/**
 * Back from centred coordinates: with an intercept, θ_c = (a + m'b, b) and θ = (a, b) = T θ_c,
 * T = [[1, −m'], [0, I]], so V = T V_c T'. Without an intercept V = V_c.
 */
export function uncentre(Vc: Float64Array, m: Float64Array, d: InferenceData): Float64Array {
  const { k, p } = d;
  if (!d.intercept) return Vc;
  // u = V_c[0, 1:] etc. V00 = Vc00 − 2 m'Vc[1:,0] + m'Vc[1:,1:]m ; V0j = Vc0j − m'Vc[1:, j]; Vij = Vc_ij.
  const V = Float64Array.from(Vc);
  const col = new Float64Array(k); // (Vc[1:,1:] m) and Vc[0,1:]·m
  for (let j = 1; j < k; j++) {
    let s = 0;
    for (let l = 1; l < k; l++) s += Vc[j * k + l] * m[l - 1];
    col[j] = s; // (Vc_bb m)_j
  }
  let mVm = 0;
  let mV0 = 0;
  for (let j = 1; j < k; j++) {
    mVm += m[j - 1] * col[j];
    mV0 += m[j - 1] * Vc[j]; // Vc[0, j] column-major index j*k + 0
  }
  V[0] = Vc[0] - 2 * mV0 + mVm;
  for (let j = 1; j <= p; j++) {
    const v = Vc[j * k] - col[j];
    V[j * k] = v;
    V[j] = v;
  }
  return V;
}

export function checkCoefLike(result: Record<string, unknown>, p: number): { coef: Float64Array; intercept: number } {
  const c = result.coef as unknown;
  if (!(ArrayBuffer.isView(c) || Array.isArray(c))) {
    throw new RobustRegError('INVALID_INPUT', `summary: result.coef must be the Float64Array of a fit, received ${describe(c)}`, { argument: 'result.coef' });
  }
  const coef = Float64Array.from(c as ArrayLike<number>);
  if (coef.length !== p) {
    throw new RobustRegError('DIMENSION_MISMATCH', `summary: result.coef has length ${coef.length} but X has ${p} columns; pass the X the model was fitted on`, { argument: 'X', cols: p, expected: coef.length });
  }
  for (let j = 0; j < p; j++) {
    if (!Number.isFinite(coef[j])) throw new RobustRegError('NON_FINITE', `summary: result.coef[${j}] is ${describe(coef[j])}`, { argument: `result.coef[${j}]` });
  }
  const b0 = result.intercept;
  if (typeof b0 !== 'number' || !Number.isFinite(b0)) {
    throw new RobustRegError('INVALID_INPUT', `summary: result.intercept must be a finite number, received ${describe(b0)}`, { argument: 'result.intercept' });
  }
  return { coef, intercept: b0 };
}
