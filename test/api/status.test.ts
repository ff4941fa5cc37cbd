// The one kernel-status table (src/fit/status.ts): every code the kernels can return has one outcome
// per use, the result statuses are the ones each use's TypeScript type promises, and errors are typed.
import { describe, expect, it } from 'vitest';
import * as S from '../../src/abi/status.js';
import { RobustRegError } from '../../src/errors.js';
import { STATUS_TABLE, kernelOutcome, type KernelUse } from '../../src/fit/status.js';

const CODES = Object.entries(S).filter(([k]) => k.startsWith('STATUS_')) as [string, number][];
const RESULT_STATUSES: Record<KernelUse, string[]> = {
  l2: ['solved'], gram: ['solved'], moments: ['solved'],
  l1: ['optimal', 'max-iterations'],
  irls: ['converged', 'max-iterations', 'stalled'],
};

function outcome(use: KernelUse, code: number): string {
  try {
    return `status ${kernelOutcome(use, 'f', code, () => new RobustRegError('RANK_DEFICIENT', 'f: rank', {}))}`;
  } catch (e) {
    expect(e).toBeInstanceOf(RobustRegError);
    return `error ${(e as RobustRegError).code}`;
  }
}

describe('kernel status table', () => {
  it('maps every status code, for every use, to a promised result status or a typed error', () => {
    expect(CODES.map(([, v]) => v).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    let checked = 0;
    for (const use of Object.keys(STATUS_TABLE) as KernelUse[]) {
      for (const [, code] of [...CODES, ['unknown', 99] as [string, number]]) {
        const o = outcome(use, code);
        if (o.startsWith('status ')) expect(RESULT_STATUSES[use]).toContain(o.slice(7));
        checked++;
      }
    }
    expect(checked).toBe(5 * 7);
  });

  it('the rows the fit functions rely on', () => {
    const rows = (use: KernelUse) => CODES.map(([name, v]) => `${name}: ${outcome(use, v)}`);
    expect(rows('l1')).toEqual([
      'STATUS_OK: status optimal', 'STATUS_MAXITER: status max-iterations', 'STATUS_RANK_DEFICIENT: error RANK_DEFICIENT',
      'STATUS_CANCELLED: error CANCELLED', 'STATUS_NUMERICAL: error NUMERICAL', 'STATUS_STALLED: error INTERNAL',
    ]);
    expect(rows('irls')).toEqual([
      'STATUS_OK: status converged', 'STATUS_MAXITER: status max-iterations', 'STATUS_RANK_DEFICIENT: error RANK_DEFICIENT',
      'STATUS_CANCELLED: error CANCELLED', 'STATUS_NUMERICAL: error NUMERICAL', 'STATUS_STALLED: status stalled',
    ]);
    // The accumulator solves on finite statistics: a breakdown is an overflow (NON_FINITE), and a
    // cancel cannot happen (no hook), so it is INTERNAL.
    expect(rows('gram')).toEqual([
      'STATUS_OK: status solved', 'STATUS_MAXITER: status solved', 'STATUS_RANK_DEFICIENT: error RANK_DEFICIENT',
      'STATUS_CANCELLED: error INTERNAL', 'STATUS_NUMERICAL: error NON_FINITE', 'STATUS_STALLED: error INTERNAL',
    ]);
    expect(outcome('moments', S.STATUS_OK)).toBe('status solved');
    for (const [, v] of CODES.filter(([, v]) => v !== S.STATUS_OK)) expect(outcome('moments', v)).toBe('error NON_FINITE');
  });
});
