// Huber and smooth-L1 regression by iteratively reweighted least squares: irls_work_bytes, irls_fit.
// Mirrored statement for statement by the TypeScript twin src/twin/irls.ts: the two backends perform the
// same IEEE operations in the same order (no FMA; the SIMD residual pass computes each lane exactly as
// the twin's scalar loop does), and l2_fit is bit-identical across backends, so irls_fit is too.
//
// Losses (w_i >= 0 the caller's weights, r_i = y_i - b0 - x_i . b, B = sum_j b_j^2, lambda = ridge):
//
//  Huber, H_d(z) = z^2 for |z| <= d, 2 d |z| - d^2 otherwise (so that d -> Inf gives least squares):
//   * fixed scale s (scale > 0):  F_s(b) = sum_i w_i s^2 H_d(r_i / s) + lambda B.
//   * estimated scale (scale <= 0): Huber's proposal 2 written as one jointly convex problem
//     (Huber 1981, Robust Statistics, §7.7; the concomitant-scale form also used by Owen 2007 and,
//     with another constant, by scikit-learn's HuberRegressor):
//        Q(b, s) = sum_i w_i s H_d(r_i / s) + lambda B / s + A s,   s > 0,
//     A = W (1 - p'/n+) beta(d), W = sum w_i, n+ = #{w_i > 0}, p' = min(p + intercept, n+ - 1),
//     beta(d) = E min(Z^2, d^2) for Z ~ N(0, 1). Its stationarity conditions are Huber's proposal 2
//     estimating equations sum w psi(r/s) x = 0 and sum w psi(r/s)^2 + lambda B / s^2 = A
//     (psi = clip(., -d, d)); with unit weights and no ridge they are exactly those solved by
//     statsmodels RLM(norm=HuberT(d), scale_est=HuberScale(d)), and s is Fisher-consistent for the
//     error standard deviation at the normal model. At fixed s, s Q = F_s + A s^2, so the
//     coefficients minimise F_s at the reported scale. Q -> 2 d sum w |r| as s -> 0.
//  Smooth-L1 (pseudo-Huber / Charbonnier), e > 0:
//        S_e(b) = sum_i w_i (sqrt(r_i^2 + e^2) - e) + lambda B,
//     e = param when param > 0, else e = |param| * s0 with s0 = 1.4826 * weighted MAD of the residuals
//     of the weighted (ridge) least-squares fit — computed even when pStart is given, so a warm start
//     never changes the problem (fallbacks: 1.2533 * weighted mean absolute deviation from the median,
//     then 2^-52 * max |y|). This keeps the fit equivariant under y -> a y + X g.
//
// Algorithm (Holland & Welsch 1977): majorise-minimise. Start from the weighted (ridge) L2 fit, or
// from pStart. Each iteration (1) builds IRLS weights u_i from the current residuals — Huber:
// w_i min(1, c/|r_i|) with c = d s; smooth-L1: w_i e / sqrt(r_i^2 + e^2) — (2) calls l2_fit with u
// (and ridge lambda for Huber, 2 e lambda for smooth-L1: the majoriser scaled by 2 e so u <= w) and
// (3) for Huber with estimated scale minimises Q over s exactly (huberSigma). Each step decreases the
// objective. IRLS converges only linearly, slowly for smooth-L1 with small e (180-250 steps measured
// at the default e), so smooth-L1 first runs Newton steps with a truncated Hessian (smoothNewton: the
// Gram matrix of the rows with |r| <= c e only, exact gradient, one fused pass over X per trial point,
// chord steps reusing the factor once the steps are small; 6-8 steps from the pilot at 1e5-1e6 rows,
// 30 from least squares at 1e4 x 100 measured), and hands what it cannot finish to the loop: once a smooth-L1 step moved the
// fitted values by at most NEWTON_SWITCH * S, the loop's steps are damped Newton steps on the exact
// Hessian (a weighted least-squares problem for l2_fit: newtonSystem), halved until the objective does
// not grow beyond rounding, with the IRLS step as fallback. Converged when the fitted values moved by
// at most tol * S in the last step (S = the Huber scale, or max(e, mean |r|) for smooth-L1), or by
// at most 16 eps times the size of the terms of the residuals (the rounding floor). The weighted
// solves of intermediate steps (and the start) use
// l2Solve's inner mode — no double-double refinement when the Cholesky factor's error bound is small,
// no objective pass — until a step moves the fitted values by at most INNER_SWITCH tol S (or stops
// shrinking); from then on every solve is l2_fit's, and convergence is declared only on such a step,
// so the returned iterate has l2_fit's accuracy (same iteration counts measured). maxIter steps at
// most: then STATUS_MAXITER with the last iterate. A failed weighted solve (extreme weights) also
// ends the loop with the last iterate (STATUS_STALLED: the front-end says 'stalled').
// Zero scale (an exact fit of a large enough share of the rows) is a defined result: s = 0 is
// reported, and the weights use s = 2^-52 max |y| instead (an L1-type reweighting).
//
// Outputs: coefficients [b0, b_1..b_p] in pCoef; info: OBJECTIVE (F_s, Q or S_e as above),
// ITERATIONS (reweighting / Newton steps), SCALE (Huber: the scale s, estimated or fixed; smooth-L1:
// the e used), OUTLIERS (Huber: rows with |r| > d s; smooth-L1: 0), and RCOND / METHOD / RANK / REFINE
// of the last l2_fit call; flags as l2_fit's (rank deficiency is reported only from the first solve).
// Statuses: OK (converged), MAXITER (last iterate), STALLED (a step failed; last iterate), RANK_DEFICIENT, CANCELLED (progress hook),
// NUMERICAL (non-finite result).
//
// Work region: the outlier mask (n bytes; Huber: byte i = 1 when |r_i| > d s, on return; smooth-L1:
// smoothNewton's bucket bytes), l2_fit's work, then three n-vectors of f64 (residuals; IRLS / Newton weights, then the
// next residuals; selection weights or the Newton response), one n-vector of i32 (selection ids),
// three (p + 1)-vectors of f64 (next coefficients; column magnitudes; full Newton step) and wselect's
// sampling scratch, each 16-byte aligned; then the Huber Newton regions (newtonWorkBytes) and, when
// pilotRows(n, p) > 0, the pilot's region (pilotBytes: its subsample and its own irls_fit work).
//
// Pilot start (no pStart, maxIter > 1, n >= PILOT_FACTOR * m, m = max(PILOT_MIN_ROWS, PILOT_PER_COEF (p+1))):
// the same problem (Huber: same delta and fixed scale; smooth-L1: the epsilon already fixed from the
// full least-squares residuals) is first solved by this kernel on the m evenly spaced rows
// floor((t + 1/2) n / m) of positive weight (ridge scaled by their share of the weight, progress not
// reported, tol PILOT_TOL), and the full problem starts there: its estimate is within the sampling
// error of the answer, so Huber needs no least-squares Gram matrix and 3-4 full Newton steps, and
// smooth-L1 about half the steps. A pilot that fails is ignored; smooth-L1 keeps it only when it lowers
// the objective. ITERATIONS counts the full problem's steps only.

import { l2Solve, l2_work_bytes } from "./l2";
import { XS, setX, setXS, xat, xld, xld2 } from "./xload";
import { wselect, SELECT_SCRATCH_BYTES } from "./select";
import { progress } from "./env";
import { INFO_LEN, INFO_OBJECTIVE, INFO_ITERATIONS, INFO_SCALE, INFO_OUTLIERS, INFO_RCOND } from "./info";
import { STATUS_OK, STATUS_MAXITER, STATUS_RANK_DEFICIENT, STATUS_CANCELLED, STATUS_NUMERICAL, STATUS_STALLED } from "./status";
import { ldf, stf, ldi, sti, evenUp } from "./mem";
import { dotTile2x1At, dotTile2x4 } from "./tile";
import { PAR_SLOTS, PASS_IRLS, parRun } from "./par";

/** loss argument: Huber. */
const LOSS_HUBER: i32 = 1;
/** loss argument: smooth-L1. */
const LOSS_SMOOTH_L1: i32 = 2;
/** Progress-hook kind of this kernel (assembly/env.ts). */
const KIND_IRLS: i32 = 2;
/** Rows per block of the residual pass (even: f64x2 pairs never straddle blocks). */
const BLOCK: i32 = 512;
/** 2^-52. */
const EPS: f64 = 2.220446049250313e-16;
/** Smallest positive normal double. */
const MIN_NORMAL: f64 = 2.2250738585072014e-308;
/** 1 / Phi^-1(3/4): makes the MAD consistent for the normal standard deviation. */
const MAD_TO_SD: f64 = 1.482602218505602;
/** sqrt(pi / 2): makes the mean absolute deviation consistent for the normal standard deviation. */
const MEANABS_TO_SD: f64 = 1.2533141373155003;
/** Cap on the partition steps of the exact scale update (each is one pass; 2-5 are typical). */
const SIGMA_STEPS: i32 = 200;
/** Smooth-L1 switches to Newton steps once a step moved the fitted values by at most this times S. */
const NEWTON_SWITCH: f64 = 0.1;
/** Halvings of a Newton step before falling back to the IRLS step. */
const NEWTON_HALVINGS: i32 = 30;
/** A Newton step is accepted when the objective grows by at most ACCEPT eps (relative): rounding. */
const ACCEPT: f64 = 64.0;
/** Intermediate steps use l2Solve's inner (unrefined when well conditioned) solve until the fitted
 *  values move by at most INNER_SWITCH * tol * S in a step (or the step did not shrink); from then on
 *  every solve is l2_fit's, and convergence is only declared on such a step. */
const INNER_SWITCH: f64 = 1000.0;
/** Rounding floor of the convergence test, in units of eps times the size of the residuals' terms. */
const ROUNDING: f64 = 16.0;
/** Rows per chunk of the Huber Newton Gram passes (even: f64x2 pairs never straddle chunks). */
const GB: i32 = 128;
/** Huber semismooth Newton steps at most (then IRLS continues from the last iterate). */
const HUBER_NEWTON_MAX: i32 = 60;
/** A pivot of the diagonally scaled Newton matrix at or below this ends the Newton phase (IRLS goes on). */
const PIVOT_MIN: f64 = 1e-10;
/** Quadratic regime: a full step that moved the fitted values by at most QUAD sqrt(tol) s. */
const QUAD: f64 = 0.01;
/** The last step is left to l2_fit's refined solve unless the scaled Newton matrix's estimated 1-norm
 *  condition number is at most this (then the Newton fixed point is as accurate: tested). */
const KAPPA_FINAL: f64 = 1e4;
/** Huber pilot (a start for many rows, see pilotRows): rows at least max(PILOT_MIN_ROWS, PILOT_PER_COEF (p + 1)),
 *  used only when n is at least PILOT_FACTOR times that. */
const PILOT_MIN_ROWS: f64 = 1000.0;
const PILOT_PER_COEF: f64 = 40.0;
const PILOT_FACTOR: f64 = 8.0;
/** The pilot fit's tolerance and step cap (it is a start: its sampling error is far above 1e-6). */
const PILOT_TOL: f64 = 1e-6;
const PILOT_MAXITER: i32 = 100;
/** Smooth-L1 truncated Newton (smoothNewton): the Hessian is the Gram matrix of the rows with |r| <= c e,
 *  c = BAND_MIN 2^k (k < NB - 1; k = NB - 1: all rows) the smallest whose omitted rows' Hessian weight
 *  sum w / Q^3 is at most TAIL times the kept rows' (linear convergence at about that rate once quadratic
 *  convergence ends). At most SMOOTH_NEWTON_MAX steps (then the full-Hessian loop). */
const BAND_MIN: f64 = 2.0;
const NB: i32 = 14;
const TAIL: f64 = 3e-3;
/** A step after a full one that moved the fitted values by at most CHORD e reuses the last factor (the
 *  Hessian weights changed by at most 1.5 CHORD relatively: linear convergence at about that rate). */
const CHORD: f64 = 0.01;
const SMOOTH_NEWTON_MAX: i32 = 50;

/** Weight of row i (1 when the caller passed no weights). */
// @ts-ignore: decorator
@inline function wt(pW: usize, i: i32): f64 { return pW != 0 ? load<f64>(pW + (<usize>i << 3)) : 1.0; }
// @ts-ignore: decorator
@inline function al16(b: f64): f64 { return Math.ceil(b / 16.0) * 16.0; }

/** Smooth-L1 mean absolute residual, a by-product of smoothObjective (rows of positive weight). */
let lastMeanAbs: f64 = 0;
/** True while the pilot fit runs (its steps are not reported to the progress hook). */
let quiet: bool = false;

export function irls_work_bytes(n: i32, p: i32): f64 {
  const nd = <f64>n, q = <f64>p + 1.0;
  return al16(nd) + al16(l2_work_bytes(n, p)) + 3.0 * al16(8.0 * nd) + al16(4.0 * nd) + 3.0 * al16(8.0 * q)
    + al16(<f64>SELECT_SCRATCH_BYTES) + newtonWorkBytes(n, p) + parBytes(n, p) + pilotBytes(n, p);
}

/** Rows of the Huber pilot fit for n rows (0: no pilot; always 0 for the pilot's own row count). */
function pilotRows(n: i32, p: i32): i32 {
  let m = PILOT_PER_COEF * (<f64>p + 1.0);
  if (m < PILOT_MIN_ROWS) m = PILOT_MIN_ROWS;
  return <f64>n >= PILOT_FACTOR * m ? <i32>m : 0;
}

/** The pilot's region: its X (m x p, f64), y, weights, info, flags and its own irls_fit work. */
function pilotBytes(n: i32, p: i32): f64 {
  const m = pilotRows(n, p);
  if (m == 0) return 0.0;
  const md = <f64>m;
  return al16(8.0 * md * <f64>p) + 2.0 * al16(8.0 * md) + al16(8.0 * <f64>INFO_LEN) + al16(4.0 * <f64>(p > 0 ? p : 1))
    + irls_work_bytes(m, p);
}

/** Huber Newton regions: a row list (n i32), the Gram matrix and its factor ((p+1)^2 f64 each), five
 *  (p+1)-vectors (column means, gradient, step, diagonal scales, outlier gradient), the chunk buffer (GB (p+2) f64) and the
 *  chunk's square-root weights (GB f64). */
function newtonWorkBytes(n: i32, p: i32): f64 {
  const q = <f64>p + 1.0;
  return al16(4.0 * <f64>n) + 2.0 * al16(8.0 * q * q) + 5.0 * al16(8.0 * q) + al16(8.0 * <f64>GB * (q + 1.0)) + al16(8.0 * <f64>GB);
}

export function irls_fit(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, loss: i32,
  param: f64, scale: f64, ridge: f64, maxIter: i32, tol: f64, pStart: usize,
  pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize, xf32: i32): i32 {
  setX(xf32);
  const nb = <usize>al16(8.0 * <f64>n);
  const pMask = pWork; // Huber: the outlier mask on return (n bytes)
  const pWk = pWork + <usize>al16(<f64>n); // l2_fit's work
  let pR = pWk + <usize>al16(l2_work_bytes(n, p)); // residuals of the current iterate
  let pU = pR + nb; // IRLS weights, then the next iterate's residuals
  const pT = pU + nb; // selection weights (default epsilon)
  const pId = pT + nb; // selection ids
  const pB = pId + <usize>al16(4.0 * <f64>n); // next coefficients
  const pXm = pB + <usize>al16(8.0 * (<f64>p + 1.0)); // max |x_ij| per column (rounding floor)
  const pBn = pXm + <usize>al16(8.0 * (<f64>p + 1.0)); // full Newton step (smooth-L1)
  const pSel = pBn + <usize>al16(8.0 * (<f64>p + 1.0)); // wselect's sampling scratch
  const q = <f64>p + 1.0;
  const pL = pSel + <usize>al16(<f64>SELECT_SCRATCH_BYTES); // Huber Newton: row list
  const pG = pL + <usize>al16(4.0 * <f64>n); // inlier Gram matrix (upper triangle)
  const pUf = pG + <usize>al16(8.0 * q * q); // its scaled Cholesky factor
  const pM = pUf + <usize>al16(8.0 * q * q); // column means
  const pGd = pM + <usize>al16(8.0 * q); // gradient
  const pDir = pGd + <usize>al16(8.0 * q); // Newton step
  const pDg = pDir + <usize>al16(8.0 * q); // diagonal scales
  const pGo = pDg + <usize>al16(8.0 * q); // outlier part of the gradient
  const pBuf = pGo + <usize>al16(8.0 * q); // chunk buffer
  const pSw = pBuf + <usize>al16(8.0 * <f64>GB * (q + 1.0)); // chunk square-root weights
  parArgs = pSw + <usize>al16(8.0 * <f64>GB); // row-chunk pass arguments and partial results
  const pPil = parArgs + <usize>parBytes(n, p); // the pilot's region
  const huber = loss == LOSS_HUBER;

  for (let k = 0; k < INFO_LEN; k++) stf(pInfo, k, 0);
  // Totals over the rows of positive weight.
  let W = 0.0, yscale = 0.0;
  let npos = 0;
  for (let i = 0; i < n; i++) {
    const w = wt(pW, i);
    if (w > 0) {
      W += w;
      npos++;
      const a = abs<f64>(ldf(pY, i));
      if (a > yscale) yscale = a;
    }
  }
  columnMaxima(n, p, pX, pXm);
  const sfloor = yscale > 0 ? EPS * yscale : MIN_NORMAL;

  // Huber on many rows without a start: a pilot fit (the same kernel on an evenly spaced subsample of
  // pilotRows rows) replaces the least-squares start, which heavy tails pull far off (the first Newton
  // steps are then halved while the scale shrinks 2-3x per step). Its estimate is within the sampling
  // error of the answer, so the full problem needs no least-squares Gram matrix (the first Gram matrix
  // is the inlier one) and a few full Newton steps. A pilot that fails (rank-deficient subsample, ...)
  // is ignored: the least-squares start below as before.
  let sPilot = -1.0;
  if (huber && maxIter > 1 && pStart == 0 && pilotRows(n, p) > 0) {
    sPilot = pilotFit(n, p, pX, pY, pW, intercept, LOSS_HUBER, param, scale, ridge, W, pCoef, pPil, pL);
    setX(xf32);
  }

  // Start: the caller's coefficients, or the weighted (ridge) least-squares fit (which also checks rank).
  let epsRef = 0.0; // default smooth-L1 epsilon: from the least-squares residuals, whatever the start
  if (!huber && param <= 0 && pStart != 0) {
    const st1 = l2Solve(n, p, pX, pY, pW, intercept, ridge, pB, pInfo, pFlags, pWk, 1);
    if (st1 == STATUS_RANK_DEFICIENT || st1 == STATUS_NUMERICAL) return st1;
    residuals(n, p, pX, pY, pB, pR);
    epsRef = robustScale(n, pR, pW, W, pU, pT, pId, pSel);
  }
  // Huber: the semismooth Newton phase (below) needs the Gram matrix of the rows inside the quadratic
  // region; it starts as that of all rows of positive weight (flags at pId), and the same pass gives
  // sum w t y, so that without a start its first solve is the (unrefined) least-squares start. A pivot failure
  // (rank deficiency, extreme conditioning) leaves everything to the IRLS path as before.
  const j0 = intercept != 0 ? 0 : 1;
  let newtonOn = huber && maxIter > 1;
  let newtonStart = false;
  if (newtonOn && sPilot >= 0) {
    // From the pilot: no row is inside yet, so the first partition lists the inside rows as entering
    // and the first Gram matrix is theirs.
    colMeans(n, p, pX, pW, W, intercept, pM);
    for (let i = 0; i < n; i++) sti(pId, i, 0);
    zeroGram(p, pG);
    for (let j = 0; j < p; j++) sti(pFlags, j, 0);
    newtonStart = true;
  } else if (newtonOn) {
    colMeans(n, p, pX, pW, W, intercept, pM);
    const cnt = allRows(n, pW, pId, pL);
    zeroGram(p, pG);
    zeroVec(p, pGd);
    gramRows(n, p, j0, pX, pW, pM, pL, cnt, 1.0, pG, pBuf, pSw, pY, pGd);
    if (pStart == 0) {
      if (newtonFactor(p, j0, pG, ridge, pUf, pDg)) {
        newtonSolve(p, j0, pUf, pDg, pGd, pDir); // pGd: sum w t y from the Gram pass
        rawStep(p, j0, pM, pDir);
        for (let j = 0; j <= p; j++) stf(pCoef, j, ldf(pDir, j));
        for (let j = 0; j < p; j++) sti(pFlags, j, 0);
        newtonStart = true;
      } else {
        newtonOn = false;
      }
    }
  }
  if (pStart != 0) {
    for (let j = 0; j <= p; j++) stf(pCoef, j, ldf(pStart, j));
    if (intercept == 0) stf(pCoef, 0, 0);
    for (let j = 0; j < p; j++) sti(pFlags, j, 0);
  } else if (!newtonStart && sPilot < 0) {
    const st0 = l2Solve(n, p, pX, pY, pW, intercept, ridge, pCoef, pInfo, pFlags, pWk, 1);
    if (st0 == STATUS_RANK_DEFICIENT || st0 == STATUS_NUMERICAL) return st0;
  }
  residuals(n, p, pX, pY, pCoef, pR);
  let lamB = ridge > 0 ? ridge * slopeNorm2(p, pCoef) : 0.0;

  // Loss constants and the objective at the start.
  const d = param;
  const fixed = huber && scale > 0;
  let A = 0.0;
  let s = 0.0; // Huber scale (reported), or epsilon
  let obj = 0.0;
  if (huber) {
    if (fixed) {
      s = scale;
    } else {
      let pe = p + (intercept != 0 ? 1 : 0);
      if (pe > npos - 1) pe = npos - 1;
      A = W * (<f64>(npos - pe) / <f64>npos) * huberBeta(d);
      // Newton from the least-squares start: from the normal-consistent MAD of the residuals (the first Newton steps then need
      // not wait for the scale of heavy-tailed least-squares residuals to shrink), then the flags again.
      if (sPilot >= 0) {
        s = huberSigma(n, pR, pW, d, A, lamB, sPilot, false);
      } else {
        s = newtonStart ? robustScale(n, pR, pW, W, pU, pT, pId, pSel) : 0.0;
        if (newtonStart) allRows(n, pW, pId, pL);
        if (!(s > 0)) s = huberSigma(n, pR, pW, d, A, lamB, 0.0, false);
      }
    }
    obj = huberObjective(n, pR, pW, d, s, A, lamB, fixed);
  } else {
    if (param > 0) {
      s = param;
    } else {
      s = -param * (pStart != 0 ? epsRef : robustScale(n, pR, pW, W, pU, pT, pId, pSel));
      if (!(s >= sfloor)) s = sfloor;
    }
    obj = smoothObjective(n, pR, pW, s, lamB, W);
    if (pStart == 0 && maxIter > 1 && pilotRows(n, p) > 0) {
      if (pilotFit(n, p, pX, pY, pW, intercept, LOSS_SMOOTH_L1, s, 0.0, ridge, W, pB, pPil, pL) >= 0) {
        setX(xf32);
        residuals(n, p, pX, pY, pB, pU);
        const lamBp = ridge > 0 ? ridge * slopeNorm2(p, pB) : 0.0;
        const objP = smoothObjective(n, pU, pW, s, lamBp, W);
        if (objP < obj) {
          const t = pR; pR = pU; pU = t;
          for (let j = 0; j <= p; j++) stf(pCoef, j, ldf(pB, j));
          lamB = lamBp;
          obj = objP;
        }
      }
      setX(xf32);
    }
  }

  let it = 0;
  let status = STATUS_MAXITER;
  let exact = false; // every solve is l2_fit's from now on (see INNER_SWITCH)
  let prevDelta = Infinity;
  let newton = false; // smooth-L1: try a Newton step (the previous step was already small)
  let cancelled = false;
  // Smooth-L1 (unless epsilon is at its floor: a perfect fit): Newton steps with the truncated Hessian
  // (smoothNewton) from the start (the pilot's, the least-squares or the caller's). Converged with a
  // well-conditioned Newton matrix: done (the fixed point of steps with fresh residuals and gradient is
  // as accurate as the refined solve, as for Huber); converged otherwise: one last full-Hessian Newton
  // step with l2_fit's refined solve below; a failed factor or line search, or SMOOTH_NEWTON_MAX steps:
  // the loop below goes on from the last iterate (full-Hessian Newton steps, IRLS as their fallback).
  if (!huber && maxIter > 1 && s > sfloor) {
    const rs = smoothNewton(n, p, pX, pY, pW, intercept, s, ridge, W, tol, min<i32>(SMOOTH_NEWTON_MAX, maxIter - 1),
      yscale, pCoef, pR, pU, pT, pMask, pL, pB, pXm, pG, pUf, pM, pGd, pDir, pDg, pGo, pBuf, pSw, pSw, pBuf);
    if (snSwap) {
      const t = pR; pR = pU; pU = t;
    }
    it = snSteps;
    obj = snObj;
    lamB = ridge > 0 ? ridge * slopeNorm2(p, pCoef) : 0.0;
    newton = true;
    if (rs == SN_CANCELLED) {
      status = STATUS_CANCELLED;
      cancelled = true;
    } else if (rs == SN_CONVERGED) {
      exact = true;
      stf(pInfo, INFO_RCOND, 1.0 / snKappa);
      if (snKappa <= KAPPA_FINAL) {
        status = STATUS_OK;
        cancelled = true; // (no further step)
      }
    }
  }
  // Huber: semismooth Newton on F_s at the current scale s (Hessian 2 (G_in + ridge I'), G_in the Gram
  // matrix of the rows inside |r| <= d s, kept up to date by adding the rows that entered and subtracting
  // those that left — or re-formed from the inside rows when fewer), the step halved until F_s does not
  // grow beyond rounding, then the exact scale step. Ends when a full step moved the fitted values by at
  // most tol * s (or rounding noise): the IRLS loop then makes the last step with l2_fit's refined solve.
  // A pivot failure, no acceptable step, or HUBER_NEWTON_MAX steps hand the iterate to IRLS unchanged.
  if (newtonOn) {
    let k = 0;
    let quad = false; // the last step was full and small: quadratic convergence regime
    let converged = false;
    while (k < HUBER_NEWTON_MAX && it < maxIter - 1) {
      // Joint step in (b, s) unless the scale is fixed (or at its floor): the partition at the current s.
      const jointStep = !fixed && s > sfloor;
      const su = fixed || jointStep ? s : sfloor;
      const c = d * su;
      huberPartition(n, pR, pW, c, pId, pT, pU, pL);
      // Converged when the last step was full and small and no row changed sides since: the step was
      // then (up to the scale's second-order term) the exact minimiser of the piecewise quadratic.
      if (quad && nEnter + nLeave == 0) {
        converged = true;
        break;
      }
      if (nEnter + nLeave > nInside) {
        zeroGram(p, pG);
        gramRows(n, p, j0, pX, pW, pM, pL, insideRows(n, pId, pL), 1.0, pG, pBuf, pSw, 0, 0);
      } else {
        gramRows(n, p, j0, pX, pW, pM, pL, nEnter, 1.0, pG, pBuf, pSw, 0, 0);
        gramRows(n, p, j0, pX, pW, pM, pL + (<usize>(n - nLeave) << 2), nLeave, -1.0, pG, pBuf, pSw, 0, 0);
      }
      if (!newtonFactor(p, j0, pG, ridge, pUf, pDg)) break;
      // u = sum_in w r t - ridge b', o = sum_out w sign(r) t (t = [1, x - m]); g = u + c o.
      newtonGradient(n, p, j0, pX, pM, pT, pU, pCoef, ridge, pGd, pGo);
      for (let j = j0; j <= p; j++) stf(pB, j, ldf(pGd, j) + c * ldf(pGo, j));
      newtonSolve(p, j0, pUf, pDg, pB, pDir); // a = H^-1 g
      let ds = 0.0;
      if (jointStep) {
        // Schur complement of the (b, s) Newton system  H db + (u/s) ds = g,  u'db + (T/s) ds = e,
        // T = S_in + lamB, e = (T + s^2 (d^2 W_out - A)) / 2:  ds = s (e - u'a) / (T - u'H^-1 u).
        let ua = 0.0;
        for (let j = j0; j <= p; j++) ua += ldf(pGd, j) * ldf(pDir, j);
        newtonSolve(p, j0, pUf, pDg, pGd, pB); // H^-1 u
        let uhu = 0.0;
        for (let j = j0; j <= p; j++) uhu += ldf(pGd, j) * ldf(pB, j);
        const T = sumInside + lamB;
        const e = 0.5 * (T + su * su * (d * d * wOutside - A));
        const den = T - uhu;
        if (den > 0) {
          ds = su * ((e - ua) / den);
          if (ds < -0.9 * su) ds = -0.9 * su; // s > 0 (the line search does the rest)
          const f = ds / su;
          for (let j = j0; j <= p; j++) stf(pDir, j, ldf(pDir, j) - f * ldf(pB, j));
        }
      }
      rawStep(p, j0, pM, pDir);
      const f0 = jointStep ? obj : huberObjective(n, pR, pW, d, su, 0.0, lamB, true);
      let tn = 1.0;
      let lamBn = 0.0;
      let sn = su;
      let ok = false;
      let fAcc = 0.0;
      for (let h = 0; h <= NEWTON_HALVINGS; h++) {
        if (h > 0) tn *= 0.5;
        for (let j = 0; j <= p; j++) stf(pB, j, ldf(pCoef, j) + tn * ldf(pDir, j));
        residuals(n, p, pX, pY, pB, pU);
        lamBn = ridge > 0 ? ridge * slopeNorm2(p, pB) : 0.0;
        sn = su + tn * ds;
        const fn = jointStep ? huberTrial(n, pR, pU, pW, d, sn, A, lamBn, false) : huberTrial(n, pR, pU, pW, d, su, 0.0, lamBn, true);
        if (fn <= f0 + ACCEPT * EPS * abs<f64>(f0)) {
          fAcc = fn;
          ok = true;
          break;
        }
      }
      if (!ok) break;
      it++;
      k++;
      const delta = trialDelta;
      const t = pR; pR = pU; pU = t;
      for (let j = 0; j <= p; j++) stf(pCoef, j, ldf(pB, j));
      lamB = lamBn;
      // The scale from the trial pass's totals; the objective from the scale iteration's last pass (at
      // that scale: the same terms in the same order as huberObjective), or at a fixed scale the trial's.
      if (!fixed) s = huberSigma(n, pR, pW, d, A, lamB, jointStep ? sn : s, true);
      obj = fixed ? fAcc : sigmaAt == s && s > 0 ? (sigmaF + lamB) / s + A * s : huberObjective(n, pR, pW, d, s, A, lamB, fixed);
      if (!quiet && progress(KIND_IRLS, it, obj, NaN) != 0) {
        status = STATUS_CANCELLED;
        cancelled = true;
        break;
      }
      if (tn == 1.0 && (delta <= tol * s || delta <= ROUNDING * EPS * roundingSize(p, pCoef, pXm, yscale))) {
        converged = true;
        break;
      }
      quad = tn == 1.0 && delta <= QUAD * sqrt<f64>(tol) * s;
    }
    if (converged) {
      // The Newton fixed point is accurate to about kappa eps (iterative refinement in working
      // precision): done when the (scaled) matrix is well conditioned and the scale is not at its
      // floor (perfect fits); otherwise one last step with l2_fit's double-double refinement.
      exact = true;
      const kappa = newtonCond(p, j0, pG, pDg, ridge, pUf, pGd, pGo);
      stf(pInfo, INFO_RCOND, 1.0 / kappa);
      if (s > sfloor && kappa <= KAPPA_FINAL) {
        status = STATUS_OK;
        cancelled = true; // (no IRLS step follows)
      }
    }
  }
  let firstIrls = true;
  while (!cancelled && it < maxIter) {
    let stepped = false;
    let objNew = 0.0;
    if (newton) {
      // Damped Newton step for smooth-L1 (weights w / Q^3, response y + r u^2, u = r/e, Q^2 = u^2 + 1:
      // the Hessian and gradient scaled by e, hence ridge 2 e lambda), halved until the objective does
      // not increase beyond rounding. A failed solve or no decrease falls back to the IRLS step.
      newtonSystem(n, pR, pY, pW, s, pU, pT);
      if (l2Solve(n, p, pX, pT, pU, intercept, 2.0 * s * ridge, pBn, pInfo, pFlags, pWk, exact ? 0 : 1) == STATUS_OK) {
        for (let j = 0; j <= p; j++) stf(pB, j, ldf(pBn, j));
        let tn = 1.0;
        for (let k = 0; k <= NEWTON_HALVINGS; k++) {
          if (k > 0) {
            tn *= 0.5;
            for (let j = 0; j <= p; j++) stf(pB, j, ldf(pCoef, j) + tn * (ldf(pBn, j) - ldf(pCoef, j)));
          }
          residuals(n, p, pX, pY, pB, pU);
          objNew = smoothObjective(n, pU, pW, s, ridge > 0 ? ridge * slopeNorm2(p, pB) : 0.0, W);
          if (objNew <= obj + ACCEPT * EPS * obj) {
            stepped = true;
            break;
          }
        }
      }
    }
    if (!stepped) {
      // (1) IRLS weights at the current residuals. (2) Weighted least squares.
      const su = huber && !fixed && !(s > sfloor) ? sfloor : s;
      irlsWeights(n, pR, pW, huber, huber ? d * su : su, pU);
      const st = l2Solve(n, p, pX, pY, pU, intercept, huber ? ridge : 2.0 * s * ridge, pB, pInfo, pFlags, pWk, exact ? 0 : 1);
      if (st != STATUS_OK) {
        // The caller's start skipped the rank check: report it. Otherwise keep the last iterate.
        // So did the Newton start: l2_fit's rank test decides, as with the least-squares start.
        if (st == STATUS_RANK_DEFICIENT && (it == 0 && pStart != 0 || newtonStart && firstIrls)) return st;
        status = STATUS_STALLED;
        break;
      }
      residuals(n, p, pX, pY, pB, pU);
    }
    it++;
    firstIrls = false;
    const delta = maxChange(n, pR, pU, pW);
    const t = pR; pR = pU; pU = t;
    for (let j = 0; j <= p; j++) stf(pCoef, j, ldf(pB, j));
    lamB = ridge > 0 ? ridge * slopeNorm2(p, pCoef) : 0.0;
    // (3) Scale and objective.
    let S = 0.0;
    if (huber) {
      if (!fixed) s = huberSigma(n, pR, pW, d, A, lamB, s, false);
      obj = huberObjective(n, pR, pW, d, s, A, lamB, fixed);
      S = s;
    } else {
      obj = smoothObjective(n, pR, pW, s, lamB, W);
      S = lastMeanAbs > s ? lastMeanAbs : s;
      newton = delta <= NEWTON_SWITCH * S;
    }
    // Convergence: the fitted values moved by at most tol * S, or by rounding noise only.
    // Convergence counts only on a step made with l2_fit's solve; the first time the test passes (or
    // the steps become small or stop shrinking) with the inner solve, the next steps switch to it.
    const conv = delta <= tol * S || delta <= ROUNDING * EPS * roundingSize(p, pCoef, pXm, yscale);
    if (conv && exact) {
      status = STATUS_OK;
      break;
    }
    if (conv || delta <= INNER_SWITCH * tol * S || !(delta < prevDelta)) exact = true;
    prevDelta = delta;
    if (!quiet && progress(KIND_IRLS, it, obj, NaN) != 0) {
      status = STATUS_CANCELLED;
      break;
    }
  }

  stf(pInfo, INFO_OBJECTIVE, obj);
  stf(pInfo, INFO_ITERATIONS, <f64>it);
  stf(pInfo, INFO_SCALE, s);
  stf(pInfo, INFO_OUTLIERS, huber ? <f64>countOutliers(n, pR, d * s, pMask) : 0.0);
  let finite = obj == obj && abs<f64>(obj) < Infinity;
  for (let j = 0; j <= p; j++) {
    const v = ldf(pCoef, j);
    if (!(abs<f64>(v) < Infinity)) finite = false;
  }
  if (!finite) return STATUS_NUMERICAL;
  return status;
}

// ---------------------------------------------------------------------------------------------
// Row chunks. The passes over all rows (residuals, weights, objectives, the scale's partition sums,
// the Newton gradient, column maxima and means) are maps over fixed chunks of CHUNK rows followed by
// a reduction in chunk order: a chunk's sums start from zero, the chunks' sums are added in chunk
// order (maxima and per-row outputs do not depend on the order). The decomposition depends on n
// only — never on the number of threads — so that the host may run the chunks on any number of
// threads with the same bits; with one chunk (n <= CHUNK) every sum is the one sequential sweep's.
// A chunk reads everything from the argument region (irlsChunk: each thread has its own instance,
// whose module globals are not the caller's) and writes its rows' outputs and its own partial slot.

/** Rows per chunk: a multiple of BLOCK (the residual blocks are those of one sweep) and even. */
const CHUNK: i32 = 16384;
/** Argument slots (f64) of a chunk pass. */
const PAR_ARGS: i32 = 28;
const aKind = 0, aN = 1, aP = 2, aXS = 3, aX = 4, aY = 5, aW = 6, aC = 7, aOut = 8, aOld = 9, aR = 10, aV = 11,
  aO = 12, aM = 13, aJ0 = 14, aS1 = 15, aS2 = 16, aPart = 17, aStride = 18, aL = 19, aCnt = 20, aGP = 21, aBuf = 22,
  aSw = 23, aScrN = 24, aSStride = 25;
/** Chunk pass kinds (kernel-only dispatch codes, like the argument slots). */
const kResid = 0, kColMax = 1, kMaxCh = 2, kWeights = 3, kOutl = 4, kSall = 5, kSigma = 6, kL1 = 7,
  kHObj = 8, kTrial = 9, kSObj = 10, kColSum = 11, kGrad = 12, kGram = 13;

/** The argument region of the irls_fit call in progress (set by irls_fit; pilotFit restores it after
 *  its nested call). */
let parArgs: usize = 0;

function chunkCount(n: i32): i32 { return n <= CHUNK ? 1 : (n + CHUNK - 1) / CHUNK; }
/** f64 per partial slot: the Newton gradient's 4 (p + 1) lanes (the largest). */
function partStride(p: i32): i32 { return evenUp(4 * (p + 1)); }
/** Listed rows per part of gramRows (a multiple of GB): one part (the sequential sweep) up to it. */
const GRAM_PART: i32 = 16384;
function gramParts(cnt: i32): i32 { return cnt <= GRAM_PART ? 1 : (cnt + GRAM_PART - 1) / GRAM_PART; }
/** f64 per gramRows part: its Gram matrix ((p + 1)^2, row-major as G) and sum w t y (p + 1). */
function gramPartStride(p: i32): i32 { return evenUp((p + 1) * (p + 2)); }
function gramPartBytes(n: i32, p: i32): f64 { return al16(8.0 * <f64>gramParts(n) * <f64>gramPartStride(p)); }
/** Scratch of one more participant slot for gramRows' parts: the chunk buffer and its square-root weights. */
function slotBytes(p: i32): f64 { return al16(8.0 * <f64>GB * (<f64>p + 2.0)) + al16(8.0 * <f64>GB); }
/** The gramRows parts' region of the argument region at a (after the row-chunk partials). */
function gramPartsAt(a: usize, n: i32, p: i32): usize {
  return a + <usize>al16(8.0 * <f64>PAR_ARGS) + <usize>al16(8.0 * <f64>chunkCount(n) * <f64>partStride(p));
}
/** The argument region, one partial slot per chunk, the gramRows parts and the scratch of participant
 *  slots 1..PAR_SLOTS-1. */
function parBytes(n: i32, p: i32): f64 {
  return al16(8.0 * <f64>PAR_ARGS) + al16(8.0 * <f64>chunkCount(n) * <f64>partStride(p)) + gramPartBytes(n, p) +
    <f64>(PAR_SLOTS - 1) * slotBytes(p);
}

/** The arguments common to every chunk pass; returns the region. */
function chunkArgs(kind: i32, n: i32, p: i32, pX: usize): usize {
  const a = parArgs;
  stf(a, aKind, <f64>kind);
  stf(a, aN, <f64>n);
  stf(a, aP, <f64>p);
  stf(a, aXS, <f64>XS);
  stf(a, aX, <f64>pX);
  stf(a, aPart, <f64>(a + <usize>al16(8.0 * <f64>PAR_ARGS)));
  stf(a, aStride, <f64>partStride(p));
  return a;
}

/** Runs the chunks of the pass described at pArgs: on the host's thread pool, or here in chunk order. */
function runChunks(pArgs: usize, n: i32): void {
  const nc = chunkCount(n);
  if (parRun(PASS_IRLS, pArgs, nc)) return;
  for (let c = 0; c < nc; c++) irlsChunk(pArgs, c, 0);
}

/** Partial k summed over the chunks in chunk order (the first chunk's value, then + each next). */
function chunkSum(pArgs: usize, n: i32, k: i32): f64 {
  const part = <usize>ldf(pArgs, aPart), ps = <usize>ldf(pArgs, aStride) << 3;
  let s = ldf(part, k);
  for (let c = 1; c < chunkCount(n); c++) s += ldf(part + <usize>c * ps, k);
  return s;
}

/** Chunk c of the pass at pArgs (slot: the participant; these passes need no scratch). */
export function irlsChunk(pArgs: usize, c: i32, slot: i32): void {
  setXS(<i32>ldf(pArgs, aXS));
  const kind = <i32>ldf(pArgs, aKind);
  const n = <i32>ldf(pArgs, aN);
  const p = <i32>ldf(pArgs, aP);
  const pX = <usize>ldf(pArgs, aX);
  const pW = <usize>ldf(pArgs, aW);
  const pR = <usize>ldf(pArgs, aR);
  const s1 = ldf(pArgs, aS1);
  const r0 = c * CHUNK;
  const r1 = min<i32>(n, r0 + CHUNK);
  const part = <usize>ldf(pArgs, aPart) + ((<usize>c * <usize>ldf(pArgs, aStride)) << 3);
  if (kind == kResid) {
    const pY = <usize>ldf(pArgs, aY), pC = <usize>ldf(pArgs, aC), pOut = <usize>ldf(pArgs, aOut);
    if (XS == 3) residualsT<f64>(n, p, pX, pY, pC, pOut, r0, r1); else residualsT<f32>(n, p, pX, pY, pC, pOut, r0, r1);
  } else if (kind == kColMax) {
    for (let j = 0; j < p; j++) stf(part, j, XS == 3 ? columnMax<f64>(pX, n, j, r0, r1) : columnMax<f32>(pX, n, j, r0, r1));
  } else if (kind == kMaxCh) {
    stf(part, 0, maxChangeRows(<usize>ldf(pArgs, aOld), <usize>ldf(pArgs, aOut), pW, r0, r1));
  } else if (kind == kWeights) {
    irlsWeightsRows(pR, pW, ldf(pArgs, aS2) != 0, s1, <usize>ldf(pArgs, aOut), r0, r1);
  } else if (kind == kOutl) {
    stf(part, 0, <f64>countOutliersRows(pR, s1, <usize>ldf(pArgs, aOut), r0, r1));
  } else if (kind == kSall) {
    sallRows(pR, pW, r0, r1, part);
  } else if (kind == kSigma) {
    sigmaRows(pR, pW, s1, r0, r1, part);
  } else if (kind == kL1) {
    l1Rows(pR, pW, r0, r1, part);
  } else if (kind == kHObj) {
    huberRows(pR, pW, s1, r0, r1, part);
  } else if (kind == kTrial) {
    trialRows(<usize>ldf(pArgs, aOld), pR, pW, s1, r0, r1, part);
  } else if (kind == kSObj) {
    smoothRows(pR, pW, s1, r0, r1, part);
  } else if (kind == kColSum) {
    for (let j = 0; j < p; j++) stf(part, j, XS == 3 ? colWeightedSum<f64>(n, pX, pW, j, r0, r1) : colWeightedSum<f32>(n, pX, pW, j, r0, r1));
  } else if (kind == kGram) {
    // part c of gramRows: listed rows c GRAM_PART .. on this participant's scratch
    const q = p + 1;
    const cnt = <i32>ldf(pArgs, aCnt);
    const g = <usize>ldf(pArgs, aGP) + ((<usize>c * <usize>gramPartStride(p)) << 3);
    for (let e = 0; e < q * q + q; e++) stf(g, e, 0.0);
    const buf = slot == 0 ? <usize>ldf(pArgs, aBuf) : <usize>ldf(pArgs, aScrN) + <usize>(slot - 1) * <usize>ldf(pArgs, aSStride);
    const sw = slot == 0 ? <usize>ldf(pArgs, aSw) : buf + <usize>al16(8.0 * <f64>GB * (<f64>p + 2.0));
    const pY = <usize>ldf(pArgs, aY), pM = <usize>ldf(pArgs, aM), pL = <usize>ldf(pArgs, aL);
    const j0 = <i32>ldf(pArgs, aJ0);
    const g0 = c * GRAM_PART, g1 = min<i32>(cnt, g0 + GRAM_PART);
    if (XS == 3) gramRowsT<f64>(n, p, j0, pX, pW, pM, pL, g0, g1, 1.0, g, buf, sw, pY, g + (<usize>(q * q) << 3));
    else gramRowsT<f32>(n, p, j0, pX, pW, pM, pL, g0, g1, 1.0, g, buf, sw, pY, g + (<usize>(q * q) << 3));
  } else if (kind == kGrad) {
    gradientRows(n, p, <i32>ldf(pArgs, aJ0), pX, <usize>ldf(pArgs, aM), <usize>ldf(pArgs, aV), <usize>ldf(pArgs, aO),
      r0, r1, part);
  }
}

// ---------------------------------------------------------------------------------------------

/** The Huber pilot: irls_fit (same loss, delta, fixed scale; ridge scaled by the subsample's share of
 *  the weight) on the rows i_t = floor((t + 1/2) n / m), t < m, of positive weight, copied (as f64) into
 *  the pilot region; coefficients into pCoef. Returns its scale (>= 0; the fixed one when fixed), or -1
 *  when it did not end converged or at its step cap, or kept fewer than m/2 rows. pL: row-id scratch. */
function pilotFit(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, loss: i32, d: f64, scale: f64, ridge: f64,
  W: f64, pCoef: usize, pPil: usize, pL: usize): f64 {
  const m = pilotRows(n, p);
  const md = <f64>m;
  let k = 0;
  let ws = 0.0;
  for (let t = 0; t < m; t++) {
    const i = <i32>Math.floor((<f64>t + 0.5) * <f64>n / md);
    const w = wt(pW, i);
    if (w > 0) {
      sti(pL, k, i);
      ws += w;
      k++;
    }
  }
  if (2 * k < m) return -1.0;
  const pXs = pPil;
  const pYs = pXs + <usize>al16(8.0 * md * <f64>p);
  const pWs = pYs + <usize>al16(8.0 * md);
  const pInf = pWs + <usize>al16(8.0 * md);
  const pFl = pInf + <usize>al16(8.0 * <f64>INFO_LEN);
  const pWw = pFl + <usize>al16(4.0 * <f64>(p > 0 ? p : 1));
  for (let j = 0; j < p; j++) {
    const dst = pXs + (<usize>(j * k) << 3);
    if (XS == 3) {
      const col = xat<f64>(pX, n, j, 0);
      for (let t = 0; t < k; t++) stf(dst, t, xld<f64>(col, ldi(pL, t)));
    } else {
      const col = xat<f32>(pX, n, j, 0);
      for (let t = 0; t < k; t++) stf(dst, t, xld<f32>(col, ldi(pL, t)));
    }
  }
  for (let t = 0; t < k; t++) {
    const i = ldi(pL, t);
    stf(pYs, t, ldf(pY, i));
    stf(pWs, t, wt(pW, i));
  }
  quiet = true;
  const args = parArgs; // the nested call lays out its own (in the pilot's region)
  const st = irls_fit(k, p, pXs, pYs, pW != 0 ? pWs : 0, intercept, loss, d, scale, ridge * (ws / W), PILOT_MAXITER,
    PILOT_TOL, 0, pCoef, pInf, pFl, pWw, 0);
  parArgs = args;
  quiet = false;
  if (st != STATUS_OK && st != STATUS_MAXITER) return -1.0;
  const sp = ldf(pInf, INFO_SCALE);
  return sp >= 0 ? sp : -1.0;
}

// ---------------------------------------------------------------------------------------------

/** out = y - b0 - X b over row blocks; each element gets the same operations in the same order as
 *  in the twin (y_i - b0, then - x_ij b_j for j = 0..p-1), two rows per f64x2. A row-chunk pass. */
function residuals(n: i32, p: i32, pX: usize, pY: usize, pC: usize, pOut: usize): void {
  const a = chunkArgs(kResid, n, p, pX);
  stf(a, aY, <f64>pY);
  stf(a, aC, <f64>pC);
  stf(a, aOut, <f64>pOut);
  runChunks(a, n);
}
/** Residuals y - b0 - X b of one block (rows i0..i0+len-1; yb and ob point at its first row) into ob,
 *  per element the same subtractions in the same order (column by column) as the twin. Shared by
 *  residualsT and the fused smooth-L1 trial pass (smoothTrialT). */
// @ts-ignore: decorator
@inline function blockResiduals<T>(n: i32, p: i32, pX: usize, pC: usize, b0: f64, vb0: v128, yb: usize, ob: usize,
  i0: i32, len: i32, pairs: i32): void {
  let i = 0;
  for (; i < pairs; i += 2) {
    const o = <usize>i << 3;
    v128.store(ob + o, f64x2.sub(v128.load(yb + o), vb0));
  }
  if (i < len) stf(ob, i, ldf(yb, i) - b0);
  // Four columns per sweep of the block (the output pair stays in registers); per element the same
  // subtractions in the same order (column by column) as the one-column loop and the twin.
  let j = 0;
  for (; j + 3 < p; j += 4) {
    const b1 = ldf(pC, j + 1), b2 = ldf(pC, j + 2), b3 = ldf(pC, j + 3), b4 = ldf(pC, j + 4);
    const v1 = f64x2.splat(b1), v2 = f64x2.splat(b2), v3 = f64x2.splat(b3), v4 = f64x2.splat(b4);
    const x1 = xat<T>(pX, n, j, i0), x2 = xat<T>(pX, n, j + 1, i0), x3 = xat<T>(pX, n, j + 2, i0), x4 = xat<T>(pX, n, j + 3, i0);
    i = 0;
    for (; i < pairs; i += 2) {
      const o = <usize>i << 3;
      let z = v128.load(ob + o);
      z = f64x2.sub(z, f64x2.mul(xld2<T>(x1, i), v1));
      z = f64x2.sub(z, f64x2.mul(xld2<T>(x2, i), v2));
      z = f64x2.sub(z, f64x2.mul(xld2<T>(x3, i), v3));
      z = f64x2.sub(z, f64x2.mul(xld2<T>(x4, i), v4));
      v128.store(ob + o, z);
    }
    if (i < len) {
      let z = ldf(ob, i);
      z = z - xld<T>(x1, i) * b1;
      z = z - xld<T>(x2, i) * b2;
      z = z - xld<T>(x3, i) * b3;
      z = z - xld<T>(x4, i) * b4;
      stf(ob, i, z);
    }
  }
  for (; j < p; j++) {
    const bj = ldf(pC, j + 1);
    const vb = f64x2.splat(bj);
    const xb = xat<T>(pX, n, j, i0);
    i = 0;
    for (; i < pairs; i += 2) {
      const o = <usize>i << 3;
      v128.store(ob + o, f64x2.sub(v128.load(ob + o), f64x2.mul(xld2<T>(xb, i), vb)));
    }
    if (i < len) stf(ob, i, ldf(ob, i) - xld<T>(xb, i) * bj);
  }
}
/** residuals() on rows r0..r1-1 (r0 a multiple of BLOCK: the blocks of one sweep over all rows). */
function residualsT<T>(n: i32, p: i32, pX: usize, pY: usize, pC: usize, pOut: usize, r0: i32, r1: i32): void {
  const b0 = ldf(pC, 0);
  const vb0 = f64x2.splat(b0);
  for (let i0 = r0; i0 < r1; i0 += BLOCK) {
    const len = min<i32>(BLOCK, r1 - i0);
    const pairs = len & ~1;
    const yb = pY + (<usize>i0 << 3);
    const ob = pOut + (<usize>i0 << 3);
    blockResiduals<T>(n, p, pX, pC, b0, vb0, yb, ob, i0, len, pairs);
  }
}

/** pXm[j] = max_i |x_ij| for every column (a row-chunk pass: maxima of the chunks' maxima). */
function columnMaxima(n: i32, p: i32, pX: usize, pXm: usize): void {
  const a = chunkArgs(kColMax, n, p, pX);
  runChunks(a, n);
  const part = <usize>ldf(a, aPart), ps = <usize>ldf(a, aStride) << 3;
  const nc = chunkCount(n);
  for (let j = 0; j < p; j++) {
    let m = 0.0;
    for (let c = 0; c < nc; c++) {
      const v = ldf(part + <usize>c * ps, j);
      if (v > m) m = v;
    }
    stf(pXm, j, m);
  }
}
/** max |x_ij| over rows r0..r1-1 of column j (entries of type T). */
function columnMax<T>(pX: usize, n: i32, j: i32, r0: i32, r1: i32): f64 {
  const col = xat<T>(pX, n, j, 0);
  let m = 0.0;
  for (let i = r0; i < r1; i++) {
    const a = abs<f64>(xld<T>(col, i));
    if (a > m) m = a;
  }
  return m;
}

/** Size of the terms of the residuals, |y|max + |b0| + sum_j |b_j| max_i |x_ij|: rounding errors in
 *  the residuals are a few eps times this. */
function roundingSize(p: i32, pC: usize, pXm: usize, yscale: f64): f64 {
  let R = yscale + abs<f64>(ldf(pC, 0));
  for (let j = 0; j < p; j++) R += abs<f64>(ldf(pC, j + 1)) * ldf(pXm, j);
  return R;
}

/** sum_j b_j^2 over the slopes (coefficient region [b0, b_1..b_p]). */
function slopeNorm2(p: i32, pC: usize): f64 {
  let s = 0.0;
  for (let j = 1; j <= p; j++) {
    const b = ldf(pC, j);
    s += b * b;
  }
  return s;
}

/** max |new_i - old_i| over the rows of positive weight (a row-chunk pass). */
function maxChange(n: i32, pOld: usize, pNew: usize, pW: usize): f64 {
  const a = chunkArgs(kMaxCh, n, 0, 0);
  stf(a, aOld, <f64>pOld);
  stf(a, aOut, <f64>pNew);
  stf(a, aW, <f64>pW);
  runChunks(a, n);
  const part = <usize>ldf(a, aPart), ps = <usize>ldf(a, aStride) << 3;
  let m = 0.0;
  for (let c = 0; c < chunkCount(n); c++) {
    const v = ldf(part + <usize>c * ps, 0);
    if (v > m) m = v;
  }
  return m;
}
function maxChangeRows(pOld: usize, pNew: usize, pW: usize, r0: i32, r1: i32): f64 {
  let m = 0.0;
  for (let i = r0; i < r1; i++) {
    if (wt(pW, i) > 0) {
      const a = abs<f64>(ldf(pNew, i) - ldf(pOld, i));
      if (a > m) m = a;
    }
  }
  return m;
}

/** IRLS weights: Huber w min(1, c/|r|); smooth-L1 (c = epsilon) w / sqrt((r/c)^2 + 1). Both <= w.
 *  A row-chunk pass (each row's weight alone). */
function irlsWeights(n: i32, pR: usize, pW: usize, huber: bool, c: f64, pU: usize): void {
  const a = chunkArgs(kWeights, n, 0, 0);
  stf(a, aR, <f64>pR);
  stf(a, aW, <f64>pW);
  stf(a, aOut, <f64>pU);
  stf(a, aS1, c);
  stf(a, aS2, huber ? 1.0 : 0.0);
  runChunks(a, n);
}
function irlsWeightsRows(pR: usize, pW: usize, huber: bool, c: f64, pU: usize, r0: i32, r1: i32): void {
  if (huber) {
    for (let i = r0; i < r1; i++) {
      const w = wt(pW, i);
      const a = abs<f64>(ldf(pR, i));
      stf(pU, i, a <= c ? w : w * (c / a));
    }
  } else {
    for (let i = r0; i < r1; i++) {
      const t = ldf(pR, i) / c;
      stf(pU, i, wt(pW, i) / sqrt<f64>(t * t + 1.0));
    }
  }
}

/** Smooth-L1 Newton system, scaled by e: weights h_i = w_i / Q^3 (<= w_i) and working response
 *  z_i = y_i + r_i u^2 (u = r_i / e, Q = sqrt(u^2 + 1)), so that the weighted least-squares fit of z
 *  is b + H^-1 g. Rows with |u| > 1e100 (weight below 1e-300) get weight 0 and z = y. */
function newtonSystem(n: i32, pR: usize, pY: usize, pW: usize, e: f64, pH: usize, pZ: usize): void {
  for (let i = 0; i < n; i++) {
    const r = ldf(pR, i);
    const u = r / e;
    if (abs<f64>(u) <= 1e100) {
      const q = sqrt<f64>(u * u + 1.0);
      stf(pH, i, wt(pW, i) / (q * (q * q)));
      stf(pZ, i, ldf(pY, i) + r * (u * u));
    } else {
      stf(pH, i, 0.0);
      stf(pZ, i, ldf(pY, i));
    }
  }
}

/** Rows with |r_i| > c; byte i of the mask at pMask = 1 for them, else 0 (a row-chunk pass). */
function countOutliers(n: i32, pR: usize, c: f64, pMask: usize): i32 {
  const a = chunkArgs(kOutl, n, 0, 0);
  stf(a, aR, <f64>pR);
  stf(a, aOut, <f64>pMask);
  stf(a, aS1, c);
  runChunks(a, n);
  const part = <usize>ldf(a, aPart), ps = <usize>ldf(a, aStride) << 3;
  let k = 0;
  for (let ch = 0; ch < chunkCount(n); ch++) k += <i32>ldf(part + <usize>ch * ps, 0);
  return k;
}
function countOutliersRows(pR: usize, c: f64, pMask: usize, r0: i32, r1: i32): i32 {
  let k = 0;
  for (let i = r0; i < r1; i++) {
    const o = abs<f64>(ldf(pR, i)) > c;
    store<u8>(pMask + <usize>i, o ? 1 : 0);
    if (o) k++;
  }
  return k;
}

/**
 * The scale s >= 0 minimising Q(b, s) at fixed residuals: the root of the decreasing function
 * g(s) = sum w min(r^2/s^2, d^2) + lamB/s^2 - A, or 0 when g(0+) <= 0 (lamB = 0 and
 * d^2 sum_{r != 0} w <= A). For the inlier/outlier partition P at s, the root of
 * G_P(t) = (S_in + lamB)/t^2 + d^2 W_out - A is phi(s) = sqrt((S_in + lamB)/(A - d^2 W_out)).
 * From any s >= s*, phi(s) lies in [s*, s]; from s < s*, phi(s) >= s*. So starting at the previous
 * scale (or at the all-inlier root, an upper bound), the iteration decreases monotonically to s* and
 * stops exactly when the partition repeats (a handful of O(n) passes). fromTrial: sum w r^2 and the
 * weight of the nonzero residuals are huberTrial's (computed on these residuals). Each partition pass
 * also sums the terms of huberObjective at its scale (sigmaF, sigmaAt).
 */
let sigmaF: f64 = 0;
let sigmaAt: f64 = -1;
function huberSigma(n: i32, pR: usize, pW: usize, d: f64, A: f64, lamB: f64, prev: f64, fromTrial: bool): f64 {
  const d2 = d * d;
  let sall = 0.0, wnz = 0.0;
  sigmaAt = -1.0;
  if (fromTrial) {
    sall = trialSall;
    wnz = trialWnz;
  } else {
    const a = chunkArgs(kSall, n, 0, 0);
    stf(a, aR, <f64>pR);
    stf(a, aW, <f64>pW);
    runChunks(a, n);
    sall = chunkSum(a, n, 0);
    wnz = chunkSum(a, n, 1);
  }
  if (lamB == 0 && d2 * wnz <= A) return 0.0;
  const hi = sqrt<f64>((sall + lamB) / A);
  let s = prev > 0 && prev < hi ? prev : hi;
  let first = true;
  for (let k = 0; k < SIGMA_STEPS; k++) {
    const c = d * s;
    const a = chunkArgs(kSigma, n, 0, 0);
    stf(a, aR, <f64>pR);
    stf(a, aW, <f64>pW);
    stf(a, aS1, c);
    runChunks(a, n);
    const sin = chunkSum(a, n, 0), wout = chunkSum(a, n, 1), f = chunkSum(a, n, 2);
    sigmaF = f;
    sigmaAt = s;
    const den = A - d2 * wout;
    if (!(den > 0)) {
      if (first && s != hi) {
        first = false;
        s = hi;
        continue;
      }
      break;
    }
    const sn = sqrt<f64>((sin + lamB) / den);
    if (first) {
      first = false;
      if (sn > s) {
        s = sn < hi ? sn : hi;
        continue;
      }
    }
    if (!(sn < s)) break;
    s = sn;
  }
  return s;
}

/** Huber objective: F_s (fixed) or Q(b, s) (estimated; its limit 2 d sum w |r| at s = 0). A row-chunk
 *  pass (sums per chunk, added in chunk order). */
function huberObjective(n: i32, pR: usize, pW: usize, d: f64, s: f64, A: f64, lamB: f64, fixed: bool): f64 {
  const l1 = !fixed && s == 0;
  const a = chunkArgs(l1 ? kL1 : kHObj, n, 0, 0);
  stf(a, aR, <f64>pR);
  stf(a, aW, <f64>pW);
  stf(a, aS1, d * s);
  runChunks(a, n);
  if (l1) return 2.0 * d * chunkSum(a, n, 0);
  const f = chunkSum(a, n, 0) + lamB;
  return fixed ? f : f / s + A * s;
}

/** huberObjective at the trial residuals pNew (s > 0), and in the same pass trialDelta = maxChange from
 *  pOld (the same per-row operations as the two separate passes) and huberSigma's first totals
 *  (trialSall = sum w r^2, trialWnz = sum of w over r != 0; rows of positive weight, ascending). A
 *  row-chunk pass. */
let trialDelta: f64 = 0;
let trialSall: f64 = 0;
let trialWnz: f64 = 0;
function huberTrial(n: i32, pOld: usize, pNew: usize, pW: usize, d: f64, s: f64, A: f64, lamB: f64, fixed: bool): f64 {
  const a = chunkArgs(kTrial, n, 0, 0);
  stf(a, aOld, <f64>pOld);
  stf(a, aR, <f64>pNew);
  stf(a, aW, <f64>pW);
  stf(a, aS1, d * s);
  runChunks(a, n);
  const part = <usize>ldf(a, aPart), ps = <usize>ldf(a, aStride) << 3;
  let m = 0.0;
  for (let c = 0; c < chunkCount(n); c++) {
    const v = ldf(part + <usize>c * ps, 1);
    if (v > m) m = v;
  }
  trialDelta = m;
  trialSall = chunkSum(a, n, 2);
  trialWnz = chunkSum(a, n, 3);
  const f = chunkSum(a, n, 0) + lamB;
  return fixed ? f : f / s + A * s;
}

/** Smooth-L1 objective sum w (sqrt(r^2 + e^2) - e) + lamB, evaluated without cancellation as
 *  e t^2 / (sqrt(t^2 + 1) + 1), t = r/e (|r| - e beyond |t| = 1e8, where that is exact to rounding).
 *  Leaves the weighted mean |r| in lastMeanAbs. A row-chunk pass. */
function smoothObjective(n: i32, pR: usize, pW: usize, e: f64, lamB: f64, W: f64): f64 {
  const a = chunkArgs(kSObj, n, 0, 0);
  stf(a, aR, <f64>pR);
  stf(a, aW, <f64>pW);
  stf(a, aS1, e);
  runChunks(a, n);
  lastMeanAbs = chunkSum(a, n, 1) / W;
  return chunkSum(a, n, 0) + lamB;
}

// The per-chunk bodies of the passes above (rows r0..r1-1; the loops of the sequential passes).
function sallRows(pR: usize, pW: usize, r0: i32, r1: i32, part: usize): void {
  let sall = 0.0, wnz = 0.0;
  for (let i = r0; i < r1; i++) {
    const w = wt(pW, i);
    if (w > 0) {
      const r = ldf(pR, i);
      sall += w * (r * r);
      if (r != 0) wnz += w;
    }
  }
  stf(part, 0, sall);
  stf(part, 1, wnz);
}
function sigmaRows(pR: usize, pW: usize, c: f64, r0: i32, r1: i32, part: usize): void {
  let sin = 0.0, wout = 0.0, f = 0.0;
  for (let i = r0; i < r1; i++) {
    const w = wt(pW, i);
    if (w > 0) {
      const r = ldf(pR, i);
      const a = abs<f64>(r);
      if (a <= c) {
        const t = w * (r * r);
        sin += t;
        f += t;
      } else {
        wout += w;
        f += w * (c * (2.0 * a - c));
      }
    }
  }
  stf(part, 0, sin);
  stf(part, 1, wout);
  stf(part, 2, f);
}
function l1Rows(pR: usize, pW: usize, r0: i32, r1: i32, part: usize): void {
  let l1 = 0.0;
  for (let i = r0; i < r1; i++) l1 += wt(pW, i) * abs<f64>(ldf(pR, i));
  stf(part, 0, l1);
}
function huberRows(pR: usize, pW: usize, c: f64, r0: i32, r1: i32, part: usize): void {
  let f = 0.0;
  for (let i = r0; i < r1; i++) {
    const w = wt(pW, i);
    const r = ldf(pR, i);
    const a = abs<f64>(r);
    f += a <= c ? w * (r * r) : w * (c * (2.0 * a - c));
  }
  stf(part, 0, f);
}
function trialRows(pOld: usize, pNew: usize, pW: usize, c: f64, r0: i32, r1: i32, part: usize): void {
  let f = 0.0, m = 0.0, sall = 0.0, wnz = 0.0;
  for (let i = r0; i < r1; i++) {
    const w = wt(pW, i);
    const r = ldf(pNew, i);
    const a = abs<f64>(r);
    f += a <= c ? w * (r * r) : w * (c * (2.0 * a - c));
    if (w > 0) {
      const ch = abs<f64>(r - ldf(pOld, i));
      if (ch > m) m = ch;
      sall += w * (r * r);
      if (r != 0) wnz += w;
    }
  }
  stf(part, 0, f);
  stf(part, 1, m);
  stf(part, 2, sall);
  stf(part, 3, wnz);
}
function smoothRows(pR: usize, pW: usize, e: f64, r0: i32, r1: i32, part: usize): void {
  let f = 0.0, m = 0.0;
  for (let i = r0; i < r1; i++) {
    const w = wt(pW, i);
    const a = abs<f64>(ldf(pR, i));
    const t = a / e;
    f += t <= 1e8 ? w * (e * (t * t) / (sqrt<f64>(t * t + 1.0) + 1.0)) : w * (a - e);
    m += w * a;
  }
  stf(part, 0, f);
  stf(part, 1, m);
}

/** 1.4826 * weighted MAD (lower weighted medians, rows of positive weight) of the residuals; falls back
 *  to 1.2533 * weighted mean |r - median| when the MAD is 0. Uses pKey, pWt, pId as scratch. */
function robustScale(n: i32, pR: usize, pW: usize, W: f64, pKey: usize, pWt: usize, pId: usize,
  pScratch: usize): f64 {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const w = wt(pW, i);
    if (w > 0) {
      stf(pKey, m, ldf(pR, i));
      stf(pWt, m, w);
      sti(pId, m, i);
      m++;
    }
  }
  if (m == 0) return 0.0;
  const med = ldf(pKey, wselect(pKey, pWt, pId, m, 0.5 * W, W, pScratch));
  let mean = 0.0;
  for (let k = 0; k < m; k++) {
    const a = abs<f64>(ldf(pKey, k) - med);
    stf(pKey, k, a);
    mean += ldf(pWt, k) * a;
  }
  const mad = ldf(pKey, wselect(pKey, pWt, pId, m, 0.5 * W, W, pScratch));
  return mad > 0 ? MAD_TO_SD * mad : MEANABS_TO_SD * (mean / W);
}

// ---------------------------------------------------------------------------------------------
// Smooth-L1 truncated Newton. The Hessian of S_e (scaled by e) is sum w / Q^3 t t' + 2 e lambda I'
// (u = r/e, Q = sqrt(u^2 + 1), t = [1, x - m] as in the Huber Newton coordinates below); a row with |u| >> 1
// adds only w / |u|^3, so the Gram matrix of the rows with |u| <= c misses little: c = BAND_MIN 2^k, the
// smallest such that the omitted rows' sum of w / Q^3 is at most TAIL times the kept rows' (from a
// histogram of |u| by powers of 2, NB buckets; the last holds everything beyond: the full Hessian).
// A step with that matrix H_T <= H is at least as long as the exact Newton step; the line search keeps
// the objective decreasing, and with the exact gradient the fixed point is the optimum: convergence is
// quadratic, then linear at about the omitted share. Each step: the band rows' Gram matrix, factor and
// solve, and trial points (halved until the objective does not grow beyond rounding), each one fused
// pass over X (smoothTrial: residuals, objective, change, gradient weights, histogram, gradient).

/** smoothNewton outcomes: failed (factor or line search; the caller's loop goes on), converged, cancelled. */
const SN_FAILED: i32 = 0;
const SN_CONVERGED: i32 = 1;
const SN_CANCELLED: i32 = 2;
/** smoothNewton's results: steps made, objective, whether the current residuals ended in the second
 *  buffer, and the estimated condition number of the last Newton matrix (when converged). */
let snSteps: i32 = 0;
let snObj: f64 = 0;
let snSwap: bool = false;
let snKappa: f64 = 0;

/** Truncated-Hessian Newton for smooth-L1 from pCoef (residuals pR), at most maxSteps steps. pU: n-vector
 *  (ends holding the current residuals when snSwap), pV: n-vector scratch, pBk: n bytes, pL: row list,
 *  pHist: NB f64, pAcc: 2 (p + 1) f64 (16-byte aligned). */
function smoothNewton(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, e: f64, ridge: f64, W: f64,
  tol: f64, maxSteps: i32, yscale: f64, pCoef: usize, pR: usize, pU: usize, pV: usize, pBk: usize,
  pL: usize, pB: usize, pXm: usize, pG: usize, pUf: usize, pM: usize, pGd: usize, pDir: usize, pDg: usize,
  pGo: usize, pBuf: usize, pSw: usize, pHist: usize, pAcc: usize): i32 {
  const j0 = intercept != 0 ? 0 : 1;
  const lam2 = 2.0 * e * ridge;
  smoothMeans(n, p, pX, pW, W, intercept, pM);
  // At the start: the residuals again (the same operations as the caller's), with the pass's by-products.
  let obj = smoothTrial(n, p, j0, pX, pY, pW, pCoef, e, ridge > 0 ? ridge * slopeNorm2(p, pCoef) : 0.0, lam2, W,
    pR, pU, pV, pBk, pHist, pAcc, pM, pGd);
  let rC = pU, rT = pR;
  snSwap = true;
  let k = 0;
  let out = SN_FAILED;
  snKappa = 0.0;
  let reuse = false; // chord step: the last factor again
  while (k < maxSteps) {
    if (!reuse) {
      const kb = bandBucket(pHist);
      const cnt = smoothList(n, pBk, kb, rC, pW, e, rT, pL);
      zeroGram(p, pG);
      gramRows(n, p, j0, pX, rT, pM, pL, cnt, 1.0, pG, pBuf, pSw, 0, 0);
      if (!newtonFactor(p, j0, pG, lam2, pUf, pDg)) break;
    }
    newtonSolve(p, j0, pUf, pDg, pGd, pDir);
    rawStep(p, j0, pM, pDir);
    let tn = 1.0;
    let objT = 0.0;
    let ok = false;
    for (let h = 0; h <= NEWTON_HALVINGS; h++) {
      if (h > 0) tn *= 0.5;
      for (let j = 0; j <= p; j++) stf(pB, j, ldf(pCoef, j) + tn * ldf(pDir, j));
      objT = smoothTrial(n, p, j0, pX, pY, pW, pB, e, ridge > 0 ? ridge * slopeNorm2(p, pB) : 0.0, lam2, W,
        rC, rT, pV, pBk, pHist, pAcc, pM, pGd);
      if (objT <= obj + ACCEPT * EPS * obj) {
        ok = true;
        break;
      }
    }
    if (!ok) {
      if (!reuse) break;
      // A chord step found no decrease: the same point again with a new Hessian (the trials overwrote
      // the pass's by-products: one more pass at the current point restores them; same residuals).
      reuse = false;
      smoothTrial(n, p, j0, pX, pY, pW, pCoef, e, 0.0, lam2, W, rC, rT, pV, pBk, pHist, pAcc, pM, pGd);
      const t = rC; rC = rT; rT = t;
      snSwap = !snSwap;
      continue;
    }
    k++;
    const delta = trialDelta;
    const t = rC; rC = rT; rT = t;
    snSwap = !snSwap;
    for (let j = 0; j <= p; j++) stf(pCoef, j, ldf(pB, j));
    obj = objT;
    reuse = tn == 1.0 && delta <= CHORD * e;
    if (!quiet && progress(KIND_IRLS, k, obj, NaN) != 0) {
      out = SN_CANCELLED;
      break;
    }
    const S = lastMeanAbs > e ? lastMeanAbs : e;
    if (tn == 1.0 && (delta <= tol * S || delta <= ROUNDING * EPS * roundingSize(p, pCoef, pXm, yscale))) {
      snKappa = newtonCond(p, j0, pG, pDg, lam2, pUf, pGd, pGo);
      out = SN_CONVERGED;
      break;
    }
  }
  snSteps = k;
  snObj = obj;
  return out;
}

/** The band: the smallest bucket k < NB - 1 whose rows (buckets 0..k) carry at least 1/TAIL times the
 *  Hessian weight of the rows beyond (sums in bucket order), else NB - 1 (every row). */
function bandBucket(pHist: usize): i32 {
  for (let k = 0; k < NB - 1; k++) {
    let kept = 0.0, rest = 0.0;
    for (let j = 0; j <= k; j++) kept += ldf(pHist, j);
    for (let j = k + 1; j < NB; j++) rest += ldf(pHist, j);
    if (rest <= TAIL * kept) return k;
  }
  return NB - 1;
}

/** The rows of bucket <= kb (byte at pBk; rows of weight 0 have none) listed ascending in pL, with
 *  h_i = w / Q^3 (as w (1/Q)^3; 0 when |u| > 1e100) at pH[i]; returns their count. */
function smoothList(n: i32, pBk: usize, kb: i32, pR: usize, pW: usize, e: f64, pH: usize, pL: usize): i32 {
  const ie = 1.0 / e;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (<i32>load<u8>(pBk + <usize>i) <= kb) {
      const t = abs<f64>(ldf(pR, i)) * ie;
      let h = 0.0;
      if (t <= 1e100) {
        const iq = 1.0 / sqrt<f64>(t * t + 1.0);
        h = wt(pW, i) * (iq * (iq * iq));
      }
      stf(pH, i, h);
      sti(pL, k, i);
      k++;
    }
  }
  return k;
}

/** Smooth-L1 trial point b (pC), one pass over X in blocks of BLOCK rows. Per block: the residuals into
 *  pOut (residualsT's operations in its order); per row, ascending (t = |r| (1/e), Q = sqrt(t^2 + 1)): the
 *  objective term w e t^2 / (Q + 1) (w (|r| - e) beyond t = 1e8) and w |r|, |r - old| over the rows of positive weight (maxChange's), v = w r / Q into pV
 *  (as w (r (1/Q)); w e sign(r) when t > 1e100), the bucket of t into the byte at pBk (255 for weight 0)
 *  and w / Q^3 (as w (1/Q)^3) added to its histogram entry; then the block's terms of sum v t_j, t = [1, x - m], in two lanes per
 *  column (even / odd rows, at pAcc; an odd last row to lane 0 at the end), so that the gradient
 *  pGd = sum v t - lam2 b' (newtonGradient's sums in its order). Returns the objective + lamB;
 *  trialDelta and lastMeanAbs set. */
function smoothTrial(n: i32, p: i32, j0: i32, pX: usize, pY: usize, pW: usize, pC: usize, e: f64, lamB: f64, lam2: f64,
  W: f64, pOld: usize, pOut: usize, pV: usize, pBk: usize, pHist: usize, pAcc: usize, pM: usize, pGd: usize): f64 {
  return XS == 3 ? smoothTrialT<f64>(n, p, j0, pX, pY, pW, pC, e, lamB, lam2, W, pOld, pOut, pV, pBk, pHist, pAcc, pM, pGd)
    : smoothTrialT<f32>(n, p, j0, pX, pY, pW, pC, e, lamB, lam2, W, pOld, pOut, pV, pBk, pHist, pAcc, pM, pGd);
}
function smoothTrialT<T>(n: i32, p: i32, j0: i32, pX: usize, pY: usize, pW: usize, pC: usize, e: f64, lamB: f64, lam2: f64,
  W: f64, pOld: usize, pOut: usize, pV: usize, pBk: usize, pHist: usize, pAcc: usize, pM: usize, pGd: usize): f64 {
  for (let k = 0; k < NB; k++) stf(pHist, k, 0.0);
  for (let j = 0; j <= p; j++) v128.store(pAcc + (<usize>j << 4), f64x2.splat(0.0));
  const b0 = ldf(pC, 0);
  const vb0 = f64x2.splat(b0);
  const ie = 1.0 / e;
  let f = 0.0, m = 0.0, mx = 0.0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const len = min<i32>(BLOCK, n - i0);
    const pairs = len & ~1;
    const yb = pY + (<usize>i0 << 3);
    const ob = pOut + (<usize>i0 << 3);
    // Residuals of the block (as residualsT).
    blockResiduals<T>(n, p, pX, pC, b0, vb0, yb, ob, i0, len, pairs);
    let i = 0, j = 0;
    // Per row: objective, change, gradient weight, bucket.
    const oldb = pOld + (<usize>i0 << 3);
    const vbk = pV + (<usize>i0 << 3);
    for (i = 0; i < len; i++) {
      const w = wt(pW, i0 + i);
      const r = ldf(ob, i);
      const a = abs<f64>(r);
      const t = a * ie;
      let v = 0.0, h = 0.0, tt = 0.0, q = 0.0;
      if (t <= 1e100) {
        tt = t * t;
        q = sqrt<f64>(tt + 1.0);
        const iq = 1.0 / q;
        v = w * (r * iq);
        h = w * (iq * (iq * iq));
      } else {
        v = r > 0 ? w * e : -(w * e);
      }
      f += t <= 1e8 ? w * (e * tt / (q + 1.0)) : w * (a - e);
      m += w * a;
      stf(vbk, i, v);
      let bk = 255;
      if (w > 0) {
        const ch = abs<f64>(r - ldf(oldb, i));
        if (ch > mx) mx = ch;
        bk = bucketOf(t);
        stf(pHist, bk, ldf(pHist, bk) + h);
      }
      store<u8>(pBk + <usize>(i0 + i), <u8>bk);
    }
    // The block's gradient terms.
    if (j0 == 0) {
      let s = v128.load(pAcc);
      for (i = 0; i < pairs; i += 2) s = f64x2.add(s, v128.load(vbk + (<usize>i << 3)));
      v128.store(pAcc, s);
    }
    for (j = 1; j <= p; j++) {
      const col = xat<T>(pX, n, j - 1, i0);
      const vm = f64x2.splat(ldf(pM, j));
      const pa = pAcc + (<usize>j << 4);
      let s = v128.load(pa);
      for (i = 0; i < pairs; i += 2) {
        s = f64x2.add(s, f64x2.mul(f64x2.sub(xld2<T>(col, i), vm), v128.load(vbk + (<usize>i << 3))));
      }
      v128.store(pa, s);
    }
  }
  const last = n - 1;
  const odd = (n & 1) != 0;
  if (j0 == 0) {
    let a = f64x2.extract_lane(v128.load(pAcc), 0);
    if (odd) a += ldf(pV, last);
    stf(pGd, 0, a + f64x2.extract_lane(v128.load(pAcc), 1));
  }
  for (let j = 1; j <= p; j++) {
    const pa = pAcc + (<usize>j << 4);
    let a = f64x2.extract_lane(v128.load(pa), 0);
    if (odd) a += (xld<T>(xat<T>(pX, n, j - 1, 0), last) - ldf(pM, j)) * ldf(pV, last);
    let g = a + f64x2.extract_lane(v128.load(pa), 1);
    if (lam2 > 0) g -= lam2 * ldf(pC, j);
    stf(pGd, j, g);
  }
  trialDelta = mx;
  lastMeanAbs = m / W;
  return f + lamB;
}

/** pM[0] = 0, pM[j] = sum_i w_i x_ij / W over column j - 1 (0 without intercept): the sums in two lanes
 *  (even / odd rows, an odd last row to lane 0). Rows of weight 0 add 0. */
function smoothMeans(n: i32, p: i32, pX: usize, pW: usize, W: f64, intercept: i32, pM: usize): void {
  stf(pM, 0, 0.0);
  for (let j = 1; j <= p; j++) {
    let m = 0.0;
    if (intercept != 0) m = (XS == 3 ? weightedSum2<f64>(n, pX, pW, j - 1) : weightedSum2<f32>(n, pX, pW, j - 1)) / W;
    stf(pM, j, m);
  }
}
function weightedSum2<T>(n: i32, pX: usize, pW: usize, j: i32): f64 {
  const col = xat<T>(pX, n, j, 0);
  const pairs = n & ~1;
  let s = f64x2.splat(0.0);
  if (pW != 0) {
    for (let i = 0; i < pairs; i += 2) s = f64x2.add(s, f64x2.mul(v128.load(pW + (<usize>i << 3)), xld2<T>(col, i)));
  } else {
    for (let i = 0; i < pairs; i += 2) s = f64x2.add(s, xld2<T>(col, i));
  }
  let a = f64x2.extract_lane(s, 0);
  if (pairs < n) a += wt(pW, pairs) * xld<T>(col, pairs);
  return a + f64x2.extract_lane(s, 1);
}

/** Bucket of t = |u| >= 0: 0 when t <= BAND_MIN, else the k with BAND_MIN 2^(k-1) < t <= BAND_MIN 2^k
 *  (from the bits of t / BAND_MIN, exact: BAND_MIN is a power of 2), at most NB - 1. */
// @ts-ignore: decorator
@inline function bucketOf(t: f64): i32 {
  if (t <= BAND_MIN) return 0;
  const bits = reinterpret<u64>(t / BAND_MIN);
  const k = <i32>(bits >> 52) - 1023 + ((bits & 0xFFFFFFFFFFFFF) != 0 ? 1 : 0);
  return k < NB - 1 ? k : NB - 1;
}

// ---------------------------------------------------------------------------------------------
// Huber semismooth Newton. Coordinates of the Newton system: [a, b] with the columns [1, x - m]
// (m = weighted column means with an intercept, 0 without; index 0 only with an intercept, j0 = 0), so
// that large column means do not spoil the Gram matrix; rawStep maps a step back to [b0, b].

/** Rows that entered the region |r| <= c (at the front of the list) and left it (at the back), and the
 *  rows inside, after the last huberPartition. */
let nEnter: i32 = 0;
let nLeave: i32 = 0;
let nInside: i32 = 0;
/** sum_in w r^2 and sum_out w of the last huberPartition. */
let sumInside: f64 = 0;
let wOutside: f64 = 0;

/** pM[0] = 0, pM[j] = weighted mean of column j - 1 over the rows of positive weight (0 without intercept).
 *  The weighted sums: a row-chunk pass. */
function colMeans(n: i32, p: i32, pX: usize, pW: usize, W: f64, intercept: i32, pM: usize): void {
  stf(pM, 0, 0.0);
  if (intercept != 0) {
    const a = chunkArgs(kColSum, n, p, pX);
    stf(a, aW, <f64>pW);
    runChunks(a, n);
    for (let j = 1; j <= p; j++) stf(pM, j, chunkSum(a, n, j - 1) / W);
  } else {
    for (let j = 1; j <= p; j++) stf(pM, j, 0.0);
  }
}
function colWeightedSum<T>(n: i32, pX: usize, pW: usize, j: i32, r0: i32, r1: i32): f64 {
  const col = xat<T>(pX, n, j, 0);
  let s = 0.0;
  for (let i = r0; i < r1; i++) {
    const w = wt(pW, i);
    if (w > 0) s += w * xld<T>(col, i);
  }
  return s;
}

/** Flags 1 for the rows of positive weight (0 otherwise) and their ids in the list; returns the count. */
function allRows(n: i32, pW: usize, pFl: usize, pL: usize): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (wt(pW, i) > 0) {
      sti(pFl, i, 1);
      sti(pL, k, i);
      k++;
    } else {
      sti(pFl, i, 0);
    }
  }
  return k;
}

/** Ids of the flagged rows into the list (ascending); returns the count. */
function insideRows(n: i32, pFl: usize, pL: usize): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (ldi(pFl, i) != 0) {
      sti(pL, k, i);
      k++;
    }
  }
  return k;
}

function zeroGram(p: i32, pG: usize): void {
  const q = p + 1;
  for (let k = 0; k < q * q; k++) stf(pG, k, 0.0);
}

/** At the residuals: v_i = w r inside |r| <= c (else 0) into pV, o_i = w sign(r) beyond (else 0) into pO
 *  (0 for weight 0); the flags updated to the new sides, the rows that entered listed from the front of pL
 *  (ascending) and those that left from its back (the first one at the end); nEnter, nLeave, nInside,
 *  sumInside, wOutside set. */
function huberPartition(n: i32, pR: usize, pW: usize, c: f64, pFl: usize, pV: usize, pO: usize, pL: usize): void {
  let ke = 0, kl = 0, kin = 0;
  let sin = 0.0, wout = 0.0;
  for (let i = 0; i < n; i++) {
    const w = wt(pW, i);
    let v = 0.0, o = 0.0;
    if (w > 0) {
      const r = ldf(pR, i);
      const inside = abs<f64>(r) <= c;
      if (inside) {
        v = w * r;
        sin += v * r;
      } else {
        o = r > 0 ? w : -w;
        wout += w;
      }
      const f = inside ? 1 : 0;
      kin += f;
      if (f != ldi(pFl, i)) {
        if (inside) {
          sti(pL, ke, i);
          ke++;
        } else {
          kl++;
          sti(pL, n - kl, i);
        }
        sti(pFl, i, f);
      }
    }
    stf(pV, i, v);
    stf(pO, i, o);
  }
  nEnter = ke;
  nLeave = kl;
  nInside = kin;
  sumInside = sin;
  wOutside = wout;
}

/** G[j][k] (k >= j >= j0, row-major (p+1)^2) += sign * sum over the cnt listed rows of w_i t_ij t_ik,
 *  t_i = [1, x_i - m]. Chunks of GB rows are copied as sqrt(w_i) t_i into a column buffer, padded to an
 *  even length with zero rows; each dot product keeps two lanes (even / odd chunk rows) added at the end
 *  of the chunk (gramChunk). */
function gramRows(n: i32, p: i32, j0: i32, pX: usize, pW: usize, pM: usize, pL: usize, cnt: i32, sign: f64,
  pG: usize, pBuf: usize, pSw: usize, pY: usize, pTy: usize): void {
  const np = gramParts(cnt);
  if (np <= 1) {
    if (XS == 3) gramRowsT<f64>(n, p, j0, pX, pW, pM, pL, 0, cnt, sign, pG, pBuf, pSw, pY, pTy);
    else gramRowsT<f32>(n, p, j0, pX, pW, pM, pL, 0, cnt, sign, pG, pBuf, pSw, pY, pTy);
    return;
  }
  // Several parts of GRAM_PART listed rows (a row-chunk pass): each part's Gram matrix (and sum w t y)
  // from zero into its slot; then G += sign * (the parts' sums in part order).
  const a = chunkArgs(kGram, n, p, pX);
  const gp = gramPartsAt(a, n, p);
  stf(a, aW, <f64>pW);
  stf(a, aM, <f64>pM);
  stf(a, aJ0, <f64>j0);
  stf(a, aY, <f64>pY);
  stf(a, aL, <f64>pL);
  stf(a, aCnt, <f64>cnt);
  stf(a, aGP, <f64>gp);
  stf(a, aBuf, <f64>pBuf);
  stf(a, aSw, <f64>pSw);
  stf(a, aScrN, <f64>(gp + <usize>gramPartBytes(n, p)));
  stf(a, aSStride, slotBytes(p));
  if (!parRun(PASS_IRLS, a, np)) {
    for (let c = 0; c < np; c++) irlsChunk(a, c, 0);
  }
  const q = p + 1;
  const ps = <usize>gramPartStride(p) << 3;
  for (let j = j0; j <= p; j++) {
    for (let k = j; k <= p; k++) {
      const e = j * q + k;
      let t = ldf(gp, e);
      for (let c = 1; c < np; c++) t += ldf(gp + <usize>c * ps, e);
      stf(pG, e, ldf(pG, e) + sign * t);
    }
    if (pY != 0) {
      let t = ldf(gp, q * q + j);
      for (let c = 1; c < np; c++) t += ldf(gp + <usize>c * ps, q * q + j);
      stf(pTy, j, ldf(pTy, j) + t);
    }
  }
}
/** Listed rows r0..r1-1 (r0 a multiple of GB) of gramRows' sums into pG (and pTy), chunk by chunk of GB. */
function gramRowsT<T>(n: i32, p: i32, j0: i32, pX: usize, pW: usize, pM: usize, pL: usize, r0: i32, r1: i32, sign: f64,
  pG: usize, pBuf: usize, pSw: usize, pY: usize, pTy: usize): void {
  const q = p + 1;
  for (let c0 = r0; c0 < r1; c0 += GB) {
    const len = min<i32>(GB, r1 - c0);
    const len2 = (len + 1) & ~1;
    const pl = pL + (<usize>c0 << 2);
    for (let t = 0; t < len; t++) stf(pSw, t, sqrt<f64>(wt(pW, ldi(pl, t))));
    if (len2 > len) stf(pSw, len, 0.0);
    if (j0 == 0) {
      for (let t = 0; t < len2; t++) stf(pBuf, t, ldf(pSw, t));
    }
    for (let j = 1; j <= p; j++) {
      const col = xat<T>(pX, n, j - 1, 0);
      const mj = ldf(pM, j);
      const bj = pBuf + (<usize>(j * GB) << 3);
      for (let t = 0; t < len; t++) stf(bj, t, (xld<T>(col, ldi(pl, t)) - mj) * ldf(pSw, t));
      if (len2 > len) stf(bj, len, 0.0);
    }
    gramChunk(j0, p, len2, sign, pBuf, pG);
    if (pY != 0) {
      // pTy[j] += sum over the chunk of w t_j y (buffer column q holds sqrt(w) y).
      const by = pBuf + (<usize>(q * GB) << 3);
      for (let t = 0; t < len; t++) stf(by, t, ldf(pY, ldi(pl, t)) * ldf(pSw, t));
      if (len2 > len) stf(by, len, 0.0);
      for (let j = j0; j <= p; j++) {
        const cj = pBuf + (<usize>(j * GB) << 3);
        let a = f64x2.splat(0.0);
        for (let t = 0; t < len2; t += 2) {
          const o = <usize>t << 3;
          a = f64x2.add(a, f64x2.mul(v128.load(cj + o), v128.load(by + o)));
        }
        stf(pTy, j, ldf(pTy, j) + (f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1)));
      }
    }
  }
}

function zeroVec(p: i32, pV: usize): void {
  for (let j = 0; j <= p; j++) stf(pV, j, 0.0);
}

/** G[j][k] += sign * (dot of buffer columns j and k), k >= j >= j0; each pair keeps one f64x2
 *  accumulator (lane 0: even rows, lane 1: odd rows) added at the end; 2 x 4 tiles of pairs share the
 *  loads of their columns (the order of every pair is that of the twin's one-pair loop). */
function gramChunk(j0: i32, p: i32, len2: i32, sign: f64, pBuf: usize, pG: usize): void {
  const q = p + 1;
  const stride = <usize>GB << 3;
  const bytes = <usize>len2 << 3;
  let j = j0;
  for (; j + 1 <= p; j += 2) {
    const cj = pBuf + <usize>j * stride;
    const cs = cj + stride;
    const gj = pG + (<usize>(j * q) << 3);
    const gs = gj + (<usize>q << 3);
    let a = f64x2.splat(0.0);
    for (let o: usize = 0; o < bytes; o += 16) {
      const z = v128.load(cj + o);
      a = f64x2.add(a, f64x2.mul(z, z));
    }
    stf(gj, j, ldf(gj, j) + sign * (f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1)));
    let k = j + 1;
    for (; k + 3 <= p; k += 4) {
      // Row j + 1 starts at k = j + 1 (its diagonal), which the first tile covers.
      dotTile2x4(cj, cs, pBuf + <usize>k * stride, stride, bytes, sign, gj + (<usize>k << 3), gs + (<usize>k << 3), 8);
    }
    for (; k <= p; k++) {
      dotTile2x1At(cj, cs, pBuf + <usize>k * stride, bytes, sign, gj + (<usize>k << 3), gs + (<usize>k << 3));
    }
  }
  if (j <= p) {
    const cj = pBuf + <usize>j * stride;
    const gj = pG + (<usize>(j * q) << 3);
    let a = f64x2.splat(0.0);
    for (let o: usize = 0; o < bytes; o += 16) {
      const z = v128.load(cj + o);
      a = f64x2.add(a, f64x2.mul(z, z));
    }
    stf(gj, j, ldf(gj, j) + sign * (f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1)));
  }
}

/** Cholesky factor U (upper, row-major at pU) of D^-1 (G + ridge I') D^-1 on rows / columns j0..p
 *  (I' = identity without the intercept entry, D = the square root of the diagonal, at pD). False when a
 *  diagonal is not positive and finite or a pivot is not above PIVOT_MIN. */
function newtonFactor(p: i32, j0: i32, pG: usize, ridge: f64, pU: usize, pD: usize): bool {
  const q = p + 1;
  for (let j = j0; j <= p; j++) {
    const h = ldf(pG, j * q + j) + (j > 0 ? ridge : 0.0);
    if (!(h > 0) || !(h < Infinity)) return false;
    stf(pD, j, sqrt<f64>(h));
  }
  for (let j = j0; j <= p; j++) {
    const dj = ldf(pD, j);
    let s = (ldf(pG, j * q + j) + (j > 0 ? ridge : 0.0)) / dj / dj;
    for (let i = j0; i < j; i++) {
      const u = ldf(pU, i * q + j);
      s -= u * u;
    }
    if (!(s > PIVOT_MIN)) return false;
    const ujj = sqrt<f64>(s);
    stf(pU, j * q + j, ujj);
    for (let k = j + 1; k <= p; k++) {
      let t = ldf(pG, j * q + k) / dj / ldf(pD, k);
      for (let i = j0; i < j; i++) t -= ldf(pU, i * q + j) * ldf(pU, i * q + k);
      stf(pU, j * q + k, t / ujj);
    }
  }
  return true;
}

/** out = (G + ridge I')^-1 g on j0..p from the factor of newtonFactor (out[0] = 0 when j0 = 1). */
function newtonSolve(p: i32, j0: i32, pU: usize, pD: usize, pGd: usize, pOut: usize): void {
  const q = p + 1;
  for (let j = j0; j <= p; j++) {
    let t = ldf(pGd, j) / ldf(pD, j);
    for (let i = j0; i < j; i++) t -= ldf(pU, i * q + j) * ldf(pOut, i);
    stf(pOut, j, t / ldf(pU, j * q + j));
  }
  for (let j = p; j >= j0; j--) {
    let t = ldf(pOut, j);
    for (let k = j + 1; k <= p; k++) t -= ldf(pU, j * q + k) * ldf(pOut, k);
    stf(pOut, j, t / ldf(pU, j * q + j));
  }
  for (let j = j0; j <= p; j++) stf(pOut, j, ldf(pOut, j) / ldf(pD, j));
  if (j0 == 1) stf(pOut, 0, 0.0);
}

/** In the Newton coordinates: u_0 = sum v, u_j = sum (x_ij - m_j) v_i - ridge b_j, and o likewise from
 *  pO (no ridge term); every sum in two lanes (even / odd rows, an odd last row to lane 0), per row chunk
 *  (a row-chunk pass), the chunks' lanes added in chunk order, then lane 0 + lane 1. */
function newtonGradient(n: i32, p: i32, j0: i32, pX: usize, pM: usize, pV: usize, pO: usize, pC: usize, ridge: f64,
  pU: usize, pOut: usize): void {
  const a = chunkArgs(kGrad, n, p, pX);
  stf(a, aM, <f64>pM);
  stf(a, aV, <f64>pV);
  stf(a, aO, <f64>pO);
  stf(a, aJ0, <f64>j0);
  runChunks(a, n);
  for (let j = j0; j <= p; j++) {
    let g = chunkSum(a, n, 4 * j) + chunkSum(a, n, 4 * j + 1);
    if (j > 0 && ridge > 0) g -= ridge * ldf(pC, j);
    stf(pU, j, g);
    stf(pOut, j, chunkSum(a, n, 4 * j + 2) + chunkSum(a, n, 4 * j + 3));
  }
}
/** newtonGradient's lanes over rows r0..r1-1 (r0 even) into part: entry 4 j + (0: lane 0 of sum t_j v,
 *  1: its lane 1, 2 and 3: the same for o). */
function gradientRows(n: i32, p: i32, j0: i32, pX: usize, pM: usize, pV: usize, pO: usize, r0: i32, r1: i32,
  part: usize): void {
  const pairs = r0 + ((r1 - r0) & ~1);
  if (j0 == 0) {
    let s = f64x2.splat(0.0), so = f64x2.splat(0.0);
    for (let i = r0; i < pairs; i += 2) {
      const o = <usize>i << 3;
      s = f64x2.add(s, v128.load(pV + o));
      so = f64x2.add(so, v128.load(pO + o));
    }
    let a = f64x2.extract_lane(s, 0), ao = f64x2.extract_lane(so, 0);
    if (pairs < r1) {
      a += ldf(pV, pairs);
      ao += ldf(pO, pairs);
    }
    stf(part, 0, a);
    stf(part, 1, f64x2.extract_lane(s, 1));
    stf(part, 2, ao);
    stf(part, 3, f64x2.extract_lane(so, 1));
  }
  for (let j = 1; j <= p; j++) {
    const q = part + (<usize>(4 * j) << 3);
    if (XS == 3) centeredDots<f64>(n, pX, j - 1, ldf(pM, j), pV, pO, r0, pairs, r1, q);
    else centeredDots<f32>(n, pX, j - 1, ldf(pM, j), pV, pO, r0, pairs, r1, q);
  }
}
/** Lanes of sum (x_ij - m) v_i and sum (x_ij - m) o_i over rows r0..r1-1 of column j (one pass; pairs:
 *  the end of the row pairs) into q[0..3]. */
function centeredDots<T>(n: i32, pX: usize, j: i32, m: f64, pV: usize, pO: usize, r0: i32, pairs: i32, r1: i32,
  q: usize): void {
  const col = xat<T>(pX, n, j, 0);
  const vm = f64x2.splat(m);
  let s = f64x2.splat(0.0), so = f64x2.splat(0.0);
  for (let i = r0; i < pairs; i += 2) {
    const o = <usize>i << 3;
    const x = f64x2.sub(xld2<T>(col, i), vm);
    s = f64x2.add(s, f64x2.mul(x, v128.load(pV + o)));
    so = f64x2.add(so, f64x2.mul(x, v128.load(pO + o)));
  }
  let a = f64x2.extract_lane(s, 0), ao = f64x2.extract_lane(so, 0);
  if (pairs < r1) {
    const x = xld<T>(col, pairs) - m;
    a += x * ldf(pV, pairs);
    ao += x * ldf(pO, pairs);
  }
  stf(q, 0, a);
  stf(q, 1, f64x2.extract_lane(s, 1));
  stf(q, 2, ao);
  stf(q, 3, f64x2.extract_lane(so, 1));
}

/** Estimated 1-norm condition number of Hs = D^-1 (G + ridge I') D^-1 (factor U): ||Hs||_1 from G,
 *  ||Hs^-1||_1 by Hager's estimator (at most five pairs of solves, as LAPACK dlacn2); x, z: scratch. */
function newtonCond(p: i32, j0: i32, pG: usize, pD: usize, ridge: f64, pU: usize, pXv: usize, pZ: usize): f64 {
  const q = p + 1;
  const m = q - j0;
  let hn = 0.0;
  for (let k = j0; k <= p; k++) {
    let c = 0.0;
    for (let j = j0; j <= p; j++) {
      const g = j <= k ? ldf(pG, j * q + k) : ldf(pG, k * q + j);
      c += abs<f64>((j == k && j > 0 ? g + ridge : g) / ldf(pD, j) / ldf(pD, k));
    }
    if (c > hn) hn = c;
  }
  for (let j = j0; j <= p; j++) stf(pXv, j, 1.0 / <f64>m);
  let est = 0.0;
  for (let it = 0; it < 5; it++) {
    scaledSolve(p, j0, pU, pXv);
    let e = 0.0;
    for (let j = j0; j <= p; j++) e += abs<f64>(ldf(pXv, j));
    if (it > 0 && e <= est) break;
    est = e;
    for (let j = j0; j <= p; j++) stf(pZ, j, ldf(pXv, j) >= 0 ? 1.0 : -1.0);
    scaledSolve(p, j0, pU, pZ);
    let jm = j0;
    for (let j = j0; j <= p; j++) if (abs<f64>(ldf(pZ, j)) > abs<f64>(ldf(pZ, jm))) jm = j;
    for (let j = j0; j <= p; j++) stf(pXv, j, j == jm ? 1.0 : 0.0);
  }
  return hn * est;
}

/** x = (U^T U)^-1 x in place on j0..p. */
function scaledSolve(p: i32, j0: i32, pU: usize, pXv: usize): void {
  const q = p + 1;
  for (let j = j0; j <= p; j++) {
    let t = ldf(pXv, j);
    for (let i = j0; i < j; i++) t -= ldf(pU, i * q + j) * ldf(pXv, i);
    stf(pXv, j, t / ldf(pU, j * q + j));
  }
  for (let j = p; j >= j0; j--) {
    let t = ldf(pXv, j);
    for (let k = j + 1; k <= p; k++) t -= ldf(pU, j * q + k) * ldf(pXv, k);
    stf(pXv, j, t / ldf(pU, j * q + j));
  }
}

/** A step [a, b] of the Newton coordinates as [b0, b]: b0 = a - m . b (0 without intercept). */
function rawStep(p: i32, j0: i32, pM: usize, pDir: usize): void {
  if (j0 == 1) {
    stf(pDir, 0, 0.0);
    return;
  }
  let a = ldf(pDir, 0);
  for (let j = 1; j <= p; j++) a -= ldf(pM, j) * ldf(pDir, j);
  stf(pDir, 0, a);
}

// ---------------------------------------------------------------------------------------------
// beta(d) = E min(Z^2, d^2), Z ~ N(0, 1) = 1 - 2 d phi(d) - 2 (1 - d^2) Q(d), Q = 1 - Phi. Computed
// with + - * / and sqrt only (no Math.exp, whose last bit may differ between AssemblyScript's libm
// and the JavaScript engine), so both backends get the same bits. Relative error <= 3.1e-16 on
// [1e-6, 12] against 40-digit mpmath.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const SQRT_2_OVER_PI: f64 = 0.7978845608028654;
const INV_SQRT_2PI: f64 = 0.3989422804014327;

/** exp(x) for -80 <= x <= 0: x = k ln2 + r (Cody-Waite), Taylor polynomial of degree 17 on |r| <= ln2/2
 *  (relative error < 2.2e-16 measured), times 2^k by exact halvings. */
function expNeg(x: f64): f64 {
  const k = Math.floor(x * INV_LN2 + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  let s = 1.0;
  for (let i = 17; i >= 1; i--) s = 1.0 + s * r / <f64>i;
  let t = 1.0;
  for (let i = 0.0; i > k; i -= 1.0) t *= 0.5;
  return s * t;
}

function huberBeta(d: f64): f64 {
  if (d > 12) return 1.0; // 1 - beta < 1e-31
  const d2 = d * d;
  if (d < 1) {
    // Series: int_{|z|<d} z^2 phi = sqrt(2/pi) sum_k (-1/2)^k d^(2k+3) / (k! (2k+3)),
    // P(|Z| < d) = sqrt(2/pi) sum_k (-1/2)^k d^(2k+1) / (k! (2k+1)).
    let term = d, T = 0.0, P = 0.0;
    for (let k = 0; k < 40; k++) {
      P += term / <f64>(2 * k + 1);
      T += term * d2 / <f64>(2 * k + 3);
      term = term * (-0.5 * d2) / <f64>(k + 1);
    }
    return SQRT_2_OVER_PI * T + d2 * (1.0 - SQRT_2_OVER_PI * P);
  }
  const phi = INV_SQRT_2PI * expNeg(-0.5 * d2);
  // Laplace's continued fraction Q(d) = phi(d) / (d + 1/(d + 2/(d + 3/(d + ...)))), 400 terms.
  let cf = 0.0;
  for (let k = 400; k >= 1; k--) cf = <f64>k / (d + cf);
  const Q = phi / (d + cf);
  return 1.0 - 2.0 * d * phi - 2.0 * (1.0 - d2) * Q;
}
