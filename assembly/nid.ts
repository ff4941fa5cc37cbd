// The linear pass of summary()'s nid covariance on a Dataset (src/inference/quantile-dataset.ts):
// out_i = (y_i − c) + x_i1 a_1 + … + x_ip a_p, summed left to right (pY = 0: −c for y_i − c) — the
// fit's residuals (a = −b, c = b0) and the fitted differences of the refits at tau ± h (a = β_hi − β_lo,
// c = −(intercept difference)). A JavaScript loop over 1e6 × 10 ran at a third of this speed in
// summary's single call (not yet optimized by V8 when it runs; measured ~80 vs ~25 ms warm).
// Blocks of rows, column by column (X column-major, read once in its storage precision); two rows per
// f64x2 whose lanes are the scalar expressions of their rows (no FMA), so every out_i has the bits
// of the row-by-row loop. A column with a_j = 0 is skipped (its terms are ±0 on finite data), as the
// L1 kernel's residual pass skips b_j = 0: with c = b0 and a = −b, out is bit for bit that pass's
// r = y − b0 − Σ b_j x_ij ((y − b0) + x(−b) is (y − b0) − xb in IEEE arithmetic). With pMax ≠ 0 the
// same read of X also gives max |y_i| and max |x_ij| per column into pMax[0], pMax[1 + j] (exact in
// any order): with the residuals, l1_fit's pStartR for the nid refits (the first pass of a
// warm-started globbing solve, made once for both refits here).
// Twin: src/twin/nid.ts (bit-identical; test/kernels/nid-kernel.test.ts).
import { STATUS_OK, STATUS_NUMERICAL } from "./status";
import { setX, XS, ldx, xat, xatx, xld, xld2 } from "./xload";
import { ldf, stf } from "./mem";
import { blockRows, gramTri, weighRows } from "./hc";
import { absMaxRun } from "./l1-glob";

/** Rows per block: the block of out stays in L1 while the p columns stream past it. */
const BLOCK: i32 = 1024;

export function nid_rows(n: i32, p: i32, pX: usize, pY: usize, c: f64, pA: usize, pOut: usize, xf32: i32, pMax: usize): i32 {
  setX(xf32);
  if (pMax != 0) for (let j = 0; j <= p; j++) stf(pMax, j, 0.0);
  if (XS == 3) linearRows<f64>(n, p, pX, pY, c, pA, pOut, pMax);
  else linearRows<f32>(n, p, pX, pY, c, pA, pOut, pMax);
  return STATUS_OK;
}

function linearRows<T>(n: i32, p: i32, pX: usize, pY: usize, c: f64, pA: usize, pOut: usize, pMax: usize): void {
  const cv = f64x2.splat(c);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const len = min<i32>(BLOCK, n - i0);
    const half = len & ~1;
    const o = pOut + (<usize>i0 << 3);
    if (pY != 0) {
      const y = pY + (<usize>i0 << 3);
      for (let i = 0; i < half; i += 2) {
        const b = <usize>i << 3;
        v128.store(o + b, f64x2.sub(v128.load(y + b), cv));
      }
      if (half < len) stf(o, half, ldf(y, half) - c);
      if (pMax != 0) stf(pMax, 0, absMaxRun<f64>(y, 0, len, ldf(pMax, 0)));
    } else {
      for (let i = 0; i < len; i++) stf(o, i, -c);
    }
    for (let j = 0; j < p; j++) {
      const a = ldf(pA, j);
      const px = xat<T>(pX, n, j, i0);
      if (pMax != 0) stf(pMax, 1 + j, absMaxRun<T>(px, 0, len, ldf(pMax, 1 + j)));
      if (a == 0) continue;
      const av = f64x2.splat(a);
      for (let i = 0; i < half; i += 2) {
        const b = o + (<usize>i << 3);
        v128.store(b, f64x2.add(v128.load(b), f64x2.mul(xld2<T>(px, i), av)));
      }
      if (half < len) stf(o, half, ldf(o, half) + xld<T>(px, half) * a);
    }
  }
}

// ---- nid_gram: the fitted differences, the densities and both Gram matrices in one read of X ----
// After the refits at tau ± h, summary's nid covariance needs, for a_i = [1, x_i − s] (s the plain
// means of the first block's rows, as hc_pass), the fitted differences dy_i = (−c) + Σ_j x_ij a_j (a =
// β_hi − β_lo, c = −(intercept difference); nid_rows' sum), the densities f_i = 2h / (w_i dy_i − √ε)
// (0 where w_i dy_i ≤ √ε; w the observation weights, μ the multiplicities of collapsed rows, both 1
// when absent), the weights ω_m = μ w² and ω_b = f μ w² (0 where w ≤ 0), and the Gram matrices
// G_m = Σ ω_m a a' (meat) and G_b = Σ ω_b a a' (bread). Before, a nid_rows pass, a JavaScript loop and
// two hc_pass calls (each reading X again and forming [A, r] with r unused) did this; here each block
// of BLOCK rows of X is read once and both triangles come from hc's gramTri (the same sums, in the
// same order, as hc_pass with the weights ω: bit for bit its G). ω_m and ω_b are also written to
// pOm, pOb (n each) for the co-moment fallback of an ill-conditioned bread.
// Output (f64): G_m upper triangle column-major (k × k, k = p + 1; strict lower part 0), G_b likewise
// at k k, the shifts s (p) at 2 k k, then the counts (in observations: Σ μ) of rows with w dy ≤ 0, of
// rows with w dy ≤ √ε, the rows with w > 0, the rows with ω_b > 0 and their observations.
// Returns STATUS_NUMERICAL when a sum is not finite. Twin: src/twin/nid.ts.

/** √ε: the density threshold of quantreg's nid (and src/inference/quantile-dataset.ts). */
const EPS_NID: f64 = 1.4901161193847656e-8;

/** Work bytes of nid_gram(n, p, ...): A, ω A (k columns each) and dy, one block of rows each. */
export function nid_gram_work_bytes(n: i32, p: i32): f64 {
  return 8.0 * <f64>(2 * (p + 1) + 1) * <f64>blockRows(n);
}

export function nid_gram(n: i32, p: i32, pX: usize, pW: usize, pM: usize, c: f64, pA: usize, h: f64,
  pOm: usize, pOb: usize, pOut: usize, pWork: usize, xf32: i32): i32 {
  setX(xf32);
  const k = p + 1;
  const L = blockRows(n);
  const stride = <usize>L << 3;
  const pAm = pWork;                        // k columns: a_i' (shifted design, 1 first)
  const pBw = pAm + <usize>k * stride;      // k columns: ω times A
  const pDy = pBw + <usize>k * stride;      // the block's dy
  const oB = k * k, oS = 2 * k * k, oC = oS + p;
  for (let t = 0; t < oC + 5; t++) stf(pOut, t, 0);
  if (n == 0) return STATUS_OK;
  const n0 = min<i32>(L, n);
  for (let j = 0; j < p; j++) {
    let s = 0.0;
    for (let i = 0; i < n0; i++) s += ldx(pX, j * n + i);
    stf(pOut, oS + j, s / <f64>n0);
  }
  let nonPos = 0.0, zeroed = 0.0, posM = 0.0, posB = 0.0, posObs = 0.0;
  const two_h = 2 * h;
  for (let i0 = 0; i0 < n; i0 += L) {
    const len = min<i32>(L, n - i0);
    const lp = (len + 3) & ~3;
    if (XS == 3) fillNid<f64>(n, p, pX, c, pA, pOut + (<usize>oS << 3), i0, len, lp, pAm, pDy, L);
    else fillNid<f32>(n, p, pX, c, pA, pOut + (<usize>oS << 3), i0, len, lp, pAm, pDy, L);
    // densities and weights (as summary's densityWeights did, row by row)
    for (let i = 0; i < len; i++) {
      const g = i0 + i;
      const wi = pW != 0 ? ldf(pW, g) : 1.0;
      const m = pM != 0 ? ldf(pM, g) : 1.0;
      if (!(wi > 0)) { stf(pOm, g, 0.0); stf(pOb, g, 0.0); continue; }
      const dyhat = wi * ldf(pDy, i);
      if (dyhat <= 0) nonPos += m;
      if (dyhat <= EPS_NID) zeroed += m;
      const fi = dyhat <= EPS_NID ? 0.0 : two_h / (dyhat - EPS_NID);
      const w2 = m * wi * wi;
      stf(pOm, g, w2);
      stf(pOb, g, fi * w2);
      posM += 1;
      if (fi * w2 > 0) { posB += 1; posObs += m; }
    }
    // G_m += (ω_m A)'A, G_b += (ω_b A)'A (rows len..lp − 1 zero in both factors)
    weighRows(pOm + (<usize>i0 << 3), len, lp, k, pAm, pBw, stride);
    gramTri(pOut, 0, k, pBw, pAm, L, lp);
    weighRows(pOb + (<usize>i0 << 3), len, lp, k, pAm, pBw, stride);
    gramTri(pOut, oB, k, pBw, pAm, L, lp);
  }
  stf(pOut, oC, nonPos);
  stf(pOut, oC + 1, zeroed);
  stf(pOut, oC + 2, posM);
  stf(pOut, oC + 3, posB);
  stf(pOut, oC + 4, posObs);
  for (let t = 0; t < oS; t++) if (!(ldf(pOut, t) - ldf(pOut, t) == 0)) return STATUS_NUMERICAL;
  return STATUS_OK;
}

/** Rows i0 .. i0 + len − 1: dy (nid_rows' sum per row: −c, then + x_ij a_j over a_j ≠ 0, columns in
 *  order) into pDy and the shifted columns A_{j+1} = x_j − s_j, A_0 = 1, rows len .. lp − 1 zero.
 *  Row pairs outer (f64x2: each lane its row's scalar expression), columns inner. */
function fillNid<T>(n: i32, p: i32, pX: usize, c: f64, pA: usize, pS: usize, i0: i32, len: i32, lp: i32,
  pAm: usize, pDy: usize, L: i32): void {
  const stride = <usize>L << 3;
  const half = len & ~1;
  const cv = f64x2.splat(-c);
  for (let i = 0; i < half; i += 2) {
    const o = <usize>i << 3;
    let d = cv;
    let pa = pAm + stride + o;
    for (let j = 0; j < p; j++) {
      const x = xld2<T>(xat<T>(pX, n, j, i0), i);
      const a = ldf(pA, j);
      if (a != 0) d = f64x2.add(d, f64x2.mul(x, f64x2.splat(a)));
      v128.store(pa, f64x2.sub(x, f64x2.splat(ldf(pS, j))));
      pa += stride;
    }
    v128.store(pDy + o, d);
  }
  if (half < len) {
    let d = -c;
    for (let j = 0; j < p; j++) {
      const x = xld<T>(xat<T>(pX, n, j, i0), half);
      const a = ldf(pA, j);
      if (a != 0) d = d + x * a;
      stf(pAm + <usize>(j + 1) * stride, half, x - ldf(pS, j));
    }
    stf(pDy, half, d);
  }
  for (let i = 0; i < len; i++) stf(pAm, i, 1.0);
  for (let cc = 0; cc <= p; cc++) for (let i = len; i < lp; i++) stf(pAm + <usize>cc * stride, i, 0);
}

// ---- nid_face: the fit's face and the two sides of it, for the refits of tied data ----
// summary's nid on tied data (src/inference/quantile-dataset.ts faceRefits) solves a refit at tau ± h
// on the rows at zero residual (Z: |r_i| ≤ tol) plus one pseudo-row per side of the others (N), and
// accepts its answer when no row of N can change sign. Per row, with w_i = (weight or 1) ×
// (multiplicity or 1) and rows of w_i ≤ 0 left out: Z's rows are gathered — their indices into pZ (at
// most cap of them), y and w into pYz, pWz and X's columns into pXz (column-major, column stride m) —
// and over N: W± = Σ w, R± = Σ w r (r > 0: +; r < 0: −), S±_j = Σ w x_ij, the smallest |r| and the
// largest |x_ij| per column. Blocks of BLOCK rows (their r and w stay in cache), column by column;
// every sum in row order. Output (f64): W+, W−, R+, R−, min |r| over N (+inf when N is empty), then
// S+ (p), S− (p), max |x_j| over N (p). Returns the number of rows of Z (written up to cap).
// Twin: src/twin/nid.ts (bit-identical).
export function nid_face(n: i32, p: i32, pX: usize, pY: usize, pR: usize, pW: usize, pM: usize, tol: f64,
  cap: i32, m: i32, pZ: usize, pXz: usize, pYz: usize, pWz: usize, pOut: usize, xf32: i32): i32 {
  setX(xf32);
  const oS = 5, oT = 5 + p, oX = 5 + 2 * p;
  for (let t = 0; t < oX + p; t++) stf(pOut, t, 0.0);
  let wa = 0.0, wb = 0.0, ra = 0.0, rb = 0.0, minN = Infinity;
  let z = 0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = min<i32>(i0 + BLOCK, n);
    const z0 = z;
    for (let i = i0; i < i1; i++) {
      const wi = (pW != 0 ? ldf(pW, i) : 1.0) * (pM != 0 ? ldf(pM, i) : 1.0);
      if (!(wi > 0)) continue;
      const r = ldf(pR, i);
      if (Math.abs(r) <= tol) {
        if (z < cap) { store<i32>(pZ + (<usize>z << 2), i); stf(pYz, z, ldf(pY, i)); stf(pWz, z, wi); }
        z++;
      } else {
        if (r > 0) { wa += wi; ra += wi * r; } else { wb += wi; rb += wi * r; }
        const ar = Math.abs(r);
        if (ar < minN) minN = ar;
      }
    }
    const z1 = min<i32>(z, cap);
    for (let j = 0; j < p; j++) {
      let sa = ldf(pOut, oS + j), sb = ldf(pOut, oT + j), mx = ldf(pOut, oX + j);
      const col = xatx(pX, n, j, 0); // the column's address in its storage precision
      for (let i = i0; i < i1; i++) {
        const wi = (pW != 0 ? ldf(pW, i) : 1.0) * (pM != 0 ? ldf(pM, i) : 1.0);
        if (!(wi > 0)) continue;
        const r = ldf(pR, i);
        if (Math.abs(r) <= tol) continue;
        const v = ldx(col, i);
        if (r > 0) sa += wi * v; else sb += wi * v;
        const av = Math.abs(v);
        if (av > mx) mx = av;
      }
      stf(pOut, oS + j, sa);
      stf(pOut, oT + j, sb);
      stf(pOut, oX + j, mx);
      for (let t = z0; t < z1; t++) stf(pXz, j * m + t, ldx(col, load<i32>(pZ + (<usize>t << 2))));
    }
  }
  stf(pOut, 0, wa);
  stf(pOut, 1, wb);
  stf(pOut, 2, ra);
  stf(pOut, 3, rb);
  stf(pOut, 4, minN);
  return z;
}
