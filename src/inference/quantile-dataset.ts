// summary(result, dataset) for an l1/quantile fit with se 'nid', without copying the data (issue 18:
// nid at 1e6 × 10 within twice the fit's own time). The array path copies X three times (toArrays,
// the design, the refits' marshaling) and forms two n × k matrices for Householder QR in JavaScript;
// here:
// - the two refits at τ ± h run on the Dataset itself, warm-started from the fit;
// - one blocked pass over the stored columns gives the residuals (for the intercept's optimality
//   guard), the fitted differences x_i'(β_hi − β_lo) and the densities f_i (exactly as nidCovariance);
// - two passes of the moments kernel (GramAccumulator.add on views of the same X and y with the
//   weights ω = w² and ω = f·w²) give triangular factors of the centred co-moments, formed by
//   orthogonal updates (the accuracy of a QR of the centred design, not of a Gram matrix). Centred
//   at the w²-weighted means m: the meat is M = G'G, G = [[√W, 0], [0, R_m]], the bread
//   B = Σ f w² [1, x − m][1, x − m]' = F'F with F = [[√W_f, √W_f d'], [0, R_f]], d = m_f − m; so
//   V_c = τ(1−τ) B⁻¹MB⁻¹ = τ(1−τ) ZᵀZ with Z = G F⁻¹F⁻ᵀ, and V = T V_c Tᵀ back from centred
//   coordinates (uncentre).
// Anything out of the ordinary (unknown options, an unconverged fit, a singular bread, a Dataset
// in another backend) returns null and summary() takes the array path, which words the errors.
import { quantile as fitQuantile } from '../fit/api.js';
import { GramAccumulator } from '../fit/accumulator.js';
import { Dataset } from '../data/dataset.js';
import { checkCoefLike, uncentre, type Design } from './design.js';
import { invUpper } from './linalg.js';
import { usableBandwidth, type Bandwidth } from './quantile.js';

const EPS_NID = Math.sqrt(Number.EPSILON);
const OK_KEYS = new Set(['level', 'intercept', 'names', 'se', 'bandwidth', 'backend']);

export interface NidDataset {
  tau: number;
  h: number;
  rule: Bandwidth;
  coefAll: Float64Array;
  V: Float64Array;
  intercept: boolean;
  k: number;
  warnings: string[];
}

/** The nid summary's covariance on a Dataset, or null to take the general (array) path. */
export function nidOfDataset(res: Record<string, unknown>, ds: Dataset, o: Record<string, unknown>, minN: number): NidDataset | null {
  for (const key of Object.keys(o)) if (o[key] !== undefined && !OK_KEYS.has(key)) return null;
  const loss = res.loss;
  if (loss !== 'l1' && loss !== 'quantile') return null;
  const se = o.se ?? (ds.nPos <= minN ? 'rank' : 'nid');
  if (se !== 'nid') return null;
  const rule = (o.bandwidth ?? 'hall-sheather') as Bandwidth;
  if (rule !== 'hall-sheather' && rule !== 'bofinger') return null;
  if (o.intercept !== undefined && typeof o.intercept !== 'boolean') return null;
  const level = o.level ?? 0.95;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) return null;
  const intercept = o.intercept !== false;
  const backend = ds.slot.backend.name;
  if (o.backend !== undefined && o.backend !== 'auto' && o.backend !== backend) return null;
  if (res.converged !== true || res.n !== ds.rows) return null;
  const tau = loss === 'l1' ? 0.5 : res.tau;
  if (typeof tau !== 'number' || !(tau > 0 && tau < 1)) return null;
  const { n, p } = { n: ds.rows, p: ds.cols };
  let coef: Float64Array, b0: number;
  try {
    ({ coef, intercept: b0 } = checkCoefLike(res, p));
  } catch {
    return null;
  }
  if (!intercept && b0 !== 0) return null;
  const k = p + (intercept ? 1 : 0);
  const nPos = ds.nPos;
  if (nPos <= k) return null;

  // one pass: residuals → the intercept's optimality guard (as checkQuantileIntercept)
  const f64 = ds.slot.backend.f64();
  const X = ds.xView();
  const x0 = ds.pX / X.BYTES_PER_ELEMENT, y0 = ds.pY >>> 3, w0 = ds.pW ? ds.pW >>> 3 : -1;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = f64[y0 + i] - b0;
  for (let j = 0; j < p; j++) {
    const b = coef[j];
    if (b === 0) continue;
    const o0 = x0 + j * n;
    for (let i = 0; i < n; i++) r[i] -= X[o0 + i] * b;
  }
  if (intercept) {
    let scale = 0;
    for (let i = 0; i < n; i++) {
      if (w0 >= 0 && !(f64[w0 + i] > 0)) continue;
      const yi = f64[y0 + i];
      scale = Math.max(scale, Math.abs(yi), Math.abs(yi - r[i]));
    }
    const zeroTol = 1e-6 * Math.max(scale, Number.MIN_VALUE);
    let g = 0, wz = 0, wsum = 0;
    for (let i = 0; i < n; i++) {
      const wi = w0 >= 0 ? f64[w0 + i] : 1;
      if (!(wi > 0)) continue;
      wsum += wi;
      if (Math.abs(r[i]) <= zeroTol) wz += wi;
      else g += wi * (r[i] < 0 ? tau - 1 : tau);
    }
    const slack = 1e-9 * wsum;
    if (-g < (tau - 1) * wz - slack || -g > tau * wz + slack) return null; // the array path words the error
  }

  // the refits at tau ± h, on the Dataset, from the fit
  const h = usableBandwidth(tau, nPos, rule);
  const start = { coef, intercept: b0 };
  const hi = fitQuantile(ds, { tau: tau + h, start, intercept });
  const lo = fitQuantile(ds, { tau: tau - h, start, intercept });

  // densities (as nidCovariance): ω_b = f·w² into r's place, counts of crossings
  const dy = r; // reuse
  const d0 = intercept ? hi.intercept - lo.intercept : 0;
  dy.fill(d0);
  const X2 = ds.xView();
  for (let j = 0; j < p; j++) {
    const db = hi.coef[j] - lo.coef[j];
    if (db === 0) continue;
    const o0 = x0 + j * n;
    for (let i = 0; i < n; i++) dy[i] += X2[o0 + i] * db;
  }
  const slot = ds.slot;
  const [pWm, pWb] = slot.arena.allocMany([8 * n, 8 * n], 'summary (nid weights)', true);
  try {
    const f = slot.backend.f64();
    const om = pWm >>> 3, ob = pWb >>> 3;
    let nonPositive = 0, zeroed = 0, posM = 0, posB = 0;
    for (let i = 0; i < n; i++) {
      const wi = w0 >= 0 ? f[w0 + i] : 1;
      if (!(wi > 0)) { f[om + i] = 0; f[ob + i] = 0; continue; }
      const dyhat = wi * dy[i];
      if (dyhat <= 0) nonPositive++;
      if (dyhat <= EPS_NID) zeroed++;
      const fi = dyhat <= EPS_NID ? 0 : (2 * h) / (dyhat - EPS_NID);
      const w2 = wi * wi;
      f[om + i] = w2;
      f[ob + i] = fi * w2;
      posM++;
      if (fi * w2 > 0) posB++;
    }
    if (posB <= k) return null; // X'FX singular: the array path explains
    const stats = (pW: number, pos: number) => {
      const acc = new GramAccumulator(p, { backend });
      acc.add(new Dataset(slot, n, p, ds.pX, ds.pY, pW, pos, -1, ds.precision));
      return acc.stats;
    };
    const sm = stats(pWm, posM), sb = stats(pWb, posB);
    const q = p + 1;
    const m = intercept ? sm.mean.subarray(0, p) : new Float64Array(p);
    // G (meat factor) and F (bread factor), k × k upper triangular, column-major
    const G = new Float64Array(k * k), F = new Float64Array(k * k);
    const c0 = intercept ? 1 : 0;
    if (intercept) {
      G[0] = Math.sqrt(sm.W);
      const sW = Math.sqrt(sb.W);
      F[0] = sW;
      for (let a = 0; a < p; a++) F[(a + 1) * k] = sW * (sb.mean[a] - m[a]);
    }
    if (intercept) {
      for (let a = 0; a < p; a++) for (let b = a; b < p; b++) {
        G[(b + 1) * k + (a + 1)] = sm.R[a * q + b];
        F[(b + 1) * k + (a + 1)] = sb.R[a * q + b];
      }
    } else {
      // without an intercept the co-moments are about the means: add the mean back as one more
      // orthogonal row would need a QR update; take the array path instead.
      return null;
    }
    for (let j = 0; j < k; j++) {
      let colMax = 0;
      for (let i = 0; i <= j; i++) colMax = Math.max(colMax, Math.abs(F[j * k + i]));
      if (!(Math.abs(F[j * k + j]) > 1e-13 * colMax)) return null;
    }
    const Fi = invUpper(F, k); // upper
    // Binv = Fi Fiᵀ; Z = G Binv (k × k)
    const Binv = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let rr = 0; rr < k; rr++) {
      let s = 0;
      for (let l = Math.max(c, rr); l < k; l++) s += Fi[l * k + rr] * Fi[l * k + c];
      Binv[c * k + rr] = s;
    }
    const Z = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let rr = 0; rr < k; rr++) {
      let s = 0;
      for (let l = rr; l < k; l++) s += G[l * k + rr] * Binv[c * k + l];
      Z[c * k + rr] = s;
    }
    const Vc = new Float64Array(k * k);
    const s2 = tau * (1 - tau);
    for (let c = 0; c < k; c++) for (let rr = c; rr < k; rr++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += Z[rr * k + l] * Z[c * k + l];
      Vc[c * k + rr] = Vc[rr * k + c] = s2 * s;
    }
    void c0;
    const V = uncentre(Vc, Float64Array.from(m), { k, p, intercept } as Design);
    const warnings: string[] = [];
    if (zeroed > 0) {
      const obs = (x: number) => `${x} observation${x === 1 ? '' : 's'}`;
      const parts = [nonPositive > 0 ? `cross at ${obs(nonPositive)}` : '', zeroed > nonPositive ? `coincide (to √ε) at ${obs(zeroed - nonPositive)}` : ''].filter(Boolean);
      warnings.push(`nid: density estimate set to 0 at ${obs(zeroed)}: the fits at tau ± h ${parts.join(' and ')}` +
        (nonPositive > 0 ? ` (quantreg: "${nonPositive} non-positive fis")` : ''));
    }
    const coefAll = new Float64Array(k);
    if (intercept) coefAll[0] = b0;
    coefAll.set(coef, c0);
    return { tau, h, rule, coefAll, V, intercept, k, warnings };
  } finally {
    void pWb;
    slot.arena.freeBlock(pWm); // one block holds both weight vectors
  }
}
