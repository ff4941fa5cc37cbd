// Dense factorisation of the L1 kernel's basis matrix — twin of assembly/l1-lu.ts.
// ---- basis matrix M: LU with partial pivoting ----
import { aij, col, iPiv, iSlot, ic, mF, mI, mX, n, q, rCS, rH, rLU, wgt } from './l1-state.js';

export function columnScales(): void {
  const F = mF;
  for (let j = ic; j < q; j++) {
    let m = 0.0;
    const xp = col(j), X = mX;
    for (let i = 0; i < n; i++) if (wgt(i) > 0) { const a = Math.abs(X[xp + i]); if (a > m) m = a; }
    F[rCS + j] = m;
  }
  powerScales();
}

/** rCS[j] = the power of 2 s_j with s_j / 2 < m_j <= s_j for the maxima m_j in rCS[j] (j >= ic; 1 for
 *  the intercept, and for a column of zeros). */
export function powerScales(): void {
  const F = mF;
  for (let j = 0; j < q; j++) {
    const m = j < ic ? 1.0 : F[rCS + j];
    let s = 1.0;
    if (m > 0) {
      while (s < m && s < 8.98846567431158e307) s *= 2.0;
      while (s * 0.5 >= m && s > 2.2250738585072014e-308) s *= 0.5;
    }
    F[rCS + j] = s;
  }
}

export function factor(): boolean {
  const F = mF, I = mI;
  for (let s = 0; s < q; s++) {
    const i = I[iSlot + s];
    const row = rLU + s * q;
    if (i >= 0) {
      for (let j = 0; j < q; j++) F[row + j] = aij(i, j) / F[rCS + j];
    } else {
      for (let j = 0; j < q; j++) F[row + j] = 0.0;
      F[row - 1 - i] = 1.0;
    }
  }
  for (let k = 0; k < q; k++) {
    let pr = k;
    let big = Math.abs(F[rLU + k * q + k]);
    for (let i = k + 1; i < q; i++) {
      const v = Math.abs(F[rLU + i * q + k]);
      if (v > big) { big = v; pr = i; }
    }
    I[iPiv + k] = pr;
    if (big === 0) return false;
    if (pr !== k) {
      for (let j = 0; j < q; j++) {
        const t = F[rLU + k * q + j];
        F[rLU + k * q + j] = F[rLU + pr * q + j];
        F[rLU + pr * q + j] = t;
      }
    }
    const d = F[rLU + k * q + k];
    for (let i = k + 1; i < q; i++) {
      const l = F[rLU + i * q + k] / d;
      F[rLU + i * q + k] = l;
      if (l !== 0) for (let j = k + 1; j < q; j++) F[rLU + i * q + j] = F[rLU + i * q + j] - l * F[rLU + k * q + j];
    }
  }
  return true;
}

export function solve(x: number): void {
  const F = mF, I = mI;
  for (let k = 0; k < q; k++) {
    const pr = I[iPiv + k];
    if (pr !== k) { const t = F[x + k]; F[x + k] = F[x + pr]; F[x + pr] = t; }
  }
  for (let i = 1; i < q; i++) {
    let s = F[x + i];
    for (let k = 0; k < i; k++) s -= F[rLU + i * q + k] * F[x + k];
    F[x + i] = s;
  }
  for (let i = q - 1; i >= 0; i--) {
    let s = F[x + i];
    for (let k = i + 1; k < q; k++) s -= F[rLU + i * q + k] * F[x + k];
    F[x + i] = s / F[rLU + i * q + i];
  }
}

export function edgeLength2(s: number): number {
  const F = mF;
  for (let j = 0; j < q; j++) F[rH + j] = j === s ? 1.0 : 0.0;
  solve(rH);
  let t = 0.0;
  for (let j = 0; j < q; j++) { const e = F[rH + j]; t += e * e; }
  return t;
}

export function solveT(x: number): void {
  const F = mF, I = mI;
  for (let i = 0; i < q; i++) {
    let s = F[x + i];
    for (let k = 0; k < i; k++) s -= F[rLU + k * q + i] * F[x + k];
    F[x + i] = s / F[rLU + i * q + i];
  }
  for (let i = q - 2; i >= 0; i--) {
    let s = F[x + i];
    for (let k = i + 1; k < q; k++) s -= F[rLU + k * q + i] * F[x + k];
    F[x + i] = s;
  }
  for (let k = q - 1; k >= 0; k--) {
    const pr = I[iPiv + k];
    if (pr !== k) { const t = F[x + k]; F[x + k] = F[x + pr]; F[x + pr] = t; }
  }
}

