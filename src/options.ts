// Option validation: every option is checked by name, unknown names are rejected (a typo must not be
// silently ignored), and messages name the option, the valid range and the value received.
import { RobustRegError, describe } from './errors.js';

export type Loss = 'l2' | 'l1' | 'quantile' | 'huber' | 'smooth-l1' | 'mm' | 'lts';
export type BackendChoice = 'auto' | 'wasm' | 'js';

export interface Progress {
  /** Iterations so far (CD sweeps + simplex pivots for L1/quantile; IRLS steps for Huber/smooth-L1). */
  iteration: number;
  /** Current objective value. */
  objective: number;
  /** Current duality gap when known (L1/quantile finish phase), else NaN. */
  gap: number;
}

export interface CommonOptions {
  /** Fit an intercept (default true). The intercept is never penalised. */
  intercept?: boolean;
  /** Non-negative observation weights, length n (default all 1). */
  weights?: ArrayLike<number>;
  /** 'auto' (default: WASM when initialised and available, else the TS twin), 'wasm' or 'js'. */
  backend?: BackendChoice;
  /** Iteration cap (solver specific; default depends on the loss). */
  maxIter?: number;
  /** Convergence tolerance (relative; solver specific). */
  tol?: number;
  /** Called during long fits (at most every ~50 ms). */
  onProgress?: (p: Progress) => void;
  /** Abort a running fit (checked at every progress point); the fit throws RobustRegError CANCELLED. */
  signal?: AbortSignal;
}

export function fail(option: string, range: string, value: unknown): never {
  throw new RobustRegError('INVALID_INPUT', `option ${option} must be ${range}, received ${describe(value)}`, { argument: option, value });
}

export function checkOptionsObject(opts: unknown, allowed: readonly string[], fn: string): Record<string, unknown> {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: options must be an object, received ${describe(opts)}`, { argument: 'options' });
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new RobustRegError('INVALID_INPUT', `${fn}: unknown option ${JSON.stringify(key)}; valid options are ${allowed.join(', ')}`, { argument: key });
    }
  }
  return opts as Record<string, unknown>;
}

export function optBool(o: Record<string, unknown>, name: string, dflt: boolean): boolean {
  const v = o[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') fail(name, 'true or false', v);
  return v;
}

export function optNumber(o: Record<string, unknown>, name: string, dflt: number, lo: number, hi: number, loOpen: boolean, hiOpen: boolean): number {
  const v = o[name];
  if (v === undefined) return dflt;
  const range = `a number in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
  if (typeof v !== 'number' || Number.isNaN(v)) fail(name, range, v);
  if ((loOpen ? v <= lo : v < lo) || (hiOpen ? v >= hi : v > hi)) fail(name, range, v);
  return v;
}

export function optInt(o: Record<string, unknown>, name: string, dflt: number, lo: number, hi: number): number {
  const v = o[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(name, `an integer in [${lo}, ${hi}]`, v);
  return v;
}

export function optBackend(o: Record<string, unknown>): BackendChoice {
  const v = o.backend;
  if (v === undefined) return 'auto';
  if (v !== 'auto' && v !== 'wasm' && v !== 'js') fail('backend', `'auto', 'wasm' or 'js'`, v);
  return v;
}

export function optFunction<T>(o: Record<string, unknown>, name: string): T | undefined {
  const v = o[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'function') fail(name, 'a function', v);
  return v as T;
}

export function optSignal(o: Record<string, unknown>): AbortSignal | undefined {
  const v = o.signal as AbortSignal | undefined;
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || typeof v.aborted !== 'boolean') fail('signal', 'an AbortSignal', v);
  return v;
}

export const COMMON_OPTIONS = ['intercept', 'weights', 'backend', 'maxIter', 'tol', 'onProgress', 'signal'] as const;
