// The declarative option table (src/fit/option-table.ts): each row's interval drives the check and
// the message, and defaults lie inside their interval (scale and epsilon: the kernel's "estimate" /
// "relative" sentinels, documented as such).
import { describe, expect, it } from 'vitest';
import { describeRange, readNumeric } from '../../src/data/options.js';
import { OPTION_TABLE } from '../../src/fit/option-table.js';
import { RobustRegError } from '../../src/errors.js';

const SENTINELS = new Set(['scale', 'epsilon']);

describe('option table', () => {
  it('every default is inside its interval (or a named sentinel), and ends are checked as declared', () => {
    let rows = 0;
    for (const [key, spec] of Object.entries(OPTION_TABLE)) {
      rows++;
      expect(readNumeric({}, spec)).toBe(spec.default);
      if (!SENTINELS.has(key)) expect(readNumeric({ [spec.name]: spec.default }, spec), key).toBe(spec.default);
      const probe = (v: unknown) => {
        try {
          readNumeric({ [spec.name]: v }, spec);
          return 'ok';
        } catch (e) {
          expect(e).toBeInstanceOf(RobustRegError);
          expect((e as RobustRegError).message).toBe(`option ${spec.name} must be ${describeRange(spec)}, received ${String(v)}`);
          return (e as RobustRegError).code;
        }
      };
      if (Number.isFinite(spec.lo)) expect(probe(spec.lo), key).toBe(spec.loOpen ? 'INVALID_INPUT' : 'ok');
      if (Number.isFinite(spec.hi)) expect(probe(spec.hi), key).toBe(spec.hiOpen ? 'INVALID_INPUT' : 'ok');
      expect(probe(NaN), key).toBe('INVALID_INPUT');
      if ('integer' in spec && spec.integer) expect(probe(1.5), key).toBe('INVALID_INPUT');
    }
    expect(rows).toBe(Object.keys(OPTION_TABLE).length);
    expect(rows).toBeGreaterThanOrEqual(11);
  });

  it('messages state the interval with its open / closed ends', () => {
    expect(describeRange(OPTION_TABLE.l1Tol)).toBe('a number in (0, 1)');
    expect(describeRange(OPTION_TABLE.irlsTol)).toBe('a number in [0, 1)');
    expect(describeRange(OPTION_TABLE.ridge)).toBe('a number in [0, Infinity)');
    expect(describeRange(OPTION_TABLE.l1MaxIter)).toBe('an integer in [1, 2147483647]');
  });
});
