// Front-end of the S/MM kernel (assembly/mm.ts): the MM-estimator as robustbase's lmrob() computes it
// by default. Same pattern as src/robust.ts: validate, marshal into the chosen backend's memory, ONE
// kernel call per fit, a plain result. Definitions, constants and the algorithm: docs/robust.md.
import { RobustRegError } from '../errors.js';
import { withProgress } from '../abi/progress.js';
import { INFO_LEN } from '../abi/info.js';
import type { XInput } from '../data/input.js';
import { COMMON_OPTIONS, checkOptionsObject, fail, type Progress } from '../data/options.js';
import type { FitResult } from './result.js';
import type { Dataset } from '../data/dataset.js';
import { withSlot } from '../backend/runtime.js';
import { MM_DEFAULT_SEED, OPTION_TABLE, opt } from './option-table.js';
import { finish, marshal, readCommon, shapeOfInput, splitArgs } from './solvers.js';
import { kernelOutcome, rankDeficient, type FitStatus } from './status.js';

export { MM_DEFAULT_SEED };

// ------------------------------------------------------------------------------------------ constants

/** robustbase's bisquare tuning constant of the S-estimator for 50% breakdown (.Mchi.tuning.defaults). */
export const MM_TUNING_CHI = 1.54764;
/** robustbase's bisquare tuning constant of the M step for 95% Gaussian efficiency (.Mpsi.tuning.defaults). */
export const MM_TUNING_PSI = 4.685061;

/** lmrob.control() defaults of robustbase 0.95 (names as there). */
export const LMROB_CONTROL = {
  nResample: OPTION_TABLE.mmSubsamples.default,
  bestRS: 2,
  kFastS: 1,
  kMax: 200,
  maxitScale: 200,
  refineTol: 1e-7,
  relTol: OPTION_TABLE.mmTol.default,
  scaleTol: 1e-10,
  zeroTol: 1e-10,
  solveTol: 1e-7,
  maxIt: OPTION_TABLE.mmMaxIter.default,
  groups: 5,
  nGroup: 400,
  fastSLargeN: 2000,
} as const;

// params region layout (assembly/mm.ts P_*)
const P_LEN = 20;
// info region layout (assembly/mm.ts MMI_*)
// (2 S_ITER: refinement steps, 7 SINGULAR: singular subsets redrawn, 8 CANDIDATES, 9 FAILED solves:
// diagnostics not exposed in the result)
const MMI_S_SCALE = 0;
const MMI_S_CONVERGED = 1;
const MMI_M_ITER = 3;
const MMI_M_CONVERGED = 4;
const MMI_OBJECTIVE = 5;
const MMI_EXACT = 6;
const MMI_LEN = 12;

// ------------------------------------------------------------------------------------------ rho / psi

/** Tukey bisquare rho normalised to sup rho = 1: 1 − (1 − (x/c)²)³ for |x| ≤ c, else 1. */
export function rhoBisquare(x: number, c: number): number {
  if (Math.abs(x) > c) return 1.0;
  let t = x / c;
  t = t * t;
  return t * (3.0 + t * (-3.0 + t));
}

/** Bisquare psi (robustbase's Mpsi, not normalised): x (1 − (x/c)²)² for |x| ≤ c, else 0. */
export function psiBisquare(x: number, c: number): number {
  if (Math.abs(x) > c) return 0.0;
  const a = x / c;
  const u = 1.0 - a * a;
  return x * u * u;
}

/** Derivative of psiBisquare: (1 − u)(1 − 5u), u = (x/c)², for |x| ≤ c, else 0. */
export function psiPrimeBisquare(x: number, c: number): number {
  if (Math.abs(x) > c) return 0.0;
  const u = (x / c) * (x / c);
  return (1.0 - u) * (1.0 - 5.0 * u);
}

/** Robustness weight psi(x)/x = (1 − (x/c)²)² for |x| ≤ c, else 0. */
export function weightBisquare(x: number, c: number): number {
  if (Math.abs(x) > c) return 0.0;
  let a = x / c;
  a = (1.0 - a) * (1.0 + a);
  return a * a;
}

/** E[Z^{2k} 1{|Z| <= c}], k = 0..K, Z ~ N(0, 1) (recursion M_{2k} = (2k−1) M_{2k−2} − 2 c^{2k−1} φ(c);
 *  M_0 = 2Φ(c) − 1 = 2 φ(c) Σ c^{2i+1}/(2i+1)!!, a series of positive terms). */
function truncatedMoments(c: number, K: number): number[] {
  const phi = Math.exp(-c * c / 2) / Math.sqrt(2 * Math.PI);
  let m0 = 1; // 1 − 2Φ(−c) rounds to 1 for c > 8.3
  if (c <= 8.3) {
    let term = c, sum = c;
    for (let i = 1; i < 2000 && term > sum * 1e-18; i++) {
      term *= c * c / (2 * i + 1);
      sum += term;
    }
    m0 = Math.min(1, 2 * phi * sum);
  }
  const m = [m0];
  let cp = c; // c^{2k-1}
  for (let k = 1; k <= K; k++) {
    m.push((2 * k - 1) * m[k - 1] - 2 * cp * phi);
    cp *= c * c;
  }
  return m;
}

/** E ρ_c(Z) for the normalised bisquare (the breakdown point of the S-estimator with constant c). */
export function bisquareBreakdown(c: number): number {
  const m = truncatedMoments(c, 3);
  const c2 = c * c;
  return (1 - m[0]) + 3 * m[1] / c2 - 3 * m[2] / (c2 * c2) + m[3] / (c2 * c2 * c2);
}

/** Asymptotic Gaussian efficiency (E ψ')² / E ψ² of the bisquare M-estimator with constant c. */
export function bisquareEfficiency(c: number): number {
  const m = truncatedMoments(c, 5);
  const c2 = c * c, c4 = c2 * c2, c6 = c4 * c2, c8 = c4 * c4;
  const ed = m[0] - 6 * m[1] / c2 + 5 * m[2] / c4;
  const e2 = m[1] - 4 * m[2] / c2 + 6 * m[3] / c4 - 4 * m[4] / c6 + m[5] / c8;
  return ed * ed / e2;
}

function bisect(f: (c: number) => number, target: number, lo: number, hi: number, increasing: boolean): number {
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    const v = f(mid);
    if ((v < target) === increasing) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Tuning constant of the S stage for a breakdown point in (0, 0.5]: robustbase's 1.54764 at 0.5,
 *  else the root of E ρ_c(Z) = breakdown. */
export function tuningChi(breakdown: number): number {
  if (breakdown === 0.5) return MM_TUNING_CHI;
  return bisect(bisquareBreakdown, breakdown, 0.05, 100, false);
}

/** Tuning constant of the M stage for an efficiency: robustbase's 4.685061 at 0.95, else the root of
 *  bisquareEfficiency(c) = efficiency. */
export function tuningPsi(efficiency: number): number {
  if (efficiency === 0.95) return MM_TUNING_PSI;
  return bisect(bisquareEfficiency, efficiency, 0.5, 200, true);
}

// ------------------------------------------------------------------------------------------ options

export interface MMStart {
  coef: ArrayLike<number>;
  intercept?: number;
  /** The S-scale to use (> 0; 0 = an exact fit). */
  scale: number;
}

export interface MMOptions {
  intercept?: boolean;
  /** Not supported (robustbase's weighted lmrob is not reproduced): passing weights is an error. */
  weights?: ArrayLike<number>;
  backend?: 'auto' | 'wasm' | 'js';
  /** Breakdown point of the S stage, in (0, 0.5] (default 0.5). */
  breakdown?: number;
  /** Gaussian efficiency of the M stage, in [0.5, 0.99] (default 0.95). */
  efficiency?: number;
  /** Random elemental subsets of the S stage (default 500, lmrob's nResample). */
  subsamples?: number;
  /** Seed of the subsampling generator, an integer in [0, 2^32) (default fixed: MM_DEFAULT_SEED). */
  seed?: number;
  /** Skip the S stage: start the M stage from these coefficients at this scale. */
  start?: MMStart;
  /** M-stage iterations at most (lmrob's max.it, default 50). */
  maxIter?: number;
  /** M-stage tolerance: ||Δb||₁ ≤ tol·max(tol, ||b||₁) (lmrob's rel.tol, default 1e-7). */
  tol?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Threads for this fit's block passes: at most init({ threads })'s (default: all of them). Results do not depend on it. */
  threads?: number;
}

export const MM_OPTIONS = [...COMMON_OPTIONS, 'breakdown', 'efficiency', 'subsamples', 'seed', 'start'] as const;

export interface MMInit {
  /** Slopes of the S-estimate (or of the start). */
  coef: Float64Array;
  intercept: number;
  /** The S-scale (M-scale of the S residuals): the scale of the MM fit. */
  scale: number;
}

export interface MMResult extends FitResult {
  /** The S-scale, fixed during the M stage (0 for an exact fit). */
  scale: number;
  /** Robustness weights ψ(r/s)/(r/s) of the M stage (exact fit: 1 on the hyperplane, else 0). */
  weights: Float64Array;
  /** 1 for the rows whose robustness weight is below 0.1/n (|r/s| > c·sqrt(1 − sqrt(0.1/n))): robustbase's summary rule. */
  outliers: Uint8Array;
  /** The S-estimate the M stage started from. */
  init: MMInit;
  /** Tuning constants used: chi (S stage), psi (M stage), bb (the S equation's right-hand side). */
  tuning: { chi: number; psi: number; bb: number };
  /** A message when the result needs attention (exact fit, S stage not converged), else undefined. */
  warning?: string;
}

/** Residuals of the S-estimate and of the MM-estimate (for summary()), kept off the enumerable fields. */
export interface MMInternals {
  res0: Float64Array;
  res: Float64Array;
}

const internals = new WeakMap<object, MMInternals>();

/** The residual vectors of an mm() result (undefined for objects not returned by mm()). */
export function mmInternals(r: object): MMInternals | undefined {
  return internals.get(r);
}

// ------------------------------------------------------------------------------------------ solver

/** MM regression (options without `loss`); `fn` names the caller in error messages. */
export function solveMM(fn: string, X: unknown, y: unknown, o: Record<string, unknown>): MMResult {
  const c = readCommon(o, fn, X);
  if (c.weights !== undefined) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: weights are not supported by the MM-estimator (robustbase's weighted lmrob is not reproduced); omit them`, { argument: 'weights' });
  }
  const breakdown = opt(o, 'breakdown');
  const efficiency = opt(o, 'efficiency');
  const nRes = opt(o, 'mmSubsamples');
  const seed = opt(o, 'mmSeed');
  const maxIt = opt(o, 'mmMaxIter');
  const tol = opt(o, 'mmTol');
  const cChi = tuningChi(breakdown);
  const cPsi = tuningPsi(efficiency);
  const start = o.start;
  return withSlot(c.slot, () => {
    const { backend } = c.slot;
    const k = backend.kernels;
    const { n, p } = shapeOfInput(X);
    const intercept = c.intercept ? 1 : 0;
    const q = p + intercept;
    if (q === 0) fail('intercept', 'true when X has no columns (there is nothing to fit)', false);
    if (n > 0 && n * breakdown <= q) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: n = ${n} rows are too few for ${q} coefficients at breakdown ${breakdown}: need n > ${q}/${breakdown} = ${q / breakdown}`, { argument: 'X', rows: n, parameters: q, breakdown });
    }
    const { bestRS: bestR, groups, nGroup } = LMROB_CONTROL;
    const { m, ptrs } = marshal(fn, c.slot, X, y, undefined, 0,
      [8 * P_LEN, 8 * (p + 2), 8 * (p + 1), 8 * (p + 1), 8 * n, 8 * n, 8 * MMI_LEN,
        8 * (p + 1), 8 * INFO_LEN, 4 * Math.max(p, 1), Math.max(k.mm_work_bytes(n, p, bestR, groups, nGroup), k.l2_work_bytes(n, p))]);
    if (m.pW !== 0) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: weights are not supported by the MM-estimator (this Dataset carries weights); build the Dataset without them`, { argument: 'weights' });
    }
    const [pPar, pStart, pCoefS, pCoef, pRes0, pRes, pInfo, pL2Coef, pL2Info, pFlags, pWork] = ptrs;
    // Rank check first: one unweighted least-squares solve names aliased columns.
    const st0 = k.l2_fit(n, p, m.pX, m.pY, 0, intercept, 0, pL2Coef, pL2Info, pFlags, pWork, m.xf32);
    kernelOutcome('rank-check', fn, st0, () =>
      rankDeficient(fn, backend.i32().slice(pFlags >>> 2, (pFlags >>> 2) + p), p, c.intercept, m.nPos, false));
    let f64 = backend.f64();
    const par = [nRes, bestR, LMROB_CONTROL.kFastS, LMROB_CONTROL.kMax, LMROB_CONTROL.maxitScale, LMROB_CONTROL.refineTol,
      tol, LMROB_CONTROL.scaleTol, LMROB_CONTROL.zeroTol, cChi, breakdown, cPsi, maxIt, seed, groups, nGroup,
      LMROB_CONTROL.fastSLargeN, LMROB_CONTROL.solveTol, start !== undefined ? 1 : 0, 0];
    f64.set(par, pPar >>> 3);
    if (start !== undefined) writeMMStart(fn, start, p, c.intercept, f64, pStart);
    const status = withProgress(c.hook, () =>
      k.mm_fit(n, p, m.pX, m.pY, intercept, pPar, pStart, pCoefS, pCoef, pRes0, pRes, pInfo, pWork, m.xf32));
    const outcome = kernelOutcome('mm', fn, status, () =>
      new RobustRegError('RANK_DEFICIENT', `${fn}: no nonsingular elemental subset of ${q} rows was found in ${nRes} draws (or the robustness weights leave a rank-deficient design): the design is too close to singular for subsampling; remove near-collinear columns`, { parameters: q }));
    f64 = backend.f64();
    const coefS = f64.slice(pCoefS >>> 3, (pCoefS >>> 3) + p + 1);
    const coefAll = f64.slice(pCoef >>> 3, (pCoef >>> 3) + p + 1);
    const res0 = f64.slice(pRes0 >>> 3, (pRes0 >>> 3) + n);
    const res = f64.slice(pRes >>> 3, (pRes >>> 3) + n);
    const info = f64.slice(pInfo >>> 3, (pInfo >>> 3) + MMI_LEN);
    const scale = info[MMI_S_SCALE];
    const exact = info[MMI_EXACT] === 1;
    const weights = new Float64Array(n);
    const outliers = new Uint8Array(n);
    if (exact) {
      let mx = 0;
      for (let i = 0; i < n; i++) mx = Math.max(mx, Math.abs(res[i]));
      const eps = 16 * 2.220446049250313e-16 * mx;
      for (let i = 0; i < n; i++) {
        weights[i] = mx === 0 || Math.abs(res[i]) <= eps ? 1 : 0;
        if (weights[i] === 0) outliers[i] = 1;
      }
    } else {
      const cut = 0.1 / n;
      for (let i = 0; i < n; i++) {
        weights[i] = weightBisquare(res[i] / scale, cPsi);
        if (Math.abs(weights[i]) < cut) outliers[i] = 1;
      }
    }
    const mConv = info[MMI_M_CONVERGED] === 1;
    const iterations = info[MMI_M_ITER];
    let statusText: FitStatus;
    let warning: string | undefined;
    if (exact) {
      statusText = 'exact-fit';
      warning = `exact fit: more than half of the rows lie on one hyperplane; it is returned with scale 0 (as robustbase's lmrob does)`;
    } else if (mConv) {
      statusText = 'converged';
    } else {
      statusText = outcome === 'max-iterations' && iterations >= maxIt - 1 ? 'max-iterations' : 'stalled';
    }
    if (!exact && start === undefined && info[MMI_S_CONVERGED] !== 1) {
      warning = `the S-estimate's refinement did not converge in ${LMROB_CONTROL.kMax} steps (as robustbase warns); the M stage started from its last iterate`;
    }
    const init: MMInit = { coef: coefS.slice(1), intercept: c.intercept ? coefS[0] : 0, scale };
    for (let j = 0; j < p; j++) if (init.coef[j] === 0) init.coef[j] = 0;
    const result = finish<FitResult>({
      loss: 'mm',
      coef: coefAll.slice(1),
      intercept: c.intercept ? coefAll[0] : 0,
      objective: info[MMI_OBJECTIVE],
      iterations,
      converged: exact || mConv,
      status: statusText,
      backend: backend.name,
      n, p,
    }) as MMResult;
    result.scale = scale;
    result.weights = weights;
    result.outliers = outliers;
    result.init = init;
    result.tuning = { chi: cChi, psi: cPsi, bb: breakdown };
    if (warning !== undefined) result.warning = warning;
    internals.set(result, { res0, res });
    return result;
  });
}

function writeMMStart(fn: string, start: unknown, p: number, intercept: boolean, f64: Float64Array, ptr: number): void {
  if (typeof start !== 'object' || start === null) fail('start', 'an object { coef, intercept, scale }', start);
  const s = start as Record<string, unknown>;
  const coef = s.coef as ArrayLike<number> | undefined;
  if (coef === undefined || typeof coef !== 'object' || coef === null || typeof coef.length !== 'number') fail('start.coef', `an array of ${p} numbers`, coef);
  if (coef.length !== p) {
    throw new RobustRegError('DIMENSION_MISMATCH', `${fn}: start.coef has ${coef.length} values but X has ${p} columns`, { argument: 'start.coef', length: coef.length, expected: p });
  }
  const b = ptr >>> 3;
  for (let j = 0; j < p; j++) {
    const v = coef[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`start.coef[${j}]`, 'a finite number', v);
    f64[b + 1 + j] = v;
  }
  const b0 = s.intercept === undefined ? 0 : s.intercept;
  if (typeof b0 !== 'number' || !Number.isFinite(b0)) fail('start.intercept', 'a finite number', b0);
  if (!intercept && b0 !== 0) fail('start.intercept', '0 (or omitted) when intercept is false', b0);
  f64[b] = b0;
  const sc = s.scale;
  if (typeof sc !== 'number' || !(sc >= 0) || !Number.isFinite(sc)) fail('start.scale', 'a finite number >= 0', sc);
  f64[b + p + 1] = sc;
}

/**
 * MM regression, robustbase lmrob()'s default: an S-estimate (bisquare, 50% breakdown, fast-S), then
 * bisquare IRLS at the fixed S-scale for 95% Gaussian efficiency. docs/robust.md.
 */
export function mm(X: XInput, y: ArrayLike<number>, options?: MMOptions): MMResult;
export function mm(X: Dataset, options?: MMOptions): MMResult;
export function mm(X: XInput | Dataset, yOrOptions?: ArrayLike<number> | MMOptions, maybeOptions?: MMOptions): MMResult {
  const [y, options] = splitArgs<MMOptions>(X, yOrOptions, maybeOptions);
  return solveMM('mm', X, y, checkOptionsObject(options, MM_OPTIONS, 'mm'));
}

