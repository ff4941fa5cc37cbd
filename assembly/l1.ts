// Exact weighted L1 / quantile regression: weighted-median coordinate descent as a warm start, then a
// Barrodale–Roberts simplex to a certified optimum. Twin: src/twin/l1.ts — same loop order, same pivot
// rules, no FMA, no randomness, so both backends follow the same path bit for bit.
//
// Problem. minimise F(b) = sum_i w_i rho_tau(y_i - a_i.b), rho_tau(r) = r (tau - [r < 0]), where
// a_i = [1, x_i] on data rows i < nData, [0, x_i] on the caller's penalty pseudo-rows, and [x_i] when
// there is no intercept; q = number of coefficients. Its LP dual is
//   max y.d  subject to  A^T d = 0,  w_i (tau - 1) <= d_i <= w_i tau.
// At a vertex (q zero residuals with independent rows: the basis B) take d_i = w_i psi_i off B, where
// psi_i = tau or tau - 1 by the side of row i (its "label"), and solve A_B^T d_B = -g with
// g = sum_{i not in B} w_i psi_i a_i. If d_B lies in its box the vertex is optimal and d is the
// certificate; otherwise a violated basic dual names a descent edge.
//
// Phase 1 — coordinate descent (Wu & Lange 2008, Ann. Appl. Stat. 2:224). The exact minimiser of F
// along coordinate j is a weighted quantile of the breakpoints r_i / a_ij with weights w_i |a_ij|
// (assembly/select.ts, O(n) expected). Cyclic sweeps stop once a sweep gains little (CD_REL): CD
// stalls at non-optimal kinks of this non-smooth objective, so it is only a warm start — a cheap one
// (O(nq) per sweep) that leaves ~q simplex pivots to do (DESIGN.md §4).
//
// Phase 2 — simplex (Barrodale & Roberts 1973, SIAM J. Numer. Anal. 10:839; 1974, CACM 17:319;
// Koenker & d'Orey 1987, Appl. Stat. 36:383). The basis matrix M (q x q) has one row per slot: a_i of
// a basic observation, or a unit row e_j for a coefficient not yet pinned by an observation (BR's
// stage-1 "free" variables). The crash fills M from the zero residuals and near-zero residuals CD
// left (see crash()). Each pivot solves M^T u = -g (u = d_B on observation slots), prices the slots
// (unit rows leave first; then steepest edge in column-scaled coefficients), moves along h with
// M h = sigma e_s — every other basic residual stays zero — by the exact line search over the
// breakpoints where residuals cross zero against their labels (the weighted selection again; BR's
// "long step" passes breakpoints and flips those labels while the slope stays negative), and swaps in
// the row that stops it. F never increases along an edge. M is refactorised (LU, partial pivoting)
// every pivot: O(q^3) << O(nq). b, r and g are recomputed from the basis every REFRESH pivots and
// before optimality is accepted, so rounding never accumulates.
//
// Degeneracy. Tied data (integer y, dummy designs, duplicated rows) leaves vertices with far more
// zero residuals than q, where pivots take zero steps and can cycle. The simplex runs on responses
// perturbed by ~1e-9 relative (PERTURB), which makes vertices non-degenerate, then drops the
// perturbation and re-prices the final basis on the true data. Bland's rule (Bland 1977, Math. Oper.
// Res. 2:103: smallest row index leaves, first breakpoint by (t, row) enters, no long step) takes
// over after DEGEN_BLAND consecutive steps without progress beyond F's rounding, all the same, until
// a step makes progress.
//
// Globbing (large n; see "Globbing" below). From GLOB_MIN rows (GLOB_MIN_WARM with a caller's warm
// start) the phases above run on reduced problems — the rows in a band around a subsample's fit plus
// two pseudo-rows that collapse the rows surely above / below it (Portnoy & Koenker 1997) — verified
// on all rows; the last reduced basis is then re-priced on the full data, so the certificate below
// is always the full problem's.
//
// Certificate. primal = F(b) recomputed from the data; dual = r.d (y.d after the translation
// y -> y - Ab, see certify()); gap = primal - dual; DUAL_INFEAS = backward error of A^T d = 0, after
// one or two steps of iterative refinement of d_B. OK needs DUAL_INFEAS <= FEAS_TOL and
// gap <= tol max(1, |primal|) plus the rounding floor of F(b) (gapFloor; ~1e-14 F on ordinary data).
// At MAXITER or CANCELLED the last vertex's d, scaled into its box, is still a valid dual bound
// (d = 0 before the first vertex): the reported gap is honest.
//
// Accuracy. The basis is factorised in exactly (power-of-2) column-scaled coordinates; b is refined
// once per refresh so every basic row fits to its own rounding; a residual counts as zero when it is
// within its own rounding or within what the basis can determine (coefficientUncertainty) — the
// difference between a tie and a tiny residual on a row of weight 1e6.
//
// Scale. Every test is relative: zero residuals against |y_i| + sum_j |a_ij b_j|, pivot candidates
// against sum_j |a_ij h_j|, dual bounds against the weights and the dual mass, independence and edge
// lengths in column-scaled coordinates. Partial pivoting is invariant under column scaling, so columns scaled by
// 1e+-12 and y scaled by 1e+-12 follow the same path as unscaled data, up to rounding.
//
// State lives in module globals (set at entry): the kernel is not re-entrant from the progress hook.
import { progress } from "./env";
import {
  INFO_LEN, INFO_OBJECTIVE, INFO_ITERATIONS, INFO_RANK, INFO_PRIMAL, INFO_DUAL, INFO_GAP,
  INFO_NONUNIQUE, INFO_DUAL_INFEAS, INFO_EDGE_STEPS, INFO_GLOB_ROUNDS, INFO_GLOB_FIXUPS,
} from "./info";
import { STATUS_OK, STATUS_MAXITER, STATUS_CANCELLED, STATUS_NUMERICAL, STATUS_RANK_DEFICIENT } from "./status";
import { l2_fit, l2_work_bytes } from "./l2";
import { XS, setX, setXS, xat, xatx, xld, xld2, ldx } from "./xload";
import { wselect, argmin, SELECT_SCRATCH_BYTES } from "./select";
import { ldf, stf, ldi, sti } from "./mem";

/** |r_i| <= ZERO_RES s_i + sum_j |a_ij| beta_j counts as a zero residual: s_i = |y_i| +
 *  sum_j |a_ij b_j| bounds the rounding of r_i itself (ZERO_RES ~ 4500 ulp), and beta_j bounds how
 *  well the basis determines b_j (see coefficientUncertainty). The second term makes rows that live
 *  far below the scale of the basic rows (1e-150 next to O(1) data) ties, where the sign of their
 *  residual is noise and would make the simplex cycle; the first keeps a tiny but well-determined
 *  residual (3e-13 on a row of weight 1e6) a residual. */
const ZERO_RES: f64 = 1e-12;
/** |v_i| <= ZERO_DIR sum_j |a_ij h_j|: row i is (numerically) parallel to the edge and may not enter
 *  the basis — a pivot tolerance, as in every LP code: it keeps M away from singular. */
const ZERO_DIR: f64 = 1e-9;
/** A zero-residual row joins the crash basis when its component orthogonal to the rows already
 *  taken keeps at least this share of its (column-scaled) norm. */
const INDEP: f64 = 1e-7;
/** The crash stops looking at zero-residual rows after CRASH_REJECT q dependent ones. */
const CRASH_REJECT: i32 = 64;
/** Dual box tolerance: a basic d_k may exceed [w_k (tau-1), w_k tau] by DUAL_TOL w_k + DUAL_ABS D,
 *  D = sum_i |d_i| (the dual mass). Clipping it into the box then moves A^T d by at most that much,
 *  which is below FEAS_TOL in the certificate's own measure, and the D term keeps pivots from
 *  chasing the solve's noise (~eps cond D) on rows of tiny weight. */
const DUAL_TOL: f64 = 1e-9;
const DUAL_ABS: f64 = 1e-10;
/** A certificate whose DUAL_INFEAS (backward error of A^T d = 0, see certifyDual) exceeds this
 *  (~sqrt(eps)) is not one. */
const FEAS_TOL: f64 = 1.5e-8;
/** Unit roundoff of f64, and its smallest subnormal. */
const EPS: f64 = 2.220446049250313e-16;
const SUBNORMAL_MIN: f64 = 5e-324;
/** The rounding floor of F(b) excuses a gap only up to this share of F. */
const FLOOR_CAP: f64 = 1e-6;
/** Iterative refinement of the final duals while their relative |A^T d| exceeds REFINE_TOL. */
const REFINE_TOL: f64 = 1e-13;
const REFINE_STEPS: i32 = 2;
/** Coordinate descent stops when a sweep decreases F by less than CD_REL min(1, sqrt(CD_N0 / n)) of
 *  it. A sweep and a pivot both cost O(nq), but one more sweep saves more pivots as n grows
 *  (n = 1e6, q = 51: 242 pivots after 3 sweeps, 134 after 4 — measured, 35 s vs 19 s). */
const CD_REL: f64 = 1e-6;
const CD_N0: f64 = 1e4;
/** Coordinate descent sweep cap (it is a warm start; the simplex finishes). */
const CD_MAX_SWEEPS: i32 = 50;
/** Pivots between recomputations of b, r and g from scratch. */
const REFRESH: i32 = 16;
/** Relative size of the response perturbation that breaks ties while the simplex runs: row i's
 *  response moves by PERTURB (s_i + S) times a pseudo-random factor in +-[1/2, 1), with s_i =
 *  |y_i| + sum_j |a_ij b_j| and S its median (typicalScale) at the CD point — 500x the zero-residual
 *  tolerance, 1e5x the rounding of a residual. The S term reaches rows with s_i = 0 (e.g. lasso
 *  pseudo-rows of coefficients at zero, the most degenerate rows there are). */
const PERTURB: f64 = 1e-9;
/** A pivot whose descent bound t |f'| is at most DEGEN_REL F + eps sum_i w_i s_i (the rounding of F,
 *  which dominates when F ~ 0) counts as degenerate. */
const DEGEN_REL: f64 = 1e-14;
/** Consecutive degenerate pivots before Bland's rule takes over. */
const DEGEN_BLAND: i32 = 8;
/** Rows per block in the O(nq) passes: the block's slices of r, v and their scales stay in L1
 *  cache while the columns of X stream past (DESIGN.md §3: row blocking beats SIMD out of cache). */
const BLOCK: i32 = 512;
/** Progress-hook kind for L1 / quantile (assembly/env.ts). */
const KIND_L1: i32 = 1;

// ---- problem (set at entry) ----
let n: i32 = 0;
let nd: i32 = 0;
let q: i32 = 0;
let ic: i32 = 0; // 1 when coefficient 0 is the intercept
let tau: f64 = 0.5;
let pX: usize = 0;
let pY: usize = 0;
let pYc: usize = 0;   // responses in use: pY, or wYp while the simplex runs on perturbed data
let pW: usize = 0;
// ---- work regions ----
let wR: usize = 0;    // n f64: residuals
let wV: usize = 0;    // n f64: edge image v = A h
let wVA: usize = 0;   // n f64: sum_j |a_ij h_j| (pivot tolerance), or the residual scale (residuals())
let wKey: usize = 0;  // n f64: selection keys; scratch
let wWt: usize = 0;   // n f64: selection weights
let wId: usize = 0;   // n i32: selection row ids
let wLab: usize = 0;  // n i32: +1 (label tau), -1 (label tau-1), 0 (basic)
let wB: usize = 0;    // q f64: coefficients (internal order: intercept first when present)
let wBest: usize = 0; // q f64: best iterate
let wH: usize = 0;    // q f64: edge direction
let wU: usize = 0;    // q f64: basic duals
let wG: usize = 0;    // q f64: g = sum over non-basic rows of w psi a
let wCS: usize = 0;   // q f64: column scales s_j (powers of 2, see columnScales)
let wBeta: usize = 0; // q f64: beta_j / ZERO_RES, uncertainty of b_j at the current vertex (0 in CD)
let wT: usize = 0;    // q f64: scratch
let wSlot: usize = 0; // q i32: basis slots: row i >= 0, or -1 - j for the unit row e_j
let wPiv: usize = 0;  // q i32: LU row interchanges
let wPick: usize = 0; // q i32: row at which coordinate j's last CD step stopped (-1: none)
let wLU: usize = 0;   // q*q f64: the column-scaled basis matrix M^, then its LU factors
let wQ: usize = 0;    // q*q f64: orthonormal rows (crash)
let wYp: usize = 0;   // n f64: perturbed responses (degeneracy breaking)
let wSel: usize = 0;  // SELECT_SCRATCH_BYTES: selection sample
// ---- solver state ----
let nmass: f64 = 0;   // sum over non-basic rows of w_i |psi_i| (as of the last gradient())
let sres: f64 = 0;    // S: typical residual scale (median s_i at the CD point; 0 during CD)
let fscale: f64 = 0;  // sum_i w_i s_i at the last refresh: the scale of F's rounding


/** Weight of row i (1 when no weights were given). */
// @ts-ignore: decorator
@inline function wgt(i: i32): f64 { return pW == 0 ? 1.0 : ldf(pW, i); }

/** Pointer to the X column of coefficient j >= ic. */
// @ts-ignore: decorator
@inline function col(j: i32): usize { return xatx(pX, n, j - ic, 0); }
/** The same for hot loops generic over the storage type T of X. */
// @ts-ignore: decorator
@inline function colT<T>(j: i32): usize { return xat<T>(pX, n, j - ic, 0); }

/** Entry a_ij of the design including the implicit intercept column. */
function aij(i: i32, j: i32): f64 {
  if (j < ic) return i < nd ? 1.0 : 0.0;
  return ldx(col(j), i);
}

/** rho_tau(r) */
// @ts-ignore: decorator
@inline function rho(r: f64): f64 { return r < 0 ? (tau - 1.0) * r : tau * r; }

/** Label weight psi: tau for label +1, tau - 1 for label -1. */
// @ts-ignore: decorator
@inline function psi(l: i32): f64 { return l > 0 ? tau : tau - 1.0; }

// @ts-ignore: decorator
@inline function align16(b: usize): usize { return (b + 15) & ~<usize>15; }

/** Pseudo-random factor in +-[1/2, 1) for row i: murmur3's fmix32 of the row number (integer
 *  arithmetic, identical in both backends). */
function jitter(i: i32): f64 {
  let h = <u32>i * 0x9e3779b1;
  h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
  const u = 0.5 + <f64>(h >> 9) * (0.5 / 8388608.0);
  return (h & 1) != 0 ? -u : u;
}

/** Running error term of Neumaier's compensated summation (kadd); reset before each sum. */
let kahanC: f64 = 0;
// @ts-ignore: decorator
@inline function kadd(s: f64, x: f64): f64 {
  const t = s + x;
  if (Math.abs(s) >= Math.abs(x)) kahanC += (s - t) + x; else kahanC += (x - t) + s;
  return t;
}

/** Bytes rounded up to the 16-byte alignment of every region (f64: sizes may exceed 4 GiB). */
function regionBytes(b: f64): f64 { return Math.ceil(b / 16) * 16; }

/** Work-region bytes for l1_fit(n, ., p, ...): 6n f64 + 2n i32 + 8q f64 + 3q i32 + 2q^2 f64 + the
 *  selection sample, q = p + 1 (the intercept is counted whether or not it is fitted), plus, when
 *  n >= the globbing threshold, the reduced-problem area (globBytes). Must match layout(). */
export function l1_work_bytes(n: i32, p: i32): f64 {
  const qq = <f64>p + 1;
  const l2 = l2_work_bytes(n, p); // the rank check / warm start runs in the same region first
  let own = 6 * regionBytes(8 * <f64>n) + 2 * regionBytes(4 * <f64>n) + 8 * regionBytes(8 * qq) +
    3 * regionBytes(4 * qq) + 2 * regionBytes(8 * qq * qq) + <f64>SELECT_SCRATCH_BYTES;
  if (n >= globMin || n >= globMinWarm) {
    const c = <f64>globCap(n);
    own += regionBytes(4 * <f64>n) + regionBytes(4 * c) + regionBytes(8 * c * <f64>p) +
      8 * regionBytes(8 * c) + 2 * regionBytes(4 * c);
  }
  return own > l2 ? own : l2;
}

/** Rows the reduced problem may hold: all of them on small data, a quarter (at least 65536) on large
 *  data — bands are ~3 sqrt(8 q n) rows (60k at 1e6 x 50); one that does not fit falls back to the
 *  plain solve. */
function globCap(n: i32): i32 { return n <= 65536 ? n + 2 : (n >> 2 > 65536 ? n >> 2 : 65536) + 2; }

/** Points the n-sized regions at base for a problem of up to cap rows; returns the end. */
function layoutN(base: usize, cap: i32): usize {
  const nF = align16(<usize>cap << 3), nI = align16(<usize>cap << 2);
  let p = base;
  wR = p; p += nF;
  wV = p; p += nF;
  wVA = p; p += nF;
  wKey = p; p += nF;
  wWt = p; p += nF;
  wYp = p; p += nF;
  wId = p; p += nI;
  wLab = p; p += nI;
  return p;
}

function layout(pWork: usize): usize {
  const qF = align16(<usize>q << 3), qI = align16(<usize>q << 2), qq = align16((<usize>q * <usize>q) << 3);
  let p = layoutN(pWork, n);
  wB = p; p += qF;
  wBest = p; p += qF;
  wH = p; p += qF;
  wU = p; p += qF;
  wG = p; p += qF;
  wCS = p; p += qF;
  wBeta = p; p += qF;
  wT = p; p += qF;
  wSlot = p; p += qI;
  wPiv = p; p += qI;
  wPick = p; p += qI;
  wLU = p; p += qq;
  wQ = p; p += qq;
  wSel = p;
  return p + <usize>SELECT_SCRATCH_BYTES;
}

/** F(b) = sum w rho(r) over the residual bookkeeping (plain sum: a progress measure). */
function objective(): f64 {
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const r = ldf(wR, i);
    if (r != 0) f += wgt(i) * rho(r);
  }
  return f;
}

/** r = y - A b from scratch; wVA = s_i + sum_j |a_ij| beta_j / ZERO_RES (residual scale: s_i alone
 *  during CD). With `zero`, residuals within ZERO_RES wVA are set to exactly 0 (ties become exact,
 *  degeneracy visible). Row blocks keep r and wVA in cache while the columns stream past. */
function residuals(zero: bool): void {
  if (XS == 3) residualsT<f64>(zero); else residualsT<f32>(zero);
}
function residualsT<T>(zero: bool): void {
  const b0 = ic ? ldf(wB, 0) : 0.0, a0 = ic ? Math.abs(b0) + ldf(wBeta, 0) : 0.0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
    for (let i = i0; i < i1; i++) {
      const y = ldf(pYc, i);
      if (ic != 0 && i < nd) {
        stf(wR, i, y - b0);
        stf(wVA, i, Math.abs(y) + a0);
      } else {
        stf(wR, i, y);
        stf(wVA, i, Math.abs(y));
      }
    }
    for (let j = ic; j < q; j++) {
      const bj = ldf(wB, j), ej = ldf(wBeta, j);
      if (bj == 0 && ej == 0) continue;
      const xp = colT<T>(j);
      // two rows per f64x2 lane pair: the same IEEE operations per row as the scalar tail (and the twin)
      const b2 = f64x2.splat(bj), e2 = f64x2.splat(ej);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        const o = <usize>i << 3;
        const x2 = xld2<T>(xp, i), t2 = f64x2.mul(b2, x2);
        v128.store(wR + o, f64x2.sub(v128.load(wR + o), t2));
        v128.store(wVA + o, f64x2.add(v128.load(wVA + o), f64x2.add(f64x2.abs(t2), f64x2.mul(e2, f64x2.abs(x2)))));
      }
      for (; i < i1; i++) {
        const x = xld<T>(xp, i), t = bj * x;
        stf(wR, i, ldf(wR, i) - t);
        stf(wVA, i, ldf(wVA, i) + (Math.abs(t) + ej * Math.abs(x)));
      }
    }
    if (zero) {
      for (let i = i0; i < i1; i++) if (Math.abs(ldf(wR, i)) <= ZERO_RES * ldf(wVA, i)) stf(wR, i, 0.0);
    }
  }
}

/** r = y - A b alone (the same values as residuals(false), without the scales): the globbing passes
 *  over all rows only need signs and band keys. */
function residualsOnly(): void {
  if (XS == 3) residualsOnlyT<f64>(); else residualsOnlyT<f32>();
}
function residualsOnlyT<T>(): void {
  const b0 = ic ? ldf(wB, 0) : 0.0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
    for (let i = i0; i < i1; i++) {
      const y = ldf(pYc, i);
      stf(wR, i, ic != 0 && i < nd ? y - b0 : y);
    }
    for (let j = ic; j < q; j++) {
      const bj = ldf(wB, j);
      if (bj == 0 && ldf(wBeta, j) == 0) continue;
      const xp = colT<T>(j);
      const b2 = f64x2.splat(bj);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        const o = <usize>i << 3;
        v128.store(wR + o, f64x2.sub(v128.load(wR + o), f64x2.mul(b2, xld2<T>(xp, i))));
      }
      for (; i < i1; i++) stf(wR, i, ldf(wR, i) - bj * xld<T>(xp, i));
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Phase 1: coordinate descent

/** Exact minimisation of F along coordinate j; returns the step taken (0 when the coordinate is
 *  already at its minimiser or has no active rows). */
function cdStep(j: i32): f64 {
  return XS == 3 ? cdStepT<f64>(j) : cdStepT<f32>(j);
}
function cdStepT<T>(j: i32): f64 {
  let m = 0;
  let target = 0.0; // B = sum w|a| tau_i: minus the slope at -infinity
  let total = 0.0;
  if (j < ic) {
    for (let i = 0; i < nd; i++) {
      const w = wgt(i);
      if (w > 0) {
        stf(wKey, m, ldf(wR, i));
        stf(wWt, m, w);
        sti(wId, m, i);
        target += w * tau;
        total += w;
        m++;
      }
    }
  } else {
    const xp = colT<T>(j);
    const tp = tau, tn = 1.0 - tau;
    for (let i = 0; i < n; i++) {
      const a = xld<T>(xp, i), w = wgt(i);
      if (a != 0 && w > 0) {
        const om = w * Math.abs(a);
        stf(wKey, m, ldf(wR, i) / a);
        stf(wWt, m, om);
        sti(wId, m, i);
        target += om * select<f64>(tp, tn, a > 0); // branch-free: the sign of a_ij is a coin flip
        total += om;
        m++;
      }
    }
  }
  if (m == 0) return 0;
  const k = wselect(wKey, wWt, wId, m, target, total, wSel);
  sti(wPick, j, ldi(wId, k));
  const delta = ldf(wKey, k);
  if (delta == 0) return 0;
  stf(wB, j, ldf(wB, j) + delta);
  if (j < ic) {
    for (let i = 0; i < nd; i++) stf(wR, i, ldf(wR, i) - delta);
  } else {
    const xp = colT<T>(j);
    const d2 = f64x2.splat(delta);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      v128.store(wR + o, f64x2.sub(v128.load(wR + o), f64x2.mul(d2, xld2<T>(xp, i))));
    }
    for (; i < n; i++) stf(wR, i, ldf(wR, i) - delta * xld<T>(xp, i));
  }
  return delta;
}

// ------------------------------------------------------------------------------------------------
// Basis matrix in column-scaled coordinates, M^ = M S^-1 with S = diag(s_j), s_j powers of 2: the
// scaling is exact, so the LU of M^ is that of M up to exact factors, but no entry is denormal or
// astronomically large (a column of 1e-300s, or 1e-323 beside 1e-35, would otherwise lose every digit
// in the elimination). Quantities in scaled coordinates: b^ = S b, h^ = S h, g^ = S^-1 g; the duals u
// are the same. M^ is row-major q x q; LU with partial pivoting (row interchanges), as LAPACK dgetrf.

/** Column scales s_j: the power of 2 in [m_j, 2 m_j), m_j = max |a_ij| over rows with w > 0, kept in
 *  the normal range [2^-1022, 2^1023] (so that 1/s_j is exact too); 1 for a zero column. */
function columnScales(): void {
  if (XS == 3) columnScalesT<f64>(); else columnScalesT<f32>();
}
function columnScalesT<T>(): void {
  for (let j = 0; j < q; j++) {
    let m = 0.0;
    if (j < ic) {
      m = 1.0;
    } else {
      const xp = colT<T>(j);
      for (let i = 0; i < n; i++) if (wgt(i) > 0) { const a = Math.abs(xld<T>(xp, i)); if (a > m) m = a; }
    }
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
function factor(): bool {
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
    for (let i = k + 1; i < q; i++) {
      const l = ldf(wLU, i * q + k) / d;
      stf(wLU, i * q + k, l);
      if (l != 0) for (let j = k + 1; j < q; j++) stf(wLU, i * q + j, ldf(wLU, i * q + j) - l * ldf(wLU, k * q + j));
    }
  }
  return true;
}

/** x <- M^-1 x (x: q f64 at px; M^ of the current factorisation). */
function solve(px: usize): void {
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

/** Euclidean length, in column-scaled coordinates, of the edge h^ = M^-1 e_s of basis slot s
 *  (computed in wH, which the chosen edge overwrites afterwards). */
function edgeLength(s: i32): f64 {
  for (let j = 0; j < q; j++) stf(wH, j, j == s ? 1.0 : 0.0);
  solve(wH);
  let t = 0.0;
  for (let j = 0; j < q; j++) { const e = ldf(wH, j); t += e * e; }
  return Math.sqrt(t);
}

/** x <- M^-T x. */
function solveT(px: usize): void {
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

// ------------------------------------------------------------------------------------------------
// Phase 2: crash to a vertex, then Barrodale–Roberts pivots

/** Orthogonalises the q-vector at wT against the m orthonormal rows of wQ (modified Gram–Schmidt,
 *  twice: "twice is enough", Giraud et al. 2005) and returns the norm of what is left. */
function orthogonalise(m: i32): f64 {
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < m; k++) {
      const qk = wQ + ((<usize>k * <usize>q) << 3);
      let c = 0.0;
      for (let j = 0; j < q; j++) c += ldf(qk, j) * ldf(wT, j);
      for (let j = 0; j < q; j++) stf(wT, j, ldf(wT, j) - c * ldf(qk, j));
    }
  }
  let s = 0.0;
  for (let j = 0; j < q; j++) s += ldf(wT, j) * ldf(wT, j);
  return Math.sqrt(s);
}

/** Appends wT / nrm as orthonormal row m of wQ. */
function appendQ(m: i32, nrm: f64): void {
  const qm = wQ + ((<usize>m * <usize>q) << 3);
  for (let j = 0; j < q; j++) stf(qm, j, ldf(wT, j) / nrm);
}

/** Appends row i (w > 0) to the crash basis when it is independent, in column-scaled coordinates,
 *  of the m rows taken so far; returns the new basis size. */
function crashRow(i: i32, m: i32): i32 {
  let s = 0.0;
  for (let j = 0; j < q; j++) { const a = aij(i, j) / ldf(wCS, j); stf(wT, j, a); s += a * a; }
  if (s == 0) return m;
  const nrm = orthogonalise(m);
  if (!(nrm > INDEP * Math.sqrt(s))) return m;
  appendQ(m, nrm);
  sti(wSlot, m, i);
  return m + 1;
}

/** Initial basis ("crash"): the zero-residual rows (w > 0) in row order, then the rows at which the
 *  last CD sweep stopped each coordinate (their residuals are small: only the later steps of that
 *  sweep moved them), each while independent in column-scaled coordinates; completed by the unit rows
 *  e_j with the largest component outside their span. The first refresh moves b onto the vertex of
 *  the chosen rows, which can raise F slightly — the CD iterate stays the best one until the simplex
 *  beats it — but saves up to q edge steps (each O(nq)) that would otherwise only pin coordinates.
 *  Heavily tied data can leave ~n zero residuals spanning a small subspace: after CRASH_REJECT q
 *  dependent ones (O(q^2) each) the scan stops and the unit rows take over. */
function crash(): void {
  columnScales();
  let m = 0;
  let rejected = 0;
  for (let i = 0; i < n && m < q && rejected < CRASH_REJECT * q; i++) {
    if (ldf(wR, i) != 0 || !(wgt(i) > 0)) continue;
    const m1 = crashRow(i, m);
    if (m1 == m) rejected++;
    m = m1;
  }
  for (let j = 0; j < q && m < q; j++) {
    const i = ldi(wPick, j);
    if (i >= 0 && ldf(wR, i) != 0) m = crashRow(i, m);
  }
  while (m < q) {
    // unit row with the largest residual norm^2 1 - sum_k Q_kj^2 among coefficients not yet taken
    let bestJ = -1;
    let bestR = -1.0;
    for (let j = 0; j < q; j++) {
      let taken = false;
      for (let s = 0; s < m; s++) if (ldi(wSlot, s) == -1 - j) taken = true;
      if (taken) continue;
      let c = 0.0;
      for (let k = 0; k < m; k++) { const v = ldf(wQ, k * q + j); c += v * v; }
      if (1.0 - c > bestR) { bestR = 1.0 - c; bestJ = j; }
    }
    for (let j = 0; j < q; j++) stf(wT, j, j == bestJ ? 1.0 : 0.0);
    appendQ(m, orthogonalise(m));
    sti(wSlot, m, -1 - bestJ);
    m++;
  }
}

/** beta_j (stored / ZERO_RES in wBeta): first-order bound on the error of b_j at the vertex,
 *  |delta b^| <= q eps |M^-1| (P^T |L| |U| |b^| + s_B) — the componentwise error of Gaussian
 *  elimination (Higham 2002, Thm 9.3, with |L||U| in place of |M| since growth is not bounded
 *  componentwise) plus the rounding of the basic rows' residuals s_B — and beta_j = beta^_j / s_j.
 *  O(q^3) per refresh (q solves). */
function coefficientUncertainty(): void {
  // noise per LU row: (|L| |U| |b^|)_k, then back to slot order (P^T), plus s_i of the basic row
  for (let k = q - 1; k >= 0; k--) {
    let z = 0.0;
    for (let m = k; m < q; m++) z += Math.abs(ldf(wLU, k * q + m) * ldf(wB, m) * ldf(wCS, m));
    stf(wT, k, z);
  }
  for (let k = q - 1; k >= 0; k--) {
    let z = ldf(wT, k);
    for (let m = 0; m < k; m++) z += Math.abs(ldf(wLU, k * q + m)) * ldf(wT, m);
    stf(wT, k, z);
  }
  for (let k = q - 1; k >= 0; k--) {
    const pr = ldi(wPiv, k);
    if (pr != k) { const t = ldf(wT, k); stf(wT, k, ldf(wT, pr)); stf(wT, pr, t); }
  }
  for (let s = 0; s < q; s++) {
    const i = ldi(wSlot, s);
    if (i < 0) continue; // a unit row's right-hand side b^_j is exact
    let sc = Math.abs(ldf(pYc, i));
    for (let j = 0; j < q; j++) sc += Math.abs(aij(i, j) * ldf(wB, j));
    stf(wT, s, ldf(wT, s) + sc);
  }
  for (let j = 0; j < q; j++) stf(wBeta, j, 0.0);
  for (let s = 0; s < q; s++) {
    const noise = ldf(wT, s);
    for (let j = 0; j < q; j++) stf(wH, j, j == s ? 1.0 : 0.0);
    solve(wH);
    for (let j = 0; j < q; j++) stf(wBeta, j, ldf(wBeta, j) + Math.abs(ldf(wH, j)) * noise);
  }
  // no coefficient is known better than the smallest subnormal (b_j = 7e-331 is stored as 0)
  const c = <f64>q * EPS / ZERO_RES, floor = 4 * SUBNORMAL_MIN / ZERO_RES;
  for (let j = 0; j < q; j++) stf(wBeta, j, c * ldf(wBeta, j) / ldf(wCS, j) + floor);
}

/** y_i - a_i.b for one row, in the order of residuals(). */
function rowResidual(i: i32): f64 {
  let r = ldf(pYc, i);
  if (ic != 0 && i < nd) r -= ldf(wB, 0);
  for (let j = ic; j < q; j++) {
    const bj = ldf(wB, j);
    if (bj != 0) r -= bj * ldx(col(j), i);
  }
  return r;
}

/** g = sum over non-basic rows of w_i psi_i a_i, from scratch, by row blocks (wKey holds w_i psi_i). */
function gradient(): void {
  if (XS == 3) gradientT<f64>(); else gradientT<f32>();
}
function gradientT<T>(): void {
  for (let j = 0; j < q; j++) stf(wG, j, 0.0);
  let mass = 0.0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
    for (let i = i0; i < i1; i++) {
      const l = ldi(wLab, i);
      const c = l == 0 ? 0.0 : wgt(i) * psi(l);
      stf(wKey, i, c);
      mass += Math.abs(c);
    }
    if (ic) {
      let s = 0.0;
      for (let i = i0; i < i1 && i < nd; i++) s += ldf(wKey, i);
      stf(wG, 0, ldf(wG, 0) + s);
    }
    for (let j = ic; j < q; j++) {
      const xp = colT<T>(j);
      let s = 0.0;
      for (let i = i0; i < i1; i++) s += ldf(wKey, i) * xld<T>(xp, i);
      stf(wG, j, ldf(wG, j) + s);
    }
  }
  nmass = mass;
}

/** g += c a_i */
function gAddRow(i: i32, c: f64): void {
  if (c == 0) return;
  for (let j = 0; j < q; j++) stf(wG, j, ldf(wG, j) + c * aij(i, j));
}

/** Re-derives the vertex from the basis (M^ b^ = [y_B; b^_j of unit rows]), then r (zeroing ties),
 *  labels consistent with the signs of r, and g. Needs a current factorisation.
 *  The solve is refined (Skeel 1980: one step of fixed-precision iterative refinement makes Gaussian
 *  elimination componentwise backward stable) against the residuals of the basic rows computed as
 *  residuals() does: a basic row then fits to the rounding of its own terms, not to that of the
 *  largest row — with a row 1 - 1e12 b_4 = 1e12 in the basis, b_0 would otherwise be off by
 *  ulp(1e12) ~ 1e-4, and every heavily weighted row with it. */
function refresh(): void {
  for (let s = 0; s < q; s++) {
    const i = ldi(wSlot, s);
    stf(wT, s, i >= 0 ? ldf(pYc, i) : ldf(wB, -1 - i) * ldf(wCS, -1 - i));
  }
  solve(wT);
  for (let j = 0; j < q; j++) stf(wB, j, ldf(wT, j) / ldf(wCS, j));
  for (let s = 0; s < q; s++) {
    const i = ldi(wSlot, s);
    stf(wT, s, i >= 0 ? rowResidual(i) : 0.0);
  }
  solve(wT);
  for (let j = 0; j < q; j++) stf(wB, j, ldf(wB, j) + ldf(wT, j) / ldf(wCS, j));
  coefficientUncertainty();
  residuals(true);
  let fs = 0.0;
  for (let i = 0; i < n; i++) fs += wgt(i) * ldf(wVA, i);
  fscale = fs;
  for (let i = 0; i < n; i++) {
    const l = ldi(wLab, i), r = ldf(wR, i);
    if (l > 0 && r < 0) sti(wLab, i, -1);
    else if (l < 0 && r > 0) sti(wLab, i, 1);
  }
  gradient();
}

/** v = A h and wVA = sum_j |a_ij h_j|, by row blocks. */
function edgeImage(): void {
  if (XS == 3) edgeImageT<f64>(); else edgeImageT<f32>();
}
function edgeImageT<T>(): void {
  const h0 = ic ? ldf(wH, 0) : 0.0, a0 = Math.abs(h0);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
    for (let i = i0; i < i1; i++) {
      const data = i < nd;
      stf(wV, i, data ? h0 : 0.0);
      stf(wVA, i, data ? a0 : 0.0);
    }
    for (let j = ic; j < q; j++) {
      const hj = ldf(wH, j);
      if (hj == 0) continue;
      const xp = colT<T>(j);
      // two rows per f64x2 lane pair: the same IEEE operations per row as the scalar tail (and the twin)
      const h2 = f64x2.splat(hj);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        const o = <usize>i << 3;
        const t2 = f64x2.mul(h2, xld2<T>(xp, i));
        v128.store(wV + o, f64x2.add(v128.load(wV + o), t2));
        v128.store(wVA + o, f64x2.add(v128.load(wVA + o), f64x2.abs(t2)));
      }
      for (; i < i1; i++) {
        const t = hj * xld<T>(xp, i);
        stf(wV, i, ldf(wV, i) + t);
        stf(wVA, i, ldf(wVA, i) + Math.abs(t));
      }
    }
  }
}

/** Breakpoints of the line search along +h: non-basic rows (w > 0) whose residual r_i - t v_i
 *  crosses zero against their label at t_i = r_i / v_i >= 0 (t_i = 0 for a degenerate row), with
 *  slope jumps w_i |v_i|. Fills wKey/wWt/wId, sets bpTotal to the sum of the jumps and returns
 *  their number. */
let bpTotal: f64 = 0;
function breakpoints(): i32 {
  let m = 0;
  let total = 0.0;
  for (let i = 0; i < n; i++) {
    const l = ldi(wLab, i);
    if (l == 0) continue;
    const v = ldf(wV, i);
    if (!(l > 0 ? v > 0 : v < 0)) continue;
    if (Math.abs(v) <= ZERO_DIR * ldf(wVA, i)) continue;
    const w = wgt(i);
    if (!(w > 0)) continue;
    let t = ldf(wR, i) / v;
    if (!(t > 0)) t = 0;
    const jump = w * Math.abs(v);
    stf(wKey, m, t);
    stf(wWt, m, jump);
    sti(wId, m, i);
    total += jump;
    m++;
  }
  bpTotal = total;
  return m;
}

/** S = the median of s_i (wVA) over rows with w > 0 (the mean if that is 0); scratch: selection. */
function typicalScale(): f64 {
  let m = 0;
  let sum = 0.0;
  for (let i = 0; i < n; i++) {
    if (!(wgt(i) > 0)) continue;
    const s = ldf(wVA, i);
    stf(wKey, m, s);
    stf(wWt, m, 1.0);
    sti(wId, m, i);
    sum += s;
    m++;
  }
  if (m == 0) return 0;
  const med = ldf(wKey, wselect(wKey, wWt, wId, m, 0.5 * <f64>m, <f64>m, wSel));
  return med > 0 ? med : sum / <f64>m;
}

/** Dual value of the current vertex's d (basis duals wU, labels) for the progress hook, and the scale
 *  alpha <= 1 that brings d into its box (alpha d is dual feasible: A^T d = 0 holds at a vertex and
 *  the box contains 0). Evaluated as r.d (see certify), on the residual bookkeeping. */
let dualAlpha: f64 = 1;
function dualValue(): f64 {
  let alpha = 1.0;
  for (let k = 0; k < q; k++) {
    const d = ldf(wU, k), w = wgt(ldi(wSlot, k));
    const hi = w * tau, lo = w * (tau - 1.0);
    if (d > hi) { const a = hi / d; if (a < alpha) alpha = a; }
    else if (d < lo) { const a = lo / d; if (a < alpha) alpha = a; }
  }
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const l = ldi(wLab, i);
    if (l != 0) s += ldf(wR, i) * wgt(i) * psi(l);
  }
  dualAlpha = alpha;
  return alpha * s;
}

// ---- certificate (final) ----
let certDual: f64 = 0;
let certPrimal: f64 = 0;
let certInfeas: f64 = 0;
let certZeros: i32 = 0;

/** Primal F(b) from scratch in the original data and the dual value of the certificate d (built in
 *  wKey; d = 0 when `useDual` is false), with compensated sums, and its infeasibility: basic duals
 *  are clipped into their boxes (accepted violations are within DUAL_TOL), so d is exactly
 *  box-feasible, and DUAL_INFEAS = max_j |(A^T d)_j| / (s_j sum_i |d_i|) measures what is left: the
 *  backward error of A^T d = 0 in column-scaled coordinates (entries <= 1), whose floating-point floor
 *  is ~q eps whatever the data — a column of 1e-80s next to O(1) columns cannot be resolved to
 *  relative accuracy in its own units, and does not need to be.
 *  The dual value is r.d = y.d - b.(A^T d): the LP's dual objective after the translation y -> y - Ab
 *  (which leaves the problem and its dual feasible set unchanged), equal to y.d for an exactly
 *  feasible d. In this form the rounding left in A^T d (reported in DUAL_INFEAS) is not amplified
 *  by |b| — with y ~ 1e8 + O(1) noise, y.d would lose the gap to cancellation. */
function certify(useDual: bool, alpha: f64): void {
  residuals(false);
  let zeros = 0;
  kahanC = 0;
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const r = ldf(wR, i);
    if (Math.abs(r) <= ZERO_RES * ldf(wVA, i)) zeros++;
    f = kadd(f, wgt(i) * rho(r));
  }
  certPrimal = f + kahanC;
  certZeros = zeros;
  certifyDual(useDual, alpha);
}

/** The dual half of certify (residuals in wR): d in wKey, its dual value, A^T d in wT, DUAL_INFEAS. */
function certifyDual(useDual: bool, alpha: f64): void {
  if (XS == 3) certifyDualT<f64>(useDual, alpha); else certifyDualT<f32>(useDual, alpha);
}
function certifyDualT<T>(useDual: bool, alpha: f64): void {
  for (let i = 0; i < n; i++) {
    const l = ldi(wLab, i);
    stf(wKey, i, useDual && l != 0 ? alpha * wgt(i) * psi(l) : 0.0);
  }
  if (useDual) {
    for (let k = 0; k < q; k++) {
      const i = ldi(wSlot, k), w = wgt(i);
      const hi = w * tau, lo = w * (tau - 1.0);
      const d = alpha * ldf(wU, k);
      stf(wKey, i, d > hi ? hi : d < lo ? lo : d);
    }
  }
  kahanC = 0;
  let s = 0.0;
  for (let i = 0; i < n; i++) s = kadd(s, ldf(wR, i) * ldf(wKey, i));
  certDual = s + kahanC;
  let dsum = 0.0;
  for (let i = 0; i < n; i++) dsum += Math.abs(ldf(wKey, i));
  let infeas = 0.0;
  for (let j = 0; j < q && useDual; j++) {
    let t = 0.0;
    if (j < ic) {
      for (let i = 0; i < nd; i++) t += ldf(wKey, i);
    } else {
      const xp = colT<T>(j);
      for (let i = 0; i < n; i++) t += ldf(wKey, i) * xld<T>(xp, i);
    }
    stf(wT, j, t);
    if (dsum > 0) { const v = Math.abs(t) / (ldf(wCS, j) * dsum); if (v > infeas) infeas = v; }
  }
  certInfeas = infeas;
}

/** How far F(b) at a vertex can sit above the optimum through rounding alone: the error of evaluating
 *  the residuals, q eps sum_i w_i s_i, plus the effect of the uncertainty beta of the vertex's
 *  coefficients, sum_j beta_j sum_i w_i |a_ij|. Negligible for ordinary data (~1e-14 F); where
 *  coefficients of 1e108 cancel to O(1) residuals, no float64 b fits the basic rows better, and the
 *  gap can only close to this floor. O(nq). */
function gapFloor(): f64 {
  return XS == 3 ? gapFloorT<f64>() : gapFloorT<f32>();
}
function gapFloorT<T>(): f64 {
  let wy = 0.0;
  for (let i = 0; i < n; i++) wy += wgt(i) * Math.abs(ldf(pY, i));
  const qe = <f64>q * EPS;
  let fl = qe * wy;
  for (let j = 0; j < q; j++) {
    let wa = 0.0;
    if (j < ic) {
      for (let i = 0; i < nd; i++) wa += wgt(i);
    } else {
      const xp = colT<T>(j);
      for (let i = 0; i < n; i++) wa += wgt(i) * Math.abs(xld<T>(xp, i));
    }
    fl += (qe * Math.abs(ldf(wB, j)) + ZERO_RES * ldf(wBeta, j)) * wa;
  }
  return fl;
}

/** One step of iterative refinement of the basis duals against A^T d computed by certifyDual (in
 *  wT): u -= M^{-T} (A^T d). Badly scaled bases (entries from 1e-300 to 1e8 in one column, weights
 *  1e-6..1e6) leave A^T d at ~1e-8 relative after the LU solve; one step restores ~1e-16. Needs the
 *  factorisation of the final basis. */
function refineDuals(): void {
  for (let j = 0; j < q; j++) stf(wT, j, ldf(wT, j) / ldf(wCS, j));
  solveT(wT);
  for (let s = 0; s < q; s++) stf(wU, s, ldf(wU, s) - ldf(wT, s));
}

// ------------------------------------------------------------------------------------------------
// Solver phases on the current problem (the full one, or a reduced one while globbing)

// ---- run state (set at entry) ----
let sweeps: i32 = 0;      // coordinate-descent sweeps, all problems
let pivots: i32 = 0;      // simplex pivots, all problems
let maxIt: i32 = 0;       // budget of sweeps + pivots
let cancelled: bool = false;
let haveDual: bool = false; // wU holds basis duals at the current vertex (no unit rows)
let nonunique: i32 = 0;
let bestF: f64 = 0;       // objective of wBest on the current problem

/** Coordinate descent from wB, at most cap sweeps; wBest = the result. */
function runCD(cap: i32): void {
  residuals(false);
  let f = objective();
  const cdRel = <f64>n > CD_N0 ? CD_REL * Math.sqrt(CD_N0 / <f64>n) : CD_REL;
  let k = 0;
  while (k < cap && sweeps < maxIt) {
    let moved = false;
    for (let j = 0; j < q; j++) if (cdStep(j) != 0) moved = true;
    sweeps++;
    k++;
    const fn = objective();
    const gain = f - fn;
    f = fn;
    if (progress(KIND_L1, sweeps + pivots, f, f) != 0) { cancelled = true; break; }
    if (!moved || !(gain > cdRel * f)) break;
  }
  for (let j = 0; j < q; j++) stf(wBest, j, ldf(wB, j));
  bestF = f;
}

/** Labels from the residual signs at wB, the perturbed responses, the crash basis; the simplex then
 *  runs on the perturbed responses (see pivotLoop). */
function startSimplex(): void {
  residuals(false);
  sres = typicalScale();
  residuals(true);
  for (let i = 0; i < n; i++) {
    const r = ldf(wR, i);
    sti(wLab, i, r < 0 ? -1 : 1);
    stf(wYp, i, ldf(pY, i) + PERTURB * (ldf(wVA, i) + sres) * jitter(i));
  }
  crash();
  // Run on perturbed responses (Charnes 1952: the classic cure for degeneracy, as in production LP
  // codes): Bland's rule alone crawls one tied row at a time through vertices with thousands of
  // zero residuals. When the perturbed problem is solved, its basis and labels are re-derived for
  // the true y (refresh) and re-priced: optimal unless some residual changed side, in which case a
  // few more pivots finish.
  pYc = wYp;
  for (let s = 0; s < q; s++) { const i = ldi(wSlot, s); if (i >= 0) sti(wLab, i, 0); }
}

/** Simplex pivots from the basis in wSlot (labels in wLab) to a certified vertex of the current
 *  problem; returns the status. */
function pivotLoop(): i32 {
  let status = -1;
  let sigma = 0.0;
  let f = 0.0;
  let since = REFRESH; // pivots since the last refresh (REFRESH forces one)
  let degen = 0;
  let dualEst = 0.0;
  while (true) {
    if (!factor()) { status = STATUS_NUMERICAL; break; }
    if (since >= REFRESH) {
      refresh();
      since = 0;
      f = objective();
      if (f < bestF) { bestF = f; for (let j = 0; j < q; j++) stf(wBest, j, ldf(wB, j)); }
    }
    for (let j = 0; j < q; j++) stf(wU, j, -ldf(wG, j) / ldf(wCS, j));
    solveT(wU);
    // pricing: unit rows leave first; then the basic row whose dual violates its box most per
    // unit length of its edge (steepest edge measured in column-scaled coefficients — Goldfarb &
    // Reid 1977 in spirit, at O(q^3) per pivot instead of an O(nq) norm update), or the smallest
    // violated row index under Bland's rule. viol = -f' is the edge's rate of descent.
    const bland = degen >= DEGEN_BLAND;
    let leave = -1;
    let score = -1.0;
    let viol = 0.0;
    let art = false;
    nonunique = 0;
    for (let s = 0; s < q; s++) {
      if (ldi(wSlot, s) >= 0) continue;
      const v = Math.abs(ldf(wU, s));
      const sc = v / edgeLength(s);
      if (sc > score) { score = sc; viol = v; leave = s; }
    }
    if (leave >= 0) {
      art = true;
      sigma = ldf(wU, leave) > 0 ? -1.0 : 1.0;
    } else {
      let dmass = nmass;
      for (let s = 0; s < q; s++) dmass += Math.abs(ldf(wU, s));
      const dtol = DUAL_ABS * dmass;
      for (let s = 0; s < q; s++) {
        const i = ldi(wSlot, s), d = ldf(wU, s), w = wgt(i);
        const hi = w * tau, lo = w * (tau - 1.0), del = DUAL_TOL * w + dtol;
        let v = 0.0, sg = 0.0;
        if (d > hi + del) { v = d - hi; sg = -1.0; }
        else if (d < lo - del) { v = lo - d; sg = 1.0; }
        else {
          if (Math.abs(d - hi) <= del || Math.abs(d - lo) <= del) nonunique = 1;
          continue;
        }
        if (bland) {
          if (leave < 0 || i < ldi(wSlot, leave)) { viol = v; leave = s; sigma = sg; }
        } else {
          const sc = v / edgeLength(s);
          if (sc > score) { score = sc; viol = v; leave = s; sigma = sg; }
        }
      }
      haveDual = true;
      dualEst = dualValue();
    }
    if (leave < 0) {
      if (since > 0) { since = REFRESH; continue; } // confirm on fresh b, r, g
      if (pYc != pY) { pYc = pY; since = REFRESH; degen = 0; continue; } // drop the perturbation
      status = STATUS_OK;
      break;
    }
    if (cancelled) { status = STATUS_CANCELLED; break; }
    if (sweeps + pivots >= maxIt) { status = STATUS_MAXITER; break; }
    // reduced cost f' < 0 of the edge: sigma d_k + w_k rho(-sigma), or -|u_s| for a unit row
    let fprime = -viol;
    for (let j = 0; j < q; j++) stf(wH, j, j == leave ? sigma : 0.0);
    solve(wH);
    for (let j = 0; j < q; j++) stf(wH, j, ldf(wH, j) / ldf(wCS, j));
    edgeImage();
    let m = breakpoints();
    if (m == 0 && art) {
      // flat (to rounding) unit direction with no breakpoint ahead: go the other way
      sigma = -sigma;
      fprime = -fprime;
      for (let j = 0; j < q; j++) stf(wH, j, -ldf(wH, j));
      for (let i = 0; i < n; i++) stf(wV, i, -ldf(wV, i));
      m = breakpoints();
    }
    if (m == 0) { status = STATUS_NUMERICAL; break; }
    const k = bland ? argmin(wKey, wId, m) : wselect(wKey, wWt, wId, m, -fprime, bpTotal, wSel);
    const enter = ldi(wId, k);
    const t = ldf(wKey, k);
    const old = ldi(wSlot, leave);
    if (old >= 0) sti(wLab, old, sigma < 0 ? 1 : -1);
    for (let j = 0; j < q; j++) stf(wB, j, ldf(wB, j) + t * ldf(wH, j));
    if (t != 0) {
      for (let i = 0; i < n; i++) {
        if (ldi(wLab, i) == 0) stf(wR, i, 0.0);
        else stf(wR, i, ldf(wR, i) - t * ldf(wV, i));
      }
    }
    // the long step passed the breakpoints before (t, enter): those rows changed side
    if (!bland) {
      for (let a = 0; a < m; a++) {
        const ka = ldf(wKey, a), i = ldi(wId, a);
        if (ka < t || (ka == t && i < enter)) {
          const l = -ldi(wLab, i);
          sti(wLab, i, l);
          gAddRow(i, <f64>l * wgt(i));
        }
      }
    }
    for (let a = 0; a < m; a++) if (ldf(wKey, a) == t) stf(wR, ldi(wId, a), 0.0);
    if (old >= 0) gAddRow(old, wgt(old) * psi(ldi(wLab, old)));
    gAddRow(enter, -wgt(enter) * psi(ldi(wLab, enter)));
    sti(wLab, enter, 0);
    stf(wR, enter, 0.0);
    sti(wSlot, leave, enter);
    pivots++;
    since++;
    // degenerate: no step, or one whose descent bound t |f'| is lost in F's rounding (rows living
    // at 1e-150 next to O(1) rows make such microscopic steps — and can cycle on them)
    degen = t * viol <= DEGEN_REL * f + EPS * fscale ? degen + 1 : 0;
    f = objective();
    if (f < bestF) { bestF = f; for (let j = 0; j < q; j++) stf(wBest, j, ldf(wB, j)); }
    if (progress(KIND_L1, sweeps + pivots, f, haveDual ? f - dualEst : f) != 0) cancelled = true;
    haveDual = false;
  }
  return status;
}

/** Coordinate descent, crash and simplex on the current problem from wB. */
function plainSolve(cdCap: i32): i32 {
  runCD(cdCap);
  if (cancelled) return STATUS_CANCELLED;
  startSimplex();
  return pivotLoop();
}

// ------------------------------------------------------------------------------------------------
// Globbing (Portnoy & Koenker 1997, Statist. Sci. 12:279 — the preprocessing of quantreg's "pfn").
//
// On large n most residuals at the optimum are far from zero, and only their sign matters: rows
// that surely lie above the fit contribute tau (y_i - a_i.b) whatever b near the optimum is, rows
// surely below (tau - 1)(y_i - a_i.b). Collapsing each side into one "glob" row (sum of w_i a_i,
// sum of w_i y_i) leaves a reduced problem of the rows in a band around the fit plus two globs,
// whose objective is a lower bound of F (rho is subadditive and positively homogeneous) that equals
// F wherever the globbed rows keep their sides. So if its minimiser keeps every globbed row on its
// side (verified on the full data), it minimises F: exactness never depends on the band being right.
// Violators move into the band and the reduced problem is re-solved from its last vertex; too many
// (a band that was too narrow) double the band. The full data then re-prices the reduced basis:
// one refresh, and the certificate, both O(nq) passes over all rows.
//
// The fit the band is drawn around comes from nested subsamples (deterministic: row i belongs to
// the level of share 8^-k when its hash is below 2^32 8^-k, so levels nest): the smallest level is
// solved plainly, and each larger one is globbed around the fit of the one below — the band then
// needs ~GLOB_BAND sqrt(8 q N_k) rows (the residual uncertainty of a fit on N_k / 8 rows) instead
// of pfn's 0.8 (q N)^(2/3) around one subsample of (q N)^(2/3) rows. A caller's warm start (a
// neighbouring tau or lambda on a path) is used directly at the full level. A level whose band
// would hold half its rows gains nothing: the plain solve takes over from the current fit.
//
// Memory: the reduced problem (a copy of its rows, their work regions; up to globCap rows) lives
// after the full layout; membership per row in an n i32 region: a reduced row index (>= 0), or MEMB_*.
// Counters: INFO_GLOB_ROUNDS (reduced problems solved), INFO_GLOB_FIXUPS (rows moved into a band).

/** Rows from which a cold fit takes the globbing path (measured: it pays from ~2e4 rows), and from
 *  which a warm-started one does (a neighbouring fit gives the band directly: pays from ~2e3 rows). */
const GLOB_MIN_DEFAULT: i32 = 20000;
const GLOB_MIN_WARM_DEFAULT: i32 = 2000;
/** Rows of the smallest (plainly solved) level: at least this many, and GLOB_BASE_Q q. */
const GLOB_BASE_DEFAULT: i32 = 2500;
const GLOB_BASE_Q: i32 = 40;
/** Size ratio of consecutive levels (a power of 2: the shares 8^-k are exact). */
const GLOB_GROW: f64 = 8;
/** Band rows at a level of N_k rows: GLOB_BAND sqrt(GLOB_GROW q N_k). */
const GLOB_BAND: f64 = 3;
/** More violators than this share of the band double the band instead of joining it. */
const GLOB_FIX: f64 = 0.1;
/** Reduced solves per level before giving up on globbing (then the plain solve finishes). */
const GLOB_ROUNDS: i32 = 12;
/** Coordinate-descent sweeps on a level's reduced problem, started from the level below's vertex: CD then
 *  crash then pivots (3 sweeps + 109 pivots at 1e5 x 50) beats pivoting from that vertex (449). */
const GLOB_LEVEL_CD: i32 = CD_MAX_SWEEPS;
const MEMB_LO: i32 = -1;   // globbed below the fit (label tau - 1)
const MEMB_HI: i32 = -2;   // globbed above the fit (label tau)
const MEMB_OUT: i32 = -3;  // not in this level, or weight 0
const MEMB_BAND: i32 = -4; // in the band, reduced index not yet assigned

let globMin: i32 = GLOB_MIN_DEFAULT;
let globMinWarm: i32 = GLOB_MIN_WARM_DEFAULT;
let globBase: i32 = GLOB_BASE_DEFAULT;

/** Sets the globbing threshold (rows; for cold and warm-started fits alike) and the smallest level's
 *  size (0: defaults); returns the old threshold. Internal: lets tests exercise the globbing path on
 *  small data. */
export function l1_glob(minRows: i32, baseRows: i32): i32 {
  const old = globMin;
  globMin = minRows > 0 ? minRows : GLOB_MIN_DEFAULT;
  globMinWarm = minRows > 0 ? minRows : GLOB_MIN_WARM_DEFAULT;
  globBase = baseRows > 0 ? baseRows : GLOB_BASE_DEFAULT;
  return old;
}

// ---- full problem (saved at entry) and the reduced area ----
let fN: i32 = 0;
let fNd: i32 = 0;
let fX: usize = 0;
let fXS: i32 = 3;     // X's element shift in the full problem (3: f64, 2: f32); the reduced X is f64
let fY: usize = 0;
let fW: usize = 0;
let fWork: usize = 0;
let gMemb: usize = 0; // fN i32: membership
let gMap: usize = 0;  // cap i32: full row of each reduced row (-1, -2: the globs)
let gX: usize = 0;    // cap * (q - ic) f64: reduced X, column-major with stride = reduced rows
let gY: usize = 0;    // cap f64
let gW: usize = 0;    // cap f64
let gWork: usize = 0; // the reduced problem's n-sized regions (layoutN with cap rows)
let gCap: i32 = 0;
let gN: i32 = 0;      // reduced rows, data rows (band data rows + globs)
let gNd: i32 = 0;
let globRounds: i32 = 0;
let globFixups: i32 = 0;

function useFull(): void {
  n = fN; nd = fNd; pX = fX; pY = fY; pW = fW; pYc = fY; setXS(fXS);
  layoutN(fWork, fN);
}

function useReduced(): void {
  n = gN; nd = gNd; pX = gX; pY = gY; pW = gW; pYc = gY; setXS(3);
  layoutN(gWork, gCap);
}

/** Level membership hash of row i (murmur3's fmix32 of a second stream; integer arithmetic). */
function rowHash(i: i32): u32 {
  let h = <u32>i * 0x85ebca6b + 0x9e3779b9;
  h ^= h >> 16; h *= 0x7feb352d; h ^= h >> 15; h *= 0x846ca68b; h ^= h >> 16;
  return h;
}

/** Membership for a level (rows with hash < thr, or all when all): with band <= 0 every member
 *  joins the band; otherwise the members whose residual (full problem, wR) lies outside the
 *  weighted (tau -+ band / 2 N_k)-quantiles of the members' residuals are globbed. Pseudo-rows
 *  always join the band. */
function classify(thr: u32, all: bool, band: f64): void {
  let m = 0;
  let tw = 0.0;
  for (let i = 0; i < fNd; i++) {
    const w = wgt(i);
    if (!(w > 0) || (!all && rowHash(i) >= thr)) { sti(gMemb, i, MEMB_OUT); continue; }
    sti(gMemb, i, MEMB_BAND);
    if (band > 0) {
      stf(wKey, m, ldf(wR, i));
      stf(wWt, m, w);
      sti(wId, m, i);
      tw += w;
      m++;
    }
  }
  for (let i = fNd; i < fN; i++) sti(gMemb, i, MEMB_BAND);
  if (!(band > 0) || m == 0) return;
  const share = 0.5 * band / <f64>m;
  const tlo = (tau - share) * tw, thi = (tau + share) * tw;
  let klo = -Infinity, khi = Infinity;
  if (tlo > 0) klo = ldf(wKey, wselect(wKey, wWt, wId, m, tlo, tw, wSel));
  if (thi < tw) khi = ldf(wKey, wselect(wKey, wWt, wId, m, thi, tw, wSel));
  for (let i = 0; i < fNd; i++) {
    if (ldi(gMemb, i) == MEMB_OUT) continue;
    const r = ldf(wR, i);
    if (r < klo) sti(gMemb, i, MEMB_LO);
    else if (r > khi) sti(gMemb, i, MEMB_HI);
  }
}

/** Globbed rows on the wrong side of the fit (full residuals in wR) join the band; returns how many. */
function verifyGlobs(): i32 {
  let v = 0;
  for (let i = 0; i < fNd; i++) {
    const m = ldi(gMemb, i);
    if ((m == MEMB_LO && ldf(wR, i) > 0) || (m == MEMB_HI && ldf(wR, i) < 0)) {
      sti(gMemb, i, MEMB_BAND);
      v++;
    }
  }
  return v;
}

/** Builds the reduced problem from the membership (full problem active): band data rows in row
 *  order, the glob below, the glob above (weight c = sum w_i, row and response the w-weighted means:
 *  c rho(ybar - abar.b) = rho(sum_i w_i (y_i - a_i.b))), then the pseudo-rows. The rows of each kind
 *  are listed first (full wId: band, then below, then above, each in row order), so the column
 *  copies and glob sums are branch-free gathers. False when the problem would exceed the area. */
function buildReduced(): bool {
  let a = 0;
  let nLo = 0, nHi = 0;
  let cLo = 0.0, cHi = 0.0;
  for (let i = 0; i < fNd; i++) {
    const m = ldi(gMemb, i);
    if (m >= 0 || m == MEMB_BAND) { sti(gMemb, i, a); a++; }
    else if (m == MEMB_LO) { nLo++; cLo += wgt(i); }
    else if (m == MEMB_HI) { nHi++; cHi += wgt(i); }
  }
  const nb = a;
  const gLo = a;
  if (nLo > 0) a++;
  const gHi = a;
  if (nHi > 0) a++;
  const nr = a + (fN - fNd);
  if (nr > gCap) return false;
  for (let i = fNd; i < fN; i++) sti(gMemb, i, a + (i - fNd));
  gN = nr;
  gNd = a;
  let kb = 0, kl = nb, kh = nb + nLo;
  for (let i = 0; i < fNd; i++) {
    const m = ldi(gMemb, i);
    if (m >= 0) { sti(wId, kb, i); kb++; }
    else if (m == MEMB_LO) { sti(wId, kl, i); kl++; }
    else if (m == MEMB_HI) { sti(wId, kh, i); kh++; }
  }
  for (let c = 0; c <= q - ic; c++) {
    // columns of X, then c = q - ic: the responses
    const src = c < q - ic ? xatx(fX, fN, c, 0) : fY;
    const dst = c < q - ic ? gX + ((<usize>c * <usize>nr) << 3) : gY;
    if (c < q - ic && XS == 2) gatherColumn<f32>(src, dst, nb, nLo, nHi, gLo, gHi, cLo, cHi, a);
    else gatherColumn<f64>(src, dst, nb, nLo, nHi, gLo, gHi, cLo, cHi, a);
  }
  for (let k = 0; k < nb; k++) { const i = ldi(wId, k); stf(gW, k, wgt(i)); sti(gMap, k, i); }
  for (let i = fNd; i < fN; i++) { stf(gW, a + (i - fNd), wgt(i)); sti(gMap, a + (i - fNd), i); }
  if (nLo > 0) { stf(gW, gLo, cLo); sti(gMap, gLo, -1); }
  if (nHi > 0) { stf(gW, gHi, cHi); sti(gMap, gHi, -2); }
  return true;
}

/** One column of buildReduced (entries of type T: X in its storage precision, or y): band rows,
 *  the two globs' weighted means, the pseudo-rows. */
// @ts-ignore: decorator
@inline function gatherColumn<T>(src: usize, dst: usize, nb: i32, nLo: i32, nHi: i32, gLo: i32, gHi: i32,
  cLo: f64, cHi: f64, a: i32): void {
    for (let k = 0; k < nb; k++) stf(dst, k, xld<T>(src, ldi(wId, k)));
    if (nLo > 0) {
      let t = 0.0;
      for (let k = nb; k < nb + nLo; k++) { const i = ldi(wId, k); t += wgt(i) * xld<T>(src, i); }
      stf(dst, gLo, t / cLo);
    }
    if (nHi > 0) {
      let t = 0.0;
      for (let k = nb + nLo; k < nb + nLo + nHi; k++) { const i = ldi(wId, k); t += wgt(i) * xld<T>(src, i); }
      stf(dst, gHi, t / cHi);
    }
    for (let i = fNd; i < fN; i++) stf(dst, a + (i - fNd), xld<T>(src, i));
}

/** After the last reduced solve verified on the full data (full problem active, b in wB): the
 *  reduced basis mapped to full rows and the reduced labels carried over, then the full data
 *  re-prices it (optimal unless rounding says otherwise; then pivots finish on the full data).
 *  A glob in the basis (all its rows at zero residual) falls back to a crash at b. */
function finalStage(redLab: usize): i32 {
  columnScales();
  let mapped = true;
  for (let s = 0; s < q; s++) {
    const i = ldi(wSlot, s);
    if (i < 0) { mapped = false; continue; }
    const f = ldi(gMap, i);
    if (f < 0) mapped = false; else sti(wSlot, s, f);
  }
  // labels: the reduced problem's for band rows and pseudo-rows, the glob's side for globbed rows;
  // rows of weight 0 take +1 (refresh re-derives every label from its residual's sign anyway)
  if (!mapped) residuals(true);
  for (let i = 0; i < n; i++) {
    const m = ldi(gMemb, i), r = mapped ? 1.0 : ldf(wR, i);
    let l = r < 0 ? -1 : 1;
    if (m >= 0) l = ldi(redLab, m);
    else if (m == MEMB_LO) l = -1;
    else if (m == MEMB_HI) l = 1;
    if (!mapped && l == 0) l = r < 0 ? -1 : 1;
    sti(wLab, i, l);
  }
  if (!mapped) {
    for (let j = 0; j < q; j++) sti(wPick, j, -1);
    crash();
    for (let s = 0; s < q; s++) { const i = ldi(wSlot, s); if (i >= 0) sti(wLab, i, 0); }
  }
  pYc = pY;
  bestF = Infinity;
  return pivotLoop();
}

/** The globbing solve (full problem active, wB = start). Returns a status, or -1: not applicable or
 *  given up — the plain solve continues from wB on the full problem. */
function globSolve(userStart: bool): i32 {
  const qd = <f64>q;
  let base = <f64>globBase;
  if (base < <f64>(GLOB_BASE_Q * q)) base = <f64>(GLOB_BASE_Q * q);
  let levels = 0;
  let size = <f64>fNd;
  if (!userStart) while (size / GLOB_GROW >= base) { size /= GLOB_GROW; levels++; }
  if (!userStart && levels == 0) return -1;
  let redLab: usize = 0;
  for (let lev = levels; lev >= 0; lev--) {
    let frac = 1.0;
    for (let k = 0; k < lev; k++) frac /= GLOB_GROW;
    const all = lev == 0;
    const thr: u32 = all ? 0 : <u32>(frac * 4294967296.0);
    const plain = lev == levels && !userStart;
    let band = 0.0;
    if (!plain) {
      band = GLOB_BAND * Math.sqrt(GLOB_GROW * qd * <f64>fNd * frac);
      if (band > 0.5 * <f64>fNd * frac) return -1; // no smaller problem to gain
      residualsOnly();
    }
    classify(thr, all, band);
    let cdCap = plain ? CD_MAX_SWEEPS : GLOB_LEVEL_CD;
    let rounds = 0;
    while (true) {
      if (!buildReduced()) return -1;
      useReduced();
      const st = plainSolve(cdCap);
      globRounds++;
      redLab = wLab;
      useFull();
      pYc = pY;
      if (st == STATUS_CANCELLED || st == STATUS_MAXITER) { haveDual = false; return st; }
      if (st != STATUS_OK) { haveDual = false; return -1; }
      if (plain) break;
      residualsOnly();
      const v = verifyGlobs();
      if (v == 0) break;
      globFixups += v;
      if (++rounds >= GLOB_ROUNDS) { haveDual = false; return -1; }
      if (<f64>v > GLOB_FIX * band) {
        band *= 2;
        classify(thr, all, band);
      }
      cdCap = CD_MAX_SWEEPS; // from the last vertex: a few sweeps save many pivots
    }
  }
  return finalStage(redLab);
}

/**
 * Exact weighted L1 / quantile regression (see the file header and src/abi/kernels.ts).
 * Returns STATUS_OK (certified optimum), STATUS_MAXITER (budget of sweeps + pivots spent; best
 * iterate with an honest gap), STATUS_CANCELLED (progress hook) or STATUS_NUMERICAL.
 */
export function l1_fit(nIn: i32, nData: i32, p: i32, x: usize, y: usize, w: usize, intercept: i32,
  tauIn: f64, maxIter: i32, tol: f64, pStart: usize,
  pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize, xf32: i32): i32 {
  setX(xf32);
  const userStart = pStart != 0;
  if (nData == nIn) {
    // Rank check before solving (quantreg's fn silently returned a 31% worse objective on a
    // rank-deficient design) and, unless the caller gave a start, the weighted least-squares fit as
    // warm start — inside this one kernel call. Penalised fits (pseudo-rows) are always full rank.
    const st = l2_fit(nIn, p, x, y, w, intercept, 0, pCoef, pInfo, pFlags, pWork, xf32);
    if (st == STATUS_RANK_DEFICIENT || st == STATUS_NUMERICAL) return st;
    if (pStart == 0) pStart = pCoef;
  }
  n = nIn; nd = nData; ic = intercept != 0 ? 1 : 0; q = p + ic; tau = tauIn;
  pX = x; pY = y; pW = w; pYc = y; sres = 0;
  fN = nIn; fNd = nData; fX = x; fY = y; fW = w; fWork = pWork; fXS = XS;
  const glob = nIn >= globMin || (userStart && nIn >= globMinWarm);
  const end = layout(pWork);
  if (glob) {
    gCap = globCap(nIn);
    const cF = align16(<usize>gCap << 3), cI = align16(<usize>gCap << 2);
    let e = end;
    gMemb = e; e += align16(<usize>nIn << 2);
    gMap = e; e += cI;
    gX = e; e += align16((<usize>gCap * <usize>p) << 3);
    gY = e; e += cF;
    gW = e; e += cF;
    gWork = e;
  }
  for (let k = 0; k < INFO_LEN; k++) stf(pInfo, k, 0.0);
  for (let k = 0; k < p; k++) sti(pFlags, k, 0);
  const off = 1 - ic; // coefficient j lives at coef slot j + off
  for (let j = 0; j < q; j++) {
    stf(wB, j, pStart != 0 ? ldf(pStart, j + off) : 0.0);
    stf(wBeta, j, 0.0);
    sti(wPick, j, -1);
  }
  sweeps = 0; pivots = 0; maxIt = maxIter;
  cancelled = false; haveDual = false; nonunique = 0;
  globRounds = 0; globFixups = 0;

  let status = -1;
  if (glob) {
    status = globSolve(userStart);
    useFull();
  }
  if (status < 0) status = plainSolve(maxIter < CD_MAX_SWEEPS ? maxIter : CD_MAX_SWEEPS);

  // ---- result ----
  const ok = status == STATUS_OK;
  pYc = pY;
  if (!ok) for (let j = 0; j < q; j++) stf(wB, j, ldf(wBest, j));
  certify(haveDual, ok ? 1.0 : dualAlpha);
  for (let k = 0; k < REFINE_STEPS && ok && certInfeas > REFINE_TOL; k++) {
    refineDuals();
    certifyDual(true, 1.0);
  }
  if (ok) {
    // certified: the dual is feasible and the gap within tol, up to the rounding floor of F(b) —
    // a floor above FLOOR_CAP F means float64 cannot represent a b that fits the basis (cancelling
    // coefficients of 1e100), and the vertex is no answer
    const fs = Math.max(1.0, Math.abs(certPrimal));
    const floor = Math.min(gapFloor(), FLOOR_CAP * fs);
    if (!(certInfeas <= FEAS_TOL && certPrimal - certDual <= tol * fs + floor)) {
      status = STATUS_NUMERICAL;
      // return the best iterate instead when it is better (the CD point, typically)
      const fVertex = certPrimal, dVertex = certDual, zVertex = certZeros, iVertex = certInfeas;
      for (let j = 0; j < q; j++) { stf(wH, j, ldf(wB, j)); stf(wB, j, ldf(wBest, j)); }
      certify(true, 1.0);
      if (!(certPrimal < fVertex)) {
        for (let j = 0; j < q; j++) stf(wB, j, ldf(wH, j));
        certPrimal = fVertex; certDual = dVertex; certZeros = zVertex; certInfeas = iVertex;
      }
    }
  }
  const gap = certPrimal - certDual;
  if (ic) stf(pCoef, 0, ldf(wB, 0)); else stf(pCoef, 0, 0.0);
  for (let j = ic; j < q; j++) stf(pCoef, j + off, ldf(wB, j));
  stf(pInfo, INFO_OBJECTIVE, certPrimal);
  stf(pInfo, INFO_PRIMAL, certPrimal);
  stf(pInfo, INFO_DUAL, certDual);
  stf(pInfo, INFO_GAP, gap);
  stf(pInfo, INFO_ITERATIONS, <f64>sweeps);
  stf(pInfo, INFO_EDGE_STEPS, <f64>pivots);
  stf(pInfo, INFO_RANK, <f64>certZeros);
  stf(pInfo, INFO_NONUNIQUE, ok ? <f64>nonunique : 0.0);
  stf(pInfo, INFO_DUAL_INFEAS, certInfeas);
  stf(pInfo, INFO_GLOB_ROUNDS, <f64>globRounds);
  stf(pInfo, INFO_GLOB_FIXUPS, <f64>globFixups);
  return status;
}
