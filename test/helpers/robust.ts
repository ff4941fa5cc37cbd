// Shared helpers of the robust-loss test files (huber, smoothl1, lasso): the fixture data (scripts/
// huber-fixtures.py, loaded and sha256-checked by test/fixtures/huber/load.ts), the backends every
// comparison runs on, and small data transforms used by the weight and equivariance checks.
import { beforeAll } from 'vitest';
import { init } from '../../src/index.js';
import type { Data } from '../fixtures/huber/load.js';

export { LAD_OPTIMUM, cases, dataset, l1, residuals, type Case, type Data } from '../fixtures/huber/load.js';

/** The public backends every cross-check runs on. */
export const BACKENDS = ['wasm', 'js'] as const;

/** Register `await init()` before the file's tests. */
export function initBeforeAll(): void {
  beforeAll(async () => {
    await init();
  });
}

/** [intercept, b_1..b_p] of a result. */
export function all(r: { intercept: number; coef: ArrayLike<number> }): number[] {
  return [r.intercept, ...Array.from(r.coef)];
}

/** The dataset's weight column when `weighted`, else undefined. */
export function weightsIf(d: Data, weighted: unknown): number[] | undefined {
  return weighted ? d.w : undefined;
}

/** Options with `weighted: true` replaced by the dataset's weight column (explicit weights kept otherwise). */
export function withDataWeights<O extends { weights?: ArrayLike<number> }>(d: Data, o: O & { weighted?: boolean }): O {
  const { weighted, ...rest } = o;
  return { ...rest, weights: weighted ? d.w : rest.weights } as unknown as O;
}

/** Rows repeated w_i times (integer weights): the unweighted problem equal to the weighted one. */
export function duplicateRows(d: Data, w: readonly number[]): { X: number[][]; y: number[] } {
  const X: number[][] = [], y: number[] = [];
  for (let i = 0; i < d.n; i++) for (let k = 0; k < w[i]; k++) { X.push(d.X[i]); y.push(d.y[i]); }
  return { X, y };
}

/** y -> a·y + g0 + X·g (regression and scale equivariance checks). */
export function affineY(d: Data, a: number, g0: number, g: readonly number[]): number[] {
  return d.y.map((v, i) => a * v + g0 + d.X[i].reduce((s, x, j) => s + x * g[j], 0));
}

/** Standard normal draws (Box–Muller) from a uniform generator. */
export function normalFrom(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
}
