// Shapes shared by the L1 kernel tests (test/kernels/l1-kernel.test.ts, test/kernels/l1-glob.test.ts).

/** One problem for l1_fit: X column-major n × p. */
export interface L1Problem {
  n: number;
  p: number;
  X: Float64Array;
  y: Float64Array;
  w?: Float64Array;
  intercept?: boolean;
  /** rows nData..n-1 are penalty pseudo-rows (implicit intercept entry 0) */
  nData?: number;
}

/** What one l1_fit call left behind: status, coefficients (intercept first), info slots. */
export interface L1Run {
  status: number;
  coef: Float64Array;
  info: Float64Array;
}
