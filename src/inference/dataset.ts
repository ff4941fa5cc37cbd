// Least-squares inference on a Dataset without copying X. With an intercept, classical: one pass of
// the moments kernel; HC0/HC1: one more moments pass with the weights w²r² (fromMoments). Otherwise blocked passes over linear memory:
// the weighted column means (one pass per column), then row blocks of the centred, √w-scaled
// design A: the Gram matrix A'A, the residuals, the normal-equations check, R² and — for HC0/HC1 —
// the meat A'ΩA in the same pass; HC2/HC3 need the leverages h_i = a_i'(A'A)⁻¹a_i and so one more
// pass. The Gram matrix squares the condition number, so this path is taken only when the centred,
// column-scaled A'A is well conditioned (1-norm condition ≤ 1e6, i.e. relative errors ≲ 1e-10 in
// the covariance); otherwise summary() copies the data and uses the QR path (src/inference/l2.ts).
import { GramAccumulator } from '../fit/accumulator.js';
import { withSlot } from '../backend/runtime.js';
import { STATUS_OK } from '../abi/status.js';
import { Dataset } from '../data/dataset.js';
import { RobustRegError } from '../errors.js';
import { uncentre, type InferenceData } from './design.js';
import { fSf } from './distributions.js';
import { cholSolve, spdInverse } from '../linalg/dense.js';
import { l2Fit, type L2Inference, type L2Vcov } from './l2.js';

const BLOCK = 256;
/** Largest 1-norm condition number of the scaled centred Gram matrix accepted here. */
export const GRAM_COND_LIMIT = 1e6;

interface Stored {
  n: number;
  p: number;
  k: number;
  intercept: boolean;
  X: Float64Array | Float32Array;
  x0: number;
  f: Float64Array;
  y0: number;
  /** index of the weights in f, or −1 */
  w0: number;
}

function stored(ds: Dataset, intercept: boolean): Stored {
  const X = ds.xView();
  const f = ds.slot.backend.f64();
  return {
    n: ds.rows, p: ds.cols, k: ds.cols + (intercept ? 1 : 0), intercept, X, x0: ds.pX / X.BYTES_PER_ELEMENT, f, y0: ds.pY >>> 3,
    w0: ds.pW ? ds.pW >>> 3 : -1,
  };
}

/** Weighted means of the columns of X and of y, each refined by the mean of its deviations. */
function means(s: Stored): { m: Float64Array; ybar: number; sw: number } {
  const { n, p, X, x0, f, y0, w0 } = s;
  let sw = 0;
  for (let i = 0; i < n; i++) sw += w0 >= 0 ? f[w0 + i] : 1;
  const mean = (get: (i: number) => number): number => {
    let a = 0;
    for (let i = 0; i < n; i++) a += (w0 >= 0 ? f[w0 + i] : 1) * get(i);
    let mu = a / sw;
    let c = 0;
    for (let i = 0; i < n; i++) c += (w0 >= 0 ? f[w0 + i] : 1) * (get(i) - mu);
    mu += c / sw;
    return mu;
  };
  const m = new Float64Array(p);
  if (s.intercept) {
    for (let j = 0; j < p; j++) {
      const o = x0 + j * n;
      m[j] = mean((i) => X[o + i]);
    }
  }
  const ybar = mean((i) => f[y0 + i]);
  return { m, ybar, sw };
}

/**
 * Visit the rows in blocks: A (count × k, column-major, centred and √w-scaled), e = √w·r, and f − ȳ
 * (fitted minus the mean of y) with its weight.
 */
function forBlocks(s: Stored, m: Float64Array, coef: ArrayLike<number>, b0: number, ybar: number,
  visit: (A: Float64Array, e: Float64Array, fc: Float64Array, w: Float64Array, count: number) => void): void {
  const { n, p, k, X, x0, f, y0, w0, intercept } = s;
  const A = new Float64Array(BLOCK * k);
  const e = new Float64Array(BLOCK);
  const fc = new Float64Array(BLOCK);
  const sw = new Float64Array(BLOCK);
  const w = new Float64Array(BLOCK);
  const c0 = intercept ? 1 : 0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const count = Math.min(BLOCK, n - i0);
    for (let i = 0; i < count; i++) {
      e[i] = f[y0 + i0 + i] - b0;
      w[i] = w0 >= 0 ? f[w0 + i0 + i] : 1;
      sw[i] = w0 >= 0 ? Math.sqrt(w[i]) : 1;
    }
    if (intercept) for (let i = 0; i < count; i++) A[i] = sw[i];
    for (let j = 0; j < p; j++) {
      const o = x0 + j * n + i0;
      const bj = coef[j];
      const mj = m[j];
      const oa = (j + c0) * BLOCK;
      for (let i = 0; i < count; i++) {
        const x = X[o + i];
        e[i] -= x * bj;
        A[oa + i] = (x - mj) * sw[i];
      }
    }
    for (let i = 0; i < count; i++) {
      fc[i] = f[y0 + i0 + i] - e[i] - ybar; // fitted − ȳ
      e[i] *= sw[i];
    }
    visit(A, e, fc, w, count);
  }
}

/** G += Σ_i s_i² a_i a_i' over a block (upper triangle), s = null for 1. */
function addGram(G: Float64Array, k: number, A: Float64Array, s: Float64Array | null, count: number, tmp: Float64Array): void {
  let B = A;
  if (s) {
    for (let c = 0; c < k; c++) for (let i = 0; i < count; i++) tmp[c * BLOCK + i] = A[c * BLOCK + i] * s[i];
    B = tmp;
  }
  for (let c = 0; c < k; c++) {
    const oc = c * BLOCK;
    for (let d = c; d < k; d++) {
      const od = d * BLOCK;
      let acc = 0;
      for (let i = 0; i < count; i++) acc += B[oc + i] * B[od + i];
      G[d * k + c] += acc;
    }
  }
}

/** Fills the strict lower part of a k × k column-major upper triangle from the upper; returns G. */
export function symmetrize(G: Float64Array, k: number): Float64Array {
  for (let c = 0; c < k; c++) for (let d = c + 1; d < k; d++) G[c * k + d] = G[d * k + c];
  return G;
}

function norm1(S: Float64Array, k: number): number {
  let best = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let r = 0; r < k; r++) s += Math.abs(S[c * k + r]);
    best = Math.max(best, s);
  }
  return best;
}

/** B = Gi S Gi (k × k, all symmetric). */
export function sandwich3(Gi: Float64Array, S: Float64Array, k: number): Float64Array {
  const T = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) {
    let v = 0;
    for (let l = 0; l < k; l++) v += Gi[l * k + r] * S[c * k + l];
    T[c * k + r] = v;
  }
  const V = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) {
    let v = 0;
    for (let l = 0; l < k; l++) v += T[l * k + r] * Gi[c * k + l];
    V[c * k + r] = v;
  }
  return V;
}

/**
 * Classical least-squares inference with an intercept from one pass of the moments kernel
 * (GramAccumulator.add(dataset): a triangular factor R of the centred co-moments of [X | y], formed
 * by orthogonal updates, so the accuracy is governed by cond(X_c), not its square). With
 * d = r_xy − R_xx b and the residual mean r̄ = ȳ − b0 − m'b: RSS = ‖d‖² + R_yy² + W r̄²,
 * V(slopes) = σ² R_xx⁻¹R_xx⁻ᵀ, V(intercept at the means) = σ²/W, mss = ‖R_xx b‖². Null when R_xx
 * is singular (the caller then takes the QR path, which names the column).
 */
function fromMoments(ds: Dataset, coef: ArrayLike<number>, b0: number, coefAll: Float64Array, type: 'classical' | 'HC0' | 'HC1'): L2Inference | null {
  const p = ds.cols;
  const q = p + 1;
  const k = p + 1;
  const acc = new GramAccumulator(p, { backend: ds.slot.backend.name === 'js' ? 'js' : 'wasm' });
  acc.add(ds);
  const { R, mean, W } = acc.stats;
  const n = ds.nPos;
  const df = n - k;
  for (let j = 0; j < p; j++) {
    let cn = 0;
    for (let i = 0; i <= j; i++) cn += R[i * q + j] * R[i * q + j];
    if (!(Math.abs(R[j * q + j]) > 1e-13 * Math.sqrt(cn))) return null;
  }
  const d = new Float64Array(p);
  const Rb = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let j = i; j < p; j++) s += R[i * q + j] * coef[j];
    Rb[i] = s;
    d[i] = R[i * q + p] - s;
  }
  const ryy = R[p * q + p];
  let mb = 0;
  for (let j = 0; j < p; j++) mb += mean[j] * coef[j];
  const rbar = mean[p] - b0 - mb;
  let dd = 0, mss = 0, tss = 0;
  for (let i = 0; i < p; i++) { dd += d[i] * d[i]; mss += Rb[i] * Rb[i]; }
  for (let i = 0; i <= p; i++) tss += R[i * q + p] * R[i * q + p];
  const rss = dd + ryy * ryy + W * rbar * rbar;
  // the normal equations: X_c'r = R_xx'd and Σ w r = W r̄ must vanish (checkNormalEquations in l2.ts)
  const eNorm = Math.sqrt(rss) + 1e-6 * Math.sqrt(tss + W * mean[p] * mean[p]);
  const guard = (g: number, colNorm: number, which: string) => {
    if (Math.abs(g) > 1e-6 * colNorm * eNorm) {
      throw new RobustRegError('INVALID_INPUT', `summary: the least-squares residuals are not orthogonal to ${which} of X; the result was not fitted to this X and y with these options (check weights and intercept; ridge fits have no classical inference)`, { argument: 'result' });
    }
  };
  guard(W * rbar, Math.sqrt(W), 'the intercept');
  for (let j = 0; j < p; j++) {
    let g = 0, cn = 0;
    for (let i = 0; i <= j; i++) { g += R[i * q + j] * d[i]; cn += R[i * q + j] * R[i * q + j]; }
    guard(g, Math.sqrt(cn), `column ${j}`);
  }
  const sigma2 = rss / df;
  // R_xx⁻¹ (upper), then V_c = diag(σ²/W, σ² R⁻¹R⁻ᵀ) in centred coordinates (classical), or the
  // sandwich G⁻¹ M G⁻¹ with G = diag(W, R'R) and the meat M from a second moments pass (HC0/HC1)
  const Ri = new Float64Array(p * p);
  for (let j = p - 1; j >= 0; j--) {
    Ri[j * p + j] = 1 / R[j * q + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let l = i + 1; l <= j; l++) s += R[i * q + l] * Ri[l * p + j];
      Ri[i * p + j] = -s / R[i * q + i];
    }
  }
  let Vc: Float64Array = new Float64Array(k * k);
  Vc[0] = 1 / W;
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let l = b; l < p; l++) s += Ri[a * p + l] * Ri[b * p + l];
      Vc[(b + 1) * k + (a + 1)] = s;
      Vc[(a + 1) * k + (b + 1)] = s;
    }
  }
  const warnings: string[] = [];
  if (type === 'classical') {
    for (let i = 0; i < k * k; i++) Vc[i] *= sigma2;
  } else {
    const M = meatFromMoments(ds, coef, b0, mean.subarray(0, p) as Float64Array);
    if (type === 'HC1') for (let i = 0; i < k * k; i++) M[i] *= n / df;
    Vc = sandwich3(Vc, M, k);
  }
  const V = uncentre(Vc, mean.subarray(0, p) as Float64Array, { k, p, intercept: true } as InferenceData);
  const rSquared = mss / (mss + rss);
  const adjRSquared = 1 - (1 - rSquared) * ((n - 1) / df);
  let fStatistic: L2Inference['fStatistic'];
  if (p > 0 && df > 0) {
    const value = type === 'classical' ? mss / p / sigma2 : waldF(V, coefAll, k, 1, type, warnings);
    fStatistic = { value, df1: p, df2: df, pValue: Number.isNaN(value) ? NaN : fSf(value, p, df) };
  }
  if (df <= 0) warnings.push(`no residual degrees of freedom (n = ${n}, ${k} coefficients): standard errors are not available`);
  return { V, df, sigma: Math.sqrt(sigma2), rSquared, adjRSquared, fStatistic, warnings };
}

/** The robust Wald F on the non-intercept coefficients: b' V_bb⁻¹ b / q. */
function waldF(V: Float64Array, coefAll: Float64Array, k: number, dfInt: number, type: string, warnings: string[]): number {
  const q = k - dfInt;
  const Vbb = new Float64Array(q * q);
  const b = new Float64Array(q);
  for (let c = 0; c < q; c++) {
    b[c] = coefAll[c + dfInt];
    for (let r = 0; r < q; r++) Vbb[c * q + r] = V[(c + dfInt) * k + (r + dfInt)];
  }
  const x = cholSolve(Vbb, q, b);
  if (x === null) {
    warnings.push(`${type}: the covariance of the coefficients is not positive definite; no F test`);
    return NaN;
  }
  let t = 0;
  for (let j = 0; j < q; j++) t += b[j] * x[j];
  return t / q;
}

/**
 * The HC0 meat Σ ω_i [1, x_i − m][1, x_i − m]ᵀ, ω_i = w_i² r_i², centred at the w-weighted means m:
 * the residuals in one pass over the stored columns, then one pass of the moments kernel over a
 * view of the same X and y with ω as its weights (only ω is allocated): with the ω-weighted means
 * m_ω, total W_ω and co-moments C_ω, M_xx = C_ω + W_ω (m_ω − m)(m_ω − m)ᵀ, M_0x = W_ω (m_ω − m),
 * M_00 = W_ω.
 */
function meatFromMoments(ds: Dataset, coef: ArrayLike<number>, b0: number, m: Float64Array): Float64Array {
  const n = ds.rows, p = ds.cols, k = p + 1, q = p + 1;
  const slot = ds.slot;
  const [pO] = slot.arena.allocMany([8 * n], 'summary (HC weights)', true);
  try {
    const f = slot.backend.f64();
    const o = pO >>> 3, y0 = ds.pY >>> 3, w0 = ds.pW ? ds.pW >>> 3 : -1;
    for (let i = 0; i < n; i++) f[o + i] = f[y0 + i] - b0;
    const X = ds.xView();
    const x0 = ds.pX / X.BYTES_PER_ELEMENT;
    for (let j = 0; j < p; j++) {
      const col = X.subarray(x0 + j * n, x0 + (j + 1) * n);
      if (col instanceof Float64Array) subtract64(f, o, col, coef[j]);
      else subtract32(f, o, col, coef[j]);
    }
    let pos = 0;
    for (let i = 0; i < n; i++) {
      const wr = (w0 >= 0 ? f[w0 + i] : 1) * f[o + i];
      f[o + i] = wr * wr;
      if (wr !== 0) pos++;
    }
    const M = new Float64Array(k * k);
    if (pos === 0) return M; // an exact fit: every residual is zero
    const view = new Dataset(slot, n, p, ds.pX, ds.pY, pO, pos, -1, ds.precision);
    const acc = new GramAccumulator(p, { backend: slot.backend.name });
    acc.add(view);
    const { R, mean, W } = acc.stats;
    M[0] = W;
    for (let a = 0; a < p; a++) {
      const da = mean[a] - m[a];
      M[(a + 1) * k] = M[a + 1] = W * da;
      for (let b = a; b < p; b++) {
        let c = 0;
        for (let l = 0; l <= a; l++) c += R[l * q + a] * R[l * q + b];
        const v = c + W * da * (mean[b] - m[b]);
        M[(b + 1) * k + (a + 1)] = v;
        M[(a + 1) * k + (b + 1)] = v;
      }
    }
    return M;
  } finally {
    slot.arena.freeBlock(pO);
  }
}

function subtract64(f: Float64Array, o: number, col: Float64Array, b: number): void {
  for (let i = 0; i < col.length; i++) f[o + i] -= col[i] * b;
}

function subtract32(f: Float64Array, o: number, col: Float32Array, b: number): void {
  for (let i = 0; i < col.length; i++) f[o + i] -= col[i] * b;
}

/**
 * l2Inference (src/inference/l2.ts) on a Dataset in blocked passes, or null when the centred Gram
 * matrix is too ill-conditioned for this path (the caller then uses the QR path).
 */
export function l2InferenceDataset(ds: Dataset, coef: ArrayLike<number>, b0: number, coefAll: Float64Array, intercept: boolean, type: L2Vcov): L2Inference | null {
  if (type === 'classical' || type === 'HC0' || type === 'HC1') {
    const one = fromKernel(ds, coef, b0, coefAll, intercept, type);
    if (one) return one;
  }
  if (intercept && (type === 'classical' || type === 'HC0' || type === 'HC1')) return fromMoments(ds, coef, b0, coefAll, type);
  const s = stored(ds, intercept);
  const { k, p } = s;
  const n = ds.nPos;
  const df = n - k;
  const { m, ybar, sw: swSum } = means(s);
  const G = new Float64Array(k * k);
  const M = new Float64Array(k * k);
  const g = new Float64Array(k);
  const tmp = new Float64Array(BLOCK * k);
  const sq = new Float64Array(BLOCK);
  let rss = 0, yy = 0, mss1 = 0, mss2 = 0;
  const meatNow = type === 'classical' || type === 'HC0' || type === 'HC1';
  forBlocks(s, m, coef, b0, ybar, (A, e, fc, w, count) => {
    addGram(G, k, A, null, count, tmp);
    for (let i = 0; i < count; i++) {
      rss += e[i] * e[i];
      mss1 += w[i] * fc[i];
      mss2 += w[i] * fc[i] * fc[i];
      const yv = (fc[i] + ybar) * Math.sqrt(w[i]) + e[i];
      yy += yv * yv;
    }
    for (let c = 0; c < k; c++) {
      let acc = 0;
      for (let i = 0; i < count; i++) acc += A[c * BLOCK + i] * e[i];
      g[c] += acc;
    }
    if (meatNow && type !== 'classical') {
      for (let i = 0; i < count; i++) sq[i] = Math.abs(e[i]);
      addGram(M, k, A, sq, count, tmp);
    }
  });
  symmetrize(G, k);
  // conditioning of the column-scaled G (scaling does not change the covariance, only the test)
  const inv = gramInverse(G, k);
  if (inv === null) return null;
  const { Gi, dg } = inv;
  checkOrthogonal(g, dg, k, intercept, rss, yy);

  const warnings: string[] = [];
  const sigma2 = rss / df;
  let Vc: Float64Array;
  if (type === 'classical') {
    Vc = Gi.map((v) => v * sigma2);
  } else {
    if (!meatNow) {
      // HC2/HC3: leverages need (A'A)⁻¹, so a second pass
      let high = 0;
      const hv = new Float64Array(BLOCK);
      forBlocks(s, m, coef, b0, ybar, (A, e, _fc, _w, count) => {
        for (let i = 0; i < count; i++) {
          let h = 0;
          for (let c = 0; c < k; c++) {
            let t = 0;
            for (let d = 0; d < k; d++) t += Gi[d * k + c] * A[d * BLOCK + i];
            h += A[c * BLOCK + i] * t;
          }
          if (h > 1 - Math.sqrt(Number.EPSILON)) high++;
          const om = type === 'HC2' ? 1 / (1 - h) : 1 / ((1 - h) * (1 - h));
          hv[i] = Math.abs(e[i]) * Math.sqrt(om);
        }
        addGram(M, k, A, hv, count, tmp);
      });
      if (high > 0) warnings.push(`${type}: ${high} observation${high > 1 ? 's have' : ' has'} leverage 1 (to rounding); the ${type} covariance is unstable or infinite for them`);
    }
    symmetrize(M, k);
    if (type === 'HC1') for (let c = 0; c < k * k; c++) M[c] *= n / df;
    Vc = sandwich3(Gi, M, k);
  }
  const V = uncentre(Vc, m, { k, p, intercept } as InferenceData);

  // R² and F as summary.lm
  const mss = intercept ? mss2 - (mss1 * mss1) / swSum : mss2 + 2 * ybar * mss1 + ybar * ybar * swSum;
  return l2Fit(V, coefAll, mss, rss, sigma2, n, k, df, intercept, type, warnings);
}

/**
 * Classical, HC0 and HC1 inference from ONE pass of the hc kernel (assembly/hc.ts; twin
 * src/twin/hc.ts): the Gram matrix G = Σ w a a' of the shifted columns a = [1, x − s] (s: the mean of
 * the first block of rows), the meat M = Σ (w r)² a a', the normal equations Σ w r a, RSS and the
 * sums of y. The covariance is formed in the shifted coordinates (σ² G⁻¹, or G⁻¹ M G⁻¹) and mapped
 * to the intercept at 0 exactly as from centred coordinates (b0 = c0 − s'b). Forming G squares the
 * condition number, so this is used only when the column-scaled G has a 1-norm condition ≤
 * GRAM_COND_LIMIT (relative errors ≲ 1e-10); otherwise null and the caller takes the moments (QR)
 * path. Also null when a sum overflows.
 */
function fromKernel(ds: Dataset, coef: ArrayLike<number>, b0: number, coefAll: Float64Array, intercept: boolean, type: 'classical' | 'HC0' | 'HC1'): L2Inference | null {
  const n = ds.rows, p = ds.cols;
  const k = p + (intercept ? 1 : 0);
  const slot = ds.slot;
  const meat = type !== 'classical';
  const out = withSlot(slot, () => {
    const kern = slot.backend.kernels;
    const outLen = 2 * k * k + k + 4 + p + 1;
    const [pB, pOut, pWork] = slot.arena.allocMany([8 * (p + 1), 8 * outLen, kern.hc_work_bytes(n, p)], `summary (Dataset of n = ${n} rows, p = ${p})`);
    const f = slot.backend.f64();
    f[pB >>> 3] = intercept ? b0 : 0;
    for (let j = 0; j < p; j++) f[(pB >>> 3) + 1 + j] = coef[j];
    const status = kern.hc_pass(n, p, ds.pX, ds.pY, ds.pW, intercept ? 1 : 0, pB, meat ? 1 : 0, pOut, pWork, ds.xf32);
    if (status !== STATUS_OK) return null;
    return slot.backend.f64().slice(pOut >>> 3, (pOut >>> 3) + outLen);
  });
  if (out === null) return null;
  const oG = 2 * k * k, oS = oG + k, oShift = oS + 4;
  const G = out.subarray(0, k * k);
  const M = out.subarray(k * k, 2 * k * k);
  symmetrize(G, k);
  if (meat) symmetrize(M, k);
  const rss = out[oS], W = out[oS + 1], sy = out[oS + 2], syy = out[oS + 3];
  const s = out.slice(oShift, oShift + p);
  const sY = out[oShift + p];
  const nPos = ds.nPos;
  const df = nPos - k;
  const inv = gramInverse(G, k);
  if (inv === null) return null;
  const { Gi, dg } = inv;
  // the normal equations: Σ w y² from the pass's shifted sums
  checkOrthogonal(out.subarray(oG, oG + k), dg, k, intercept, rss, syy + sY * (2 * sy + sY * W));
  const warnings: string[] = [];
  const sigma2 = rss / df;
  let Vs: Float64Array;
  if (type === 'classical') {
    Vs = Gi.map((v) => v * sigma2);
  } else {
    const Mc = Float64Array.from(M);
    if (type === 'HC1') for (let c = 0; c < k * k; c++) Mc[c] *= nPos / df;
    Vs = sandwich3(Gi, Mc, k);
  }
  const V = uncentre(Vs, s, { k, p, intercept } as InferenceData);
  // explained sum of squares b'Cb: C the weighted co-moments of X (centred at the weighted means)
  // with an intercept, the raw second moments without
  let mss = 0;
  const c0 = intercept ? 1 : 0;
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      let cab = G[(b + c0) * k + (a + c0)];
      if (intercept) cab -= (G[a + 1] * G[b + 1]) / W; // G[0, a+1] = Σ w (x_a − s_a)
      mss += coef[a] * cab * coef[b];
    }
  }
  if (df <= 0) warnings.push(`no residual degrees of freedom (n = ${nPos}, ${k} coefficients): standard errors are not available`);
  return l2Fit(V, coefAll, Math.max(mss, 0), rss, sigma2, nPos, k, df, intercept, type, warnings);
}

/**
 * (A'A)⁻¹ through the column-scaled Gram matrix (scaling does not change the covariance, only the
 * conditioning test): null when a column has no weight or cond₁ of the scaled matrix exceeds
 * GRAM_COND_LIMIT (the caller then takes the QR path). dg = √diag(A'A).
 */
export function gramInverse(G: Float64Array, k: number, limit = GRAM_COND_LIMIT): { Gi: Float64Array; dg: Float64Array } | null {
  const dg = new Float64Array(k);
  for (let c = 0; c < k; c++) dg[c] = Math.sqrt(G[c * k + c]);
  if (dg.some((v) => !(v > 0))) return null;
  const Gs = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) Gs[c * k + r] = G[c * k + r] / (dg[c] * dg[r]);
  const Gsi = spdInverse(Gs, k);
  if (!Gsi || norm1(Gs, k) * norm1(Gsi, k) > limit) return null;
  const Gi = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) Gi[c * k + r] = Gsi[c * k + r] / (dg[c] * dg[r]);
  return { Gi, dg };
}

/**
 * The normal equations (checkNormalEquations in l2.ts): the residuals must be orthogonal to every
 * column of A (g = A'e, yy = Σ w y²), else the result was not fitted to this data.
 */
function checkOrthogonal(g: ArrayLike<number>, dg: Float64Array, k: number, intercept: boolean, rss: number, yy: number): void {
  const eNorm = Math.sqrt(rss) + 1e-6 * Math.sqrt(Math.max(yy, 0));
  for (let c = 0; c < k; c++) {
    if (Math.abs(g[c]) > 1e-6 * dg[c] * eNorm) {
      const which = intercept ? (c === 0 ? 'the intercept' : `column ${c - 1}`) : `column ${c}`;
      throw new RobustRegError('INVALID_INPUT', `summary: the least-squares residuals are not orthogonal to ${which} of X; the result was not fitted to this X and y with these options (check weights and intercept; ridge fits have no classical inference)`, { argument: 'result', column: c });
    }
  }
}
