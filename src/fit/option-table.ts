// The numeric options of the fit functions, declared once: name, interval (each end open or
// closed), default. The table drives validation and the messages (readNumeric), and its defaults
// are the ones docs/api.md prints (test/api/api-docs.test.ts compares them).
import { readNumeric, type NumericOption } from '../data/options.js';

/** Default relative duality-gap tolerance of the L1 / quantile kernel. */
export const L1_DEFAULT_TOL = 1e-10;
/** Default budget of coordinate-descent sweeps + simplex pivots of the L1 / quantile kernel. */
export const L1_DEFAULT_MAXITER = 10000;
/** Default iteration cap of the IRLS losses (reweighting steps, each one weighted least-squares solve). */
export const IRLS_DEFAULT_MAXITER = 500;
/** Default tolerance: converged when the fitted values moved by at most tol × scale in one step. */
export const IRLS_DEFAULT_TOL = 1e-10;
/** Huber's tuning constant for 95% efficiency at the normal model (Huber 1981; Holland & Welsch 1977). */
export const HUBER_DEFAULT_DELTA = 1.345;
/** Default smooth-L1 epsilon, relative to 1.4826·MAD of the residuals of the least-squares start. */
export const SMOOTH_L1_DEFAULT_REL_EPSILON = 1e-3;

const INT_MAX = 2 ** 31 - 1;

/** Every numeric option of ols / lad / quantile / paths / huber / smoothL1 / GramAccumulator.solve. */
export const OPTION_TABLE = {
  ridge: { name: 'ridge', lo: 0, loOpen: false, hi: Infinity, hiOpen: true, default: 0 },
  lambda: { name: 'lambda', lo: 0, loOpen: false, hi: Infinity, hiOpen: true, default: 0 },
  /** ols: accepted for a uniform API; the direct solve needs no iterations. */
  l2MaxIter: { name: 'maxIter', integer: true, lo: 1, loOpen: false, hi: 1e9, hiOpen: false, default: 1 },
  /** ols: accepted for a uniform API (unused). */
  l2Tol: { name: 'tol', lo: 0, loOpen: false, hi: Infinity, hiOpen: true, default: 0 },
  l1MaxIter: { name: 'maxIter', integer: true, lo: 1, loOpen: false, hi: INT_MAX, hiOpen: false, default: L1_DEFAULT_MAXITER },
  l1Tol: { name: 'tol', lo: 0, loOpen: true, hi: 1, hiOpen: true, default: L1_DEFAULT_TOL },
  irlsMaxIter: { name: 'maxIter', integer: true, lo: 1, loOpen: false, hi: INT_MAX, hiOpen: false, default: IRLS_DEFAULT_MAXITER },
  irlsTol: { name: 'tol', lo: 0, loOpen: false, hi: 1, hiOpen: true, default: IRLS_DEFAULT_TOL },
  delta: { name: 'delta', lo: 0, loOpen: true, hi: Infinity, hiOpen: true, default: HUBER_DEFAULT_DELTA },
  /** Huber: a fixed scale; absent = estimated jointly (the kernel's 0). */
  scale: { name: 'scale', lo: 0, loOpen: true, hi: Infinity, hiOpen: true, default: 0 },
  /** smoothL1: an absolute epsilon; absent = SMOOTH_L1_DEFAULT_REL_EPSILON relative (the kernel's negative value). */
  epsilon: { name: 'epsilon', lo: 0, loOpen: true, hi: Infinity, hiOpen: true, default: -SMOOTH_L1_DEFAULT_REL_EPSILON },
} as const satisfies Record<string, NumericOption>;

/** Read option `key` of the table from `o` (its default when absent). */
export function opt(o: Record<string, unknown>, key: keyof typeof OPTION_TABLE): number {
  return readNumeric(o, OPTION_TABLE[key]);
}
