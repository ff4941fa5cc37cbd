// Front-ends of the IRLS kernel (Huber, smooth-L1) and of warm-started L1/quantile paths (a decreasing
// lasso sequence, or a sequence of quantile levels), plus lambdaMax, the smallest lasso penalty that
// zeroes every coefficient. Same pattern as src/fit/solvers.ts: validate, marshal into the chosen
// backend's memory, make ONE kernel call per fit, build a plain result. Formulas, the scale
// convention and the defaults are argued in docs/losses.md.
import { RobustRegError, describe } from '../errors.js';
import { withProgress } from '../abi/progress.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_OBJECTIVE, INFO_SCALE } from '../abi/info.js';
import { readXywHost, type XInput } from '../data/input.js';
import { lowerWeightedQuantile } from './stats.js';
import {
  COMMON_OPTIONS, checkOptionsObject, fail, optBool, type Progress,
} from '../data/options.js';
import { opt } from './option-table.js';
import { type FitResult, type L1Result } from './result.js';
import { Dataset } from '../data/dataset.js';
import { withSlot } from '../backend/runtime.js';
import {
  checkTau, finish, marshal, readCommon, shapeOfInput, solveL1, splitArgs, toLadUnits, writeStart,
  type L1Options,
} from './solvers.js';
import { kernelOutcome, rankDeficient } from './status.js';

// ------------------------------------------------------------------------------------------ options

export { HUBER_DEFAULT_DELTA, IRLS_DEFAULT_MAXITER, IRLS_DEFAULT_TOL, SMOOTH_L1_DEFAULT_REL_EPSILON } from './option-table.js';

export interface HuberOptions {
  intercept?: boolean;
  weights?: ArrayLike<number>;
  backend?: 'auto' | 'wasm' | 'js';
  /** Huber threshold in units of the scale, > 0 (default 1.345). */
  delta?: number;
  /** Fix the residual scale s (> 0). Omitted: estimated jointly with the coefficients (Huber's proposal 2). */
  scale?: number;
  /** Ridge penalty ridge·||coef||² (intercept excluded), ≥ 0. Default 0. */
  ridge?: number;
  /** Newton / reweighting steps at most (default 500). Reaching it is not an error: converged = false. */
  maxIter?: number;
  /** Converged when the fitted values moved by at most tol·scale in the last step (default 1e-10). */
  tol?: number;
  /** Warm start: a previous result, or { coef, intercept }. Default: the (ridge) least-squares fit. */
  start?: { coef: ArrayLike<number>; intercept?: number };
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Threads for this fit's block passes: at most init({ threads })'s (default: all). Results do not depend on it. */
  threads?: number;
}

export interface SmoothL1Options extends Omit<HuberOptions, 'delta' | 'scale'> {
  /** Smoothing epsilon > 0 (units of y). Default 1e-3 × 1.4826·MAD of the least-squares residuals. */
  epsilon?: number;
}

export const HUBER_OPTIONS = [...COMMON_OPTIONS, 'delta', 'scale', 'ridge', 'start'] as const;
export const SMOOTH_L1_OPTIONS = [...COMMON_OPTIONS, 'epsilon', 'ridge', 'start'] as const;

export interface HuberResult extends FitResult {
  loss: 'huber';
  status: 'converged' | 'max-iterations' | 'stalled';
  /** The residual scale s: estimated (proposal 2; 0 for an exact fit of enough rows) or the fixed one. */
  scale: number;
  /** The threshold δ used (residuals beyond δ·s get weight δ·s/|r|). */
  delta: number;
  /** 1 for the rows with |r_i| > δ·s. */
  outliers: Uint8Array;
}

export interface SmoothL1Result extends FitResult {
  loss: 'smooth-l1';
  status: 'converged' | 'max-iterations' | 'stalled';
  /** The smoothing epsilon used (chosen from the data when not given). */
  epsilon: number;
}

// kernel loss codes (assembly/irls.ts)
const LOSS_HUBER = 1;
const LOSS_SMOOTH_L1 = 2;

// ------------------------------------------------------------------------------------------- Huber

/** Huber regression (options without `loss`); `fn` names the caller in error messages. */
export function solveHuber(fn: string, X: unknown, y: unknown, o: Record<string, unknown>): HuberResult {
  const delta = opt(o, 'delta');
  const scale = opt(o, 'scale');
  const r = runIrls(fn, X, y, o, LOSS_HUBER, delta, scale);
  const res = r.result as HuberResult;
  res.scale = r.info[INFO_SCALE];
  res.delta = delta;
  res.outliers = r.outliers;
  return res;
}

/** Smooth-L1 regression Σ w (sqrt(r² + ε²) − ε) (+ ridge·||coef||²). */
export function solveSmoothL1(fn: string, X: unknown, y: unknown, o: Record<string, unknown>): SmoothL1Result {
  const eps = opt(o, 'epsilon');
  const r = runIrls(fn, X, y, o, LOSS_SMOOTH_L1, eps, 0);
  const res = r.result as SmoothL1Result;
  res.epsilon = r.info[INFO_SCALE];
  return res;
}

/**
 * Huber regression: minimise Σ w s² H_δ(r/s) + ridge‖b‖² at a fixed scale s, or jointly over (b, s)
 * Σ w s H_δ(r/s) + ridge‖b‖²/s + A s (Huber's proposal 2) when `scale` is omitted. docs/losses.md.
 */
export function huber(X: XInput, y: ArrayLike<number>, options?: HuberOptions): HuberResult;
export function huber(X: Dataset, options?: HuberOptions): HuberResult;
export function huber(X: XInput | Dataset, yOrOptions?: ArrayLike<number> | HuberOptions, maybeOptions?: HuberOptions): HuberResult {
  const [y, options] = splitArgs<HuberOptions>(X, yOrOptions, maybeOptions);
  return solveHuber('huber', X, y, checkOptionsObject(options, HUBER_OPTIONS, 'huber'));
}

/** Smooth-L1 regression: minimise Σ w (sqrt(r² + ε²) − ε) + ridge‖b‖². docs/losses.md. */
export function smoothL1(X: XInput, y: ArrayLike<number>, options?: SmoothL1Options): SmoothL1Result;
export function smoothL1(X: Dataset, options?: SmoothL1Options): SmoothL1Result;
export function smoothL1(X: XInput | Dataset, yOrOptions?: ArrayLike<number> | SmoothL1Options, maybeOptions?: SmoothL1Options): SmoothL1Result {
  const [y, options] = splitArgs<SmoothL1Options>(X, yOrOptions, maybeOptions);
  return solveSmoothL1('smoothL1', X, y, checkOptionsObject(options, SMOOTH_L1_OPTIONS, 'smoothL1'));
}

function runIrls(fn: string, X: unknown, y: unknown, o: Record<string, unknown>, loss: number, param: number, scale: number):
  { result: FitResult; info: Float64Array; outliers: Uint8Array } {
  const c = readCommon(o, fn, X);
  const ridge = opt(o, 'ridge');
  const maxIter = opt(o, 'irlsMaxIter');
  const tol = opt(o, 'irlsTol');
  const start = o.start;
  return withSlot(c.slot, () => {
    const { backend } = c.slot;
    const k = backend.kernels;
    const { n, p } = shapeOfInput(X);
    const intercept = c.intercept ? 1 : 0;
    if (p + intercept === 0) fail('intercept', 'true when X has no columns (there is nothing to fit)', false);
    const { m, ptrs } = marshal(fn, c.slot, X, y, c.weights, 0,
      [8 * (p + 1), 8 * (p + 1), 8 * INFO_LEN, 4 * Math.max(p, 1), k.irls_work_bytes(n, p)]);
    const [pStart, pCoef, pInfo, pFlags, pWork] = ptrs;
    if (start !== undefined) writeStart(fn, start, p, c.intercept, backend.f64(), pStart);
    const status = withProgress(c.hook, () =>
      k.irls_fit(n, p, m.pX, m.pY, m.pW, intercept, loss, param, scale, ridge, maxIter, tol,
        start !== undefined ? pStart : 0, pCoef, pInfo, pFlags, pWork, m.xf32));
    const fitStatus = kernelOutcome('irls', fn, status, () =>
      rankDeficient(fn, backend.i32().slice(pFlags >>> 2, (pFlags >>> 2) + p), p, c.intercept, m.nPos, true));
    const f64 = backend.f64();
    const coefAll = f64.slice(pCoef >>> 3, (pCoef >>> 3) + p + 1);
    const info = f64.slice(pInfo >>> 3, (pInfo >>> 3) + INFO_LEN);
    // Outlier mask |r_i| > delta·s: written by the kernel into the first n bytes of its work region
    // (the same comparisons as its INFO_OUTLIERS count).
    const outliers = loss === LOSS_HUBER ? new Uint8Array(f64.buffer, pWork, n).slice() : new Uint8Array(0);
    const converged = fitStatus === 'converged';
    const iterations = info[INFO_ITERATIONS];
    const result = finish({
      loss: loss === LOSS_HUBER ? 'huber' : 'smooth-l1',
      coef: coefAll.slice(1),
      intercept: c.intercept ? coefAll[0] : 0,
      objective: info[INFO_OBJECTIVE],
      iterations,
      converged,
      status: fitStatus,
      backend: backend.name,
      n, p,
    });
    return { result, info, outliers };
  });
}

// ------------------------------------------------------------------------------------------- paths

export interface PathOptions extends Omit<L1Options, 'lambda' | 'start'> {
  /** kind 'lambda': the quantile level (quantile units); omitted = least absolute deviations (Σ|r| units). */
  tau?: number;
  /** kind 'tau': the fixed lasso penalty (default 0). */
  lambda?: number;
}

export const PATH_OPTIONS = [...COMMON_OPTIONS, 'tau', 'lambda'] as const;

/**
 * Fit one L1/quantile model per value, warm-starting each from the previous solution.
 * kind 'lambda': lasso penalties, fitted from the largest to the smallest (the first from the exact
 * solution at lambda >= lambdaMax: zero slopes, intercept = weighted tau-quantile of y); objective
 * Σ w|r| + λ||coef||₁ without options.tau, Σ w ρ_τ(r) + λ||coef||₁ with it.
 * kind 'tau': quantile levels in increasing order, with the fixed penalty options.lambda.
 * Returns one result per value, in the order given.
 */
export function solvePath(kind: 'lambda' | 'tau', values: readonly number[], X: XInput | Dataset, y: ArrayLike<number> | undefined,
  options?: PathOptions): L1Result[] {
  const fn = 'path';
  const o = checkOptionsObject(options, PATH_OPTIONS, fn);
  if (X instanceof Dataset) noYWithDataset(fn, y);
  if (kind !== 'lambda' && kind !== 'tau') {
    throw new RobustRegError('INVALID_INPUT', `${fn}: kind must be 'lambda' or 'tau', received ${describe(kind)}`, { argument: 'kind', value: kind });
  }
  if (!Array.isArray(values) || values.length === 0) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: values must be a non-empty array of numbers, received ${describe(values)}`, { argument: 'values' });
  }
  values.forEach((v, i) => {
    if (kind === 'lambda') {
      if (typeof v !== 'number' || !(v >= 0) || v === Infinity) fail(`values[${i}] (lambda)`, 'a number in [0, Infinity)', v);
    } else {
      checkTau(v, `values[${i}] (tau)`);
    }
  });
  const order = values.map((_, i) => i);
  const out: L1Result[] = new Array(values.length);
  const { tau: tauOpt, lambda: lambdaOpt, ...rest } = o;
  if (kind === 'lambda') {
    if (lambdaOpt !== undefined) fail('lambda', `undefined for kind 'lambda' (the penalties are the values)`, lambdaOpt);
    const tau = tauOpt === undefined ? undefined : checkTau(tauOpt);
    order.sort((a, b) => values[b] - values[a] || a - b);
    let prev: { coef: ArrayLike<number>; intercept?: number } | undefined;
    if (values[order[0]] > 0) prev = interceptOnlyStart(X, y, tau ?? 0.5, rest);
    for (const i of order) {
      const lam = values[i];
      out[i] = tau === undefined
        ? toLadUnits(solveL1(fn, X, y, { ...rest, lambda: lam / 2, start: prev }, 0.5, 'l1'))
        : solveL1(fn, X, y, { ...rest, lambda: lam, start: prev }, tau, 'quantile');
      prev = out[i];
    }
  } else {
    if (tauOpt !== undefined) fail('tau', `undefined for kind 'tau' (the levels are the values)`, tauOpt);
    const lambda = opt(o, 'lambda');
    order.sort((a, b) => values[a] - values[b] || a - b);
    let prev: FitResult | undefined;
    for (const i of order) {
      out[i] = solveL1(fn, X, y, { ...rest, lambda, start: prev }, values[i], 'quantile');
      prev = out[i];
    }
  }
  return out;
}


function interceptOnlyStart(X: unknown, y: unknown, tau: number, o: Record<string, unknown>): { coef: Float64Array; intercept: number } {
  const d = readData('path', X, y, o.weights, optBool(o, 'intercept', true));
  return { coef: new Float64Array(d.p), intercept: d.intercept ? lowerWeightedQuantile(d.y, d.w, tau) : 0 };
}

export interface LambdaMaxOptions {
  /** Quantile level: lambda in quantile units (Σ w ρ_τ). Omitted: least absolute deviations (Σ w|r|). */
  tau?: number;
  weights?: ArrayLike<number>;
  intercept?: boolean;
}

/**
 * The smallest lasso penalty λ for which all slope coefficients are zero (the intercept is not
 * penalised). With an intercept the fit at λ ≥ λ_max is b = 0 and b0 = q, the weighted τ-quantile of y,
 * and b = 0 is optimal iff some subgradient d of the check loss at r = y − q (d_i = τ for r_i > 0,
 * τ − 1 for r_i < 0, d_i ∈ [τ − 1, τ] for r_i = 0) satisfies Σ w_i d_i = 0 (intercept) and
 * |Σ_i w_i d_i x_ij| ≤ λ for every j. When one row sits at q (continuous y), Σ w d = 0 fixes its d_i
 * and λ_max = max_j |Σ_i w_i d_i x_ij| exactly. Tied rows at q share the value that balances the sum:
 * still a valid certificate (λ ≥ lambdaMax zeroes the slopes), possibly above the smallest such λ.
 * Without an intercept, q = 0 and rows with y_i = 0 take d_i = 0. In LAD units (no tau) the value
 * is doubled (Σ|r| = 2 Σ ρ_½).
 */
export function lambdaMax(X: XInput | Dataset, y: ArrayLike<number> | undefined, options?: LambdaMaxOptions): number {
  const o = checkOptionsObject(options, ['tau', 'weights', 'intercept'], 'lambdaMax');
  const tau = o.tau === undefined ? undefined : checkTau(o.tau);
  const t = tau ?? 0.5;
  const d = readData('lambdaMax', X, y, o.weights, optBool(o, 'intercept', true));
  const { n, p, x, w } = d;
  const q = d.intercept ? lowerWeightedQuantile(d.y, w, t) : 0;
  const psi = new Float64Array(n);
  let sumNz = 0, wZero = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i] > 0)) continue;
    const r = d.y[i] - q;
    if (r > 0) psi[i] = t;
    else if (r < 0) psi[i] = t - 1;
    else {
      wZero += w[i];
      continue;
    }
    sumNz += w[i] * psi[i];
  }
  if (d.intercept && wZero > 0) {
    let cz = -sumNz / wZero;
    if (cz > t) cz = t;
    if (cz < t - 1) cz = t - 1;
    for (let i = 0; i < n; i++) if (w[i] > 0 && d.y[i] === q) psi[i] = cz;
  }
  let best = 0;
  for (let j = 0; j < p; j++) {
    let s = 0;
    const xb = j * n;
    for (let i = 0; i < n; i++) s += w[i] * psi[i] * x[xb + i];
    if (Math.abs(s) > best) best = Math.abs(s);
  }
  return tau === undefined ? 2 * best : best;
}

/** A Dataset carries its own y: a second one is a caller's mistake, never silently ignored. */
function noYWithDataset(fn: string, y: unknown): void {
  if (y !== undefined) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: a Dataset already holds y; pass undefined for y (received ${describe(y)})`, { argument: 'y' });
  }
}

/** X (column-major), y and weights as plain arrays, validated (for the host-side computations). */
function readData(fn: string, X: unknown, y: unknown, weights: unknown, intercept: boolean):
  { n: number; p: number; x: Float64Array | Float32Array; y: Float64Array; w: Float64Array; intercept: boolean } {
  if (X instanceof Dataset) {
    X.check(fn, true);
    noYWithDataset(fn, y);
    if (weights !== undefined) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: option weights cannot be combined with a Dataset; pass them to Dataset.from(X, y, { weights })`, { argument: 'weights' });
    }
    const f64 = X.slot.backend.f64();
    const n = X.rows, p = X.cols;
    const xv = X.xView(); // float32 storage is read as stored (no float64 copy of X)
    const x = xv.subarray(X.pX / xv.BYTES_PER_ELEMENT, X.pX / xv.BYTES_PER_ELEMENT + n * p);
    const yy = f64.slice(X.pY >>> 3, (X.pY >>> 3) + n);
    const w = X.pW ? f64.slice(X.pW >>> 3, (X.pW >>> 3) + n) : new Float64Array(n).fill(1);
    return { n, p, x, y: yy, w, intercept };
  }
  const d = readXywHost(fn, X, y, weights);
  return { n: d.n, p: d.p, x: d.X, y: d.y, w: d.w ?? new Float64Array(d.n).fill(1), intercept };
}


