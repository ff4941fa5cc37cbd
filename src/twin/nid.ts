// The linear pass of summary()'s nid covariance on a Dataset — pure-TypeScript twin of assembly/nid.ts
// (nid_rows): out_i = (y_i − c) + x_i1 a_1 + … + x_ip a_p, left to right (pY = 0: −c), in the kernel's
// blocks of rows, column by column, columns with a_j = 0 skipped; a row pair of the kernel's f64x2 is
// two rows here, each the same IEEE operations, so the bits are the kernel's. pMax ≠ 0: also
// max |y_i| and max |x_ij| per column (exact in any order).
import { STATUS_NUMERICAL, STATUS_OK } from '../abi/status.js';
import { blockRows, dot2 } from './hc.js';
import { absMax } from './l1-glob.js';
import { F32, F64, I32 } from './mem.js';

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
    if (pMax !== 0 && pY !== 0) F[mb] = Math.max(F[mb], absMax(F, yb + i0, i1 - i0)); // exact: the kernel's bits
    for (let j = 0; j < p; j++) {
      const a = F[ab + j];
      const xo = xb + j * n;
      if (pMax !== 0) F[mb + 1 + j] = Math.max(F[mb + 1 + j], absMax(XV, xo + i0, i1 - i0));
      if (a === 0) continue;
      for (let i = i0; i < i1; i++) F[ob + i] = F[ob + i] + XV[xo + i] * a;
    }
  }
  return STATUS_OK;
}

/** √ε (see assembly/nid.ts). */
const EPS_NID = 1.4901161193847656e-8;

/** Work bytes of nid_gram (see assembly/nid.ts). */
export function nid_gram_work_bytes(n: number, p: number): number {
  return 8 * (2 * (p + 1) + 1) * blockRows(n);
}

/** The fitted differences, densities, weights and both Gram matrices in one pass (see assembly/nid.ts
 *  nid_gram): the kernel's blocks, each row's dy and each f64x2 lane's entry the same scalar
 *  expressions, every Gram entry dot2's sum (hc's order). */
export function nid_gram(n: number, p: number, pX: number, pW: number, pM: number, c: number, pA: number, h: number,
  pOm: number, pOb: number, pOut: number, pWork: number, xf32?: number): number {
  const F = F64;
  const XV: Float64Array | Float32Array = xf32 === 1 ? F32 : F64;
  const xb = xf32 === 1 ? pX >>> 2 : pX >>> 3;
  const wb = pW >>> 3, mb = pM >>> 3, ab = pA >>> 3, omb = pOm >>> 3, obb = pOb >>> 3, out = pOut >>> 3;
  const k = p + 1;
  const L = blockRows(n);
  const Am = pWork >>> 3, Bw = Am + k * L, Dy = Bw + k * L;
  const oB = k * k, oS = 2 * k * k, oC = oS + p;
  for (let t = 0; t < oC + 5; t++) F[out + t] = 0;
  if (n === 0) return STATUS_OK;
  const n0 = Math.min(L, n);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n0; i++) s += XV[xb + j * n + i];
    F[out + oS + j] = s / n0;
  }
  let nonPos = 0, zeroed = 0, posM = 0, posB = 0, posObs = 0;
  const twoH = 2 * h;
  for (let i0 = 0; i0 < n; i0 += L) {
    const len = Math.min(L, n - i0);
    const lp = (len + 3) & ~3;
    for (let i = 0; i < len; i++) {
      let d = -c;
      for (let j = 0; j < p; j++) {
        const x = XV[xb + j * n + i0 + i];
        const a = F[ab + j];
        if (a !== 0) d = d + x * a;
        F[Am + (j + 1) * L + i] = x - F[out + oS + j];
      }
      F[Dy + i] = d;
      F[Am + i] = 1;
    }
    for (let cc = 0; cc <= p; cc++) for (let i = len; i < lp; i++) F[Am + cc * L + i] = 0;
    for (let i = 0; i < len; i++) {
      const g = i0 + i;
      const wi = pW !== 0 ? F[wb + g] : 1;
      const m = pM !== 0 ? F[mb + g] : 1;
      if (!(wi > 0)) { F[omb + g] = 0; F[obb + g] = 0; continue; }
      const dyhat = wi * F[Dy + i];
      if (dyhat <= 0) nonPos += m;
      if (dyhat <= EPS_NID) zeroed += m;
      const fi = dyhat <= EPS_NID ? 0 : twoH / (dyhat - EPS_NID);
      const w2 = m * wi * wi;
      F[omb + g] = w2;
      F[obb + g] = fi * w2;
      posM += 1;
      if (fi * w2 > 0) { posB += 1; posObs += m; }
    }
    for (const [om, base] of [[omb, 0], [obb, oB]]) {
      for (let cc = 0; cc < k; cc++) {
        for (let i = 0; i < len; i++) F[Bw + cc * L + i] = F[om + i0 + i] * F[Am + cc * L + i];
        for (let i = len; i < lp; i++) F[Bw + cc * L + i] = 0;
      }
      for (let cc = 0; cc < k; cc++) {
        for (let d = cc; d < k; d++) {
          const t = out + base + d * k + cc;
          F[t] = F[t] + dot2(F, Bw + cc * L, Am + d * L, lp);
        }
      }
    }
  }
  F[out + oC] = nonPos;
  F[out + oC + 1] = zeroed;
  F[out + oC + 2] = posM;
  F[out + oC + 3] = posB;
  F[out + oC + 4] = posObs;
  for (let t = 0; t < oS; t++) if (!(F[out + t] - F[out + t] === 0)) return STATUS_NUMERICAL;
  return STATUS_OK;
}

/** The fit's face and the two sides of it (see assembly/nid.ts nid_face): the kernel's blocks, row
 *  loop then column by column, every sum in row order, the same products. */
export function nid_face(n: number, p: number, pX: number, pY: number, pR: number, pW: number, pM: number, tol: number,
  cap: number, m: number, pZ: number, pXz: number, pYz: number, pWz: number, pOut: number, xf32?: number): number {
  const F = F64;
  const XV: Float64Array | Float32Array = xf32 === 1 ? F32 : F64;
  const xb = xf32 === 1 ? pX >>> 2 : pX >>> 3;
  const yb = pY >>> 3, rb = pR >>> 3, wb = pW >>> 3, mb = pM >>> 3, zb = pZ >>> 2;
  const xzb = pXz >>> 3, yzb = pYz >>> 3, wzb = pWz >>> 3, out = pOut >>> 3;
  const oS = 5, oT = 5 + p, oX = 5 + 2 * p;
  for (let t = 0; t < oX + p; t++) F[out + t] = 0.0;
  let wa = 0.0, wbs = 0.0, ra = 0.0, rbs = 0.0, minN = Infinity;
  let z = 0;
  const wOf = (i: number) => (pW !== 0 ? F[wb + i] : 1.0) * (pM !== 0 ? F[mb + i] : 1.0);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(i0 + BLOCK, n);
    const z0 = z;
    for (let i = i0; i < i1; i++) {
      const wi = wOf(i);
      if (!(wi > 0)) continue;
      const r = F[rb + i];
      if (Math.abs(r) <= tol) {
        if (z < cap) { I32[zb + z] = i; F[yzb + z] = F[yb + i]; F[wzb + z] = wi; }
        z++;
      } else {
        if (r > 0) { wa += wi; ra += wi * r; } else { wbs += wi; rbs += wi * r; }
        const ar = Math.abs(r);
        if (ar < minN) minN = ar;
      }
    }
    const z1 = Math.min(z, cap);
    for (let j = 0; j < p; j++) {
      let sa = F[out + oS + j], sb = F[out + oT + j], mx = F[out + oX + j];
      const col = xb + j * n;
      for (let i = i0; i < i1; i++) {
        const wi = wOf(i);
        if (!(wi > 0)) continue;
        const r = F[rb + i];
        if (Math.abs(r) <= tol) continue;
        const v = XV[col + i];
        if (r > 0) sa += wi * v; else sb += wi * v;
        const av = Math.abs(v);
        if (av > mx) mx = av;
      }
      F[out + oS + j] = sa;
      F[out + oT + j] = sb;
      F[out + oX + j] = mx;
      for (let t = z0; t < z1; t++) F[xzb + j * m + t] = XV[col + I32[zb + t]];
    }
  }
  F[out] = wa;
  F[out + 1] = wbs;
  F[out + 2] = ra;
  F[out + 3] = rbs;
  F[out + 4] = minN;
  return z;
}
