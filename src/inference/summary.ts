// summary(result, X, y, options): standard errors, test statistics, p-values and confidence
// intervals for a fitted model, with the method chosen per loss (docs/inference.md):
//   l2         vcov: 'classical' (default) | 'HC0' | 'HC1' | 'HC2' | 'HC3'      t(n − k)
//   l1/quantile se: 'rank' (default, n < 1001) | 'nid' (default otherwise) | 'ker' | 'boot'  t(n − k)
//   huber      vcov: 'H1' (default) | 'H2' | 'H3'                              normal
//   mm         vcov: '.vcov.avar1' (robustbase lmrob's default)                 t(n − k)
//   lts        classical on the reweighted least-squares fit (robustbase summary.lts)  t(Σw − k)
// The numbers reproduce R summary.lm + sandwich::vcovHC, quantreg summary.rq and statsmodels RLM.
import { quantile as fitQuantile } from '../fit/api.js';
import { RobustRegError, describe } from '../errors.js';
import type { XInput } from '../data/input.js';
import { checkOptionsObject, fail, optBackend, optBool, type BackendChoice, type Loss } from '../data/options.js';
import { bootstrapPairs, percentileInterval, replicateCovariance } from './bootstrap.js';
import { Dataset } from '../data/dataset.js';
import { l2InferenceDataset } from './dataset.js';
import { nidOfDataset, type NidRefits } from './quantile-dataset.js';
import { checkCoefLike, readDesign, residuals, type InferenceData } from './design.js';
import { normalQuantile, normalSf, studentTQuantile, studentTTwoSided } from './distributions.js';
import { HUBER_VCOV, checkHuberEquations, huberCovariance, type HuberVcov } from './huber.js';
import { L2_VCOV, checkNormalEquations, l2Inference, type L2Vcov } from './l2.js';
import { rankIntervals, type RankBounds } from './rank.js';
import { mmCovariance } from './mm.js';
import { MM_TUNING_CHI, MM_TUNING_PSI } from '../fit/mm.js';
import {
  checkQuantileIntercept, kerCovariance, nidCovariance, usableBandwidth, type Bandwidth,
} from './quantile.js';

export type QuantileSe = 'rank' | 'nid' | 'ker' | 'boot';
export const QUANTILE_SE: readonly QuantileSe[] = ['rank', 'nid', 'ker', 'boot'];

/** quantreg's summary.rq: se = 'rank' below this many observations, 'nid' from it on. */
export const RANK_DEFAULT_MAX_N = 1000;

export interface SummaryOptions {
  /** Confidence level of the intervals, in (0, 1). Default 0.95. */
  level?: number;
  /** Whether the model has an intercept: must match the fit. Default true. */
  intercept?: boolean;
  /** The observation weights of the fit (must match it). */
  weights?: ArrayLike<number>;
  /** Names of the columns of X (length p). Default x1 … xp; the intercept is "(Intercept)". */
  names?: readonly string[];
  /** l2: 'classical' (default), 'HC0', 'HC1', 'HC2', 'HC3'; huber: 'H1' (default), 'H2', 'H3'; mm: '.vcov.avar1' (the only one). */
  vcov?: L2Vcov | HuberVcov | '.vcov.avar1';
  /**
   * l1/quantile: 'rank' (rank-inversion intervals, the default when n ≤ 1000), 'nid' (the default
   * from n = 1001, as quantreg's summary.rq), 'ker' or 'boot'.
   */
  se?: QuantileSe;
  /** rank: true (default) for iid errors; false weights the test by local density estimates (quantreg's iid = FALSE). */
  iid?: boolean;
  /** nid/ker: the bandwidth rule for h, 'hall-sheather' (default) or 'bofinger'. */
  bandwidth?: Bandwidth;
  /** boot: replicates (default 200). */
  B?: number;
  /** boot: seed of the generator (integer in [0, 2³²), default 1). Same seed, same answer. */
  seed?: number;
  /** boot: 'wald' (estimate ± t·SE, default) or 'percentile' intervals. */
  ci?: 'wald' | 'percentile';
  /** l1/quantile: backend for the refits (default: the backend of the result). */
  backend?: BackendChoice;
}

export interface CoefficientRow {
  name: string;
  estimate: number;
  stdError: number;
  /** estimate / stdError: a t statistic (l2, l1, quantile) or z statistic (huber). */
  statistic: number;
  /** Two-sided p-value of estimate = 0. */
  pValue: number;
  ciLower: number;
  ciUpper: number;
}

export interface Summary {
  loss: Loss;
  /** How the covariance was estimated: 'classical', 'HC0'…'HC3', 'nid', 'ker', 'boot', 'H1'…'H3'. */
  method: string;
  coefficients: CoefficientRow[];
  /** Covariance of the estimates, rows/columns in the order of `coefficients`. */
  covariance: number[][];
  /** Observations used (those with positive weight). */
  n: number;
  /** Coefficients estimated, including the intercept. */
  p: number;
  /** Residual degrees of freedom n − p. */
  df: number;
  /** The objective of the fit (result.objective). */
  objective: number;
  level: number;
  /** The reference distribution of the statistics: Student t with `df` degrees of freedom, or normal. */
  distribution: 't' | 'normal';
  intercept: boolean;
  /** l2: residual standard error √(Σ w r² / df). */
  sigma?: number;
  rSquared?: number;
  adjRSquared?: number;
  /** l2: overall F test of the non-intercept coefficients (a robust Wald F for HC covariances). */
  fStatistic?: { value: number; df1: number; df2: number; pValue: number };
  /** l1/quantile. */
  tau?: number;
  /** nid/ker: the bandwidth h (τ units) and rule; ker also the kernel bandwidth in residual units. */
  bandwidth?: { rule: Bandwidth; h: number; kernel?: number };
  /** boot. */
  bootstrap?: { B: number; seed: number; failures: number; ci: 'wald' | 'percentile' };
  /**
   * rank: the test's details. The table's stdError, statistic and pValue are NaN (rank inversion gives
   * intervals, not standard errors) and `covariance` is empty.
   */
  rank?: RankSummary;
  /** huber, mm: the residual scale of the fit (mm: the S-scale). */
  scale?: number;
  delta?: number;
  /** Messages about the estimate (e.g. nid density estimates clamped at 0). */
  warnings: string[];
}

export interface RankSummary {
  /** Whether the iid version of the rank test was used (false: density-weighted, Koenker & Machado 1999). */
  iid: boolean;
  /** The critical value t_{1−α/2}(n − p) the statistic is compared with. */
  critical: number;
  /** iid: false: the Hall–Sheather bandwidth of the density estimates (τ units). */
  h?: number;
  /** Per coefficient (order of `coefficients`): quantreg's four bounds and rank statistics (interp = FALSE). */
  bounds: RankBounds[];
}

/** The result fields a summary reads (a FitResult from ols/lad/quantile/huber satisfies it). */
export interface SummarizableResult {
  loss: Loss;
  coef: ArrayLike<number>;
  intercept: number;
  objective: number;
  n?: number;
  p?: number;
  converged?: boolean;
  status?: string;
  tau?: number;
  backend?: string;
  scale?: number;
  delta?: number;
  /** mm: the S-estimate (its residuals enter the covariance) and the tuning constants. */
  init?: { coef: ArrayLike<number>; intercept: number; scale: number };
  tuning?: { chi: number; psi: number; bb: number };
  /** lts: the 0/1 robustness weights of the fit (the rows the reweighted inference uses). */
  weights?: ArrayLike<number>;
  /** lts: true when the fit is exact (scale 0). */
  exactFit?: boolean;
}

const COMMON_KEYS = ['level', 'intercept', 'weights', 'names'] as const;
const KEYS: Record<string, readonly string[]> = {
  l2: [...COMMON_KEYS, 'vcov'],
  l1: [...COMMON_KEYS, 'se', 'iid', 'bandwidth', 'B', 'seed', 'ci', 'backend'],
  quantile: [...COMMON_KEYS, 'se', 'iid', 'bandwidth', 'B', 'seed', 'ci', 'backend'],
  huber: [...COMMON_KEYS, 'vcov'],
  mm: [...COMMON_KEYS, 'vcov'],
  lts: ['level', 'intercept', 'names'],
};

function oneOf<T extends string>(o: Record<string, unknown>, name: string, values: readonly T[], dflt: T, loss: string): T {
  const v = o[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !values.includes(v as T)) {
    fail(name, `one of ${values.map((s) => `'${s}'`).join(', ')} for a ${loss} fit`, v);
  }
  return v as T;
}

function onlyWith(o: Record<string, unknown>, names: readonly string[], se: string): void {
  for (const name of names) {
    if (o[name] !== undefined) {
      const to = name === 'bandwidth' ? "'nid' or 'ker'" : name === 'iid' ? "'rank'" : name === 'backend' ? "'nid' or 'boot' (the methods that refit)" : "'boot'";
      throw new RobustRegError('INVALID_INPUT', `summary: option ${name} applies only to se: ${to}, not to se: '${se}'`, { argument: name, value: o[name] });
    }
  }
}

/**
 * Inference for a fitted model: a coefficient table (estimate, standard error, statistic, p-value,
 * confidence interval) and per-loss statistics. Pass the X, y (and weights, intercept) of the fit.
 * Synchronous; for l1/quantile with se 'nid' or 'boot' it refits (needs `await init()` for WASM).
 */
export function summary(result: SummarizableResult, X: XInput, y: ArrayLike<number>, options?: SummaryOptions): Summary;
/** Inference for a model fitted to a Dataset (y and weights are the dataset's; names default to dataset.frame.names). */
export function summary(result: SummarizableResult, X: Dataset, options?: SummaryOptions): Summary;
export function summary(result: SummarizableResult, X: XInput | Dataset, y?: ArrayLike<number> | SummaryOptions, options?: SummaryOptions): Summary {
  if (X instanceof Dataset) return summaryOfDataset(result, X, y as SummaryOptions | undefined);
  return summaryOfArrays(result, X, y as ArrayLike<number>, options);
}

/** `refits`: nid's fits at tau ± h already made on the Dataset these arrays were copied from. */
function summaryOfArrays(result: SummarizableResult, X: XInput, y: ArrayLike<number>, options?: SummaryOptions, refits?: NidRefits): Summary {
  if (typeof result !== 'object' || result === null) {
    throw new RobustRegError('INVALID_INPUT', `summary: result must be the object returned by a fit, received ${describe(result)}`, { argument: 'result' });
  }
  const res = result as unknown as Record<string, unknown>;
  const loss = res.loss as Loss;
  if (!(typeof loss === 'string' && loss in KEYS)) {
    throw new RobustRegError('INVALID_INPUT', `summary: no inference for result.loss ${describe(loss)}; supported: 'l2', 'l1', 'quantile', 'huber', 'mm', 'lts'`, { argument: 'result.loss', value: loss });
  }
  const o = checkOptionsObject(options, KEYS[loss], `summary (${loss} fit)`);
  const level = o.level === undefined ? 0.95 : (o.level as number);
  if (typeof level !== 'number' || !(level > 0 && level < 1)) fail('level', 'a number strictly between 0 and 1', o.level);
  const intercept = optBool(o, 'intercept', true);
  if (loss === 'lts') checkLtsWeights(res.weights, res.n);
  const d = readDesign('summary', X, y, loss === 'lts' ? res.weights : o.weights, intercept);
  const { coef, intercept: b0 } = checkCoefLike(res, d.p);
  if (!intercept && b0 !== 0) {
    throw new RobustRegError('INVALID_INPUT', `summary: option intercept is false but result.intercept is ${b0}; pass intercept: true for a model fitted with an intercept`, { argument: 'intercept' });
  }
  if (typeof res.n === 'number' && res.n !== d.nAll) {
    throw new RobustRegError('DIMENSION_MISMATCH', `summary: X has ${d.nAll} rows but the model was fitted to ${res.n}; pass the X and y of the fit`, { argument: 'X', rows: d.nAll, expected: res.n });
  }
  const names = readNames(o.names, d.p);
  const coefAll = new Float64Array(d.k);
  if (intercept) coefAll[0] = b0;
  coefAll.set(coef, intercept ? 1 : 0);
  const resid = residuals(d, coef, b0);
  const objective = typeof res.objective === 'number' ? res.objective : NaN;
  const base = { loss, n: d.n, p: d.k, df: d.n - d.k, objective, level, intercept, warnings: [] as string[] };

  if (loss === 'l2') {
    const vcov = oneOf(o, 'vcov', L2_VCOV, 'classical', 'l2');
    checkNormalEquations(d, resid);
    const inf = l2Inference(d, resid, coefAll, vcov);
    return finish({
      ...base, method: vcov, distribution: 't', sigma: inf.sigma, rSquared: inf.rSquared,
      adjRSquared: inf.adjRSquared, fStatistic: inf.fStatistic, warnings: inf.warnings,
    }, coefAll, inf.V, names, d);
  }

  if (loss === 'lts') {
    // robustbase summary.lts: classical least-squares inference with the fit's final 0/1 weights
    // (lts.wt): σ² = Σ w r² / (Σ w − k), V = σ² (X'WX)⁻¹, t(Σ w − k); R² and F about the weighted mean.
    // The coefficients are the reweighted fit's (least squares on the raw-weight rows), so the
    // normal-equations guard does not apply.
    const inf = l2Inference(d, resid, coefAll, 'classical');
    const warnings = [...inf.warnings];
    if (res.exactFit === true) warnings.push('exact fit: more than h rows lie on the fitted hyperplane; the scale and the standard errors are 0 (to rounding)');
    return finish({
      ...base, method: 'classical', distribution: 't', sigma: inf.sigma, rSquared: inf.rSquared,
      adjRSquared: inf.adjRSquared, fStatistic: inf.fStatistic, scale: typeof res.scale === 'number' ? res.scale : undefined, warnings,
    }, coefAll, inf.V, names, d);
  }

  if (loss === 'huber') {
    const vcov = oneOf(o, 'vcov', HUBER_VCOV, 'H1', 'huber');
    if (o.weights !== undefined) {
      throw new RobustRegError('INVALID_INPUT', `summary: weights are not supported for Huber inference (the H1–H3 covariances, as statsmodels RLM computes them, are for unweighted fits)`, { argument: 'weights' });
    }
    const scale = res.scale;
    const delta = res.delta;
    if (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale)) {
      throw new RobustRegError('INVALID_INPUT', `summary: a Huber result needs result.scale > 0 (the residual scale of the fit), received ${describe(scale)}`, { argument: 'result.scale', value: scale });
    }
    if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) {
      throw new RobustRegError('INVALID_INPUT', `summary: a Huber result needs result.delta > 0 (the tuning constant), received ${describe(delta)}`, { argument: 'result.delta', value: delta });
    }
    const warnings: string[] = [];
    if (res.converged === false) {
      warnings.push(`the fit did not converge (status ${describe(res.status)}): the table is for its last iterate`);
    } else {
      checkHuberEquations(d, resid, scale, delta);
    }
    const inf = huberCovariance(d, resid, scale, delta, vcov);
    return finish({ ...base, method: vcov, distribution: 'normal', scale, delta, warnings }, coefAll, inf.V, names, d);
  }

  if (loss === 'mm') {
    oneOf(o, 'vcov', ['.vcov.avar1'] as const, '.vcov.avar1', 'mm');
    if (o.weights !== undefined) {
      throw new RobustRegError('INVALID_INPUT', `summary: weights are not supported for MM inference (mm() fits are unweighted)`, { argument: 'weights' });
    }
    const scale = res.scale;
    const ini = res.init as { coef?: ArrayLike<number>; intercept?: number; scale?: number } | undefined;
    if (typeof scale !== 'number' || !(scale >= 0) || !Number.isFinite(scale)) {
      throw new RobustRegError('INVALID_INPUT', `summary: an mm result needs result.scale >= 0, received ${describe(scale)}`, { argument: 'result.scale', value: scale });
    }
    if (typeof ini !== 'object' || ini === null || !ini.coef || ini.coef.length !== d.p) {
      throw new RobustRegError('INVALID_INPUT', `summary: an mm result needs result.init (the S-estimate: coef, intercept, scale), received ${describe(ini)}`, { argument: 'result.init' });
    }
    const tun = res.tuning as { chi?: number; psi?: number } | undefined;
    const cChi = typeof tun?.chi === 'number' ? tun.chi : MM_TUNING_CHI;
    const cPsi = typeof tun?.psi === 'number' ? tun.psi : MM_TUNING_PSI;
    const warnings: string[] = [];
    let V: Float64Array;
    if (scale === 0) {
      warnings.push('exact fit (scale 0): the covariance is 0, as robustbase reports it');
      V = new Float64Array(d.k * d.k);
    } else {
      if (res.converged === false) warnings.push(`the fit did not converge (status ${describe(res.status)}): the table is for its last iterate`);
      const r0 = residuals(d, ini.coef, typeof ini.intercept === 'number' ? ini.intercept : 0);
      V = mmCovariance(d, resid, r0, scale, cPsi, cChi, warnings);
    }
    return finish({ ...base, method: '.vcov.avar1', distribution: 't', scale, warnings }, coefAll, V, names, d);
  }

  // l1 / quantile
  const tau = loss === 'l1' ? 0.5 : res.tau;
  if (typeof tau !== 'number' || !(tau > 0 && tau < 1)) {
    throw new RobustRegError('INVALID_INPUT', `summary: a quantile result needs result.tau in (0, 1), received ${describe(tau)}`, { argument: 'result.tau', value: tau });
  }
  const se = oneOf(o, 'se', QUANTILE_SE, d.nAll <= RANK_DEFAULT_MAX_N ? 'rank' : 'nid', loss);
  const backendOpt = optBackend(o);
  const backend: BackendChoice = o.backend !== undefined ? backendOpt
    : res.backend === 'wasm' || res.backend === 'js' ? res.backend : 'auto';
  const warnings: string[] = [];
  if (res.converged === false) {
    // An unconverged fit is not optimal: the optimality guard would reject it; say so instead.
    warnings.push(`the fit did not converge (status ${describe(res.status)}): the table is for its last iterate, not an optimum`);
  } else {
    checkQuantileIntercept(d, tau, resid);
  }
  const refitOpts = { intercept, backend };
  if (se === 'rank') {
    // backend is accepted (as for 'ker'): the rank walk makes no kernel call — the vertices are exact
    // TypeScript arithmetic on the host — so the intervals are the same whichever backend is named.
    onlyWith(o, ['bandwidth', 'B', 'seed', 'ci'], se);
    const iid = optBool(o, 'iid', true);
    // As summary.rq: rows (and the intercept column) multiplied by the weights.
    const { n, k } = d;
    const Xr = new Float64Array(n * k);
    const yr = new Float64Array(n);
    const off = intercept ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const wi = d.w ? d.w[i] : 1;
      if (intercept) Xr[i] = wi;
      yr[i] = d.y[i] * wi;
      for (let j = 0; j < d.p; j++) Xr[(j + off) * n + i] = d.X[j * n + i] * wi;
    }
    const rk = rankIntervals({ X: Xr, y: yr, nRows: n, k, tau, level, iid, nR: d.nAll, coef: coefAll, rowsAll: { rows: d.rows, nAll: d.nAll } });
    const rowNames = intercept ? ['(Intercept)', ...names] : names;
    const coefficients: CoefficientRow[] = rk.intervals.map((iv, j) => ({
      name: rowNames[j], estimate: coefAll[j], stdError: NaN, statistic: NaN, pValue: NaN, ciLower: iv.lower, ciUpper: iv.upper,
    }));
    return {
      ...base, method: 'rank', distribution: 't', tau, coefficients, covariance: [],
      rank: { iid, critical: rk.critical, ...(rk.h !== undefined ? { h: rk.h } : {}), bounds: rk.intervals },
      warnings: [...warnings, ...rk.warnings],
    };
  }
  onlyWith(o, ['iid'], se);
  if (se === 'boot') {
    onlyWith(o, ['bandwidth'], se);
    const B = o.B === undefined ? 200 : (o.B as number);
    if (typeof B !== 'number' || !Number.isInteger(B) || B < 2 || B > 1e6) fail('B', 'an integer in [2, 1000000]', o.B);
    const seed = o.seed === undefined ? 1 : (o.seed as number);
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 4294967295) fail('seed', 'an integer in [0, 4294967295]', o.seed);
    const ci = oneOf(o, 'ci', ['wald', 'percentile'] as const, 'wald', loss);
    const start = { coef, intercept: b0 };
    const boot = bootstrapPairs(d, B, seed, (Xb, yb, wb) =>
      fitQuantile(Xb, yb, { tau, weights: wb, start, ...refitOpts }));
    const V = replicateCovariance(boot, d.k);
    const s = finish({
      ...base, method: 'boot', distribution: 't', tau, bootstrap: { B, seed, failures: boot.failures, ci }, warnings,
    }, coefAll, V, names, d);
    if (ci === 'percentile') {
      s.coefficients.forEach((row, j) => {
        [row.ciLower, row.ciUpper] = percentileInterval(boot, d.k, j, level);
      });
    }
    if (boot.failures > 0) s.warnings.push(`boot: ${boot.failures} resample${boot.failures > 1 ? 's were' : ' was'} rank deficient and redrawn`);
    return s;
  }
  onlyWith(o, ['B', 'seed', 'ci'], se);
  const rule = oneOf(o, 'bandwidth', ['hall-sheather', 'bofinger'] as const, 'hall-sheather', loss);
  const h = usableBandwidth(tau, d.n, rule);
  if (se === 'nid') {
    const w = d.weightsAll;
    // the two refits at tau ± h start from the fit (its basis is near theirs: fewer pivots) — unless
    // the Dataset path made them already (the same problems)
    const start = { coef, intercept: b0 };
    const pre = refits !== undefined && refits.tau === tau && refits.h === h ? refits : undefined;
    const hi = pre ? pre.hi : fitQuantile(X, y, { tau: tau + h, weights: w, start, ...refitOpts });
    const lo = pre ? pre.lo : fitQuantile(X, y, { tau: tau - h, weights: w, start, ...refitOpts });
    const nid = nidCovariance(d, tau, h, hi, lo);
    return finish({
      ...base, method: 'nid', distribution: 't', tau, bandwidth: { rule, h }, warnings: [...warnings, ...nid.warnings],
    }, coefAll, nid.V, names, d);
  }
  const ker = kerCovariance(d, tau, h, resid);
  return finish({
    ...base, method: 'ker', distribution: 't', tau, bandwidth: { rule, h, kernel: ker.kernelBandwidth }, warnings,
  }, coefAll, ker.V, names, d);
}

function checkLtsWeights(w: unknown, n: unknown): void {
  const ok = (Array.isArray(w) || (ArrayBuffer.isView(w) && !(w instanceof DataView))) && (typeof n !== 'number' || (w as ArrayLike<number>).length === n)
    && Array.prototype.every.call(w, (v: unknown) => v === 0 || v === 1);
  if (!ok) {
    throw new RobustRegError('INVALID_INPUT', `summary: an lts result needs result.weights, the 0/1 robustness weights of its rows (as lts() returns them), received ${describe(w)}`, { argument: 'result.weights' });
  }
}

/**
 * summary() for a Dataset: least squares in blocked passes over linear memory (src/inference/
 * dataset.ts) when the centred Gram matrix is well conditioned; otherwise, and for the other
 * losses, on a copy of the stored data (X as stored: float32 values exactly).
 */
function summaryOfDataset(result: SummarizableResult, ds: Dataset, options?: SummaryOptions): Summary {
  ds.check('summary', true);
  const o = checkOptionsObject(options, [...new Set(Object.values(KEYS).flat())].filter((k) => k !== 'weights'), 'summary (Dataset)');
  const names = o.names ?? ds.frame?.names;
  const res = (typeof result === 'object' && result !== null ? result : {}) as unknown as Record<string, unknown>;
  if (res.loss === 'l2' && (o.vcov === undefined || (L2_VCOV as readonly unknown[]).includes(o.vcov))) {
    const level = o.level === undefined ? 0.95 : (o.level as number);
    if (typeof level !== 'number' || !(level > 0 && level < 1)) fail('level', 'a number strictly between 0 and 1', o.level);
    const intercept = optBool(o, 'intercept', true);
    const { coef, intercept: b0 } = checkCoefLike(res, ds.cols);
    if (!intercept && b0 !== 0) {
      throw new RobustRegError('INVALID_INPUT', `summary: option intercept is false but result.intercept is ${b0}; pass intercept: true for a model fitted with an intercept`, { argument: 'intercept' });
    }
    if (typeof res.n === 'number' && res.n !== ds.rows) {
      throw new RobustRegError('DIMENSION_MISMATCH', `summary: the Dataset has ${ds.rows} rows but the model was fitted to ${res.n}; pass the data of the fit`, { argument: 'X', rows: ds.rows, expected: res.n });
    }
    const k = ds.cols + (intercept ? 1 : 0);
    if (ds.nPos > k) {
      const coefAll = new Float64Array(k);
      if (intercept) coefAll[0] = b0;
      coefAll.set(coef, intercept ? 1 : 0);
      const vcov = (o.vcov ?? 'classical') as L2Vcov;
      const inf = l2InferenceDataset(ds, coef, b0, coefAll, intercept, vcov);
      if (inf) {
        const objective = typeof res.objective === 'number' ? res.objective : NaN;
        return finish({
          loss: 'l2', n: ds.nPos, p: k, df: ds.nPos - k, objective, level, intercept, method: vcov, distribution: 't',
          sigma: inf.sigma, rSquared: inf.rSquared, adjRSquared: inf.adjRSquared, fStatistic: inf.fStatistic, warnings: inf.warnings,
        }, coefAll, inf.V, readNames(names, ds.cols), { k, intercept } as InferenceData);
      }
    }
  }
  const nid = nidOfDataset(res, ds, o, RANK_DEFAULT_MAX_N);
  if (nid && !('refits' in nid)) {
    const objective = typeof res.objective === 'number' ? res.objective : NaN;
    const k = nid.k, n = ds.nPos;
    return finish({
      loss: res.loss as Loss, n, p: k, df: n - k, objective, level: (o.level ?? 0.95) as number, intercept: nid.intercept,
      method: 'nid', distribution: 't', tau: nid.tau, bandwidth: { rule: nid.rule, h: nid.h }, warnings: nid.warnings,
    }, nid.coefAll, nid.V, readNames(names, ds.cols), { k, intercept: nid.intercept } as InferenceData);
  }
  const t = ds.toArrays();
  const X = { data: Float64Array.from(t.X.data), rows: t.X.rows, cols: t.X.cols, layout: 'column-major' as const };
  const opts = { ...o } as SummaryOptions;
  if (names !== undefined) opts.names = names as string[];
  if (t.weights) opts.weights = t.weights;
  return summaryOfArrays(result, X, t.y, opts, nid?.refits);
}

function readNames(v: unknown, p: number): string[] {
  if (v === undefined) return Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (!Array.isArray(v) || v.length !== p || !v.every((s) => typeof s === 'string')) {
    fail('names', `an array of ${p} strings (one per column of X)`, v);
  }
  return v as string[];
}

type Partial0 = Omit<Summary, 'coefficients' | 'covariance'>;

/** Build the coefficient table from the estimates and their covariance V (k × k column-major). */
function finish(s: Partial0, est: Float64Array, V: Float64Array, colNames: string[], d: InferenceData): Summary {
  const k = d.k;
  const names = d.intercept ? ['(Intercept)', ...colNames] : colNames;
  const alpha = 1 - s.level;
  const df = s.df;
  const normal = s.distribution === 'normal';
  const q = normal ? -normalQuantile(alpha / 2) : df > 0 ? -studentTQuantile(alpha / 2, df) : NaN;
  const coefficients: CoefficientRow[] = [];
  for (let j = 0; j < k; j++) {
    const variance = V[j * k + j];
    const seJ = variance >= 0 ? Math.sqrt(variance) : NaN;
    const stat = est[j] / seJ;
    let pValue: number;
    if (Number.isNaN(stat)) pValue = NaN;
    else if (normal) pValue = Math.min(1, 2 * normalSf(Math.abs(stat)));
    else pValue = df > 0 ? studentTTwoSided(stat, df) : NaN;
    coefficients.push({
      name: names[j], estimate: est[j], stdError: seJ, statistic: stat, pValue,
      ciLower: est[j] - q * seJ, ciUpper: est[j] + q * seJ,
    });
  }
  const covariance: number[][] = [];
  for (let r = 0; r < k; r++) {
    const row: number[] = [];
    for (let c = 0; c < k; c++) row.push(V[c * k + r]);
    covariance.push(row);
  }
  return { ...s, coefficients, covariance };
}
