// The library's one dense linear-algebra module (host side; the kernels have their own in assembly/):
// small dense matrices (k × k, k = coefficients incl. intercept, small) over tall n × k designs, for
// covariance matrices (inference/), leverages (the public hatValues), and the streaming
// accumulator's Givens updates (fit/accumulator.ts), and the MM covariance's general inverse and
// symmetric eigen-decomposition (inference/mm.ts). Matrices are column-major Float64Arrays unless
// stated. Covariances go through a Householder QR of the design, never through the normal equations,
// so their accuracy is governed by cond(A), not cond(A)² (the MM covariance is the exception: its
// weights ψ' can be negative, so it inverts X'WX itself, by `inverse`). The double-double error-free
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

/**
 * Inverse of a general square k × k matrix (column-major) by Gauss–Jordan with partial pivoting; null
 * when a pivot is ≤ rtol (default 1e-14) × the largest |entry| (numerically singular). For matrices that need not be
 * positive definite, e.g. the MM covariance's X'diag(ψ'(r/s))X, whose weights ψ' of the bisquare are
 * negative for c/√5 < |r/s| < c, so neither Cholesky nor the QR of √W·X applies.
 */
export function inverse(M: Float64Array, k: number, rtol = 1e-14): Float64Array | null {
  const a = Float64Array.from(M);
  const inv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) inv[j * k + j] = 1;
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  for (let c = 0; c < k; c++) {
    let piv = c, best = Math.abs(a[c * k + c]);
    for (let r = c + 1; r < k; r++) if (Math.abs(a[c * k + r]) > best) { best = Math.abs(a[c * k + r]); piv = r; }
    if (!(best > rtol * scale)) return null;
    if (piv !== c) {
      for (let j = 0; j < k; j++) {
        let t = a[j * k + c]; a[j * k + c] = a[j * k + piv]; a[j * k + piv] = t;
        t = inv[j * k + c]; inv[j * k + c] = inv[j * k + piv]; inv[j * k + piv] = t;
      }
    }
    const d = a[c * k + c];
    for (let j = 0; j < k; j++) { a[j * k + c] /= d; inv[j * k + c] /= d; }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[c * k + r];
      if (f === 0) continue;
      for (let j = 0; j < k; j++) { a[j * k + r] -= f * a[j * k + c]; inv[j * k + r] -= f * inv[j * k + c]; }
    }
  }
  return inv;
}

/** Symmetric eigen-decomposition by cyclic Jacobi: values and vectors (columns of Q, column-major). */
export function eigenSym(S: Float64Array, k: number): { values: Float64Array; Q: Float64Array } {
  const a = Float64Array.from(S);
  const Q = new Float64Array(k * k);
  for (let j = 0; j < k; j++) Q[j * k + j] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, tot = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) { tot += a[j * k + i] ** 2; if (i !== j) off += a[j * k + i] ** 2; }
    if (off <= 1e-30 * tot) break;
    for (let pI = 0; pI < k - 1; pI++) {
      for (let qI = pI + 1; qI < k; qI++) {
        const apq = a[qI * k + pI];
        if (apq === 0) continue;
        const app = a[pI * k + pI], aqq = a[qI * k + qI];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[pI * k + r], arq = a[qI * k + r];
          a[pI * k + r] = c * arp - s * arq;
          a[qI * k + r] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[r * k + pI], aqr = a[r * k + qI];
          a[r * k + pI] = c * apr - s * aqr;
          a[r * k + qI] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const qp = Q[pI * k + r], qq = Q[qI * k + r];
          Q[pI * k + r] = c * qp - s * qq;
          Q[qI * k + r] = s * qp + c * qq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let j = 0; j < k; j++) values[j] = a[j * k + j];
  return { values, Q };
}

/**
 * Inverse of a symmetric positive definite k × k matrix (column-major; only the lower triangle is
 * read) by Cholesky G = LLᵀ, G⁻¹ = L⁻ᵀL⁻¹; null when a pivot is not positive (not positive definite).
 * For Gram matrices that arrive already formed (the one-pass Dataset sandwich of inference/dataset.ts);
 * a design at hand goes through `inverseGram` (QR) instead.
 */
export function spdInverse(G: Float64Array, k: number): Float64Array | null {
  const L = new Float64Array(k * k); // column-major lower
  for (let j = 0; j < k; j++) {
    let d = G[j * k + j];
    for (let l = 0; l < j; l++) d -= L[l * k + j] * L[l * k + j];
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let v = G[j * k + i];
      for (let l = 0; l < j; l++) v -= L[l * k + i] * L[l * k + j];
      L[j * k + i] = v / ljj;
    }
  }
  // L⁻¹ (lower), then G⁻¹ = L⁻ᵀ L⁻¹
  const Li = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    Li[j * k + j] = 1 / L[j * k + j];
    for (let i = j + 1; i < k; i++) {
      let v = 0;
      for (let l = j; l < i; l++) v -= L[l * k + i] * Li[j * k + l];
      Li[j * k + i] = v / L[i * k + i];
    }
  }
  const Gi = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let d = c; d < k; d++) {
      let v = 0;
      for (let l = d; l < k; l++) v += Li[c * k + l] * Li[d * k + l];
      Gi[d * k + c] = v;
      Gi[c * k + d] = v;
    }
  }
  return Gi;
}

/**
 * Back substitution x = R₁₁⁻¹ b for the leading m × m block of an upper-triangular R stored
 * column-major with leading dimension ld (e.g. β = R₁₁⁻¹ r₁₂ from the QR of [Z | x], b = column m of R).
 */
export function solveUpper(R: Float64Array, ld: number, m: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let t = b[r];
    for (let l = r + 1; l < m; l++) t -= R[l * ld + r] * x[l];
    x[r] = t / R[r * ld + r];
  }
  return x;
}

/**
 * Upper R with RᵀR = C (q × q, row-major) for a symmetric positive semidefinite C: Cholesky of
 * D⁻¹CD⁻¹ (D = √diag C), columns scaled back by D. A pivot ≤ q·u (relative) — a column of X dependent
 * on the earlier ones within rounding — leaves a zero row instead of a square root of rounding noise.
 */
export function cholFactor(C: Float64Array, q: number): Float64Array {
  const d = new Float64Array(q);
  for (let i = 0; i < q; i++) d[i] = Math.sqrt(C[i * q + i]);
  const S = new Float64Array(q * q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) S[i * q + j] = d[i] > 0 && d[j] > 0 ? C[i * q + j] / (d[i] * d[j]) : 0;
  const U = new Float64Array(q * q);
  const tiny = q * 2.220446049250313e-16;
  for (let k = 0; k < q; k++) {
    let piv = S[k * q + k];
    for (let i = 0; i < k; i++) piv -= U[i * q + k] * U[i * q + k];
    // dependent (or constant) column of X: zero row; y (last) only when nothing is left at all
    if (!(piv > (k === q - 1 ? 0 : tiny))) continue;
    const r = Math.sqrt(piv);
    U[k * q + k] = r;
    for (let j = k + 1; j < q; j++) {
      let v = S[k * q + j];
      for (let i = 0; i < k; i++) v -= U[i * q + k] * U[i * q + j];
      U[k * q + j] = v / r;
    }
  }
  for (let i = 0; i < q; i++) for (let j = i; j < q; j++) U[i * q + j] *= d[j];
  return U;
}
