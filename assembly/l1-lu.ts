// Dense factorisation of the L1 kernel's basis matrix (assembly/l1.ts). Twin: src/twin/l1-lu.ts.
//
// Basis matrix in column-scaled coordinates, M^ = M S^-1 with S = diag(s_j), s_j powers of 2: the
// scaling is exact, so the LU of M^ is that of M up to exact factors, but no entry is denormal or
// astronomically large (a column of 1e-300s, or 1e-323 beside 1e-35, would otherwise lose every digit
// in the elimination). Quantities in scaled coordinates: b^ = S b, h^ = S h, g^ = S^-1 g; the duals u
// are the same. M^ is row-major q x q; LU with partial pivoting (row interchanges), as LAPACK dgetrf.
import { aij, dataW, dataX, ic, n, q, wCS, wH, wLU, wPiv, wSlot, wV } from "./l1-state";
import { ROW_CHUNK, columnMaxima } from "./l1-rows";
import { XS } from "./xload";
import { ldf, ldi, stf, sti } from "./mem";

/** Column scales s_j: the power of 2 in [m_j, 2 m_j), m_j = max |a_ij| over rows with w > 0, kept in
 *  the normal range [2^-1022, 2^1023] (so that 1/s_j is exact too); 1 for a zero column. */
export function columnScales(): void {
  // m_j into wCS (split when large: per-item maxima in wV, which no caller holds across this)
  const items = (n + ROW_CHUNK - 1) / ROW_CHUNK;
  columnMaxima(n, q, ic, XS, dataX(), dataW(), <f64>items * <f64>q <= <f64>n ? wV : 0, wCS);
  powerScales();
}

/** wCS[j] = the power of 2 s_j with s_j / 2 < m_j <= s_j for the maxima m_j in wCS[j] (j >= ic; 1 for
 *  the intercept, and for a column of zeros). */
export function powerScales(): void {
  for (let j = 0; j < q; j++) {
    const m = j < ic ? 1.0 : ldf(wCS, j);
    let s = 1.0;
    if (m > 0) {
      while (s < m && s < 8.98846567431158e307) s *= 2.0;
      while (s * 0.5 >= m && s > 2.2250738585072014e-308) s *= 0.5;
    }
    stf(wCS, j, s);
  }
}

/** Builds M^ from the slots (row a_i S^-1, or e_j for a unit slot) and factorises it in place;
 *  false when a pivot is exactly zero. */
export function factor(): bool {
  for (let s = 0; s < q; s++) {
    const i = ldi(wSlot, s);
    const row = wLU + ((<usize>s * <usize>q) << 3);
    if (i >= 0) {
      for (let j = 0; j < q; j++) stf(row, j, aij(i, j) / ldf(wCS, j));
    } else {
      for (let j = 0; j < q; j++) stf(row, j, 0.0);
      stf(row, -1 - i, 1.0);
    }
  }
  for (let k = 0; k < q; k++) {
    let pr = k;
    let big = Math.abs(ldf(wLU, k * q + k));
    for (let i = k + 1; i < q; i++) {
      const v = Math.abs(ldf(wLU, i * q + k));
      if (v > big) { big = v; pr = i; }
    }
    sti(wPiv, k, pr);
    if (big == 0) return false;
    if (pr != k) {
      for (let j = 0; j < q; j++) {
        const t = ldf(wLU, k * q + j);
        stf(wLU, k * q + j, ldf(wLU, pr * q + j));
        stf(wLU, pr * q + j, t);
      }
    }
    const d = ldf(wLU, k * q + k);
    const rk = wLU + ((<usize>k * <usize>q) << 3);
    for (let i = k + 1; i < q; i++) {
      const l = ldf(wLU, i * q + k) / d;
      stf(wLU, i * q + k, l);
      if (l == 0) continue;
      // row i -= l row k, two entries per f64x2 (each entry the twin's scalar mul and sub: no FMA)
      const ri = wLU + ((<usize>i * <usize>q) << 3);
      const l2 = f64x2.splat(l);
      let j = k + 1;
      for (; j + 1 < q; j += 2) {
        const o = <usize>j << 3;
        v128.store(ri + o, f64x2.sub(v128.load(ri + o), f64x2.mul(l2, v128.load(rk + o))));
      }
      for (; j < q; j++) stf(ri, j, ldf(ri, j) - l * ldf(rk, j));
    }
  }
  return true;
}

/** x <- M^-1 x (x: q f64 at px; M^ of the current factorisation). */
export function solve(px: usize): void {
  for (let k = 0; k < q; k++) {
    const pr = ldi(wPiv, k);
    if (pr != k) { const t = ldf(px, k); stf(px, k, ldf(px, pr)); stf(px, pr, t); }
  }
  for (let i = 1; i < q; i++) {
    let s = ldf(px, i);
    for (let k = 0; k < i; k++) s -= ldf(wLU, i * q + k) * ldf(px, k);
    stf(px, i, s);
  }
  for (let i = q - 1; i >= 0; i--) {
    let s = ldf(px, i);
    for (let k = i + 1; k < q; k++) s -= ldf(wLU, i * q + k) * ldf(px, k);
    stf(px, i, s / ldf(wLU, i * q + i));
  }
}

/** Squared Euclidean length, in column-scaled coordinates, of the edge h^ = M^-1 e_s of basis slot
 *  s (computed in wH, which the chosen edge overwrites afterwards). */
export function edgeLength2(s: i32): f64 {
  for (let j = 0; j < q; j++) stf(wH, j, j == s ? 1.0 : 0.0);
  solve(wH);
  let t = 0.0;
  for (let j = 0; j < q; j++) { const e = ldf(wH, j); t += e * e; }
  return t;
}

/** x <- M^-T x. */
export function solveT(px: usize): void {
  for (let i = 0; i < q; i++) {
    let s = ldf(px, i);
    for (let k = 0; k < i; k++) s -= ldf(wLU, k * q + i) * ldf(px, k);
    stf(px, i, s / ldf(wLU, i * q + i));
  }
  for (let i = q - 2; i >= 0; i--) {
    let s = ldf(px, i);
    for (let k = i + 1; k < q; k++) s -= ldf(wLU, k * q + i) * ldf(px, k);
    stf(px, i, s);
  }
  for (let k = q - 1; k >= 0; k--) {
    const pr = ldi(wPiv, k);
    if (pr != k) { const t = ldf(px, k); stf(px, k, ldf(px, pr)); stf(px, pr, t); }
  }
}

