// Host hooks imported by the kernels. The TypeScript twin calls the same hooks (src/abi/progress.ts).

/** Called by long-running solvers every few iterations. kind: 1 = L1/quantile, 2 = IRLS, 3 = L2.
 *  Returns non-zero when the host asks the solver to stop (cancellation): the solver then returns
 *  STATUS_CANCELLED with its best iterate. */
// @ts-ignore: decorator
@external("env", "progress")
export declare function progress(kind: i32, iteration: i32, objective: f64, gap: f64): i32;
