// The linear pass of summary()'s nid covariance on a Dataset — pure-TypeScript twin of assembly/nid.ts
// (nid_rows): out_i = (y_i − c) + x_i1 a_1 + … + x_ip a_p, left to right (pY = 0: −c), in the kernel's
// blocks of rows, column by column, columns with a_j = 0 skipped; a row pair of the kernel's f64x2 is
// two rows here, each the same IEEE operations, so the bits are the kernel's. pMax ≠ 0: also
// max |y_i| and max |x_ij| per column (exact in any order).
import { STATUS_OK } from '../abi/status.js';
import { F32, F64 } from './mem.js';

/** Rows per block (the kernel's; no row's sum depends on it). */
const BLOCK = 1024;

export function nid_rows(n: number, p: number, pX: number, pY: number, c: number, pA: number, pOut: number, xf32?: number,
  pMax = 0): number {
  const F = F64;
  const mb = pMax >>> 3;
  if (pMax !== 0) for (let j = 0; j <= p; j++) F[mb + j] = 0.0;
  const XV: Float64Array | Float32Array = xf32 === 1 ? F32 : F64;
  const xb = xf32 === 1 ? pX >>> 2 : pX >>> 3;
  const yb = pY >>> 3, ab = pA >>> 3, ob = pOut >>> 3;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(i0 + BLOCK, n);
    if (pY !== 0) for (let i = i0; i < i1; i++) F[ob + i] = F[yb + i] - c;
    else for (let i = i0; i < i1; i++) F[ob + i] = -c;
    if (pMax !== 0 && pY !== 0) F[mb] = absMax(F, yb, i0, i1, F[mb]);
    for (let j = 0; j < p; j++) {
      const a = F[ab + j];
      const xo = xb + j * n;
      if (pMax !== 0) F[mb + 1 + j] = absMax(XV, xo, i0, i1, F[mb + 1 + j]);
      if (a === 0) continue;
      for (let i = i0; i < i1; i++) F[ob + i] = F[ob + i] + XV[xo + i] * a;
    }
  }
  return STATUS_OK;
}

/** m folded with |v[o + i]|, i0 <= i < i1, as m < v ? v : m (the kernel's order). */
function absMax(v: Float64Array | Float32Array, o: number, i0: number, i1: number, m: number): number {
  for (let i = i0; i < i1; i++) { const a = Math.abs(v[o + i]); if (m < a) m = a; }
  return m;
}
