// The library's one dense linear-algebra module (host side; the kernels have their own in assembly/):
// small dense matrices (k × k, k = coefficients incl. intercept, small) over tall n × k designs, for
// covariance matrices (inference/), leverages (the public hatValues), and the streaming
// accumulator's Givens updates (fit/accumulator.ts). Matrices are column-major Float64Arrays unless
// stated. Covariances go through a Householder QR of the design, never through the normal equations,
// so their accuracy is governed by cond(A), not cond(A)². The double-double error-free
// transformations are the kernels' own (src/twin/dd.ts, pure arithmetic), re-exported here: this
// module is the one place the library reaches into the twin.
import { RobustRegError } from '../errors.js';

export { splitHi, twoProdErr, twoSumErr } from '../twin/dd.js';

/** A column-major n × k matrix. */
export interface Mat {
  n: number;
  k: number;
  a: Float64Array;
}

/**
 * The triangular factor R (k × k, column-major, upper) of A = QR by Householder reflections.
 * Throws RANK_DEFICIENT naming `what` when a pivot is zero relative to its column.
 */
export function qrR(A: Mat, what: string): Float64Array {
  const { n, k } = A;
  if (n < k) {
    throw new RobustRegError('RANK_DEFICIENT', `${what}: ${n} observations for ${k} coefficients`, { observations: n, parameters: k });
  }
  const a = Float64Array.from(A.a);
  const norms0 = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s = Math.hypot(s, a[j * n + i]);
    norms0[j] = s;
  }
  for (let j = 0; j < k; j++) {
    const o = j * n;
    // ‖a[j:, j]‖ with scaling (hypot) against overflow on badly scaled columns.
    let scale = 0;
    for (let i = j; i < n; i++) scale = Math.max(scale, Math.abs(a[o + i]));
    let alpha = 0;
    if (scale > 0) {
      let ss = 0;
      for (let i = j; i < n; i++) {
        const v = a[o + i] / scale;
        ss += v * v;
      }
      alpha = scale * Math.sqrt(ss);
    }
    if (!(alpha > 1e-13 * norms0[j]) || alpha === 0) {
      throw new RobustRegError('RANK_DEFICIENT', `${what}: the matrix is singular (column ${j} is a linear combination of earlier columns after weighting)`, { column: j });
    }
    if (a[o + j] > 0) alpha = -alpha;
    // v = a[j:, j] − alpha·e1, stored in place; beta = 2/(v'v).
    const v0 = a[o + j] - alpha;
    a[o + j] = v0;
    let vv = v0 * v0;
    for (let i = j + 1; i < n; i++) vv += a[o + i] * a[o + i];
    for (let c = j + 1; c < k; c++) {
      const oc = c * n;
      let dot = 0;
      for (let i = j; i < n; i++) dot += a[o + i] * a[oc + i];
      const f = (2 * dot) / vv;
      for (let i = j; i < n; i++) a[oc + i] -= f * a[o + i];
    }
    a[o + j] = alpha; // R[j, j]; the rest of the reflector is no longer needed
  }
  const R = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let r = 0; r <= c; r++) R[c * k + r] = a[c * n + r];
  return R;
}

/** Inverse of an upper-triangular k × k matrix (column-major). */
export function invUpper(R: Float64Array, k: number): Float64Array {
  const Ri = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    // Solve R x = e_j by back substitution; x is column j of R⁻¹ (zero below j).
    Ri[j * k + j] = 1 / R[j * k + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let l = i + 1; l <= j; l++) s += R[l * k + i] * Ri[j * k + l];
      Ri[j * k + i] = -s / R[i * k + i];
    }
  }
  return Ri;
}

/** M · R⁻¹ for an n × k matrix M (row by row forward substitution). */
export function rightSolveUpper(M: Mat, R: Float64Array): Mat {
  const { n, k } = M;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let s = M.a[j * n + i];
      for (let l = 0; l < j; l++) s -= out[l * n + i] * R[j * k + l];
      out[j * n + i] = s / R[j * k + j];
    }
  }
  return { n, k, a: out };
}

/** G'G for an n × k matrix (k × k, symmetric, column-major). */
export function crossprod(G: Mat): Float64Array {
  const { n, k, a } = G;
  const C = new Float64Array(k * k);
  for (let p = 0; p < k; p++) {
    for (let q = p; q < k; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[p * n + i] * a[q * n + i];
      C[q * k + p] = s;
      C[p * k + q] = s;
    }
  }
  return C;
}

/** A · S · A' for k × k matrices (column-major), symmetrised. */
export function congruence(Am: Float64Array, S: Float64Array, k: number): Float64Array {
  const T = new Float64Array(k * k); // T = A S
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += Am[l * k + r] * S[c * k + l];
      T[c * k + r] = s;
    }
  }
  const V = new Float64Array(k * k); // V = T A'
  for (let c = 0; c < k; c++) {
    for (let r = 0; r <= c; r++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += T[l * k + r] * Am[l * k + c];
      V[c * k + r] = s;
    }
  }
  for (let c = 0; c < k; c++) for (let r = c + 1; r < k; r++) V[c * k + r] = V[r * k + c];
  return V;
}

/** (A'A)⁻¹ = R⁻¹R⁻ᵀ from the QR of A. */
export function inverseGram(A: Mat, what: string): Float64Array {
  const R = qrR(A, what);
  const k = A.k;
  const I = new Float64Array(k * k);
  for (let j = 0; j < k; j++) I[j * k + j] = 1;
  return congruence(invUpper(R, k), I, k);
}

/**
 * The sandwich (B'B)⁻¹ (M'M) (B'B)⁻¹ for a "bread" design B and a "meat" design M (both n × k),
 * computed as R⁻¹ (G'G) R⁻ᵀ with B = QR and G = M R⁻¹.
 */
export function sandwich(Bm: Mat, Mm: Mat, what: string): Float64Array {
  const R = qrR(Bm, what);
  const G = rightSolveUpper(Mm, R);
  return congruence(invUpper(R, Bm.k), crossprod(G), Bm.k);
}

/** Cholesky solve of a small symmetric positive definite system S x = b (S column-major). */
export function cholSolve(S: Float64Array, k: number, b: Float64Array): Float64Array | null {
  const L = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = S[j * k + j];
    for (let l = 0; l < j; l++) d -= L[l * k + j] * L[l * k + j];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = S[j * k + i];
      for (let l = 0; l < j; l++) s -= L[l * k + i] * L[l * k + j];
      L[j * k + i] = s / ljj;
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let l = 0; l < i; l++) s -= L[l * k + i] * z[l];
    z[i] = s / L[i * k + i];
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let l = i + 1; l < k; l++) s -= L[i * k + l] * x[l];
    x[i] = s / L[i * k + i];
  }
  return x;
}

/**
 * Leverages h_i = a_i'(A'A)⁻¹a_i, the diagonal of the hat matrix A (A'A)⁻¹ A', on the QR path:
 * with A = QR, h_i = ‖row i of A R⁻¹‖² (Q's rows), never forming or inverting A'A.
 */
export function leverages(A: Mat, what: string): Float64Array {
  const R = qrR(A, what);
  const Q = rightSolveUpper(A, R);
  const { n, k } = A;
  const h = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const o = j * n;
    for (let i = 0; i < n; i++) h[i] += Q.a[o + i] * Q.a[o + i];
  }
  return h;
}

/**
 * Rotate the row v (entries before k0 are zero) into the upper-triangular R (q x q row-major) with
 * Givens rotations: afterwards R^T R = R_old^T R_old + v v^T. v is overwritten.
 */
export function givensRotateIn(R: Float64Array, q: number, v: Float64Array, k0: number): void {
  for (let k = k0; k < q; k++) {
    const b = v[k];
    if (b === 0) continue;
    const a = R[k * q + k];
    const r = hypot(a, b);
    const c = a / r;
    const s = b / r;
    R[k * q + k] = r;
    v[k] = 0;
    for (let j = k + 1; j < q; j++) {
      const x = R[k * q + j];
      const y = v[j];
      R[k * q + j] = c * x + s * y;
      v[j] = c * y - s * x;
    }
  }
}

/** sqrt(a^2 + b^2) without spurious over- or underflow, in plain IEEE operations (reproducible). */
export function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const t = x > y ? x : y;
  if (t > 1e-150 && t < 1e150) return Math.sqrt(x * x + y * y);
  const u = x / t;
  const v = y / t;
  return t * Math.sqrt(u * u + v * v);
}
