// Wald tests of equal slopes across quantiles (Koenker & Bassett 1982), as quantreg's
// anova.rq(fit_τ1, …, fit_τm, test = "Wald") computes them for fits of one model at distinct τ.
//
// With Hᵢ = (X'FᵢX)⁻¹ the nid sparsity matrix at τᵢ (Fᵢ = diag of the Hendricks–Koenker density
// estimates, from fits at τᵢ ± h) and J = X'X, the stacked estimates β̂ = (β̂(τ₁), …, β̂(τ_m)) have
// covariance W with blocks W_ij = (min(τᵢ, τⱼ) − τᵢτⱼ) Hᵢ J Hⱼ. For a contrast D (differences of
// consecutive τ's slopes), T = (Dβ̂)'(DWD')⁻¹(Dβ̂)/q on F(q, ddf):
//   joint:  D = diff(I_m) ⊗ [0 | I_{p−1}], q = (p − 1)(m − 1), ddf = n·m − q;
//   per slope j: D = diff(I_m) ⊗ e_j', q = m − 1, ddf = n·m − (m − 1).
import { quantile as fitQuantile } from '../fit/api.js';
import { RobustRegError, describe } from '../errors.js';
import type { XInput } from '../data/input.js';
import { checkOptionsObject, fail, optBackend, optBool, type BackendChoice } from '../data/options.js';
import { checkCoefLike, readDesign, residuals } from './design.js';
import { fSf } from './distributions.js';
import { cholSolve, congruence, crossprod, invUpper, qrR } from '../linalg/dense.js';
import { usableBandwidth, type Bandwidth } from './quantile.js';
import { basisInverse, greedyBasis, makeVertex, objectiveOf, optimize, type QrProblem } from './vertex.js';
import type { InferenceData } from './design.js';
import type { SummarizableResult } from './summary.js';

export interface QuantileTestOptions {
  /** true (default): one joint test that all slopes are equal across τ; false: one test per slope. */
  joint?: boolean;
  /** The observation weights of the fits (must match them). */
  weights?: ArrayLike<number>;
  /** Names of the columns of X (length p), for the per-slope rows. Default x1 … xp. */
  names?: readonly string[];
  /** Bandwidth rule of the nid density estimates: 'hall-sheather' (default) or 'bofinger'. */
  bandwidth?: Bandwidth;
  /** Backend of the refits at τ ± h (default: the fits' backend). */
  backend?: BackendChoice;
}

export interface QuantileTestRow {
  /** 'slopes' for the joint test, else the column name. */
  name: string;
  /** Numerator degrees of freedom q. */
  ndf: number;
  /** Denominator degrees of freedom. */
  ddf: number;
  /** The Wald statistic divided by q (an F statistic). */
  statistic: number;
  /** Upper-tail probability of F(ndf, ddf) at the statistic. */
  pValue: number;
}

export interface QuantileTest {
  joint: boolean;
  /** The τ of the fits, in the order given. */
  taus: number[];
  /** One row (joint) or one per slope. */
  rows: QuantileTestRow[];
  /** Observations used. */
  n: number;
  /** The nid bandwidths h used at each τ. */
  bandwidths: number[];
  warnings: string[];
}

const KEYS = ['joint', 'weights', 'names', 'bandwidth', 'backend'];
/** sqrt(machine epsilon): quantreg's eps in the nid density estimate. */
const EPS_NID = Math.sqrt(Number.EPSILON);

/**
 * Wald test that the slopes of quantile fits at distinct τ are equal (quantreg anova.rq(…, test =
 * "Wald", joint)). `fits` are results of quantile()/lad() on the same X and y with an intercept.
 * Synchronous; refits at τ ± h (needs `await init()` for WebAssembly).
 */
export function quantileTest(fits: readonly SummarizableResult[], X: XInput, y: ArrayLike<number>, options?: QuantileTestOptions): QuantileTest {
  const o = checkOptionsObject(options, KEYS, 'quantileTest');
  const joint = optBool(o, 'joint', true);
  const rule = o.bandwidth === undefined ? 'hall-sheather' : (o.bandwidth as Bandwidth);
  if (rule !== 'hall-sheather' && rule !== 'bofinger') fail('bandwidth', "one of 'hall-sheather', 'bofinger'", o.bandwidth);
  const backendOpt = optBackend(o);
  if (!Array.isArray(fits) || fits.length < 2) {
    throw new RobustRegError('INVALID_INPUT', `quantileTest: fits must be an array of at least 2 quantile fits (one per tau), received ${describe(fits)}`, { argument: 'fits' });
  }
  const d = readDesign('quantileTest', X, y, o.weights, true);
  const { n, p, k } = d;
  if (k < 2) throw new RobustRegError('INVALID_INPUT', 'quantileTest: X has no columns: there are no slopes to compare', { argument: 'X' });
  const names = o.names === undefined ? Array.from({ length: p }, (_, j) => `x${j + 1}`) : (o.names as string[]);
  if (!Array.isArray(names) || names.length !== p || !names.every((s) => typeof s === 'string')) fail('names', `an array of ${p} strings (one per column of X)`, o.names);
  const m = fits.length;
  const taus: number[] = [];
  const coefs: Float64Array[] = [];
  const warnings: string[] = [];
  fits.forEach((f, i) => {
    if (typeof f !== 'object' || f === null) {
      throw new RobustRegError('INVALID_INPUT', `quantileTest: fits[${i}] must be the result of a quantile fit, received ${describe(f)}`, { argument: `fits[${i}]` });
    }
    const r = f as unknown as Record<string, unknown>;
    const tau = r.loss === 'l1' ? 0.5 : r.tau;
    if ((r.loss !== 'quantile' && r.loss !== 'l1') || typeof tau !== 'number' || !(tau > 0 && tau < 1)) {
      throw new RobustRegError('INVALID_INPUT', `quantileTest: fits[${i}] must be a quantile (or l1) fit with tau in (0, 1), received loss ${describe(r.loss)}, tau ${describe(r.tau)}`, { argument: `fits[${i}]` });
    }
    if (typeof r.n === 'number' && r.n !== d.nAll) {
      throw new RobustRegError('DIMENSION_MISMATCH', `quantileTest: fits[${i}] was fitted to ${r.n} rows but X has ${d.nAll}; every fit must be of this X and y`, { argument: `fits[${i}]`, rows: d.nAll, expected: r.n });
    }
    let c: { coef: Float64Array; intercept: number };
    try {
      c = checkCoefLike(r, p);
    } catch (e) {
      if (e instanceof RobustRegError && e.code === 'DIMENSION_MISMATCH') {
        throw new RobustRegError('DIMENSION_MISMATCH', `quantileTest: fits[${i}] has ${(r.coef as ArrayLike<number>).length} coefficients but X has ${p} columns; every fit must be of the same design (this X, with an intercept)`, { argument: `fits[${i}]`, cols: p });
      }
      throw e;
    }
    if (r.converged === false) warnings.push(`fits[${i}] (tau ${tau}) did not converge: its last iterate is used`);
    else if (!isOptimal(d, tau, c.coef, c.intercept)) {
      throw new RobustRegError('INVALID_INPUT', `quantileTest: fits[${i}] is not a quantile-${tau} fit with an intercept of this X and y (every fit must be of the same design and data; fits without an intercept cannot be tested, as in quantreg)`, { argument: `fits[${i}]` });
    }
    taus.push(tau);
    const all = new Float64Array(k);
    all[0] = c.intercept;
    all.set(c.coef, 1);
    coefs.push(all);
  });
  const sorted = [...taus].sort((a, b) => a - b);
  for (let i = 1; i < m; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new RobustRegError('INVALID_INPUT', `quantileTest: the fits' taus must be distinct (tau ${sorted[i]} appears twice): the test compares slopes across tau`, { argument: 'fits', tau: sorted[i] });
    }
  }
  const backend: BackendChoice = o.backend !== undefined ? backendOpt
    : (fits[0] as { backend?: string }).backend === 'wasm' || (fits[0] as { backend?: string }).backend === 'js' ? ((fits[0] as { backend?: string }).backend as BackendChoice) : 'auto';

  // Rows scaled by the weights (as quantreg's summary.rq): Xw = diag(w)[1, X].
  const Xw = new Float64Array(n * k);
  for (let i = 0; i < n; i++) Xw[i] = d.w ? d.w[i] : 1;
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) Xw[(j + 1) * n + i] = d.X[j * n + i] * (d.w ? d.w[i] : 1);
  const J = crossprod({ n, k, a: Xw });
  const Hs: Float64Array[] = [];
  const bandwidths: number[] = [];
  const I = new Float64Array(k * k);
  for (let j = 0; j < k; j++) I[j * k + j] = 1;
  for (let t = 0; t < m; t++) {
    const tau = taus[t];
    const h = usableBandwidth(tau, n, rule);
    bandwidths.push(h);
    const refit = { intercept: true, backend, ...(d.weightsAll !== undefined ? { weights: d.weightsAll } : {}) };
    const hi = fitQuantile(X, y, { tau: tau + h, ...refit });
    const lo = fitQuantile(X, y, { tau: tau - h, ...refit });
    const db = new Float64Array(k);
    db[0] = hi.intercept - lo.intercept;
    for (let j = 0; j < p; j++) db[j + 1] = hi.coef[j] - lo.coef[j];
    const A = new Float64Array(n * k);
    let nonPositive = 0;
    for (let i = 0; i < n; i++) {
      let dy = 0;
      for (let j = 0; j < k; j++) dy += Xw[j * n + i] * db[j];
      if (dy <= 0) nonPositive++;
      const sf = Math.sqrt(Math.max(0, (2 * h) / (dy - EPS_NID)));
      for (let j = 0; j < k; j++) A[j * n + i] = Xw[j * n + i] * sf;
    }
    if (nonPositive > 0) warnings.push(`tau ${tau}: ${nonPositive} non-positive fis (the fits at tau ± h cross there; density set to 0)`);
    const R = qrR({ n, k, a: A }, `quantileTest: the density-weighted design X'FX at tau ${tau}`);
    Hs.push(congruence(invUpper(R, k), I, k)); // (X'FX)⁻¹
  }
  // W = blocks Ω_ab · H_a J H_b (column-major mk × mk).
  const mk = m * k;
  const W = new Float64Array(mk * mk);
  const HJ = Hs.map((H) => matMul(H, J, k));
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      const om = Math.min(taus[a], taus[b]) - taus[a] * taus[b];
      const blk = matMul(HJ[a], Hs[b], k);
      for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) W[(b * k + c) * mk + a * k + r] = om * blk[c * k + r];
    }
  }
  const stacked = new Float64Array(mk);
  coefs.forEach((c, a) => stacked.set(c, a * k));
  const rows: QuantileTestRow[] = [];
  if (joint) {
    const sel = Array.from({ length: p }, (_, j) => j + 1);
    const q = p * (m - 1);
    const stat = waldStat(W, stacked, m, k, sel) / q;
    const ddf = n * m - q;
    rows.push({ name: 'slopes', ndf: q, ddf, statistic: stat, pValue: fSf(Math.max(0, stat), q, ddf) });
  } else {
    for (let j = 1; j < k; j++) {
      const q = m - 1;
      const stat = waldStat(W, stacked, m, k, [j]) / q;
      const ddf = n * m - q;
      rows.push({ name: names[j - 1], ndf: q, ddf, statistic: stat, pValue: fSf(Math.max(0, stat), q, ddf) });
    }
  }
  return { joint, taus, rows, n, bandwidths, warnings };
}

/** C = A·B for k × k column-major matrices. */
function matMul(A: Float64Array, B: Float64Array, k: number): Float64Array {
  const C = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let l = 0; l < k; l++) {
      const b = B[c * k + l];
      if (b === 0) continue;
      for (let r = 0; r < k; r++) C[c * k + r] += A[l * k + r] * b;
    }
  }
  return C;
}

/** (Dβ)'(DWD')⁻¹(Dβ) with D = diff(I_m) ⊗ (rows `sel` of I_k). */
function waldStat(W: Float64Array, beta: Float64Array, m: number, k: number, sel: number[]): number {
  const mk = m * k;
  const s = sel.length;
  const q = (m - 1) * s;
  // D as a list of (plus index, minus index) pairs: row (a, j) = β[(a+1)k + j] − β[a k + j].
  const plus: number[] = [];
  const minus: number[] = [];
  for (let a = 0; a < m - 1; a++) for (const j of sel) { plus.push((a + 1) * k + j); minus.push(a * k + j); }
  const Db = new Float64Array(q);
  for (let r = 0; r < q; r++) Db[r] = beta[plus[r]] - beta[minus[r]];
  const M = new Float64Array(q * q);
  const Wij = (i: number, j: number) => W[j * mk + i];
  for (let r = 0; r < q; r++) {
    for (let c = 0; c < q; c++) {
      M[c * q + r] = Wij(plus[r], plus[c]) - Wij(plus[r], minus[c]) - Wij(minus[r], plus[c]) + Wij(minus[r], minus[c]);
    }
  }
  const x = cholSolve(M, q, Db);
  if (!x) {
    throw new RobustRegError('RANK_DEFICIENT', 'quantileTest: the covariance of the slope differences is singular (not positive definite); the taus may be too close together for this n', { parameters: q });
  }
  let t = 0;
  for (let r = 0; r < q; r++) t += Db[r] * x[r];
  return t;
}

/**
 * Whether (intercept, coef) minimises Σ wᵢρ_τ(yᵢ − b₀ − xᵢ'b) for this design with an intercept: the
 * exact optimum by the simplex of vertex.ts, started at the fit's smallest residuals, must not be
 * lower than the fit's objective (beyond rounding). Catches fits of other data, other designs and fits
 * without an intercept (unless their intercept-free fit happens to be optimal with one too).
 */
function isOptimal(d: InferenceData, tau: number, coef: Float64Array, b0: number): boolean {
  const { n, p, k } = d;
  const Z = new Float64Array(n * k);
  Z.fill(1, 0, n);
  Z.set(d.X.subarray(0, n * p), n);
  const w = d.w ? Float64Array.from(d.w) : new Float64Array(n).fill(1);
  const P: QrProblem = { n, q: k, Z, v: d.y, w, tau };
  const r = residuals(d, coef, b0);
  let fitObj = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    fitObj += w[i] * r[i] * (r[i] < 0 ? tau - 1 : tau);
    scale += w[i] * Math.abs(d.y[i]);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(r[a]) - Math.abs(r[b]) || a - b);
  const h = greedyBasis(P, order);
  const B = h && basisInverse(P, h);
  if (!h || !B) throw new RobustRegError('RANK_DEFICIENT', 'quantileTest: the design (with its intercept column) does not have full column rank', { argument: 'X' });
  const best = objectiveOf(P, optimize(P, makeVertex(P, h, B), undefined, 'quantileTest'));
  return fitObj <= best + 1e-9 * Math.max(best, 1e-9 * scale, Number.MIN_VALUE);
}
