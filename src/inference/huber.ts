// Huber M-estimation inference: the covariances H1, H2, H3 of Huber (1981, §7.6) exactly as
// statsmodels' RLMResults.bcov_scaled computes them, at the scale the fit reports.
// With z_i = r_i/s, ψ(z) = clamp(z, −δ, δ), ψ'(z) = [|z| ≤ δ], m = mean ψ', K = 1 + k/n · var(ψ')/m²:
//   H1 = K² · (Σψ²/(n−k)) s² / (Σψ'/n)² · (X'X)⁻¹
//   H2 = K  · (Σψ²/(n−k)) s² / (Σψ'/n)  · W⁻¹,            W = X' diag(ψ') X
//   H3 = K⁻¹ · (Σψ²/(n−k)) s²            · W⁻¹ (X'X) W⁻¹
import { RobustRegError } from '../errors.js';
import { centredDesign, columnMeans, uncentre, type InferenceData } from './design.js';
import { inverseGram, sandwich } from '../linalg/dense.js';

export type HuberVcov = 'H1' | 'H2' | 'H3';
export const HUBER_VCOV: readonly HuberVcov[] = ['H1', 'H2', 'H3'];

export interface HuberInference {
  V: Float64Array;
  /** K, the small-sample correction factor. */
  correction: number;
  /** Observations with |r/s| > δ (ψ' = 0). */
  outliers: number;
}

/**
 * Guard: at a Huber M-estimate the estimating equations Σ ψ(r_i/s)·z_i = 0 hold (to the fit's
 * tolerance). A result fitted with intercept: false, other data or other options fails them.
 */
export function checkHuberEquations(d: InferenceData, resid: Float64Array, scale: number, delta: number): void {
  const { n, k } = d;
  const psi = new Float64Array(n);
  let pp = 0;
  for (let i = 0; i < n; i++) {
    const z = resid[i] / scale;
    psi[i] = Math.max(-delta, Math.min(delta, z));
    pp += psi[i] * psi[i];
  }
  const Z = centredDesign(d, columnMeans(d, null), null);
  for (let j = 0; j < k; j++) {
    let g = 0;
    let zz = 0;
    for (let i = 0; i < n; i++) {
      g += Z.a[j * n + i] * psi[i];
      zz += Z.a[j * n + i] * Z.a[j * n + i];
    }
    if (Math.abs(g) > 1e-4 * Math.sqrt(zz * pp)) {
      const which = d.intercept ? (j === 0 ? 'the intercept' : `column ${j - 1}`) : `column ${j}`;
      throw new RobustRegError('INVALID_INPUT', `summary: the Huber estimating equation for ${which} does not hold at result.coef and result.scale; the result was not fitted to this X and y with these options (check intercept and delta)`, { argument: 'result', column: j });
    }
  }
}

export function huberCovariance(d: InferenceData, resid: Float64Array, scale: number, delta: number, type: HuberVcov): HuberInference {
  const { n, k } = d;
  const dpsi = new Float64Array(n);
  let ssPsi = 0;
  let sDpsi = 0;
  let outliers = 0;
  for (let i = 0; i < n; i++) {
    const z = resid[i] / scale;
    const inside = Math.abs(z) <= delta;
    const psi = inside ? z : z > 0 ? delta : -delta;
    ssPsi += psi * psi;
    dpsi[i] = inside ? 1 : 0;
    if (inside) sDpsi += 1;
    else outliers++;
  }
  if (sDpsi === 0) {
    throw new RobustRegError('INVALID_INPUT', `summary (huber): every standardised residual exceeds delta = ${delta}; the covariance has no information (ψ' = 0 everywhere)`, { argument: 'result' });
  }
  const mean = sDpsi / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (dpsi[i] - mean) * (dpsi[i] - mean);
  v /= n;
  const K = 1 + (k / n) * (v / (mean * mean));
  const base = (ssPsi / (n - k)) * scale * scale;
  const m = columnMeans(d, null);
  const Z = centredDesign(d, m, null);
  let Vc: Float64Array;
  let factor: number;
  if (type === 'H1') {
    Vc = inverseGram(Z, "summary (huber): X'X");
    factor = (K * K * base) / (mean * mean);
  } else {
    const Zw = centredDesign(d, m, Float64Array.from(dpsi, Math.sqrt));
    if (type === 'H2') {
      Vc = inverseGram(Zw, "summary (huber, H2): X'ψ'X");
      factor = (K * base) / mean;
    } else {
      Vc = sandwich(Zw, Z, "summary (huber, H3): X'ψ'X");
      factor = base / K;
    }
  }
  for (let i = 0; i < Vc.length; i++) Vc[i] *= factor;
  return { V: uncentre(Vc, m, d), correction: K, outliers };
}
