// Kernel status codes. Mirrored in src/abi/status.ts; test/kernels/backends.test.ts checks the two agree.
export const STATUS_OK: i32 = 0;
/** Iteration cap reached: best iterate returned, not certified optimal. */
export const STATUS_MAXITER: i32 = 1;
/** Design is rank deficient: aliased columns are flagged in the flags region. */
export const STATUS_RANK_DEFICIENT: i32 = 2;
/** The host's progress hook asked to stop. */
export const STATUS_CANCELLED: i32 = 3;
/** Numerical breakdown that no fallback could repair (should not happen on finite input). */
export const STATUS_NUMERICAL: i32 = 4;
/** IRLS: a weighted least-squares step failed (extreme weights); the last good iterate is returned. */
export const STATUS_STALLED: i32 = 5;
