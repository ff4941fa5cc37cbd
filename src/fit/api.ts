// The public entry points (DESIGN.md §1): fit() dispatches on options.loss; the named functions take
// the same options without `loss`.
import { RobustRegError, describe } from '../errors.js';
import type { XInput } from '../data/input.js';
import { Dataset } from '../data/dataset.js';
import { checkOptionsObject, type Loss, type Progress } from '../data/options.js';
import type { FitResult, L1Result, L2Result } from './result.js';
import { HUBER_OPTIONS, SMOOTH_L1_OPTIONS, solveHuber, solvePath, solveSmoothL1, type HuberResult, type SmoothL1Result } from './robust.js';
import { L1_OPTIONS, L2_OPTIONS, checkTau, solveL1, solveL2, splitArgs, toLadUnits, type L1Options, type L2Options } from './solvers.js';

export interface QuantileOptions extends L1Options {
  /** The quantile level, strictly between 0 and 1 (default 0.5). */
  tau?: number;
  /** Several levels in one call (warm-started): returns one result per level, with `crossings`. */
  taus?: readonly number[];
}

export interface FitOptions extends L2Options, Omit<L1Options, keyof L2Options> {
  loss: Loss;
  tau?: number;
  delta?: number;
  epsilon?: number;
  scale?: number;
}

const LOSSES: readonly Loss[] = ['l2', 'l1', 'quantile', 'huber', 'smooth-l1'];

/** Fit a linear model with the loss named in `options.loss`. Synchronous after `await init()`.
 *  The result type follows the loss: L2Result, L1Result, HuberResult, SmoothL1Result. */
export function fit(X: XInput, y: ArrayLike<number>, options: FitOptions & { loss: 'l2' }): L2Result;
export function fit(X: XInput, y: ArrayLike<number>, options: FitOptions & { loss: 'l1' | 'quantile' }): L1Result;
export function fit(X: XInput, y: ArrayLike<number>, options: FitOptions & { loss: 'huber' }): HuberResult;
export function fit(X: XInput, y: ArrayLike<number>, options: FitOptions & { loss: 'smooth-l1' }): SmoothL1Result;
export function fit(X: XInput, y: ArrayLike<number>, options: FitOptions): FitResult;
/** Fit a Dataset (data already in linear memory; no copy). */
export function fit(X: Dataset, options: FitOptions & { loss: 'l2' }): L2Result;
export function fit(X: Dataset, options: FitOptions & { loss: 'l1' | 'quantile' }): L1Result;
export function fit(X: Dataset, options: FitOptions & { loss: 'huber' }): HuberResult;
export function fit(X: Dataset, options: FitOptions & { loss: 'smooth-l1' }): SmoothL1Result;
export function fit(X: Dataset, options: FitOptions): FitResult;
export function fit(X: XInput | Dataset, yOrOptions: ArrayLike<number> | FitOptions, maybeOptions?: FitOptions): FitResult {
  const [y, options] = splitArgs<FitOptions>(X, yOrOptions, maybeOptions);
  if (typeof options !== 'object' || options === null) {
    throw new RobustRegError('INVALID_INPUT', `fit: options must be an object with a loss (${LOSSES.join(', ')}), received ${describe(options)}`, { argument: 'options' });
  }
  const { loss, ...rest } = options as FitOptions & Record<string, unknown>;
  switch (loss) {
    case 'l2':
      return olsImpl(X, y, rest);
    case 'l1':
      return ladImpl(X, y, rest);
    case 'quantile':
      return quantileImpl(X, y, rest);
    case 'huber':
      return solveHuber('huber', X, y, checkOptionsObject(rest, HUBER_OPTIONS, 'huber'));
    case 'smooth-l1':
      return solveSmoothL1('smoothL1', X, y, checkOptionsObject(rest, SMOOTH_L1_OPTIONS, 'smoothL1'));
    default:
      throw new RobustRegError('INVALID_INPUT', `fit: option loss must be one of ${LOSSES.map((l) => `'${l}'`).join(', ')}, received ${describe(loss)}`, { argument: 'loss', value: loss });
  }
}

/** Least squares: minimise Σ w_i r_i² + ridge·||coef||². */
export function ols(X: XInput, y: ArrayLike<number>, options?: L2Options): L2Result;
export function ols(X: Dataset, options?: L2Options): L2Result;
export function ols(X: XInput | Dataset, yOrOptions?: ArrayLike<number> | L2Options, maybeOptions?: L2Options): L2Result {
  const [y, options] = splitArgs<L2Options>(X, yOrOptions, maybeOptions);
  return olsImpl(X, y, options);
}

function olsImpl(X: unknown, y: unknown, options: unknown): L2Result {
  const o = checkOptionsObject(options, L2_OPTIONS, 'ols');
  return solveL2('ols', X, y, o);
}

/** Least absolute deviations: minimise Σ w_i |r_i| (+ lambda·||coef||₁). Exact, with a certificate. */
export function lad(X: XInput, y: ArrayLike<number>, options?: L1Options): L1Result;
export function lad(X: Dataset, options?: L1Options): L1Result;
export function lad(X: XInput | Dataset, yOrOptions?: ArrayLike<number> | L1Options, maybeOptions?: L1Options): L1Result {
  const [y, options] = splitArgs<L1Options>(X, yOrOptions, maybeOptions);
  return ladImpl(X, y, options);
}

function ladImpl(X: unknown, y: unknown, options: unknown): L1Result {
  const o = checkOptionsObject(options, L1_OPTIONS, 'lad');
  // Σ w|r| = 2 Σ w ρ_½(r): solve at τ = ½ and report the objective in |r| units.
  // progress is reported in Σ|r| units too
  const onProgress = o.onProgress as ((p: Progress) => void) | undefined;
  const wrapped = typeof onProgress === 'function'
    ? (p: Progress) => onProgress({ iteration: p.iteration, objective: 2 * p.objective, gap: 2 * p.gap })
    : onProgress;
  const r = solveL1('lad', X, y, { ...o, onProgress: wrapped, lambda: o.lambda === undefined ? undefined : (checkLambda(o.lambda) / 2) }, 0.5, 'l1');
  return toLadUnits(r);
}

function checkLambda(v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
    throw new RobustRegError('INVALID_INPUT', `option lambda must be a number in [0, Infinity), received ${describe(v)}`, { argument: 'lambda', value: v });
  }
  return v;
}


/** Quantile regression: minimise Σ w_i ρ_τ(r_i) (+ lambda·||coef||₁), ρ_τ(r) = r·(τ − [r < 0]). */
export function quantile(X: XInput, y: ArrayLike<number>, options: QuantileOptions & { taus: readonly number[] }): QuantileSetResult[];
export function quantile(X: XInput, y: ArrayLike<number>, options?: QuantileOptions): L1Result;
export function quantile(X: Dataset, options: QuantileOptions & { taus: readonly number[] }): QuantileSetResult[];
export function quantile(X: Dataset, options?: QuantileOptions): L1Result;
export function quantile(X: XInput | Dataset, yOrOptions?: ArrayLike<number> | QuantileOptions, maybeOptions?: QuantileOptions): L1Result | QuantileSetResult[] {
  const [y, options] = splitArgs<QuantileOptions>(X, yOrOptions, maybeOptions);
  if (options && typeof options === 'object' && 'taus' in options) return quantileSet(X, y, options);
  return quantileImpl(X, y, options);
}

/** One fit of quantile(X, y, { taus }): `crossings` counts the observations where this fit's
 *  prediction exceeds the next higher τ's (quantile crossing; reported, not removed). */
export interface QuantileSetResult extends L1Result {
  crossings: number;
}

/**
 * Several τ in one call, warm-started in increasing τ (solvePath 'tau'); each result is certified on
 * its own. Crossings between adjacent levels are counted on the observed rows and reported.
 */
function quantileSet(X: XInput | Dataset, y: ArrayLike<number>, options: QuantileOptions & { taus?: unknown }): QuantileSetResult[] {
  const { taus, tau, start, ...rest } = options as QuantileOptions & { taus?: unknown };
  if (!Array.isArray(taus) || taus.length === 0) {
    throw new RobustRegError('INVALID_INPUT', `quantile: option taus must be a non-empty array of levels strictly between 0 and 1, received ${describe(taus)}`, { argument: 'taus', value: taus });
  }
  taus.forEach((t, i) => checkTau(t, `taus[${i}]`));
  if (tau !== undefined) throw new RobustRegError('INVALID_INPUT', 'quantile: give either tau or taus, not both', { argument: 'tau' });
  if (start !== undefined) throw new RobustRegError('INVALID_INPUT', 'quantile: option start cannot be combined with taus (each level is warm-started from the previous one)', { argument: 'start' });
  const results = solvePath('tau', taus as number[], X, X instanceof Dataset ? undefined : y, rest as never) as QuantileSetResult[];
  const rows = X instanceof Dataset ? X.toArrays().X : X;
  const order = results.map((_, i) => i).sort((a, b) => results[a].tau! - results[b].tau!);
  const preds = order.map((i) => results[i].predict(rows));
  for (let k = 0; k < order.length; k++) {
    let c = 0;
    if (k + 1 < order.length) {
      const lo = preds[k], hi = preds[k + 1];
      for (let i = 0; i < lo.length; i++) {
        if (lo[i] - hi[i] > 1e-12 * (Math.abs(lo[i]) + Math.abs(hi[i]))) c++;
      }
    }
    results[order[k]].crossings = c;
  }
  return results;
}

function quantileImpl(X: unknown, y: unknown, options: unknown): L1Result {
  const o = checkOptionsObject(options, [...L1_OPTIONS, 'tau'], 'quantile');
  const tau = o.tau === undefined ? 0.5 : checkTau(o.tau);
  const { tau: _t, ...rest } = o;
  return solveL1('quantile', X, y, rest, tau, 'quantile');
}

