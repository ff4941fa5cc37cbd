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
// over after DEGEN_BLAND consecutive stalled steps — steps whose entering row's residual was a tie to
// rounding, so b did not move — until a step moves. (Tie-resolving steps on the perturbed data move b
// by ~1e-9 relative and are progress, however little they lower F.) Before Bland's rule takes over
// on perturbed responses the perturbation grows (PERTURB_GROW): stalls there mean the zero test of an
// ill-conditioned basis swallowed it.
//
// Globbing (large n; see "Globbing" below). From GLOB_MIN rows (GLOB_MIN_WARM with a caller's warm
// start) the phases above run on reduced problems — the rows in a band around a subsample's fit plus
// two pseudo-rows that collapse the rows surely above / below it (Portnoy & Koenker 1997) — verified
// on all rows; the last reduced basis is then re-priced on the full data, so the certificate below
// is always the full problem's.
//
// Certificate. primal = F(b) recomputed from the data (on an optimal exit from the final refresh's
// residuals of the same b and y, its zeroed ties recomputed: the same bits, one sweep over X less —
// l1-simplex.ts freshResiduals, l1-certificate.ts certify); dual = r.d (y.d after the translation
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
//
// Issue 18, the integer-design crawl (fixed 2026-12-07). Integer design 6e5 x 50 (bench/degenerate.mjs
// 'intx', also 1e6 x 50), tau = 0.1 stopped at max-iterations: 9,969 pivots, 31 s CPU, all but ~140
// in the last reduced solve of the full level (46,942 band rows) on PERTURBED responses, 78% of
// them stalled and 64% under Bland's rule. Cause (instrumented in the twin): not the equal-key
// bookkeeping of the step — no step ever created a zero residual; every stalled step had t = 0 and
// its "equal keys" were rows already at r = 0 — but refresh's zero test. Its coefficient-uncertainty
// term sum_j |a_ij| beta_j (beta up to 1.2e3 ZERO_RES on the bases of that solve, ~1e-7 absolute
// against a ~4e-8 perturbation) swallowed the ~1e-9 relative perturbation, so each refresh zeroed 1
// to 536 perturbed non-basic residuals; those rows sat at r = 0 unordered by the perturbation, each
// edge crossing them took a zero step, and Bland's rule re-entered them one by one. Fix
// (l1-simplex.ts pivotLoop, PERTURB_GROW in l1-state.ts): when DEGEN_BLAND consecutive steps stall on
// the perturbed responses, every row's perturbation grows 8x (at most 3 times per simplex start) and
// the vertex is refreshed before Bland's rule would take over. Measured (CPU, load ~20; twin pivot
// counts equal the kernel's): 6e5 x 50 tau 0.1 optimal in 31 sweeps + 675 pivots, 5.2 s; 1e6 x 50
// in 28 + 727, 6.5 s; plain 5,000 x 50 intx, N(0, 0.25) noise, tau 0.9: 345 pivots (169 stalled, 71 under
// Bland) -> 207 (test/kernels/l1-degenerate-kernel.test.ts); intx 1e6 x 10 tau 0.1 / 0.5 / 0.9:
// 141 / 183 / 247 pivots -> 146 / 183 / 159; 1e5 x 10 and 1e5 x 50 cells unchanged (no stalls).
// The intx cells at 1e5 need ~3x the pivots of continuous data (1e5 x 50 tau 0.5: 13 sweeps + 483
// pivots, ~420 of them in the full level's band solve of 19,267 rows) without stalling: 26% of the
// band's rows lie exactly on the optimal hyperplane, and the simplex walks the perturbed vertices of
// that face. Since 2026-12-07 (h18v) those pivots run on the rows near zero only ("Face restriction",
// l1-simplex.ts pivotLoop: O(|C| q) a pivot, 949 -> 546 ms there), and coordinate descent stops when
// its sweeps converge slowly (CD_SLOW; 1e5 x 10 tau 0.9: 16 -> 10 sweeps, 64 -> 52 ms). The walk
// itself (its pivot count) is unchanged.
// Session 8 (h18w): measured per pivot first (intx 1e5 x 50): pricing's steepest-edge lengths were
// 41 solves a pivot — now updated across pivots (l1-simplex.ts nextEdgeLengths, 2 solves), same
// pivots, 522 -> 482 ms. At 1e6 x 50 the walk was on the full level: CD had reached the optimal F on
// a band of 61,031 rows of which 49,464 tie at b*, and ~600 full-band pivots walked the perturbed
// face (restriction cannot help when the face is 80% of the band). Face descent (l1-simplex.ts
// faceDescent: CD on the perturbed responses from a CD point with >= q zero residuals) solves most
// of that walk in 7 sweeps: 1153 -> 658 pivots, 4.1 -> 2.2-2.5 s CPU. What is left there: the levels
// below the full one (~520 pivots: their CD points are not degenerate, and continuing CD on them cost
// more than the pivots it saved: 1e5 x 50 tau 0.5 39 sweeps + 161 pivots, 778 ms, against 13 + 483,
// 628 ms), the least-squares rank check / warm start on all rows (~250 ms at 1e6 x 50) and the final
// re-price and certificate on all rows (~450 ms).
// The nid summary (issue item 2) at 1e6 x 10 intx tau 0.5 stops with RANK_DEFICIENT, "the fits at
// tau +- h coincide" (integer data: the solution is piecewise constant in tau) — a summary.ts decision.
//
// Files: l1-state.ts (tolerances, the current problem, work regions, inline helpers), l1-lu.ts (the
// basis LU), l1-simplex.ts (residual bookkeeping, coordinate descent, crash, pivots), l1-certificate.ts,
// l1-glob.ts (the globbing driver), l1-rank.ts (the least-squares rank check alongside a globbing solve,
// and the smallest level's own least-squares start), and this file: the entry points. Problem and region pointers are
// module globals of l1-state.ts, set at entry (the kernel is not re-entrant from the progress hook);
// each is written by one file only. The twin (src/twin/l1*.ts) has the same files and functions.
import {
  INFO_LEN, INFO_OBJECTIVE, INFO_ITERATIONS, INFO_RANK, INFO_PRIMAL, INFO_DUAL, INFO_GAP,
  INFO_NONUNIQUE, INFO_DUAL_INFEAS, INFO_EDGE_STEPS, INFO_GLOB_ROUNDS, INFO_GLOB_FIXUPS,
} from "./info";
import { STATUS_OK, STATUS_RANK_DEFICIENT, STATUS_NUMERICAL } from "./status";
import { l2Solve, l2_work_bytes } from "./l2";
import { XS, setX } from "./xload";
import { SELECT_SCRATCH_BYTES } from "./select";
import { ldf, stf, sti } from "./mem";
import {
  CD_MAX_SWEEPS, FEAS_TOL, FLOOR_CAP, REFINE_STEPS, REFINE_TOL,
  q, ic, wB, wBest, wH, wBeta, wPick, regionBytes, layout, rsCapRows, setProblem, setShape, useResponses,
} from "./l1-state";
import { plainSolve, resetRun, sweeps, pivots, haveDual, nonunique, dualAlpha, freshResiduals } from "./l1-simplex";
import { certify, certifyDual, gapFloor, refineDuals } from "./l1-certificate";
import { rankDefer, rankOff, rankSettle } from "./l1-rank";
import {
  globMin, globMinWarm, globBytes, globBegin, globSolve, useFull, globRounds, globFixups, globStartResiduals,
} from "./l1-glob";

export { l1_glob } from "./l1-glob";

/** 0: certify always recomputes the residuals from X (tests compare that path's certificates with
 *  the default one's, which starts from the final refresh's residuals when they are fresh). */
let forceRecompute: i32 = 0;

/** Internal (tests): on = 0 makes the certificate recompute the residuals from X (see certify's
 *  `fresh`); returns the previous setting (1 = the fresh residuals are used). */
export function l1_fresh(on: i32): i32 {
  const old = forceRecompute == 0 ? 1 : 0;
  forceRecompute = on == 0 ? 1 : 0;
  return old;
}

/** Work-region bytes for l1_fit(n, ., p, ...): 6n f64 + 2n i32 + 9q f64 + 3q i32 + 2q^2 f64 + the
 *  selection sample + the face restriction's copy of rows of X (rsCapRows), q = p + 1 (the intercept is counted whether or not it is fitted), plus, when
 *  n >= the globbing threshold, the reduced-problem area (globBytes). Must match layout(). */
export function l1_work_bytes(n: i32, p: i32): f64 {
  const own = ownBytes(n, p);
  const l2 = l2_work_bytes(n, p);
  // on the globbing path without a start the rank check runs alongside (l1-rank.ts): its own region
  // after the L1 layout; otherwise it runs in the same region first
  if (n >= globMin) return own + 16 + l2;
  return own > l2 ? own : l2;
}

/** The L1 layout's bytes (layout and the globbing area). */
function ownBytes(n: i32, p: i32): f64 {
  const qq = <f64>p + 1;
  let own = 6 * regionBytes(8 * <f64>n) + 2 * regionBytes(4 * <f64>n) + 9 * regionBytes(8 * qq) +
    3 * regionBytes(4 * qq) + 2 * regionBytes(8 * qq * qq) + <f64>SELECT_SCRATCH_BYTES;
  own += 16 + regionBytes(8 * <f64>rsCapRows(n, p) * <f64>p); // the face restriction's rows of X
  own += globBytes(n, p);
  return own;
}

/**
 * Exact weighted L1 / quantile regression (see the file header and src/abi/kernels.ts).
 * Returns STATUS_OK (certified optimum), STATUS_MAXITER (budget of sweeps + pivots spent; best
 * iterate with an honest gap), STATUS_CANCELLED (progress hook) or STATUS_NUMERICAL.
 */
export function l1_fit(nIn: i32, nData: i32, p: i32, x: usize, y: usize, w: usize, intercept: i32,
  tauIn: f64, maxIter: i32, tol: f64, pStart: usize,
  pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize, xf32: i32, fullRank: i32, pStartR: usize): i32 {
  setX(xf32);
  const userStart = pStart != 0;
  // fullRank != 0 with a start (the caller has verified this design's rank, e.g. nid's refits on the
  // Dataset a certified fit already checked): neither the check nor the least-squares start is needed
  const check = nData == nIn && !(fullRank != 0 && userStart);
  // the globbing path without a start: the check alongside the solve, the smallest level's own
  // least-squares fit as its start (l1-rank.ts)
  const defer = check && !userStart && nIn >= globMin;
  if (check && !defer) {
    // Rank check before solving (quantreg's fn silently returned a 31% worse objective on a
    // rank-deficient design) and, unless the caller gave a start, the weighted least-squares fit as
    // warm start — inside this one kernel call. Penalised fits (pseudo-rows) are always full rank.
    // The warm start need not be refined: l2Solve's inner mode (IRLS's intermediate solve) gives the
    // same rank decision and flags and skips the refinement and objective passes when the Cholesky
    // bound allows (1e5 x 10: ~3 of the fit's ~58 ms CPU; ols() itself is ~6 ms). On the globbing
    // path without a start the same check runs alongside the solve instead (l1-rank.ts).
    const st = l2Solve(nIn, p, x, y, w, intercept, 0, pCoef, pInfo, pFlags, pWork, 1);
    if (st == STATUS_RANK_DEFICIENT || st == STATUS_NUMERICAL) return st;
    if (pStart == 0) pStart = pCoef;
  }
  setShape(p, intercept, tauIn);
  setProblem(nIn, nData, x, y, w);
  const glob = nIn >= globMin || (userStart && nIn >= globMinWarm);
  globBegin(nIn, nData, p, x, y, w, XS, pWork, layout(pWork), glob);
  // pStartR (with a start, unpenalised): the start's residuals and the data's maxima, computed by the
  // caller once for several refits (summary's nid): the globbing solve's first residual pass reads them
  globStartResiduals(userStart && nIn == nData ? pStartR : 0);
  if (defer) {
    const l2Work = (pWork + <usize>ownBytes(nIn, p) + 15) & ~(<usize>15);
    rankDefer(nIn, p, x, y, w, intercept, XS, l2Work, pCoef, pInfo, pFlags);
  } else rankOff();
  for (let k = 0; k < INFO_LEN; k++) stf(pInfo, k, 0.0);
  for (let k = 0; k < p; k++) sti(pFlags, k, 0);
  const off = 1 - ic; // coefficient j lives at coef slot j + off
  for (let j = 0; j < q; j++) {
    stf(wB, j, pStart != 0 ? ldf(pStart, j + off) : 0.0);
    stf(wBeta, j, 0.0);
    sti(wPick, j, -1);
  }
  resetRun(maxIter);

  let status = -1;
  if (glob) {
    status = globSolve(userStart);
    useFull();
  }
  const rank = rankSettle(status); // the deferred check decided (l1-rank.ts): the globbing work is discarded
  if (rank >= 0) return rank;
  if (status < 0) status = plainSolve(maxIter < CD_MAX_SWEEPS ? maxIter : CD_MAX_SWEEPS);

  // ---- result: certify writes INFO_PRIMAL, INFO_DUAL, INFO_DUAL_INFEAS and INFO_RANK (zero
  // residuals) of the final b; optimal, from the last refresh's residuals when they are those of
  // this b and y (freshResiduals) ----
  const ok = status == STATUS_OK;
  useResponses(y);
  if (!ok) for (let j = 0; j < q; j++) stf(wB, j, ldf(wBest, j));
  const fresh = freshResiduals() && ok && forceRecompute == 0;
  certify(haveDual, ok ? 1.0 : dualAlpha, pInfo, fresh);
  for (let k = 0; k < REFINE_STEPS && ok && ldf(pInfo, INFO_DUAL_INFEAS) > REFINE_TOL; k++) {
    refineDuals();
    certifyDual(true, 1.0, pInfo);
  }
  if (ok) {
    // certified: the dual is feasible and the gap within tol, up to the rounding floor of F(b) —
    // a floor above FLOOR_CAP F means float64 cannot represent a b that fits the basis (cancelling
    // coefficients of 1e100), and the vertex is no answer
    const primal = ldf(pInfo, INFO_PRIMAL);
    const fs = Math.max(1.0, Math.abs(primal));
    const floor = Math.min(gapFloor(), FLOOR_CAP * fs);
    if (!(ldf(pInfo, INFO_DUAL_INFEAS) <= FEAS_TOL && primal - ldf(pInfo, INFO_DUAL) <= tol * fs + floor)) {
      status = STATUS_NUMERICAL;
      // return the best iterate instead when it is better (the CD point, typically)
      const dVertex = ldf(pInfo, INFO_DUAL), zVertex = ldf(pInfo, INFO_RANK), iVertex = ldf(pInfo, INFO_DUAL_INFEAS);
      for (let j = 0; j < q; j++) { stf(wH, j, ldf(wB, j)); stf(wB, j, ldf(wBest, j)); }
      certify(true, 1.0, pInfo);
      if (!(ldf(pInfo, INFO_PRIMAL) < primal)) {
        for (let j = 0; j < q; j++) stf(wB, j, ldf(wH, j));
        stf(pInfo, INFO_PRIMAL, primal); stf(pInfo, INFO_DUAL, dVertex);
        stf(pInfo, INFO_RANK, zVertex); stf(pInfo, INFO_DUAL_INFEAS, iVertex);
      }
    }
  }
  const primal = ldf(pInfo, INFO_PRIMAL);
  if (ic) stf(pCoef, 0, ldf(wB, 0)); else stf(pCoef, 0, 0.0);
  for (let j = ic; j < q; j++) stf(pCoef, j + off, ldf(wB, j));
  stf(pInfo, INFO_OBJECTIVE, primal);
  stf(pInfo, INFO_GAP, primal - ldf(pInfo, INFO_DUAL));
  stf(pInfo, INFO_ITERATIONS, <f64>sweeps);
  stf(pInfo, INFO_EDGE_STEPS, <f64>pivots);
  stf(pInfo, INFO_NONUNIQUE, ok ? <f64>nonunique : 0.0);
  stf(pInfo, INFO_GLOB_ROUNDS, <f64>globRounds);
  stf(pInfo, INFO_GLOB_FIXUPS, <f64>globFixups);
  return status;
}
