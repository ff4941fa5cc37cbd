// Least-squares problems whose exact solution is known (test/estimators/ols-result.test.ts,
// ols-mixed.test.ts).
import { rng } from './close.js';

/** Rows in pairs with the same x and residuals +e, -e: X^T r = 0 exactly, so bStar is the exact
 *  least-squares solution (integer x, dyadic coefficients and residuals: every product is exact).
 *  An odd last row lies on the plane (e = 0). X row-major (n x p). Options: column j's x offset by
 *  offset(j) (an integer; sums stay exact while |y| < 2^48), the intercept b0 (default 3). */
export function pairs(n: number, p: number, seed: number, opt: { offset?: (j: number) => number; b0?: number } = {}):
  { X: Float64Array; y: Float64Array; bStar: number[] } {
  const r = rng(seed);
  const bStar = [opt.b0 ?? 3, ...Array.from({ length: p }, (_, j) => ((j % 5) - 2) * 0.625 + 0.125)];
  const off = Array.from({ length: p }, (_, j) => opt.offset?.(j) ?? 0);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    const twin = i % 2 === 1;
    let fit = bStar[0];
    for (let j = 0; j < p; j++) {
      const v = twin ? X[(i - 1) * p + j] : off[j] + Math.floor(r() * 1025) - 512;
      X[i * p + j] = v;
      fit += v * bStar[j + 1];
    }
    e = twin ? -e : i === n - 1 ? 0 : (Math.floor(r() * 201) - 100) / 16;
    y[i] = fit + e;
  }
  return { X, y, bStar };
}
