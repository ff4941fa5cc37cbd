// Least-squares inference sums in one pass — pure-TypeScript twin of assembly/hc.ts (hc_work_bytes,
// hc_pass). Same loop order and the same IEEE operations: an f64x2 lane of the kernel is the same
// scalar expression of its row here: a dot product is the sums of the even and the odd rows, added
// as s0 + s1 (the kernel's one f64x2 accumulator, however its loops are tiled). The output layout
// is documented in assembly/hc.ts.
import { STATUS_OK, STATUS_NUMERICAL } from '../abi/status.js';
import { F32, F64 } from './mem.js';

const BLOCK = 512;

export function blockRows(n: number): number {
  return Math.min(BLOCK, (n + 3) & ~3);
}

export function hc_work_bytes(n: number, p: number): number {
  const L = blockRows(n);
  const k = p + 1;
  return 8 * ((3 * k + 2) * L + 4 * p + (k + 1) * (k + 1));
}

export function dot2(F: Float64Array, u: number, v: number, lp: number): number {
  let s0 = 0, s1 = 0;
  for (let i = 0; i < lp; i += 2) {
    s0 = s0 + F[u + i] * F[v + i];
    s1 = s1 + F[u + i + 1] * F[v + i + 1];
  }
  return s0 + s1;
}

export function hc_pass(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, pB: number,
  meat: number, pOut: number, pWork: number, xf32?: number): number {
  const F = F64;
  const XV: Float64Array | Float32Array = xf32 === 1 ? F32 : F64;
  const xb = xf32 === 1 ? pX >>> 2 : pX >>> 3;
  const yb = pY >>> 3, wb = pW >>> 3, bb = pB >>> 3, out = pOut >>> 3;
  const c0 = intercept !== 0 ? 1 : 0;
  const k = p + c0;
  const K = k + 1;
  const L = blockRows(n);
  const oM = k * k;
  const oG = 2 * k * k;
  const oS = oG + k;
  const oShift = oS + 4;
  const A = pWork >>> 3; // k + 1 columns: A, then r
  const Bw = A + K * L; // k + 1 columns: w A, then e = w r
  const D = Bw + K * L; // k columns: e A
  const BS = D + k * L; // (b_j, b_j), (s_j, s_j): the kernel's f64x2 constants
  const Gx = BS + 4 * p; // K × K: G, then g and rss in column k
  const R = A + k * L;
  for (let t = 0; t < oShift + p + 1; t++) F[out + t] = 0;
  for (let t = 0; t < K * K; t++) F[Gx + t] = 0;
  if (n === 0) return STATUS_OK;

  const n0 = Math.min(L, n);
  if (c0 === 1) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n0; i++) s += XV[xb + j * n + i];
      F[out + oShift + j] = s / n0;
    }
    let s = 0;
    for (let i = 0; i < n0; i++) s += F[yb + i];
    F[out + oShift + p] = s / n0;
  }
  for (let j = 0; j < p; j++) {
    F[BS + 4 * j] = F[BS + 4 * j + 1] = F[bb + j + 1];
    F[BS + 4 * j + 2] = F[BS + 4 * j + 3] = F[out + oShift + j];
  }
  const sy0 = F[out + oShift + p];
  const b0 = c0 === 1 ? F[bb] : 0;
  const E = pW !== 0 ? Bw + k * L : R;

  let W = 0, sy = 0, syy = 0;
  for (let i0 = 0; i0 < n; i0 += L) {
    const len = Math.min(L, n - i0);
    const lp = (len + 3) & ~3;
    // r = ((y − b0) − x_1 b_1) − …; A_c = x_j − s_j; A_0 = 1 (fillBlock)
    for (let i = 0; i < len; i++) {
      let r = F[yb + i0 + i] - b0;
      for (let j = 0; j < p; j++) {
        const x = XV[xb + j * n + i0 + i];
        r = r - x * F[bb + j + 1];
        F[A + (j + c0) * L + i] = x - F[out + oShift + j];
      }
      F[R + i] = r;
    }
    if (c0 === 1) for (let i = 0; i < len; i++) F[A + i] = 1;
    for (let c = 0; c < k; c++) for (let i = len; i < lp; i++) F[A + c * L + i] = 0;
    for (let i = len; i < lp; i++) F[R + i] = 0;
    if (pW !== 0) {
      for (let i = 0; i < len; i++) {
        const w = F[wb + i0 + i];
        F[E + i] = w * F[R + i];
        W += w;
        const yt = F[yb + i0 + i] - sy0;
        sy += w * yt;
        syy += (w * yt) * yt;
      }
      for (let i = len; i < lp; i++) F[E + i] = 0;
      for (let c = 0; c < k; c++) {
        for (let i = 0; i < len; i++) F[Bw + c * L + i] = F[wb + i0 + i] * F[A + c * L + i];
        for (let i = len; i < lp; i++) F[Bw + c * L + i] = 0;
      }
    } else {
      for (let i = 0; i < len; i++) {
        W += 1;
        const yt = F[yb + i0 + i] - sy0;
        sy += yt;
        syy += yt * yt;
      }
    }
    const BB = pW !== 0 ? Bw : A;
    for (let c = 0; c < K; c++) {
      for (let d = c; d < K; d++) {
        const t = Gx + d * K + c;
        F[t] = F[t] + dot2(F, BB + c * L, A + d * L, lp);
      }
    }
    if (meat !== 0) {
      for (let c = 0; c < k; c++) for (let i = 0; i < lp; i++) F[D + c * L + i] = F[E + i] * F[A + c * L + i];
      for (let c = 0; c < k; c++) {
        for (let d = c; d < k; d++) {
          const t = out + oM + d * k + c;
          F[t] = F[t] + dot2(F, D + c * L, D + d * L, lp);
        }
      }
    }
  }
  for (let d = 0; d < k; d++) for (let c = 0; c <= d; c++) F[out + d * k + c] = F[Gx + d * K + c];
  for (let c = 0; c < k; c++) F[out + oG + c] = F[Gx + k * K + c];
  const rss = F[Gx + k * K + k];
  F[out + oS] = rss;
  F[out + oS + 1] = W;
  F[out + oS + 2] = sy;
  F[out + oS + 3] = syy;
  let finite = rss - rss === 0 && syy - syy === 0;
  for (let t = 0; t < oS; t++) if (!(F[out + t] - F[out + t] === 0)) finite = false;
  return finite ? STATUS_OK : STATUS_NUMERICAL;
}
