// Exact vertices of the quantile-regression linear program, for the parametric methods of
// docs/inference.md (rank-inversion intervals, the quantile process):
//
//   minimise F(γ) = Σᵢ wᵢ ρ_τ(vᵢ − zᵢ'γ),   ρ_τ(r) = r·(τ − [r < 0]),   γ ∈ ℝ^q.
//
// A vertex is a basis h of q rows with Z_h nonsingular; γ = Z_h⁻¹ v_h, so those q residuals are 0.
// From a vertex, the edges move one basic residual off zero (up or down) keeping the other q − 1 at
// zero; F is convex piecewise linear along an edge, and its directional derivative at the vertex is
//   F'(k, σ) = σ λ_k + w_k (σ > 0 ? τ : 1 − τ) + Σ_{i ∈ N₀} wᵢ ρ_τ(σ uᵢₖ),  λ = Z_h⁻ᵀ c,
// with c = Σ_{nonbasic rᵢ ≠ 0} wᵢ ψ_τ(rᵢ) zᵢ, u = Z Z_h⁻¹ and N₀ the nonbasic zero residuals. The
// vertex is optimal iff every F'(k, ±) ≥ 0 (then the dual scores ψ̃_h = −λ lie in w_h·[τ − 1, τ]:
// the certificate). Otherwise the steepest edge is followed to the minimum of F along it (a weighted
// median of the kinks), where the row whose residual reaches zero enters the basis: each step
// lowers F, so the descent ends at an optimum (an edge-following simplex method, as Barrodale &
// Roberts' for L1; the implementation here is ours).
//
// Rows are deduplicated by the callers (identical rows become one row with their count as weight),
// so duplicated observations do not make vertices degenerate.
import { RobustRegError } from '../errors.js';
import { inverse } from '../linalg/dense.js';

export interface QrProblem {
  n: number;
  q: number;
  /** Column-major n × q. */
  Z: Float64Array;
  v: Float64Array;
  /** Positive row weights (multiplicities). */
  w: Float64Array;
  tau: number;
}

export interface Vertex {
  /** Basis rows (length q). */
  h: Int32Array;
  /** Z_h⁻¹, q × q row-major. */
  B: Float64Array;
  gamma: Float64Array;
  /** Residuals v − Zγ (exactly 0 on the basis). */
  r: Float64Array;
  /** Whether row i is basic. */
  inBasis: Uint8Array;
}

/**
 * Inverse of the q × q matrix whose row k is z_{h_k}; null when (numerically) singular: a pivot ≤ 1e-13 ×
 * the largest |entry|. Gauss–Jordan with partial pivoting from linalg/dense.ts on the matrix stored
 * column-major, so its row swaps are swaps of basis rows; the result is returned row-major.
 */
export function basisInverse(P: QrProblem, h: Int32Array): Float64Array | null {
  const { n, q, Z } = P;
  const M = new Float64Array(q * q);
  for (let k = 0; k < q; k++) for (let a = 0; a < q; a++) M[a * q + k] = Z[a * n + h[k]];
  const inv = inverse(M, q, 1e-13);
  if (inv === null) return null;
  const B = new Float64Array(q * q);
  for (let r = 0; r < q; r++) for (let a = 0; a < q; a++) B[r * q + a] = inv[a * q + r];
  return B;
}

/** γ = Z_h⁻¹ v_h and the residuals, for a basis whose inverse is B. */
export function makeVertex(P: QrProblem, h: Int32Array, B: Float64Array): Vertex {
  const { n, q, Z, v } = P;
  const gamma = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    let s = 0;
    for (let k = 0; k < q; k++) s += B[a * q + k] * v[h[k]];
    gamma[a] = s;
  }
  const r = v.slice();
  for (let a = 0; a < q; a++) {
    const g = gamma[a];
    if (g === 0) continue;
    const o = a * n;
    for (let i = 0; i < n; i++) r[i] -= Z[o + i] * g;
  }
  const inBasis = new Uint8Array(n);
  for (let k = 0; k < q; k++) { r[h[k]] = 0; inBasis[h[k]] = 1; }
  return { h, B, gamma, r, inBasis };
}

/**
 * A nonsingular basis: rows taken greedily in `order` (e.g. by increasing |residual| of a nearby
 * fit), each accepted when it is independent of those accepted (Gram–Schmidt, reorthogonalised).
 * Null when fewer than q independent rows exist (Z rank deficient).
 */
export function greedyBasis(P: QrProblem, order: ArrayLike<number>): Int32Array | null {
  const { n, q, Z } = P;
  const h = new Int32Array(q);
  const Q = new Float64Array(q * q); // accepted orthonormal directions, row-major
  let m = 0;
  const z = new Float64Array(q);
  for (let t = 0; t < order.length && m < q; t++) {
    const i = order[t];
    let norm0 = 0;
    for (let a = 0; a < q; a++) { z[a] = Z[a * n + i]; norm0 = Math.hypot(norm0, z[a]); }
    if (!(norm0 > 0)) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (let l = 0; l < m; l++) {
        let s = 0;
        for (let a = 0; a < q; a++) s += Q[l * q + a] * z[a];
        for (let a = 0; a < q; a++) z[a] -= s * Q[l * q + a];
      }
    }
    let norm = 0;
    for (let a = 0; a < q; a++) norm = Math.hypot(norm, z[a]);
    if (!(norm > 1e-9 * norm0)) continue;
    for (let a = 0; a < q; a++) Q[m * q + a] = z[a] / norm;
    h[m++] = i;
  }
  return m === q ? h : null;
}

/** Per-row magnitude |v_i| + Σ|z_ia γ_a|: residuals below 8ε of it are zero. */
export function zeroTolerances(P: QrProblem, gamma: Float64Array): Float64Array {
  const { n, q, Z, v } = P;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.abs(v[i]);
  for (let a = 0; a < q; a++) {
    const g = Math.abs(gamma[a]);
    const o = a * n;
    for (let i = 0; i < n; i++) s[i] += Math.abs(Z[o + i]) * g;
  }
  for (let i = 0; i < n; i++) s[i] *= 8 * Number.EPSILON;
  return s;
}

export interface OptimizeStats {
  /** Basis changes made. */
  pivots: number;
}

/**
 * Descend from `start` (any vertex) to an optimal vertex. Throws NUMERICAL when the descent does
 * not end within its budget (cycling on a degenerate problem) and RANK_DEFICIENT when an edge
 * is unbounded (Z without full column rank).
 */
export function optimize(P: QrProblem, start: Vertex, stats?: OptimizeStats, what = 'quantile vertex'): Vertex {
  const { n, q, Z, w, tau } = P;
  let V = start;
  const maxPivots = 50 * (n + q) + 100;
  const c = new Float64Array(q);
  const lam = new Float64Array(q);
  const u = new Float64Array(n);
  const kinkT = new Float64Array(n);
  const kinkI = new Int32Array(n);
  for (let pivots = 0; ; pivots++) {
    if (pivots > maxPivots) {
      throw new RobustRegError('NUMERICAL', `${what}: the simplex descent did not end after ${maxPivots} pivots (a degenerate problem cycling)`, { pivots });
    }
    const { B, r, inBasis, h } = V;
    const zt = zeroTolerances(P, V.gamma);
    c.fill(0);
    const zeros: number[] = [];
    let wscale = 0;
    for (let i = 0; i < n; i++) {
      if (inBasis[i]) continue;
      wscale = Math.max(wscale, w[i]);
      const ri = r[i];
      if (Math.abs(ri) <= zt[i]) { zeros.push(i); continue; }
      const psi = w[i] * (ri < 0 ? tau - 1 : tau);
      for (let a = 0; a < q; a++) c[a] += psi * Z[a * n + i];
    }
    for (let k = 0; k < q; k++) {
      let s = 0;
      for (let a = 0; a < q; a++) s += B[a * q + k] * c[a];
      lam[k] = s;
    }
    // Steepest edge by directional derivative.
    let best = 0;
    let bk = -1;
    let bs = 0;
    for (let k = 0; k < q; k++) {
      const wk = w[h[k]];
      let zUp = 0;
      let zDown = 0;
      for (const i of zeros) {
        let uik = 0;
        for (let a = 0; a < q; a++) uik += Z[a * n + i] * B[a * q + k];
        zUp += w[i] * (uik >= 0 ? tau * uik : (tau - 1) * uik);
        zDown += w[i] * (-uik >= 0 ? -tau * uik : (1 - tau) * uik);
      }
      const up = lam[k] + wk * tau + zUp;
      const down = -lam[k] + wk * (1 - tau) + zDown;
      const tol = 1e-11 * (Math.abs(lam[k]) + wk + wscale);
      if (up < best - tol) { best = up; bk = k; bs = 1; }
      if (down < best - tol) { best = down; bk = k; bs = -1; }
    }
    if (bk < 0) {
      if (stats) stats.pivots += pivots;
      return V;
    }
    // Line search along the edge: r_i(t) = r_i + t σ u_i, u_i = z_i' B e_k.
    u.fill(0);
    for (let a = 0; a < q; a++) {
      const bak = B[a * q + bk];
      if (bak === 0) continue;
      const o = a * n;
      for (let i = 0; i < n; i++) u[i] += Z[o + i] * bak;
    }
    let nk = 0;
    for (let i = 0; i < n; i++) {
      if (inBasis[i]) continue;
      const su = bs * u[i];
      if (su === 0) continue;
      const ri = r[i];
      if (Math.abs(ri) <= zt[i]) continue; // kink at t = 0, counted in the slope
      const t = -ri / su;
      if (t > 0) { kinkT[nk] = t; kinkI[nk] = i; nk++; }
    }
    const idx = Array.from({ length: nk }, (_, j) => j);
    idx.sort((x, y) => kinkT[x] - kinkT[y] || kinkI[x] - kinkI[y]);
    let slope = best;
    let enter = -1;
    for (const j of idx) {
      const i = kinkI[j];
      slope += w[i] * Math.abs(u[i]);
      if (slope >= 0) { enter = i; break; }
    }
    if (enter < 0) {
      throw new RobustRegError('RANK_DEFICIENT', `${what}: the objective is unbounded along an edge (the design does not have full column rank)`, {});
    }
    const h2 = Int32Array.from(h);
    h2[bk] = enter;
    const B2 = basisInverse(P, h2);
    if (!B2) throw new RobustRegError('NUMERICAL', `${what}: a pivot produced a singular basis`, { row: enter });
    V = makeVertex(P, h2, B2);
  }
}

/**
 * The dual scores ψ̃ (length n) at an optimal vertex: wᵢψ_τ(rᵢ) off the basis, −λ on it, so that
 * Σ ψ̃ᵢ zᵢ = 0 and ψ̃ᵢ ∈ wᵢ[τ − 1, τ]. Quantreg's regression rank scores are âᵢ = ψ̃ᵢ/wᵢ + 1 − τ.
 * `degenerate` counts nonbasic zero residuals (given ψ̃ = 0; their split is not unique there).
 */
export function dualScores(P: QrProblem, V: Vertex): { psi: Float64Array; degenerate: number; maxViolation: number } {
  const { n, q, Z, w, tau } = P;
  const zt = zeroTolerances(P, V.gamma);
  const psi = new Float64Array(n);
  const c = new Float64Array(q);
  let degenerate = 0;
  for (let i = 0; i < n; i++) {
    if (V.inBasis[i]) continue;
    const ri = V.r[i];
    if (Math.abs(ri) <= zt[i]) { degenerate++; continue; }
    const s = w[i] * (ri < 0 ? tau - 1 : tau);
    psi[i] = s;
    for (let a = 0; a < q; a++) c[a] += s * Z[a * n + i];
  }
  let maxViolation = 0;
  for (let k = 0; k < q; k++) {
    let s = 0;
    for (let a = 0; a < q; a++) s += V.B[a * q + k] * c[a];
    const i = V.h[k];
    psi[i] = -s;
    const lo = w[i] * (tau - 1);
    const hi = w[i] * tau;
    maxViolation = Math.max(maxViolation, (lo - psi[i]) / w[i], (psi[i] - hi) / w[i]);
  }
  return { psi, degenerate, maxViolation };
}

/** F at a vertex: Σ wᵢ ρ_τ(rᵢ). */
export function objectiveOf(P: QrProblem, V: Vertex): number {
  let s = 0;
  for (let i = 0; i < P.n; i++) {
    const r = V.r[i];
    s += P.w[i] * r * (r < 0 ? P.tau - 1 : P.tau);
  }
  return s;
}

/**
 * Merge identical rows (all of Z's columns and v, and any `extra` columns) into one row whose
 * weight is the sum of theirs. Returns the kept row indices and their weights.
 */
export function dedupeRows(n: number, cols: Float64Array[], w: ArrayLike<number> | null): { rows: Int32Array; w: Float64Array } {
  const seen = new Map<string, number>();
  const rows: number[] = [];
  const ww: number[] = [];
  for (let i = 0; i < n; i++) {
    let key = '';
    for (const col of cols) key += col[i] + ',';
    const j = seen.get(key);
    const wi = w ? w[i] : 1;
    if (j === undefined) {
      seen.set(key, rows.length);
      rows.push(i);
      ww.push(wi);
    } else {
      ww[j] += wi;
    }
  }
  return { rows: Int32Array.from(rows), w: Float64Array.from(ww) };
}
