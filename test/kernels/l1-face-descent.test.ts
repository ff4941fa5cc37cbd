// Face descent of the L1 simplex start (issue 18; assembly/l1-simplex.ts faceDescent): when the
// coordinate-descent point is a degenerate vertex — more than q zero residuals, on at least
// FACE_MIN_ROWS rows — coordinate descent goes on on the perturbed responses before the crash, so the
// simplex does not walk the perturbed vertices of the tied face one pivot at a time. These cases
// (designs on {-1, 0, 1} with integer y and small noise: most rows tie at the CD point) run that path
// — the twin's faceSweeps counter says so — with an intercept, without one, with weights (zeros
// included), with lasso-style pseudo-rows, and globbed: certified optimum on every backend, the
// reported objective equal to the recomputed one, WASM and twin bit-identical.
import { beforeAll, describe, expect, it } from 'vitest';
import { INFO_GLOB_ROUNDS, INFO_ITERATIONS, INFO_LEN, INFO_OBJECTIVE } from '../../src/abi/info.js';
import { STATUS_OK } from '../../src/abi/status.js';
import * as twinSimplex from '../../src/twin/l1-simplex.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';
import {
  type FaceCase, expectCertified, expectIdentical, expectWasmTwinIdentical, faceCase, fitCase,
} from '../helpers/l1-face-cases.js';
import { globFit, type L1Problem } from '../helpers/l1-problem.js';

/** X uniform on {-1, 0, 1}, y = round(1 + X beta + 0.3 N(0, 1)), beta_j = ((j mod 5) - 2) / 4. */
function tied(seed: number, nd: number, p: number): { X: Float64Array; y: Float64Array } {
  const u = rng(seed);
  const X = new Float64Array(nd * p);
  const y = new Float64Array(nd);
  for (let i = 0; i < nd; i++) for (let j = 0; j < p; j++) X[j * nd + i] = Math.floor(u() * 3) - 1;
  for (let i = 0; i < nd; i++) {
    let lin = 1;
    for (let j = 0; j < p; j++) lin += X[j * nd + i] * (((j % 5) - 2) * 0.25);
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    y[i] = Math.round(lin + 0.3 * z);
  }
  return { X, y };
}

function makeCase(label: string, seed: number, nd: number, p: number, tau: number,
  opts: { intercept?: 0 | 1; weights?: boolean; pseudo?: number; glob?: boolean } = {}): FaceCase {
  return faceCase(label, seed, tied(seed, nd, p), nd, p, tau, opts);
}

const CASES: FaceCase[] = [
  makeCase('intercept, tau 0.5', 1, 8000, 5, 0.5),
  makeCase('intercept, tau 0.9', 2, 8000, 5, 0.9),
  makeCase('no intercept, tau 0.3', 3, 8000, 5, 0.3, { intercept: 0 }),
  makeCase('weights with zeros, tau 0.5', 4, 8000, 5, 0.5, { weights: true }),
  makeCase('pseudo-rows, tau 0.5', 5, 8000, 5, 0.5, { pseudo: 40 }),
  makeCase('globbed 30,000 x 10, tau 0.5', 6, 30000, 10, 0.5, { glob: true }),
];

let backends: TestBackend[];
beforeAll(async () => { backends = await allBackends(); });

describe('L1 simplex face descent from a degenerate coordinate-descent point (issue 18)', () => {
  it('runs on every case (twin counter), certified on every backend', () => {
    const js = backends.find((b) => b.label === 'js')!;
    let checked = 0;
    for (const c of CASES) {
      fitCase(js, c);
      expect(twinSimplex.faceSweeps, `${c.label}: face descent sweeps`).toBeGreaterThan(0);
      for (const tb of backends) {
        const run = fitCase(tb, c);
        const what = `${tb.label} ${c.label}`;
        expectCertified(c, run, what);
        if (c.glob) expect(run.info[INFO_GLOB_ROUNDS], what).toBeGreaterThan(0);
        else expect(run.info[INFO_GLOB_ROUNDS], what).toBe(0);
        checked++;
      }
    }
    expect(checked).toBe(3 * CASES.length);
  });

  it('is bit-identical between the WASM kernel and the TS twin', () => expectWasmTwinIdentical(backends, CASES));

  it('does not run at a non-degenerate vertex: a globbed fit warm-started at its own optimum', () => {
    // Continuous data: the optimum is a vertex with exactly q zero residuals. Warm-started there, the
    // globbed reduced problem (band ~2,700 rows >= FACE_MIN_ROWS) starts coordinate descent at that
    // vertex, which gains nothing and leaves b on it — as a glob fix-up round's CD does from the last
    // reduced vertex. Face descent at exactly q zeros only swept there (the rule was >= q until
    // session 10: 20000 x 4 here took face-descent sweeps); more than q zeros is a degenerate point.
    const u = rng(31);
    const n = 20000, p = 4;
    const X = new Float64Array(n * p);
    const y = new Float64Array(n);
    for (let k = 0; k < n * p; k++) X[k] = u() * 4 - 2;
    for (let i = 0; i < n; i++) {
      const e = Math.tan(Math.PI * (u() - 0.5)); // Cauchy noise: no ties
      y[i] = 1 + X[i] - 0.5 * X[n + i] + 0.25 * X[3 * n + i] + e;
    }
    const pr: L1Problem = { n, p, X, y };
    const c: FaceCase = { label: 'warm start at the optimum', n, nd: n, p, X, y, w: null, intercept: 1, tau: 0.5, glob: true };
    const js = backends.find((b) => b.label === 'js')!;
    const rel = backends.find((b) => b.label === 'wasm-release')!;
    const cold = globFit(js, pr, 0.5, [0, 0]);
    expect(cold.status).toBe(STATUS_OK);
    const warm = globFit(js, pr, 0.5, [0, 0], cold.coef);
    expect(warm.info[INFO_GLOB_ROUNDS], 'globbed at the full level').toBeGreaterThan(0);
    expect(twinSimplex.faceSweeps, 'face descent sweeps').toBe(0);
    expect(twinSimplex.sweeps, 'one CD sweep, which gains nothing').toBe(1);
    expectCertified(c, warm, 'warm');
    expect(warm.info[INFO_OBJECTIVE]).toBe(cold.info[INFO_OBJECTIVE]);
    expect(warm.info[INFO_ITERATIONS], 'no pivot walk from the optimum').toBeLessThanOrEqual(1 + p + 1);
    expect(expectIdentical(globFit(rel, pr, 0.5, [0, 0], cold.coef), warm, 'wasm vs twin')).toBe(p + 1 + INFO_LEN);
  });
});
