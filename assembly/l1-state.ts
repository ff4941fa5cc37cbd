// State and tuning of the L1 kernel (assembly/l1.ts): the tolerances with their reasons, the current
// problem (the caller's, or a reduced one while globbing: assembly/l1-glob.ts) and its work regions,
// and the small inline helpers every phase uses. Twin: src/twin/l1-state.ts.
//
// Why module globals: the kernel never allocates and is not re-entrant (the progress hook may not
// call back into it), so the problem and the region pointers are set once per call (setProblem,
// layout) and read everywhere; the other l1-*.ts files read these bindings and never assign them —
// every write goes through a function of this file. Results of a phase are returned (or written to
// the caller's regions), not passed through globals.
import { xat, xatx, ldx } from "./xload";
import { SELECT_SCRATCH_BYTES } from "./select";
import { ldf } from "./mem";

/** |r_i| <= ZERO_RES s_i + sum_j |a_ij| beta_j counts as a zero residual: s_i = |y_i| +
 *  sum_j |a_ij b_j| bounds the rounding of r_i itself (ZERO_RES ~ 4500 ulp), and beta_j bounds how
 *  well the basis determines b_j (see coefficientUncertainty). The second term makes rows that live
 *  far below the scale of the basic rows (1e-150 next to O(1) data) ties, where the sign of their
 *  residual is noise and would make the simplex cycle; the first keeps a tiny but well-determined
 *  residual (3e-13 on a row of weight 1e6) a residual. */
export const ZERO_RES: f64 = 1e-12;
/** |v_i| <= ZERO_DIR sum_j |a_ij h_j|: row i is (numerically) parallel to the edge and may not enter
 *  the basis — a pivot tolerance, as in every LP code: it keeps M away from singular. */
export const ZERO_DIR: f64 = 1e-9;
/** A zero-residual row joins the crash basis when its component orthogonal to the rows already
 *  taken keeps at least this share of its (column-scaled) norm. */
export const INDEP: f64 = 1e-7;
/** The crash stops looking at zero-residual rows after CRASH_REJECT q dependent ones. */
export const CRASH_REJECT: i32 = 64;
/** Dual box tolerance: a basic d_k may exceed [w_k (tau-1), w_k tau] by DUAL_TOL w_k + DUAL_ABS D,
 *  D = sum_i |d_i| (the dual mass), or by what the certificate cannot see on rows far smaller than
 *  their columns' scale (see hiddenViolation). Clipping it into the box then moves A^T d by at most
 *  that much, which is below FEAS_TOL in the certificate's own measure, and the D term keeps pivots
 *  from chasing the solve's noise (~eps cond D) on rows of tiny weight. */
export const DUAL_TOL: f64 = 1e-9;
export const DUAL_ABS: f64 = 1e-10;
/** A certificate whose DUAL_INFEAS (backward error of A^T d = 0, see certifyDual) exceeds this
 *  (~sqrt(eps)) is not one. */
export const FEAS_TOL: f64 = 1.5e-8;
/** Unit roundoff of f64, and its smallest subnormal. */
export const EPS: f64 = 2.220446049250313e-16;
export const SUBNORMAL_MIN: f64 = 5e-324;
/** The rounding floor of F(b) excuses a gap only up to this share of F. */
export const FLOOR_CAP: f64 = 1e-6;
/** Iterative refinement of the final duals while their relative |A^T d| exceeds REFINE_TOL. */
export const REFINE_TOL: f64 = 1e-13;
export const REFINE_STEPS: i32 = 2;
/** Coordinate descent stops when a sweep decreases F by less than CD_REL min(1, sqrt(CD_N0 / n)) of
 *  it. A sweep and a pivot both cost O(nq), but one more sweep saves more pivots as n grows
 *  (n = 1e6, q = 51: 242 pivots after 3 sweeps, 134 after 4 — measured, 35 s vs 19 s). */
export const CD_REL: f64 = 1e-6;
export const CD_N0: f64 = 1e4;
/** ... and, from its third sweep, once it converges slowly: a sweep that gains more than CD_SLOW of
 *  the one before but at most CD_SLOW_GAIN of F. CD on a non-smooth objective converges linearly at
 *  best, and on discrete data it zig-zags (integer design 1e5 x 10, tau 0.9: on the 8,355-row band
 *  10 sweeps, each gaining ~0.67 of the one before); the simplex finishes in fewer O(nq) steps
 *  than those sweeps cost. Measured (CPU, A/B in one process, load ~8): intx 1e5 x 10 tau 0.1 / 0.5
 *  / 0.9 59 -> 50, 69 -> 61, 64 -> 52 ms; gaussian 1e5 x 50 tau 0.1 / 0.9 400 -> 356, 416 -> 364 ms;
 *  other families at 1e5 x 10 within noise. */
export const CD_SLOW: f64 = 0.5;
export const CD_SLOW_GAIN: f64 = 1e-4;
/** ... on problems of at least CD_SLOW_MIN rows (where sweeps cost; on small data the rule only
 *  changed which vertex of a non-unique optimum is returned: test/estimators/rank.test.ts). */
export const CD_SLOW_MIN: i32 = 2048;
/** Coordinate descent sweep cap (it is a warm start; the simplex finishes). */
export const CD_MAX_SWEEPS: i32 = 50;
/** Pivots between recomputations of b, r and g from scratch. */
export const REFRESH: i32 = 16;
/** Relative size of the response perturbation that breaks ties while the simplex runs: row i's
 *  response moves by PERTURB (s_i + S) times a pseudo-random factor in +-[1/2, 1), with s_i =
 *  |y_i| + sum_j |a_ij b_j| and S its median (typicalScale) at the CD point — 500x the zero-residual
 *  tolerance, 1e5x the rounding of a residual. The S term reaches rows with s_i = 0 (e.g. lasso
 *  pseudo-rows of coefficients at zero, the most degenerate rows there are). */
export const PERTURB: f64 = 1e-9;
/** Growth of the perturbation when it is too small for the vertex at hand: after DEGEN_BLAND
 *  consecutive stalled steps on the perturbed responses, every row's perturbation is multiplied by
 *  PERTURB_GROW and b, r, g are refreshed before Bland's rule would take over — at most
 *  PERTURB_GROWTHS times per simplex start (<= 512 PERTURB). The stalls come from the zero test of
 *  residuals(true): its coefficient-uncertainty term sum_j |a_ij| beta_j can exceed the perturbation
 *  on an ill-conditioned basis (integer designs: beta up to ~1e3 ZERO_RES, ~1e-7 absolute against
 *  a ~4e-8 perturbation), and the rows it zeroes sit at r = 0 unordered by the perturbation, where
 *  every edge that crosses them takes a zero step and Bland's rule re-enters them one by one
 *  (integer design 6e5 x 50, tau 0.1: max-iterations after 9,969 pivots, issue 18; with the growth:
 *  optimal in 675). Growing at every refresh that found such a zeroed row, stalls or not, fixed that
 *  too (578 pivots) but moved the perturbed optimum of mild cases to another vertex of the degenerate
 *  optimal face, around which a globbing band missed rows (1e6 x 10, tau 0.5: 183 -> 336 pivots,
 *  969,614 fix-ups); growing only the zeroed rows' perturbations (6 times at most) did not end the
 *  6e5 x 50 crawl. */
export const PERTURB_GROW: f64 = 8;
export const PERTURB_GROWTHS: i32 = 3;
/** Consecutive stalled pivots — the residual a step crosses to reach its entering row is within
 *  that row's zero tolerance (a tie to rounding: b does not really move) — before Bland's rule
 *  takes over, until a step moves. A step that crosses a real residual, however small against F,
 *  is progress: on the perturbed responses (PERTURB) of tied data the steps that resolve the ties
 *  move b by ~1e-9 relative and lower F by ~1e-15 of it, and counting those as stalls put the
 *  simplex under Bland's rule for good (integer design 7e5 x 10, tau 0.1: 2,800 pivots at 1e-12
 *  steps, stopped at maxIter — issue 18). */
export const DEGEN_BLAND: i32 = 8;
/** Face descent (l1-simplex.ts startSimplex): when the coordinate-descent point has more than q zero
 *  residuals (a degenerate vertex: integer designs put ~80% of a 1e6 x 50 band on it), coordinate
 *  descent goes on on the perturbed responses until a sweep gains at most FACE_TOL of the
 *  perturbation's mass sum_i w_i |yp_i - y_i|, or FACE_MAX_SWEEPS sweeps ... */
export const FACE_TOL: f64 = 1e-6;
export const FACE_MAX_SWEEPS: i32 = 40;
/** ... or once two sweeps in a row gained more than FACE_SLOW of the one before: CD crawling along a
 *  valley (intx 8,000 x 5 on {-1, 0, 1}, noise 0.3: two coefficients moving together by 1e-8 a
 *  sweep, the same gain each time, for all 40 sweeps). Integer design 1e6 x 50 (7 sweeps) keeps
 *  contracting. */
export const FACE_SLOW: f64 = 0.8;
/** ... on problems of at least FACE_MIN_ROWS rows, where a walk over the face costs (on small data it
 *  only changed the path: a fuzz-found case with denormal and 1e12 entries, weights 1e-6..1e6, ended
 *  STATUS_NUMERICAL from the other start — test/kernels/l1-kernel.test.ts, regressions). */
export const FACE_MIN_ROWS: i32 = 2048;
/** Face restriction (l1-simplex.ts pivotLoop): a problem of at least RS_MIN_ROWS rows may pivot on
 *  a subset C of at most half its rows, whose rows of X are copied row-major into wXc — at most
 *  RS_XC_F64 values (8 MiB), so C holds at most rsCapRows(n, p) rows. */
export const RS_MIN_ROWS: i32 = 2048;
export const RS_XC_F64: i32 = 1 << 20;
export function rsCapRows(n: i32, pc: i32): i32 {
  if (n < RS_MIN_ROWS) return 0;
  const c = RS_XC_F64 / (pc > 1 ? pc : 1);
  return c < (n >> 1) ? c : n >> 1;
}
/** Rows per block in the O(nq) passes: the block's slices of r, v and their scales stay in L1
 *  cache while the columns of X stream past (DESIGN.md §3: row blocking beats SIMD out of cache). */
export const BLOCK: i32 = 512;
/** Progress-hook kind for L1 / quantile (assembly/env.ts). */
export const KIND_L1: i32 = 1;

// ---- problem (set at entry) ----
export let n: i32 = 0;
export let nd: i32 = 0;
export let q: i32 = 0;
export let ic: i32 = 0; // 1 when coefficient 0 is the intercept
export let tau: f64 = 0.5;
let pX: usize = 0;
export let pY: usize = 0;
export let pYc: usize = 0;   // responses in use: pY, or wYp while the simplex runs on perturbed data
let pW: usize = 0;
// ---- work regions ----
export let wR: usize = 0;    // n f64: residuals
export let wV: usize = 0;    // n f64: edge image v = A h
export let wVA: usize = 0;   // n f64: sum_j |a_ij h_j| (pivot tolerance), or the residual scale (residuals())
export let wKey: usize = 0;  // n f64: selection keys; scratch
export let wWt: usize = 0;   // n f64: selection weights
export let wId: usize = 0;   // n i32: selection row ids
export let wLab: usize = 0;  // n i32: +1 (label tau), -1 (label tau-1), 0 (basic)
export let wB: usize = 0;    // q f64: coefficients (internal order: intercept first when present)
export let wBest: usize = 0; // q f64: best iterate
export let wH: usize = 0;    // q f64: edge direction
export let wU: usize = 0;    // q f64: basic duals
export let wG: usize = 0;    // q f64: g = sum over non-basic rows of w psi a
export let wCS: usize = 0;   // q f64: column scales s_j (powers of 2, see columnScales)
export let wBeta: usize = 0; // q f64: beta_j / ZERO_RES, uncertainty of b_j at the current vertex (0 in CD)
export let wT: usize = 0;    // q f64: scratch
export let wGam: usize = 0;  // q f64: squared edge lengths of the basis slots (steepest-edge pricing, l1-simplex.ts)
export let wSlot: usize = 0; // q i32: basis slots: row i >= 0, or -1 - j for the unit row e_j
export let wPiv: usize = 0;  // q i32: LU row interchanges
export let wPick: usize = 0; // q i32: row at which coordinate j's last CD step stopped (-1: none)
export let wLU: usize = 0;   // q*q f64: the column-scaled basis matrix M^, then its LU factors
export let wQ: usize = 0;    // q*q f64: orthonormal rows (crash)
export let wYp: usize = 0;   // n f64: perturbed responses (degeneracy breaking)
export let wSel: usize = 0;  // SELECT_SCRATCH_BYTES: selection sample
export let wXc: usize = 0;   // rsCap x (q - ic) f64: rows of X in C, row-major (face restriction)
export let rsCap: i32 = 0;   // rows wXc holds

/** X (column-major, n rows, in the storage precision XS) and the weights (0: none) of the problem in
 *  use, for passes that hand them to items (l1-rows.ts). */
export function dataX(): usize { return pX; }
export function dataW(): usize { return pW; }

/** Weight of row i (1 when no weights were given). */
// @ts-ignore: decorator
@inline export function wgt(i: i32): f64 { return pW == 0 ? 1.0 : ldf(pW, i); }

/** Pointer to the X column of coefficient j >= ic. */
// @ts-ignore: decorator
@inline export function col(j: i32): usize { return xatx(pX, n, j - ic, 0); }
/** The same for hot loops generic over the storage type T of X. */
// @ts-ignore: decorator
@inline export function colT<T>(j: i32): usize { return xat<T>(pX, n, j - ic, 0); }

/** Entry a_ij of the design including the implicit intercept column. */
export function aij(i: i32, j: i32): f64 {
  if (j < ic) return i < nd ? 1.0 : 0.0;
  return ldx(col(j), i);
}

/** rho_tau(r) */
// @ts-ignore: decorator
@inline export function rho(r: f64): f64 { return r < 0 ? (tau - 1.0) * r : tau * r; }

/** Label weight psi: tau for label +1, tau - 1 for label -1. */
// @ts-ignore: decorator
@inline export function psi(l: i32): f64 { return l > 0 ? tau : tau - 1.0; }

// @ts-ignore: decorator
@inline export function align16(b: usize): usize { return (b + 15) & ~<usize>15; }

/** Pseudo-random factor in +-[1/2, 1) for row i: murmur3's fmix32 of the row number (integer
 *  arithmetic, identical in both backends). */
export function jitter(i: i32): f64 {
  let h = <u32>i * 0x9e3779b1;
  h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
  const u = 0.5 + <f64>(h >> 9) * (0.5 / 8388608.0);
  return (h & 1) != 0 ? -u : u;
}

/** Bytes rounded up to the 16-byte alignment of every region (f64: sizes may exceed 4 GiB). */
export function regionBytes(b: f64): f64 { return Math.ceil(b / 16) * 16; }

/** Points the n-sized regions at base for a problem of up to cap rows; returns the end. */
export function layoutN(base: usize, cap: i32): usize {
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

export function layout(pWork: usize): usize {
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
  wGam = p; p += qF;
  wSlot = p; p += qI;
  wPiv = p; p += qI;
  wPick = p; p += qI;
  wLU = p; p += qq;
  wQ = p; p += qq;
  wSel = p;
  p += <usize>SELECT_SCRATCH_BYTES;
  wXc = align16(p);
  rsCap = rsCapRows(n, q - ic);
  return wXc + ((<usize>rsCap * <usize>(q - ic)) << 3);
}

/** The problem in use: n rows of which nd data rows, X at x, responses y, weights w (0: none). The
 *  responses in use (pYc) are reset to y. */
export function setProblem(nIn: i32, ndIn: i32, x: usize, y: usize, w: usize): void {
  n = nIn; nd = ndIn; pX = x; pY = y; pW = w; pYc = y;
}

/** Coefficients: q = p + intercept, and the quantile. */
export function setShape(p: i32, intercept: i32, tauIn: f64): void {
  ic = intercept != 0 ? 1 : 0; q = p + ic; tau = tauIn;
}

/** The responses the residuals are computed against: pY, or the perturbed wYp (l1-simplex.ts). */
export function useResponses(p: usize): void { pYc = p; }
