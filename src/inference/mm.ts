// Covariance of the MM-estimator: robustbase's .vcov.avar1 (lmrob's default for method "MM"), the
// asymptotic covariance of Croux, Dhaene & Hoorelbeke (2003) accounting for the S-estimate's scale,
// with robustbase's "posdefify" repair of negative eigenvalues. Read from robustbase 0.95
// (R/lmrob.MM.R .vcov.avar1) for the formula only; no code copied. Notation as there:
//   r.s = r / s (MM residuals), r0.s = r0 / s (S residuals), X with the intercept column,
//   A = s (X' diag(ψ'(r.s)) X)^-1, a = A X' (ψ'(r.s) r.s) / mean(ρ_chi'(r0.s) r0.s),
//   u1 = n A X' diag(ψ(r.s)²) X A, u2 = a (X' ψ(r.s) ρ_chi(r0.s))' A, u3 = u2', u4 = mean(ρ_chi(r0.s)² − bb²) a a',
//   V = (u1 − u2 − u3 + u4) / n, bb = 1/2 (robustbase's convention for S-estimates).
// ψ = the bisquare psi at c_psi (not normalised), ρ_chi = the bisquare rho at c_chi normalised to
// sup 1, so ρ_chi'(x) = 6 ψ_chi(x) / c_chi².
import { RobustRegError } from '../errors.js';
import { psiBisquare, psiPrimeBisquare, rhoBisquare } from '../fit/mm.js';
import type { InferenceData } from './design.js';

/** Row i, column j of [1, X] (j = 0 the intercept when d.intercept). */
function xij(d: InferenceData, i: number, j: number): number {
  if (d.intercept) return j === 0 ? 1 : d.X[(j - 1) * d.n + i];
  return d.X[j * d.n + i];
}

/** Inverse of a k × k matrix (column-major) by Gauss-Jordan with partial pivoting; null if singular. */
function inverse(M: Float64Array, k: number): Float64Array | null {
  const a = Float64Array.from(M);
  const inv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) inv[j * k + j] = 1;
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  for (let c = 0; c < k; c++) {
    let piv = c, best = Math.abs(a[c * k + c]);
    for (let r = c + 1; r < k; r++) if (Math.abs(a[c * k + r]) > best) { best = Math.abs(a[c * k + r]); piv = r; }
    if (!(best > 1e-14 * scale)) return null;
    if (piv !== c) {
      for (let j = 0; j < k; j++) {
        let t = a[j * k + c]; a[j * k + c] = a[j * k + piv]; a[j * k + piv] = t;
        t = inv[j * k + c]; inv[j * k + c] = inv[j * k + piv]; inv[j * k + piv] = t;
      }
    }
    const d = a[c * k + c];
    for (let j = 0; j < k; j++) { a[j * k + c] /= d; inv[j * k + c] /= d; }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[c * k + r];
      if (f === 0) continue;
      for (let j = 0; j < k; j++) { a[j * k + r] -= f * a[j * k + c]; inv[j * k + r] -= f * inv[j * k + c]; }
    }
  }
  return inv;
}

/** Symmetric eigen-decomposition by cyclic Jacobi: values and vectors (columns of Q, column-major). */
function eigenSym(S: Float64Array, k: number): { values: Float64Array; Q: Float64Array } {
  const a = Float64Array.from(S);
  const Q = new Float64Array(k * k);
  for (let j = 0; j < k; j++) Q[j * k + j] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, tot = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) { tot += a[j * k + i] ** 2; if (i !== j) off += a[j * k + i] ** 2; }
    if (off <= 1e-30 * tot) break;
    for (let pI = 0; pI < k - 1; pI++) {
      for (let qI = pI + 1; qI < k; qI++) {
        const apq = a[qI * k + pI];
        if (apq === 0) continue;
        const app = a[pI * k + pI], aqq = a[qI * k + qI];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[pI * k + r], arq = a[qI * k + r];
          a[pI * k + r] = c * arp - s * arq;
          a[qI * k + r] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[r * k + pI], aqr = a[r * k + qI];
          a[r * k + pI] = c * apr - s * aqr;
          a[r * k + qI] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const qp = Q[pI * k + r], qq = Q[qI * k + r];
          Q[pI * k + r] = c * qp - s * qq;
          Q[qI * k + r] = s * qp + c * qq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let j = 0; j < k; j++) values[j] = a[j * k + j];
  return { values, Q };
}

/** .vcov.avar1 of an MM fit: r = MM residuals, r0 = S residuals (both of the rows of d), scale s > 0. */
export function mmCovariance(d: InferenceData, r: Float64Array, r0: Float64Array, s: number, cPsi: number, cChi: number,
  warnings: string[]): Float64Array {
  const n = d.n, k = d.k, bb = 0.5;
  const rs = new Float64Array(n), r0s = new Float64Array(n);
  for (let i = 0; i < n; i++) { rs[i] = r[i] / s; r0s[i] = r0[i] / s; }
  const w = new Float64Array(n), w0 = new Float64Array(n);
  let meanW0r0 = 0;
  for (let i = 0; i < n; i++) {
    w[i] = psiPrimeBisquare(rs[i], cPsi);
    w0[i] = 6 * psiBisquare(r0s[i], cChi) / (cChi * cChi);
    meanW0r0 += w0[i] * r0s[i];
  }
  meanW0r0 /= n;
  const xwx = new Float64Array(k * k);
  const xwr = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let t = 0;
      for (let i = 0; i < n; i++) t += xij(d, i, a) * w[i] * xij(d, i, b);
      xwx[a * k + b] = t; xwx[b * k + a] = t;
    }
    let t = 0;
    for (let i = 0; i < n; i++) t += xij(d, i, a) * w[i] * rs[i];
    xwr[a] = t;
  }
  const inv = inverse(xwx, k);
  if (inv === null) {
    throw new RobustRegError('RANK_DEFICIENT', `summary: X'WX (W = psi'(r/s) of the MM fit) is singular: the .vcov.avar1 covariance does not exist for this fit`, {});
  }
  const A = inv.map((v) => v * s);
  const av = new Float64Array(k);
  for (let a = 0; a < k; a++) { let t = 0; for (let b = 0; b < k; b++) t += A[b * k + a] * xwr[b]; av[a] = t / meanW0r0; }
  // second part: ψ and ρ_chi themselves
  const psi = new Float64Array(n), rho0 = new Float64Array(n);
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    psi[i] = psiBisquare(rs[i], cPsi);
    rho0[i] = rhoBisquare(r0s[i], cChi);
    m2 += rho0[i] * rho0[i] - bb * bb;
  }
  m2 /= n;
  const Xww = new Float64Array(k);
  const xw2x = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += xij(d, i, a) * psi[i] * rho0[i];
    Xww[a] = t;
    for (let b = 0; b <= a; b++) {
      let u = 0;
      for (let i = 0; i < n; i++) u += xij(d, i, a) * psi[i] * psi[i] * xij(d, i, b);
      xw2x[a * k + b] = u; xw2x[b * k + a] = u;
    }
  }
  const mul = (P: Float64Array, Qm: Float64Array) => {
    const o = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let r2 = 0; r2 < k; r2++) {
      let t = 0;
      for (let l = 0; l < k; l++) t += P[l * k + r2] * Qm[c * k + l];
      o[c * k + r2] = t;
    }
    return o;
  };
  const u1 = mul(mul(A, xw2x), A.map((v) => v * n));
  const XwwA = new Float64Array(k); // (Xww' A) as a row
  for (let c = 0; c < k; c++) { let t = 0; for (let l = 0; l < k; l++) t += Xww[l] * A[c * k + l]; XwwA[c] = t; }
  const AXww = new Float64Array(k);
  for (let r2 = 0; r2 < k; r2++) { let t = 0; for (let l = 0; l < k; l++) t += A[l * k + r2] * Xww[l]; AXww[r2] = t; }
  const V = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let r2 = 0; r2 < k; r2++) {
    const u2 = av[r2] * XwwA[c];
    const u3 = AXww[r2] * av[c];
    const u4 = m2 * av[r2] * av[c];
    V[c * k + r2] = (u1[c * k + r2] - u2 - u3 + u4) / n;
  }
  // posdefify (robustbase's default posdef.meth): zero negative eigenvalues, rescale to the diagonal
  const { values, Q } = eigenSym(V, k);
  if (values.some((v) => v < 0)) {
    warnings.push(`the .vcov.avar1 covariance had ${values.filter((v) => v < 0).length} negative eigenvalue(s); repaired as robustbase does (posdefify)`);
    const od = new Float64Array(k);
    for (let j = 0; j < k; j++) od[j] = V[j * k + j];
    const R2 = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let r2 = 0; r2 < k; r2++) {
      let t = 0;
      for (let l = 0; l < k; l++) t += Q[l * k + r2] * Math.max(0, values[l]) * Q[l * k + c];
      R2[c * k + r2] = t;
    }
    const D = new Float64Array(k);
    for (let j = 0; j < k; j++) D[j] = Math.sqrt(Math.max(0, od[j]) / R2[j * k + j]);
    for (let c = 0; c < k; c++) for (let r2 = 0; r2 < k; r2++) V[c * k + r2] = D[r2] * R2[c * k + r2] * D[c];
  }
  return V;
}
