// The globbing path of the L1 / quantile kernel (Portnoy–Koenker preprocessing, assembly/l1-glob.ts
// "Globbing"), forced on small data through the internal l1_glob(minRows, baseRows) threshold so CI
// exercises it: the same certified optimum as the plain solve, on every backend, bit-identical between
// the WASM kernel and the TS twin; fix-ups (globbed rows found on the wrong side) and band doubling
// driven by bad warm starts; degenerate data (ties, integer y, duplicated rows, zero weights),
// pseudo-rows (lasso) and extreme tau.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFO_GAP, INFO_GLOB_FIXUPS, INFO_GLOB_ROUNDS, INFO_LEN, INFO_OBJECTIVE, INFO_PRIMAL } from '../../src/abi/info.js';
import { STATUS_OK } from '../../src/abi/status.js';
import { globFit, l1Objective as objective, type L1Problem, type L1Run } from '../helpers/l1-problem.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { expectRel, rng } from '../helpers/close.js';

type Problem = L1Problem;
type Run = L1Run;

const TOL = 1e-10;
/** Glob settings: [minRows, baseRows]; OFF = never glob at these sizes. */
const FORCE: [number, number] = [1, 40];
const OFF: [number, number] = [1 << 30, 0];

function fit(tb: TestBackend, pr: Problem, tau: number, glob: [number, number], start?: ArrayLike<number>, maxIter = 100_000): Run {
  return globFit(tb, pr, tau, glob, start, maxIter, TOL);
}

/** Gaussian design, t_2-like noise with 10% gross outliers (the benchmark's data, small). */
function heavy(seed: number, n: number, p: number, opts: { ties?: boolean; dup?: boolean; zeroW?: boolean } = {}): Problem {
  const u = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let k = 0; k < n * p; k++) X[k] = opts.ties ? Math.round(2 * normal()) : normal();
  for (let i = 0; i < n; i++) {
    let lin = 1;
    for (let j = 0; j < p; j++) lin += X[j * n + i] * (j % 3 === 0 ? 2 : -0.5);
    let e = normal() / Math.sqrt((normal() ** 2 + normal() ** 2) / 2);
    if (u() < 0.1) e += 20 + 10 * Math.abs(normal());
    y[i] = opts.ties ? Math.round(lin + e) : lin + e;
  }
  if (opts.dup) {
    // every other block of rows duplicates the block before it
    for (let i = 50; i < n; i += 100) for (let k = 0; k < 50 && i + k < n; k++) {
      y[i + k] = y[i + k - 50];
      for (let j = 0; j < p; j++) X[j * n + i + k] = X[j * n + i + k - 50];
    }
  }
  const pr: Problem = { n, p, X, y };
  if (opts.zeroW) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = u() < 0.2 ? 0 : 0.25 + 2 * u();
    pr.w = w;
  }
  return pr;
}

let backends: TestBackend[];
/** wasm-release, wasm-debug and js: each per-backend loop counts its backends and must reach all three. */
const BACKEND_COUNT = 3;
beforeAll(async () => { backends = await allBackends(); });
afterAll(() => { for (const tb of backends ?? []) tb.backend.kernels.l1_glob(0, 0); });

function checkAgainstPlain(tb: TestBackend, pr: Problem, tau: number, start?: ArrayLike<number>): Run {
  const plain = fit(tb, pr, tau, OFF);
  const glob = fit(tb, pr, tau, FORCE, start);
  expect(plain.status).toBe(STATUS_OK);
  expect(plain.info[INFO_GLOB_ROUNDS]).toBe(0);
  expect(glob.status).toBe(STATUS_OK);
  expect(glob.info[INFO_GLOB_ROUNDS], `${tb.label} n=${pr.n} p=${pr.p} tau=${tau}`).toBeGreaterThan(0);
  const f = objective(pr, glob.coef, tau);
  expectRel(f, glob.info[INFO_PRIMAL], 1e-12, 'reported primal vs recomputed');
  expectRel(glob.info[INFO_OBJECTIVE], plain.info[INFO_OBJECTIVE], 1e-9, 'globbed vs plain optimum');
  expect(glob.info[INFO_GAP]).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(glob.info[INFO_PRIMAL])) * 1.0001 + 1e-12);
  return glob;
}

describe('globbing (forced on small data)', () => {
  it('reaches the plain solve\'s certified optimum on heavy-tailed data, several n, p, tau', () => {
    let compared = 0;
    for (const tb of backends) {
      for (const [seed, n, p, tau] of [[1, 3000, 3, 0.5], [2, 5000, 8, 0.5], [3, 4000, 5, 0.1], [4, 4000, 5, 0.9], [5, 6000, 12, 0.3]] as const) {
        checkAgainstPlain(tb, heavy(seed, n, p), tau);
        compared++;
      }
    }
    expect(compared).toBe(BACKEND_COUNT * 5);
  });

  it('is bit-identical between the WASM kernel and the TS twin', () => {
    const rel = backends.find((b) => b.label === 'wasm-release')!;
    const js = backends.find((b) => b.label === 'js')!;
    const cases = [
      [11, 4000, 6, 0.5, {}], [12, 3000, 4, 0.25, { ties: true }], [13, 3000, 5, 0.5, { zeroW: true }],
      [14, 3000, 3, 0.7, { dup: true }],
    ] as const;
    let compared = 0;
    for (const [seed, n, p, tau, o] of cases) {
      const pr = heavy(seed, n, p, o);
      const a = fit(rel, pr, tau, FORCE), b = fit(js, pr, tau, FORCE);
      expect(a.status).toBe(STATUS_OK);
      expect(a.info[INFO_GLOB_ROUNDS]).toBeGreaterThan(0);
      expect(b.status).toBe(a.status);
      for (let j = 0; j <= p; j++) { expect(Object.is(a.coef[j], b.coef[j]), `coef[${j}]`).toBe(true); compared++; }
      for (let k = 0; k < INFO_LEN; k++) { expect(Object.is(a.info[k], b.info[k]), `info[${k}]`).toBe(true); compared++; }
    }
    // every coefficient (intercept + p) and every info slot of every case
    expect(compared).toBe(cases.reduce((t, c) => t + c[2] + 1 + INFO_LEN, 0));
  });

  it('fixes up globbed rows on the wrong side (bad warm start), and doubles the band when many are', () => {
    let compared = 0;
    for (const tb of backends) {
      const pr = heavy(21, 4000, 4);
      const plain = fit(tb, pr, 0.5, OFF);
      // slightly off: a few rows near the band's edges change side -> fix-ups
      const near = Float64Array.from(plain.coef, (v, j) => v + (j === 1 ? 0.05 : 0));
      const a = checkAgainstPlain(tb, pr, 0.5, near);
      // far off (a steep wrong slope): the band drawn around it misses the optimum -> many violators
      const far = Float64Array.from(plain.coef, (v, j) => v + (j === 2 ? 3 : 0));
      const b = checkAgainstPlain(tb, pr, 0.5, far);
      expect(a.info[INFO_GLOB_FIXUPS] + b.info[INFO_GLOB_FIXUPS]).toBeGreaterThan(0);
      expect(b.info[INFO_GLOB_FIXUPS]).toBeGreaterThan(0);
      expect(b.info[INFO_GLOB_ROUNDS]).toBeGreaterThan(1);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('a warm start at the optimum needs no simplex pivots on the full data', () => {
    let compared = 0;
    for (const tb of backends) {
      const pr = heavy(31, 5000, 6);
      const plain = fit(tb, pr, 0.5, OFF);
      const warm = checkAgainstPlain(tb, pr, 0.5, plain.coef);
      expect(warm.info[INFO_GLOB_FIXUPS]).toBe(0);
      expect(warm.info[INFO_GLOB_ROUNDS]).toBe(1);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('degenerate data: ties, integer y, duplicated rows, zero weights, no intercept', () => {
    let compared = 0;
    for (const tb of backends) {
      checkAgainstPlain(tb, heavy(41, 3000, 3, { ties: true }), 0.5);
      checkAgainstPlain(tb, heavy(42, 3000, 4, { dup: true }), 0.5);
      checkAgainstPlain(tb, heavy(43, 3000, 4, { zeroW: true }), 0.4);
      checkAgainstPlain(tb, heavy(44, 3000, 3, { ties: true, zeroW: true, dup: true }), 0.5);
      checkAgainstPlain(tb, { ...heavy(45, 3000, 4), intercept: false }, 0.5);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('pseudo-rows (lasso penalty) always stay in the band', () => {
    let compared = 0;
    for (const tb of backends) {
      const base = heavy(51, 3000, 5);
      const { n, p } = base;
      const rows = n + 2 * p;
      const X = new Float64Array(rows * p), y = new Float64Array(rows), w = new Float64Array(rows);
      for (let j = 0; j < p; j++) {
        X.set(base.X.subarray(j * n, (j + 1) * n), j * rows);
        X[j * rows + n + 2 * j] = 1;
        X[j * rows + n + 2 * j + 1] = -1;
      }
      y.set(base.y);
      w.fill(1, 0, n);
      w.fill(40, n);
      const pr: Problem = { n: rows, p, X, y, w, nData: n };
      // pseudo-row fits take no least-squares start: glob from an explicit start (a path's previous fit)
      const start = new Float64Array(p + 1);
      checkAgainstPlain(tb, pr, 0.5, start);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });

  it('the smallest subsample level may be rank deficient (a rare dummy): still the certified optimum', () => {
    let compared = 0;
    for (const tb of backends) {
      const pr = heavy(61, 4000, 3);
      // column 2: a dummy that is 1 on 3 rows only — absent from most subsamples
      for (let i = 0; i < pr.n; i++) pr.X[2 * pr.n + i] = i % 1500 === 7 ? 1 : 0;
      checkAgainstPlain(tb, pr, 0.5);
      compared++;
    }
    expect(compared).toBe(BACKEND_COUNT);
  });
});

describe('globbing through the public API (default thresholds)', () => {
  it('lad at n = 30,000 globs, reports its rounds and is certified on all rows; twin identical', async () => {
    const { init, lad } = await import('../../src/index.js');
    await init();
    const n = 30_000;
    const r = rng(7);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = r() * 4 - 2, b = r() * 4 - 2;
      X.push([a, b]);
      const e = r() < 0.1 ? 50 * (r() - 0.5) : r() - 0.5; // 10% gross outliers
      y.push(1 + 2 * a - b + e);
    }
    const w = lad(X, y, { backend: 'wasm' });
    const j = lad(X, y, { backend: 'js' });
    expect(w.globRounds).toBeGreaterThanOrEqual(1);
    expect(w.status).toBe('optimal');
    expect(w.certificate!.gap).toBeLessThanOrEqual(1e-9 * w.objective);
    // the certificate's primal is the objective over all n rows
    let f = 0;
    for (let i = 0; i < n; i++) f += Math.abs(y[i] - w.intercept - w.coef[0] * X[i][0] - w.coef[1] * X[i][1]);
    expectRel(w.objective, f, 1e-12);
    expect(Array.from(j.coef)).toEqual(Array.from(w.coef));
    expect(j.globRounds).toBe(w.globRounds);
    expect(j.globFixups).toBe(w.globFixups);
    // small n: no globbing
    expect(lad(X.slice(0, 1000), y.slice(0, 1000)).globRounds).toBe(0);
  });
});
