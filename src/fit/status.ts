// The one table from a kernel's status code to what the caller sees: a result status
// (FitResult.status) or a typed RobustRegError. Every fit front-end (ols, lad / quantile and their
// paths, huber / smoothL1, GramAccumulator) reads its kernel's status through kernelOutcome(); no
// other host file compares status codes.
import {
  STATUS_CANCELLED, STATUS_MAXITER, STATUS_NUMERICAL, STATUS_OK, STATUS_RANK_DEFICIENT, STATUS_STALLED,
} from '../abi/status.js';
import { RobustRegError, type ErrorCode } from '../errors.js';

/** FitResult.status: how the returned fit ended. */
export type FitStatus =
  /** l1 / quantile: certified optimal (duality gap within tol). */
  | 'optimal'
  /** l2: direct solve. */
  | 'solved'
  /** huber / smooth-l1: converged. */
  | 'converged'
  /** The iteration cap was reached; the best iterate is returned. */
  | 'max-iterations'
  /** huber / smooth-l1: a weighted least-squares step failed (extreme weights); the last good iterate is returned. */
  | 'stalled';

/** Which kernel was called, and for what: the same code can mean different things to different callers. */
export type KernelUse =
  /** l2_fit on the caller's data (ols, fit loss 'l2'). */
  | 'l2'
  /** l1_fit (lad, quantile, paths). */
  | 'l1'
  /** irls_fit (huber, smoothL1). */
  | 'irls'
  /** l2_fit on the streaming accumulator's finite sufficient statistics (GramAccumulator.solve). */
  | 'gram'
  /** moments on one chunk (GramAccumulator.add). */
  | 'moments';

/** The result statuses each use can produce (the table's rows; test/estimators/status.test.ts checks). */
export type StatusOf<U extends KernelUse> =
  U extends 'l1' ? 'optimal' | 'max-iterations'
  : U extends 'irls' ? 'converged' | 'max-iterations' | 'stalled'
  : 'solved';

type Outcome = FitStatus | 'rank-deficient' | 'cancelled' | { code: ErrorCode; message: string };

const NUMERICAL: Outcome = {
  code: 'NUMERICAL',
  message: 'the data span a range that float64 arithmetic cannot solve to a certified answer (e.g. values near the overflow limit, or an optimum needing coefficients whose products cancel far beyond double precision); rescale X and y',
};

/** Rows: kernel use → status code → outcome. A code missing from a row is an INTERNAL error. */
export const STATUS_TABLE: Readonly<Record<KernelUse, Readonly<Record<number, Outcome>>>> = {
  l2: {
    [STATUS_OK]: 'solved',
    [STATUS_MAXITER]: 'solved', // refinement budget spent: the solve itself is complete
    [STATUS_RANK_DEFICIENT]: 'rank-deficient',
    [STATUS_CANCELLED]: 'cancelled',
    [STATUS_NUMERICAL]: NUMERICAL,
  },
  l1: {
    [STATUS_OK]: 'optimal',
    [STATUS_MAXITER]: 'max-iterations',
    [STATUS_RANK_DEFICIENT]: 'rank-deficient',
    [STATUS_CANCELLED]: 'cancelled',
    [STATUS_NUMERICAL]: NUMERICAL,
  },
  irls: {
    [STATUS_OK]: 'converged',
    [STATUS_MAXITER]: 'max-iterations',
    [STATUS_STALLED]: 'stalled',
    [STATUS_RANK_DEFICIENT]: 'rank-deficient',
    [STATUS_CANCELLED]: 'cancelled',
    [STATUS_NUMERICAL]: NUMERICAL,
  },
  gram: {
    [STATUS_OK]: 'solved',
    [STATUS_MAXITER]: 'solved',
    [STATUS_RANK_DEFICIENT]: 'rank-deficient',
    // The statistics are finite, so a breakdown here is an overflow of the fit itself.
    [STATUS_NUMERICAL]: {
      code: 'NON_FINITE',
      message: 'the fit overflows double precision (the residual sum of squares or a coefficient is not representable); rescale the data',
    },
  },
  moments: {
    [STATUS_OK]: 'solved',
    [STATUS_NUMERICAL]: {
      code: 'NON_FINITE',
      message: "the chunk's co-moments overflow double precision (values or weights too large); rescale the data",
    },
  },
};

/** The error of a cancelled fit (options.signal aborted, before or during the kernel call). */
export function cancelled(fn: string): RobustRegError {
  return new RobustRegError('CANCELLED', `${fn}: the fit was cancelled through options.signal`, {});
}

/**
 * The result status for a kernel's `status`, or throws the typed error the table names.
 * `rankError` builds the RANK_DEFICIENT error (it needs the kernel's flags region); uses whose row
 * has no rank-deficient outcome (moments) pass none.
 */
export function kernelOutcome<U extends KernelUse>(use: U, fn: string, status: number, rankError?: () => RobustRegError): StatusOf<U> {
  const o = STATUS_TABLE[use][status];
  if (o === undefined) {
    const msg = use === 'gram'
      ? `${fn}: the l2 kernel returned status ${status} on finite statistics; please report this input`
      : use === 'moments'
        ? `${fn}: ${(STATUS_TABLE.moments[STATUS_NUMERICAL] as { message: string }).message}`
        : `${fn}: kernel returned unknown status ${status}`;
    throw new RobustRegError(use === 'moments' ? 'NON_FINITE' : 'INTERNAL', msg, {});
  }
  if (o === 'rank-deficient') throw rankError ? rankError() : new RobustRegError('INTERNAL', `${fn}: rank deficiency reported without its columns`, {});
  if (o === 'cancelled') throw cancelled(fn);
  if (typeof o === 'object') throw new RobustRegError(o.code, `${fn}: ${o.message}`, {});
  return o as StatusOf<U>;
}

/** RANK_DEFICIENT naming the aliased columns (flags[j] ≠ 0) and, when too few, the positive-weight rows. */
export function rankDeficient(fn: string, flags: Int32Array, p: number, intercept: boolean, nPos: number, ridgeHint: boolean): RobustRegError {
  const cols: number[] = [];
  for (let j = 0; j < p; j++) if (flags[j] !== 0) cols.push(j);
  const params = p + (intercept ? 1 : 0);
  const what = cols.length
    ? `column${cols.length > 1 ? 's' : ''} ${cols.join(', ')} of X ${cols.length > 1 ? 'are' : 'is'} constant, zero, or a linear combination of earlier columns${intercept ? ' and the intercept' : ''}`
    : `the design is rank deficient`;
  const small = nPos < params ? ` (only ${nPos} observation${nPos === 1 ? '' : 's'} with positive weight for ${params} coefficients)` : '';
  return new RobustRegError('RANK_DEFICIENT', `${fn}: ${what}${small}; remove ${cols.length > 1 ? 'them' : 'it'}${ridgeHint ? ' or pass ridge > 0' : ''}`, { columns: cols, observations: nPos, parameters: params });
}
