// Leverages (hat values) of a design: the public face of linalg's QR-path leverages.
import { RobustRegError } from '../errors.js';
import { readXHost, type XInput } from '../data/input.js';
import { checkOptionsObject, optBool } from '../data/options.js';
import { leverages } from '../linalg/dense.js';

export interface HatValuesOptions {
  /** Include the intercept column of ones (default true), as the fits do. */
  intercept?: boolean;
}

const HAT_OPTIONS = ['intercept'] as const;

/**
 * Hat values h_i = a_i'(A'A)⁻¹a_i of the design A = [1, X] (or X without intercept): the diagonal of
 * the hat matrix, each in [0, 1], summing to the number of coefficients. Computed from a Householder
 * QR of A (h_i = ‖row i of A R⁻¹‖²), never from A'A. Rows with h_i above ~2k/n are leverage points:
 * outlying in x, where L1 and Huber fits offer no protection (use mm or lts). Throws RANK_DEFICIENT
 * for a singular design, NON_FINITE for a NaN or infinite entry, INVALID_INPUT for a bad X or option.
 */
export function hatValues(X: XInput, options?: HatValuesOptions): Float64Array {
  const fn = 'hatValues';
  const o = checkOptionsObject(options, HAT_OPTIONS, fn);
  const intercept = optBool(o, 'intercept', true);
  const r = readXHost(X);
  const k = r.p + (intercept ? 1 : 0);
  if (k === 0) throw new RobustRegError('INVALID_INPUT', `${fn}: the design has no columns (X has no columns and intercept is false)`, { argument: 'X' });
  const a = new Float64Array(r.n * k);
  if (intercept) a.fill(1, 0, r.n);
  a.set(r.X, intercept ? r.n : 0);
  return leverages({ n: r.n, k, a }, fn);
}
