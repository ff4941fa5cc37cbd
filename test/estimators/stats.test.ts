import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, lad, median, quantile, weightedMedian, weightedQuantile } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

describe('median / weightedMedian / weightedQuantile', () => {
  it('classic values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // the midpoint of the two middle values must not overflow
    expect(median([-1.7e308, 1.7e308])).toBe(0);
    expect(median([1.7e308, 1.5e308])).toBe(1.6e308);
    expect(weightedMedian([-1.7e308, 1.7e308], [1, 1])).toBe(0);
    expect(weightedMedian([1, 2, 3, 4], [1, 1, 1, 1])).toBe(2.5);
    expect(weightedMedian([1, 2, 3], [1, 1, 5])).toBe(3);
    expect(weightedQuantile([1, 2, 3, 4], [1, 1, 1, 1], 0.25)).toBe(1);
    expect(weightedQuantile([1, 2, 3, 4], [1, 1, 1, 1], 0.26)).toBe(2);
    expect(weightedQuantile([5, 1, 9], [0, 1, 1], 0.5)).toBe(1);
  });
  it('errors are typed', () => {
    expect(() => median([])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => median([1, NaN])).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => weightedQuantile([1], [1], 1)).toThrow(/tau/);
    expect(() => weightedMedian([1, 2], [1])).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    expect(() => weightedMedian([1, 2], [-1, 2])).toThrow(/non-negative/);
  });
  it('the constant-only L1/quantile fit attains the same objective (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 30 }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 30, maxLength: 30 }),
      fc.constantFrom(0.1, 0.3, 0.5, 0.8),
      (xs, ws0, tau) => {
        const ws = ws0.slice(0, xs.length);
        if (ws.every((w): boolean => w === 0)) ws[0] = 1;
        const q = weightedQuantile(xs, ws, tau);
        const obj = (m: number) => xs.reduce((s, x, i) => s + ws[i] * (x - m) * (tau - (x - m < 0 ? 1 : 0)), 0);
        const fitObj = quantile(xs.map(() => []), xs, { tau, weights: ws }).objective;
        expect(Math.abs(obj(q) - fitObj)).toBeLessThanOrEqual(1e-9 * Math.max(1, fitObj));
        const m = weightedMedian(xs, ws);
        const l1 = (c: number) => xs.reduce((s, x, i) => s + ws[i] * Math.abs(x - c), 0);
        expect(Math.abs(l1(m) - lad(xs.map(() => []), xs, { weights: ws }).objective)).toBeLessThanOrEqual(1e-9 * Math.max(1, l1(m)));
      }), { numRuns: 200, seed: 7 });
  });
});
