// Fuzzing (fast-check, seeded, shrinking): random shapes (n < p included), values (tiny, huge,
// ties, duplicates, integers, constant columns, ±0), weights (zeros, huge ratios), every loss and
// option combination, both backends. Each case ends in a result that passes its own certificate with
// finite numbers, or a typed RobustRegError — never a trap, a RangeError, NaN, or a hang.
// CI runs FUZZ_RUNS (default 2,000); `npm run fuzz` runs 100,000.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { RobustRegError, init } from '../../src/index.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
/** Largest share of cases that may end in a typed refusal: 664 of 2,000 (33%) at the default seed
 *  (INVALID_INPUT 282, RANK_DEFICIENT 362, NUMERICAL 20; 2026-12-06), so 40% leaves room for other seeds. */
const REFUSAL_CAP = 0.4;
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

const value = fc.oneof(
  // fast-check's doubles reach deep into subnormals; keep |v| ≥ 1e-12 there (known limits: test/fuzz-regressions below) (the tiny constants below cover the rest)
  { weight: 6, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }).map((v) => (Math.abs(v) < 1e-12 ? 0 : v)) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-300, -1e-300, 1e12, -1e12, 1e-12, 3.5) },
  { weight: 1, arbitrary: fc.double({ min: -1e8, max: 1e8, noNaN: true }).map((v) => (Math.abs(v) < 1e-12 ? 0 : v)) },
);

const caseArb = fc
  .record({
    n: fc.integer({ min: 0, max: 40 }),
    p: fc.integer({ min: 0, max: 6 }),
    loss: fc.constantFrom('l2', 'l1', 'quantile', ...(typeof (api as Record<string, unknown>).huber === 'function' ? ['huber', 'smooth-l1'] : [])),
    backend: fc.constantFrom('wasm', 'js'),
    intercept: fc.boolean(),
    weighted: fc.boolean(),
    tau: fc.constantFrom(0.05, 0.25, 0.5, 0.9),
    ridge: fc.constantFrom(0, 0, 1e-3, 10),
    lambda: fc.constantFrom(0, 0, 0.5),
    constantCol: fc.boolean(),
    dupRows: fc.boolean(),
    seedVals: fc.array(value, { minLength: 300, maxLength: 300 }),
    wVals: fc.array(fc.constantFrom(0, 1, 1, 2, 1e-6, 1e6), { minLength: 40, maxLength: 40 }),
  })
  .map((c) => {
    let k = 0;
    const next = () => c.seedVals[k++ % c.seedVals.length];
    const X = Array.from({ length: c.n }, () => Array.from({ length: c.p }, next));
    if (c.constantCol && c.p > 0) for (const r of X) r[0] = 2;
    if (c.dupRows && c.n > 3) X[c.n - 1] = [...X[0]];
    const y = Array.from({ length: c.n }, next);
    const weights = c.weighted ? c.wVals.slice(0, c.n) : undefined;
    return { ...c, X, y, weights };
  });

type Case = ReturnType<typeof caseArb.generate> extends { value: infer V } ? V : never;

function options(c: Case): Record<string, unknown> {
  const o: Record<string, unknown> = { loss: c.loss, backend: c.backend, intercept: c.intercept };
  if (c.weights) o.weights = c.weights;
  if (c.loss === 'quantile') o.tau = c.tau;
  if ((c.loss === 'l1' || c.loss === 'quantile') && c.lambda) o.lambda = c.lambda;
  if ((c.loss === 'l2' || c.loss === 'huber' || c.loss === 'smooth-l1') && c.ridge) o.ridge = c.ridge;
  return o;
}

/** Checks one case; returns the error code of a typed refusal, or null when a fit was returned and checked. */
function check(c: Case): string | null {
  let r: api.FitResult;
  try {
    r = api.fit(c.X, c.y, options(c) as never);
  } catch (e) {
    if (e instanceof RobustRegError && e.code !== 'INTERNAL') return e.code; // a typed, explained refusal
    throw e;
  }
  expect(Number.isFinite(r.intercept), 'finite intercept').toBe(true);
  for (const b of r.coef) expect(Number.isFinite(b), 'finite coef').toBe(true);
  expect(Number.isFinite(r.objective), 'finite objective').toBe(true);
  expect(r.objective).toBeGreaterThanOrEqual(0);
  if (c.loss === 'l1' || c.loss === 'quantile') {
    expect(r.converged, `certified (status ${r.status})`).toBe(true);
    const { primal, dual, gap } = r.certificate!;
    expect(Number.isFinite(primal) && Number.isFinite(dual) && Number.isFinite(gap)).toBe(true);
    // the kernel certifies gap ≤ tol·max(1,|F|) plus a floor for the rounding error of evaluating F itself,
    // capped at 1e-6·F (reached only on data mixing ~1e-12 and ~1e12 magnitudes; ~1e-14·F on ordinary data)
    expect(Math.abs(gap)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(primal)));
  }
  if (c.loss === 'l2') {
    // normal equations (the L2 certificate): X^T W r = ridge·b up to a normwise backward error —
    // what a backward-stable solver guarantees: |g_j − ridge·b_j| ≤ c·ε·||A_j||·(||√W y|| + ||√W A||_F·||b||)
    // over the design A (with the intercept column); elementwise bounds are not attainable (a 1e-12
    // entry next to 1e12 ones in a column is below the resolution of any float64 solver).
    const n = c.X.length;
    const w = c.weights ?? new Array(n).fill(1);
    const r0 = c.y.map((yi, i) => yi - r.intercept - c.X[i].reduce((s, v, j) => s + v * r.coef[j], 0));
    const cols = c.p + (c.intercept ? 1 : 0);
    const col = (i: number, j: number) => (c.intercept ? (j === 0 ? 1 : c.X[i][j - 1]) : c.X[i][j]);
    let normA = 0, normY = 0, normB = r.intercept ** 2;
    for (let i = 0; i < n; i++) {
      normY += w[i] * c.y[i] ** 2;
      for (let j = 0; j < cols; j++) normA += w[i] * col(i, j) ** 2;
    }
    for (const b of r.coef) normB += b * b;
    normA = Math.sqrt(normA);
    const bound = Math.sqrt(normY) + normA * Math.sqrt(normB);
    for (let j = 0; j < cols; j++) {
      let g = 0, colNorm = 0;
      for (let i = 0; i < n; i++) {
        g += w[i] * col(i, j) * r0[i];
        colNorm += w[i] * col(i, j) ** 2;
      }
      const pen = c.ridge && (!c.intercept || j > 0) ? c.ridge * r.coef[c.intercept ? j - 1 : j] : 0;
      const tol = 1e-10 * (Math.sqrt(colNorm) * bound + Math.abs(pen)) + 1e-280;
      // (0·∞ when a legitimately huge coefficient meets a zero norm: no finite bound to check)
      expect(Math.abs(g - pen), `normal equation ${j}`).toBeLessThanOrEqual(Number.isNaN(tol) ? Infinity : tol);
    }
  }
  return null;
}

beforeAll(async () => {
  await init();
});

describe('fuzz', () => {
  it(`${RUNS} random cases end certified or in a typed error (seed ${SEED})`, () => {
    let count = 0;
    const refused = new Map<string, number>();
    fc.assert(fc.property(caseArb, (c) => {
      count++;
      const code = check(c);
      if (code !== null) refused.set(code, (refused.get(code) ?? 0) + 1);
    }), { numRuns: RUNS, seed: SEED, endOnFailure: false });
    const nRefused = [...refused.values()].reduce((a, b) => a + b, 0);
    console.log(`fuzz: ${count} cases, seed ${SEED}; refused ${nRefused} (${[...refused].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`);
    // A typed refusal is a pass only in moderation: a generator (or a regression) that makes most
    // inputs fail validation would otherwise test nothing. Measured: see the cap's commit message.
    expect(count).toBe(RUNS);
    expect(nRefused / count, 'share of cases refused with a typed error').toBeLessThanOrEqual(REFUSAL_CAP);
  });
});
