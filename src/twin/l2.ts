// Weighted least squares with an optional ridge penalty — pure-TypeScript twin of assembly/l2.ts.
// Same functions, same loop order, same constants: every f64x2 accumulator of the WebAssembly kernel
// (lane 0 = even rows, lane 1 = odd rows of a block) is a pair of scalar accumulators here, and
// lane-wise operations are the scalar expression applied to each row, so both backends agree bit for
// bit (test/kernels/l2-kernel.test.ts). The numerical design, provenance and the choice of thresholds are
// documented in assembly/l2.ts; comments here only mark the correspondence.
//
// Addresses are byte offsets into the twin's linear memory (src/twin/mem.ts); f64 regions are used as
// Float64Array index bases (byte offset >>> 3), i32 regions as Int32Array index bases (>>> 2).
import { INFO_LEN, INFO_OBJECTIVE, INFO_RCOND, INFO_ITERATIONS, INFO_METHOD, INFO_RANK, INFO_REFINE } from '../abi/info.js';
import { STATUS_OK, STATUS_RANK_DEFICIENT, STATUS_NUMERICAL } from '../abi/status.js';
import { F64, I32 } from './mem.js';
import { XS, setX, xview } from './xload.js';
import { splitHi, twoSumErr, twoProdErr } from './dd.js';
import { gram32Chunk, resetStats } from './gram32.js';

const BLOCK = 512;
const RCOND_MIN = 1e-10;
const TOL_RANK = 1e-10;
const INNER_RHO = 1e-9;
const MAX_REFINE = 5;
const OFFSET_AMP = 4.0; // the plain refinement's offset guard (assembly/l2.ts)
const PLAIN_MIN_NQ = 1048576; // 2^20 (assembly/l2.ts)
/** The kernel's plain pass reads X in groups of this many blocks (plainSuper): a memory-access
 *  grouping only — every sum gets the same additions in the same order as plainRows block by block,
 *  which is what this twin runs. Mirrored for test/kernels/constants.test.ts. */
export const SUPER_BLOCKS = 8;
const RCOND_PLAIN = 1e-4;
const EPS = 2.220446049250313e-16;
/** The f32 Gram route (assembly/l2.ts Q32_MIN). */
const Q32_MIN = 64;
const EST32_MAX = 1024.0;
const EPS32 = 1.1920928955078125e-7;
const F32_AMAX = 1099511627776.0;
const F32_AMIN = 9.094947017729282e-13;

function evenUp(k: number): number {
  return (k + 1) & ~1;
}

function blockRows(n: number): number {
  return Math.min(BLOCK, evenUp(n));
}

/** As assembly/l2.ts l2_work_bytes; the twin is single-threaded (PAR_SLOTS = 1: no extra scratch); the
 *  kernel's 8 f64 of householderBlock scratch are counted but not used. */
export function l2_work_bytes(n: number, p: number): number {
  const L = blockRows(n);
  const pv = evenUp(p + 1);
  const q = p + 1;
  const qq = q * q + (q % 2);
  return 8 * (12 * pv + 2 * qq + (q + 5) * L + ARGS_LEN + chunkCount(n, p) * (partStride(p) + 3 * pv) + 8);
}

// ---- row chunks: the fixed decomposition of the block passes (as assembly/l2.ts; the twin runs the
// items in order on one slot) ----
const ARGS_LEN = 20;
const CHUNK_MIN_BLOCKS = 8;
const CHUNK_MAX = 256;
const PART_MAX_F64 = 1 << 22;

function partStride(p: number): number {
  const q = p + 1;
  const g = evenUp(q * q);
  const r = 2 * evenUp(q) + 2;
  return g > r ? g : r;
}

export function chunkRows(n: number, p: number): number {
  const L = blockRows(n);
  const nb = Math.trunc((n + L - 1) / L);
  let most = Math.trunc(PART_MAX_F64 / partStride(p));
  if (most > CHUNK_MAX) most = CHUNK_MAX;
  if (most < 1) most = 1;
  let bpc = Math.trunc((nb + most - 1) / most);
  if (bpc < CHUNK_MIN_BLOCKS) bpc = CHUNK_MIN_BLOCKS;
  return bpc * L;
}

export function chunkCount(n: number, p: number): number {
  if (n <= 0) return 1;
  const c = chunkRows(n, p);
  return Math.trunc((n + c - 1) / c);
}

/** gram: 0 auto (the f32 Gram route where it applies), 1 the f64 route only (assembly/l2.ts l2_fit). */
export function l2_fit(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, ridge: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32 = 0, gram = 0): number {
  setX(xf32);
  let route = ROUTE_F64;
  if (!gram) {
    const st = l2Route(n, p, pX, pY, pW, intercept, ridge, pCoef, pInfo, pFlags, pWork, 0, 1, ROUTE_F32);
    if (st >= 0) return st;
    if (st === -2) route = ROUTE_F64_TWO_PASS;
  }
  return l2Route(n, p, pX, pY, pW, intercept, ridge, pCoef, pInfo, pFlags, pWork, 0, 1, route);
}

const ROUTE_F64 = 0;
const ROUTE_F32 = 1;
const ROUTE_F64_TWO_PASS = 2;

/** l2_fit, or (inner != 0) IRLS's cheaper intermediate solve: see assembly/l2.ts l2Solve (same steps,
 *  same functions). */
export function l2Solve(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, ridge: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number, inner: number, plainOk = 0): number {
  return l2Route(n, p, pX, pY, pW, intercept, ridge, pCoef, pInfo, pFlags, pWork, inner, plainOk, ROUTE_F64);
}

/** l2Solve on a route (assembly/l2.ts l2Route: -1 / -2 when the f32 route is not taken). */
function l2Route(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, ridge: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number, inner: number, plainOk: number, route: number): number {
  const F = F64;
  const I = I32;
  const L = blockRows(n);
  if (route === ROUTE_F32 && !(plainOk !== 0 && inner === 0 && pW === 0 && XS === 3 && p > 0 && p + 1 >= Q32_MIN &&
    n * (p + 1) >= PLAIN_MIN_NQ && p + 1 <= L)) return -1;
  layoutL2(pWork, p, L, n);
  g32 = route === ROUTE_F32 ? 1 : 0;
  fail32 = 0;
  const wb = pW >>> 3;
  const cb = pCoef >>> 3;
  const ib = pInfo >>> 3;
  const fb = pFlags >>> 2;

  for (let k = 0; k < INFO_LEN; k++) F[ib + k] = 0;
  for (let j = 0; j <= p; j++) F[cb + j] = 0;
  for (let j = 0; j < p; j++) I[fb + j] = 0;

  let W = n;
  let mask = 0;
  if (pW !== 0) {
    W = 0;
    for (let i = 0; i < n; i++) {
      const w = F[wb + i];
      W += w;
      if (w === 0) mask = 1;
    }
  }
  if (W === 0) {
    for (let j = 0; j < p; j++) I[fb + j] = 1;
    F[ib + INFO_RCOND] = 1;
    return intercept !== 0 || (p > 0 && ridge === 0) ? STATUS_RANK_DEFICIENT : STATUS_OK;
  }

  let pa = p;
  if (route === ROUTE_F32) {
    const f = fusedNormalMatrix(F, I, n, p, pX, pY, pW, intercept, ridge, L, 1);
    if (f !== FUSED_OK) return f === FUSED_SHIFT ? -2 : -1;
  } else if (!(plainOk !== 0 && route === ROUTE_F64 && fusedNormalMatrix(F, I, n, p, pX, pY, pW, intercept, ridge, L, 0) === FUSED_OK)) {
    pa = standardize(F, I, n, p, pX, pY, pW, W, intercept, fb, 1);
    normalMatrix(F, I, n, pX, pY, pW, pa, intercept !== 0 ? F[mean + p] : 0, ridge, L, plainOk);
  }
  let ybar = intercept !== 0 ? F[mean + p] : 0;
  let kk = factorize(F, I, n, pX, pY, pW, pa, ybar, ridge, L, fb, ib, 1);
  if (route === ROUTE_F32) {
    const rc = F[ib + INFO_RCOND];
    if (kk < 0 || !(rc >= RCOND_PLAIN) || !(1.0 / (rc * gramNorm1(F, I, G, pa + 1, pos, pa)) <= EST32_MAX)) return -1;
  }
  if (kk < 0) {
    // the QR path: steps 1-3 again with the multi-pass standardisation (see assembly/l2.ts)
    for (let j = 0; j < p; j++) I[fb + j] = 0;
    pa = standardize(F, I, n, p, pX, pY, pW, W, intercept, fb, 0);
    ybar = intercept !== 0 ? F[mean + p] : 0;
    normalMatrix(F, I, n, pX, pY, pW, pa, ybar, ridge, L, 0);
    kk = factorize(F, I, n, pX, pY, pW, pa, ybar, ridge, L, fb, ib, 0);
  }
  const q = pa + 1;
  const b0 = initialSolution(F, I, kk, pa, q, ybar, intercept, cb);
  let obj = refine(F, I, n, pX, pY, pW, mask, W, kk, q, b0, intercept, ridge, inner, plainOk, L, cb, ib);
  if (fail32 !== 0) return -1;

  // 7. Objective.
  if (ridge > 0) {
    let pen = 0.0;
    for (let t = 0; t < kk; t++) {
      const b = F[cb + 1 + I[act + t]];
      pen += b * b;
    }
    obj += ridge * pen;
  }
  F[ib + INFO_OBJECTIVE] = obj;
  F[ib + INFO_RANK] = kk + (intercept !== 0 ? 1 : 0);

  let finite = obj - obj === 0;
  for (let j = 0; j <= p; j++) {
    const c = F[cb + j];
    if (!(c - c === 0)) finite = false;
  }
  if (!finite) return STATUS_NUMERICAL;
  return ridge === 0 && kk < p ? STATUS_RANK_DEFICIENT : STATUS_OK;
}

// ---- the work layout of the call in progress (f64 index bases; i32 bases for act / pos) ----
let gramRaw = 0; // the Gram matrix was read in place (normalMatrix)
let g32 = 0; // the f32 Gram route (l2Route)
let fail32 = 0; // refine on the f32 route ended without settling
let mean = 0, meanLo = 0, scale = 0, invs = 0, act = 0, pos = 0, delta = 0, gh = 0, gl = 0, ex = 0, sg = 0,
  xm = 0, G = 0, R = 0, blk = 0, wbuf = 0, rh = 0, rl = 0, qh = 0, ql = 0, part = 0, stats = 0, curP = 0;

function layoutL2(pWork: number, p: number, L: number, n: number): void {
  const pv = evenUp(p + 1);
  const qq = evenUp((p + 1) * (p + 1));
  mean = pWork >>> 3;
  meanLo = mean + pv;
  scale = meanLo + pv;
  invs = scale + pv;
  act = (invs + pv) * 2;
  pos = act + 2 * pv;
  delta = invs + 3 * pv;
  gh = delta + pv;
  gl = gh + pv;
  ex = gl + pv;
  sg = ex + pv;
  xm = sg + pv;
  G = xm + pv;
  R = G + qq;
  blk = R + qq;
  wbuf = blk + (p + 1) * L;
  rh = wbuf + L;
  rl = rh + L;
  qh = rl + L;
  ql = qh + L;
  part = ql + L + ARGS_LEN;
  stats = part + chunkCount(n, p) * partStride(p);
  curP = p;
}

/** Step 1: means and scales; active columns (see assembly/l2.ts). */
function standardize(F: Float64Array, I: Int32Array, n: number, p: number, pX: number, pY: number, pW: number,
  W: number, intercept: number, fb: number, fast: number): number {
  const X = xview();
  const xb = pX >>> XS;
  const wb = pW >>> 3;
  // onePass's scratch: the row block (the kernel's item uses its slot's row block)
  if (intercept !== 0 && !(fast !== 0 && onePass(F, n, pY >>> 3, pW, wb, W, 1, mean + p, meanLo + p, -1, -1, blk, F))) {
    weightedMean(F, n, pY >>> 3, pW, wb, W, mean + p, meanLo + p);
  }
  let pa = 0;
  for (let j = 0; j < p; j++) {
    const col = xb + j * n;
    let s: number;
    if (fast !== 0 && onePass(F, n, col, pW, wb, W, intercept, mean + j, meanLo + j, xm + j, scale + j, blk, X)) {
      s = F[scale + j];
    } else {
      if (intercept !== 0) {
        weightedMean(F, n, col, pW, wb, W, mean + j, meanLo + j, ex, X);
      } else {
        columnRange(F, n, col, pW, wb, ex, X);
        F[mean + j] = 0;
        F[meanLo + j] = 0;
      }
      const m = F[mean + j];
      s = columnScale(F, n, col, pW, wb, m, xm + j, vExtent(F[ex], F[ex + 1], m), X);
    }
    const iv = 1.0 / s;
    F[scale + j] = s;
    F[invs + j] = iv;
    if (s > 0 && iv < Infinity) {
      I[act + pa] = j;
      pa++;
    } else {
      I[fb + j] = 1;
    }
  }
  return pa;
}

/** Steps 2-3: Gram matrix of [Z, yc], ridge on the diagonal. */
function normalMatrix(F: Float64Array, I: Int32Array, n: number, pX: number, pY: number, pW: number, pa: number,
  ybar: number, ridge: number, L: number, rawOk: number): void {
  const q = pa + 1;
  // in place (see assembly/l2.ts normalMatrix / gramMatrix)
  gramRaw = rawOk !== 0 && pW === 0 && XS === 3 && n * q >= PLAIN_MIN_NQ && q <= L ? 1 : 0;
  if (gramRaw !== 0) {
    // shifts in ex (assembly/l2.ts normalMatrix)
    const W = n;
    for (let t = 0; t < pa; t++) {
      const j = I[act + t];
      const m = F[mean + j];
      const s = F[scale + j];
      const inPlace = (W * m) * m <= s * s;
      F[sg + t] = inPlace ? 1.0 : 0.0;
      F[ex + t] = inPlace ? 0.0 : m;
    }
    F[sg + pa] = 0;
    F[ex + pa] = ybar;
  }
  gramMatrix(n, pX, pY, pW, pa, act * 4, (gramRaw !== 0 ? ex : mean) * 8, invs * 8, ybar, blk * 8, L, curP, part * 8, G * 8,
    gramRaw, sg * 8);
  addRidge(F, I, pa, q, ridge);
}

/** As assembly/l2.ts addRidge. */
function addRidge(F: Float64Array, I: Int32Array, pa: number, q: number, ridge: number): void {
  if (ridge > 0) {
    for (let t = 0; t < pa; t++) {
      const iv = F[invs + I[act + t]];
      F[G + t * q + t] = F[G + t * q + t] + (ridge * iv) * iv;
    }
  }
}

export const FUSED_PROBE = 64;

/** Steps 1-3 in one pass (assembly/l2.ts fusedNormalMatrix). */
function fusedNormalMatrix(F: Float64Array, I: Int32Array, n: number, p: number, pX: number, pY: number, pW: number,
  intercept: number, ridge: number, L: number, f32: number): number {
  const q = p + 1;
  if (!(pW === 0 && XS === 3 && p > 0 && n * q >= PLAIN_MIN_NQ && q <= L)) return FUSED_SHIFT;
  for (let t = 0; t < q; t++) {
    I[act + t] = t;
    const v = t < p ? (pX >>> 3) + t * n : pY >>> 3;
    let c = 0.0;
    let mode = 1.0;
    if (intercept !== 0) {
      let s1 = 0.0;
      let s2 = 0.0;
      for (let k = 0; k < FUSED_PROBE; k++) {
        const x = F[v + Math.floor(((2 * k + 1) * n) / (2 * FUSED_PROBE))];
        s1 += x;
        s2 += x * x;
      }
      if (!(4.0 * s1 * s1 <= FUSED_PROBE * s2)) {
        mode = 0.0;
        c = s1 / FUSED_PROBE;
      }
    }
    F[sg + t] = mode;
    F[ex + t] = c;
    if (f32 !== 0) F[scale + t] = f32Factor(F, v, n, c);
  }
  gramRaw = 1;
  if (f32 !== 0) {
    if (!gram32Matrix(F, n, p, pX, pY, L)) return FUSED_F32;
  } else {
    gramMatrix(n, pX, pY, pW, p, act * 4, ex * 8, invs * 8, 0, blk * 8, L, curP, part * 8, G * 8, 1, sg * 8, stats * 8);
  }
  const pv = evenUp(q);
  const nc = chunkCount(n, p);
  const W = n;
  for (let t = 0; t < q; t++) {
    let s1 = 0.0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < nc; c++) {
      const st = stats + c * 3 * pv;
      s1 += F[st + t];
      const a = F[st + pv + t];
      const b = F[st + 2 * pv + t];
      if (a < lo) lo = a;
      if (b > hi) hi = b;
    }
    const s2 = F[G + t * q + t];
    if (!(s1 - s1 === 0) || !(s2 < Infinity) || !(s2 >= ONEPASS_S2_MIN)) return FUSED_SHIFT;
    const c = F[ex + t];
    const m1 = intercept !== 0 ? s1 / W : 0.0;
    const m = c + m1;
    const amax = vExtent(lo, hi, m1);
    if (!(W * amax * amax <= ONEPASS_WA2_MAX)) return FUSED_SHIFT;
    const corr = s1 * m1;
    if (!(corr <= 0.5 * s2)) return FUSED_SHIFT;
    const sc = t < p ? Math.sqrt(s2 - corr) : 1.0;
    const iv = 1.0 / sc;
    if (!(sc > 0 && iv < Infinity)) return FUSED_SHIFT;
    F[mean + t] = m;
    F[meanLo + t] = twoSumErr(c, m1, m);
    if (t < p) {
      F[scale + t] = sc;
      F[invs + t] = iv;
      F[xm + t] = Math.abs(m) + amax;
    }
    F[delta + t] = m1;
    F[gh + t] = s1;
  }
  for (let u = 0; u < q; u++) {
    const ivu = u < p ? F[invs + u] : 1.0;
    const mu = intercept !== 0 ? F[delta + u] : 0.0;
    for (let t = 0; t <= u; t++) {
      const ivt = t < p ? F[invs + t] : 1.0;
      let g = F[G + u * q + t];
      if (intercept !== 0) g = g - F[gh + t] * mu;
      F[G + u * q + t] = (g * ivt) * ivu;
    }
  }
  addRidge(F, I, p, q, ridge);
  return FUSED_OK;
}

/** assembly/l2.ts f32Factor. */
function f32Factor(F: Float64Array, v: number, n: number, c: number): number {
  let amp = 0.0;
  for (let k = 0; k < FUSED_PROBE; k++) {
    const d = Math.abs(F[v + Math.floor(((2 * k + 1) * n) / (2 * FUSED_PROBE))] - c);
    if (d > amp) amp = d;
  }
  return amp > 0 && amp < Infinity ? scaleFor(amp) : 1.0;
}

/** assembly/l2.ts gram32Matrix (the chunks in order on one slot). */
function gram32Matrix(F: Float64Array, n: number, p: number, pX: number, pY: number, L: number): boolean {
  const q = p + 1;
  const nc = chunkCount(n, p);
  const chunk = chunkRows(n, p);
  const ps = partStride(p);
  const pv = evenUp(q);
  const block = new Float32Array(q * L);
  for (let c = 0; c < nc; c++) {
    gram32Chunk(n, pX >>> 3, pY >>> 3, q, L, chunk, c, part + c * ps, stats + c * 3 * pv, ex, scale, block);
  }
  for (let k = 0; k < q * q; k++) F[G + k] = 0;
  for (let c = 0; c < nc; c++) {
    const P = part + c * ps;
    for (let k = 0; k < q * q; k++) F[G + k] = F[G + k] + F[P + k];
  }
  for (let t = 0; t < q; t++) {
    let amax = 0.0;
    for (let c = 0; c < nc; c++) {
      const st = stats + c * 3 * pv;
      amax = Math.max(amax, Math.max(-F[st + pv + t], F[st + 2 * pv + t]));
    }
    const z = amax * F[scale + t];
    if (amax !== 0 && !(z >= F32_AMIN && z <= F32_AMAX)) return false;
  }
  for (let u = 0; u < q; u++) {
    const iu = 1.0 / F[scale + u];
    for (let t = 0; t <= u; t++) F[G + u * q + t] = (F[G + u * q + t] * (1.0 / F[scale + t])) * iu;
  }
  return true;
}

const FUSED_OK = 0;
const FUSED_SHIFT = 1;
const FUSED_F32 = 2;

/** Steps 4-5: factor; writes INFO_METHOD and INFO_RCOND, returns the rank kk (-1: fast and QR needed). */
function factorize(F: Float64Array, I: Int32Array, n: number, pX: number, pY: number, pW: number, pa: number,
  ybar: number, ridge: number, L: number, fb: number, ib: number, fast: number): number {
  const q = pa + 1;
  for (let t = 0; t < pa; t++) I[pos + t] = t;
  let kk = pa;
  let method = 0;
  let rcond = 1.0;
  let useQR = cholesky(F, G, R, pa, q) >= 0;
  if (!useQR && pa > 0) {
    rcond = rcondEstimate(F, R, q, pa, gramNorm1(F, I, G, q, pos, pa), ex, sg);
    useQR = !(rcond >= RCOND_MIN);
  }
  if (useQR && fast !== 0) return -1;
  if (useQR) {
    method = 1;
    const xb = pX >>> XS, yb = pY >>> 3, wb = pW >>> 3;
    for (let k = 0; k < q * q; k++) F[R + k] = 0;
    for (let i0 = 0; i0 < n; i0 += L) {
      const len = Math.min(L, n - i0);
      const lp = evenUp(len);
      fillBlock(F, I, n, xb, yb, pW, wb, i0, len, lp, pa, act, mean, invs, ybar, blk, L, wbuf);
      householderBlock(F, blk, L, lp, pa, q, R);
    }
    if (ridge > 0) {
      const sr = Math.sqrt(ridge);
      for (let t0 = 0; t0 < pa; t0 += L) {
        const rows = Math.min(L, pa - t0);
        const lp = evenUp(rows);
        for (let t = 0; t < q; t++) {
          for (let i = 0; i < lp; i++) F[blk + t * L + i] = 0;
        }
        for (let i = 0; i < rows; i++) {
          F[blk + (t0 + i) * L + i] = sr * F[invs + I[act + t0 + i]];
        }
        householderBlock(F, blk, L, lp, pa, q, R);
      }
    }
    kk = deleteAliased(F, I, R, q, pa, TOL_RANK, pos, act, fb);
    rcond = kk > 0 ? rcondEstimate(F, R, q, kk, gramNorm1(F, I, G, q, pos, kk), ex, sg) : 1.0;
  } else {
    for (let t = 0; t < pa; t++) F[R + pa * q + t] = F[G + pa * q + t];
    solveUpperT(F, R, q, pa, R + pa * q);
  }
  for (let t = 0; t < kk; t++) I[act + t] = I[act + I[pos + t]];
  F[ib + INFO_METHOD] = method;
  F[ib + INFO_RCOND] = rcond;
  return kk;
}

/** Initial solution (coefficients into cb; returns b0). */
function initialSolution(F: Float64Array, I: Int32Array, kk: number, pa: number, q: number, ybar: number,
  intercept: number, cb: number): number {
  for (let t = 0; t < kk; t++) F[delta + t] = F[R + pa * q + t];
  solveUpper(F, R, q, kk, delta);
  let b0 = ybar;
  for (let t = 0; t < kk; t++) {
    const j = I[act + t];
    const b = F[delta + t] * F[invs + j];
    F[cb + 1 + j] = b;
    b0 -= F[mean + j] * b;
  }
  if (intercept === 0) b0 = 0;
  return b0;
}

/** Step 6: iterative refinement; error bound of a correction with the Cholesky factor (settled test).
 *  Writes b0, INFO_ITERATIONS, INFO_REFINE; returns the objective (see assembly/l2.ts). */
function refine(F: Float64Array, I: Int32Array, n: number, pX: number, pY: number, pW: number, mask: number,
  W: number, kk: number, q: number, b0: number, intercept: number, ridge: number, inner: number, plainOk: number,
  L: number, cb: number, ib: number): number {
  const xb = pX >>> XS, yb = pY >>> 3, wb = pW >>> 3;
  const rcond = F[ib + INFO_RCOND];
  let rho = Infinity;
  let floorR = 0.0;
  let floorB = 0.0;
  let dotB = 0.0;
  let ymax = 0.0;
  let plain = false;
  if (F[ib + INFO_METHOD] === 0 && kk > 0 && rcond > 0) {
    const anorm = gramNorm1(F, I, G, q, pos, kk);
    if (anorm > 0) {
      const est = 1.0 / (rcond * anorm);
      const depth = ((L / 2) | 0) + 1 + Math.ceil(n / L);
      const qf = q;
      const depthG = gramRaw !== 0 ? 2.0 * depth : depth;
      rho = 16.0 * est * qf * (depthG + 3.0 * qf + 8.0) * EPS + 4.0 * EPS;
      if (g32 !== 0) rho += 16.0 * est * qf * 2.0 * (((L / 4) | 0) + 3.0) * EPS32; // the f32 Gram's error
      // y's range: max |y| and the offset guard's max |y - c|
      columnRange(F, n, yb, pW, wb, ex, F);
      const lo = F[ex];
      const hi = F[ex + 1];
      ymax = vExtent(lo, hi, 0.0);
      plain = plainOk !== 0 && inner === 0 && rcond >= RCOND_PLAIN && n * qf >= PLAIN_MIN_NQ;
      // offsets that widen the plain floor: the exact refinement instead (assembly/l2.ts OFFSET_AMP)
      if (plain && offsetWide(F, I, kk, q, depth, b0, cb, intercept !== 0 ? F[mean + curP] : 0.0, lo, hi)) plain = false;
      if (plain || g32 !== 0) F[ib + INFO_METHOD] = g32 !== 0 ? 3 : 2;
      if (plain) {
        // plain float64 residuals (see assembly/l2.ts)
        floorR = 2.0 * (qf + 1.0) * EPS;
        floorB = 16.0 * est * Math.sqrt(qf * W) * floorR;
        let cx = 0.0;
        for (let t = 0; t < kk; t++) {
          const j = I[act + t];
          const c = F[xm + j] * F[invs + j];
          if (c > cx) cx = c;
        }
        dotB = 16.0 * est * Math.sqrt(qf * W) * 2.0 * (depth * EPS) * cx;
      } else {
        floorR = 2.0 * (qf + 1.0) * (qf + 1.0) * EPS * EPS;
        floorB = 16.0 * est * Math.sqrt(qf * W) * floorR;
        dotB = 16.0 * est * Math.sqrt(qf) * (depth * EPS) * (depth * EPS);
      }
    }
  }
  let iters = 0;
  let metric = 0.0;
  let prevMetric = 0.0;
  let obj = 0.0;
  let settled = false;
  let objKnown = false;
  let objNext = 0.0;
  for (;;) {
    const last = (kk === 0 && intercept === 0) || iters === MAX_REFINE || settled ||
      (iters > 0 && (metric <= EPS || (iters > 1 && metric > 0.5 * prevMetric))) ||
      (inner !== 0 && iters === 0 && rho <= INNER_RHO);
    if (last && inner !== 0) break;
    if (last && objKnown) {
      obj = objNext;
      break;
    }
    obj = refinePass(F, I, n, xb, yb, pW, wb, mask, kk, act, b0, cb, blk, L, gh, gl, last ? 0 : 1, plain ? 1 : 0);
    if (last) break;
    correction(F, I, kk, q, intercept, ridge, cb);
    const sq = F[gh + kk];
    const sqLo = F[gl + kk];
    let dm = 0.0;
    let bmax = 0.0;
    let dn2 = 0.0;
    let T = ymax + Math.abs(b0);
    for (let t = 0; t < kk; t++) {
      const j = I[act + t];
      const b = F[cb + 1 + j];
      const beta = Math.abs(b * F[scale + j]);
      if (beta > bmax) bmax = beta;
      const d = F[delta + t];
      dn2 += d * d;
      T += Math.abs(b) * F[xm + j];
    }
    const E = rho * Math.sqrt(dn2) + floorB * T + dotB * Math.sqrt(obj);
    settled = plain ? rho * Math.sqrt(dn2) <= floorB * T + dotB * Math.sqrt(obj) : E < Infinity;
    let um = 0.0;
    let smd = 0.0;
    let next = 0.0;
    let lin = 0.0;
    let cm = 0.0;
    for (let t = 0; t < kk; t++) {
      const j = I[act + t];
      const d = F[delta + t];
      const b = F[cb + 1 + j];
      next = maxRatio(next, d, b * F[scale + j], EPS * bmax);
      const db = d * F[invs + j];
      const b1 = b + db;
      F[cb + 1 + j] = b1;
      const m = F[mean + j];
      dm += m * db;
      if (settled) {
        if (!plain) {
          const u = 4.0 * (E * F[invs + j] + EPS * Math.abs(db));
          const e = twoSumErr(b, db, b1);
          if (!(b1 + (e + u) === b1 && b1 + (e - u) === b1)) settled = false;
          um += Math.abs(m) * u;
          smd += Math.abs(m * db);
        }
        const c = b1 - b;
        lin += c * (F[gh + t] + F[gl + t]);
        cm += m * c;
      }
    }
    if (intercept !== 0) {
      const mr = (sq + sqLo) / W;
      const d0 = mr - dm;
      if (kk === 0) next = maxRatio(next, d0, b0, 0);
      const b1 = b0 + d0;
      if (settled) {
        if (!plain) {
          const u = um + 4.0 * ((kk + 4.0) * EPS * (Math.abs(mr) + smd) + floorR * T);
          const e = twoSumErr(b0, d0, b1);
          if (!(b1 + (e + u) === b1 && b1 + (e - u) === b1)) settled = false;
        }
        const c = b1 - b0;
        lin += c * (sq + sqLo);
        cm += c;
      }
      b0 = b1;
    }
    if (settled) {
      // Objective at the new coefficients without another pass (see assembly/l2.ts).
      const quad = correctionQuad(F, kk, q, W, cm);
      objKnown = 2.0 * Math.abs(lin) + quad <= EPS * obj;
      objNext = (obj - 2.0 * lin) + quad;
    }
    prevMetric = metric;
    metric = next;
    iters++;
  }
  F[cb] = b0;
  F[ib + INFO_ITERATIONS] = iters;
  F[ib + INFO_REFINE] = metric;
  if (g32 !== 0 && !settled && !(metric <= EPS)) fail32 = 1; // the f64 route (see assembly/l2.ts)
  return obj;
}

/** The offset guard of the plain refinement (assembly/l2.ts offsetWide): the plain noise floor on the
 *  data as stored against OFFSET_AMP times the centred problem's. */
function offsetWide(F: Float64Array, I: Int32Array, kk: number, q: number, depth: number, b0: number, cb: number,
  ybar: number, lo: number, hi: number): boolean {
  let tx = vExtent(lo, hi, b0);
  let tc = vExtent(lo, hi, ybar);
  let cx = 0.0;
  let cc = 0.0;
  for (let t = 0; t < kk; t++) {
    const j = I[act + t];
    const b = Math.abs(F[cb + 1 + j]);
    const x = F[xm + j];
    const a = x - Math.abs(F[mean + j]);
    const iv = F[invs + j];
    tx += b * x;
    tc += b * a;
    if (x * iv > cx) cx = x * iv;
    if (a * iv > cc) cc = a * iv;
  }
  const pa = q - 1;
  let obj = F[G + pa * q + pa];
  for (let t = 0; t < kk; t++) {
    const c = F[R + pa * q + t];
    obj -= c * c;
  }
  const so = obj > 0 ? Math.sqrt(obj) : 0.0;
  const qf = q + 1.0;
  return qf * tx + depth * cx * so > OFFSET_AMP * (qf * tc + depth * cc * so);
}

/** The correction d of one refinement step, in delta (see assembly/l2.ts). */
function correction(F: Float64Array, I: Int32Array, kk: number, q: number, intercept: number, ridge: number,
  cb: number): void {
  const sq = F[gh + kk];
  const sqLo = F[gl + kk];
  const sqh = splitHi(sq);
  for (let t = 0; t < kk; t++) {
    const j = I[act + t];
    let h = F[gh + t];
    let l = F[gl + t];
    if (intercept !== 0) {
      const m = F[mean + j];
      const mh = splitHi(m);
      const ph = m * sq;
      const pl = twoProdErr(mh, m - mh, sqh, sq - sqh, ph) + (m * sqLo + F[meanLo + j] * sq);
      const s = h - ph;
      const e = twoSumErr(h, -ph, s) + (l - pl);
      h = s + e;
      l = e - (h - s);
    }
    if (ridge > 0) {
      const b = F[cb + 1 + j];
      const bh = splitHi(b);
      const rhi = splitHi(ridge);
      const ph = ridge * b;
      const pl = twoProdErr(rhi, ridge - rhi, bh, b - bh, ph);
      const s = h - ph;
      const e = twoSumErr(h, -ph, s) + (l - pl);
      h = s + e;
      l = e - (h - s);
    }
    F[delta + t] = (h + l) * F[invs + j];
  }
  solveUpperT(F, R, q, kk, delta);
  solveUpper(F, R, q, kk, delta);
}

/** W cm^2 + d^T G d for the correction d in delta (see assembly/l2.ts). */
function correctionQuad(F: Float64Array, kk: number, q: number, W: number, cm: number): number {
  let quad = W * cm * cm;
  for (let u = 0; u < kk; u++) {
    const du = F[delta + u];
    let g = 0.0;
    for (let t = 0; t < u; t++) g += F[G + u * q + t] * F[delta + t];
    quad += du * (2.0 * g + F[G + u * q + u] * du);
  }
  return quad;
}

function maxRatio(acc: number, d: number, beta: number, floor: number): number {
  let den = Math.abs(beta);
  if (den < floor) den = floor;
  const r = den > 0 ? Math.abs(d) / den : (d !== 0 ? 1.0 : 0.0);
  return r > acc ? r : acc;
}

// ---- 1. Means and scales (lanes: even / odd rows; an odd last row goes to lane 0) ----

/** As assembly/l2.ts weightedMean; ext >= 0: also min and max of v over the rows of positive weight
 *  into F[ext], F[ext + 1] (the first pass; extremes do not depend on the order of the rows). */
export function weightedMean(F: Float64Array, n: number, v: number, pW: number, wb: number, W: number, hi: number, lo: number, ext = -1,
  V: Float64Array | Float32Array = F): void {
  const half = n & ~1;
  let a0 = 0;
  let a1 = 0;
  // the extremes over the rows of positive weight (the kernel finds them in the first sweep: the
  // same values, as they do not depend on the order)
  if (ext >= 0) columnRange(F, n, v, pW, wb, ext, V);
  if (pW !== 0) {
    for (let i = 0; i < half; i += 2) {
      a0 += F[wb + i] * V[v + i];
      a1 += F[wb + i + 1] * V[v + i + 1];
    }
  } else {
    for (let i = 0; i < half; i += 2) {
      a0 += V[v + i];
      a1 += V[v + i + 1];
    }
  }
  if (half < n) a0 += pW !== 0 ? F[wb + half] * V[v + half] : V[v + half];
  const m = (a0 + a1) / W;
  let c0 = 0;
  let c1 = 0;
  if (pW !== 0) {
    for (let i = 0; i < half; i += 2) {
      c0 += F[wb + i] * (V[v + i] - m);
      c1 += F[wb + i + 1] * (V[v + i + 1] - m);
    }
  } else {
    for (let i = 0; i < half; i += 2) {
      c0 += V[v + i] - m;
      c1 += V[v + i + 1] - m;
    }
  }
  if (half < n) c0 += pW !== 0 ? F[wb + half] * (V[v + half] - m) : V[v + half] - m;
  const cw = (c0 + c1) / W;
  const mn = m + cw;
  F[hi] = mn;
  F[lo] = twoSumErr(m, cw, mn);
}

const ONEPASS_S2_MIN = 1.1830521861667747e-271; // 2^-900
const ONEPASS_WA2_MAX = 1.0715086071862673e301; // 2^1000

/** As assembly/l2.ts onePass (scale < 0: y, the mean only); e: scratch (5 f64). */
function onePass(F: Float64Array, n: number, v: number, pW: number, wb: number, W: number, intercept: number, hi: number,
  lo: number, pXm: number, pScale: number, e: number, V: Float64Array | Float32Array): boolean {
  const c = intercept !== 0 ? sampleShift(F, n, v, pW, wb, e, V) : 0.0;
  if (!(c === c)) return false;
  onePassSums(F, n, v, pW, wb, c, e, V);
  const s1 = F[e];
  const s2 = F[e + 1];
  if (!(s1 - s1 === 0) || !(s2 < Infinity)) return false;
  const m1 = intercept !== 0 ? s1 / W : 0.0;
  const m = c + m1;
  const mlo = twoSumErr(c, m1, m);
  if (pScale < 0) {
    F[hi] = m;
    F[lo] = mlo;
    return true;
  }
  const amax = vExtent(F[e + 2], F[e + 3], m);
  let sc = 0.0;
  if (amax !== 0) {
    if (!(s2 >= ONEPASS_S2_MIN) || !(W * amax * amax <= ONEPASS_WA2_MAX)) return false;
    const corr = s1 * m1;
    if (!(corr <= 0.5 * s2)) return false;
    sc = Math.sqrt(s2 - corr);
  }
  F[hi] = m;
  F[lo] = mlo;
  F[pXm] = Math.abs(m) + amax;
  F[pScale] = sc;
  return true;
}

/** As assembly/l2.ts sampleShift (sorted at F[e..]). */
function sampleShift(F: Float64Array, n: number, v: number, pW: number, wb: number, e: number,
  V: Float64Array | Float32Array): number {
  let cnt = 0;
  for (let k = 0; k < 5; k++) {
    const i = Math.floor(((2 * k + 1) * n) / 10);
    if (pW !== 0 && !(F[wb + i] > 0)) continue;
    const x = V[v + i];
    let t = cnt;
    while (t > 0 && x < F[e + t - 1]) {
      F[e + t] = F[e + t - 1];
      t--;
    }
    F[e + t] = x;
    cnt++;
  }
  return cnt > 0 ? F[e + ((cnt - 1) >> 1)] : NaN;
}

/** As assembly/l2.ts onePassSums: S1, S2, min, max into F[e..e + 3] (lanes: even / odd rows). */
function onePassSums(F: Float64Array, n: number, v: number, pW: number, wb: number, c: number, e: number,
  V: Float64Array | Float32Array): void {
  const half = n & ~1;
  const lanes = shiftedSums(V, v, F, pW !== 0 ? wb : -1, c, half, -1);
  let a0 = lanes[0];
  let b0 = lanes[2];
  const a1 = lanes[1];
  const b1 = lanes[3];
  if (half < n) {
    const d = V[v + half] - c;
    const wd = pW !== 0 ? F[wb + half] * d : d;
    a0 += wd;
    b0 += wd * d;
  }
  columnRange(F, n, v, pW, wb, e + 2, V);
  F[e] = a0 + a1;
  F[e + 1] = b0 + b1;
}

/** The lanes [a0, a1, b0, b1] of S1 = sum w d and S2 = sum (w d) d, d = v - c, over the rows
 *  0..half-1 of V from v (half even; lane 0 even rows, lane 1 odd rows; w from F at wb, or 1 when
 *  wb < 0: 1 d = d exactly). With store >= 0 the products w d go to F[store + i]. onePassSums' sweep
 *  (shift c, the extremes apart) and the plain refinement's (c = 0, d = r: q = w r, sum q, sum q r). */
function shiftedSums(V: Float64Array | Float32Array, v: number, F: Float64Array, wb: number, c: number, half: number,
  store: number): [number, number, number, number] {
  let a0 = 0, a1 = 0, b0 = 0, b1 = 0;
  for (let i = 0; i < half; i += 2) {
    const d0 = V[v + i] - c;
    const d1 = V[v + i + 1] - c;
    const wd0 = wb >= 0 ? F[wb + i] * d0 : d0;
    const wd1 = wb >= 0 ? F[wb + i + 1] * d1 : d1;
    a0 += wd0;
    a1 += wd1;
    b0 += wd0 * d0;
    b1 += wd1 * d1;
    if (store >= 0) {
      F[store + i] = wd0;
      F[store + i + 1] = wd1;
    }
  }
  return [a0, a1, b0, b1];
}

// Bit access to a double (little-endian: word 1 holds the sign, exponent and high mantissa bits).
const bitsF = new Float64Array(1);
const bitsU = new Uint32Array(bitsF.buffer);

/** 2^k for an integer k in [-1022, 1023]. */
export function pow2(k: number): number {
  bitsU[0] = 0;
  bitsU[1] = (k + 1023) << 20;
  return bitsF[0];
}

/** The power of two 2^k, k in [-1022, 1022], with x * 2^k in [0.5, 1) (as assembly/l2.ts). */
export function scaleFor(x: number): number {
  bitsF[0] = x;
  const e = ((bitsU[1] >>> 20) & 0x7ff) - 1023;
  let k = -(e + 1);
  if (k < -1022) k = -1022;
  if (k > 1022) k = 1022;
  return pow2(k);
}

/** min and max of v over the rows of positive weight into F[ext], F[ext + 1] (fits without intercept; y in refine). */
function columnRange(F: Float64Array, n: number, v: number, pW: number, wb: number, ext: number,
  V: Float64Array | Float32Array): void {
  let vmin = Infinity;
  let vmax = -Infinity;
  for (let i = 0; i < n; i++) {
    if (pW === 0 || F[wb + i] > 0) {
      const x = V[v + i];
      if (x < vmin) vmin = x;
      if (x > vmax) vmax = x;
    }
  }
  F[ext] = vmin;
  F[ext + 1] = vmax;
}

/** max |v_i - m| over the rows of positive weight from the extremes of v (fl(v - m) is monotone in v). */
export function vExtent(vmin: number, vmax: number, m: number): number {
  if (!(vmin <= vmax)) return 0;
  const a = Math.abs(vmax - m);
  const b = Math.abs(vmin - m);
  return b > a ? b : a;
}

function columnScale(F: Float64Array, n: number, v: number, pW: number, wb: number, m: number, xm: number, amax: number,
  V: Float64Array | Float32Array): number {
  F[xm] = Math.abs(m) + amax;
  if (amax === 0) return 0;
  const ia = 1.0 / amax;
  if (!(ia < Infinity)) return amax;
  const half = n & ~1;
  let s0 = 0;
  let s1 = 0;
  if (pW !== 0) {
    for (let i = 0; i < half; i += 2) {
      const w0 = F[wb + i];
      const w1 = F[wb + i + 1];
      const t0 = (V[v + i] - m) * ia;
      const t1 = (V[v + i + 1] - m) * ia;
      s0 += w0 > 0 ? w0 * (t0 * t0) : 0;
      s1 += w1 > 0 ? w1 * (t1 * t1) : 0;
    }
  } else {
    for (let i = 0; i < half; i += 2) {
      const t0 = (V[v + i] - m) * ia;
      const t1 = (V[v + i + 1] - m) * ia;
      s0 += t0 * t0;
      s1 += t1 * t1;
    }
  }
  if (half < n) {
    const t = (V[v + half] - m) * ia;
    if (pW === 0) s0 += t * t;
    else {
      const w = F[wb + half];
      s0 += w > 0 ? w * (t * t) : 0;
    }
  }
  return amax * Math.sqrt(s0 + s1);
}

// ---- 2. Row blocks and the Gram matrix ----

function fillBlock(F: Float64Array, I: Int32Array, n: number, xb: number, yb: number, pW: number, wb: number,
  i0: number, len: number, lp: number, pa: number, act: number, mean: number, invs: number, ybar: number,
  blk: number, L: number, wbuf: number): void {
  if (pW !== 0) {
    for (let i = 0; i < len; i++) F[wbuf + i] = Math.sqrt(F[wb + i0 + i]);
  }
  for (let t = 0; t <= pa; t++) {
    let src: number;
    let m: number;
    let iv: number;
    const S = t < pa ? xview() : F; // X (f64 or f32 view) or y
    if (t < pa) {
      const j = I[act + t];
      src = xb + j * n + i0;
      m = F[mean + j];
      iv = F[invs + j];
    } else {
      src = yb + i0;
      m = ybar;
      iv = 1.0;
    }
    const dst = blk + t * L;
    if (pW !== 0) {
      for (let i = 0; i < len; i++) F[dst + i] = ((S[src + i] - m) * F[wbuf + i]) * iv;
    } else {
      for (let i = 0; i < len; i++) F[dst + i] = (S[src + i] - m) * iv;
    }
    if (lp > len) F[dst + len] = 0;
  }
}

/** Gram matrix of [Z, yc]: each row chunk's into its partial slot (pPart), then their sum in chunk
 *  order (byte pointers, as assembly/l2.ts gramMatrix and l2GramItem). */
export function gramMatrix(n: number, pX: number, pY: number, pW: number, pa: number, pAct: number, pMean: number,
  pInvs: number, ybar: number, pBlk: number, L: number, p: number, pPart: number, pG: number, raw = 0, pMode = 0,
  pStats = 0): void {
  const F = F64;
  const I = I32;
  const G = pG >>> 3;
  const blk = pBlk >>> 3;
  const q = pa + 1;
  const nc = chunkCount(n, p);
  const chunk = chunkRows(n, p);
  const ps = partStride(p);
  const cols = new Array<number>(q);
  const pv = evenUp(q);
  for (let c = 0; c < nc; c++) {
    const P = (pPart >>> 3) + c * ps;
    for (let k = 0; k < q * q; k++) F[P + k] = 0;
    const st = (pStats >>> 3) + c * 3 * pv;
    if (pStats !== 0) resetStats(F, st, q, pv);
    const r0 = c * chunk;
    const r1 = Math.min(n, r0 + chunk);
    for (let i0 = r0; i0 < r1; i0 += L) {
      const len = Math.min(L, r1 - i0);
      const lp = evenUp(len);
      if (raw !== 0) {
        fillInPlace(F, n, pX >>> 3, pY >>> 3, i0, len, lp, pa, pAct >>> 2, pMean >>> 3, pMode >>> 3, blk, L, cols);
        if (pStats !== 0) {
          gramBlock(F, cols, lp, q, P);
          blockStats(F, cols, q, len, st, pv);
          continue;
        }
      } else {
        fillBlock(F, I, n, pX >>> XS, pY >>> 3, pW, pW >>> 3, i0, len, lp, pa, pAct >>> 2, pMean >>> 3, pInvs >>> 3, ybar, blk, L, blk + q * L);
        for (let t = 0; t < q; t++) cols[t] = blk + t * L;
      }
      gramBlock(F, cols, lp, q, P);
    }
  }
  for (let k = 0; k < q * q; k++) F[G + k] = 0;
  for (let c = 0; c < nc; c++) {
    const P = (pPart >>> 3) + c * ps;
    for (let k = 0; k < q * q; k++) F[G + k] = F[G + k] + F[P + k];
  }
  if (raw !== 0 && pStats === 0) {
    // centre the in-place columns' sums, then scale (as assembly/l2.ts gramMatrix)
    const W = n;
    const A = pAct >>> 2, M = mean, V = pInvs >>> 3, md = pMode >>> 3; // the means (pMean holds the shifts)
    for (let u = 0; u < q; u++) {
      const ru = u < pa && F[md + u] !== 0;
      const mu = u < pa ? F[M + I[A + u]] : 0.0;
      const ivu = u < pa ? F[V + I[A + u]] : 1.0;
      for (let t = 0; t <= u; t++) {
        const ivt = t < pa ? F[V + I[A + t]] : 1.0;
        let g = F[G + u * q + t];
        if (ru && F[md + t] !== 0) g = g - (W * F[M + I[A + t]]) * mu;
        F[G + u * q + t] = (g * ivt) * ivu;
      }
    }
  }
}

/** assembly/l2.ts fillInPlace: cols[t] = the F index of column t of the block — X itself for an
 *  in-place column (mode 1) of an even-length block, else a copy in the block (in-place columns as
 *  they are, the others centred; a zero pad row for an odd length). */
function fillInPlace(F: Float64Array, n: number, xb: number, yb: number, i0: number, len: number,
  lp: number, pa: number, act: number, shift: number, md: number, blk: number, L: number, cols: number[]): void {
  const I = I32;
  for (let t = 0; t <= pa; t++) {
    const src = t < pa ? xb + I[act + t] * n + i0 : yb + i0;
    const inPlace = F[md + t] !== 0;
    if (inPlace && lp === len) {
      cols[t] = src;
      continue;
    }
    const dst = blk + t * L;
    const m = F[shift + t];
    for (let i = 0; i < len; i++) F[dst + i] = (F[src + i] - m) * 1.0;
    if (lp > len) F[dst + len] = 0;
    cols[t] = dst;
  }
}

/** As assembly/l2.ts blockStats: the sum in four lanes (rows 4k, 4k + 1: a0, a1; 4k + 2, 4k + 3: b0,
 *  b1; a last pair into a0, a1; an odd last row into a0 + b0), ((a0 + b0) + odd) + (a1 + b1). The
 *  extremes over all rows in any order (only |extreme - mean| is used: the sign of a zero does not
 *  matter). */
function blockStats(F: Float64Array, cols: number[], q: number, len: number, st: number, pv: number): void {
  const half = len & ~1;
  for (let t = 0; t < q; t++) {
    const col = cols[t];
    let a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    let l0 = Infinity;
    let h0 = -Infinity;
    let i = 0;
    for (; i + 4 <= half; i += 4) {
      a0 += F[col + i];
      a1 += F[col + i + 1];
      b0 += F[col + i + 2];
      b1 += F[col + i + 3];
    }
    if (i < half) {
      a0 += F[col + i];
      a1 += F[col + i + 1];
    }
    let s0 = a0 + b0;
    for (let k = 0; k < len; k++) {
      const v = F[col + k];
      if (v < l0) l0 = v;
      if (v > h0) h0 = v;
    }
    if ((len & 1) !== 0) s0 += F[col + half];
    F[st + t] = F[st + t] + (s0 + (a1 + b1));
    if (l0 < F[st + pv + t]) F[st + pv + t] = l0;
    if (h0 > F[st + 2 * pv + t]) F[st + 2 * pv + t] = h0;
  }
}

function gramBlock(F: Float64Array, cols: number[], lp: number, q: number, G: number): void {
  for (let t = 0; t < q; t++) {
    const ct = cols[t];
    for (let u = t; u < q; u++) {
      const cu = cols[u];
      let a0 = 0;
      let a1 = 0;
      for (let i = 0; i < lp; i += 2) {
        a0 += F[ct + i] * F[cu + i];
        a1 += F[ct + i + 1] * F[cu + i + 1];
      }
      F[G + u * q + t] = F[G + u * q + t] + (a0 + a1);
    }
  }
}

function gramNorm1(F: Float64Array, I: Int32Array, G: number, q: number, pos: number, k: number): number {
  let nrm = 0;
  for (let t = 0; t < k; t++) {
    const a = I[pos + t];
    let s = 0;
    for (let u = 0; u < k; u++) {
      const b = I[pos + u];
      s += Math.abs(a <= b ? F[G + b * q + a] : F[G + a * q + b]);
    }
    if (s > nrm) nrm = s;
  }
  return nrm;
}

// ---- 4. Cholesky and the condition estimate ----

function cholesky(F: Float64Array, G: number, R: number, k: number, q: number): number {
  for (let j = 0; j < k; j++) {
    const gjj = F[G + j * q + j];
    let d = gjj;
    for (let i = 0; i < j; i++) {
      const r = F[R + j * q + i];
      d -= r * r;
    }
    if (!(d > RCOND_MIN * gjj)) return j;
    const rjj = Math.sqrt(d);
    F[R + j * q + j] = rjj;
    for (let l = j + 1; l < k; l++) {
      let s = F[G + l * q + j];
      for (let i = 0; i < j; i++) s -= F[R + j * q + i] * F[R + l * q + i];
      F[R + l * q + j] = s / rjj;
    }
  }
  return -1;
}

function solveUpperT(F: Float64Array, R: number, q: number, k: number, v: number): void {
  for (let j = 0; j < k; j++) {
    let s = F[v + j];
    for (let i = 0; i < j; i++) s -= F[R + j * q + i] * F[v + i];
    F[v + j] = s / F[R + j * q + j];
  }
}

function solveUpper(F: Float64Array, R: number, q: number, k: number, v: number): void {
  for (let j = k - 1; j >= 0; j--) {
    const zj = F[v + j] / F[R + j * q + j];
    F[v + j] = zj;
    for (let i = 0; i < j; i++) F[v + i] = F[v + i] - F[R + j * q + i] * zj;
  }
}

function rcondEstimate(F: Float64Array, R: number, q: number, k: number, anorm: number, x: number, sg: number): number {
  if (!(anorm > 0)) return 0;
  const est = invNorm1Estimate(F, R, q, k, x, sg);
  return est > 0 && est < Infinity ? (1.0 / est) / anorm : 0.0;
}

function idamax(F: Float64Array, v: number, k: number): number {
  let j = 0;
  let best = Math.abs(F[v]);
  for (let i = 1; i < k; i++) {
    const a = Math.abs(F[v + i]);
    if (a > best) {
      best = a;
      j = i;
    }
  }
  return j;
}

function asum(F: Float64Array, v: number, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.abs(F[v + i]);
  return s;
}

function signsOf(F: Float64Array, v: number, sg: number, k: number): void {
  for (let i = 0; i < k; i++) {
    const s = F[v + i] >= 0 ? 1.0 : -1.0;
    F[sg + i] = s;
    F[v + i] = s;
  }
}

/** Hager (1984) / Higham (1988), LAPACK dlacn2: see assembly/l2.ts. */
function invNorm1Estimate(F: Float64Array, R: number, q: number, k: number, x: number, sg: number): number {
  for (let i = 0; i < k; i++) F[x + i] = 1.0 / k;
  solveUpperT(F, R, q, k, x);
  solveUpper(F, R, q, k, x);
  if (k === 1) return Math.abs(F[x]);
  let est = asum(F, x, k);
  signsOf(F, x, sg, k);
  solveUpperT(F, R, q, k, x);
  solveUpper(F, R, q, k, x);
  let j = idamax(F, x, k);
  let iter = 2;
  for (;;) {
    for (let i = 0; i < k; i++) F[x + i] = 0;
    F[x + j] = 1;
    solveUpperT(F, R, q, k, x);
    solveUpper(F, R, q, k, x);
    const estOld = est;
    est = asum(F, x, k);
    let repeated = 1;
    for (let i = 0; i < k; i++) {
      if ((F[x + i] >= 0 ? 1.0 : -1.0) !== F[sg + i]) {
        repeated = 0;
        break;
      }
    }
    if (repeated !== 0 || est <= estOld) break;
    signsOf(F, x, sg, k);
    solveUpperT(F, R, q, k, x);
    solveUpper(F, R, q, k, x);
    const jLast = j;
    j = idamax(F, x, k);
    if (F[x + jLast] !== Math.abs(F[x + j]) && iter < 5) {
      iter++;
      continue;
    }
    break;
  }
  let alt = 1.0;
  for (let i = 0; i < k; i++) {
    F[x + i] = alt * (1.0 + i / (k - 1));
    alt = -alt;
  }
  solveUpperT(F, R, q, k, x);
  solveUpper(F, R, q, k, x);
  const temp = 2.0 * (asum(F, x, k) / (3 * k));
  return temp > est ? temp : est;
}

// ---- 5. Householder QR by row blocks, rank detection ----

/** Householder reflector (LAPACK dlarfg) zeroing the block column v against R_kk (index rkk): as
 *  assembly/l2.ts reflector. Returns tau, or 0 when the column is already zero. */
function reflector(F: Float64Array, v: number, lp: number, rkk: number): number {
  let a0 = 0;
  let a1 = 0;
  for (let i = 0; i < lp; i += 2) {
    const x0 = F[v + i];
    const x1 = F[v + i + 1];
    a0 += x0 * x0;
    a1 += x1 * x1;
  }
  const xn2 = a0 + a1;
  if (xn2 === 0) return 0;
  const alpha = F[rkk];
  const h = Math.sqrt(alpha * alpha + xn2);
  const beta = alpha >= 0 ? -h : h;
  const tau = (beta - alpha) / beta;
  const sc = 1.0 / (alpha - beta);
  for (let i = 0; i < lp; i++) F[v + i] = F[v + i] * sc;
  F[rkk] = beta;
  return tau;
}

/** Reflect the block's first nk columns into R, applying each reflector to the columns on its right
 *  up to q - 1 (l2_fit: nk = pa; moments: nk = q). The WASM kernel applies four columns per pass. */
export function householderBlock(F: Float64Array, blk: number, L: number, lp: number, nk: number, q: number, R: number): void {
  for (let k = 0; k < nk; k++) {
    const v = blk + k * L;
    const tau = reflector(F, v, lp, R + k * q + k);
    if (tau === 0) continue;
    for (let j = k + 1; j < q; j++) {
      const c = blk + j * L;
      let d0 = 0;
      let d1 = 0;
      for (let i = 0; i < lp; i += 2) {
        d0 += F[v + i] * F[c + i];
        d1 += F[v + i + 1] * F[c + i + 1];
      }
      const rkj = F[R + j * q + k];
      const ts = tau * (rkj + (d0 + d1));
      F[R + j * q + k] = rkj - ts;
      for (let i = 0; i < lp; i++) F[c + i] = F[c + i] - ts * F[v + i];
    }
  }
}

function deleteAliased(F: Float64Array, I: Int32Array, R: number, q: number, pa: number, tol: number,
  pos: number, act: number, fb: number): number {
  let k = pa;
  let t = 0;
  while (t < k) {
    if (Math.abs(F[R + t * q + t]) > tol) {
      t++;
      continue;
    }
    I[fb + I[act + I[pos + t]]] = 1;
    for (let c = t; c < k - 1; c++) {
      for (let r = 0; r <= c + 1; r++) F[R + c * q + r] = F[R + (c + 1) * q + r];
      I[pos + c] = I[pos + c + 1];
    }
    for (let r = 0; r < k; r++) F[R + (k - 1) * q + r] = 0;
    k--;
    for (let c = t; c < k; c++) {
      const a = F[R + c * q + c];
      const b = F[R + c * q + c + 1];
      if (b === 0) continue;
      const r = Math.sqrt(a * a + b * b);
      const cs = a / r;
      const sn = b / r;
      F[R + c * q + c] = r;
      F[R + c * q + c + 1] = 0;
      for (let l = c + 1; l <= k; l++) {
        const col = l < k ? l : pa;
        const x1 = F[R + col * q + c];
        const x2 = F[R + col * q + c + 1];
        F[R + col * q + c] = cs * x1 + sn * x2;
        F[R + col * q + c + 1] = cs * x2 - sn * x1;
      }
    }
  }
  return k;
}

// ---- 6. One refinement pass ----

function refinePass(F: Float64Array, I: Int32Array, n: number, xb: number, yb: number, pW: number, wb: number,
  mask: number, k: number, act: number, b0: number, cb: number, blk: number, L: number, gh: number, gl: number,
  rhs: number, plain: number): number {
  // As assembly/l2.ts refinePass / l2RefineItem: chunk c's sums from zero into its partial slot
  // (objective, then the Dot2 high parts, then the low parts), added in chunk order.
  const nc = chunkCount(n, curP);
  const chunk = chunkRows(n, curP);
  const ps = partStride(curP);
  const pv = evenUp(k + 1);
  const w = blk + (k + 1) * L;
  for (let c = 0; c < nc; c++) {
    const P = part + c * ps;
    const r0 = c * chunk;
    F[P] = refineRows(F, I, n, r0, Math.min(n, r0 + chunk), xb, yb, pW, wb, mask, k, act, b0, cb, blk, L, w,
      w + L, w + 2 * L, w + 3 * L, w + 4 * L, P + 1, P + 1 + pv, rhs, plain);
  }
  let obj = 0;
  for (let t = 0; t <= k; t++) {
    F[gh + t] = 0;
    F[gl + t] = 0;
  }
  for (let c = 0; c < nc; c++) {
    const P = part + c * ps;
    obj += F[P];
    for (let t = 0; t <= k; t++) {
      const h = F[P + 1 + t];
      const g = F[gh + t];
      const s = g + h;
      F[gl + t] = F[gl + t] + (twoSumErr(g, h, s) + F[P + 1 + pv + t]);
      F[gh + t] = s;
    }
  }
  return obj;
}

function refineRows(F: Float64Array, I: Int32Array, n: number, r0: number, r1: number, xb: number, yb: number, pW: number, wb: number,
  mask: number, k: number, act: number, b0: number, cb: number, blk: number, L: number, wbuf: number,
  rh: number, rl: number, qh: number, ql: number, gh: number, gl: number, rhs: number, plain: number): number {
  for (let t = 0; t <= k; t++) {
    F[gh + t] = 0;
    F[gl + t] = 0;
  }
  let obj = 0;
  for (let i0 = r0; i0 < r1; i0 += L) {
    const len = Math.min(L, r1 - i0);
    const lp = evenUp(len);
    // In place unless some row has weight 0 or the block has an odd number of rows (as assembly/l2.ts).
    const direct = mask === 0 && lp === len && XS === 3; // X stored as f32: widened into the block
    if (!direct) {
      for (let t = 0; t <= k; t++) {
        const src = t < k ? xb + I[act + t] * n + i0 : yb + i0;
        const S = t < k ? xview() : F; // X (f64 or f32 view) or y
        const dst = blk + t * L;
        if (pW !== 0) {
          for (let i = 0; i < len; i++) F[dst + i] = F[wb + i0 + i] !== 0 ? S[src + i] : 0;
        } else if (S === F) {
          F.copyWithin(dst, src, src + len);
        } else {
          for (let i = 0; i < len; i++) F[dst + i] = S[src + i];
        }
        if (lp > len) F[dst + len] = 0;
      }
    }
    if (pW !== 0) {
      F.copyWithin(wbuf, wb + i0, wb + i0 + len);
    } else {
      for (let i = 0; i < len; i++) F[wbuf + i] = 1;
    }
    if (lp > len) F[wbuf + len] = 0;

    const yc = direct ? yb + i0 : blk + k * L;
    if (plain !== 0) {
      obj += plainRows(F, I, direct, xb, n, i0, act, k, b0, cb, yc, blk, L, lp, wbuf, rh, gh, gl, rhs);
      continue;
    }
    const nb0 = -b0;
    for (let i = 0; i < lp; i++) {
      const y = F[yc + i];
      const s = y + nb0;
      F[rh + i] = s;
      F[rl + i] = twoSumErr(y, nb0, s);
    }
    for (let t = 0; t < k; t++) {
      const b = F[cb + 1 + I[act + t]];
      const bh = splitHi(b);
      const bl = b - bh;
      const col = direct ? xb + I[act + t] * n + i0 : blk + t * L;
      for (let i = 0; i < lp; i++) {
        const x = F[col + i];
        const xh = splitHi(x);
        const ph = x * b;
        const pl = twoProdErr(xh, x - xh, bh, bl, ph);
        const h = F[rh + i];
        const nph = -ph;
        const s = h + nph;
        F[rh + i] = s;
        F[rl + i] = F[rl + i] + (twoSumErr(h, nph, s) - pl);
      }
    }

    if (rhs === 0) {
      let o0 = 0;
      let o1 = 0;
      for (let i = 0; i < lp; i += 2) {
        const r0 = F[rh + i] + F[rl + i];
        const r1 = F[rh + i + 1] + F[rl + i + 1];
        o0 += (F[wbuf + i] * r0) * r0;
        o1 += (F[wbuf + i + 1] * r1) * r1;
      }
      obj += o0 + o1;
      continue;
    }

    // q = w r as a double-double: rh <- qa, rl <- qb, qh / ql <- split of qa.
    let o0 = 0;
    let o1 = 0;
    let sh0 = 0;
    let sh1 = 0;
    let sl0 = 0;
    let sl1 = 0;
    for (let i = 0; i < lp; i += 2) {
      const h0 = F[rh + i];
      const h1 = F[rh + i + 1];
      const l0 = F[rl + i];
      const l1 = F[rl + i + 1];
      const r0 = h0 + l0;
      const r1 = h1 + l1;
      const rlo0 = twoSumErr(h0, l0, r0);
      const rlo1 = twoSumErr(h1, l1, r1);
      const w0 = F[wbuf + i];
      const w1 = F[wbuf + i + 1];
      const wh0 = splitHi(w0);
      const wh1 = splitHi(w1);
      const rhi0 = splitHi(r0);
      const rhi1 = splitHi(r1);
      const qa0 = w0 * r0;
      const qa1 = w1 * r1;
      const qb0 = twoProdErr(wh0, w0 - wh0, rhi0, r0 - rhi0, qa0) + w0 * rlo0;
      const qb1 = twoProdErr(wh1, w1 - wh1, rhi1, r1 - rhi1, qa1) + w1 * rlo1;
      o0 += qa0 * r0;
      o1 += qa1 * r1;
      const s0 = sh0 + qa0;
      const s1 = sh1 + qa1;
      sl0 += twoSumErr(sh0, qa0, s0) + qb0;
      sl1 += twoSumErr(sh1, qa1, s1) + qb1;
      sh0 = s0;
      sh1 = s1;
      const qh0 = splitHi(qa0);
      const qh1 = splitHi(qa1);
      F[rh + i] = qa0;
      F[rh + i + 1] = qa1;
      F[rl + i] = qb0;
      F[rl + i + 1] = qb1;
      F[qh + i] = qh0;
      F[qh + i + 1] = qh1;
      F[ql + i] = qa0 - qh0;
      F[ql + i + 1] = qa1 - qh1;
    }
    obj += o0 + o1;
    addLanes(F, gh, gl, k, sh0, sh1, sl0, sl1);

    for (let t = 0; t < k; t++) {
      const col = direct ? xb + I[act + t] * n + i0 : blk + t * L;
      let ah0 = 0;
      let ah1 = 0;
      let al0 = 0;
      let al1 = 0;
      for (let i = 0; i < lp; i += 2) {
        const x0 = F[col + i];
        const x1 = F[col + i + 1];
        const xh0 = splitHi(x0);
        const xh1 = splitHi(x1);
        const ph0 = F[rh + i] * x0;
        const ph1 = F[rh + i + 1] * x1;
        const pl0 = twoProdErr(F[qh + i], F[ql + i], xh0, x0 - xh0, ph0) + F[rl + i] * x0;
        const pl1 = twoProdErr(F[qh + i + 1], F[ql + i + 1], xh1, x1 - xh1, ph1) + F[rl + i + 1] * x1;
        const s0 = ah0 + ph0;
        const s1 = ah1 + ph1;
        al0 += twoSumErr(ah0, ph0, s0) + pl0;
        al1 += twoSumErr(ah1, ph1, s1) + pl1;
        ah0 = s0;
        ah1 = s1;
      }
      addLanes(F, gh, gl, t, ah0, ah1, al0, al1);
    }
  }
  return obj;
}

/** refineRows on one block in plain float64 (see assembly/l2.ts plainRows): two lanes (even / odd rows). */
function plainRows(F: Float64Array, I: Int32Array, direct: boolean, xb: number, n: number, i0: number, act: number,
  k: number, b0: number, cb: number, yc: number, blk: number, L: number, lp: number, wbuf: number, r: number,
  gh: number, gl: number, rhs: number): number {
  const nb0 = -b0;
  for (let i = 0; i < lp; i++) F[r + i] = F[yc + i] + nb0;
  for (let t = 0; t < k; t++) {
    const b = F[cb + 1 + I[act + t]];
    const col = direct ? xb + I[act + t] * n + i0 : blk + t * L;
    for (let i = 0; i < lp; i++) F[r + i] = F[r + i] - F[col + i] * b;
  }
  // q = w r (d = r - 0 = r exactly), sum q r and sum q; q replaces r when the sums X^T q follow
  const [s0, s1, o0, o1] = shiftedSums(F, r, F, wbuf, 0, lp, rhs === 0 ? -1 : r);
  if (rhs === 0) return o0 + o1;
  addLanes(F, gh, gl, k, s0, s1, 0, 0);
  for (let t = 0; t < k; t++) {
    const col = direct ? xb + I[act + t] * n + i0 : blk + t * L;
    let a0 = 0;
    let a1 = 0;
    for (let i = 0; i < lp; i += 2) {
      a0 += F[r + i] * F[col + i];
      a1 += F[r + i + 1] * F[col + i + 1];
    }
    addLanes(F, gh, gl, t, a0, a1, 0, 0);
  }
  return o0 + o1;
}

function addLanes(F: Float64Array, gh: number, gl: number, t: number, h0: number, h1: number, l0: number, l1: number): void {
  const h = h0 + h1;
  const l = (l0 + l1) + twoSumErr(h0, h1, h);
  const g = F[gh + t];
  const s = g + h;
  F[gl + t] = F[gl + t] + (twoSumErr(g, h, s) + l);
  F[gh + t] = s;
}
