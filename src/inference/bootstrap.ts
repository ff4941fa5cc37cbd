// The xy-pairs bootstrap for quantile regression (quantreg boot.rq, bsmethod = "xy"): resample whole
// rows (x_i, y_i, w_i) with replacement, refit, and use the covariance of the B replicate estimates.
// Deterministic: a seeded xoshiro128** generator, so a summary is a pure function of its inputs.
import { RobustRegError } from '../errors.js';
import type { MatrixLike } from '../data/input.js';
import type { InferenceData } from './design.js';
import { quantileType7 } from './quantile.js';

/**
 * xoshiro128** (Blackman & Vigna 2018), 32-bit state words, seeded from a 32-bit seed through
 * SplitMix32 so that nearby seeds give unrelated streams.
 */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in [0, n), n ≤ 2³², without modulo bias (rejection). */
  nextInt(n: number): number {
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const u = this.nextU32();
      if (u < limit) return u % n;
    }
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A refit on a resample (X column-major, y, weights or undefined) → its coefficients. */
export type Refit = (X: MatrixLike, y: Float64Array, weights: Float64Array | undefined) => { coef: ArrayLike<number>; intercept: number };

export interface BootstrapResult {
  /** B × k replicate estimates, row-major (intercept first when fitted). */
  replicates: Float64Array;
  B: number;
  /** Resamples redrawn because the refit was rank deficient. */
  failures: number;
}

/** Draw B xy-pairs resamples of the used rows and refit each. */
export function bootstrapPairs(d: InferenceData, B: number, seed: number, refit: Refit): BootstrapResult {
  const { n, p, k, X, y, w } = d;
  const rng = new Xoshiro128(seed);
  const reps = new Float64Array(B * k);
  const Xb = new Float64Array(n * p);
  const yb = new Float64Array(n);
  const wb = w ? new Float64Array(n) : undefined;
  const idx = new Int32Array(n);
  let failures = 0;
  for (let b = 0; b < B; ) {
    for (let i = 0; i < n; i++) idx[i] = rng.nextInt(n);
    for (let j = 0; j < p; j++) {
      const o = j * n;
      for (let i = 0; i < n; i++) Xb[o + i] = X[o + idx[i]];
    }
    for (let i = 0; i < n; i++) yb[i] = y[idx[i]];
    if (wb && w) for (let i = 0; i < n; i++) wb[i] = w[idx[i]];
    let fit: { coef: ArrayLike<number>; intercept: number };
    try {
      fit = refit({ data: Xb, rows: n, cols: p, layout: 'column-major' }, yb, wb);
    } catch (e) {
      if (e instanceof RobustRegError && e.code === 'RANK_DEFICIENT') {
        failures++;
        if (failures > Math.max(20, B)) {
          throw new RobustRegError('RANK_DEFICIENT', `summary (se = 'boot'): ${failures} resamples had a rank-deficient design (for ${b} usable ones); the design has too few distinct rows for the pairs bootstrap — use se: 'nid' or 'ker'`, { failures, B });
        }
        continue;
      }
      throw e;
    }
    const o = b * k;
    let c = 0;
    if (d.intercept) reps[o + c++] = fit.intercept;
    for (let j = 0; j < p; j++) reps[o + c++] = fit.coef[j];
    b++;
  }
  return { replicates: reps, B, failures };
}

/** Sample covariance (divisor B − 1) of the replicates, k × k column-major. */
export function replicateCovariance(r: BootstrapResult, k: number): Float64Array {
  const { replicates, B } = r;
  const mean = new Float64Array(k);
  for (let b = 0; b < B; b++) for (let j = 0; j < k; j++) mean[j] += replicates[b * k + j];
  for (let j = 0; j < k; j++) mean[j] /= B;
  const V = new Float64Array(k * k);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < k; c++) {
      const dc = replicates[b * k + c] - mean[c];
      for (let r2 = 0; r2 <= c; r2++) V[c * k + r2] += (replicates[b * k + r2] - mean[r2]) * dc;
    }
  }
  for (let c = 0; c < k; c++) {
    for (let r2 = 0; r2 <= c; r2++) {
      V[c * k + r2] /= B - 1;
      V[r2 * k + c] = V[c * k + r2];
    }
  }
  return V;
}

/** Percentile interval (type-7 quantiles) of coefficient j's replicates. */
export function percentileInterval(r: BootstrapResult, k: number, j: number, level: number): [number, number] {
  const v = new Float64Array(r.B);
  for (let b = 0; b < r.B; b++) v[b] = r.replicates[b * k + j];
  v.sort();
  const a = (1 - level) / 2;
  return [quantileType7(v, a), quantileType7(v, 1 - a)];
}
