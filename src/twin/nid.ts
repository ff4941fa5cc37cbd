// The linear pass of summary()'s nid covariance on a Dataset — pure-TypeScript twin of assembly/nid.ts
// (nid_rows): out_i = (y_i − c) + x_i1 a_1 + … + x_ip a_p, left to right (pY = 0: −c), the same IEEE
// operations per row as the kernel's f64x2 lanes (its blocks of rows do not change any row's sum).
import { STATUS_OK } from '../abi/status.js';
import { F32, F64 } from './mem.js';

export function nid_rows(n: number, p: number, pX: number, pY: number, c: number, pA: number, pOut: number, xf32?: number): number {
  const F = F64;
  const XV: Float64Array | Float32Array = xf32 === 1 ? F32 : F64;
  const xb = xf32 === 1 ? pX >>> 2 : pX >>> 3;
  const yb = pY >>> 3, ab = pA >>> 3, ob = pOut >>> 3;
  if (pY !== 0) for (let i = 0; i < n; i++) F[ob + i] = F[yb + i] - c;
  else for (let i = 0; i < n; i++) F[ob + i] = -c;
  for (let j = 0; j < p; j++) {
    const a = F[ab + j];
    const xo = xb + j * n;
    for (let i = 0; i < n; i++) F[ob + i] = F[ob + i] + XV[xo + i] * a;
  }
  return STATUS_OK;
}
