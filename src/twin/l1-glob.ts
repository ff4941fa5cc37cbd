// The globbing driver of the L1 kernel — twin of assembly/l1-glob.ts (Portnoy & Koenker 1997; the
// algorithm is documented there).
import { STATUS_CANCELLED, STATUS_MAXITER, STATUS_OK } from '../abi/status.js';
import {
  CD_MAX_SWEEPS, ZERO_RES, iId, iLab, iPick, iSlot, ic, layoutN, mF, mI, n, pId, pKey, pSel, pWt, q, rB, rBeta,
  rCS, rKey, rR, rWt, regionBytes, setProblem, tau, wgt,
} from './l1-state.js';
import { columnScales, powerScales } from './l1-lu.js';
import { crash, dropDual, plainSolve, reprice, residuals, residualsOnly, tiedRow } from './l1-simplex.js';
import { F64 } from './mem.js';
import { wselect } from './select.js';
import { rankDeferred, rankFinish, rankSampleStart } from './l1-rank.js';
const GLOB_MIN_DEFAULT = 20000;
const GLOB_MIN_WARM_DEFAULT = 2000;
const GLOB_BASE_DEFAULT = 2500;
const GLOB_BASE_Q = 40;
const GLOB_GROW = 8;
const GLOB_BAND = 3;
const GLOB_FIX = 0.1;
const GLOB_FIX_FEW = 1;
const GLOB_ROUNDS = 12;
const GLOB_LEVEL_CD = CD_MAX_SWEEPS;
const GLOB_CD_REL = 1e-4;
const CLASSIFY_K = 16;
const CLASSIFY_MIN = 4096;
const CLASSIFY_TIE_SIDE = 0.125;
const MEMB_LO = -1;
const MEMB_HI = -2;
const MEMB_OUT = -3;
const MEMB_BAND = -4;

function globCap(n: number): number { return n <= 65536 ? n + 2 : (n >> 2 > 65536 ? n >> 2 : 65536) + 2; }

/** Bytes of the reduced-problem area (0 below the globbing thresholds; see assembly/l1-glob.ts). */
export function globBytes(n: number, p: number): number {
  if (!(n >= globMin || n >= globMinWarm)) return 0;
  const c = globCap(n);
  return regionBytes(4 * n) + regionBytes(4 * c) + regionBytes(8 * c * p) +
    8 * regionBytes(8 * c) + 2 * regionBytes(4 * c) + regionBytes(argsBytes) + regionBytes(8 * (p + 1)) +
    regionBytes(argsBytes) + regionBytes(16 * (n <= 16384 ? 1 : Math.ceil(n / 16384))) + regionBytes(8 * (p + 1)) +
    regionBytes(8 * (n <= 16384 ? 1 : Math.ceil(n / 16384))) +
    regionBytes(16 * (n <= 16384 ? 1 : Math.ceil(n / 16384)) * (p + 2));
}

/** The kernel's argument region of its thread-pool row passes (assembly/l1-glob.ts: residuals, band
 *  sides, column gathers — each row or column computed alone, so the twin's sequential loops return the
 *  same bits); laid out here too so that both backends use the same work layout — as are the second
 *  argument region and the membership marks' per-item counts (16384-row items) of the pass the kernel
 *  runs in the background during the smallest level's solve (markStart), and the near verification's
 *  per-item minima (gRefMin: an item skip the twin's row loop does not need, its test being the rows'). */
const argsBytes = 8 * 37;

export let globMin = GLOB_MIN_DEFAULT;
export let globMinWarm = GLOB_MIN_WARM_DEFAULT;
let globBase = GLOB_BASE_DEFAULT;

/** Internal (tests): globbing threshold and smallest level size (0 = defaults); returns the old threshold. */
export function l1_glob(minRows: number, baseRows: number): number {
  const old = globMin;
  globMin = minRows > 0 ? minRows : GLOB_MIN_DEFAULT;
  globMinWarm = minRows > 0 ? minRows : GLOB_MIN_WARM_DEFAULT;
  globBase = baseRows > 0 ? baseRows : GLOB_BASE_DEFAULT;
  return old;
}

let fN = 0;
let fNd = 0;
let fMX: Float64Array | Float32Array = F64; // the full problem's X view (the reduced X is f64)
let fX = 0;  // f64 index bases
let fY = 0;
let fW = 0;
let fWork = 0; // byte pointer
let gMemb = 0; // i32 index base
let gMap = 0;  // i32 index base
let gX = 0;    // f64 index bases
let gY = 0;
let gW = 0;
let gColMax = 0; // f64 index base: max |y_i|, then max |x_ij| per column, over the data rows
let gMaxDone = false;
let gRefB = 0;       // f64 index base, q: the b at which the full residuals hold (gRefOK; fix-up round)
let gRefOK = false;
let gNearOff = false;
let gStartR = 0; // byte pointer: l1_fit's pStartR, or 0
let gWork = 0; // byte pointer
let gCap = 0;
let gN = 0;
let gNd = 0;
export let globRounds = 0;
export let globFixups = 0;

/** Start of a kernel call (see assembly/l1-glob.ts): the full problem (index bases x, y, w; X's view
 *  xv), the reduced area after `end` when `glob`, the counters zeroed. */
export function globBegin(nIn: number, nData: number, p: number, x: number, y: number, w: number,
  xv: Float64Array | Float32Array, pWork: number, end: number, glob: boolean): void {
  fN = nIn; fNd = nData; fX = x; fY = y; fW = w; fWork = pWork; fMX = xv;
  globRounds = 0; globFixups = 0; gMaxDone = false;
  gRefOK = false; gNearOff = false;
  if (!glob) return;
  gCap = globCap(nIn);
  const cF = regionBytes(gCap * 8), cI = regionBytes(gCap * 4);
  let e = end;
  gMemb = e >>> 2; e += regionBytes(nIn * 4);
  gMap = e >>> 2; e += cI;
  gX = e >>> 3; e += regionBytes(gCap * p * 8);
  gY = e >>> 3; e += cF;
  gW = e >>> 3; e += cF;
  e += regionBytes(argsBytes); // the kernel's thread-pass arguments
  gColMax = e >>> 3; e += regionBytes(8 * (p + 1));
  gRefB = e >>> 3; e += regionBytes(8 * (p + 1));
  gWork = e;
}

/** l1_fit's pStartR (see assembly/l1-glob.ts globStartResiduals). Call after globBegin. */
export function globStartResiduals(pR: number): void { gStartR = pR; }

export function useFull(): void {
  setProblem(fN, fNd, fX, fY, fW, fMX);
  layoutN(fWork, fN);
}

function useReduced(): void {
  setProblem(gN, gNd, gX, gY, gW, mF);
  layoutN(gWork, gCap);
}

/** r = y - A b on the full problem; the first call of a kernel call also takes the maxima of |y_i| and
 *  |x_ij| per column over the data rows (see assembly/l1-glob.ts globResiduals). */
function globResiduals(): void {
  if (gStartR !== 0 && !gMaxDone) {
    const F = mF, s = gStartR >>> 3;
    F.copyWithin(rR, s, s + fN);
    F.copyWithin(gColMax, s + fN, s + fN + q - ic + 1);
    gMaxDone = true;
    return;
  }
  residualsOnly();
  if (gMaxDone) return;
  const F = mF, cols = q - ic;
  F[gColMax] = absMax(F, fY, fNd);
  for (let j = 0; j < cols; j++) F[gColMax + 1 + j] = absMax(fMX, fX + j * fN, fNd);
  gMaxDone = true;
}

/** max |v[o + i]|, i < len, as m < v ? v : m (the kernel's f64x2.pmax: a NaN entry is skipped). */
export function absMax(v: Float64Array | Float32Array, o: number, len: number): number {
  let m = 0.0;
  for (let i = 0; i < len; i++) { const a = Math.abs(v[o + i]); if (m < a) m = a; }
  return m;
}

function rowHash(i: number): number { return fmix32((Math.imul(i, 0x85ebca6b) + 0x9e3779b9) >>> 0); }

function sampleHash(i: number): number { return fmix32((Math.imul(i, 0xcc9e2d51) + 0x1b873593) >>> 0); }

function fmix32(x: number): number {
  let h = x;
  h = (h ^ (h >>> 16)) >>> 0; h = Math.imul(h, 0x7feb352d) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0; h = Math.imul(h, 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h;
}

function classify(thr: number, all: boolean, band: number): void {
  const F = mF, I = mI;
  const mExp = all ? fNd : fNd * (thr / 4294967296.0);
  const h = 0.5 * band / mExp;
  const sShare = band > 0 ? Math.max(CLASSIFY_MIN, CLASSIFY_K / (h * h)) / mExp : 1.0;
  const sAll = !(sShare < 0.5);
  const sThr = sAll ? 0 : Math.trunc(sShare * 4294967296.0);
  let m = 0;
  let mAll = 0;
  let tw = 0.0, wBelow = 0.0, wTied = 0.0;
  let sc = 0.0;
  if (band > 0) {
    sc = F[gColMax];
    if (ic) sc += Math.abs(F[rB]) + F[rBeta];
    for (let j = ic; j < q; j++) sc += (Math.abs(F[rB + j]) + F[rBeta + j]) * F[gColMax + 1 + j - ic];
  }
  const tie = ZERO_RES * sc;
  for (let i = 0; i < fNd; i++) {
    const w = wgt(i);
    if (!(w > 0) || (!all && rowHash(i) >= thr)) { I[gMemb + i] = MEMB_OUT; continue; }
    I[gMemb + i] = MEMB_BAND;
    mAll++;
    if (band > 0 && (sAll || sampleHash(i) < sThr)) {
      const r = Math.abs(F[rR + i]) <= tie ? 0.0 : F[rR + i];
      F[rKey + m] = r;
      F[rWt + m] = w;
      I[iId + m] = i;
      tw += w;
      if (r < 0) wBelow += w; else if (r === 0) wTied += w;
      m++;
    }
  }
  for (let i = fNd; i < fN; i++) I[gMemb + i] = MEMB_BAND;
  if (!(band > 0) || m === 0) return;
  const share = 0.5 * band / mAll;
  let tlo = (tau - share) * tw, thi = (tau + share) * tw;
  if (wTied > 0 && wBelow < thi && wBelow + wTied > tlo) {
    tlo = Math.min(tlo, wBelow - CLASSIFY_TIE_SIDE * share * tw);
    thi = Math.max(thi, wBelow + wTied + CLASSIFY_TIE_SIDE * share * tw);
  }
  let klo = -Infinity, khi = Infinity, ilo = -1, ihi = fNd;
  if (tlo > 0) { const k = wselect(pKey, pWt, pId, m, tlo, tw, pSel); klo = F[rKey + k]; ilo = I[iId + k]; }
  if (thi < tw) { const k = wselect(pKey, pWt, pId, m, thi, tw, pSel); khi = F[rKey + k]; ihi = I[iId + k]; }
  for (let i = 0; i < fNd; i++) {
    if (I[gMemb + i] === MEMB_OUT) continue;
    const r = F[rR + i];
    if (r < klo || (r === klo && i < ilo)) I[gMemb + i] = MEMB_LO;
    else if (r > khi || (r === khi && i > ihi)) I[gMemb + i] = MEMB_HI;
  }
}

/** Globbed rows on the wrong side of the fit join the band, listed in the full labels' region (row
 *  order; i below, ~i above); returns how many (see assembly/l1-glob.ts verifyRows). */
function verifyGlobs(): number {
  const F = mF, I = mI;
  let v = 0;
  for (let i = 0; i < fNd; i++) {
    const m = I[gMemb + i];
    if (((m === MEMB_LO && F[rR + i] > 0) || (m === MEMB_HI && F[rR + i] < 0)) && !tiedRow(i, F[rR + i])) {
      I[gMemb + i] = MEMB_BAND;
      I[iLab + v] = m === MEMB_LO ? i : ~i;
      v++;
    }
  }
  return v;
}

// ---- the fix-up round (issue 21; see assembly/l1-glob.ts) ----
const GLOB_GROW_MAX = 4096;
const NEAR_FULL = 0.25;
const NEAR_U = 1.1102230246251565e-16;
const NEAR_SAFE = 1.0000000009313226;
const NEAR_TINY = 9.332636185032189e-302;

/** Test hook (twin only, not a kernel export): `fullVerify` makes every verification a pass over all
 *  rows (the same violators, so the same bits), `rebuild` every fix-up round a rebuild (both: the
 *  fix-up round before issue 21); counters of the near verifications, the rows they recomputed and the
 *  violators they found, and of the rounds grown in place, accumulated until a test resets them. */
export const globFixupProbe = { fullVerify: false, rebuild: false, near: 0, nearRows: 0, nearCaught: 0, grown: 0, margin: 0 };

function recordRef(): void {
  mF.copyWithin(gRefB, rB, rB + q);
  gRefOK = true;
}

/** The margin of verifyNear (derivation: assembly/l1-glob.ts nearMargin). */
function nearMargin(): number {
  if (q >= 1 << 20) return Infinity;
  const F = mF;
  let d = 0.0, s0 = F[gColMax], s1 = s0;
  if (ic) {
    const b = F[rB], r = F[gRefB];
    d = Math.abs(b - r);
    s0 += Math.abs(r);
    s1 += Math.abs(b);
  }
  for (let j = ic; j < q; j++) {
    const m = F[gColMax + 1 + j - ic], b = F[rB + j], r = F[gRefB + j];
    d += m * Math.abs(b - r);
    s0 += m * Math.abs(r);
    s1 += m * Math.abs(b);
  }
  const ku = (q + 2) * NEAR_U;
  return (d + ku / (1 - ku) * (s0 + s1)) * NEAR_SAFE + NEAR_TINY;
}

/** verifyGlobs from the stored residuals at gRefB: only globbed rows within the margin recomputed,
 *  as residualsOnly computes them (see assembly/l1-glob.ts verifyNear, nearRows); -1: not applicable. */
function verifyNear(): number {
  const marg = nearMargin();
  if (!(marg < Infinity)) return -1;
  const F = mF, I = mI, X = fMX;
  const b0 = ic ? F[rB] : 0.0;
  let v = 0, k = 0;
  for (let i = 0; i < fNd; i++) {
    const m = I[gMemb + i];
    if (m !== MEMB_LO && m !== MEMB_HI) continue;
    const lo = m === MEMB_LO, rs = F[rR + i];
    if (lo ? rs < -marg : rs > marg) continue;
    k++;
    const y = F[fY + i];
    let r = ic !== 0 && i < fNd ? y - b0 : y;
    for (let j = ic; j < q; j++) {
      const bj = F[rB + j];
      if (bj === 0 && F[rBeta + j] === 0) continue;
      r = r - bj * X[fX + (j - ic) * fN + i];
    }
    if (!(lo ? r > 0 : r < 0) || tiedRow(i, r)) continue;
    I[gMemb + i] = MEMB_BAND;
    I[iLab + v] = lo ? i : ~i;
    v++;
  }
  if (k > NEAR_FULL * fNd) gNearOff = true;
  globFixupProbe.near++;
  globFixupProbe.margin = marg;
  globFixupProbe.nearRows += k;
  globFixupProbe.nearCaught += v;
  return v;
}

/** The fix-up round's verification (see assembly/l1-glob.ts fixupVerify); fixFresh: the full
 *  residuals are those of the current b. */
let fixFresh = false;
function fixupVerify(near: boolean): number {
  if (near && gRefOK && !gNearOff && !globFixupProbe.fullVerify) {
    const v = verifyNear();
    if (v >= 0) { fixFresh = false; return v; }
  }
  fixFresh = true;
  const own = gMaxDone || gStartR === 0;
  globResiduals();
  if (own) recordRef();
  return verifyGlobs();
}

/** The v listed violators moved into the reduced problem in place (see assembly/l1-glob.ts
 *  growReduced); false: nothing changed, rebuild. */
function growReduced(v: number, lab: number): boolean {
  if (globFixupProbe.rebuild) return false;
  const F = mF, I = mI;
  const nr = gN, nd = gNd, nr2 = nr + v;
  if (v <= 0 || v > GLOB_GROW_MAX || nr2 > gCap) return false;
  let gLo = -1, gHi = -1;
  for (let k = nd - 1; k >= 0 && (gLo < 0 || gHi < 0); k--) {
    const f = I[gMap + k];
    if (f === -1) gLo = k; else if (f === -2) gHi = k;
  }
  let cLo = gLo >= 0 ? F[gW + gLo] : 0.0, cHi = gHi >= 0 ? F[gW + gHi] : 0.0;
  const cLo0 = cLo, cHi0 = cHi;
  let nLo = 0, nHi = 0;
  for (let k = 0; k < v; k++) {
    const e = I[iLab + k];
    if (e >= 0) { cLo -= wgt(e); nLo++; } else { cHi -= wgt(~e); nHi++; }
  }
  if ((nLo > 0 && !(gLo >= 0 && cLo > 0.5 * cLo0)) || (nHi > 0 && !(gHi >= 0 && cHi > 0.5 * cHi0))) return false;
  const cols = q - ic;
  for (let c = cols - 1; c >= 0; c--) {
    growColumn(fMX, fX + c * fN, gX + c * nr, gX + c * nr2, nr, nd, v, gLo, gHi, cLo0, cHi0, cLo, cHi);
  }
  growColumn(F, fY, gY, gY, nr, nd, v, gLo, gHi, cLo0, cHi0, cLo, cHi);
  F.copyWithin(gW + nd + v, gW + nd, gW + nr);
  I.copyWithin(gMap + nd + v, gMap + nd, gMap + nr);
  I.copyWithin(lab + nd + v, lab + nd, lab + nr);
  for (let k = 0; k < v; k++) {
    const e = I[iLab + k], i = e >= 0 ? e : ~e;
    F[gW + nd + k] = wgt(i);
    I[gMap + nd + k] = i;
    I[gMemb + i] = nd + k;
    I[lab + nd + k] = e >= 0 ? 1 : -1;
  }
  for (let s = 0; s < q; s++) { const i = I[iSlot + s]; if (i >= nd) I[iSlot + s] = i + v; }
  if (nLo > 0) F[gW + gLo] = cLo;
  if (nHi > 0) F[gW + gHi] = cHi;
  for (let i = fNd; i < fN; i++) I[gMemb + i] += v;
  gN = nr2;
  gNd = nd + v;
  globFixupProbe.grown++;
  return true;
}

/** The fix-up round's solve after few rows were grown in (see assembly/l1-glob.ts fixupSolve). */
function fixupSolve(): number {
  columnScales();
  const st = reprice();
  if (st === STATUS_OK || st === STATUS_CANCELLED || st === STATUS_MAXITER) return st;
  return plainSolve(0, GLOB_CD_REL / q);
}

/** One column of growReduced (see assembly/l1-glob.ts growColumn): S[xc + i] the full column. */
function growColumn(S: Float64Array | Float32Array, xc: number, src: number, dst: number, nr: number, nd: number,
  v: number, gLo: number, gHi: number, cLo0: number, cHi0: number, cLo: number, cHi: number): void {
  const F = mF, I = mI;
  F.copyWithin(dst + nd + v, src + nd, src + nr);
  if (dst !== src) F.copyWithin(dst, src, src + nd);
  let tLo = gLo >= 0 ? F[dst + gLo] * cLo0 : 0.0, tHi = gHi >= 0 ? F[dst + gHi] * cHi0 : 0.0;
  let lo = false, hi = false;
  for (let k = 0; k < v; k++) {
    const e = I[iLab + k], i = e >= 0 ? e : ~e, x = S[xc + i];
    F[dst + nd + k] = x;
    const t = wgt(i) * x;
    if (e >= 0) { tLo = tLo - t; lo = true; } else { tHi = tHi - t; hi = true; }
  }
  if (lo) F[dst + gLo] = tLo / cLo;
  if (hi) F[dst + gHi] = tHi / cHi;
}

function buildReduced(): boolean {
  const F = mF, I = mI;
  let a = 0;
  let nLo = 0, nHi = 0;
  for (let i = 0; i < fNd; i++) {
    const m = I[gMemb + i];
    if (m >= 0 || m === MEMB_BAND) { I[gMemb + i] = a; a++; }
    else if (m === MEMB_LO) nLo++;
    else if (m === MEMB_HI) nHi++;
  }
  const nb = a;
  const gLo = a;
  if (nLo > 0) a++;
  const gHi = a;
  if (nHi > 0) a++;
  const nr = a + (fN - fNd);
  if (nr > gCap) return false;
  for (let i = fNd; i < fN; i++) I[gMemb + i] = a + (i - fNd);
  gN = nr;
  gNd = a;
  let kb = 0;
  for (let i = 0; i < fNd; i++) if (I[gMemb + i] >= 0) { I[iId + kb] = i; kb++; }
  globRows(nr, nb, nLo, nHi, gLo, gHi, a);
  for (let k = 0; k < nb; k++) { const i = I[iId + k]; F[gW + k] = wgt(i); I[gMap + k] = i; }
  for (let i = fNd; i < fN; i++) { F[gW + a + (i - fNd)] = wgt(i); I[gMap + a + (i - fNd)] = i; }
  if (nLo > 0) I[gMap + gLo] = -1;
  if (nHi > 0) I[gMap + gHi] = -2;
  return true;
}

/** Rows per item of the kernel's row passes: the globs' partial sums are per chunk of this many rows. */
const GLOB_CHUNK = 16384;

/** buildReduced's columns (assembly/l1-glob.ts kSums / kGather and globRows): band rows copied; the
 *  globs' weights (unit weights: counts) and weighted means of the columns and y from sums per chunk of
 *  GLOB_CHUNK rows (globTotal, by row or by list position as the kernel's pass), then the pseudo-rows. */
function globRows(nr: number, nb: number, nLo: number, nHi: number, gLo: number, gHi: number, a: number): void {
  const F = mF, I = mI;
  const cols = q - ic;
  const byRow = nLo + nHi >= fNd >> 2; // the kernel streams the chunks (kSums), else sums its lists (kGather)
  const cLo = fW === 0 ? nLo : globTotal(F, fW, false, 0, byRow);
  const cHi = fW === 0 ? nHi : globTotal(F, fW, false, 1, byRow);
  for (let c = 0; c <= cols; c++) {
    const src = c < cols ? fX + c * fN : fY;
    const S = c < cols ? fMX : F; // X in its storage precision, or y
    const dst = c < cols ? gX + c * nr : gY;
    for (let k = 0; k < nb; k++) F[dst + k] = S[src + I[iId + k]];
    if (nLo > 0) F[dst + gLo] = globTotal(S, src, fW !== 0, 0, byRow) / cLo;
    if (nHi > 0) F[dst + gHi] = globTotal(S, src, fW !== 0, 1, byRow) / cHi;
    for (let i = fNd; i < fN; i++) F[dst + a + (i - fNd)] = S[src + i];
  }
  if (nLo > 0) F[gW + gLo] = cLo;
  if (nHi > 0) F[gW + gHi] = cHi;
}

/** The sum over the rows globbed below (h = 0) or above (h = 1) of w_i S[o + i] (weighted: w_i times;
 *  else S alone): per chunk of GLOB_CHUNK rows, row i (byRow; assembly/l1-glob.ts globSums) or the k-th
 *  of the chunk's rows in that glob (listSums) into partial sum s_(i or k mod 4), the chunk's sum
 *  (s0 + s2) + (s1 + s3), the chunks' sums added in chunk order. */
function globTotal(S: Float64Array | Float32Array, o: number, weighted: boolean, h: number, byRow: boolean): number {
  const F = mF, I = mI, want = h === 0 ? MEMB_LO : MEMB_HI;
  let t = 0.0;
  for (let r0 = 0; r0 < fNd; r0 += GLOB_CHUNK) {
    const r1 = Math.min(fNd, r0 + GLOB_CHUNK);
    const s = [0.0, 0.0, 0.0, 0.0];
    let k = 0;
    for (let i = r0; i < r1; i++) {
      if (I[gMemb + i] !== want) continue;
      s[(byRow ? i : k++) & 3] += weighted ? F[fW + i] * S[o + i] : S[o + i];
    }
    t += (s[0] + s[2]) + (s[1] + s[3]);
  }
  return t;
}

/** columnScales() of the full problem from gColMax when every row is a data row of weight 1 (see
 *  assembly/l1-glob.ts fullColumnScales). */
function fullColumnScales(): void {
  if (!(fW === 0 && fN === fNd && gMaxDone)) { columnScales(); return; }
  const F = mF;
  for (let j = ic; j < q; j++) F[rCS + j] = F[gColMax + 1 + j - ic];
  powerScales();
}

function finalStage(redLab: number): number {
  const F = mF, I = mI;
  fullColumnScales();
  let mapped = true;
  for (let s = 0; s < q; s++) {
    const i = I[iSlot + s];
    if (i < 0) { mapped = false; continue; }
    const f = I[gMap + i];
    if (f < 0) mapped = false; else I[iSlot + s] = f;
  }
  if (!mapped) residuals(true);
  for (let i = 0; i < n; i++) {
    const m = I[gMemb + i], r = mapped ? 1.0 : F[rR + i];
    let l = r < 0 ? -1 : 1;
    if (m >= 0) l = I[redLab + m];
    else if (m === MEMB_LO) l = -1;
    else if (m === MEMB_HI) l = 1;
    if (!mapped && l === 0) l = r < 0 ? -1 : 1;
    I[iLab + i] = l;
  }
  if (!mapped) {
    for (let j = 0; j < q; j++) I[iPick + j] = -1;
    crash();
    for (let s = 0; s < q; s++) { const i = I[iSlot + s]; if (i >= 0) I[iLab + i] = 0; }
  }
  return reprice();
}

export function globSolve(userStart: boolean): number {
  const qd = q;
  let base = globBase;
  if (base < GLOB_BASE_Q * q) base = GLOB_BASE_Q * q;
  let levels = 0;
  let size = fNd;
  if (!userStart) while (size / GLOB_GROW >= base) { size /= GLOB_GROW; levels++; }
  if (!userStart && levels === 0) return -1;
  let redLab = 0;
  let fresh = false; // wR holds the residuals of the current b (see assembly/l1-glob.ts)
  for (let lev = levels; lev >= 0; lev--) {
    let frac = 1.0;
    for (let k = 0; k < lev; k++) frac /= GLOB_GROW;
    const all = lev === 0;
    const thr = all ? 0 : Math.trunc(frac * 4294967296.0);
    const plain = lev === levels && !userStart;
    let band = 0.0;
    if (!plain) {
      band = GLOB_BAND * Math.sqrt(GLOB_GROW * qd * fNd * frac);
      if (band > 0.5 * fNd * frac) return -1;
      if (!fresh) globResiduals();
    }
    classify(thr, all, band);
    let cdCap = plain ? CD_MAX_SWEEPS : GLOB_LEVEL_CD;
    let rounds = 0;
    let grown = false, wide = false;
    while (true) {
      if (!grown && !buildReduced()) return -1;
      if (plain && rankDeferred()) { const rs = rankSampleStart(gN, gX * 8, gY * 8, fW !== 0 ? gW * 8 : 0); if (rs >= 0) return rs; }
      // (the kernel starts the next range of the rank check's Gram pass here: l1-rank.ts rankStart)
      useReduced();
      const st = grown && cdCap === 0 ? fixupSolve() : plainSolve(cdCap, GLOB_CD_REL / q);
      globRounds++;
      fresh = false;
      redLab = iLab;
      useFull();
      if (st === STATUS_CANCELLED || st === STATUS_MAXITER) { dropDual(); return st; }
      if (st !== STATUS_OK) { dropDual(); return -1; }
      if (plain) break;
      const v = fixupVerify(all && rounds > 0 && !wide);
      fresh = fixFresh;
      if (v === 0) break;
      globFixups += v;
      if (++rounds >= GLOB_ROUNDS) { dropDual(); return -1; }
      wide = v > GLOB_FIX * band;
      if (wide) {
        band *= 2;
        if (!fresh) { globResiduals(); recordRef(); fresh = true; }
        classify(thr, all, band);
      }
      grown = !wide && growReduced(v, redLab);
      // From the last vertex: a few CD sweeps save many pivots — unless only a few rows (at most
      // GLOB_FIX_FEW q) joined a band that kept its width: the last vertex is then a vertex of the new
      // reduced problem too, where CD (which stalls at kinks) gains nothing (lad 1e6 x 10: its one
      // fix-up round's sweep over 27,664 rows gained exactly 0, ~2.5 ms), and the pivots start there.
      cdCap = !wide && v <= GLOB_FIX_FEW * q ? 0 : CD_MAX_SWEEPS;
    }
  }
  const rank = rankFinish(); // the rank check decided before the full data's re-price (l1-rank.ts)
  if (rank >= 0) return rank;
  return finalStage(redLab);
}

