// The standard normal's density and quantile, unchecked: used by the fit layer (lts's consistency
// factors) and, with argument checks, by src/inference/distributions.ts (normalPdf, normalQuantile) —
// one implementation, so both give the same bits.

const SQRT_2PI = 2.5066282746310005024;

/** Standard normal density (unchecked). */
export function dnorm(x: number): number {
  return expHalfSquare(x) / SQRT_2PI;
}

/** e^(−x²/2) with full relative accuracy for large |x|: x = hi + lo, hi² exact. */
export function expHalfSquare(x: number): number {
  const ax = Math.abs(x);
  if (ax < 1) return Math.exp(-0.5 * ax * ax);
  if (ax > 40) return 0;
  const hi = Math.trunc(ax * 16) / 16;
  const lo = ax - hi;
  return Math.exp(-0.5 * hi * hi) * Math.exp(-0.5 * lo * (ax + hi));
}

// Wichura (1988), AS 241 PPND16: coefficients from the paper.
const A = [
  3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
  4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3,
];
const B = [
  1, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3, 2.1213794301586595867e4,
  3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3,
];
const C = [
  1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
  1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4,
];
const D = [
  1, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1, 1.48103976427480074590e-1,
  1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9,
];
const E = [
  6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
  2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F = [
  1, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2, 7.86869131145613259100e-4,
  1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15,
];

function horner(c: readonly number[], x: number): number {
  let v = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) v = v * x + c[i];
  return v;
}

/** Standard normal quantile Φ⁻¹(p) (AS 241) for p in [0, 1] (unchecked); −Infinity at 0, Infinity at 1. */
export function qnorm(p: number): number {
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(A, r)) / horner(B, r);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v = horner(C, r) / horner(D, r);
  } else {
    r -= 5;
    v = horner(E, r) / horner(F, r);
  }
  return q < 0 ? -v : v;
}
