// S- and MM-estimation with Tukey's bisquare rho — pure-TypeScript twin of assembly/mm.ts, statement
// for statement (scalar code on both sides, same loop order, same operations; the weighted solves are
// l2Solve, bit-identical across backends), so both backends return the same bits. The algorithm, its
// provenance (robustbase's lmrob defaults), the parameter and info layouts are documented in
// assembly/mm.ts.
import { progress } from '../abi/progress.js';
import { INFO_LEN } from '../abi/info.js';
import { STATUS_CANCELLED, STATUS_MAXITER, STATUS_NUMERICAL, STATUS_OK, STATUS_RANK_DEFICIENT } from '../abi/status.js';
import { l2Solve, l2_work_bytes } from './l2.js';
import { F64, I32 } from './mem.js';
import { XS, setX, xview } from './xload.js';

const P_NRES = 0;
const P_BEST_R = 1;
const P_K_FAST = 2;
const P_K_MAX = 3;
const P_MAXIT_SCALE = 4;
const P_REFINE_TOL = 5;
const P_REL_TOL = 6;
const P_SCALE_TOL = 7;
const P_ZERO_TOL = 8;
const P_C_CHI = 9;
const P_BB = 10;
const P_C_PSI = 11;
const P_MAX_IT = 12;
const P_SEED = 13;
const P_GROUPS = 14;
const P_N_GROUP = 15;
const P_LARGE_N = 16;
const P_SOLVE_TOL = 17;
const P_HAS_START = 18;

const MMI_S_SCALE = 0;
const MMI_S_CONVERGED = 1;
const MMI_S_ITER = 2;
const MMI_M_ITER = 3;
const MMI_M_CONVERGED = 4;
const MMI_OBJECTIVE = 5;
const MMI_EXACT = 6;
const MMI_SINGULAR = 7;
const MMI_CANDIDATES = 8;
const MMI_FAILED = 9;
const MMI_LEN = 12;

const KIND_MM = 4;
const MAX_REDRAW = 50;
const MAD_CONST = 1.4826;
const LEAN_PIVOT = 1e-8;

function al16(b: number): number {
  return Math.ceil(b / 16.0) * 16.0;
}

let rngState = 0;
let nSingular = 0;
let nCandidates = 0;
let nFailed = 0;
let cancelled = false;
let progressCount = 0;
let bestSoFar = 0;
let refScale = 0;
let refConv = false;

let wL2 = 0;
let wL2Info = 0;
let wFlags = 0;
let wRes = 0;
let wWt = 0;
let wMed = 0;
let wInd = 0;
let wBj = 0;
let wBref = 0;
let wBcand = 0;
let wLU = 0;
let wRhs = 0;
let wCs = 0;
let wSub = 0;
let wG = 0;
let wGb = 0;
let wMx = 0;
let wGa = 0;
let wD = 0;
let wCtr = 0;
let wBlk = 0;

function rnd(): number {
  rngState = (rngState + 0x6D2B79F5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

function rndInt(m: number): number {
  return rnd() % m;
}

export function rhoBisq(x: number, c: number): number {
  if (Math.abs(x) > c) return 1.0;
  let t = x / c;
  t = t * t;
  return t * (3.0 + t * (-3.0 + t));
}

export function wgtBisq(x: number, c: number): number {
  if (Math.abs(x) > c) return 0.0;
  let a = x / c;
  a = (1.0 - a) * (1.0 + a);
  return a * a;
}

/** assembly/mm.ts selectK: branch-free three-way split between two buffers (byte pointers). */
function selectK(pA: number, m: number, k: number, pS: number): number {
  const F = F64;
  let src = pA >>> 3, dst = pS >>> 3;
  let n = m;
  let kk = k;
  while (n > 16) {
    const x0 = F[src], x1 = F[src + (n >> 1)], x2 = F[src + n - 1];
    const piv = Math.max(Math.min(x0, x1), Math.min(Math.max(x0, x1), x2));
    let nl = 0, ng = 0;
    for (let i = 0; i < n; i++) {
      const v = F[src + i];
      F[dst + nl] = v;
      F[dst + n - 1 - ng] = v;
      nl += v < piv ? 1 : 0;
      ng += v > piv ? 1 : 0;
    }
    const t = src;
    if (kk < nl) {
      n = nl;
      src = dst;
    } else if (kk >= n - ng) {
      kk -= n - ng;
      src = dst + (n - ng);
      n = ng;
    } else {
      return piv;
    }
    dst = t;
  }
  for (let i = 1; i < n; i++) {
    const v = F[src + i];
    let j = i - 1;
    while (j >= 0 && F[src + j] > v) {
      F[src + j + 1] = F[src + j];
      j--;
    }
    F[src + j + 1] = v;
  }
  return F[src + kk];
}

/** assembly/mm.ts absCount: |r| into wMed, the count of |r| <= zt. */
function absCount(m: number, pR: number, zt: number): number {
  const F = F64, rb = pR >>> 3, mb = wMed >>> 3;
  let z = 0;
  for (let i = 0; i < m; i++) {
    const v = Math.abs(F[rb + i]);
    F[mb + i] = v;
    if (v <= zt) z++;
  }
  return z;
}

/** assembly/mm.ts madZero (|r| already in wMed). */
function madZero(m: number, pR: number): number {
  const F = F64, rb = pR >>> 3;
  const h = m >> 1;
  if ((m & 1) !== 0) return selectK(wMed, m, h, wWt) * MAD_CONST;
  const a = selectK(wMed, m, h - 1, wWt);
  let cnt = 0;
  let b = Infinity;
  for (let i = 0; i < m; i++) {
    const v = Math.abs(F[rb + i]);
    cnt += v <= a ? 1 : 0;
    b = v > a ? Math.min(b, v) : b;
  }
  if (cnt > h) b = a;
  return (a + b) / 2.0 * MAD_CONST;
}

function findScale(m: number, q: number, pR: number, s0: number, c: number, bb: number, maxit: number, tol: number): number {
  if (s0 <= 0.0) return 0.0;
  let prev = s0;
  let s = s0;
  for (let it = 0; it < maxit; it++) {
    s = prev * Math.sqrt(meanRho(m, q, pR, prev, c) / bb);
    if (Math.abs(s - prev) <= tol * prev) return s;
    prev = s;
  }
  return s;
}

function norm2Diff(q1: number, pA: number, pB: number): number {
  const F = F64, a = pA >>> 3, b = pB >>> 3;
  let s = 0.0;
  for (let j = 0; j < q1; j++) {
    const d = F[a + j] - F[b + j];
    s += d * d;
  }
  return Math.sqrt(s);
}

function norm2(q1: number, pA: number): number {
  const F = F64, a = pA >>> 3;
  let s = 0.0;
  for (let j = 0; j < q1; j++) s += F[a + j] * F[a + j];
  return Math.sqrt(s);
}

function copyVec(k: number, pFrom: number, pTo: number): void {
  const F = F64, a = pFrom >>> 3, b = pTo >>> 3;
  for (let j = 0; j < k; j++) F[b + j] = F[a + j];
}

/** Rows per block of the blocked passes (assembly/mm.ts BL). */
const BL = 128;

/** Rows per chunk of the full-data passes (assembly/mm.ts M_ROWS; M_ARGS argument slots): residuals
 *  per row, sums and Gram matrices per chunk from zero, the chunks' results added in chunk order. */
const M_ROWS = 16384;
const M_ARGS = 16;
function rowChunks(m: number): number {
  return m <= M_ROWS ? 1 : Math.ceil(m / M_ROWS);
}

/** sum_i rho(r_i * inv) — assembly/mm.ts rhoSum: chunk by chunk (rhoRows), added in chunk order. */
function rhoSum(m: number, pR: number, inv: number): number {
  const nc = rowChunks(m);
  let s = rhoRows(pR, inv, 0, Math.min(m, M_ROWS));
  for (let c = 1; c < nc; c++) s += rhoRows(pR, inv, c * M_ROWS, Math.min(m, (c + 1) * M_ROWS));
  return s;
}

/** assembly/mm.ts rhoRows: rows r0..r1-1, lane 0 (even rows) + lane 1 (odd rows), then the last row
 *  when the count is odd. */
function rhoRows(pR: number, inv: number, r0: number, r1: number): number {
  const F = F64, rb = pR >>> 3;
  let s0 = 0.0, s1 = 0.0;
  const even = r0 + ((r1 - r0) & ~1);
  for (let i = r0; i < even; i += 2) {
    let a = F[rb + i] * inv;
    let t = a * a;
    s0 += Math.abs(a) > 1.0 ? 1.0 : t * (3.0 + t * (-3.0 + t));
    a = F[rb + i + 1] * inv;
    t = a * a;
    s1 += Math.abs(a) > 1.0 ? 1.0 : t * (3.0 + t * (-3.0 + t));
  }
  let s = s0 + s1;
  if (even < r1) {
    const a = F[rb + even] * inv;
    const t = a * a;
    s += Math.abs(a) > 1.0 ? 1.0 : t * (3.0 + t * (-3.0 + t));
  }
  return s;
}

function meanRho(m: number, q: number, pR: number, s: number, c: number): number {
  return rhoSum(m, pR, 1.0 / (s * c)) / (m - q);
}

function setWeights(m: number, pR: number, s: number, c: number, pW: number): void {
  const F = F64, rb = pR >>> 3, wb = pW >>> 3;
  for (let i = 0; i < m; i++) {
    const r = F[rb + i];
    F[wb + i] = wgtBisq(r === 0.0 ? 0.0 : r / s, c);
  }
}

/** out = y - b0 - X b: the same operations per row as assembly/mm.ts residuals (its blocking and
 *  lanes change only the order of independent rows). */
function residuals(m: number, p: number, pX: number, pY: number, pB: number, pOut: number): void {
  const F = F64, X = xview();
  const bb = pB >>> 3, yb = pY >>> 3, ob = pOut >>> 3;
  const b0 = F[bb];
  for (let i = 0; i < m; i++) F[ob + i] = F[yb + i] - b0;
  for (let j = 0; j < p; j++) {
    const bj = F[bb + j + 1];
    const xb = (pX >>> XS) + j * m;
    for (let i = 0; i < m; i++) F[ob + i] = F[ob + i] - X[xb + i] * bj;
  }
}

/** Unweighted column means of X and y (0 without an intercept) into wCtr — assembly/mm.ts centres. */
function centres(m: number, p: number, pX: number, pY: number, intercept: number): void {
  const F = F64, X = xview(), ct = wCtr >>> 3, yb = pY >>> 3;
  for (let j = 0; j < p; j++) {
    let s = 0.0;
    if (intercept !== 0) {
      const col = (pX >>> XS) + j * m;
      for (let i = 0; i < m; i++) s += X[col + i];
      s = s / m;
    }
    F[ct + j] = s;
  }
  let s = 0.0;
  if (intercept !== 0) {
    for (let i = 0; i < m; i++) s += F[yb + i];
    s = s / m;
  }
  F[ct + p] = s;
}

/** One entry of assembly/mm.ts gramBlockMM: even rows + odd rows (len2 even). */
function dot2(F: Float64Array, a: number, b: number, len2: number): number {
  let s0 = 0.0, s1 = 0.0;
  for (let i = 0; i < len2; i += 2) {
    s0 += F[a + i] * F[b + i];
    s1 += F[a + i + 1] * F[b + i + 1];
  }
  return s0 + s1;
}

/** assembly/mm.ts fastGram: the augmented weighted Gram matrix of the centred columns into wGa, chunk
 *  by chunk (fastGramRows from zero; the chunks' matrices added entry by entry in chunk order). */
function fastGram(m: number, p: number, pX: number, pY: number, inv: number): void {
  const nc = rowChunks(m);
  const F = F64, ga = wGa >>> 3;
  if (nc === 1) {
    fastGramRows(m, p, pX, pY, inv, F, ga, 0, m);
    return;
  }
  const P2 = p + 2;
  const parts = new Float64Array(nc * P2 * P2);
  for (let c = 0; c < nc; c++) fastGramRows(m, p, pX, pY, inv, parts, c * P2 * P2, c * M_ROWS, Math.min(m, (c + 1) * M_ROWS));
  for (let k = 0; k < P2 * P2; k++) {
    let t = parts[k];
    for (let c = 1; c < nc; c++) t += parts[c * P2 * P2 + k];
    F[ga + k] = t;
  }
}

/** assembly/mm.ts fastGramRows: rows r0..r1-1 into G[ga ..] (zeroed first). */
function fastGramRows(m: number, p: number, pX: number, pY: number, inv: number, G: Float64Array, ga: number, r0: number, r1: number): void {
  const F = F64, X = xview();
  const P2 = p + 2;
  const blk = wBlk >>> 3, ct = wCtr >>> 3, rb = wRes >>> 3, yb = pY >>> 3;
  for (let k = 0; k < P2 * P2; k++) G[ga + k] = 0.0;
  const cy = F[ct + p];
  for (let i0 = r0; i0 < r1; i0 += BL) {
    const len = Math.min(BL, r1 - i0);
    const len4 = (len + 1) & ~1;
    const zy = blk + (p + 1) * BL;
    for (let i = 0; i < len; i++) {
      const a = F[rb + i0 + i] * inv;
      const sw = Math.abs(a) > 1.0 ? 0.0 : (1.0 - a) * (1.0 + a);
      F[blk + i] = sw;
      F[zy + i] = sw * (F[yb + i0 + i] - cy);
    }
    for (let i = len; i < len4; i++) {
      F[blk + i] = 0.0;
      F[zy + i] = 0.0;
    }
    for (let j = 0; j < p; j++) {
      const cj = F[ct + j];
      const xb = (pX >>> XS) + j * m + i0;
      const zj = blk + (j + 1) * BL;
      for (let i = 0; i < len; i++) F[zj + i] = F[blk + i] * (X[xb + i] - cj);
      for (let i = len; i < len4; i++) F[zj + i] = 0.0;
    }
    for (let a = 0; a < P2; a++) {
      const za = blk + a * BL;
      for (let b = 0; b <= a; b++) {
        const k = ga + a * P2 + b;
        G[k] = G[k] + dot2(F, za, blk + b * BL, len4);
      }
    }
  }
}

/** assembly/mm.ts fastWls. */
function fastWls(m: number, p: number, pX: number, pY: number, intercept: number, s: number, c: number, pOut: number): boolean {
  const inv = 1.0 / (s * c);
  fastGram(m, p, pX, pY, inv);
  const F = F64;
  const P2 = p + 2;
  const ga = wGa >>> 3, d = wD >>> 3, g = wG >>> 3, gb = wGb >>> 3, mx = wMx >>> 3, ct = wCtr >>> 3;
  const W = F[ga];
  if (!(W > 0.0)) return false;
  let my = 0.0;
  for (let j = 0; j < p; j++) F[mx + j] = 0.0;
  if (intercept !== 0) {
    for (let j = 1; j <= p + 1; j++) F[d + j] = F[ga + j * P2] / W;
    for (let j = 1; j <= p; j++) {
      for (let k = 1; k <= j; k++) F[g + (j - 1) * p + k - 1] = F[ga + j * P2 + k] - F[ga + j * P2] * F[d + k];
      F[gb + j - 1] = F[ga + (p + 1) * P2 + j] - F[ga + (p + 1) * P2] * F[d + j];
      F[mx + j - 1] = F[ct + j - 1] + F[d + j];
    }
    my = F[ct + p] + F[d + p + 1];
  } else {
    for (let j = 1; j <= p; j++) {
      for (let k = 1; k <= j; k++) F[g + (j - 1) * p + k - 1] = F[ga + j * P2 + k];
      F[gb + j - 1] = F[ga + (p + 1) * P2 + j];
    }
  }
  return leanSolve(p, intercept, my, pOut);
}

function leanSolve(p: number, intercept: number, my: number, pOut: number): boolean {
  const F = F64;
  const mx = wMx >>> 3, g = wG >>> 3, gb = wGb >>> 3, cs = wCs >>> 3, ob = pOut >>> 3;
  for (let j = 0; j < p; j++) {
    const d = F[g + j * p + j];
    if (!(d > 0.0)) return false;
    F[cs + j] = Math.sqrt(d);
  }
  for (let j = 0; j < p; j++) {
    for (let k = 0; k <= j; k++) F[g + j * p + k] = F[g + j * p + k] / (F[cs + j] * F[cs + k]);
    F[gb + j] = F[gb + j] / F[cs + j];
  }
  for (let j = 0; j < p; j++) {
    let d = F[g + j * p + j];
    for (let k = 0; k < j; k++) d -= F[g + j * p + k] * F[g + j * p + k];
    if (!(d > LEAN_PIVOT)) return false;
    const l = Math.sqrt(d);
    F[g + j * p + j] = l;
    for (let r = j + 1; r < p; r++) {
      let s = F[g + r * p + j];
      for (let k = 0; k < j; k++) s -= F[g + r * p + k] * F[g + j * p + k];
      F[g + r * p + j] = s / l;
    }
  }
  for (let j = 0; j < p; j++) {
    let s = F[gb + j];
    for (let k = 0; k < j; k++) s -= F[g + j * p + k] * F[gb + k];
    F[gb + j] = s / F[g + j * p + j];
  }
  for (let j = p - 1; j >= 0; j--) {
    let s = F[gb + j];
    for (let k = j + 1; k < p; k++) s -= F[g + k * p + j] * F[gb + k];
    F[gb + j] = s / F[g + j * p + j];
  }
  let b0 = my;
  for (let j = 0; j < p; j++) {
    const bj = F[gb + j] / F[cs + j];
    F[ob + j + 1] = bj;
    b0 -= F[mx + j] * bj;
  }
  F[ob] = intercept !== 0 ? b0 : 0.0;
  for (let j = 0; j <= p; j++) if (!Number.isFinite(F[ob + j])) return false;
  return true;
}

function wls(m: number, p: number, pX: number, pY: number, intercept: number, inner: number, pOut: number): number {
  return l2Solve(m, p, pX, pY, wWt, intercept, 0.0, pOut, wL2Info, wFlags, wL2, inner);
}

function refine(m: number, p: number, q: number, pX: number, pY: number, intercept: number, sY: number, pBc: number, conv: boolean,
  kk: number, s0in: number, c: number, bb: number, refineTol: number, zeroTol: number, pBref: number): number {
  const q1 = p + 1;
  residuals(m, p, pX, pY, pBc, wRes);
  const zeroes = absCount(m, wRes, sY * zeroTol);
  let s0 = s0in;
  if (s0 < 0.0) s0 = madZero(m, wRes);
  refConv = false;
  if (s0 <= 0.0 || zeroes > m / 2.0) {
    copyVec(q1, pBc, pBref);
    refScale = 0.0;
    refConv = true;
    return -zeroes;
  }
  copyVec(q1, pBc, wBj);
  let it = 0;
  let converged = false;
  for (; it < kk; it++) {
    s0 = s0 * Math.sqrt(meanRho(m, q, wRes, s0, c) / bb);
    let st = STATUS_OK;
    if (!fastWls(m, p, pX, pY, intercept, s0, c, pBref)) {
      setWeights(m, wRes, s0, c, wWt);
      st = wls(m, p, pX, pY, intercept, 1, pBref);
    }
    if (st !== STATUS_OK) {
      refScale = s0;
      return -2 - m;
    }
    if (conv) {
      const del = norm2Diff(q1, wBj, pBref);
      const nb = norm2(q1, wBj);
      converged = del <= refineTol * Math.max(refineTol, nb);
      if (converged) break;
    }
    residuals(m, p, pX, pY, pBref, wRes);
    copyVec(q1, pBref, wBj);
  }
  refConv = converged;
  refScale = s0;
  return it;
}

function elemental(m: number, p: number, q: number, pX: number, pY: number, intercept: number, solveTol: number, pB: number): boolean {
  const F = F64, I = I32, X = xview();
  const sb = wSub >>> 2, lu = wLU >>> 3, rh = wRhs >>> 3, cs = wCs >>> 3, yb = pY >>> 3;
  for (let k = 0; k < q; k++) {
    let r = 0;
    let dup = true;
    while (dup) {
      r = rndInt(m);
      dup = false;
      for (let l = 0; l < k; l++) if (I[sb + l] === r) dup = true;
    }
    I[sb + k] = r;
  }
  for (let k = 0; k < q; k++) {
    const r = I[sb + k];
    let col = 0;
    if (intercept !== 0) {
      F[lu + k * q] = 1.0;
      col = 1;
    }
    for (let j = 0; j < p; j++) F[lu + k * q + col + j] = X[(pX >>> XS) + j * m + r];
    F[rh + k] = F[yb + r];
  }
  for (let j = 0; j < q; j++) {
    let mx = 0.0;
    for (let k = 0; k < q; k++) {
      const a = Math.abs(F[lu + k * q + j]);
      if (a > mx) mx = a;
    }
    if (mx === 0.0) return false;
    F[cs + j] = mx;
    for (let k = 0; k < q; k++) F[lu + k * q + j] = F[lu + k * q + j] / mx;
  }
  for (let j = 0; j < q; j++) {
    let piv = j;
    let best = Math.abs(F[lu + j * q + j]);
    for (let k = j + 1; k < q; k++) {
      const a = Math.abs(F[lu + k * q + j]);
      if (a > best) {
        best = a;
        piv = k;
      }
    }
    if (!(best > solveTol)) return false;
    if (piv !== j) {
      for (let l = 0; l < q; l++) {
        const t = F[lu + j * q + l];
        F[lu + j * q + l] = F[lu + piv * q + l];
        F[lu + piv * q + l] = t;
      }
      const t = F[rh + j];
      F[rh + j] = F[rh + piv];
      F[rh + piv] = t;
    }
    const d = F[lu + j * q + j];
    for (let k = j + 1; k < q; k++) {
      const f = F[lu + k * q + j] / d;
      if (f !== 0.0) {
        for (let l = j + 1; l < q; l++) F[lu + k * q + l] = F[lu + k * q + l] - f * F[lu + j * q + l];
        F[rh + k] = F[rh + k] - f * F[rh + j];
      }
    }
  }
  for (let j = q - 1; j >= 0; j--) {
    let s = F[rh + j];
    for (let l = j + 1; l < q; l++) s -= F[lu + j * q + l] * F[rh + l];
    F[rh + j] = s / F[lu + j * q + j];
  }
  const bb = pB >>> 3;
  F[bb] = 0.0;
  const off = intercept !== 0 ? 1 : 0;
  if (intercept !== 0) F[bb] = F[rh] / F[cs];
  for (let j = 0; j < p; j++) F[bb + j + 1] = F[rh + j + off] / F[cs + j + off];
  for (let j = 0; j <= p; j++) if (!Number.isFinite(F[bb + j])) return false;
  return true;
}

function reportProgress(): void {
  progressCount++;
  if ((progressCount & 15) === 0) {
    if (progress(KIND_MM, progressCount, bestSoFar, 0.0) !== 0) cancelled = true;
  }
}

function findMax(pS: number, k: number): number {
  const F = F64, s = pS >>> 3;
  let b = 0;
  let t = F[s];
  for (let i = 1; i < k; i++) {
    if (t < F[s + i]) {
      t = F[s + i];
      b = i;
    }
  }
  return b;
}

function search(m: number, p: number, q: number, pX: number, pY: number, intercept: number, sY: number, pPar: number,
  pBest: number, pBestSc: number, bestR: number): number {
  const F = F64, pb = pPar >>> 3;
  const q1 = p + 1;
  const nRes = F[pb + P_NRES] | 0;
  const kFast = F[pb + P_K_FAST] | 0;
  const c = F[pb + P_C_CHI], bb = F[pb + P_BB];
  const refineTol = F[pb + P_REFINE_TOL], zeroTol = F[pb + P_ZERO_TOL], scaleTol = F[pb + P_SCALE_TOL];
  const maxitScale = F[pb + P_MAXIT_SCALE] | 0;
  const solveTol = F[pb + P_SOLVE_TOL];
  const bs = pBestSc >>> 3, bt = pBest >>> 3;
  for (let i = 0; i < bestR; i++) F[bs + i] = Infinity;
  for (let i = 0; i < bestR * q1; i++) F[bt + i] = 0.0;
  centres(m, p, pX, pY, intercept);
  let worstPos = 0;
  let worst = Infinity;
  let found = 0;
  for (let i = 0; i < nRes; i++) {
    reportProgress();
    if (cancelled) return 3;
    let ok = false;
    for (let t = 0; t < MAX_REDRAW && !ok; t++) {
      ok = elemental(m, p, q, pX, pY, intercept, solveTol, wBcand);
      if (!ok) nSingular++;
    }
    if (!ok) continue;
    nCandidates++;
    const ik = refine(m, p, q, pX, pY, intercept, sY, wBcand, false, kFast, -1.0, c, bb, refineTol, zeroTol, wBref);
    if (ik < -1 - m) {
      nFailed++;
      continue;
    }
    found++;
    if (refScale === 0.0) {
      copyVec(q1, wBcand, pBest);
      F[bs] = 0.0;
      return 2;
    }
    if (meanRho(m, q, wRes, worst, c) < bb) {
      const sc = findScale(m, q, wRes, refScale, c, bb, maxitScale, scaleTol);
      F[bs + worstPos] = sc;
      copyVec(q1, wBref, pBest + ((worstPos * q1) << 3));
      worstPos = findMax(pBestSc, bestR);
      worst = F[bs + worstPos];
      const lo = F[bs];
      bestSoFar = lo;
    }
  }
  return found === 0 ? 1 : 0;
}

export function mm_work_bytes(n: number, p: number, bestR: number, groups: number, nGroup: number): number {
  const nd = n, q1 = p + 1.0;
  const sg = groups * nGroup;
  const cap = bestR * (groups + 1.0);
  return al16(l2_work_bytes(n, p)) + al16(8.0 * INFO_LEN) + al16(4.0 * q1)
    + 3.0 * al16(8.0 * nd) + al16(4.0 * nd) + 3.0 * al16(8.0 * q1)
    + al16(8.0 * q1 * q1) + 2.0 * al16(8.0 * q1) + al16(4.0 * q1)
    + al16(8.0 * sg * (q1 - 1.0)) + al16(8.0 * sg)
    + al16(8.0 * nGroup * (q1 - 1.0)) + al16(8.0 * nGroup)
    + al16(8.0 * cap * q1) + al16(8.0 * cap) + al16(8.0 * q1)
    + al16(8.0 * q1 * q1) + 2.0 * al16(8.0 * q1)
    + al16(8.0 * (q1 + 1.0) * (q1 + 1.0)) + 2.0 * al16(8.0 * (q1 + 1.0))
    + al16(8.0 * (q1 + 4.0) * BL)
    + al16(8.0 * M_ARGS) + al16(8.0 * rowChunks(Math.max(n, sg)) * (p + 2) * (p + 2));
}

export function mm_fit(n: number, p: number, pX: number, pY: number, intercept: number, pPar: number, pStart: number,
  pCoefS: number, pCoef: number, pRes0: number, pRes: number, pInfo: number, pWork: number, xf32 = 0): number {
  setX(xf32);
  const F = F64, I = I32, pb = pPar >>> 3, ib = pInfo >>> 3;
  const q = p + (intercept !== 0 ? 1 : 0);
  const q1 = p + 1;
  const bestR = F[pb + P_BEST_R] | 0;
  const groups = F[pb + P_GROUPS] | 0;
  const nGroup = F[pb + P_N_GROUP] | 0;
  const largeN = F[pb + P_LARGE_N] | 0;
  const kMax = F[pb + P_K_MAX] | 0;
  const kFast = F[pb + P_K_FAST] | 0;
  const c = F[pb + P_C_CHI], bb = F[pb + P_BB];
  const refineTol = F[pb + P_REFINE_TOL], zeroTol = F[pb + P_ZERO_TOL], scaleTol = F[pb + P_SCALE_TOL];
  const maxitScale = F[pb + P_MAXIT_SCALE] | 0;
  const cPsi = F[pb + P_C_PSI], relTol = F[pb + P_REL_TOL];
  const maxIt = F[pb + P_MAX_IT] | 0;
  const sg = groups * nGroup;
  const cap = bestR * (groups + 1);

  let w = pWork;
  wL2 = w; w += al16(l2_work_bytes(n, p));
  wL2Info = w; w += al16(8.0 * INFO_LEN);
  wFlags = w; w += al16(4.0 * q1);
  wRes = w; w += al16(8.0 * n);
  wWt = w; w += al16(8.0 * n);
  wMed = w; w += al16(8.0 * n);
  wInd = w; w += al16(4.0 * n);
  wBj = w; w += al16(8.0 * q1);
  wBref = w; w += al16(8.0 * q1);
  wBcand = w; w += al16(8.0 * q1);
  wLU = w; w += al16(8.0 * q1 * q1);
  wRhs = w; w += al16(8.0 * q1);
  wCs = w; w += al16(8.0 * q1);
  wSub = w; w += al16(4.0 * q1);
  wG = w; w += al16(8.0 * q1 * q1);
  wGb = w; w += al16(8.0 * q1);
  wMx = w; w += al16(8.0 * q1);
  wGa = w; w += al16(8.0 * (q1 + 1.0) * (q1 + 1.0));
  wD = w; w += al16(8.0 * (q1 + 1.0));
  wCtr = w; w += al16(8.0 * (q1 + 1.0));
  wBlk = w; w += al16(8.0 * (q1 + 4.0) * BL);
  const pXs = w; w += al16(8.0 * sg * p);
  const pYs = w; w += al16(8.0 * sg);
  const pXg = w; w += al16(8.0 * nGroup * p);
  const pYg = w; w += al16(8.0 * nGroup);
  const pBest = w; w += al16(8.0 * cap * q1);
  const pBestSc = w; w += al16(8.0 * cap);
  const pTmp = w;

  for (let k = 0; k < MMI_LEN; k++) F[ib + k] = 0.0;
  rngState = F[pb + P_SEED] >>> 0;
  nSingular = 0;
  nCandidates = 0;
  nFailed = 0;
  cancelled = false;
  progressCount = 0;
  bestSoFar = 0.0;

  const yb = pY >>> 3;
  let sY = 0.0;
  for (let i = 0; i < n; i++) sY += Math.abs(F[yb + i]);
  sY = sY / n;

  let scale = 0.0;
  let sConv = true;
  let sIter = 0;
  if (F[pb + P_HAS_START] !== 0.0) {
    copyVec(q1, pStart, pCoefS);
    if (intercept === 0) F[(pCoefS >>> 3)] = 0.0;
    scale = F[(pStart >>> 3) + q1];
  } else {
    let code = 0;
    const nFinal = bestR;
    const pFinal = pBest + ((groups * bestR * q1) << 3);
    const pFinalSc = pBestSc + ((groups * bestR) << 3);
    const fs = pFinalSc >>> 3, bsc = pBestSc >>> 3;
    if (n > largeN) {
      const ind = wInd >>> 2;
      for (let i = 0; i < n; i++) I[ind + i] = i;
      for (let k = 0; k < sg; k++) {
        const j = k + rndInt(n - k);
        const t = I[ind + k];
        I[ind + k] = I[ind + j];
        I[ind + j] = t;
      }
      const X = xview();
      const xsb = pXs >>> 3, ysb = pYs >>> 3, xgb = pXg >>> 3, ygb = pYg >>> 3;
      for (let j = 0; j < p; j++) {
        const col = (pX >>> XS) + j * n;
        for (let k = 0; k < sg; k++) F[xsb + j * sg + k] = X[col + I[ind + k]];
      }
      for (let k = 0; k < sg; k++) F[ysb + k] = F[yb + I[ind + k]];
      setX(0);
      for (let g = 0; g < groups && code === 0; g++) {
        for (let j = 0; j < p; j++) {
          for (let k = 0; k < nGroup; k++) F[xgb + j * nGroup + k] = F[xsb + j * sg + g * nGroup + k];
        }
        for (let k = 0; k < nGroup; k++) F[ygb + k] = F[ysb + g * nGroup + k];
        code = search(nGroup, p, q, pXg, pYg, intercept, sY, pPar,
          pBest + ((g * bestR * q1) << 3), pBestSc + ((g * bestR) << 3), bestR);
        if (code === 1) code = 0;
        if (code === 2) copyVec(q1, pBest + ((g * bestR * q1) << 3), pFinal);
      }
      if (code === 0) {
        centres(sg, p, pXs, pYs, intercept);
        for (let i = 0; i < bestR; i++) F[fs + i] = Infinity;
        let worstPos = 0;
        let worst = Infinity;
        for (let i = 0; i < groups * bestR && code === 0; i++) {
          const si = F[bsc + i];
          if (si === Infinity) continue;
          reportProgress();
          if (cancelled) {
            code = 3;
            break;
          }
          const ik = refine(sg, p, q, pXs, pYs, intercept, sY, pBest + ((i * q1) << 3), false, kFast, si, c, bb,
            refineTol, zeroTol, wBref);
          if (ik < -1 - sg) {
            nFailed++;
            continue;
          }
          if (refScale === 0.0) {
            copyVec(q1, wBref, pFinal);
            code = 2;
            break;
          }
          if (meanRho(sg, q, wRes, worst, c) < bb) {
            const sc = findScale(sg, q, wRes, refScale, c, bb, maxitScale, scaleTol);
            F[fs + worstPos] = sc;
            copyVec(q1, wBref, pFinal + ((worstPos * q1) << 3));
            worstPos = findMax(pFinalSc, bestR);
            worst = F[fs + worstPos];
          }
        }
        if (code === 0 && F[fs + findMaxNeg(pFinalSc, bestR)] === Infinity) code = 1;
      }
      setX(xf32);
    } else {
      code = search(n, p, q, pX, pY, intercept, sY, pPar, pFinal, pFinalSc, bestR);
    }
    if (code === 3) return finishCancelled(pInfo);
    if (code === 1) {
      F[ib + MMI_SINGULAR] = nSingular;
      return STATUS_RANK_DEFICIENT;
    }
    if (code === 2) {
      copyVec(q1, pFinal, pCoefS);
      scale = 0.0;
    } else {
      centres(n, p, pX, pY, intercept);
      let best = Infinity;
      let bestAny = false;
      for (let i = 0; i < nFinal; i++) {
        const si = F[fs + i];
        if (si === Infinity) continue;
        reportProgress();
        if (cancelled) return finishCancelled(pInfo);
        const ik = refine(n, p, q, pX, pY, intercept, sY, pFinal + ((i * q1) << 3), true, kMax, si, c, bb,
          refineTol, zeroTol, pTmp);
        if (ik < -1 - n) {
          nFailed++;
          continue;
        }
        if (!refConv) sConv = false;
        if (ik > sIter) sIter = ik;
        if (!bestAny || refScale < best || refScale === 0.0) {
          best = refScale;
          bestAny = true;
          copyVec(q1, pTmp, pCoefS);
          if (best === 0.0) break;
        }
      }
      if (!bestAny) {
        F[ib + MMI_SINGULAR] = nSingular;
        return STATUS_RANK_DEFICIENT;
      }
      scale = best;
    }
    if (intercept === 0) F[pCoefS >>> 3] = 0.0;
  }
  residuals(n, p, pX, pY, pCoefS, pRes0);
  F[ib + MMI_S_SCALE] = scale;
  F[ib + MMI_S_CONVERGED] = sConv ? 1.0 : 0.0;
  F[ib + MMI_S_ITER] = sIter;
  F[ib + MMI_SINGULAR] = nSingular;
  F[ib + MMI_CANDIDATES] = nCandidates;

  copyVec(q1, pCoefS, pCoef);
  copyVec(n, pRes0, pRes);
  let status = STATUS_OK;
  let mIter = 0;
  let mConv = false;
  if (scale === 0.0) {
    F[ib + MMI_EXACT] = 1.0;
    mConv = true;
  } else {
    copyVec(q1, pCoefS, wBj);
    mIter = 0;
    const jb = wBj >>> 3, rf = wBref >>> 3;
    while (!mConv && ++mIter < maxIt) {
      reportProgress();
      if (cancelled) return finishCancelled(pInfo);
      setWeights(n, pRes, scale, cPsi, wWt);
      const st = wls(n, p, pX, pY, intercept, 1, wBref);
      if (st !== STATUS_OK) {
        nFailed++;
        if (mIter === 1) {
          F[ib + MMI_FAILED] = nFailed;
          return STATUS_RANK_DEFICIENT;
        }
        break;
      }
      residuals(n, p, pX, pY, wBref, pRes);
      let d = 0.0, nb = 0.0;
      for (let j = 0; j < q1; j++) {
        d += Math.abs(F[jb + j] - F[rf + j]);
        nb += Math.abs(F[rf + j]);
      }
      mConv = d <= relTol * Math.max(relTol, nb);
      copyVec(q1, wBref, wBj);
    }
    copyVec(q1, wBj, pCoef);
    if (!mConv) status = STATUS_MAXITER;
  }
  if (intercept === 0) F[pCoef >>> 3] = 0.0;
  let obj = 0.0;
  const rb = pRes >>> 3;
  for (let i = 0; i < n; i++) {
    const r = F[rb + i];
    obj += scale > 0.0 ? rhoBisq(r / scale, cPsi) : (r === 0.0 ? 0.0 : 1.0);
  }
  F[ib + MMI_OBJECTIVE] = obj;
  F[ib + MMI_M_ITER] = mIter;
  F[ib + MMI_M_CONVERGED] = mConv ? 1.0 : 0.0;
  F[ib + MMI_FAILED] = nFailed;
  let finite = Number.isFinite(obj) && Number.isFinite(scale);
  const cb = pCoef >>> 3, csb = pCoefS >>> 3;
  for (let j = 0; j < q1; j++) if (!Number.isFinite(F[cb + j]) || !Number.isFinite(F[csb + j])) finite = false;
  if (!finite) return STATUS_NUMERICAL;
  return status;
}

function findMaxNeg(pS: number, k: number): number {
  const F = F64, s = pS >>> 3;
  let b = 0;
  let t = F[s];
  for (let i = 1; i < k; i++) {
    if (F[s + i] < t) {
      t = F[s + i];
      b = i;
    }
  }
  return b;
}

function finishCancelled(pInfo: number): number {
  const F = F64, ib = pInfo >>> 3;
  F[ib + MMI_SINGULAR] = nSingular;
  F[ib + MMI_CANDIDATES] = nCandidates;
  return STATUS_CANCELLED;
}
