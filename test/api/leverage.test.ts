// hatValues: the public leverages (QR path) — agreement with the textbook a_i'(A'A)^-1 a_i on small
// designs, trace = k, typed refusals.
import { describe, expect, it } from 'vitest';
import { hatValues, RobustRegError } from '../../src/index.js';

/** a_i'(A'A)^-1 a_i by Gauss-Jordan on the Gram matrix (the reference; fine for tiny designs). */
function reference(X: number[][], intercept: boolean): number[] {
  const rows = X.map((r) => (intercept ? [1, ...r] : r));
  const k = rows[0].length;
  const A = Array.from({ length: k }, (_, a) => Array.from({ length: 2 * k }, (_, b) => (b === k + a ? 1 : 0)));
  for (const r of rows) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) A[a][b] += r[a] * r[b];
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    const s = A[c][c];
    for (let b = 0; b < 2 * k; b++) A[c][b] /= s;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r][c];
      for (let b = 0; b < 2 * k; b++) A[r][b] -= f * A[c][b];
    }
  }
  return rows.map((r) => {
    let s = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s += r[a] * A[a][k + b] * r[b];
    return s;
  });
}

describe('hatValues', () => {
  it('agrees with a_i\'(A\'A)^-1 a_i and sums to k', () => {
    let compared = 0;
    let s = 7;
    const rnd = (): number => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
    for (const [n, p] of [[5, 1], [12, 3], [40, 4], [100, 2]]) {
      const X = Array.from({ length: n }, () => Array.from({ length: p }, () => rnd() * 10 - 5));
      for (const intercept of [true, false]) {
        const h = hatValues(X, { intercept });
        const ref = reference(X, intercept);
        expect(h.length).toBe(n);
        for (let i = 0; i < n; i++) {
          expect(Math.abs(h[i] - ref[i])).toBeLessThan(1e-12);
          expect(h[i]).toBeGreaterThanOrEqual(0);
          expect(h[i]).toBeLessThanOrEqual(1 + 1e-12);
          compared++;
        }
        expect(Math.abs(h.reduce((a, b) => a + b, 0) - (p + (intercept ? 1 : 0)))).toBeLessThan(1e-12);
      }
    }
    expect(compared).toBe(2 * (5 + 12 + 40 + 100));
  });

  it('matrix inputs give the same values as arrays of rows', () => {
    const X = [[1, 2], [3, 1], [0, 5], [2, 2], [7, 1]];
    const rowMajor = hatValues({ data: Float64Array.from(X.flat()), rows: 5, cols: 2, layout: 'row-major' });
    expect(Array.from(rowMajor)).toEqual(Array.from(hatValues(X)));
  });

  it('refuses bad input with typed errors', () => {
    const code = (f: () => unknown): string => {
      try { f(); } catch (e) { return e instanceof RobustRegError ? e.code : 'untyped'; }
      return 'no error';
    };
    expect(code(() => hatValues([[1], [1], [1]]))).toBe('RANK_DEFICIENT');
    expect(code(() => hatValues([[1], [2]], { intercept: false, foo: 1 } as never))).toBe('INVALID_INPUT');
    expect(code(() => hatValues([[1], [2]], { intercept: 'yes' } as never))).toBe('INVALID_INPUT');
    expect(code(() => hatValues([[1], [Number.NaN]]))).toBe('NON_FINITE');
    expect(code(() => hatValues('x' as never))).toBe('INVALID_INPUT');
    expect(code(() => hatValues([[], []], { intercept: false }))).toBe('INVALID_INPUT');
  });
});
