// The least-squares rank check of l1_fit (assembly/l1.ts) off the critical path of a globbing fit.
// Twin: src/twin/l1-rank.ts (same decisions, same calls; it has no pool, so no ranges).
//
// l1_fit checks the design's rank with l2Solve on all rows before solving (RANK_DEFICIENT and NUMERICAL
// stop the fit; quantreg's fn silently returned a worse objective on a rank-deficient design) and, without
// a caller's start, takes that least-squares fit as its warm start. On the globbing path (assembly/l1-glob.ts)
// without a caller's start the check's passes over all rows (standardisation, Gram matrix) sat on the
// critical path while the pool's workers idled through the serial reduced solves. Here instead:
//  1. The smallest level starts from the least-squares fit of ITS OWN rows (rankSampleStart: l2Solve on
//     the gathered reduced problem, which at that level is exactly the level's members, column-major:
//     no copy), in the check's work region (l1_work_bytes counts it after the L1 layout). A sample that
//     is itself rank deficient or numerically hopeless (a rare dummy column) falls back to the old order:
//     the full check first, its fit as the start — the same results as before on such data.
//  2. The full check keeps its semantics (l2Solve inner mode on all rows; the fused one-pass Gram route
//     where it applies: it drops the standardisation pass, and its rank decision is that of the two-pass
//     route — a Cholesky factor accepted by either has rcond >= 1e-10, far from the QR path's rank
//     tolerance; on the QR path both are the same computation). Its Gram pass runs in item ranges
//     (l2.ts l2CheckRange), each started in the background before a reduced solve after the smallest
//     level's (rankStart: one job at a time on the pool — the smallest level's solve has the next level's
//     marks) and joined after it by the driver's parJoin; the reduction, in chunk order, follows the last
//     range: the same bits for any split and thread count. rankFinish factorises and decides before
//     finalStage — a rank-deficient or numerical full design returns that status with the flags as
//     before, the globbing work done so far discarded.
//  3. Whatever ends the globbing solve early, l1_fit settles the check before anything else (rankSettle):
//     not yet begun (no sample start taken) — the old order, its fit as the plain solve's start; begun —
//     finished as in 2. A cancelled fit only drops it (nothing is pending: the driver joins after every
//     solve; a trap leaves the join to the host).
import { STATUS_CANCELLED, STATUS_NUMERICAL, STATUS_RANK_DEFICIENT } from "./status";
import { INFO_LEN } from "./info";
import { l2CheckBegin, l2CheckEnd, l2CheckRange, l2Solve } from "./l2";
import { XS, setXS } from "./xload";
import { ldf, stf, sti } from "./mem";
import { ic, q, wB } from "./l1-state";

const RK_NONE: i32 = 0;   // no deferred check (done up front, not needed, or settled)
const RK_WAIT: i32 = 1;   // deferred; the smallest level's own start not taken yet
const RK_SAMPLE: i32 = 2; // the sample start taken: the full check's Gram items run in ranges

let rkState: i32 = RK_NONE;
let rkResult: i32 = -1; // the check's RANK_DEFICIENT / NUMERICAL once decided, else -1
let rkN: i32 = 0, rkP: i32 = 0, rkIc: i32 = 0, rkXS: i32 = 3;
let rkX: usize = 0, rkY: usize = 0, rkW: usize = 0, rkWork: usize = 0;
let rkCoef: usize = 0, rkInfo: usize = 0, rkFlags: usize = 0;
let rkBegun = false;
let rkItems: i32 = 0; // the Gram pass's items
let rkNext: i32 = 0;  // items started so far

/** l1_fit's entry: no deferred check in this call. */
export function rankOff(): void { rkState = RK_NONE; rkResult = -1; }

/** l1_fit's entry on the globbing path without a caller's start: the check of the full problem (n rows,
 *  p columns, X element shift xs) deferred, its work region at pWork (l2_work_bytes(n, p)); the caller's
 *  coefficient, info and flags regions serve as its output (rewritten by the fit afterwards). */
export function rankDefer(n: i32, p: i32, x: usize, y: usize, w: usize, intercept: i32, xs: i32, pWork: usize,
  pCoef: usize, pInfo: usize, pFlags: usize): void {
  rkState = RK_WAIT; rkResult = -1;
  rkN = n; rkP = p; rkX = x; rkY = y; rkW = w; rkIc = intercept; rkXS = xs; rkWork = pWork;
  rkCoef = pCoef; rkInfo = pInfo; rkFlags = pFlags;
  rkBegun = false; rkItems = 0; rkNext = 0;
}

/** True while the smallest level's own start is still to be taken (globSolve's plain level). */
export function rankDeferred(): bool { return rkState == RK_WAIT; }

/** The old order: the full design's check (l2Solve inner mode, X element shift of the full problem);
 *  its fit becomes the start wB when `start`. Returns RANK_DEFICIENT / NUMERICAL, or -1. */
function checkNow(start: bool): i32 {
  const xs = XS;
  setXS(rkXS);
  const st = l2Solve(rkN, rkP, rkX, rkY, rkW, rkIc, 0, rkCoef, rkInfo, rkFlags, rkWork, 1);
  setXS(xs);
  rkState = RK_NONE;
  if (st == STATUS_RANK_DEFICIENT || st == STATUS_NUMERICAL) { rkResult = st; return st; }
  if (start) takeStart();
  clearOutputs();
  return -1;
}

/** wB from the check's coefficients (intercept first; slot 0 is 0 without one). */
function takeStart(): void {
  const off = 1 - ic;
  for (let j = 0; j < q; j++) stf(wB, j, ldf(rkCoef, j + off));
}

/** The fit's info and flags as l1_fit's entry leaves them (the check wrote its own). */
function clearOutputs(): void {
  for (let k = 0; k < INFO_LEN; k++) stf(rkInfo, k, 0.0);
  for (let k = 0; k < rkP; k++) sti(rkFlags, k, 0);
}

/** globSolve's smallest level (reduced problem built, full problem active): the start wB from the
 *  least-squares fit of its m rows (gX column-major, m rows; gY; gW, or 0 when the data are
 *  unweighted). Returns RANK_DEFICIENT / NUMERICAL (the full design's, on the fallback), or -1. */
export function rankSampleStart(m: i32, gX: usize, gY: usize, gW: usize): i32 {
  const xs = XS;
  setXS(3); // the reduced X is f64
  const st = l2Solve(m, rkP, gX, gY, gW, rkIc, 0, rkCoef, rkInfo, rkFlags, rkWork, 1);
  setXS(xs);
  if (st == STATUS_RANK_DEFICIENT || st == STATUS_NUMERICAL) return checkNow(true);
  rkState = RK_SAMPLE;
  takeStart();
  clearOutputs();
  return -1;
}

/** Before a reduced solve after the smallest level's (full problem active, nothing pending): the next
 *  range of the check's Gram items in the background — at level lev > 0 a share 1 / (lev + 2) of those
 *  left (the solves grow with the level: at 1e6 x 10 level 1's takes ~1/3 of the pass's time on one
 *  thread), at level 0 all of them. True when the range runs in the background (parJoin after the
 *  solve); false: nothing started, or one thread (the items ran now). */
export function rankStart(lev: i32): bool {
  if (rkState != RK_SAMPLE) return false;
  begin();
  const left = rkItems - rkNext;
  if (left <= 0) return false;
  const k = lev > 0 ? (left + lev + 1) / (lev + 2) : left;
  const c0 = rkNext;
  rkNext += k;
  return l2CheckRange(c0, c0 + k, true);
}

function begin(): void {
  if (rkBegun) return;
  rkBegun = true;
  const xs = XS;
  setXS(rkXS);
  rkItems = l2CheckBegin(rkN, rkP, rkX, rkY, rkW, rkIc, rkWork, rkFlags);
  setXS(xs);
  rkNext = 0;
}

/** Before finalStage (full problem active, every range joined): the items left, then the decision.
 *  Returns RANK_DEFICIENT / NUMERICAL (coefficients, info and flags as l2Solve wrote them), or -1. */
export function rankFinish(): i32 {
  if (rkState == RK_WAIT) return checkNow(false);
  if (rkState != RK_SAMPLE) return rkResult;
  begin();
  const xs = XS;
  setXS(rkXS);
  if (rkNext < rkItems) l2CheckRange(rkNext, rkItems, false);
  rkNext = rkItems;
  const st = l2CheckEnd(rkCoef, rkInfo, rkFlags);
  setXS(xs);
  rkState = RK_NONE;
  if (st == STATUS_RANK_DEFICIENT || st == STATUS_NUMERICAL) { rkResult = st; return st; }
  clearOutputs();
  return -1;
}

/** l1_fit after the globbing solve returned `status` (-1: the plain solve follows from wB): the check
 *  settled. Returns RANK_DEFICIENT / NUMERICAL to return instead, or -1. */
export function rankSettle(status: i32): i32 {
  if (rkState == RK_WAIT) return checkNow(status < 0); // no sample start: the old order, its fit the start
  if (rkState == RK_SAMPLE) {
    if (status == STATUS_CANCELLED) { rkState = RK_NONE; return -1; }
    return rankFinish();
  }
  return rkResult;
}
