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

/** The thread tests' L1 problem (test/threads/l1-*-threads.test.ts): n × p row-major design, entries
 *  uniform (integers in -3..3 with `integer`, integer responses too), Cauchy noise, and weights with
 *  ~5% zeros. */
export function threadsProblem(rand: () => number, n: number, p: number, integer = false) {
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 1;
    for (let j = 0; j < p; j++) {
      const v = integer ? Math.floor(rand() * 7) - 3 : rand() * 4 - 2 + j;
      X[i * p + j] = v;
      f += v * (j % 3 - 1);
    }
    const e = Math.tan(Math.PI * (rand() - 0.5)); // Cauchy noise
    y[i] = integer ? Math.round(f + 2 * Math.max(-5, Math.min(5, e))) : f + e;
  }
  const weights = Float64Array.from({ length: n }, () => (rand() < 0.05 ? 0 : 0.5 + rand()));
  return { X: { data: X, rows: n, cols: p }, y, weights };
}
