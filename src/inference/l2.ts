// Least-squares inference: classical covariance σ²(X'WX)⁻¹ and the heteroskedasticity-consistent
// sandwiches HC0–HC3 (MacKinnon & White 1985), as R's summary.lm and sandwich::vcovHC compute them;
// R², adjusted R², the overall F test (classical: R's; robust: the Wald F on the non-intercept
// coefficients, as statsmodels reports with cov_type = 'HC…').
import { RobustRegError } from '../errors.js';
import { centredDesign, columnMeans, uncentre, type InferenceData } from './design.js';
import { fSf } from './distributions.js';
import { cholSolve, congruence, crossprod, invUpper, qrR, rightSolveUpper } from '../linalg/dense.js';

export type L2Vcov = 'classical' | 'HC0' | 'HC1' | 'HC2' | 'HC3';
export const L2_VCOV: readonly L2Vcov[] = ['classical', 'HC0', 'HC1', 'HC2', 'HC3'];

export interface L2Inference {
  /** k × k covariance (column-major), intercept first. */
  V: Float64Array;
  df: number;
  sigma: number;
  rSquared: number;
  adjRSquared: number;
  fStatistic?: { value: number; df1: number; df2: number; pValue: number };
  warnings: string[];
}

export function l2Inference(d: InferenceData, resid: Float64Array, coefAll: Float64Array, type: L2Vcov): L2Inference {
  const { n, k, w } = d;
  const warnings: string[] = [];
  const df = n - k;
  const sw = w ? Float64Array.from(w, Math.sqrt) : null;
  const m = columnMeans(d, w);
  const A = centredDesign(d, m, sw); // √w · [1, x − m̄_w]
  const R = qrR(A, 'summary (least squares): X\'WX');
  const Ri = invUpper(R, k);

  let rss = 0;
  for (let i = 0; i < n; i++) rss += (w ? w[i] : 1) * resid[i] * resid[i];
  const sigma2 = rss / df;

  let Vc: Float64Array;
  if (type === 'classical') {
    const S = new Float64Array(k * k);
    for (let j = 0; j < k; j++) S[j * k + j] = sigma2;
    Vc = congruence(Ri, S, k);
  } else {
    // Q = A R⁻¹ (thin, orthonormal columns); leverages h_i = ‖Q_i‖²; meat rows √ω_i · Q_i.
    const Q = rightSolveUpper(A, R);
    const G = new Float64Array(n * k);
    let highLeverage = 0;
    for (let i = 0; i < n; i++) {
      let h = 0;
      for (let j = 0; j < k; j++) h += Q.a[j * n + i] * Q.a[j * n + i];
      const e = (sw ? sw[i] : 1) * resid[i];
      let omega = e * e;
      if (type === 'HC1') omega *= n / df;
      else if (type === 'HC2') omega /= 1 - h;
      else if (type === 'HC3') omega /= (1 - h) * (1 - h);
      if ((type === 'HC2' || type === 'HC3') && h > 1 - Math.sqrt(Number.EPSILON)) highLeverage++;
      const s = Math.sqrt(omega);
      for (let j = 0; j < k; j++) G[j * n + i] = s * Q.a[j * n + i];
    }
    if (highLeverage > 0) {
      warnings.push(`${type}: ${highLeverage} observation${highLeverage > 1 ? 's have' : ' has'} leverage 1 (to rounding); the ${type} covariance is unstable or infinite for them`);
    }
    Vc = congruence(Ri, crossprod({ n, k, a: G }), k);
  }
  const V = uncentre(Vc, m, d);

  // R² and F as summary.lm: fitted f = y − r; mss about the weighted mean with an intercept.
  let mss = 0;
  if (d.intercept) {
    let sw1 = 0;
    let sf = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      sw1 += wi;
      sf += wi * (d.y[i] - resid[i]);
    }
    const mf = sf / sw1;
    for (let i = 0; i < n; i++) {
      const f = d.y[i] - resid[i] - mf;
      mss += (w ? w[i] : 1) * f * f;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const f = d.y[i] - resid[i];
      mss += (w ? w[i] : 1) * f * f;
    }
  }
  return l2Fit(V, coefAll, mss, rss, sigma2, n, k, df, d.intercept, type, warnings);
}

/**
 * The rest of summary.lm from the covariance and the sums of squares: σ, R², adjusted R² and the
 * overall F test (classical, or the Wald F over the non-intercept coefficients for HC covariances).
 * Shared by the array path (l2Inference) and the Dataset path (inference/dataset.ts).
 */
export function l2Fit(
  V: Float64Array, coefAll: Float64Array, mss: number, rss: number, sigma2: number,
  n: number, k: number, df: number, intercept: boolean, type: L2Vcov, warnings: string[],
): L2Inference {
  const dfInt = intercept ? 1 : 0;
  const rSquared = mss / (mss + rss);
  const adjRSquared = 1 - (1 - rSquared) * ((n - dfInt) / df);
  const q = k - dfInt;
  let fStatistic: L2Inference['fStatistic'];
  if (q > 0 && df > 0) {
    let value: number;
    if (type === 'classical') {
      value = mss / q / sigma2;
    } else {
      // Wald F = b' V_bb⁻¹ b / q over the non-intercept coefficients.
      const Vbb = new Float64Array(q * q);
      const b = new Float64Array(q);
      for (let c = 0; c < q; c++) {
        b[c] = coefAll[c + dfInt];
        for (let r = 0; r < q; r++) Vbb[c * q + r] = V[(c + dfInt) * k + (r + dfInt)];
      }
      const x = cholSolve(Vbb, q, b);
      if (x === null) {
        value = NaN;
        warnings.push(`${type}: the covariance of the coefficients is not positive definite; no F test`);
      } else {
        let s = 0;
        for (let j = 0; j < q; j++) s += b[j] * x[j];
        value = s / q;
      }
    }
    fStatistic = { value, df1: q, df2: df, pValue: Number.isNaN(value) ? NaN : fSf(value, q, df) };
  }
  if (df <= 0) warnings.push(`no residual degrees of freedom (n = ${n}, ${k} coefficients): standard errors are not available`);
  return { V, df, sigma: Math.sqrt(sigma2), rSquared, adjRSquared, fStatistic, warnings };
}

/**
 * Guard against summarising with the wrong data or options: the least-squares residuals must be
 * orthogonal to the (weighted) design. A fit made with other data, other weights, intercept: false
 * or a ridge penalty fails this.
 */
export function checkNormalEquations(d: InferenceData, resid: Float64Array): void {
  const { n, k, w } = d;
  const sw = w ? Float64Array.from(w, Math.sqrt) : null;
  const m = columnMeans(d, w);
  const A = centredDesign(d, m, sw);
  let ee = 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const e = (sw ? sw[i] : 1) * resid[i];
    const yv = (sw ? sw[i] : 1) * d.y[i];
    ee += e * e;
    yy += yv * yv;
  }
  // Exact fits (‖e‖ at rounding level) are not flagged: the floor is 1e-6‖y‖.
  const eNorm = Math.sqrt(ee) + 1e-6 * Math.sqrt(yy);
  for (let j = 0; j < k; j++) {
    let g = 0;
    let zz = 0;
    for (let i = 0; i < n; i++) {
      const z = A.a[j * n + i];
      g += z * (sw ? sw[i] : 1) * resid[i];
      zz += z * z;
    }
    if (Math.abs(g) > 1e-6 * Math.sqrt(zz) * eNorm) {
      const which = d.intercept ? (j === 0 ? 'the intercept' : `column ${j - 1}`) : `column ${j}`;
      throw new RobustRegError('INVALID_INPUT', `summary: the least-squares residuals are not orthogonal to ${which} of X; the result was not fitted to this X and y with these options (check weights and intercept; ridge fits have no classical inference)`, { argument: 'result', column: j });
    }
  }
}
