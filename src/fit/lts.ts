// Least trimmed squares (FAST-LTS) front-end: validate, marshal, ONE kernel call for the search and the
// raw fit (lts_fit, assembly/lts.ts), then the consistency-corrected raw scale, the 0/1 reweighting
// rule and ONE kernel call for the reweighted least-squares fit (l2_fit), as robustbase's
// ltsReg(mcd = FALSE) computes them (Rousseeuw & Leroy 1987; Pison, Van Aelst & Willems 2002 for the
// small-sample factors). Formulas and constants: docs/api.md (lts) and the comments below. The residuals
// of both fits (the passes over n x p that the rule needs) are the kernel's (lts_resid: split across
// threads like the search's row passes); what remains here is O(n) per fit.
import { RobustRegError } from '../errors.js';
import { withProgress } from '../abi/progress.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_OBJECTIVE } from '../abi/info.js';
import type { XInput } from '../data/input.js';
import { COMMON_OPTIONS, checkOptionsObject, fail, type Progress } from '../data/options.js';
import { type FitResult } from './result.js';
import { Dataset } from '../data/dataset.js';
import { withSlot } from '../backend/runtime.js';
import { LTS_DEFAULT_MAXITER, LTS_DEFAULT_SEED, LTS_DEFAULT_SUBSAMPLES, opt } from './option-table.js';
import { finish, marshal, readCommon, shapeOfInput, splitArgs } from './solvers.js';
import { kernelOutcome, rankDeficient } from './status.js';
import { dnorm as normalPdf, qnorm as normalQuantile } from './normal.js';

export { LTS_DEFAULT_MAXITER, LTS_DEFAULT_SEED, LTS_DEFAULT_SUBSAMPLES };
/** Weight cutoff of the reweighting rule: rows with |r / s| <= qnorm(0.9875) keep weight 1. */
export const LTS_CUTOFF = 2.241402727604947;
/** Exact fit: raw scale <= LTS_EXACT_TOL × a robust scale of y (MAD, or the standard deviation). */
export const LTS_EXACT_TOL = 1e-7;

export interface LtsOptions {
  intercept?: boolean;
  /** Not supported by LTS (passing weights throws INVALID_INPUT). */
  weights?: ArrayLike<number>;
  backend?: 'auto' | 'wasm' | 'js';
  /** Coverage h/n in [0.5, 1): h = ⌊2n₁ − n + 2(n − n₁)·alpha⌋ with n₁ = ⌊(n + q + 1)/2⌋, q = p + intercept. Default 0.5. */
  alpha?: number;
  /** Elemental starts (random q-subsets), default 500 as robustbase. */
  subsamples?: number;
  /** Seed of the random starts, an integer in [0, 2³²). Default 20061. */
  seed?: number;
  /** Cap on the C-steps of each final-stage chain (default 500). Reaching it: converged = false. */
  maxIter?: number;
  /** Accepted for a uniform API; unused (C-steps stop when the objective stops decreasing). */
  tol?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Threads for this fit's block passes: at most init({ threads })'s (default: all of them). Results do not depend on it. */
  threads?: number;
}

export const LTS_OPTIONS = [...COMMON_OPTIONS, 'alpha', 'subsamples', 'seed'] as const;

export interface LtsRawFit {
  /** Least squares on the h rows of smallest squared residual found by the search. */
  coef: Float64Array;
  intercept: number;
  /** Raw scale: sqrt(objective / h), made consistent at the normal and corrected for small samples (0 for an exact fit). */
  scale: number;
  /** Sum of the h smallest squared residuals of the raw fit (= the result's objective). */
  objective: number;
}

export interface LtsResult extends FitResult {
  /** The reweighted scale (0 for an exact fit). */
  scale: number;
  /** Robustness weight of every row (0 or 1): |r_i / scale| <= 2.2414 (qnorm(0.9875)) on the reweighted fit. */
  weights: Float64Array;
  /** 1 for the rows flagged as outliers (weight 0). */
  outliers: Uint8Array;
  /** The raw LTS fit (before reweighting). */
  raw: LtsRawFit;
  /** Coverage: the number of squared residuals the objective sums. */
  h: number;
  /** True when more than h rows lie on one hyperplane: that hyperplane is returned with scale 0. */
  exactFit: boolean;
}

/**
 * Least trimmed squares: minimise the sum of the h smallest squared residuals (FAST-LTS), then the
 * reweighted least-squares fit on the rows within 2.2414 raw scales — robustbase's ltsReg().
 * Breakdown point (n − h + 1)/n (≈ 50% at the default alpha 0.5).
 */
export function lts(X: XInput, y: ArrayLike<number>, options?: LtsOptions): LtsResult;
export function lts(X: Dataset, options?: LtsOptions): LtsResult;
export function lts(X: XInput | Dataset, yOrOptions?: ArrayLike<number> | LtsOptions, maybeOptions?: LtsOptions): LtsResult {
  const [y, options] = splitArgs<LtsOptions>(X, yOrOptions, maybeOptions);
  return solveLts('lts', X, y, checkOptionsObject(options, LTS_OPTIONS, 'lts'));
}

/** h = ⌊2n₁ − n + 2(n − n₁)·alpha⌋, n₁ = ⌊(n + q + 1)/2⌋ (robustbase's h.alpha.n). */
export function ltsCoverage(alpha: number, n: number, q: number): number {
  const n1 = Math.floor((n + q + 1) / 2);
  return Math.floor(2 * n1 - n + 2 * (n - n1) * alpha);
}

export function solveLts(fn: string, X: unknown, y: unknown, o: Record<string, unknown>): LtsResult {
  if (o.weights !== undefined) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option weights is not supported by LTS (the trimmed objective has no weighted form here); drop the weights or replicate rows`, { argument: 'weights' });
  }
  if (X instanceof Dataset && X.pW !== 0) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: this Dataset carries weights, which LTS does not support; build the Dataset without weights`, { argument: 'weights' });
  }
  const c = readCommon(o, fn, X);
  const alpha = opt(o, 'alpha');
  const nsamp = opt(o, 'ltsSubsamples');
  const seed = opt(o, 'ltsSeed');
  const maxIter = opt(o, 'ltsMaxIter');
  opt(o, 'ltsTol');
  return withSlot(c.slot, () => {
    const { backend } = c.slot;
    const k = backend.kernels;
    const { n, p } = shapeOfInput(X);
    const intercept = c.intercept ? 1 : 0;
    const q = p + intercept;
    if (q === 0) fail('intercept', 'true when X has no columns (there is nothing to fit)', false);
    const { m, ptrs } = marshal(fn, c.slot, X, y, undefined, 0,
      [8 * (p + 1), 8 * INFO_LEN, 4 * Math.max(p, 1), 8 * n, 8 * n, k.lts_work_bytes(n, p)]);
    const [pCoef, pInfo, pFlags, pW, pR, pWork] = ptrs;
    if (n <= 2 * q) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: LTS needs more than twice as many observations as coefficients: n = ${n}, but ${q} coefficient${q === 1 ? '' : 's'} need n > ${2 * q}`, { argument: 'X', rows: n, parameters: q });
    }
    let f64 = backend.f64();
    // a view (the kernels never write y, nor grow the memory during the fit)
    const yv = f64.subarray(m.pY >>> 3, (m.pY >>> 3) + n);
    const [ymin, ymax] = range(yv);
    if (ymin === ymax) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: y is constant (every value is ${yv[0]}); every row is fitted exactly and LTS has no scale to estimate`, { argument: 'y', value: yv[0] });
    }
    const h = ltsCoverage(alpha, n, q);
    const status = withProgress(c.hook, () =>
      k.lts_fit(n, p, m.pX, m.pY, intercept, h, nsamp, seed, maxIter, pCoef, pInfo, pFlags, pWork, m.xf32));
    const outcome = kernelOutcome('lts', fn, status, () =>
      rankDeficient(fn, backend.i32().slice(pFlags >>> 2, (pFlags >>> 2) + p), p, c.intercept, n, false));
    // the raw fit's residuals: a kernel pass (split across threads as the search's row passes)
    k.lts_resid(n, p, m.pX, m.pY, pCoef, pR, pWork, m.xf32);
    f64 = backend.f64();
    const info = f64.slice(pInfo >>> 3, (pInfo >>> 3) + INFO_LEN);
    const rawAll = f64.slice(pCoef >>> 3, (pCoef >>> 3) + p + 1);
    const objective = info[INFO_OBJECTIVE];
    const rRaw = f64.subarray(pR >>> 3, (pR >>> 3) + n);

    // Raw scale: sqrt(mean of the h smallest r²), consistency factor at the normal, small-sample factor.
    const qq = normalQuantile((h + n) / (2 * n));
    const sh0 = Math.sqrt(objective / h);
    const s0 = sh0 / Math.sqrt(1 - (2 * n) / (h / qq) * normalPdf(qq)) * ltsCnp2(p, c.intercept, n, alpha, false);
    // (the MAD is at most the range of y: the O(n log n) scale is only needed when s0 is tiny)
    const exactFit = !(s0 > LTS_EXACT_TOL * (ymax - ymin)) && !(s0 > LTS_EXACT_TOL * yScale(yv));
    const weights = new Float64Array(n);
    const outliers = new Uint8Array(n);
    let coefAll = rawAll;
    let scale = 0;
    if (exactFit) {
      cutoff(rRaw, 1, LTS_EXACT_TOL * yScale(yv), weights, outliers);
    } else {
      const sumW = cutoff(rRaw, s0, LTS_CUTOFF, f64.subarray(pW >>> 3, (pW >>> 3) + n), null);
      // Reweighted least squares (lm.wfit with 0/1 weights): the second kernel call.
      const st2 = k.l2_fit(n, p, m.pX, m.pY, pW, intercept, 0, pCoef, pInfo, pFlags, pWork, m.xf32);
      kernelOutcome('l2', fn, st2, () =>
        rankDeficient(fn, backend.i32().slice(pFlags >>> 2, (pFlags >>> 2) + p), p, c.intercept, sumW, false));
      k.lts_resid(n, p, m.pX, m.pY, pCoef, pR, pWork, m.xf32);
      f64 = backend.f64();
      const wv = f64.subarray(pW >>> 3, (pW >>> 3) + n);
      coefAll = f64.slice(pCoef >>> 3, (pCoef >>> 3) + p + 1);
      const r = f64.subarray(pR >>> 3, (pR >>> 3) + n);
      scale = Math.sqrt(weightedSumSq(wv, r) / (sumW - 1));
      if (sumW !== n) {
        const qw = normalQuantile((sumW + n) / (2 * n));
        const cdelta = 1 / Math.sqrt(1 - (2 * n) / (sumW / qw) * normalPdf(qw));
        scale = scale * cdelta * ltsCnp2(p, c.intercept, n, alpha, true);
      }
      cutoff(r, scale, LTS_CUTOFF, weights, outliers);
    }
    const converged = outcome === 'converged';
    const res = finish<FitResult>({
      loss: 'lts',
      coef: coefAll.slice(1),
      intercept: c.intercept ? coefAll[0] : 0,
      objective,
      iterations: info[INFO_ITERATIONS],
      converged,
      status: exactFit ? 'exact-fit' : converged ? 'converged' : 'max-iterations',
      backend: backend.name,
      n, p,
    }) as LtsResult;
    res.scale = scale;
    res.weights = weights;
    res.outliers = outliers;
    const rawCoef = rawAll.slice(1);
    for (let j = 0; j < p; j++) if (rawCoef[j] === 0) rawCoef[j] = 0;
    res.raw = { coef: rawCoef, intercept: c.intercept ? rawAll[0] + 0 : 0, scale: exactFit ? 0 : s0, objective };
    res.h = h;
    res.exactFit = exactFit;
    return res;
  });
}

// The O(n) passes of the reweighting rule, as small functions (V8 optimizes each on its own instead of
// OSR-compiling loops inside the fit's closure), y read in place (no copy). Host JavaScript CPU per
// lts() outside kernel calls at 1e6 x 10 (Dataset, 1 thread, medians / fastest of 9 interleaved with
// the inline loops and the copy): 53 / 22 ms -> 20-27 / 15-16 ms.

/** [min, max] of y (finite: checked when read). */
function range(y: Float64Array): [number, number] {
  let lo = y[0], hi = y[0];
  for (let i = 1; i < y.length; i++) {
    const v = y[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** w_i = 1 when |r_i / s| <= c, else 0 (and outliers_i = 1 - w_i); returns the number of 1s. */
function cutoff(r: Float64Array, s: number, c: number, w: Float64Array, outliers: Uint8Array | null): number {
  let kept = 0;
  for (let i = 0; i < r.length; i++) {
    const keep = Math.abs(r[i] / s) <= c;
    w[i] = keep ? 1 : 0;
    if (keep) kept++;
    else if (outliers) outliers[i] = 1;
  }
  return kept;
}

/** Sum of w_i r_i^2 in row order. */
function weightedSumSq(w: Float64Array, r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += w[i] * r[i] * r[i];
  return s;
}

/** A scale of y for the exact-fit test: the MAD about the median, or the standard deviation when the MAD is 0. */
function yScale(y: Float64Array): number {
  const s = Float64Array.from(y).sort();
  const n = s.length;
  const med = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const d = Float64Array.from(y, (v) => Math.abs(v - med)).sort();
  const mad = n % 2 ? d[(n - 1) / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
  if (mad > 0) return mad;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i] - mean) * (y[i] - mean);
  return Math.sqrt(ss / n);
}

/**
 * Small-sample correction factors of the LTS scale (Pison, Van Aelst & Willems 2002, Metrika 55), as
 * robustbase's LTScnp2 (raw, rew = false) and LTScnp2.rew (reweighted): 1 / f(p, n, alpha) with f
 * interpolated linearly in alpha between fitted curves at alpha = 0.5 and 0.875 (and 1 at alpha = 1).
 * p counts the slopes (the intercept excluded).
 */
export function ltsCnp2(p: number, intercept: boolean, n: number, alpha: number, rew: boolean): number {
  let f500: number, f875: number;
  if (p === 0) {
    if (rew) {
      f500 = 1 - Math.exp(1.11098143415027) / n ** 1.5182890270453;
      f875 = 1 - Math.exp(-0.66046776772861) / n ** 0.88939595831888;
    } else {
      f500 = 1 - Math.exp(0.262024211897096) / n ** 0.604756680630497;
      f875 = 1 - Math.exp(-0.351584646688712) / n ** 1.01646567502486;
    }
    const f = alpha <= 0.875 ? f500 + (f875 - f500) / 0.375 * (alpha - 0.5) : f875 + (1 - f875) / 0.125 * (alpha - 0.875);
    return 1 / Math.sqrt(f);
  }
  if (p === 1) {
    if (rew) {
      if (intercept) {
        f500 = 1 - Math.exp(1.58609654199605) / n ** 1.46340162526468;
        f875 = 1 - Math.exp(0.391653958727332) / n ** 1.03167487483316;
      } else {
        f500 = 1 - Math.exp(0.6329852387657) / n ** 1.40361879788014;
        f875 = 1 - Math.exp(-0.642240988645469) / n ** 0.926325452943084;
      }
    } else if (intercept) {
      f500 = 1 - Math.exp(0.630869217886906) / n ** 0.650789250442946;
      f875 = 1 - Math.exp(0.565065391014791) / n ** 1.03044199012509;
    } else {
      f500 = 1 - Math.exp(-0.0181777452315321) / n ** 0.697629772271099;
      f875 = 1 - Math.exp(-0.310122738776431) / n ** 1.06241615923172;
    }
  } else {
    // [alpha_q, beta_q, q] at q = 3 and q = 5 for the curves at 0.875 and 0.5
    const c875 = rew
      ? intercept ? [-0.474174840843602, 1.39681715704956, 3, -0.276640353112907, 1.42543242287677, 5]
        : [-0.267522855927958, 1.17559984533974, 3, -0.161200683014406, 1.21675019853961, 5]
      : intercept ? [-0.458580153984614, 1.12236071104403, 3, -0.267178168108996, 1.1022478781154, 5]
        : [-0.251778730491252, 0.883966931611758, 3, -0.146660023184295, 0.86292940340761, 5];
    const c500 = rew
      ? intercept ? [-0.773365715932083, 2.02013996406346, 3, -0.337571678986723, 2.02037467454833, 5]
        : [-0.417574780492848, 1.83958876341367, 3, -0.175753709374146, 1.8313809497999, 5]
      : intercept ? [-0.746945886714663, 0.56264937192689, 3, -0.535478048924724, 0.543323462033445, 5]
        : [-0.487338281979106, 0.405511279418594, 3, -0.340762058011, 0.37972360544988, 5];
    f500 = curve(c500, p, n);
    f875 = curve(c875, p, n);
  }
  return 1 / (alpha <= 0.875 ? f500 + (f875 - f500) / 0.375 * (alpha - 0.5) : f875 + (1 - f875) / 0.125 * (alpha - 0.875));
}

/** 1 − exp(a) / n^b where (a, b) solve [1, −log(q_k p²)] (a, b)ᵀ = log(−alpha_k / p^beta_k), k = 1, 2. */
function curve(c: number[], p: number, n: number): number {
  const y1 = Math.log(-c[0] / p ** c[1]), y2 = Math.log(-c[3] / p ** c[4]);
  const a1 = -Math.log(c[2] * p * p), a2 = -Math.log(c[5] * p * p);
  const b = (y1 - y2) / (a1 - a2);
  const a = y1 - a1 * b;
  return 1 - Math.exp(a) / n ** b;
}
