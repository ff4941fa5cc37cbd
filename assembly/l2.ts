// Weighted least squares with an optional ridge penalty: l2_work_bytes, l2_fit.
// Mirrored statement for statement by the TypeScript twin src/twin/l2.ts: the two backends perform the
// same IEEE operations in the same order (no FMA; SIMD lanes are mirrored by pairs of scalar
// accumulators), so they return bit-identical results (test/kernels/l2-kernel.test.ts checks).
//
// Problem: minimise sum_i w_i r_i^2 + ridge * sum_j b_j^2, r_i = y_i - b0 - sum_j x_ij b_j; the
// intercept b0 is not penalised and is fixed at 0 when intercept = 0.
//
// Numerical design (DESIGN.md §4):
//  1. Weighted column means m_j (kept as a double-double) when there is an intercept, else m_j = 0;
//     scales s_j = ||sqrt(w) (x_j - m_j)||_2. One pass per column (onePass: shifted sums about a
//     sampled data value near the middle, m = c + S1 / W, s^2 = S2 - S1 S1 / W, taken only when that
//     cancels at most one bit and nothing can over- or underflow); otherwise, and always on the QR
//     path (step 5), the multi-pass form: two-pass mean (mean, then plus the mean of the
//     deviations), scale computed relative to the largest |x_ij - m_j| so that no square over- or
//     underflows.
//     s_j = 0 (a zero column, or a constant one with an intercept, on the rows of positive weight;
//     also s_j < 1 / DBL_MAX) marks the column aliased: excluded, coefficient 0.
//  2. Z = sqrt(W) (X - m) / s has unit columns. The Gram matrix of [Z, sqrt(W)(y - ybar)] (upper
//     triangle) is accumulated over row blocks of BLOCK rows copied (centered, scaled, weighted) into
//     the work region; every dot product keeps two f64x2 lanes (even / odd rows of the block) that
//     are added at the end of the block.
//     In place (l2_fit's first attempt when unweighted, X f64, n (p + 1) >= PLAIN_MIN_NQ and p + 1 <= L):
//     a column whose mean does not dominate its squares (W m_j^2 <= s_j^2) is read straight from X
//     (no copy; its sums are centred afterwards, - W m_t m_u between two such columns), the others
//     and y are copied centred, and all entries are scaled by 1 / (s_t s_u) at the end. Measured
//     (1e6 x 20, CPU, A/B in separate processes, load 10): 88-92 -> 75-77 ms.
//     Fused (fusedNormalMatrix, tried first under the same conditions): steps 1 and 2 in ONE pass — the
//     Gram matrix of shifted columns x - c (c = 0 read in place, else a sampled value in a copy) with
//     each column's sum and extremes, centred and scaled afterwards; it falls back to the two passes
//     when a shift cancels more than one bit or a column is constant. Measured (1e6 x 20, CPU, A/B of
//     two builds in one process, 9 reps, load 4.4): 63.2 -> 60.0 ms median; 1e5 x 100 84.4 -> 82.8.
//  3. ridge / s_j^2 is added to diagonal j (the penalty in scaled coordinates).
//  4. Cholesky of the Gram matrix (upper, LAPACK dpotf2 order), failing at the first pivot that is
//     not above RCOND_MIN times its diagonal entry; then Hager/Higham's 1-norm estimate of rcond
//     (LAPACK dpocon / dlacn2).
//  5. If the Cholesky factor failed or rcond < RCOND_MIN: Householder QR of [Z, yc] (plus the rows
//     sqrt(ridge)/s_j e_j), accumulated block by block into one triangular factor (the blocks are
//     stacked under R and re-triangularised, as in LAPACK dtpqrt), so only O(p^2 + p * BLOCK) work
//     space is needed. Rank detection in natural column order on |R_kk| <= TOL_RANK (columns of Z
//     have unit norm); an aliased column is deleted and R re-triangularised with Givens rotations
//     (Golub & Van Loan, Matrix Computations, §6.5 "QR downdating"), so the later columns are
//     judged against the span of the retained earlier ones (R's lm convention). With ridge > 0 the
//     ridge rows are part of the factored matrix, so |R_kk| >= sqrt(ridge) / s_k: a column is only
//     dropped when the ridge is too small to regularise it at working precision (ridge / s_k^2 below
//     ~TOL_RANK^2); it is flagged, its coefficient is 0 (optimal to within ridge * |b|^2), and the
//     status stays OK — a ridge problem is never reported RANK_DEFICIENT.
//  6. Iterative refinement against the original X ("corrected semi-normal equations", Björck 1987):
//     r = y - b0 - X b and q = w r in double-double, the right-hand side X^T q - (m_hi + m_lo) 1^T q
//     - ridge b accumulated in double-double (Dot2, Ogita-Rump-Oishi 2005), correction from
//     R^T R d = (that) / s, intercept correction mean_w(r) - m . (d / s). Nothing is rounded to one
//     double before the right-hand side, so the fixed point is the exact least-squares solution of
//     the data as stored. The iteration contracts by about eps * cond(Z) with a QR factor and
//     eps * cond(Z)^2 with a Cholesky factor, hence the Cholesky factor only when rcond >= RCOND_MIN.
//     It stops when the last correction is at rounding level (componentwise, relative to the scaled
//     coefficients), stops contracting, or after MAX_REFINE corrections — or, on the Cholesky path,
//     as soon as a bound on the error left after a correction (rho ||d|| plus the double-double and
//     Dot2 rounding floors; rho from Hager's estimate of ||G^-1|| and worst-case rounding of the Gram
//     matrix and its factor) shows that rounding any point of each coefficient's error interval gives
//     the double already held ("settled"): a further correction could only return the same bits.
//     Typically one correction then suffices where two were computed before (measured: identical
//     coefficients on 4,900 random problems — weights, ridge, offsets, near-collinear columns — and
//     on NIST).
//     Plain mode (PLAIN_MIN_NQ, RCOND_PLAIN; l2_fit only, INFO_METHOD = 2): for large well-conditioned
//     problems the residuals and X^T W r are plain float64 sums (one fused pass per correction), and the
//     iteration stops once rho ||d|| is below the noise floor of those sums (docs/design.md §5) —
//     unless column offsets make that floor wide (OFFSET_AMP, offsetWide): the double-double
//     refinement then runs instead, on either route.
//     The f32 Gram route (Q32_MIN; l2_fit only, INFO_METHOD = 3): the fused pass's Gram matrix with
//     float32 products (assembly/gram32.ts), its f64 Cholesky factor, then plain mode against X with
//     rho widened by the f32 Gram's error bound — the same fixed point; the f64 route runs instead
//     when the factor is not comfortably conditioned or the refinement does not settle.
//  7. The objective comes from a last residual pass at the returned coefficients, unless the last
//     correction settled and the objective's change sum w (r - delta)^2 - sum w r^2 = -2 lin + quad
//     (lin = the correction dotted with X^T W r, already in hand; quad <= W c^2 + d^T G d) is below
//     eps times the objective: then it is obj - 2 lin + quad (equal to the pass's value to rounding,
//     measured <= 7e-16 relative).

import { STATUS_OK, STATUS_RANK_DEFICIENT, STATUS_NUMERICAL } from "./status";
import { INFO_LEN, INFO_OBJECTIVE, INFO_RCOND, INFO_ITERATIONS, INFO_METHOD, INFO_RANK, INFO_REFINE } from "./info";
import { splitHi, twoSumErr, twoProdErr, splitHiV, twoSumErrV, twoProdErrV } from "./dd";
import { XS, setX, setXS, xatx, xld, xld2 } from "./xload";
import { PAR_SLOTS, PASS_L2_GRAM, PASS_L2_GRAM32, PASS_L2_REFINE, PASS_L2_STD, parRun, parStart } from "./par";
import { gram32Args, gram32Item, resetStats } from "./gram32";
import { ldf, stf, ldi, sti, evenUp, lane0, lane1 } from "./mem";
import { dotTile2x4At, dotTile2x1At, dotTile1x4At, dots4, dot1 } from "./tile";

/** Rows per block of the Gram / QR / refinement passes (even, so f64x2 pairs never straddle blocks). */
const BLOCK: i32 = 512;
/** Smallest rcond of the scaled Gram matrix for which the Cholesky path is used. Refinement with a
 *  Cholesky factor contracts by ~ c * eps / rcond; at 1e-10 that is ~ c * 2.2e-6, fast even for a
 *  pessimistic c = 1e3. Below it the QR factor (contraction ~ c * eps * sqrt(1/rcond)) is used. */
const RCOND_MIN: f64 = 1e-10;
/** Rank tolerance on |R_kk| (columns of Z have unit norm). Measured by instrumenting deleteAliased
 *  on the cases of test/kernels/l2-kernel.test.ts: exactly dependent columns (duplicates, x3 = 2 x1 - x2,
 *  a 4-term combination, fewer positive-weight rows than columns, n < p) leave |R_kk| <= 9.4e-16;
 *  a collinear column built from data offset by 1e6 leaves up to 5.8e-12 (the rounding of the data
 *  itself, ~eps * offset / spread); NIST Filip's smallest |R_kk| is 6.06e-8. 1e-10 is 600x below
 *  Filip and 17x above the offset case, and keeps eps * cond(Z) <~ 2e-6, so the refinement still
 *  contracts: near-collinear columns just above it reach >= 12.9 digits against the exact solution. */
const TOL_RANK: f64 = 1e-10;
/** l2Solve(inner): the unrefined solution is used when the bound rho on the error of one
 *  correction (relative, normwise; the initial solution's error is of the same order) is at most
 *  this. The bound is pessimistic (worst-case rounding, x16): measured errors are ~1e-3 of it. */
const INNER_RHO: f64 = 1e-9;
/** Plain mode of the refinement (step 6): float64 residuals and X^T W r sums instead of
 *  double-double ones, for l2_fit's large well-conditioned problems only — n (p + 1) >= PLAIN_MIN_NQ
 *  and rcond >= RCOND_PLAIN on the Cholesky path. There the double-double pass cost ~4x a plain one
 *  (measured, 1e6 x 20: ~54 of 124 ms), and the answer it buys (the exact solution rounded) differs
 *  from the plain fixed point by at most the reported bound (a few ulps of eps cond(Z)): every
 *  problem of the NIST suite and of the accuracy tests is far below the size and keeps the exact
 *  refinement; IRLS and the L1 warm start never use it. */
const PLAIN_MIN_NQ: f64 = 1048576.0; // 2^20 entries of [X, y]
const RCOND_PLAIN: f64 = 1e-4;
/** The f32 Gram route (docs/design.md §5; assembly/gram32.ts): l2_fit's fused Gram pass with f32
 *  products for large unweighted f64 problems — the fused pass's conditions and q = p + 1 >= Q32_MIN —
 *  kept only when the f64 Cholesky factor of that Gram matrix exists, rcond >= RCOND_PLAIN and the
 *  estimate ||G^-1||_1 <= EST32_MAX (so eps32 cond <~ 1e-4: each correction contracts ~1e4-fold), and
 *  when the plain refinement then settles (its rho from the f32 Gram's error bound); otherwise the
 *  f64 route runs from the start (the same bits as without this route).
 *  Q32_MIN: where the f32 route beats the f64 fused pass as h21r's session-9 pass makes it (one read of
 *  X in place, tiles overlapping the reads; branch h21r 0af7c4b): CPU, interleaved, load 6-7, f32 / f64
 *  route: 1e6 x 20 1.13x (slower), 1e6 x 30 1.06x, 1e5 x 50 0.98x, 1e5 x 100 0.79x. (Against the
 *  session-start f64 pass it won from q = 16: 1e6 x 15 0.92x, 1e6 x 20 0.84x.) The f32 route's
 *  conversion copy is a separate memory-bound phase per block, ~1 ns per entry. */
const Q32_MIN: i32 = 64;
const EST32_MAX: f64 = 1024.0;
/** 2^-23 (float32 machine epsilon). */
const EPS32: f64 = 1.1920928955078125e-7;
/** Largest and smallest max |d_t| f_t of a column on the f32 route (2^40, 2^-40): no f32 product or
 *  block sum can overflow (<= 2^89), and products under f32's range are below 2^-46 of the column's. */
const F32_AMAX: f64 = 1099511627776.0;
const F32_AMIN: f64 = 9.094947017729282e-13;
/** Refinement corrections at most. */
const MAX_REFINE: i32 = 5;
/** The offset guard of the plain refinement (offsetWide): large column offsets (|m_j| >> s_j / sqrt(W))
 *  widen the float64 residuals' and X^T r sums' rounding — the plain refinement's noise floor — in
 *  proportion, and the plain refinement stops inside it (measured against the exact solution, n 2^17,
 *  p 20, offsets K sd: K 1e3 1.0e-12, 1e6 1.5e-9, 1e8 3.5e-7 normwise). When that floor, estimated
 *  from the initial solution, is more than OFFSET_AMP times the same problem's centred floor, the
 *  double-double refinement runs instead (the exact solution rounded; docs/design.md §5). Centred
 *  data is at 1-1.4 (the benchmark data, 0/1 columns), uniform [0, 1) columns ~2; offsets of 10 sd
 *  reach ~3 (plain error measured 3e-16 normwise at p 20, 6e-15 at p 64), 30 sd ~7 (8.5e-15, 2.7e-14). */
const OFFSET_AMP: f64 = 4.0;
/** 2^-52. */
const EPS: f64 = 2.220446049250313e-16;

// ---------------------------------------------------------------------------------------------
// Memory helpers (byte pointers; f64 index i at p + 8 i, i32 index i at p + 4 i).


/** Rows of the block buffers: BLOCK, or n rounded up to even when smaller. */
function blockRows(n: i32): i32 {
  return min<i32>(BLOCK, evenUp(n));
}

/** Work region: 12 vectors of evenUp(p + 1) f64 (means hi / lo, scales, inverse scales, active columns,
 *  factor positions, correction, Dot2 high / low parts, estimator vector and signs, bounds on max |x_ij|), the Gram matrix
 *  and the triangular factor ((p + 1)^2 each, rounded up to even), the row block ((p + 1) * L) and
 *  five per-row vectors of L (weights; residual high / low parts, then q = w r as a double-double and
 *  the split of its high part) — the scratch of participant slot 0 —, the block-pass arguments
 *  (ARGS_LEN f64), one partial result per row chunk (chunks(n, p) slots of partStride(p) f64: a
 *  chunk's Gram matrix, or its refinement sums), the scratch of slots 1..PAR_SLOTS-1 and the fused
 *  Gram pass's column statistics per chunk (3 evenUp(p + 1) f64: sums, minima, maxima), and 8 f64 of
 *  scratch for the QR factorisation's dots4 (assembly/tile.ts). */
export function l2_work_bytes(n: i32, p: i32): f64 {
  const L = <f64>blockRows(n);
  const pv = <f64>evenUp(p + 1);
  const q = <f64>p + 1.0;
  const qq = q * q + (q % 2.0);
  const ps = <f64>partStride(p);
  return 8.0 * (12.0 * pv + 2.0 * qq + (q + 5.0) * L + <f64>ARGS_LEN + <f64>chunkCount(n, p) * (ps + 3.0 * pv) +
    <f64>(PAR_SLOTS - 1) * (q + 5.0) * L + 8.0);
}

// ---- row chunks: the fixed decomposition of the block passes ----
// The Gram and refinement passes run over row chunks of chunkRows(n, p) rows (a whole number of
// blocks, so the blocks are those of one sequential sweep); each chunk accumulates from zero into its
// own partial slot exactly as the sweep did, and the kernel adds the partials in chunk order. The
// decomposition depends on n and p only — never on the number of threads — so every thread count
// gives the same bits (and one chunk, n <= chunkRows, gives the sequential sweep's bits).

/** Argument slots (f64 indexes into the argument region) of a block pass (kernel-only: the twin
 *  passes its items their arguments directly). */
const ARGS_LEN: i32 = 20;
const aN = 0, aPX = 1, aPY = 2, aPW = 3, aK = 4, aAct = 5, aV1 = 6, aV2 = 7, aV3 = 8, aL = 9,
  aChunk = 10, aPart = 11, aPStride = 12, aScr0 = 13, aScrN = 14, aSStride = 15, aXS = 16, aRhs = 17, aMask = 18, aFast = 19;
/** The Gram pass's first chunk (its items are chunks aOff, aOff + 1, ...: l2CheckRange runs the pass in
 *  ranges; 0 otherwise) — the slot aRhs, which that pass does not read. */
const aOff = aRhs;
/** Smallest chunk in blocks; most chunks; largest total of partial slots (f64). */
const CHUNK_MIN_BLOCKS: i32 = 8;
const CHUNK_MAX: i32 = 256;
const PART_MAX_F64: i32 = 1 << 22;

/** f64 per partial slot: a (p + 1)^2 Gram matrix, or 2 evenUp(p + 1) Dot2 sums + the objective. */
function partStride(p: i32): i32 {
  const q = p + 1;
  const g = evenUp(q * q);
  const r = 2 * evenUp(q) + 2;
  return g > r ? g : r;
}

/** Rows per chunk: a multiple of the block rows L. */
export function chunkRows(n: i32, p: i32): i32 {
  const L = blockRows(n);
  const nb = (n + L - 1) / L;
  let most = PART_MAX_F64 / partStride(p);
  if (most > CHUNK_MAX) most = CHUNK_MAX;
  if (most < 1) most = 1;
  let bpc = (nb + most - 1) / most;
  if (bpc < CHUNK_MIN_BLOCKS) bpc = CHUNK_MIN_BLOCKS;
  return bpc * L;
}

export function chunkCount(n: i32, p: i32): i32 {
  if (n <= 0) return 1;
  const c = chunkRows(n, p);
  return (n + c - 1) / c;
}

/** Scratch of participant slot s: the row block, then the weights, residual and q vectors (L each). */
// @ts-ignore: decorator
@inline function slotScratch(pArgs: usize, s: i32): usize {
  return s == 0 ? <usize>ldf(pArgs, aScr0) : <usize>ldf(pArgs, aScrN) + <usize>(s - 1) * <usize>ldf(pArgs, aSStride);
}

/** The argument slots common to both passes. */
function passArgs(n: i32, pX: usize, pY: usize, pW: usize, k: i32, pAct: usize, L: i32, p: i32): usize {
  const a = rArgs;
  stf(a, aN, <f64>n);
  stf(a, aPX, <f64>pX);
  stf(a, aPY, <f64>pY);
  stf(a, aPW, <f64>pW);
  stf(a, aK, <f64>k);
  stf(a, aAct, <f64>pAct);
  stf(a, aL, <f64>L);
  stf(a, aChunk, <f64>chunkRows(n, p));
  stf(a, aPart, <f64>rPart);
  stf(a, aPStride, <f64>partStride(p));
  stf(a, aScr0, <f64>rBlk);
  stf(a, aScrN, <f64>rSlots);
  stf(a, aSStride, <f64>(<usize>((p + 6) * L) << 3));
  stf(a, aXS, <f64>XS);
  return a;
}

/** gram: 0 (auto: the f32 Gram route where it applies, see Q32_MIN), 1 (the f64 route only). */
export function l2_fit(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, ridge: f64,
  pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize, xf32: i32, gram: i32): i32 {
  setX(xf32);
  let route = ROUTE_F64;
  if (gram == 0) {
    const st = l2Route(n, p, pX, pY, pW, intercept, ridge, pCoef, pInfo, pFlags, pWork, 0, 1, ROUTE_F32);
    if (st >= 0) return st;
    if (st == -2) route = ROUTE_F64_TWO_PASS;
  }
  return l2Route(n, p, pX, pY, pW, intercept, ridge, pCoef, pInfo, pFlags, pWork, 0, 1, route);
}

/** l2Route's routes: the f64 Gram (today's: the fused pass first when plainOk), the f32 Gram route,
 *  and the f64 Gram after the f32 route found a shift that cancels (the fused pass would again:
 *  standardize and normalMatrix directly, as the f64 route does after its fused pass fails). */
const ROUTE_F64: i32 = 0;
const ROUTE_F32: i32 = 1;
const ROUTE_F64_TWO_PASS: i32 = 2;

/** l2_fit, or with inner != 0 the cheaper solve that IRLS uses for its intermediate steps: when the
 *  Cholesky path's error bound rho (see step 6) is at most INNER_RHO, the semi-normal-equations
 *  solution is returned unrefined; otherwise the refinement runs as usual. Either way the final
 *  objective pass is skipped (INFO_OBJECTIVE then holds the objective at the previous iterate, or
 *  0 without refinement). Coefficients, flags, status, RCOND, METHOD and RANK are computed as by
 *  l2_fit; ITERATIONS counts the corrections applied. The steps of the header are the functions
 *  below: standardize (1), normalMatrix (2-3), factorize (4-5), initialSolution and refine (6). */
export function l2Solve(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, ridge: f64,
  pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize, inner: i32, plainOk: i32 = 0): i32 {
  return l2Route(n, p, pX, pY, pW, intercept, ridge, pCoef, pInfo, pFlags, pWork, inner, plainOk, ROUTE_F64);
}

/** l2Solve on a route (ROUTE_*). ROUTE_F32 returns -1 (nothing usable written: run ROUTE_F64) when the
 *  route does not apply or its factor / refinement is not accepted (see Q32_MIN), -2 when the fused
 *  pass's shift cancelled (run ROUTE_F64_TWO_PASS); otherwise a status, as l2Solve. */
function l2Route(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, ridge: f64,
  pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize, inner: i32, plainOk: i32, route: i32): i32 {
  const L = blockRows(n);
  if (route == ROUTE_F32 && !(plainOk != 0 && inner == 0 && pW == 0 && XS == 3 && p > 0 && p + 1 >= Q32_MIN &&
    <f64>n * <f64>(p + 1) >= PLAIN_MIN_NQ && p + 1 <= L)) return -1;
  layoutL2(pWork, p, L, n);
  rG32 = route == ROUTE_F32 ? 1 : 0;
  rFail32 = 0;

  for (let k = 0; k < INFO_LEN; k++) stf(pInfo, k, 0);
  for (let j = 0; j <= p; j++) stf(pCoef, j, 0);
  for (let j = 0; j < p; j++) sti(pFlags, j, 0);

  let W = <f64>n;
  let mask = 0; // some row has weight 0: the refinement zeroes its data instead of reading X directly
  if (pW != 0) {
    W = 0;
    for (let i = 0; i < n; i++) {
      const w = ldf(pW, i);
      W += w;
      if (w == 0) mask = 1;
    }
  }
  if (W == 0) {
    // No row carries weight: nothing is identified. Coefficients stay 0, every column is flagged.
    for (let j = 0; j < p; j++) sti(pFlags, j, 1);
    stf(pInfo, INFO_RCOND, 1);
    return intercept != 0 || (p > 0 && ridge == 0) ? STATUS_RANK_DEFICIENT : STATUS_OK;
  }

  let pa = p;
  if (route == ROUTE_F32) {
    const f = fusedNormalMatrix(n, p, pX, pY, pW, intercept, ridge, L, 1);
    if (f != FUSED_OK) return f == FUSED_SHIFT ? -2 : -1;
  } else if (!(plainOk != 0 && route == ROUTE_F64 && fusedNormalMatrix(n, p, pX, pY, pW, intercept, ridge, L, 0) == FUSED_OK)) {
    pa = standardize(n, p, pX, pY, pW, W, intercept, pFlags, 1);
    normalMatrix(n, pX, pY, pW, pa, intercept != 0 ? ldf(rMean, p) : 0.0, ridge, L, plainOk);
  }
  let ybar = intercept != 0 ? ldf(rMean, p) : 0.0;
  let kk = factorize(n, pX, pY, pW, pa, ybar, ridge, L, pFlags, pInfo, 1);
  if (route == ROUTE_F32) {
    // The f32 factor is kept only for a comfortably conditioned Gram matrix (see Q32_MIN).
    const rc = ldf(pInfo, INFO_RCOND);
    if (kk < 0 || !(rc >= RCOND_PLAIN) || !(1.0 / (rc * gramNorm1(rG, pa + 1, rPos, pa)) <= EST32_MAX)) return -1;
  }
  if (kk < 0) {
    // The QR path (step 5: ill-conditioned): steps 1-3 again with the multi-pass standardisation,
    // so that path sees the scales it was tuned with (NIST Filip ends 13 ulps from the exact
    // solution with them, 107 with the one-pass scales: the noise-limited refinement's end point
    // moves with any rounding of Z). Costs a Gram pass on a path that costs a QR pass anyway.
    for (let j = 0; j < p; j++) sti(pFlags, j, 0);
    pa = standardize(n, p, pX, pY, pW, W, intercept, pFlags, 0);
    ybar = intercept != 0 ? ldf(rMean, p) : 0.0;
    normalMatrix(n, pX, pY, pW, pa, ybar, ridge, L, 0);
    kk = factorize(n, pX, pY, pW, pa, ybar, ridge, L, pFlags, pInfo, 0);
  }
  const q = pa + 1;
  const b0 = initialSolution(kk, pa, q, ybar, intercept, pCoef);
  let obj = refine(n, pX, pY, pW, mask, W, kk, q, b0, intercept, ridge, inner, plainOk, L, pCoef, pInfo);
  if (rFail32 != 0) return -1; // the f32 factor's corrections did not settle: the f64 route

  // 7. Objective at the returned coefficients.
  if (ridge > 0) {
    let pen = 0.0;
    for (let t = 0; t < kk; t++) {
      const b = ldf(pCoef, 1 + ldi(rAct, t));
      pen += b * b;
    }
    obj += ridge * pen;
  }
  stf(pInfo, INFO_OBJECTIVE, obj);
  stf(pInfo, INFO_RANK, <f64>(kk + (intercept != 0 ? 1 : 0)));

  let finite = obj - obj == 0;
  for (let j = 0; j <= p; j++) {
    const c = ldf(pCoef, j);
    if (!(c - c == 0)) finite = false;
  }
  if (!finite) return STATUS_NUMERICAL;
  // Flagged columns: pa < p (zero scale) or kk < pa (aliased in the QR factor).
  return ridge == 0 && kk < p ? STATUS_RANK_DEFICIENT : STATUS_OK;
}

// ---- the rank check in pieces (assembly/l1-rank.ts: l1_fit's least-squares rank check off the critical path) ----
// l2Solve(n, p, ..., inner = 1, plainOk = 1) with its row passes run ahead: l2CheckBegin sets the call's
// work region up as l2Route will (the fused pass's shifts, or the standardisation pass and the Gram
// pass's mode), l2CheckRange runs ranges of the Gram pass's items (chunks, possibly in the background
// while the caller solves), and l2CheckEnd runs l2Route, whose standardize / gramMatrix then take the
// items' outputs as they are (preStd, preGram) and only reduce — in chunk order, as always: the bits
// of l2Solve's, whatever the ranges and the thread count. Nothing else may use the work region between
// l2CheckBegin and l2CheckEnd (another l2Solve may run meanwhile in ANOTHER region: the module's layout
// globals are set again at each entry).

let preStd = false;  // the next standardize's items ran already (consumed by it)
let preGram = false; // the next gramMatrix's items ran already (consumed by it)
let ckN: i32 = 0, ckP: i32 = 0, ckIc: i32 = 0, ckStd = false;
let ckX: usize = 0, ckY: usize = 0, ckW: usize = 0, ckWork: usize = 0, ckArgs: usize = 0;

/** Sets up l2Solve(n, p, pX, pY, pW, intercept, 0, ., ., pFlags, pWork, 1, 1) up to its Gram pass (X
 *  element shift XS as for that call; the standardisation pass, when the fused pass does not apply,
 *  runs here) and returns that pass's items — 0 when there is none to run (no row of positive weight:
 *  l2CheckEnd decides at once). */
export function l2CheckBegin(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, pWork: usize, pFlags: usize): i32 {
  ckN = n; ckP = p; ckX = pX; ckY = pY; ckW = pW; ckIc = intercept; ckWork = pWork; ckStd = false;
  preStd = false; preGram = false;
  const L = blockRows(n);
  layoutL2(pWork, p, L, n);
  let W = <f64>n;
  if (pW != 0) {
    W = 0;
    for (let i = 0; i < n; i++) W += ldf(pW, i);
  }
  if (W == 0) return 0;
  if (fusedProbe(n, p, pX, pY, pW, intercept, L, 0)) {
    ckArgs = gramArgs(n, pX, pY, pW, p, 0, L, rP, rStats);
  } else {
    const pa = standardize(n, p, pX, pY, pW, W, intercept, pFlags, 1);
    const ybar = intercept != 0 ? ldf(rMean, p) : 0.0;
    ckStd = true;
    normalPrep(n, pW, pa, ybar, L, 1);
    ckArgs = gramArgs(n, pX, pY, pW, pa, ybar, L, rP, 0);
  }
  return chunkCount(n, p);
}

/** Items c0..c1-1 of the check's Gram pass: started in the background when `bg` (par.ts parStart; true:
 *  the caller must parJoin() before the next pass or l2CheckEnd), else run now (false). */
export function l2CheckRange(c0: i32, c1: i32, bg: bool): bool {
  const a = ckArgs, k = c1 - c0;
  stf(a, aOff, <f64>c0);
  if (bg) {
    if (parStart(PASS_L2_GRAM, a, k)) return true;
  } else if (parRun(PASS_L2_GRAM, a, k)) return false;
  const xs = XS;
  for (let c = 0; c < k; c++) l2GramItem(a, c, 0);
  setXS(xs);
  return false;
}

/** The check's l2Solve from its Gram pass's partials (every item run, joined): status, coefficients,
 *  info and flags as l2Solve(n, p, ..., inner = 1, plainOk = 1) writes them (X element shift XS as at
 *  l2CheckBegin). */
export function l2CheckEnd(pCoef: usize, pInfo: usize, pFlags: usize): i32 {
  preStd = ckStd;
  preGram = true;
  const st = l2Route(ckN, ckP, ckX, ckY, ckW, ckIc, 0, pCoef, pInfo, pFlags, ckWork, 1, 1, ROUTE_F64);
  preStd = false;
  preGram = false;
  return st;
}

// ---- the work layout of the call in progress (set by layoutL2 at entry; read by the steps) ----
let rMean: usize = 0;   // evenUp(p + 1) f64: weighted means (hi), y's in slot p
let rMeanLo: usize = 0; // means (lo)
let rScale: usize = 0;  // column scales s_j
let rInvs: usize = 0;   // 1 / s_j
let rAct: usize = 0;    // i32: active columns (then the factor's columns in order)
let rPos: usize = 0;    // i32: factor positions
let rDelta: usize = 0;  // correction
let rGh: usize = 0;     // Dot2 right-hand side, high parts
let rGl: usize = 0;     // low parts
let rEx: usize = 0;     // column extent; estimator vector
let rSg: usize = 0;     // estimator signs
let rXm: usize = 0;     // bounds on max |x_ij|
let rG: usize = 0;      // (p + 1)^2 f64: Gram matrix
let rR: usize = 0;      // (p + 1)^2 f64: triangular factor
let rBlk: usize = 0;    // (p + 1) L f64: row block
let rWb: usize = 0;     // L f64: block weights
let rRh: usize = 0;     // L f64: residuals (hi), then q = w r (hi)
let rRl: usize = 0;     // (lo)
let rQh: usize = 0;     // split of q's high part
let rQl: usize = 0;
let rArgs: usize = 0;   // ARGS_LEN f64: block-pass arguments
let rPart: usize = 0;   // chunkCount(n, p) partial slots
let rSlots: usize = 0;  // scratch of participant slots 1..PAR_SLOTS-1 ((p + 6) L f64 each)
let rP: i32 = 0;        // p of the call in progress (the chunk rule's)
let rRaw: i32 = 0;      // the Gram matrix was read in place (normalMatrix; widens refine's rho)
let rG32: i32 = 0;      // the f32 Gram route (l2Route): refine's rho from the f32 Gram's error bound
let rFail32: i32 = 0;   // refine on the f32 route ended without settling (l2Route then runs the f64 route)
let rStats: usize = 0;  // chunkCount(n, p) x 3 evenUp(p + 1) f64: the fused Gram pass's column sums, minima, maxima
let rDots: usize = 0;   // 8 f64: householderBlock's scratch (factorize, serial)

/** Points the regions above into the work region at pWork (see l2_work_bytes). */
function layoutL2(pWork: usize, p: i32, L: i32, n: i32): void {
  const pvBytes = <usize>evenUp(p + 1) << 3;
  const qqBytes = <usize>evenUp((p + 1) * (p + 1)) << 3;
  rMean = pWork;
  rMeanLo = rMean + pvBytes;
  rScale = rMeanLo + pvBytes;
  rInvs = rScale + pvBytes;
  rAct = rInvs + pvBytes;
  rPos = rAct + pvBytes;
  rDelta = rPos + pvBytes;
  rGh = rDelta + pvBytes;
  rGl = rGh + pvBytes;
  rEx = rGl + pvBytes;
  rSg = rEx + pvBytes;
  rXm = rSg + pvBytes;
  rG = rXm + pvBytes;
  rR = rG + qqBytes;
  rBlk = rR + qqBytes;
  rWb = rBlk + (<usize>((p + 1) * L) << 3);
  rRh = rWb + (<usize>L << 3);
  rRl = rRh + (<usize>L << 3);
  rQh = rRl + (<usize>L << 3);
  rQl = rQh + (<usize>L << 3);
  rArgs = rQl + (<usize>L << 3);
  rPart = rArgs + (<usize>ARGS_LEN << 3);
  rSlots = rPart + (<usize>(chunkCount(n, p) * partStride(p)) << 3);
  rStats = rSlots + <usize>(PAR_SLOTS - 1) * (<usize>((p + 6) * L) << 3);
  rDots = rStats + (<usize>(chunkCount(n, p) * 3 * evenUp(p + 1)) << 3);
  rP = p;
}

/** Step 1: means and scales; the active columns (in rAct; the others flagged). Returns their count.
 *  Means are kept as double-doubles (hi in rMean, lo in rMeanLo; y's in slot p): the low part
 *  keeps the correction's right-hand side exactly centered when the intercept cannot be represented
 *  finely enough to zero the mean residual (e.g. a column offset by 1e12). */
function standardize(n: i32, p: i32, pX: usize, pY: usize, pW: usize, W: f64, intercept: i32, pFlags: usize, fast: i32): i32 {
  // One item per column (and one for y's mean), each the column's passes exactly as a sequential
  // loop over the columns would run them: the columns are independent, so any thread count gives
  // the same bits. The ranges go to each participant's own scratch (the row block of its slot).
  const a = passArgs(n, pX, pY, pW, p, 0, blockRows(n), rP);
  stf(a, aV1, W);
  stf(a, aV2, <f64>intercept);
  stf(a, aV3, <f64>rMean);
  stf(a, aMask, <f64>rMeanLo);
  stf(a, aAct, <f64>rXm);
  stf(a, aRhs, <f64>rScale);
  stf(a, aFast, <f64>fast);
  if (preStd) preStd = false; // l2CheckBegin ran the items (their outputs are in place)
  else if (!parRun(PASS_L2_STD, a, p + 1)) {
    for (let j = 0; j <= p; j++) l2StdItem(a, j, 0);
  }
  let pa = 0;
  for (let j = 0; j < p; j++) {
    const s = ldf(rScale, j);
    const iv = 1.0 / s;
    stf(rInvs, j, iv);
    if (s > 0 && iv < Infinity) {
      sti(rAct, pa, j);
      pa++;
    } else {
      sti(pFlags, j, 1);
    }
  }
  return pa;
}

/** Block pass PASS_L2_STD, item j < p: column j's weighted mean (double-double; 0 without an
 *  intercept), range and scale (bound on max |x| in the xm slot); item p: y's mean (with an
 *  intercept). Arguments: W (aV1), intercept (aV2), the mean hi / lo, bound and scale regions
 *  (aV3, aMask, aAct, aRhs). */
export function l2StdItem(pArgs: usize, j: i32, s: i32): void {
  setXS(<i32>ldf(pArgs, aXS));
  const n = <i32>ldf(pArgs, aN);
  const p = <i32>ldf(pArgs, aK);
  const pW = <usize>ldf(pArgs, aPW);
  const W = ldf(pArgs, aV1);
  const intercept = <i32>ldf(pArgs, aV2);
  const mean = <usize>ldf(pArgs, aV3) + (<usize>j << 3);
  const meanLo = <usize>ldf(pArgs, aMask) + (<usize>j << 3);
  const ex = slotScratch(pArgs, s);
  const fast = <i32>ldf(pArgs, aFast) != 0;
  if (j == p) {
    if (intercept != 0 && !(fast && onePass(n, <usize>ldf(pArgs, aPY), pW, W, 1, mean, meanLo, 0, 0, ex, 3))) {
      weightedMean(n, <usize>ldf(pArgs, aPY), pW, W, mean, meanLo);
    }
    return;
  }
  const col = xatx(<usize>ldf(pArgs, aPX), n, j, 0);
  if (fast && onePass(n, col, pW, W, intercept, mean, meanLo, <usize>ldf(pArgs, aAct) + (<usize>j << 3),
    <usize>ldf(pArgs, aRhs) + (<usize>j << 3), ex, XS)) return;
  if (intercept != 0) {
    weightedMean(n, col, pW, W, mean, meanLo, ex, XS);
  } else {
    columnRange(n, col, pW, ex, XS);
    store<f64>(mean, 0);
    store<f64>(meanLo, 0);
  }
  const m = load<f64>(mean);
  stf(<usize>ldf(pArgs, aRhs), j, columnScale(n, col, pW, m, <usize>ldf(pArgs, aAct) + (<usize>j << 3), vExtent(ldf(ex, 0), ldf(ex, 1), m), XS));
}

/** Steps 2-3: Gram matrix of [Z, yc] (order q = pa + 1, upper triangle, leading dimension q) in rG,
 *  ridge on the diagonal. */
function normalMatrix(n: i32, pX: usize, pY: usize, pW: usize, pa: i32, ybar: f64, ridge: f64, L: i32, rawOk: i32): void {
  normalPrep(n, pW, pa, ybar, L, rawOk);
  gramMatrix(n, pX, pY, pW, pa, ybar, L, rP, rG, 0);
  addRidge(pa, pa + 1, ridge);
}

/** normalMatrix's choice of the in-place Gram (rRaw) and its columns' shifts (rSg, rEx). */
function normalPrep(n: i32, pW: usize, pa: i32, ybar: f64, L: i32, rawOk: i32): void {
  const q = pa + 1;
  // In place (see gramMatrix): l2_fit's first attempt, unweighted f64 X, n q >= PLAIN_MIN_NQ, q <= L.
  rRaw = rawOk != 0 && pW == 0 && XS == 3 && <f64>n * <f64>q >= PLAIN_MIN_NQ && q <= L ? 1 : 0;
  if (rRaw != 0) {
    // Column t's shift in rEx: 0 for the columns read in place (mode 1 in rSg), else its mean (y: ybar).
    const W = <f64>n;
    for (let t = 0; t < pa; t++) {
      const j = ldi(rAct, t);
      const m = ldf(rMean, j);
      const s = ldf(rScale, j);
      const inPlace = (W * m) * m <= s * s;
      stf(rSg, t, inPlace ? 1.0 : 0.0);
      stf(rEx, t, inPlace ? 0.0 : m);
    }
    stf(rSg, pa, 0);
    stf(rEx, pa, ybar);
  }
}

/** Step 3: ridge / s_j^2 on the Gram matrix's diagonal (scaled coordinates). */
function addRidge(pa: i32, q: i32, ridge: f64): void {
  if (ridge > 0) {
    for (let t = 0; t < pa; t++) {
      const iv = ldf(rInvs, ldi(rAct, t));
      stf(rG, t * q + t, ldf(rG, t * q + t) + (ridge * iv) * iv);
    }
  }
}

/** Sampled rows of the fused pass's mode and shift estimate: rows (2k + 1) n / (2 FUSED_PROBE), k < FUSED_PROBE
 *  (evenly spaced, so a trend in row order averages out; a median shift, as onePass's, falls back
 *  too often here: a 0/1 column with 30% ones whose median sample is 1 cancels 1.5 bits). */
const FUSED_PROBE: i32 = 64;

/** Steps 1-3 in one pass over X and y (l2_fit's first attempt, when the in-place Gram applies:
 *  unweighted, X f64, n (p + 1) >= PLAIN_MIN_NQ, p + 1 <= L). Instead of a standardisation pass before
 *  the Gram pass, the Gram pass accumulates the Gram matrix of the shifted columns d_t = x_t - c_t
 *  (y in column p) together with each column's sum S1_t = sum d_t and the extremes of d_t, and the
 *  centring and scaling follow algebraically: m_t = c_t + S1_t / W (hi and the rounding error, as
 *  onePass), centred sums C_tu = G_tu - S1_t (S1_u / W), s_t = sqrt(C_tt), Z's Gram C_tu / (s_t s_u).
 *  Shift: 0 (the column read in place, as normalMatrix's mode 1) when FUSED_PROBE evenly spaced rows
 *  say its mean does not dominate its spread (4 mean^2 <= mean square there), else their mean, in a
 *  copied column. Without an intercept every shift is
 *  0 and nothing is centred. The shift was good enough when each column passes onePass's tests:
 *  sums finite and in range, S1_t (S1_t / W) <= S2_t / 2 (the centring cancels at most one bit, so
 *  the Gram's sums are at most twice the centred ones, as refine's rho assumes for the in-place
 *  Gram), and no column constant (s_t > 0, 1 / s_t finite). Otherwise FUSED_SHIFT, nothing kept: the
 *  caller runs standardize and normalMatrix (the passes this replaces; the Gram pass is lost).
 *  On success (FUSED_OK): means, scales, inverse scales, bounds max|x_j| (|m| + max |d - S1 / W|, up
 *  to rounding) and the active columns (all p) are set, rG holds Z's Gram with the ridge, rRaw = 1.
 *  f32 != 0 (the f32 Gram route, see Q32_MIN): the same with the Gram pass of assembly/gram32.ts
 *  (float32 products of d_t f_t, f_t = 2^-k from the sampled rows, f32x4 sums over at most 128 rows);
 *  FUSED_F32 when its range check fails (gram32Matrix). */
function fusedNormalMatrix(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, ridge: f64, L: i32,
  f32: i32): i32 {
  const q = p + 1;
  if (!fusedProbe(n, p, pX, pY, pW, intercept, L, f32)) return FUSED_SHIFT;
  if (f32 != 0) {
    if (!gram32Matrix(n, p, pX, pY, L)) return FUSED_F32;
  } else {
    gramMatrix(n, pX, pY, pW, p, 0, L, rP, rG, rStats);
  }
  // Column statistics: the chunks' in chunk order (sums added, extremes compared).
  const pv = evenUp(q);
  const nc = chunkCount(n, p);
  const W = <f64>n;
  for (let t = 0; t < q; t++) {
    let s1 = 0.0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < nc; c++) {
      const st = rStats + (<usize>(c * 3 * pv) << 3);
      s1 += ldf(st, t);
      const a = ldf(st, pv + t);
      const b = ldf(st, 2 * pv + t);
      if (a < lo) lo = a;
      if (b > hi) hi = b;
    }
    const s2 = ldf(rG, t * q + t);
    if (!(s1 - s1 == 0) || !(s2 < Infinity) || !(s2 >= ONEPASS_S2_MIN)) return FUSED_SHIFT;
    const c = ldf(rEx, t);
    const m1 = intercept != 0 ? s1 / W : 0.0;
    const m = c + m1;
    const amax = vExtent(lo, hi, m1);
    if (!(W * amax * amax <= ONEPASS_WA2_MAX)) return FUSED_SHIFT;
    const corr = s1 * m1;
    if (!(corr <= 0.5 * s2)) return FUSED_SHIFT;
    const sc = t < p ? sqrt<f64>(s2 - corr) : 1.0;
    const iv = 1.0 / sc;
    if (!(sc > 0 && iv < Infinity)) return FUSED_SHIFT;
    stf(rMean, t, m);
    stf(rMeanLo, t, twoSumErr(c, m1, m));
    if (t < p) {
      stf(rScale, t, sc);
      stf(rInvs, t, iv);
      stf(rXm, t, abs<f64>(m) + amax);
    }
    stf(rDelta, t, m1); // S1_t / W, for the centring below
    stf(rGh, t, s1);
  }
  // Centre and scale: C_tu = G_tu - S1_t (S1_u / W) (u >= t), times 1 / (s_t s_u) (y: 1).
  for (let u = 0; u < q; u++) {
    const ivu = u < p ? ldf(rInvs, u) : 1.0;
    const mu = intercept != 0 ? ldf(rDelta, u) : 0.0;
    for (let t = 0; t <= u; t++) {
      const ivt = t < p ? ldf(rInvs, t) : 1.0;
      let g = ldf(rG, u * q + t);
      if (intercept != 0) g = g - ldf(rGh, t) * mu;
      stf(rG, u * q + t, (g * ivt) * ivu);
    }
  }
  addRidge(p, q, ridge);
  return FUSED_OK;
}

/** fusedNormalMatrix's choice (the pass applies: unweighted, X f64, n (p + 1) >= PLAIN_MIN_NQ, p + 1 <= L)
 *  and its columns' shifts and modes (rSg, rEx; the f32 route's factors in rScale), all p active, rRaw = 1;
 *  false when the pass does not apply (nothing written). */
function fusedProbe(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, L: i32, f32: i32): bool {
  const q = p + 1;
  if (!(pW == 0 && XS == 3 && p > 0 && <f64>n * <f64>q >= PLAIN_MIN_NQ && q <= L)) return false;
  for (let t = 0; t < q; t++) {
    sti(rAct, t, t);
    const v = t < p ? pX + ((<usize>t * <usize>n) << 3) : pY;
    let c = 0.0;
    let mode = 1.0;
    if (intercept != 0) {
      let s1 = 0.0;
      let s2 = 0.0;
      for (let k = 0; k < FUSED_PROBE; k++) {
        const x = ldf(v, <i32>((<i64>(2 * k + 1) * <i64>n) / <i64>(2 * FUSED_PROBE)));
        s1 += x;
        s2 += x * x;
      }
      if (!(4.0 * s1 * s1 <= <f64>FUSED_PROBE * s2)) {
        mode = 0.0;
        c = s1 / <f64>FUSED_PROBE;
      }
    }
    stf(rSg, t, mode);
    stf(rEx, t, c);
    if (f32 != 0) stf(rScale, t, f32Factor(v, n, c));
  }
  rRaw = 1;
  return true;
}

/** The f32 route's factor f_t = 2^-k for column v (shift c): max |v - c| over fusedNormalMatrix's
 *  sampled rows times f_t in [0.5, 1) — 1 when they are all c (the pass checks the real range). */
function f32Factor(v: usize, n: i32, c: f64): f64 {
  let amp = 0.0;
  for (let k = 0; k < FUSED_PROBE; k++) {
    const d = abs<f64>(ldf(v, <i32>((<i64>(2 * k + 1) * <i64>n) / <i64>(2 * FUSED_PROBE))) - c);
    if (d > amp) amp = d;
  }
  return amp > 0 && amp < Infinity ? scaleFor(amp) : 1.0;
}

/** fusedNormalMatrix's Gram pass on the f32 route (assembly/gram32.ts; shifts in rEx, factors f_t in
 *  rScale): the chunks' matrices summed in chunk order into rG, then unscaled by 1 / (f_t f_u) (powers
 *  of two: exact) — false when some column's max |d_t| f_t is outside [F32_AMIN, F32_AMAX] (its f32
 *  values could overflow or lose the column; a constant column, max |d_t| = 0, is left to the caller). */
function gram32Matrix(n: i32, p: i32, pX: usize, pY: usize, L: i32): bool {
  const q = p + 1;
  const a = rArgs;
  gram32Args(a, n, pX, pY, q, L, chunkRows(n, p), rPart, partStride(p), rStats, rBlk, rSlots, <usize>((p + 6) * L) << 3, rEx, rScale);
  const nc = chunkCount(n, p);
  if (!parRun(PASS_L2_GRAM32, a, nc)) {
    for (let c = 0; c < nc; c++) gram32Item(a, c, 0);
  }
  const ps = <usize>partStride(p) << 3;
  for (let k = 0; k < q * q; k++) stf(rG, k, 0);
  for (let c = 0; c < nc; c++) {
    const part = rPart + <usize>c * ps;
    for (let k = 0; k < q * q; k++) stf(rG, k, ldf(rG, k) + ldf(part, k));
  }
  const pv = evenUp(q);
  for (let t = 0; t < q; t++) {
    let amax = 0.0;
    for (let c = 0; c < nc; c++) {
      const st = rStats + (<usize>(c * 3 * pv) << 3);
      amax = max<f64>(amax, max<f64>(-ldf(st, pv + t), ldf(st, 2 * pv + t)));
    }
    const z = amax * ldf(rScale, t);
    if (amax != 0 && !(z >= F32_AMIN && z <= F32_AMAX)) return false;
  }
  for (let u = 0; u < q; u++) {
    const iu = 1.0 / ldf(rScale, u);
    for (let t = 0; t <= u; t++) stf(rG, u * q + t, (ldf(rG, u * q + t) * (1.0 / ldf(rScale, t))) * iu);
  }
  return true;
}

/** fusedNormalMatrix's outcomes. */
const FUSED_OK: i32 = 0;
const FUSED_SHIFT: i32 = 1; // not applicable, a shift cancelled or a column is constant: the two passes
const FUSED_F32: i32 = 2;   // the f32 Gram's range check failed: the f64 route (fused pass included)

/** Steps 4-5: factor — Cholesky if comfortable, else Householder QR with rank detection (aliased
 *  columns flagged). The factor's column k of Z^T yc (semi-normal equations) or Q^T yc (QR) is left
 *  in column pa of rR, and the factor's columns in rAct. Writes INFO_METHOD (0 Cholesky, 1 QR) and
 *  INFO_RCOND; returns the factor's rank kk — or -1 (nothing written) when fast != 0 and the QR path is needed. */
function factorize(n: i32, pX: usize, pY: usize, pW: usize, pa: i32, ybar: f64, ridge: f64, L: i32,
  pFlags: usize, pInfo: usize, fast: i32): i32 {
  const q = pa + 1;
  for (let t = 0; t < pa; t++) sti(rPos, t, t);
  let kk = pa;
  let method = 0;
  let rcond = 1.0;
  let useQR = cholesky(rG, rR, pa, q) >= 0;
  if (!useQR && pa > 0) {
    rcond = rcondEstimate(rR, q, pa, gramNorm1(rG, q, rPos, pa), rEx, rSg);
    useQR = !(rcond >= RCOND_MIN);
  }
  if (useQR && fast != 0) return -1; // l2Solve redoes steps 1-3 with the multi-pass standardisation
  if (useQR) {
    method = 1;
    for (let k = 0; k < q * q; k++) stf(rR, k, 0);
    for (let i0 = 0; i0 < n; i0 += L) {
      const len = min<i32>(L, n - i0);
      const lp = evenUp(len);
      fillBlock(n, pX, pY, pW, i0, len, lp, pa, rAct, rMean, rInvs, ybar, rBlk, L, rWb);
      householderBlock(rBlk, L, lp, pa, q, rR, rDots);
    }
    if (ridge > 0) {
      const sr = sqrt<f64>(ridge);
      for (let t0 = 0; t0 < pa; t0 += L) {
        const rows = min<i32>(L, pa - t0);
        const lp = evenUp(rows);
        for (let t = 0; t < q; t++) {
          for (let i = 0; i < lp; i++) stf(rBlk, t * L + i, 0);
        }
        for (let i = 0; i < rows; i++) {
          stf(rBlk, (t0 + i) * L + i, sr * ldf(rInvs, ldi(rAct, t0 + i)));
        }
        householderBlock(rBlk, L, lp, pa, q, rR, rDots);
      }
    }
    kk = deleteAliased(rR, q, pa, TOL_RANK, rPos, rAct, pFlags);
    rcond = kk > 0 ? rcondEstimate(rR, q, kk, gramNorm1(rG, q, rPos, kk), rEx, rSg) : 1.0;
  } else {
    // Semi-normal equations: c = R^-T (Z^T yc), kept in column pa of R like Q^T y on the QR path.
    for (let t = 0; t < pa; t++) stf(rR, pa * q + t, ldf(rG, pa * q + t));
    solveUpperT(rR, q, pa, rR + (<usize>(pa * q) << 3));
  }
  for (let t = 0; t < kk; t++) sti(rAct, t, ldi(rAct, ldi(rPos, t)));
  stf(pInfo, INFO_METHOD, <f64>method);
  stf(pInfo, INFO_RCOND, rcond);
  return kk;
}

/** Initial solution: R beta = c, b_j = beta_j / s_j (into pCoef), b0 = ybar - m . b (returned; 0
 *  without an intercept). */
function initialSolution(kk: i32, pa: i32, q: i32, ybar: f64, intercept: i32, pCoef: usize): f64 {
  for (let t = 0; t < kk; t++) stf(rDelta, t, ldf(rR, pa * q + t));
  solveUpper(rR, q, kk, rDelta);
  let b0 = ybar;
  for (let t = 0; t < kk; t++) {
    const j = ldi(rAct, t);
    const b = ldf(rDelta, t) * ldf(rInvs, j);
    stf(pCoef, 1 + j, b);
    b0 -= ldf(rMean, j) * b;
  }
  if (intercept == 0) b0 = 0;
  return b0;
}

/** Step 6: iterative refinement (corrected semi-normal equations, double-double residuals) from the
 *  initial solution (pCoef, b0). Writes the final b0 to pCoef[0], INFO_ITERATIONS and INFO_REFINE;
 *  returns the objective (without the ridge penalty) at the returned coefficients — or, with inner,
 *  at the previous iterate.
 *  With the Cholesky factor, a bound on the error left after a correction (see "settled" below):
 *  the corrected iterate's error is at most rho ||d|| + floorB T + dotB sqrt(objective), d the
 *  correction in scaled coordinates, T = max|y| + |b0| + sum_j |b_j| max|x_j| (the size of the
 *  residuals' terms). rho bounds ||I - (R^T R)^-1 Z^T Z||: ||G^-1|| (est, Hager's estimate, x16 for
 *  its underestimation and the constants below) times the Gram's accumulation error (depth rounded
 *  sums of unit-norm columns), Z's own rounding and Cholesky's backward error ((q + 1) q eps).
 *  floorB: the double-double residual's error (2 (q + 1)^2 eps^2 T per row) through G^-1 Z^T;
 *  dotB: Dot2's second-order error (depth eps)^2 sum |q x| <= (depth eps)^2 ||sqrt(w) r||. */
function refine(n: i32, pX: usize, pY: usize, pW: usize, mask: i32, W: f64, kk: i32, q: i32, b0: f64,
  intercept: i32, ridge: f64, inner: i32, plainOk: i32, L: i32, pCoef: usize, pInfo: usize): f64 {
  const rcond = ldf(pInfo, INFO_RCOND);
  let rho = Infinity;
  let floorR = 0.0;
  let floorB = 0.0;
  let dotB = 0.0;
  let ymax = 0.0;
  let plain = false;
  if (ldf(pInfo, INFO_METHOD) == 0 && kk > 0 && rcond > 0) {
    // on the Cholesky path the factor's columns are the Gram's (rPos is the identity, kk = pa)
    const anorm = gramNorm1(rG, q, rPos, kk);
    if (anorm > 0) {
      const est = 1.0 / (rcond * anorm);
      const depth = <f64>(L / 2 + 1) + Math.ceil(<f64>n / <f64>L);
      const qf = <f64>q;
      // In place (rRaw), the Gram's sums run over uncentred columns whose squares are at most twice
      // the centred ones (normalMatrix's test): twice the accumulation term.
      const depthG = rRaw != 0 ? 2.0 * depth : depth;
      rho = 16.0 * est * qf * (depthG + 3.0 * qf + 8.0) * EPS + 4.0 * EPS;
      // The f32 route's Gram (assembly/gram32.ts): each product of the f32-rounded shifted columns
      // (squares at most twice the centred ones) summed over at most L / 4 rows in f32.
      if (rG32 != 0) rho += 16.0 * est * qf * 2.0 * (<f64>(L / 4) + 3.0) * EPS32;
      // y's range: max |y| = vExtent(min, max, 0) (the same double as a max |y_i| scan), and the offset
      // guard's max |y - c|
      columnRange(n, pY, pW, rEx, 3);
      ymax = vExtent(ldf(rEx, 0), ldf(rEx, 1), 0.0);
      plain = plainOk != 0 && inner == 0 && rcond >= RCOND_PLAIN && <f64>n * qf >= PLAIN_MIN_NQ;
      // Offsets that widen the plain refinement's noise floor (OFFSET_AMP): the exact refinement instead.
      if (plain && offsetWide(kk, q, depth, b0, pCoef, intercept != 0 ? ldf(rMean, rP) : 0.0, ldf(rEx, 0), ldf(rEx, 1))) {
        plain = false;
      }
      // reported: Cholesky of the f32 Gram (either refinement), or of the f64 Gram with the plain one
      if (plain || rG32 != 0) stf(pInfo, INFO_METHOD, rG32 != 0 ? 3 : 2);
      if (plain) {
        // Plain float64 residuals (see PLAIN_MIN_NQ): each r_i is off by at most 2 (q + 1) eps T, and
        // each X^T W r sum (and the mean term of the right-hand side) by 2 depth eps sqrt(obj W) max|x_j|.
        floorR = 2.0 * (qf + 1.0) * EPS;
        floorB = 16.0 * est * sqrt<f64>(qf * W) * floorR;
        let cx = 0.0;
        for (let t = 0; t < kk; t++) {
          const j = ldi(rAct, t);
          const c = ldf(rXm, j) * ldf(rInvs, j);
          if (c > cx) cx = c;
        }
        dotB = 16.0 * est * sqrt<f64>(qf * W) * 2.0 * (depth * EPS) * cx;
      } else {
        floorR = 2.0 * (qf + 1.0) * (qf + 1.0) * EPS * EPS;
        floorB = 16.0 * est * sqrt<f64>(qf * W) * floorR;
        dotB = 16.0 * est * sqrt<f64>(qf) * (depth * EPS) * (depth * EPS);
      }
    }
  }
  let iters = 0;
  let metric = 0.0;
  let prevMetric = 0.0;
  let obj = 0.0;
  let settled = false;
  let objKnown = false; // objNext is the objective at the current coefficients (see below)
  let objNext = 0.0;
  while (true) {
    // Stop after this pass (its residuals give the objective) when there is nothing to fit, at the
    // cap, when the last correction was at rounding level, when it stopped contracting, or when the
    // error bound shows that another correction cannot change any coefficient (settled).
    const last = (kk == 0 && intercept == 0) || iters == MAX_REFINE || settled ||
      (iters > 0 && (metric <= EPS || (iters > 1 && metric > 0.5 * prevMetric))) ||
      (inner != 0 && iters == 0 && rho <= INNER_RHO);
    if (last && inner != 0) break;
    if (last && objKnown) {
      obj = objNext;
      break;
    }
    obj = refinePass(n, pX, pY, pW, mask, kk, b0, pCoef, L, rP, last ? 0 : 1, plain ? 1 : 0);
    if (last) break;
    correction(kk, q, intercept, ridge, pCoef);
    const sq = ldf(rGh, kk);
    const sqLo = ldf(rGl, kk);
    // Apply: b_j += d_j / s_j; b0 += mean_w(r) - m . (d / s).
    let dm = 0.0;
    let bmax = 0.0;
    let dn2 = 0.0;
    let T = ymax + abs<f64>(b0);
    for (let t = 0; t < kk; t++) {
      const j = ldi(rAct, t);
      const b = ldf(pCoef, 1 + j);
      const beta = abs<f64>(b * ldf(rScale, j));
      if (beta > bmax) bmax = beta;
      const d = ldf(rDelta, t);
      dn2 += d * d;
      T += abs<f64>(b) * ldf(rXm, j);
    }
    // Settled: every b_j + d_j / s_j (exact) lies within E / s_j of the exact solution, and rounding
    // any point of that interval (widened for the rounding of d_j / s_j, and 4x) gives the same
    // double as b_j + d_j / s_j does: then further corrections can only return the same bits.
    const E = rho * sqrt<f64>(dn2) + floorB * T + dotB * sqrt<f64>(obj);
    // plain: done once the contraction's part of the bound is below the float64 residuals' noise
    // floor, which no further plain correction can go below.
    settled = plain ? rho * sqrt<f64>(dn2) <= floorB * T + dotB * sqrt<f64>(obj) : E < Infinity;
    let um = 0.0;
    let smd = 0.0;
    let next = 0.0;
    let lin = 0.0; // sum_i w_i r_i delta_i, delta = the change of the fitted values
    let cm = 0.0;  // m . (change of the slopes)
    for (let t = 0; t < kk; t++) {
      const j = ldi(rAct, t);
      const d = ldf(rDelta, t);
      const b = ldf(pCoef, 1 + j);
      next = maxRatio(next, d, b * ldf(rScale, j), EPS * bmax);
      const db = d * ldf(rInvs, j);
      const b1 = b + db;
      stf(pCoef, 1 + j, b1);
      const m = ldf(rMean, j);
      dm += m * db;
      if (settled) {
        if (!plain) {
          const u = 4.0 * (E * ldf(rInvs, j) + EPS * abs<f64>(db));
          const e = twoSumErr(b, db, b1);
          if (!(b1 + (e + u) == b1 && b1 + (e - u) == b1)) settled = false;
          um += abs<f64>(m) * u;
          smd += abs<f64>(m * db);
        }
        const c = b1 - b;
        lin += c * (ldf(rGh, t) + ldf(rGl, t));
        cm += m * c;
      }
    }
    if (intercept != 0) {
      const mr = (sq + sqLo) / W;
      const d0 = mr - dm;
      if (kk == 0) next = maxRatio(next, d0, b0, 0);
      const b1 = b0 + d0;
      if (settled) {
        if (!plain) {
          // The intercept inherits the slopes' error through the means, plus the rounding of d0.
          const u = um + 4.0 * ((<f64>kk + 4.0) * EPS * (abs<f64>(mr) + smd) + floorR * T);
          const e = twoSumErr(b0, d0, b1);
          if (!(b1 + (e + u) == b1 && b1 + (e - u) == b1)) settled = false;
        }
        const c = b1 - b0;
        lin += c * (sq + sqLo);
        cm += c;
      }
      b0 = b1;
    }
    if (settled) {
      // Objective at the new coefficients without another pass: sum w (r - delta)^2 =
      // obj - 2 lin + quad, quad = sum w delta^2 = W cm^2 + d^T G d (G: the scaled Gram matrix, its
      // ridge diagonal included, so quad is an upper bound). Used only when the change 2|lin| + quad
      // is at most eps obj, below the rounding error of the objective's own sum.
      const quad = correctionQuad(kk, q, W, cm);
      objKnown = 2.0 * abs<f64>(lin) + quad <= EPS * obj;
      objNext = (obj - 2.0 * lin) + quad;
    }
    prevMetric = metric;
    metric = next;
    iters++;
  }
  stf(pCoef, 0, b0);
  stf(pInfo, INFO_ITERATIONS, <f64>iters);
  stf(pInfo, INFO_REFINE, metric);
  // The f32 route must end settled (or at a rounding-level correction): else its factor was not
  // good enough for this problem after all, and l2Route runs the f64 route.
  if (rG32 != 0 && !settled && !(metric <= EPS)) rFail32 = 1;
  return obj;
}

/** The offset guard of the plain refinement (see OFFSET_AMP): true when the plain refinement's noise
 *  floor on the data as stored, (q + 1) T + depth cx sqrt(obj) (refine's floorB T + dotB sqrt(obj)
 *  without their common factor 32 est sqrt(q W) eps), exceeds OFFSET_AMP times the same floor of the
 *  centred problem. T: the size of a plain residual's terms, max |y - b0| + sum_j |b_j| max |x_j|
 *  (fl(y - b0) comes first, so a large |y| with b0 ~ ybar costs nothing); centred, max |y - ybar| +
 *  sum_j |b_j| max |x_j - m_j|. cx: max_j max |x_j| / s_j (X^T r sums over the columns as stored),
 *  centred max_j max |x_j - m_j| / s_j. obj: the semi-normal estimate ||yc||^2 - ||c||^2 (rG, column
 *  pa of rR; refine's own objective comes with the first pass). Coefficients: the initial solution.
 *  (lo, hi): y's range (columnRange). Without an intercept every m_j = 0 and ybar = b0 = 0: never. */
function offsetWide(kk: i32, q: i32, depth: f64, b0: f64, pCoef: usize, ybar: f64, lo: f64, hi: f64): bool {
  let tx = vExtent(lo, hi, b0);
  let tc = vExtent(lo, hi, ybar);
  let cx = 0.0;
  let cc = 0.0;
  for (let t = 0; t < kk; t++) {
    const j = ldi(rAct, t);
    const b = abs<f64>(ldf(pCoef, 1 + j));
    const xm = ldf(rXm, j);
    const a = xm - abs<f64>(ldf(rMean, j)); // max |x_j - m_j| (rXm = |m_j| + that)
    const iv = ldf(rInvs, j);
    tx += b * xm;
    tc += b * a;
    if (xm * iv > cx) cx = xm * iv;
    if (a * iv > cc) cc = a * iv;
  }
  const pa = q - 1;
  let obj = ldf(rG, pa * q + pa);
  for (let t = 0; t < kk; t++) {
    const c = ldf(rR, pa * q + t);
    obj -= c * c;
  }
  const so = obj > 0 ? sqrt<f64>(obj) : 0.0;
  const qf = <f64>q + 1.0;
  return qf * tx + depth * cx * so > OFFSET_AMP * (qf * tc + depth * cc * so);
}

/** The correction d of one refinement step, in rDelta: R^T R d = Z^T W r - D beta, the right-hand
 *  side (X^T W r - m (1^T W r) - ridge b) / s formed in double-double from the Dot2 sums of the
 *  last refinement pass (rGh, rGl; slot kk: 1^T W r). */
function correction(kk: i32, q: i32, intercept: i32, ridge: f64, pCoef: usize): void {
  const sq = ldf(rGh, kk);
  const sqLo = ldf(rGl, kk);
  const sqh = splitHi(sq);
  for (let t = 0; t < kk; t++) {
    const j = ldi(rAct, t);
    let h = ldf(rGh, t);
    let l = ldf(rGl, t);
    if (intercept != 0) {
      const m = ldf(rMean, j);
      const mh = splitHi(m);
      const ph = m * sq;
      const pl = twoProdErr(mh, m - mh, sqh, sq - sqh, ph) + (m * sqLo + ldf(rMeanLo, j) * sq);
      const s = h - ph;
      const e = twoSumErr(h, -ph, s) + (l - pl);
      h = s + e;
      l = e - (h - s);
    }
    if (ridge > 0) {
      const b = ldf(pCoef, 1 + j);
      const bh = splitHi(b);
      const rh = splitHi(ridge);
      const ph = ridge * b;
      const pl = twoProdErr(rh, ridge - rh, bh, b - bh, ph);
      const s = h - ph;
      const e = twoSumErr(h, -ph, s) + (l - pl);
      h = s + e;
      l = e - (h - s);
    }
    stf(rDelta, t, (h + l) * ldf(rInvs, j));
  }
  solveUpperT(rR, q, kk, rDelta);
  solveUpper(rR, q, kk, rDelta);
}

/** W cm^2 + d^T G d for the correction d in rDelta (G: the scaled Gram matrix in rG, symmetric,
 *  upper triangle): an upper bound of sum w delta^2, delta the change of the fitted values. */
function correctionQuad(kk: i32, q: i32, W: f64, cm: f64): f64 {
  let quad = W * cm * cm;
  for (let u = 0; u < kk; u++) {
    const du = ldf(rDelta, u);
    let g = 0.0;
    for (let t = 0; t < u; t++) g += ldf(rG, u * q + t) * ldf(rDelta, t);
    quad += du * (2.0 * g + ldf(rG, u * q + u) * du);
  }
  return quad;
}

/** max(acc, |d| / max(|beta|, floor)); a zero denominator counts 1 for a non-zero d. */
function maxRatio(acc: f64, d: f64, beta: f64, floor: f64): f64 {
  let den = abs<f64>(beta);
  if (den < floor) den = floor;
  const r = den > 0 ? abs<f64>(d) / den : (d != 0 ? 1.0 : 0.0);
  return r > acc ? r : acc;
}

// ---------------------------------------------------------------------------------------------
// 1. Means and scales: two lanes (even / odd rows), an odd last row goes to lane 0.

/** Stores [min, max] of v over the positive-weight rows at pExt: the two lanes of the running lo / hi
 * (rows below half) combined, then the odd last row when n is odd. */
// @ts-ignore: decorator
@inline function storeRange<T>(lo: v128, hi: v128, n: i32, half: i32, pV: usize, pW: usize, pExt: usize): void {
  let vmin = lane0(lo);
  if (lane1(lo) < vmin) vmin = lane1(lo);
  let vmax = lane0(hi);
  if (lane1(hi) > vmax) vmax = lane1(hi);
  if (half < n && (pW == 0 || ldf(pW, half) > 0)) {
    const v = xld<T>(pV, half);
    if (v < vmin) vmin = v;
    if (v > vmax) vmax = v;
  }
  store<f64>(pExt, vmin);
  store<f64>(pExt + 8, vmax);
}

/** Weighted mean, two-pass: m1 = sum w v / W, then m = m1 + c with c = sum w (v - m1) / W; stores
 *  m at pHi and the rounding error of m1 + c at pLo (so hi + lo is the mean to about eps * ulp(m)).
 *  With pExt != 0 the first pass also finds min and max of v over the rows of positive weight
 *  (stored at pExt, pExt + 8), from which max |v - m| follows without another pass (vExtent). */
export function weightedMean(n: i32, pV: usize, pW: usize, W: f64, pHi: usize, pLo: usize, pExt: usize = 0, s: i32 = 3): void {
  if (s == 3) weightedMeanT<f64>(n, pV, pW, W, pHi, pLo, pExt); else weightedMeanT<f32>(n, pV, pW, W, pHi, pLo, pExt);
}
/** The same for a vector of type T (f64, or an f32 column of X: widened on load). */
function weightedMeanT<T>(n: i32, pV: usize, pW: usize, W: f64, pHi: usize, pLo: usize, pExt: usize): void {
  const half = n & ~1;
  let a = f64x2.splat(0);
  if (pExt != 0) {
    // Also the smallest and largest v over the rows of positive weight (pmin / pmax skip NaN as the
    // twin's scalar comparisons do; extremes do not depend on the order): at pExt and pExt + 8.
    let lo = f64x2.splat(Infinity);
    let hi = f64x2.splat(-Infinity);
    if (pW != 0) {
      const zero = f64x2.splat(0);
      const pinf = lo;
      const ninf = hi;
      for (let i = 0; i < half; i += 2) {
        const o = <usize>i << 3;
        const w = v128.load(pW + o);
        const v = xld2<T>(pV, i);
        a = f64x2.add(a, f64x2.mul(w, v));
        const pos = f64x2.gt(w, zero);
        lo = f64x2.pmin(lo, v128.bitselect(v, pinf, pos));
        hi = f64x2.pmax(hi, v128.bitselect(v, ninf, pos));
      }
    } else {
      for (let i = 0; i < half; i += 2) {
        const v = xld2<T>(pV, i);
        a = f64x2.add(a, v);
        lo = f64x2.pmin(lo, v);
        hi = f64x2.pmax(hi, v);
      }
    }
    storeRange<T>(lo, hi, n, half, pV, pW, pExt);
  } else if (pW != 0) {
    for (let i = 0; i < half; i += 2) {
      const o = <usize>i << 3;
      a = f64x2.add(a, f64x2.mul(v128.load(pW + o), xld2<T>(pV, i)));
    }
  } else {
    for (let i = 0; i < half; i += 2) a = f64x2.add(a, xld2<T>(pV, i));
  }
  let s0 = lane0(a);
  if (half < n) s0 += pW != 0 ? ldf(pW, half) * xld<T>(pV, half) : xld<T>(pV, half);
  const m = (s0 + lane1(a)) / W;
  const mm = f64x2.splat(m);
  let c = f64x2.splat(0);
  if (pW != 0) {
    for (let i = 0; i < half; i += 2) {
      const o = <usize>i << 3;
      c = f64x2.add(c, f64x2.mul(v128.load(pW + o), f64x2.sub(xld2<T>(pV, i), mm)));
    }
  } else {
    for (let i = 0; i < half; i += 2) c = f64x2.add(c, f64x2.sub(xld2<T>(pV, i), mm));
  }
  let c0 = lane0(c);
  if (half < n) c0 += pW != 0 ? ldf(pW, half) * (xld<T>(pV, half) - m) : xld<T>(pV, half) - m;
  const cw = (c0 + lane1(c)) / W;
  const mean = m + cw;
  store<f64>(pHi, mean);
  store<f64>(pLo, twoSumErr(m, cw, mean));
}

/** Smallest S2 and largest W amax^2 (2^-900, 2^1000) for which onePass's sums are trusted: no
 *  term that matters underflowed (a term below 2^-1022 is < 2^-90 of S2 even summed 2^31 times), and
 *  no square or sum can overflow. */
const ONEPASS_S2_MIN: f64 = 1.1830521861667747e-271; // 2^-900
const ONEPASS_WA2_MAX: f64 = 1.0715086071862673e301; // 2^1000

/** Step 1 in one pass over the column v (the fast path; false: run the two-/three-pass path).
 *  Shifted sums about a shift c that is a data value near the middle (sampleShift; c = 0 without an
 *  intercept): with d_i = v_i - c, S1 = sum w d and S2 = sum (w d) d, and the extremes of v over the
 *  rows of positive weight, in one sweep (onePassSums). Then the mean is c + S1 / W (a double-double:
 *  hi, and the rounding error of the sum in lo — as good as the two-pass mean: the error of S1 / W is
 *  ~eps max|v - c| / W summed, and c is within the data's spread of the mean) and the scale is
 *  sqrt(S2 - S1 (S1 / W)) (the centered sum of squares, Chan-Golub-LeVeque's shifted form). Taken
 *  only when that subtraction cancels at most one bit (S1 (S1 / W) <= S2 / 2 — c near the mean; the
 *  median of five sampled values almost always is) and the sums are in range (ONEPASS_*); otherwise
 *  false. A column that is constant on the rows of positive weight has c equal to its value, so every
 *  d is exactly 0 and its scale exactly 0 (aliased), as on the other path. With pScale = 0 (y) only
 *  the mean is wanted: no cancellation test. Measured (CPU time, 1e6 x 20, the standardisation alone):
 *  three passes per column -> one. */
function onePass(n: i32, pV: usize, pW: usize, W: f64, intercept: i32, pMean: usize, pMeanLo: usize, pXm: usize,
  pScale: usize, ex: usize, s: i32): bool {
  const c = intercept != 0 ? (s == 3 ? sampleShift<f64>(n, pV, pW, ex) : sampleShift<f32>(n, pV, pW, ex)) : 0.0;
  if (!(c == c)) return false;
  if (s == 3) onePassSums<f64>(n, pV, pW, c, ex); else onePassSums<f32>(n, pV, pW, c, ex);
  const s1 = ldf(ex, 0);
  const s2 = ldf(ex, 1);
  if (!(s1 - s1 == 0) || !(s2 < Infinity)) return false;
  // without an intercept: m = 0 and the sum of squares about 0 (c = 0: d = v)
  const m1 = intercept != 0 ? s1 / W : 0.0;
  const m = c + m1;
  const mlo = twoSumErr(c, m1, m);
  if (pScale == 0) {
    store<f64>(pMean, m);
    store<f64>(pMeanLo, mlo);
    return true;
  }
  const amax = vExtent(ldf(ex, 2), ldf(ex, 3), m);
  let sc = 0.0;
  if (amax != 0) {
    if (!(s2 >= ONEPASS_S2_MIN) || !(W * amax * amax <= ONEPASS_WA2_MAX)) return false;
    const corr = s1 * m1;
    if (!(corr <= 0.5 * s2)) return false;
    sc = sqrt<f64>(s2 - corr);
  }
  store<f64>(pMean, m);
  store<f64>(pMeanLo, mlo);
  store<f64>(pXm, abs<f64>(m) + amax);
  store<f64>(pScale, sc);
  return true;
}

/** The shift of onePass: the median (lower median of an even count) of v at the sample rows
 *  (2k + 1) n / 10, k = 0..4, that have positive weight; NaN when none has. Sorted at ex. */
function sampleShift<T>(n: i32, pV: usize, pW: usize, ex: usize): f64 {
  let cnt = 0;
  for (let k = 0; k < 5; k++) {
    const i = <i32>((<i64>(2 * k + 1) * <i64>n) / 10);
    if (pW != 0 && !(ldf(pW, i) > 0)) continue;
    const v = xld<T>(pV, i);
    let t = cnt;
    while (t > 0 && v < ldf(ex, t - 1)) {
      stf(ex, t, ldf(ex, t - 1));
      t--;
    }
    stf(ex, t, v);
    cnt++;
  }
  return cnt > 0 ? ldf(ex, (cnt - 1) >> 1) : NaN;
}

/** onePass's sweep: S1, S2, min, max (over the rows of positive weight) of v about c into ex[0..3].
 *  Two lanes (even / odd rows), an odd last row added to lane 0, lanes added at the end. */
function onePassSums<T>(n: i32, pV: usize, pW: usize, c: f64, ex: usize): void {
  const half = n & ~1;
  const cc = f64x2.splat(c);
  let a = f64x2.splat(0);
  let b = a;
  let lo = f64x2.splat(Infinity);
  let hi = f64x2.splat(-Infinity);
  if (pW != 0) {
    const zero = f64x2.splat(0);
    const pinf = lo;
    const ninf = hi;
    for (let i = 0; i < half; i += 2) {
      const w = v128.load(pW + (<usize>i << 3));
      const v = xld2<T>(pV, i);
      const d = f64x2.sub(v, cc);
      const wd = f64x2.mul(w, d);
      a = f64x2.add(a, wd);
      b = f64x2.add(b, f64x2.mul(wd, d));
      const pos = f64x2.gt(w, zero);
      lo = f64x2.pmin(lo, v128.bitselect(v, pinf, pos));
      hi = f64x2.pmax(hi, v128.bitselect(v, ninf, pos));
    }
  } else {
    for (let i = 0; i < half; i += 2) {
      const v = xld2<T>(pV, i);
      const d = f64x2.sub(v, cc);
      a = f64x2.add(a, d);
      b = f64x2.add(b, f64x2.mul(d, d));
      lo = f64x2.pmin(lo, v);
      hi = f64x2.pmax(hi, v);
    }
  }
  let s1 = lane0(a);
  let s2 = lane0(b);
  if (half < n) {
    const d = xld<T>(pV, half) - c;
    const wd = pW != 0 ? ldf(pW, half) * d : d;
    s1 += wd;
    s2 += wd * d;
  }
  storeRange<T>(lo, hi, n, half, pV, pW, ex + 16);
  stf(ex, 0, s1 + lane1(a));
  stf(ex, 1, s2 + lane1(b));
}

/** 2^k for an integer k in [-1022, 1023] (a normal number). */
export function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/** The power of two 2^k, k in [-1022, 1022], with x * 2^k in [0.5, 1) for positive normal x
 *  (clamped at the ends of the exponent range; subnormal x count as 2^-1023). */
export function scaleFor(x: f64): f64 {
  const e = <i32>((reinterpret<u64>(x) >> 52) & 0x7ff) - 1023;
  let k = -(e + 1);
  if (k < -1022) k = -1022;
  if (k > 1022) k = 1022;
  return pow2(k);
}

/** min and max of v over the rows of positive weight (at pExt, pExt + 8), as weightedMean's first
 *  pass finds them: for the columns of a fit without intercept (m = 0), and y's range in refine. */
function columnRange(n: i32, pV: usize, pW: usize, pExt: usize, s: i32): void {
  if (s == 3) columnRangeT<f64>(n, pV, pW, pExt); else columnRangeT<f32>(n, pV, pW, pExt);
}
/** The same for a vector of type T (f64, or an f32 column of X: widened on load). */
function columnRangeT<T>(n: i32, pV: usize, pW: usize, pExt: usize): void {
  const half = n & ~1;
  let lo = f64x2.splat(Infinity);
  let hi = f64x2.splat(-Infinity);
  if (pW != 0) {
    const zero = f64x2.splat(0);
    const pinf = lo;
    const ninf = hi;
    for (let i = 0; i < half; i += 2) {
      const o = <usize>i << 3;
      const v = xld2<T>(pV, i);
      const pos = f64x2.gt(v128.load(pW + o), zero);
      lo = f64x2.pmin(lo, v128.bitselect(v, pinf, pos));
      hi = f64x2.pmax(hi, v128.bitselect(v, ninf, pos));
    }
  } else {
    for (let i = 0; i < half; i += 2) {
      const v = xld2<T>(pV, i);
      lo = f64x2.pmin(lo, v);
      hi = f64x2.pmax(hi, v);
    }
  }
  storeRange<T>(lo, hi, n, half, pV, pW, pExt);
}

/** max |v_i - m| over the rows of positive weight, from min and max of v there: fl(v - m) is
 *  non-decreasing in v, so the largest |fl(v_i - m)| is attained at an extreme (same double as the
 *  maximum over all rows). 0 when there is no such row. */
export function vExtent(vmin: f64, vmax: f64, m: f64): f64 {
  if (!(vmin <= vmax)) return 0;
  const a = abs<f64>(vmax - m);
  const b = abs<f64>(vmin - m);
  return b > a ? b : a;
}

/** s = ||sqrt(w) (v - m)||_2 over the rows of positive weight, as a * sqrt(sum w ((v - m) (1 / a))^2)
 *  with a = max |v - m| (from vExtent) so that no square over- or underflows (one reciprocal: a
 *  division per row was most of this pass's time). The scale is only a preconditioner, but the
 *  noise-limited NIST Filip refinement ends a different number of ulps away with each variant: 15
 *  with / a, 52 with a power-of-two scaling, 13 with this one (the test allows 32). Stores |m| + a
 *  (a bound on |v_i| up to rounding, used by the refinement's error bound) at pXm. */
function columnScale(n: i32, pV: usize, pW: usize, m: f64, pXm: usize, amax: f64, s: i32): f64 {
  return s == 3 ? columnScaleT<f64>(n, pV, pW, m, pXm, amax) : columnScaleT<f32>(n, pV, pW, m, pXm, amax);
}
/** The same for a vector of type T (f64, or an f32 column of X: widened on load). */
function columnScaleT<T>(n: i32, pV: usize, pW: usize, m: f64, pXm: usize, amax: f64): f64 {
  const half = n & ~1;
  const mm = f64x2.splat(m);
  const zero = f64x2.splat(0);
  store<f64>(pXm, abs<f64>(m) + amax);
  if (amax == 0) return 0;
  const ia = 1.0 / amax;
  // Deviations all below 2^-1024 (1 / amax overflows): return amax, whose inverse overflows too, so
  // the column counts as constant (aliased) — as s < 1 / DBL_MAX does.
  if (!(ia < Infinity)) return amax;
  const aa = f64x2.splat(ia);
  let acc = zero;
  if (pW != 0) {
    for (let i = 0; i < half; i += 2) {
      const o = <usize>i << 3;
      const w = v128.load(pW + o);
      const t = f64x2.mul(f64x2.sub(xld2<T>(pV, i), mm), aa);
      acc = f64x2.add(acc, v128.and(f64x2.mul(w, f64x2.mul(t, t)), f64x2.gt(w, zero)));
    }
  } else {
    for (let i = 0; i < half; i += 2) {
      const t = f64x2.mul(f64x2.sub(xld2<T>(pV, i), mm), aa);
      acc = f64x2.add(acc, f64x2.mul(t, t));
    }
  }
  let s0 = lane0(acc);
  if (half < n) {
    const t = (xld<T>(pV, half) - m) * ia;
    if (pW == 0) s0 += t * t;
    else {
      const w = ldf(pW, half);
      s0 += w > 0 ? w * (t * t) : 0;
    }
  }
  return amax * sqrt<f64>(s0 + lane1(acc));
}

// ---------------------------------------------------------------------------------------------
// 2. Row blocks and the Gram matrix.

/** Block rows i0..i0+len-1 into the buffer (column stride L): columns 0..pa-1 hold
 *  z = ((x - m) sqrt(w)) / s for the active columns, column pa holds (y - ybar) sqrt(w); rows
 *  len..lp-1 (at most one) are zero. pWb receives sqrt(w) of the block. */
function fillBlock(n: i32, pX: usize, pY: usize, pW: usize, i0: i32, len: i32, lp: i32, pa: i32,
  pAct: usize, pMean: usize, pInvs: usize, ybar: f64, pBlk: usize, L: i32, pWb: usize): void {
  const half = len & ~1;
  if (pW != 0) {
    for (let i = 0; i < len; i++) stf(pWb, i, sqrt<f64>(ldf(pW, i0 + i)));
  }
  for (let t = 0; t <= pa; t++) {
    let src: usize;
    let m: f64;
    let iv: f64;
    if (t < pa) {
      const j = ldi(pAct, t);
      src = xatx(pX, n, j, i0);
      m = ldf(pMean, j);
      iv = ldf(pInvs, j);
    } else {
      src = pY + (<usize>i0 << 3);
      m = ybar;
      iv = 1.0;
    }
    const dst = pBlk + (<usize>(t * L) << 3);
    if (t < pa && XS == 2) fillColumn<f32>(src, dst, half, len, pW, pWb, m, iv);
    else fillColumn<f64>(src, dst, half, len, pW, pWb, m, iv);
    if (lp > len) stf(dst, len, 0);
  }
}

/** One column of a row block: dst = ((src - m) wb) iv, src of type T (X: f64 or f32; y: f64); used by
 *  fillBlock here and fillRows in moments.ts. */
// @ts-ignore: decorator
@inline export function fillColumn<T>(src: usize, dst: usize, half: i32, len: i32, pW: usize, pWb: usize, m: f64, iv: f64): void {
    const mm = f64x2.splat(m);
    const vv = f64x2.splat(iv);
    if (pW != 0) {
      for (let i = 0; i < half; i += 2) {
        const o = <usize>i << 3;
        v128.store(dst + o, f64x2.mul(f64x2.mul(f64x2.sub(xld2<T>(src, i), mm), v128.load(pWb + o)), vv));
      }
      if (half < len) stf(dst, half, ((xld<T>(src, half) - m) * ldf(pWb, half)) * iv);
    } else {
      for (let i = 0; i < half; i += 2) {
        const o = <usize>i << 3;
        v128.store(dst + o, f64x2.mul(f64x2.sub(xld2<T>(src, i), mm), vv));
      }
      if (half < len) stf(dst, half, (xld<T>(src, half) - m) * iv);
    }
}

/** Upper triangle of the Gram matrix of [Z, yc] (order pa + 1, leading dimension pa + 1) into pG: each
 *  row chunk's Gram matrix (gramChunk, a block pass) into its partial slot, then their sum in chunk
 *  order. The work layout (rAct, rMean, rInvs, rArgs, rPart, scratch) is the call's (layoutL2).
 *  In place (rRaw): column t shifted by rEx[t] (0: read in place when rSg[t] != 0), the centring
 *  and scaling below — or, with pStats != 0 (fusedNormalMatrix), none: each chunk's column sums,
 *  minima and maxima of the shifted columns go to pStats (3 evenUp(q) f64 per chunk) instead. */
function gramMatrix(n: i32, pX: usize, pY: usize, pW: usize, pa: i32, ybar: f64, L: i32, p: i32, pG: usize, pStats: usize): void {
  const q = pa + 1;
  const a = gramArgs(n, pX, pY, pW, pa, ybar, L, p, pStats);
  const nc = chunkCount(n, p);
  if (preGram) preGram = false; // l2CheckRange ran the items (the partials are in place): reduce only
  else if (!parRun(PASS_L2_GRAM, a, nc)) {
    for (let c = 0; c < nc; c++) l2GramItem(a, c, 0);
  }
  const ps = <usize>partStride(p) << 3;
  for (let k = 0; k < q * q; k++) stf(pG, k, 0);
  for (let c = 0; c < nc; c++) {
    const part = rPart + <usize>c * ps;
    for (let k = 0; k < q * q; k++) stf(pG, k, ldf(pG, k) + ldf(part, k));
  }
  if (rRaw != 0 && pStats == 0) {
    // Centre the in-place columns' sums (C = X^T X - W m m^T where both columns were read in place;
    // a sum with a centred copy needs nothing: sum (x - m) = 0 up to rounding), then scale.
    const W = <f64>n;
    for (let u = 0; u < q; u++) {
      const ru = u < pa && ldf(rSg, u) != 0;
      const mu = u < pa ? ldf(rMean, ldi(rAct, u)) : 0.0;
      const ivu = u < pa ? ldf(rInvs, ldi(rAct, u)) : 1.0;
      for (let t = 0; t <= u; t++) {
        const ivt = t < pa ? ldf(rInvs, ldi(rAct, t)) : 1.0;
        let g = ldf(pG, u * q + t);
        if (ru && ldf(rSg, t) != 0) g = g - (W * ldf(rMean, ldi(rAct, t))) * mu;
        stf(pG, u * q + t, (g * ivt) * ivu);
      }
    }
  }
}

/** gramMatrix's pass arguments (in rArgs; returned), from chunk 0 on. */
function gramArgs(n: i32, pX: usize, pY: usize, pW: usize, pa: i32, ybar: f64, L: i32, p: i32, pStats: usize): usize {
  const a = passArgs(n, pX, pY, pW, pa, rAct, L, p);
  stf(a, aV1, <f64>(rRaw != 0 ? rEx : rMean));
  stf(a, aV2, <f64>(rRaw != 0 ? pStats : rInvs));
  stf(a, aV3, ybar);
  stf(a, aFast, <f64>rRaw);
  stf(a, aMask, <f64>rSg);
  stf(a, aOff, 0);
  return a;
}

/** Block pass PASS_L2_GRAM, item c: the Gram matrix of chunk aOff + c's rows into its partial slot (zeroed,
 *  then one row block at a time, as one sequential sweep over those rows), on slot s's scratch. */
export function l2GramItem(pArgs: usize, c: i32, s: i32): void {
  setXS(<i32>ldf(pArgs, aXS));
  c += <i32>ldf(pArgs, aOff);
  const n = <i32>ldf(pArgs, aN);
  const pa = <i32>ldf(pArgs, aK);
  const L = <i32>ldf(pArgs, aL);
  const chunk = <i32>ldf(pArgs, aChunk);
  const q = pa + 1;
  const part = <usize>ldf(pArgs, aPart) + (<usize>c * <usize>ldf(pArgs, aPStride) << 3);
  const blk = slotScratch(pArgs, s);
  const wb = blk + (<usize>(q * L) << 3);
  for (let k = 0; k < q * q; k++) stf(part, k, 0);
  const r0 = c * chunk;
  const r1 = min<i32>(n, r0 + chunk);
  const raw = <i32>ldf(pArgs, aFast) != 0;
  const stats = raw ? <usize>ldf(pArgs, aV2) : 0;
  const pv = evenUp(q);
  const st = stats + (<usize>(c * 3 * pv) << 3);
  if (stats != 0) resetStats(st, q, pv);
  for (let i0 = r0; i0 < r1; i0 += L) {
    const len = min<i32>(L, r1 - i0);
    const lp = evenUp(len);
    if (raw) {
      if (i0 + L < n) touchRows(<usize>ldf(pArgs, aPX), <usize>ldf(pArgs, aPY), n, i0 + L, pa, <usize>ldf(pArgs, aAct), wb);
      fillInPlace(n, <usize>ldf(pArgs, aPX), <usize>ldf(pArgs, aPY), i0, len, lp, pa, <usize>ldf(pArgs, aAct),
        <usize>ldf(pArgs, aV1), <usize>ldf(pArgs, aMask), blk, L, wb);
      gramBlock(blk, L, lp, q, part, wb);
      if (stats != 0) blockStats(wb, q, len, st, pv);
    } else {
      fillBlock(n, <usize>ldf(pArgs, aPX), <usize>ldf(pArgs, aPY), <usize>ldf(pArgs, aPW), i0, len, lp, pa,
        <usize>ldf(pArgs, aAct), <usize>ldf(pArgs, aV1), <usize>ldf(pArgs, aV2), ldf(pArgs, aV3), blk, L, wb);
      gramBlock(blk, L, lp, q, part, 0);
    }
  }
}

/** Reads one entry of row i (the next block's first row) of each active column of X (f64) and y,
 *  before the Gram block before it: the first touch of each column's next 4 KiB then overlaps the
 *  block's arithmetic instead of stalling the next block's first tiles (the hardware prefetcher
 *  starts each page's stream at a demand miss). Nothing is computed from the values: their bits go
 *  to a scratch word after the q column addresses at pCols (the twin has no counterpart). Measured
 *  (the fused pass's block loop alone, 1e6 x 21, CPU, load 5): 31.6 -> 29.7 ms; touching 2, 3 lines
 *  per column or two blocks ahead was no better. */
function touchRows(pX: usize, pY: usize, n: i32, i: i32, pa: i32, pAct: usize, pCols: usize): void {
  let sink: i32 = 0;
  for (let t = 0; t < pa; t++) sink ^= load<i32>(pX + ((<usize>ldi(pAct, t) * <usize>n + <usize>i) << 3));
  sink ^= load<i32>(pY + (<usize>i << 3));
  store<i32>(pCols + (<usize>(pa + 1) << 2), sink);
}

/** The in-place Gram's block (gramMatrix with rRaw): the column table pCols (u32 addresses, q of
 *  them) points column t (y: t = pa) with mode 1 (pMode, f64 per t) at X (y) itself — unless the
 *  block has an odd number of rows, when it is copied as it is with a zero pad row — and every other
 *  column (mode 0) at a shifted, unscaled copy x - pShift[t] in the block. */
function fillInPlace(n: i32, pX: usize, pY: usize, i0: i32, len: i32, lp: i32, pa: i32, pAct: usize, pShift: usize,
  pMode: usize, pBlk: usize, L: i32, pCols: usize): void {
  const half = len & ~1;
  for (let t = 0; t <= pa; t++) {
    const src = t < pa ? pX + ((<usize>ldi(pAct, t) * <usize>n + <usize>i0) << 3) : pY + (<usize>i0 << 3);
    const inPlace = ldf(pMode, t) != 0;
    if (inPlace && lp == len) {
      store<u32>(pCols + (<usize>t << 2), <u32>src);
      continue;
    }
    const dst = pBlk + (<usize>(t * L) << 3);
    fillColumn<f64>(src, dst, half, len, 0, 0, ldf(pShift, t), 1.0);
    if (lp > len) stf(dst, len, 0);
    store<u32>(pCols + (<usize>t << 2), <u32>dst);
  }
}

/** fusedNormalMatrix's statistics of one block (len rows, columns at the u32 addresses pCols): each
 *  column's sum, minimum and maximum added into / compared with st[t], st[pv + t], st[2 pv + t].
 *  The sum in four lanes (rows 4k, 4k + 1 in a; 4k + 2, 4k + 3 in b; a last pair into a, an odd last
 *  row into lane 0 of a + b), combined as ((a0 + b0) + odd) + (a1 + b1): four independent chains,
 *  as one chain was bound by the add's latency (the extremes do not depend on the order). Two
 *  columns per trip (statsPair): each column's lanes receive the same additions in the same order, so
 *  the same bits, with twice the independent chains (one column per trip was still bound by the
 *  add's latency: two f64x2 chains per column). */
function blockStats(pCols: usize, q: i32, len: i32, st: usize, pv: i32): void {
  const bytes = <usize>(len & ~1) << 3;
  let t = 0;
  for (; t + 2 <= q; t += 2) {
    statsPair(<usize>load<u32>(pCols + (<usize>t << 2)), <usize>load<u32>(pCols + (<usize>(t + 1) << 2)), bytes, len, st, pv, t, 0);
  }
  if (t < q) { // the last column of an odd order: its own lanes, stored once
    const col = <usize>load<u32>(pCols + (<usize>t << 2));
    statsPair(col, col, bytes, len, st, pv, t, 1);
  }
}

/** blockStats for the two columns at c0, c1 (t, t + 1; with one != 0 only c0's are stored): each
 *  column's own lanes (one extreme per column and lane: the extremes do not depend on the order). */
function statsPair(c0: usize, c1: usize, bytes: usize, len: i32, st: usize, pv: i32, t: i32, one: i32): void {
  let a = f64x2.splat(0);
  let b = a, c = a, d = a;
  let lo = f64x2.splat(Infinity);
  let hi = f64x2.splat(-Infinity);
  let lo1 = lo;
  let hi1 = hi;
  let o: usize = 0;
  for (; o + 32 <= bytes; o += 32) {
    const v = v128.load(c0 + o);
    const w = v128.load(c0 + o + 16);
    const x = v128.load(c1 + o);
    const y = v128.load(c1 + o + 16);
    a = f64x2.add(a, v);
    b = f64x2.add(b, w);
    c = f64x2.add(c, x);
    d = f64x2.add(d, y);
    lo = f64x2.pmin(lo, f64x2.pmin(v, w));
    hi = f64x2.pmax(hi, f64x2.pmax(v, w));
    lo1 = f64x2.pmin(lo1, f64x2.pmin(x, y));
    hi1 = f64x2.pmax(hi1, f64x2.pmax(x, y));
  }
  if (o < bytes) {
    const v = v128.load(c0 + o);
    const x = v128.load(c1 + o);
    a = f64x2.add(a, v);
    c = f64x2.add(c, x);
    lo = f64x2.pmin(lo, v);
    hi = f64x2.pmax(hi, v);
    lo1 = f64x2.pmin(lo1, x);
    hi1 = f64x2.pmax(hi1, x);
  }
  statsStore(c0, bytes, len, st, pv, t, a, b, lo, hi);
  if (one == 0) statsStore(c1, bytes, len, st, pv, t + 1, c, d, lo1, hi1);
}

/** One column's block statistics from its lanes (sums a, b; extremes lo, hi) and an odd last row. */
// @ts-ignore: decorator
@inline function statsStore(col: usize, bytes: usize, len: i32, st: usize, pv: i32, t: i32, a: v128, b: v128, lo: v128, hi: v128): void {
  const ab = f64x2.add(a, b);
  let s0 = lane0(ab);
  let l0 = lane0(lo);
  let h0 = lane0(hi);
  if ((len & 1) != 0) {
    const v = load<f64>(col + bytes);
    s0 += v;
    if (v < l0) l0 = v;
    if (v > h0) h0 = v;
  }
  const l1 = lane1(lo);
  const h1 = lane1(hi);
  stf(st, t, ldf(st, t) + (s0 + lane1(ab)));
  if (l1 < l0) l0 = l1;
  if (h1 > h0) h0 = h1;
  if (l0 < ldf(st, pv + t)) stf(st, pv + t, l0);
  if (h0 > ldf(st, 2 * pv + t)) stf(st, 2 * pv + t, h0);
}

/** Column t of a Gram block: at pBlk + t stride, or (pCols != 0) at the u32 address pCols[t]. */
// @ts-ignore: decorator
@inline function gcol(pBlk: usize, stride: usize, pCols: usize, t: i32): usize {
  return pCols == 0 ? pBlk + <usize>t * stride : <usize>load<u32>(pCols + (<usize>t << 2));
}

/** G[t, u] += sum over the block of z_t z_u for t <= u < q (G column-major, leading dimension q).
 *  Each pair keeps one f64x2 accumulator (lane 0: even rows, lane 1: odd rows) added at the end;
 *  2 x 4 tiles of pairs share the loads of their columns (register blocking does not change any
 *  pair's order, so the twin's one-pair loop gives the same bits). */
function gramBlock(pBlk: usize, L: i32, lp: i32, q: i32, pG: usize, pCols: usize): void {
  const stride = <usize>L << 3;
  const bytes = <usize>lp << 3;
  const qb = <usize>q << 3;
  // An odd order: the last column against all the others first (below), the strips then cover the
  // even order qe = q - 1 and leave no one-column remainder (a 2 x 1 loop per strip, two add chains:
  // bound by the add's latency: in cache, q = 21 took 7% longer per dot than q = 20 or 22). Then
  // every entry (t, q - 1) is one 1 x 4 tile's accumulator (4 chains), with the same products (x y =
  // y x) in the same order as before: the same bits.
  const qe = q & ~1;
  if (qe < q && qe >= 4) {
    const cl = gcol(pBlk, stride, pCols, qe);
    const pL = pG + (<usize>(qe * q) << 3);
    let r = 0;
    for (; r + 4 <= qe; r += 4) {
      dotTile1x4At(cl, gcol(pBlk, stride, pCols, r), gcol(pBlk, stride, pCols, r + 1), gcol(pBlk, stride, pCols, r + 2),
        gcol(pBlk, stride, pCols, r + 3), bytes, pL + (<usize>r << 3), 8);
    }
    if (r < qe) { // two rows left (qe is even)
      const pA = pL + (<usize>r << 3);
      dotTile2x1At(gcol(pBlk, stride, pCols, r), gcol(pBlk, stride, pCols, r + 1), cl, bytes, 1.0, pA, pA + 8);
    }
  }
  const qs = qe >= 4 ? qe : q; // the strips' last column + 1
  let t = 0;
  // Two rows t, t + 1 of the triangle at a time, as 2 x 4 tiles (t, t+1) x (u .. u+3) from u = t:
  // the first tile also covers the diagonal (t, t) and computes the lower entry (t + 1, t) as well,
  // whose slot is restored (nothing reads it; the twin does not write it). A one-accumulator loop
  // for (t, t) alone was bound by the add's latency (~3 cycles per row pair), as were the
  // one-column loops of the 1-3 columns left over: now a 2 x 2 loop (4 independent chains) and a
  // 2 x 1 loop (for an odd order the 2 x 1 loops are replaced by the 1 x 4 tiles above). No
  // entry's order changes, so neither do its bits. Measured (CPU time,
  // standardisation + Gram, median of 15, interleaved, load 23): 1e6 x 20 68.9 -> 68.1 ms, 1e5 x 100
  // 95.2 -> 92.3 ms — small: the pass is bound by the tiles and by the row-block copy (fillBlock),
  // which reads the q columns 4 KiB at a time (~24 ms of the 1e6 x 20 pass, ~7 GB/s against 25 GB/s
  // for one stream: bench/roofline.mjs).
  for (; t + 2 <= qs; t += 2) {
    const ct = gcol(pBlk, stride, pCols, t);
    const cs = gcol(pBlk, stride, pCols, t + 1);
    const low = pG + (<usize>(t * q + t + 1) << 3); // (t + 1, t): below the diagonal
    const keep = load<f64>(low);
    let u = t;
    for (; u + 4 <= qs; u += 4) {
      const pA = pG + (<usize>(u * q + t) << 3);
      dotTile2x4At(ct, cs, gcol(pBlk, stride, pCols, u), gcol(pBlk, stride, pCols, u + 1), gcol(pBlk, stride, pCols, u + 2),
        gcol(pBlk, stride, pCols, u + 3), bytes, 1.0, pA, pA + 8, qb);
    }
    if (u + 2 <= qs) {
      const c0 = gcol(pBlk, stride, pCols, u);
      const c1 = gcol(pBlk, stride, pCols, u + 1);
      const pA = pG + (<usize>(u * q + t) << 3);
      let a0 = f64x2.splat(0);
      let b0 = a0, a1 = a0, b1 = a0;
      for (let o: usize = 0; o < bytes; o += 16) {
        const z = v128.load(ct + o);
        const y = v128.load(cs + o);
        const x0 = v128.load(c0 + o);
        const x1 = v128.load(c1 + o);
        a0 = f64x2.add(a0, f64x2.mul(z, x0));
        b0 = f64x2.add(b0, f64x2.mul(y, x0));
        a1 = f64x2.add(a1, f64x2.mul(z, x1));
        b1 = f64x2.add(b1, f64x2.mul(y, x1));
      }
      store<f64>(pA, load<f64>(pA) + (lane0(a0) + lane1(a0)));
      store<f64>(pA + 8, load<f64>(pA + 8) + (lane0(b0) + lane1(b0)));
      store<f64>(pA + qb, load<f64>(pA + qb) + (lane0(a1) + lane1(a1)));
      store<f64>(pA + qb + 8, load<f64>(pA + qb + 8) + (lane0(b1) + lane1(b1)));
      u += 2;
    }
    if (u < qs) {
      const pA = pG + (<usize>(u * q + t) << 3);
      dotTile2x1At(ct, cs, gcol(pBlk, stride, pCols, u), bytes, 1.0, pA, pA + 8);
    }
    store<f64>(low, keep);
  }
  if (t < q) {
    const ct = gcol(pBlk, stride, pCols, t);
    let a = f64x2.splat(0);
    for (let o: usize = 0; o < bytes; o += 16) {
      const z = v128.load(ct + o);
      a = f64x2.add(a, f64x2.mul(z, z));
    }
    stf(pG, t * q + t, ldf(pG, t * q + t) + (lane0(a) + lane1(a)));
  }
}

/** 1-norm of the symmetric Gram matrix restricted to the factor columns (Gram positions pos[0..k-1]). */
function gramNorm1(pG: usize, q: i32, pPos: usize, k: i32): f64 {
  let nrm = 0.0;
  for (let t = 0; t < k; t++) {
    const a = ldi(pPos, t);
    let s = 0.0;
    for (let u = 0; u < k; u++) {
      const b = ldi(pPos, u);
      s += abs<f64>(a <= b ? ldf(pG, b * q + a) : ldf(pG, a * q + b));
    }
    if (s > nrm) nrm = s;
  }
  return nrm;
}

// ---------------------------------------------------------------------------------------------
// 4. Cholesky and the condition estimate.

/** Upper Cholesky factor R (R^T R = G) of the leading k x k block of G, both leading dimension q,
 *  in LAPACK dpotf2 order. Returns -1, or the index of the first pivot that is not above
 *  RCOND_MIN times its diagonal entry (then rcond(G) <= ~RCOND_MIN anyway: (G^-1)_jj >= 1 / pivot). */
function cholesky(pG: usize, pR: usize, k: i32, q: i32): i32 {
  for (let j = 0; j < k; j++) {
    const gjj = ldf(pG, j * q + j);
    let d = gjj;
    for (let i = 0; i < j; i++) {
      const r = ldf(pR, j * q + i);
      d -= r * r;
    }
    if (!(d > RCOND_MIN * gjj)) return j;
    const rjj = sqrt<f64>(d);
    stf(pR, j * q + j, rjj);
    for (let l = j + 1; l < k; l++) {
      let s = ldf(pG, l * q + j);
      for (let i = 0; i < j; i++) s -= ldf(pR, j * q + i) * ldf(pR, l * q + i);
      stf(pR, l * q + j, s / rjj);
    }
  }
  return -1;
}

/** Solve R^T z = x in place (R upper, leading k x k block, leading dimension q). */
function solveUpperT(pR: usize, q: i32, k: i32, pV: usize): void {
  for (let j = 0; j < k; j++) {
    let s = ldf(pV, j);
    for (let i = 0; i < j; i++) s -= ldf(pR, j * q + i) * ldf(pV, i);
    stf(pV, j, s / ldf(pR, j * q + j));
  }
}

/** Solve R z = x in place (column-oriented back substitution). */
function solveUpper(pR: usize, q: i32, k: i32, pV: usize): void {
  for (let j = k - 1; j >= 0; j--) {
    const zj = ldf(pV, j) / ldf(pR, j * q + j);
    stf(pV, j, zj);
    for (let i = 0; i < j; i++) stf(pV, i, ldf(pV, i) - ldf(pR, j * q + i) * zj);
  }
}

/** Reciprocal 1-norm condition number of A = R^T R: (1 / est ||A^-1||_1) / ||A||_1 (LAPACK dpocon),
 *  0 when the estimate is not finite. */
function rcondEstimate(pR: usize, q: i32, k: i32, anorm: f64, pX: usize, pSg: usize): f64 {
  if (!(anorm > 0)) return 0;
  const est = invNorm1Estimate(pR, q, k, pX, pSg);
  return est > 0 && est < Infinity ? (1.0 / est) / anorm : 0.0;
}

/** Index of the first entry of largest magnitude (BLAS idamax). */
function idamax(pV: usize, k: i32): i32 {
  let j = 0;
  let best = abs<f64>(ldf(pV, 0));
  for (let i = 1; i < k; i++) {
    const a = abs<f64>(ldf(pV, i));
    if (a > best) {
      best = a;
      j = i;
    }
  }
  return j;
}

/** sum |v_i| (BLAS dasum, sequential). */
function asum(pV: usize, k: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < k; i++) s += abs<f64>(ldf(pV, i));
  return s;
}

/** Replace v by sign(v) (+1 for v >= 0) and record the signs in sg. */
function signsOf(pV: usize, pSg: usize, k: i32): void {
  for (let i = 0; i < k; i++) {
    const s = ldf(pV, i) >= 0 ? 1.0 : -1.0;
    stf(pSg, i, s);
    stf(pV, i, s);
  }
}

/** Lower bound on ||(R^T R)^-1||_1, usually within a factor 3: Hager (1984) / Higham (1988),
 *  "FORTRAN codes for estimating the one-norm of a real or complex matrix", ACM TOMS 14 —
 *  LAPACK dlacn2 with itmax = 5, specialised to a symmetric matrix (A^-T = A^-1). */
function invNorm1Estimate(pR: usize, q: i32, k: i32, pX: usize, pSg: usize): f64 {
  for (let i = 0; i < k; i++) stf(pX, i, 1.0 / <f64>k);
  solveUpperT(pR, q, k, pX);
  solveUpper(pR, q, k, pX);
  if (k == 1) return abs<f64>(ldf(pX, 0));
  let est = asum(pX, k);
  signsOf(pX, pSg, k);
  solveUpperT(pR, q, k, pX);
  solveUpper(pR, q, k, pX);
  let j = idamax(pX, k);
  let iter = 2;
  while (true) {
    for (let i = 0; i < k; i++) stf(pX, i, 0);
    stf(pX, j, 1);
    solveUpperT(pR, q, k, pX);
    solveUpper(pR, q, k, pX);
    const estOld = est;
    est = asum(pX, k);
    // Repeated sign vector or no increase: converged (dlacn2 labels 70 / 90).
    let repeated = 1;
    for (let i = 0; i < k; i++) {
      if ((ldf(pX, i) >= 0 ? 1.0 : -1.0) != ldf(pSg, i)) {
        repeated = 0;
        break;
      }
    }
    if (repeated != 0 || est <= estOld) break;
    signsOf(pX, pSg, k);
    solveUpperT(pR, q, k, pX);
    solveUpper(pR, q, k, pX);
    const jLast = j;
    j = idamax(pX, k);
    if (ldf(pX, jLast) != abs<f64>(ldf(pX, j)) && iter < 5) {
      iter++;
      continue;
    }
    break;
  }
  // Alternating-sign test vector (dlacn2 label 120).
  let alt = 1.0;
  for (let i = 0; i < k; i++) {
    stf(pX, i, alt * (1.0 + <f64>i / <f64>(k - 1)));
    alt = -alt;
  }
  solveUpperT(pR, q, k, pX);
  solveUpper(pR, q, k, pX);
  const temp = 2.0 * (asum(pX, k) / <f64>(3 * k));
  return temp > est ? temp : est;
}

// ---------------------------------------------------------------------------------------------
// 5. Householder QR, one row block at a time, and rank detection.

/** Householder reflector (LAPACK dlarfg) that zeroes the block's column v (lp rows, bytes = 8 lp)
 *  against the diagonal entry R_kk (at pRkk): beta = -sign(alpha) ||(alpha, x)||,
 *  tau = (beta - alpha) / beta, v <- x / (alpha - beta), R_kk <- beta. Returns tau, or 0 when the
 *  column is already zero (no reflection). Shared by householderBlock's callers (l2_fit's QR
 *  fallback and moments.ts). */
// @ts-ignore: decorator
@inline function reflector(v: usize, bytes: usize, pRkk: usize): f64 {
  let a = f64x2.splat(0);
  for (let o: usize = 0; o < bytes; o += 16) {
    const x = v128.load(v + o);
    a = f64x2.add(a, f64x2.mul(x, x));
  }
  const xn2 = lane0(a) + lane1(a);
  if (xn2 == 0) return 0;
  const alpha = load<f64>(pRkk);
  const h = sqrt<f64>(alpha * alpha + xn2);
  const beta = alpha >= 0 ? -h : h;
  const tau = (beta - alpha) / beta;
  const sc = f64x2.splat(1.0 / (alpha - beta));
  for (let o: usize = 0; o < bytes; o += 16) v128.store(v + o, f64x2.mul(v128.load(v + o), sc));
  store<f64>(pRkk, beta);
  return tau;
}

/** Stack the block (columns 0..q-1, rows 0..lp-1, stride L) under the upper triangle R (leading
 *  dimension q) and re-triangularise its first nk columns: for each column k < nk a Householder
 *  reflector (reflector above) that zeroes the block's column k, applied to the columns on its
 *  right up to q - 1 (LAPACK dtpqrt2 with a full pentagonal part). l2_fit passes nk = pa (column
 *  q - 1 = pa is the right-hand side), moments.ts nk = q. Register-blocked: each reflector is
 *  applied to four columns per pass over the block (one load of v serves four dot products, then
 *  four updates); every column sees the operations of the one-column loop in the same order
 *  (per-column f64x2 accumulators, lane 0 = even rows), so the bits are those of the twin's loop.
 *  The block is overwritten. */
export function householderBlock(pBlk: usize, L: i32, lp: i32, nk: i32, q: i32, pR: usize, pScr: usize): void {
  const stride = <usize>L << 3;
  const bytes = <usize>lp << 3;
  for (let k = 0; k < nk; k++) {
    const v = pBlk + <usize>k * stride;
    const tau = reflector(v, bytes, pR + (<usize>(k * q + k) << 3));
    if (tau == 0) continue;
    let j = k + 1;
    for (; j + 4 <= q; j += 4) {
      const c0 = pBlk + <usize>j * stride;
      const c1 = c0 + stride;
      const c2 = c1 + stride;
      const c3 = c2 + stride;
      dots4(v, c0, c1, c2, c3, bytes, pScr);
      const d0 = v128.load(pScr);
      const d1 = v128.load(pScr + 16);
      const d2 = v128.load(pScr + 32);
      const d3 = v128.load(pScr + 48);
      const r0 = ldf(pR, j * q + k);
      const r1 = ldf(pR, (j + 1) * q + k);
      const r2 = ldf(pR, (j + 2) * q + k);
      const r3 = ldf(pR, (j + 3) * q + k);
      const s0 = tau * (r0 + (lane0(d0) + lane1(d0)));
      const s1 = tau * (r1 + (lane0(d1) + lane1(d1)));
      const s2 = tau * (r2 + (lane0(d2) + lane1(d2)));
      const s3 = tau * (r3 + (lane0(d3) + lane1(d3)));
      stf(pR, j * q + k, r0 - s0);
      stf(pR, (j + 1) * q + k, r1 - s1);
      stf(pR, (j + 2) * q + k, r2 - s2);
      stf(pR, (j + 3) * q + k, r3 - s3);
      const t0 = f64x2.splat(s0);
      const t1 = f64x2.splat(s1);
      const t2 = f64x2.splat(s2);
      const t3 = f64x2.splat(s3);
      for (let o: usize = 0; o < bytes; o += 16) {
        const x = v128.load(v + o);
        v128.store(c0 + o, f64x2.sub(v128.load(c0 + o), f64x2.mul(t0, x)));
        v128.store(c1 + o, f64x2.sub(v128.load(c1 + o), f64x2.mul(t1, x)));
        v128.store(c2 + o, f64x2.sub(v128.load(c2 + o), f64x2.mul(t2, x)));
        v128.store(c3 + o, f64x2.sub(v128.load(c3 + o), f64x2.mul(t3, x)));
      }
    }
    for (; j < q; j++) {
      const c = pBlk + <usize>j * stride;
      const d = dot1(v, c, bytes);
      const rkj = ldf(pR, j * q + k);
      const ts = tau * (rkj + (lane0(d) + lane1(d)));
      stf(pR, j * q + k, rkj - ts);
      const tt = f64x2.splat(ts);
      for (let o: usize = 0; o < bytes; o += 16) {
        v128.store(c + o, f64x2.sub(v128.load(c + o), f64x2.mul(tt, v128.load(v + o))));
      }
    }
  }
}

/** Rank detection in natural order: while some retained column t has |R_tt| <= tol, flag it, delete
 *  it and restore the triangle with Givens rotations on rows (c, c+1) (also applied to the
 *  right-hand side in column pa). Returns the number of retained columns; pos maps them to their
 *  Gram positions. */
function deleteAliased(pR: usize, q: i32, pa: i32, tol: f64, pPos: usize, pAct: usize, pFlags: usize): i32 {
  let k = pa;
  let t = 0;
  while (t < k) {
    if (abs<f64>(ldf(pR, t * q + t)) > tol) {
      t++;
      continue;
    }
    sti(pFlags, ldi(pAct, ldi(pPos, t)), 1);
    for (let c = t; c < k - 1; c++) {
      for (let r = 0; r <= c + 1; r++) stf(pR, c * q + r, ldf(pR, (c + 1) * q + r));
      sti(pPos, c, ldi(pPos, c + 1));
    }
    for (let r = 0; r < k; r++) stf(pR, (k - 1) * q + r, 0);
    k--;
    for (let c = t; c < k; c++) {
      const a = ldf(pR, c * q + c);
      const b = ldf(pR, c * q + c + 1);
      if (b == 0) continue;
      const r = sqrt<f64>(a * a + b * b);
      const cs = a / r;
      const sn = b / r;
      stf(pR, c * q + c, r);
      stf(pR, c * q + c + 1, 0);
      for (let l = c + 1; l <= k; l++) {
        const col = l < k ? l : pa;
        const x1 = ldf(pR, col * q + c);
        const x2 = ldf(pR, col * q + c + 1);
        stf(pR, col * q + c, cs * x1 + sn * x2);
        stf(pR, col * q + c + 1, cs * x2 - sn * x1);
      }
    }
  }
  return k;
}

// ---------------------------------------------------------------------------------------------
// 6. One refinement pass over the rows.

/** Residuals r = y - b0 - X b in double-double (rows of zero weight are zeroed, so they contribute
 *  exact zeros) and sum_i w_i r_i^2 (returned); with rhs != 0 also q = w r in double-double and, in
 *  Dot2 form (high parts in gh, errors in gl), sum_i q_i x_ij for the k active columns at index t
 *  and sum_i q_i at index k. A block is read in place from X and y unless some row has weight 0
 *  (mask) or the block has an odd number of rows; then it is copied (zeroed rows, a zero pad row).
 *  Both sweeps over the block are register-blocked: the residual sweep applies two columns to each
 *  row in column order (the same operations in the same order per row; four were slower, measured:
 *  register pressure), the Dot2 sweep keeps four independent accumulators sharing the loads of q,
 *  so the bits are those of the one-column loops (which the twin runs). */
function refinePass(n: i32, pX: usize, pY: usize, pW: usize, mask: i32, k: i32, b0: f64, pCoef: usize, L: i32, p: i32,
  rhs: i32, plain: i32): f64 {
  const a = passArgs(n, pX, pY, pW, k, rAct, L, p);
  stf(a, aV1, b0);
  stf(a, aV2, <f64>pCoef);
  stf(a, aV3, <f64>plain);
  stf(a, aRhs, <f64>rhs);
  stf(a, aMask, <f64>mask);
  const nc = chunkCount(n, p);
  if (!parRun(PASS_L2_REFINE, a, nc)) {
    for (let c = 0; c < nc; c++) l2RefineItem(a, c, 0);
  }
  // Chunk sums in chunk order: the objective (slot 0 of the partial), the Dot2 sums (high parts from
  // slot 1, low parts after them) added as addLanes adds a block's.
  const ps = <usize>partStride(p) << 3;
  const pv = evenUp(k + 1);
  let obj = 0.0;
  for (let t = 0; t <= k; t++) {
    stf(rGh, t, 0);
    stf(rGl, t, 0);
  }
  for (let c = 0; c < nc; c++) {
    const part = rPart + <usize>c * ps;
    obj += ldf(part, 0);
    for (let t = 0; t <= k; t++) {
      const h = ldf(part, 1 + t);
      const g = ldf(rGh, t);
      const s = g + h;
      stf(rGl, t, ldf(rGl, t) + (twoSumErr(g, h, s) + ldf(part, 1 + pv + t)));
      stf(rGh, t, s);
    }
  }
  return obj;
}

/** Block pass PASS_L2_REFINE, item c: refineRows over chunk c's rows on slot s's scratch; the
 *  objective into slot 0 of the chunk's partial, the Dot2 sums into slots 1.. (high) and 1 + pv..
 *  (low, pv = evenUp(k + 1)). */
export function l2RefineItem(pArgs: usize, c: i32, s: i32): void {
  setXS(<i32>ldf(pArgs, aXS));
  const n = <i32>ldf(pArgs, aN);
  const k = <i32>ldf(pArgs, aK);
  const L = <i32>ldf(pArgs, aL);
  const chunk = <i32>ldf(pArgs, aChunk);
  const part = <usize>ldf(pArgs, aPart) + (<usize>c * <usize>ldf(pArgs, aPStride) << 3);
  const blk = slotScratch(pArgs, s);
  const lb = <usize>L << 3;
  const wb = blk + (<usize>((k + 1) * L) << 3);
  const pv = evenUp(k + 1);
  const r0 = c * chunk;
  const obj = refineRows(n, r0, min<i32>(n, r0 + chunk), <usize>ldf(pArgs, aPX), <usize>ldf(pArgs, aPY),
    <usize>ldf(pArgs, aPW), <i32>ldf(pArgs, aMask), k, <usize>ldf(pArgs, aAct), ldf(pArgs, aV1),
    <usize>ldf(pArgs, aV2), blk, L, wb, wb + lb, wb + 2 * lb, wb + 3 * lb, wb + 4 * lb,
    part + 8, part + 8 + (<usize>pv << 3), <i32>ldf(pArgs, aRhs), <i32>ldf(pArgs, aV3));
  stf(part, 0, obj);
}

/** refinePass's sweep over rows r0..r1-1 (whole blocks of L rows from r0), sums from zero. */
function refineRows(n: i32, r0: i32, r1: i32, pX: usize, pY: usize, pW: usize, mask: i32, k: i32, pAct: usize, b0: f64, pCoef: usize,
  pBlk: usize, L: i32, pWb: usize, pRh: usize, pRl: usize, pQh: usize, pQl: usize, pGh: usize, pGl: usize, rhs: i32,
  plain: i32): f64 {
  for (let t = 0; t <= k; t++) {
    stf(pGh, t, 0);
    stf(pGl, t, 0);
  }
  const stride = <usize>L << 3;
  let obj = 0.0;
  let i0 = r0;
  if (plain != 0 && mask == 0 && XS == 3 && k >= 2) {
    // Plain mode reading X in place: up to SUPER_BLOCKS whole blocks at a time (plainSuper; the
    // scratch from pBlk holds (k + 6) L >= 8 L f64), the rest block by block below.
    while (r1 - i0 >= L) {
      // at most k + 5 blocks: the slot's scratch ((p + 6) L f64, p >= k) keeps >= L f64 after the
      // residuals for plainDots4's 8 f64
      const nb = min<i32>(min<i32>(SUPER_BLOCKS, k + 5), (r1 - i0) / L);
      obj += plainSuper(pX, n, i0, nb, L, pAct, k, b0, pCoef, pY, pW, pBlk, pGh, pGl, rhs);
      i0 += nb * L;
    }
  }
  for (; i0 < r1; i0 += L) {
    const len = min<i32>(L, r1 - i0);
    const lp = evenUp(len);
    const bytes = <usize>lp << 3;
    const direct = mask == 0 && lp == len && XS == 3; // X stored as f32: widened into the block
    // Column t of the block: in place (direct), or copied: weights (1 without pW), x of the active
    // columns and y (column k).
    if (!direct) {
      for (let t = 0; t <= k; t++) {
        const src = t < k ? xatx(pX, n, ldi(pAct, t), i0) : pY + (<usize>i0 << 3);
        const dst = pBlk + <usize>t * stride;
        if (t < k && XS == 2) {
          // X stored as f32: widen the block (the same values the f64 branches copy)
          for (let i = 0; i < len; i++) stf(dst, i, pW == 0 || ldf(pW, i0 + i) != 0 ? xld<f32>(src, i) : 0);
        } else if (pW != 0) {
          for (let i = 0; i < len; i++) stf(dst, i, ldf(pW, i0 + i) != 0 ? ldf(src, i) : 0);
        } else {
          memory.copy(dst, src, <usize>len << 3);
        }
        if (lp > len) stf(dst, len, 0);
      }
    }
    if (pW != 0) {
      memory.copy(pWb, pW + (<usize>i0 << 3), <usize>len << 3);
    } else {
      for (let i = 0; i < len; i++) stf(pWb, i, 1);
    }
    if (lp > len) stf(pWb, len, 0);

    const yc = direct ? pY + (<usize>i0 << 3) : pBlk + <usize>k * stride;
    if (plain != 0) {
      obj += plainRows(direct, pX, n, i0, pAct, k, b0, pCoef, yc, pBlk, stride, bytes, pWb, pRh, pGh, pGl, rhs, pRl);
      continue;
    }
    // r = y - b0 - sum_t x_t b_t: TwoSum for each subtraction, Dekker's product for x b.
    const nb0 = f64x2.splat(-b0);
    for (let o: usize = 0; o < bytes; o += 16) {
      const y = v128.load(yc + o);
      const s = f64x2.add(y, nb0);
      v128.store(pRh + o, s);
      v128.store(pRl + o, twoSumErrV(y, nb0, s));
    }
    let t = 0;
    for (; t + 2 <= k; t += 2) {
      const c0 = colAt(direct, pX, n, i0, pAct, t, pBlk, stride);
      const c1 = colAt(direct, pX, n, i0, pAct, t + 1, pBlk, stride);
      const s0 = ldf(pCoef, 1 + ldi(pAct, t));
      const s1 = ldf(pCoef, 1 + ldi(pAct, t + 1));
      const h0s = splitHi(s0);
      const h1s = splitHi(s1);
      const b0v = f64x2.splat(s0);
      const b1v = f64x2.splat(s1);
      const bh0 = f64x2.splat(h0s);
      const bh1 = f64x2.splat(h1s);
      const bl0 = f64x2.splat(s0 - h0s);
      const bl1 = f64x2.splat(s1 - h1s);
      for (let o: usize = 0; o < bytes; o += 16) {
        const h = v128.load(pRh + o);
        let l = v128.load(pRl + o);
        let x = v128.load(c0 + o);
        let xh = splitHiV(x);
        let ph = f64x2.mul(x, b0v);
        let pl = twoProdErrV(xh, f64x2.sub(x, xh), bh0, bl0, ph);
        let nph = f64x2.neg(ph);
        const sm = f64x2.add(h, nph);
        l = f64x2.add(l, f64x2.sub(twoSumErrV(h, nph, sm), pl));
        x = v128.load(c1 + o);
        xh = splitHiV(x);
        ph = f64x2.mul(x, b1v);
        pl = twoProdErrV(xh, f64x2.sub(x, xh), bh1, bl1, ph);
        nph = f64x2.neg(ph);
        const s2 = f64x2.add(sm, nph);
        v128.store(pRh + o, s2);
        v128.store(pRl + o, f64x2.add(l, f64x2.sub(twoSumErrV(sm, nph, s2), pl)));
      }
    }
    for (; t < k; t++) {
      const bj = ldf(pCoef, 1 + ldi(pAct, t));
      const bhs = splitHi(bj);
      const b = f64x2.splat(bj);
      const bh = f64x2.splat(bhs);
      const bl = f64x2.splat(bj - bhs);
      const col = colAt(direct, pX, n, i0, pAct, t, pBlk, stride);
      for (let o: usize = 0; o < bytes; o += 16) {
        const x = v128.load(col + o);
        const xh = splitHiV(x);
        const ph = f64x2.mul(x, b);
        const pl = twoProdErrV(xh, f64x2.sub(x, xh), bh, bl, ph);
        const h = v128.load(pRh + o);
        const nph = f64x2.neg(ph);
        const s = f64x2.add(h, nph);
        v128.store(pRh + o, s);
        v128.store(pRl + o, f64x2.add(v128.load(pRl + o), f64x2.sub(twoSumErrV(h, nph, s), pl)));
      }
    }

    if (rhs == 0) {
      let ob = f64x2.splat(0);
      for (let o: usize = 0; o < bytes; o += 16) {
        const r = f64x2.add(v128.load(pRh + o), v128.load(pRl + o));
        ob = f64x2.add(ob, f64x2.mul(f64x2.mul(v128.load(pWb + o), r), r));
      }
      obj += lane0(ob) + lane1(ob);
      continue;
    }

    // q = w r as a double-double (qa, qb): r = rh + rl renormalised, then Dekker's product with w.
    // Rounding r (or q) to one double would perturb y by eps |r|, visible on large-residual problems.
    // pRh <- qa, pRl <- qb, pQh / pQl <- split of qa. Also sum q r (objective) and sum q (Dot2).
    let ob = f64x2.splat(0);
    let sh = ob;
    let sl = ob;
    for (let o: usize = 0; o < bytes; o += 16) {
      const h = v128.load(pRh + o);
      const l = v128.load(pRl + o);
      const r = f64x2.add(h, l);
      const rlo = twoSumErrV(h, l, r);
      const w = v128.load(pWb + o);
      const wh = splitHiV(w);
      const rhi = splitHiV(r);
      const qa = f64x2.mul(w, r);
      const qb = f64x2.add(twoProdErrV(wh, f64x2.sub(w, wh), rhi, f64x2.sub(r, rhi), qa), f64x2.mul(w, rlo));
      ob = f64x2.add(ob, f64x2.mul(qa, r));
      const s = f64x2.add(sh, qa);
      sl = f64x2.add(sl, f64x2.add(twoSumErrV(sh, qa, s), qb));
      sh = s;
      const qh = splitHiV(qa);
      v128.store(pRh + o, qa);
      v128.store(pRl + o, qb);
      v128.store(pQh + o, qh);
      v128.store(pQl + o, f64x2.sub(qa, qh));
    }
    obj += lane0(ob) + lane1(ob);
    addLanes(pGh, pGl, k, sh, sl);

    // sum_i q_i x_it for each active column (Dot2; the low part qb enters with one product).
    t = 0;
    for (; t + 4 <= k; t += 4) {
      const c0 = colAt(direct, pX, n, i0, pAct, t, pBlk, stride);
      const c1 = colAt(direct, pX, n, i0, pAct, t + 1, pBlk, stride);
      const c2 = colAt(direct, pX, n, i0, pAct, t + 2, pBlk, stride);
      const c3 = colAt(direct, pX, n, i0, pAct, t + 3, pBlk, stride);
      let ah0 = f64x2.splat(0);
      let ah1 = ah0;
      let ah2 = ah0;
      let ah3 = ah0;
      let al0 = ah0;
      let al1 = ah0;
      let al2 = ah0;
      let al3 = ah0;
      for (let o: usize = 0; o < bytes; o += 16) {
        const qa = v128.load(pRh + o);
        const qb = v128.load(pRl + o);
        const qh = v128.load(pQh + o);
        const ql = v128.load(pQl + o);
        let x = v128.load(c0 + o);
        let xh = splitHiV(x);
        let ph = f64x2.mul(qa, x);
        let pl = f64x2.add(twoProdErrV(qh, ql, xh, f64x2.sub(x, xh), ph), f64x2.mul(qb, x));
        let s = f64x2.add(ah0, ph);
        al0 = f64x2.add(al0, f64x2.add(twoSumErrV(ah0, ph, s), pl));
        ah0 = s;
        x = v128.load(c1 + o);
        xh = splitHiV(x);
        ph = f64x2.mul(qa, x);
        pl = f64x2.add(twoProdErrV(qh, ql, xh, f64x2.sub(x, xh), ph), f64x2.mul(qb, x));
        s = f64x2.add(ah1, ph);
        al1 = f64x2.add(al1, f64x2.add(twoSumErrV(ah1, ph, s), pl));
        ah1 = s;
        x = v128.load(c2 + o);
        xh = splitHiV(x);
        ph = f64x2.mul(qa, x);
        pl = f64x2.add(twoProdErrV(qh, ql, xh, f64x2.sub(x, xh), ph), f64x2.mul(qb, x));
        s = f64x2.add(ah2, ph);
        al2 = f64x2.add(al2, f64x2.add(twoSumErrV(ah2, ph, s), pl));
        ah2 = s;
        x = v128.load(c3 + o);
        xh = splitHiV(x);
        ph = f64x2.mul(qa, x);
        pl = f64x2.add(twoProdErrV(qh, ql, xh, f64x2.sub(x, xh), ph), f64x2.mul(qb, x));
        s = f64x2.add(ah3, ph);
        al3 = f64x2.add(al3, f64x2.add(twoSumErrV(ah3, ph, s), pl));
        ah3 = s;
      }
      addLanes(pGh, pGl, t, ah0, al0);
      addLanes(pGh, pGl, t + 1, ah1, al1);
      addLanes(pGh, pGl, t + 2, ah2, al2);
      addLanes(pGh, pGl, t + 3, ah3, al3);
    }
    for (; t < k; t++) {
      const col = colAt(direct, pX, n, i0, pAct, t, pBlk, stride);
      let ah = f64x2.splat(0);
      let al = ah;
      for (let o: usize = 0; o < bytes; o += 16) {
        const x = v128.load(col + o);
        const xh = splitHiV(x);
        const ph = f64x2.mul(v128.load(pRh + o), x);
        const pl = f64x2.add(twoProdErrV(v128.load(pQh + o), v128.load(pQl + o), xh, f64x2.sub(x, xh), ph),
          f64x2.mul(v128.load(pRl + o), x));
        const s = f64x2.add(ah, ph);
        al = f64x2.add(al, f64x2.add(twoSumErrV(ah, ph, s), pl));
        ah = s;
      }
      addLanes(pGh, pGl, t, ah, al);
    }
  }
  return obj;
}

/** refineRows on one block in plain float64 (refine's plain mode): r = ((y - b0) - x_0 b_0) - ..., in
 *  column order, into pRh; with rhs != 0, q = w r and the sums of q (index k) and of q x_t (index t)
 *  as two lanes per sum added into (gh, gl) by addLanes with zero low parts. Returns sum w r^2
 *  (the lanes: q r with rhs, (w r) r without — the same products). Register-blocked as the
 *  double-double sweeps (two columns per residual trip, four per Dot trip): no sum's order changes. */
function plainRows(direct: bool, pX: usize, n: i32, i0: i32, pAct: usize, k: i32, b0: f64, pCoef: usize, yc: usize,
  pBlk: usize, stride: usize, bytes: usize, pWb: usize, pR: usize, pGh: usize, pGl: usize, rhs: i32, pScr: usize): f64 {
  plainResiduals(direct, pX, n, i0, pAct, k, b0, pCoef, yc, pBlk, stride, bytes, pR);
  const obj = plainObjective(pR, pWb, bytes, pGh, pGl, k, rhs);
  if (rhs == 0) return obj;
  let t = 0;
  for (; t + 4 <= k; t += 4) {
    plainDots4(pR, colAt(direct, pX, n, i0, pAct, t, pBlk, stride), colAt(direct, pX, n, i0, pAct, t + 1, pBlk, stride),
      colAt(direct, pX, n, i0, pAct, t + 2, pBlk, stride), colAt(direct, pX, n, i0, pAct, t + 3, pBlk, stride),
      bytes, pGh, pGl, t, pScr);
  }
  for (; t < k; t++) plainDot(pR, colAt(direct, pX, n, i0, pAct, t, pBlk, stride), bytes, pGh, pGl, t);
  return obj;
}

/** The plain residuals r = ((y - b0) - x_0 b_0) - ... of `bytes` / 8 rows into pR (four columns per
 *  trip, then two, then one: the same operations per row in the same order). Four per trip reads and
 *  writes r half as often as two (plainSuper's r is 32 KiB, most of L1): measured (1e6 x 20 ols, perf
 *  samples, load 5) 11.9 -> 8.9 ms per fit. */
function plainResiduals(direct: bool, pX: usize, n: i32, i0: i32, pAct: usize, k: i32, b0: f64, pCoef: usize, yc: usize,
  pBlk: usize, stride: usize, bytes: usize, pR: usize): void {
  const nb0 = f64x2.splat(-b0);
  for (let o: usize = 0; o < bytes; o += 16) v128.store(pR + o, f64x2.add(v128.load(yc + o), nb0));
  let t = 0;
  for (; t + 4 <= k; t += 4) {
    const c0 = colAt(direct, pX, n, i0, pAct, t, pBlk, stride);
    const c1 = colAt(direct, pX, n, i0, pAct, t + 1, pBlk, stride);
    const c2 = colAt(direct, pX, n, i0, pAct, t + 2, pBlk, stride);
    const c3 = colAt(direct, pX, n, i0, pAct, t + 3, pBlk, stride);
    const b0v = f64x2.splat(ldf(pCoef, 1 + ldi(pAct, t)));
    const b1v = f64x2.splat(ldf(pCoef, 1 + ldi(pAct, t + 1)));
    const b2v = f64x2.splat(ldf(pCoef, 1 + ldi(pAct, t + 2)));
    const b3v = f64x2.splat(ldf(pCoef, 1 + ldi(pAct, t + 3)));
    for (let o: usize = 0; o < bytes; o += 16) {
      let r = f64x2.sub(v128.load(pR + o), f64x2.mul(v128.load(c0 + o), b0v));
      r = f64x2.sub(r, f64x2.mul(v128.load(c1 + o), b1v));
      r = f64x2.sub(r, f64x2.mul(v128.load(c2 + o), b2v));
      v128.store(pR + o, f64x2.sub(r, f64x2.mul(v128.load(c3 + o), b3v)));
    }
  }
  for (; t + 2 <= k; t += 2) {
    const c0 = colAt(direct, pX, n, i0, pAct, t, pBlk, stride);
    const c1 = colAt(direct, pX, n, i0, pAct, t + 1, pBlk, stride);
    const b0v = f64x2.splat(ldf(pCoef, 1 + ldi(pAct, t)));
    const b1v = f64x2.splat(ldf(pCoef, 1 + ldi(pAct, t + 1)));
    for (let o: usize = 0; o < bytes; o += 16) {
      const r = f64x2.sub(v128.load(pR + o), f64x2.mul(v128.load(c0 + o), b0v));
      v128.store(pR + o, f64x2.sub(r, f64x2.mul(v128.load(c1 + o), b1v)));
    }
  }
  for (; t < k; t++) {
    const col = colAt(direct, pX, n, i0, pAct, t, pBlk, stride);
    const bv = f64x2.splat(ldf(pCoef, 1 + ldi(pAct, t)));
    for (let o: usize = 0; o < bytes; o += 16) {
      v128.store(pR + o, f64x2.sub(v128.load(pR + o), f64x2.mul(v128.load(col + o), bv)));
    }
  }
}

/** One block's objective lanes sum w r^2 over its `bytes` / 8 rows at pR (weights at pWb; pWb = 0:
 *  w = 1, and 1 r = r exactly), returned as lane0 + lane1; with rhs != 0, r becomes q = w r in
 *  place and the lanes of sum q go to index k of (gh, gl). */
function plainObjective(pR: usize, pWb: usize, bytes: usize, pGh: usize, pGl: usize, k: i32, rhs: i32): f64 {
  const zero = f64x2.splat(0);
  let ob = zero;
  let sq = zero;
  for (let o: usize = 0; o < bytes; o += 16) {
    const r = v128.load(pR + o);
    const qv = pWb != 0 ? f64x2.mul(v128.load(pWb + o), r) : r;
    ob = f64x2.add(ob, f64x2.mul(qv, r));
    if (rhs != 0) {
      sq = f64x2.add(sq, qv);
      if (pWb != 0) v128.store(pR + o, qv);
    }
  }
  if (rhs != 0) addLanes(pGh, pGl, k, sq, zero);
  return lane0(ob) + lane1(ob);
}

/** Lanes of sum q x over `bytes` / 8 rows (q at pQ, four columns at c0..c3), added to indexes t..t+3
 *  of (gh, gl); pScr: 8 f64 of scratch (dots4). */
function plainDots4(pQ: usize, c0: usize, c1: usize, c2: usize, c3: usize, bytes: usize, pGh: usize, pGl: usize,
  t: i32, pScr: usize): void {
  const zero = f64x2.splat(0);
  dots4(pQ, c0, c1, c2, c3, bytes, pScr);
  addLanes(pGh, pGl, t, v128.load(pScr), zero);
  addLanes(pGh, pGl, t + 1, v128.load(pScr + 16), zero);
  addLanes(pGh, pGl, t + 2, v128.load(pScr + 32), zero);
  addLanes(pGh, pGl, t + 3, v128.load(pScr + 48), zero);
}

/** plainDots4 for one column. */
function plainDot(pQ: usize, col: usize, bytes: usize, pGh: usize, pGl: usize, t: i32): void {
  addLanes(pGh, pGl, t, dot1(pQ, col, bytes), f64x2.splat(0));
}

/** Whole blocks read at a time by plainSuper. */
const SUPER_BLOCKS: i32 = 8; // 16 measured no faster (1e6 x 20, load 10)

/** plainRows over nb whole blocks of L rows from i0, X, y and the weights read in place (the plain
 *  pass's direct case): the residuals of all nb L rows first, one column at a time (each column read
 *  as one nb L-row stream: measured by bench/roofline.mjs, 21 columns read 512 rows at a time
 *  stream at ~10-12 GB/s, 4096 at a time at ~19-23, one column at ~23-28; 1e6 x 20 fit, A/B in
 *  separate processes, load 8: 70.7-94.4 -> 65.6-68.7 ms median), then the sums block by block
 *  in plainRows' lanes, a column (group) over all nb blocks at a time. Every sum (the objective,
 *  gh / gl at each index) receives the same additions in the same order as plainRows block by
 *  block, so the bits are plainRows' (which the twin runs). r goes to pR (nb L f64). Returns the
 *  sum of the blocks' objectives, added in block order. */
function plainSuper(pX: usize, n: i32, i0: i32, nb: i32, L: i32, pAct: usize, k: i32, b0: f64, pCoef: usize, pY: usize,
  pW: usize, pR: usize, pGh: usize, pGl: usize, rhs: i32): f64 {
  // pR: nb L residuals, then 8 f64 of scratch for plainDots4 (refineRows leaves room for them)
  const lb = <usize>L << 3;
  plainResiduals(true, pX, n, i0, pAct, k, b0, pCoef, pY + (<usize>i0 << 3), 0, 0, <usize>nb * lb, pR);
  const pw = pW != 0 ? pW + (<usize>i0 << 3) : 0; // the group's weights, in place
  let obj = 0.0;
  for (let b = 0; b < nb; b++) {
    const o = <usize>b * lb;
    obj += plainObjective(pR + o, pw != 0 ? pw + o : 0, lb, pGh, pGl, k, rhs);
  }
  if (rhs == 0) return obj;
  let t = 0;
  for (; t + 4 <= k; t += 4) {
    const c0 = colAt(true, pX, n, i0, pAct, t, 0, 0);
    const c1 = colAt(true, pX, n, i0, pAct, t + 1, 0, 0);
    const c2 = colAt(true, pX, n, i0, pAct, t + 2, 0, 0);
    const c3 = colAt(true, pX, n, i0, pAct, t + 3, 0, 0);
    for (let b = 0; b < nb; b++) {
      const o = <usize>b * lb;
      plainDots4(pR + o, c0 + o, c1 + o, c2 + o, c3 + o, lb, pGh, pGl, t, pR + <usize>nb * lb);
    }
  }
  for (; t < k; t++) {
    const col = colAt(true, pX, n, i0, pAct, t, 0, 0);
    for (let b = 0; b < nb; b++) {
      const o = <usize>b * lb;
      plainDot(pR + o, col + o, lb, pGh, pGl, t);
    }
  }
  return obj;
}

/** Address of active column t of the row block starting at i0: in X itself, or in the block copy. */
// @ts-ignore: decorator
@inline function colAt(direct: bool, pX: usize, n: i32, i0: i32, pAct: usize, t: i32, pBlk: usize, stride: usize): usize {
  return direct ? pX + ((<usize>ldi(pAct, t) * <usize>n + <usize>i0) << 3) : pBlk + <usize>t * stride;
}

/** Add a two-lane Dot2 accumulator (high parts sh, errors sl) to entry t of (gh, gl). */
function addLanes(pGh: usize, pGl: usize, t: i32, sh: v128, sl: v128): void {
  const h0 = lane0(sh);
  const h1 = lane1(sh);
  const h = h0 + h1;
  const l = (lane0(sl) + lane1(sl)) + twoSumErr(h0, h1, h);
  const g = ldf(pGh, t);
  const s = g + h;
  stf(pGl, t, ldf(pGl, t) + (twoSumErr(g, h, s) + l));
  stf(pGh, t, s);
}
