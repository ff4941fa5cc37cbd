// Option validation: every option is checked by name, unknown names are rejected (a typo must not be
// silently ignored), and messages name the option, the valid range and the value received.
import type { BackendChoice } from '../backend/runtime.js';
import { RobustRegError, describe } from '../errors.js';

export type Loss = 'l2' | 'l1' | 'quantile' | 'huber' | 'smooth-l1' | 'mm' | 'lts';
export type { BackendChoice };

export interface Progress {
  /** Iterations so far (CD sweeps + simplex pivots for L1/quantile; IRLS steps for Huber/smooth-L1). */
  iteration: number;
  /** Current objective value. */
  objective: number;
  /** Current duality gap when known (L1/quantile finish phase), else NaN. */
  gap: number;
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

/** A numeric option: its name, the interval [lo, hi] with each end open or closed, its default. */
export interface NumericOption {
  readonly name: string;
  /** Integers only (the interval is then closed at both ends). */
  readonly integer?: boolean;
  readonly lo: number;
  readonly loOpen: boolean;
  readonly hi: number;
  readonly hiOpen: boolean;
  readonly default: number;
}

/** 'a number in (0, 1)', 'an integer in [1, 10000]': the range as error messages state it. */
export function describeRange(spec: NumericOption): string {
  return spec.integer
    ? `an integer in [${spec.lo}, ${spec.hi}]`
    : `a number in ${spec.loOpen ? '(' : '['}${spec.lo}, ${spec.hi}${spec.hiOpen ? ')' : ']'}`;
}

/** The value of a numeric option (its default when absent), or INVALID_INPUT naming option, range and value. */
export function readNumeric(o: Record<string, unknown>, spec: NumericOption): number {
  const v = o[spec.name];
  if (v === undefined) return spec.default;
  if (typeof v !== 'number' || Number.isNaN(v)) fail(spec.name, describeRange(spec), v);
  if (spec.integer && !Number.isInteger(v)) fail(spec.name, describeRange(spec), v);
  if ((spec.loOpen ? v <= spec.lo : v < spec.lo) || (spec.hiOpen ? v >= spec.hi : v > spec.hi)) fail(spec.name, describeRange(spec), v);
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

export const COMMON_OPTIONS = ['intercept', 'weights', 'backend', 'maxIter', 'tol', 'onProgress', 'signal', 'threads'] as const;
