// Quantile-regression (and LAD, τ = ½) inference as quantreg's summary.rq computes it:
// - 'nid': Hendricks & Koenker (1992) local sparsity. Fits at τ ± h give, for each observation, the
//   density estimate f_i = 2h / (x_i'(β̂(τ+h) − β̂(τ−h)) − ε) (clamped at 0), and
//   V = τ(1−τ) (X'FX)⁻¹ X'X (X'FX)⁻¹ (Koenker 2005, §3.4.2).
// - 'ker': Powell (1991) kernel estimate of the same sandwich: f_i = φ(û_i/h_k)/h_k with the
//   bandwidth h_k = (Φ⁻¹(τ+h) − Φ⁻¹(τ−h)) · min(sd(û), IQR(û)/1.34).
// h is Hall & Sheather (1988) by default, Bofinger (1975) optionally, halved until τ ± h ⊂ (0, 1).
// With weights, quantreg multiplies the rows of X and y by w_i; so do we.
import { RobustRegError } from '../errors.js';
import { centredDesign, columnMeans, uncentre, type InferenceData } from './design.js';
import { normalPdf, normalQuantile } from './distributions.js';
import { sandwich, type Mat } from '../linalg/dense.js';

export type Bandwidth = 'hall-sheather' | 'bofinger';

/** quantreg's bandwidth.rq(τ, n, hs, alpha = 0.05). */
export function bandwidth(tau: number, n: number, method: Bandwidth = 'hall-sheather', alpha = 0.05): number {
  const x0 = normalQuantile(tau);
  const f0 = normalPdf(x0);
  if (method === 'hall-sheather') {
    return Math.pow(n, -1 / 3) * Math.pow(normalQuantile(1 - alpha / 2), 2 / 3) * Math.pow((1.5 * f0 * f0) / (2 * x0 * x0 + 1), 1 / 3);
  }
  return Math.pow(n, -0.2) * Math.pow((4.5 * f0 ** 4) / (2 * x0 * x0 + 1) ** 2, 0.2);
}

/** The bandwidth as summary.rq uses it: halved until τ − h ≥ 0 and τ + h ≤ 1. */
export function usableBandwidth(tau: number, n: number, method: Bandwidth): number {
  let h = bandwidth(tau, n, method);
  while (tau - h < 0 || tau + h > 1) h /= 2;
  return h;
}

export interface CoefFit {
  coef: ArrayLike<number>;
  intercept: number;
}

/** sqrt(machine epsilon), quantreg's `eps` in summary.rq. */
const EPS_NID = Math.sqrt(Number.EPSILON);

function sparsitySandwich(d: InferenceData, tau: number, f: Float64Array, what: string): Float64Array {
  const { n } = d;
  const w = d.w;
  const m = columnMeans(d, w);
  const meat: Mat = centredDesign(d, m, w); // rows w_i·[1, x_i − m]
  const sf = new Float64Array(n);
  for (let i = 0; i < n; i++) sf[i] = Math.sqrt(f[i]) * (w ? w[i] : 1);
  const bread: Mat = centredDesign(d, m, sf); // rows √f_i·w_i·[1, x_i − m]
  const Vc = sandwich(bread, meat, what);
  const s = tau * (1 - tau);
  for (let i = 0; i < Vc.length; i++) Vc[i] *= s;
  return uncentre(Vc, m, d);
}

export interface NidResult {
  V: Float64Array;
  /** Observations whose fitted τ±h difference x_i'(β_hi − β_lo) was ≤ 0 (quantreg: "non-positive fis"). */
  nonPositive: number;
  /** Observations given density 0: difference ≤ √ε (the fits cross or coincide there); ≥ nonPositive. */
  zeroed: number;
  warnings: string[];
}

/** The nid covariance from the fits at τ + h (`hi`) and τ − h (`lo`). */
export function nidCovariance(d: InferenceData, tau: number, h: number, hi: CoefFit, lo: CoefFit): NidResult {
  const { n, p, X, w } = d;
  const dy = new Float64Array(n);
  const d0 = d.intercept ? hi.intercept - lo.intercept : 0;
  dy.fill(d0);
  for (let j = 0; j < p; j++) {
    const db = hi.coef[j] - lo.coef[j];
    const o = j * n;
    for (let i = 0; i < n; i++) dy[i] += X[o + i] * db;
  }
  const f = new Float64Array(n);
  let nonPositive = 0, zeroed = 0;
  for (let i = 0; i < n; i++) {
    const dyhat = (w ? w[i] : 1) * dy[i];
    if (dyhat <= 0) nonPositive++;
    // quantreg: f = pmax(0, 2h / (dyhat − eps)) — 0 wherever dyhat ≤ eps (and 2h/0 at equality: 0 here)
    if (dyhat <= EPS_NID) zeroed++;
    f[i] = dyhat <= EPS_NID ? 0 : (2 * h) / (dyhat - EPS_NID);
  }
  const warnings: string[] = [];
  if (zeroed > 0) {
    // Count what is zeroed (quantreg's "non-positive fis" counts only dyhat <= 0, the crossings).
    const obs = (k: number) => `${k} observation${k === 1 ? '' : 's'}`;
    const parts = [nonPositive > 0 ? `cross at ${obs(nonPositive)}` : '', zeroed > nonPositive ? `coincide (to √ε) at ${obs(zeroed - nonPositive)}` : ''].filter(Boolean);
    warnings.push(`nid: density estimate set to 0 at ${obs(zeroed)}: the fits at tau ± h ${parts.join(' and ')}` +
      (nonPositive > 0 ? ` (quantreg: "${nonPositive} non-positive fis")` : ''));
  }
  let V: Float64Array;
  try {
    V = sparsitySandwich(d, tau, f, "summary (se = 'nid'): the density-weighted design X'FX");
  } catch (e) {
    // X'FX singular although X has full rank: too few observations got a positive density estimate
    // (an exact fit, or fits at tau ± h that coincide or cross almost everywhere). Say that, not
    // "column j is a linear combination".
    if (!(e instanceof RobustRegError && e.code === 'RANK_DEFICIENT')) throw e;
    let positive = 0;
    for (let i = 0; i < n; i++) if (f[i] > 0) positive++;
    throw nidDensityError(positive, n, tau, h, d.k);
  }
  return { V, nonPositive, zeroed, warnings };
}

/**
 * The error when X'FX is singular although X has full rank: the local density estimate is positive
 * at too few observations (`positive` of `n`). On discrete data the fits at τ ± h often coincide
 * (the conditional quantiles are flat between the jumps of a discrete distribution): then every
 * density estimate is 0 — quantreg's summary.rq stops there with "singular matrix in 'backsolve'".
 */
export function nidDensityError(positive: number, n: number, tau: number, h: number, k: number): RobustRegError {
  return new RobustRegError('RANK_DEFICIENT', `summary (se = 'nid'): the local density estimate is positive at only ${positive} of ${n} observations (the fits at tau ± h = ${tau} ± ${+h.toPrecision(4)} coincide or cross there, as in an exact fit), too few to estimate the covariance of ${k} coefficients; try se: 'boot' (or 'ker' when the residuals have spread)`, { positive, observations: n, parameters: k });
}

/** Type-7 sample quantile of sorted data (R's default). */
export function quantileType7(sorted: Float64Array, prob: number): number {
  const n = sorted.length;
  const hpos = (n - 1) * prob;
  const lo = Math.floor(hpos);
  const hiIdx = Math.min(lo + 1, n - 1);
  return sorted[lo] + (hpos - lo) * (sorted[hiIdx] - sorted[lo]);
}

export interface KerResult {
  V: Float64Array;
  /** The kernel bandwidth h_k in units of the (weighted) residuals. */
  kernelBandwidth: number;
}

/** Powell's kernel covariance from the residuals r (unweighted units; weighted as quantreg does). */
export function kerCovariance(d: InferenceData, tau: number, h: number, resid: Float64Array): KerResult {
  const { n, w } = d;
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = (w ? w[i] : 1) * resid[i];
  let mean = 0;
  for (let i = 0; i < n; i++) mean += u[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (u[i] - mean) * (u[i] - mean);
  const sd = Math.sqrt(ss / (n - 1));
  const sorted = Float64Array.from(u).sort();
  const iqr = quantileType7(sorted, 0.75) - quantileType7(sorted, 0.25);
  const hk = (normalQuantile(tau + h) - normalQuantile(tau - h)) * Math.min(sd, iqr / 1.34);
  if (!(hk > 0)) {
    throw new RobustRegError('INVALID_INPUT', `summary (se = 'ker'): the kernel bandwidth is ${hk} (the residuals have no spread: sd ${sd}, IQR ${iqr}); use se: 'nid' or 'boot'`, { argument: 'se' });
  }
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = normalPdf(u[i] / hk) / hk;
  const V = sparsitySandwich(d, tau, f, "summary (se = 'ker'): the kernel-weighted design X'FX");
  return { V, kernelBandwidth: hk };
}

/**
 * Guard: with an intercept, a quantile fit satisfies the intercept's optimality condition
 * −Σ_{r≠0} w ψ_τ(r) ∈ [(τ−1)·W₀, τ·W₀] (W₀ = weight of the zero residuals). A result fitted with
 * intercept: false, other weights or other data almost never does.
 */
export function checkQuantileIntercept(d: InferenceData, tau: number, resid: Float64Array): void {
  if (!d.intercept) return;
  const { n, w } = d;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d.y[i]), Math.abs(d.y[i] - resid[i]));
  // Generous: a small genuine residual counted as zero only widens the accepted interval.
  const zeroTol = 1e-6 * Math.max(scale, Number.MIN_VALUE);
  let g = 0;
  let w0 = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    wsum += wi;
    if (Math.abs(resid[i]) <= zeroTol) w0 += wi;
    else g += wi * (resid[i] < 0 ? tau - 1 : tau);
  }
  const slack = 1e-9 * wsum;
  if (-g < (tau - 1) * w0 - slack || -g > tau * w0 + slack) {
    throw new RobustRegError('INVALID_INPUT', `summary: the result is not a quantile-${tau} fit with an intercept of this X and y (the intercept's optimality condition fails: weight above the fit minus weight below is off by ${(Math.abs(g) - (g > 0 ? tau : 1 - tau) * w0).toPrecision(3)}); check weights, intercept and tau`, { argument: 'result' });
  }
}
