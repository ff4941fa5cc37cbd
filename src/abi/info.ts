// Layout of the kernels' info region (f64 slots). Mirrored by assembly/info.ts (test/kernels/backends.test.ts checks).
export const INFO_LEN = 16;
/** Objective value at the returned coefficients (loss units of DESIGN.md §1). */
export const INFO_OBJECTIVE = 0;
/** L2: reciprocal 1-norm condition estimate of the centered, column-scaled (weighted) Gram matrix. */
export const INFO_RCOND = 1;
/** L2: refinement steps. L1: coordinate-descent sweeps. IRLS: reweighting iterations. */
export const INFO_ITERATIONS = 2;
/** L2: 0 = Cholesky on the Gram matrix, 1 = Householder QR fallback, 2 = Cholesky with the plain
 *  float64 refinement (large well-conditioned problems; docs/design.md). */
export const INFO_METHOD = 3;
/** L2: numerical rank. L1: number of zero residuals at the solution. */
export const INFO_RANK = 4;
/** L1: primal objective (equals OBJECTIVE). */
export const INFO_PRIMAL = 5;
/** L1: dual objective of the certificate. */
export const INFO_DUAL = 6;
/** L1: duality gap primal - dual (>= 0 up to rounding). */
export const INFO_GAP = 7;
/** L1: 1 when the optimum is (likely) not unique. */
export const INFO_NONUNIQUE = 8;
/** L1: max violation of dual feasibility of the certificate (0 when exactly feasible). */
export const INFO_DUAL_INFEAS = 9;
/** L2: relative size of the last refinement correction. */
export const INFO_REFINE = 10;
/** L1: simplex-edge (Barrodale-Roberts) steps after coordinate descent. */
export const INFO_EDGE_STEPS = 11;
/** IRLS: Huber: the joint robust residual scale s used; smooth-L1: the smoothing ε used (absolute). */
export const INFO_SCALE = 12;
/** IRLS: number of observations with |r| > delta·s (Huber outliers). */
export const INFO_OUTLIERS = 13;
/** L1: reduced problems solved by globbing (0 = the plain solve on all rows). */
export const INFO_GLOB_ROUNDS = 14;
/** L1: globbed rows found on the wrong side of the fit and moved into the band. */
export const INFO_GLOB_FIXUPS = 15;
