// Shared by test/threads/robust-threads.test.ts and robust-chunks.test.ts: data for MM / LTS above the
// row-chunk size of their full-data passes, and the bits of a result to compare.
import { expect } from 'vitest';
import type { LtsResult, MMResult } from '../../src/index.js';
import { rng } from './close.js';
import { normalFrom } from './robust.js';

/** n x p Gaussian design, y = 2 + sum (j - 1) x_j + N(0, 1), 10% of rows bad leverage points. */
export function robustData(n: number, p: number, seed: number) {
  const rand = rng(seed);
  const normal = normalFrom(rand);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const bad = rand() < 0.1;
    let f = 2;
    for (let j = 0; j < p; j++) {
      const v = normal() * 3 + 1 + j + (bad ? 10 : 0);
      X[i * p + j] = v;
      f += v * (j - 1);
    }
    y[i] = bad ? -20 + normal() : f + normal();
  }
  return { X: { data: X, rows: n, cols: p }, y };
}

function count(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** Coefficients, objective, iterations, scales, the raw fit and the number of flagged rows. */
export function ltsBits(r: LtsResult): number[] {
  return [r.intercept, ...r.coef, r.objective, r.iterations, r.scale, r.raw.intercept, ...r.raw.coef, r.raw.scale, r.h, count(r.outliers)];
}

/** Coefficients, objective, iterations, the S-scale and -estimate, and the weights' sum. */
export function mmBits(r: MMResult): number[] {
  return [r.intercept, ...r.coef, r.objective, r.iterations, r.scale, r.init.intercept, ...r.init.coef, r.init.scale, count(r.weights), count(r.outliers)];
}

export function same(a: number[], b: number[], what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let k = 0; k < a.length; k++) expect(Object.is(a[k], b[k]), `${what} [${k}]: ${a[k]} vs ${b[k]}`).toBe(true);
}
