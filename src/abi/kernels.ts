// One backend interface, implemented twice: by the WebAssembly module compiled from assembly/ and by
// the pure-TypeScript twin in src/twin/. Solvers (src/fit/*) marshal data into the backend's linear
// memory through an Arena and call a kernel; they never branch on which backend they hold.
//
// Kernel ABI (both backends): every pointer is a byte offset into the backend's linear memory,
// 16-byte aligned; matrices are column-major; kernels never allocate — the caller passes a work
// region of at least `*_work_bytes(n, p)` bytes. Kernels return a status code (src/abi/status.ts).
// X is f64, or f32 when the last argument xf32 of l2_fit / l1_fit / irls_fit / moments is 1 (a Dataset with
// precision 'f32'): entries are widened to f64 on load and all arithmetic is f64
// (assembly/xload.ts). y, weights and every other region are always f64.

/** The kernel set exported by assembly/index.ts and src/backend/twin.ts (same names, same semantics). */
export interface Kernels {
  /** First free byte after the module's static data. */
  heap_base(): number;

  /** Work-region size (bytes) for l2_fit. */
  l2_work_bytes(n: number, p: number): number;
  /**
   * Weighted least squares (+ ridge) on column-major X (n×p), y (n), weights w (n; pW = 0 → all 1).
   * Writes coef region [intercept, b_1..b_p] (p+1 f64), info region (INFO_LEN f64, see src/abi/info.ts),
   * flags region (p i32: 1 = column aliased / rank deficient). Returns a status code. gram: 0 / absent
   * = the f32 Gram route where it applies (assembly/l2.ts Q32_MIN), 1 = the f64 Gram only.
   */
  l2_fit(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, ridge: number,
    pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32?: number, gram?: number): number;

  /** Work-region size (bytes) for l1_fit. */
  l1_work_bytes(n: number, p: number): number;
  /**
   * Exact weighted L1 / quantile regression. Rows 0..nData-1 are data; rows nData..n-1 are
   * pseudo-rows (lasso penalty, added by the caller) whose implicit intercept entry is 0, not 1.
   * Coefficients are [intercept, b_1..b_p] (intercept slot stays 0 when intercept = 0).
   * pStart = 0 → start from zero, else p+1 f64 warm start. Unpenalised (nData = n): the kernel checks
   * the rank first (l2_fit) unless fullRank = 1 and a start is given (the caller knows the rank).
   * pStartR ≠ 0 (with a start, unpenalised): n f64 residuals y_i − b0 − x_i·b of the start on the
   * rows, then p + 1 f64: max |y_i| and max |x_ij| per column (j = 1..p) over the rows — what a
   * warm-started globbing solve's first pass over the data computes; it reads them instead (a caller
   * refitting from one start several times, as summary's nid, makes that pass once). They must be the
   * kernel's values (nid_rows with a = −b gives its residuals bit for bit).
   */
  l1_fit(n: number, nData: number, p: number, pX: number, pY: number, pW: number, intercept: number,
    tau: number, maxIter: number, tol: number, pStart: number,
    pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32?: number, fullRank?: number, pStartR?: number): number;
  /**
   * Internal (tests): l1_fit globs (Portnoy–Koenker preprocessing) from minRows rows on, with a
   * smallest subsample level of baseRows rows (0 = defaults); returns the previous threshold.
   * l1_work_bytes depends on the threshold: call it after this.
   */
  l1_glob(minRows: number, baseRows: number): number;
  /**
   * Internal (tests): on = 0 makes l1_fit's certificate recompute the residuals from X instead of
   * starting from the final refresh's (same bits by design); returns the previous setting.
   */
  l1_fresh(on: number): number;

  /** Work-region size (bytes) for irls_fit. */
  irls_work_bytes(n: number, p: number): number;
  /**
   * Huber (loss = 1, param = delta) or smooth-L1 (loss = 2, param = epsilon) regression by IRLS on
   * the L2 kernel's weighted Gram + Cholesky. scale > 0 fixes the Huber scale; ≤ 0 estimates it.
   * ridge ≥ 0 penalises b_1..b_p. pStart = 0 → internal start. Same coef/info/flags regions as l2_fit.
   */
  irls_fit(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, loss: number,
    param: number, scale: number, ridge: number, maxIter: number, tol: number, pStart: number,
    pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32?: number): number;

  /** Work-region size (bytes) for moments. */
  moments_work_bytes(n: number, p: number): number;
  /**
   * Sufficient statistics of one chunk for the streaming least-squares accumulator (src/fit/accumulator.ts):
   * for V = [X | y] (X column-major n×p, y n; weights w, pW = 0 → all 1) writes to pOut, q = p + 1:
   * R (q×q column-major, upper triangular, RᵀR = Σ w_i (v_i − m)(v_i − m)ᵀ, by Householder QR),
   * then W = Σ w at q², the two-pass means m as double-doubles (hi at q² + 1 + j, lo at q² + 1 + q + j).
   * Returns STATUS_NUMERICAL when a statistic overflows. xf32 = 1: X stored as float32 (y stays f64).
   */
  moments(n: number, p: number, pX: number, pY: number, pW: number, pOut: number, pWork: number, xf32?: number): number;

  /** Work-region size (bytes) for hc_pass. */
  hc_work_bytes(n: number, p: number): number;
  /**
   * Least-squares inference sums in one pass (assembly/hc.ts documents the layout): for k = p + intercept
   * columns a_i = [1, x_i − s] (or x_i), residuals r of the coefficients at pB (b0, b_1..b_p) and e = w r:
   * G = Σ w a a', M = Σ e² a a' (meat = 1), g = Σ e a, rss, W, Σ w(y − s_y), Σ w(y − s_y)², the shifts s.
   */
  hc_pass(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, pB: number,
    meat: number, pOut: number, pWork: number, xf32?: number): number;
  /**
   * nid's linear pass (assembly/nid.ts): out_i = (y_i − c) + Σ_j x_ij a_j, summed left to right, for
   * X column-major n × p, y at pY (0: none, −c), a at pA (p), out at pOut (n). Returns STATUS_OK.
   */
  nid_rows(n: number, p: number, pX: number, pY: number, c: number, pA: number, pOut: number, xf32?: number, pMax?: number): number;
  /** Work-region size (bytes) for nid_gram. */
  nid_gram_work_bytes(n: number, p: number): number;
  /**
   * nid's covariance pass after the refits (assembly/nid.ts): dy_i = (−c) + Σ_j x_ij a_j (nid_rows'
   * sum), the densities f_i = 2h / (w_i dy_i − √ε) (0 where w_i dy_i ≤ √ε), ω_m = μ w² and ω_b = f μ w²
   * into pOm, pOb (n each; w the weights at pW, μ the multiplicities at pM, 1 when 0), and the Gram
   * matrices Σ ω a a' of a_i = [1, x_i − s] (s: hc_pass's shifts) for both. Output: G_m, G_b (k × k
   * upper triangles, column-major, k = p + 1), s (p), then 5 counts (see assembly/nid.ts). Returns
   * STATUS_OK, or STATUS_NUMERICAL when a sum is not finite.
   */
  nid_gram(n: number, p: number, pX: number, pW: number, pM: number, c: number, pA: number, h: number,
    pOm: number, pOb: number, pOut: number, pWork: number, xf32?: number): number;
  /**
   * nid's face pass for tied data (assembly/nid.ts): rows with |r_i| ≤ tol (r at pR) gathered — indices
   * (i32) to pZ, y and w to pYz, pWz, X's columns to pXz (column stride m), at most cap rows — and over
   * the others W±, R±, min |r|, S± (p each) and max |x_j| (p) into pOut. Returns the count of rows at zero.
   */
  nid_face(n: number, p: number, pX: number, pY: number, pR: number, pW: number, pM: number, tol: number,
    cap: number, m: number, pZ: number, pXz: number, pYz: number, pWz: number, pOut: number, xf32?: number): number;

  /** Work-region size (bytes) for mm_fit (bestR kept candidates, groups × nGroup rows for large n). */
  mm_work_bytes(n: number, p: number, bestR: number, groups: number, nGroup: number): number;
  /**
   * S- then MM-estimation with Tukey's bisquare (robustbase lmrob defaults; assembly/mm.ts documents
   * the params region, the start region [b0, b, scale], the info region and the algorithm). Writes the
   * S-estimate [b0, b] to pCoefS, the MM-estimate to pCoef, their residuals (n each) to pRes0 / pRes.
   */
  mm_fit(n: number, p: number, pX: number, pY: number, intercept: number, pPar: number, pStart: number,
    pCoefS: number, pCoef: number, pRes0: number, pRes: number, pInfo: number, pWork: number, xf32?: number): number;
  /** Work-region size (bytes) for lts_fit. */
  lts_work_bytes(n: number, p: number): number;
  /**
   * Least trimmed squares by FAST-LTS (assembly/lts.ts): coverage h, nsamp elemental starts, 32-bit
   * seed, at most maxCsteps C-steps per final chain. Writes the raw coefficients [b0, b_1..b_p] (least
   * squares on the best h rows), info (OBJECTIVE = sum of the h smallest squared residuals, ITERATIONS =
   * C-steps, slots 5-9 search statistics) and flags as l2_fit's. Returns a status code.
   */
  lts_fit(n: number, p: number, pX: number, pY: number, intercept: number, h: number, nsamp: number, seed: number,
    maxCsteps: number, pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32?: number): number;
  /**
   * Residuals y - b0 - X b of the coefficients [b0, b_1..b_p] at pC on all n rows into pR (n f64), split
   * across threads as lts_fit's row passes; pWork: an lts_fit work region for the same n, p.
   */
  lts_resid(n: number, p: number, pX: number, pY: number, pC: number, pR: number, pWork: number, xf32?: number): void;

  /** Work-region size (bytes) for collapse_groups / collapse_build (n rows, at most maxGroups groups). */
  collapse_work_bytes(n: number, maxGroups: number): number;
  /**
   * Exact duplicate rows of (X, y) (assembly/collapse.ts): group ids by first appearance, kept in the
   * work region. Returns the number of groups, or -1 when there are more than maxGroups (or a hash
   * collision of different rows was found: then nothing is collapsed).
   */
  collapse_groups(n: number, p: number, pX: number, pY: number, maxGroups: number, pWork: number, xf32?: number): number;
  /**
   * The collapsed problem of the m groups collapse_groups found (same n, p, maxGroups, work): X_c (m × p
   * f64 column-major) and y_c from each group's first row, w_c = the group's summed weights (pW = 0: counts).
   */
  collapse_build(n: number, p: number, pX: number, pY: number, pW: number, maxGroups: number, m: number,
    pXc: number, pYc: number, pWc: number, pWork: number, xf32?: number): void;
}

export interface Backend {
  readonly name: 'wasm' | 'js';
  readonly kernels: Kernels;
  /** Current size of linear memory in bytes. */
  byteLength(): number;
  /** Largest size linear memory may reach (a shared memory's fixed maximum; else MAX_MEMORY_BYTES). */
  readonly maxBytes?: number;
  /** Grow linear memory to at least `bytes` (throws RobustRegError OUT_OF_MEMORY when impossible). */
  grow(bytes: number): void;
  /** Fresh views over linear memory (views detach when memory grows: never keep them across a grow). */
  f64(): Float64Array;
  i32(): Int32Array;
}

/** wasm32 addresses 4 GiB; both backends enforce the same limit so behaviour never depends on the backend. */
export const MAX_MEMORY_BYTES = 4 * 1024 * 1024 * 1024;
export const PAGE_BYTES = 65536;
