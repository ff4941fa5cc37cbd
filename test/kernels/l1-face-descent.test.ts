// Face descent of the L1 simplex start (issue 18; assembly/l1-simplex.ts faceDescent): when the
// coordinate-descent point is a degenerate vertex — more than q zero residuals, on at least
// FACE_MIN_ROWS rows — coordinate descent goes on on the perturbed responses before the crash, so the
// simplex does not walk the perturbed vertices of the tied face one pivot at a time. These cases
// (designs on {-1, 0, 1} with integer y and small noise: most rows tie at the CD point) run that path
// — the twin's faceSweeps counter says so — with an intercept, without one, with weights (zeros
// included), with lasso-style pseudo-rows, and globbed: certified optimum on every backend, the
// reported objective equal to the recomputed one, WASM and twin bit-identical.
import { beforeAll, describe, expect, it } from 'vitest';
import { INFO_GLOB_ROUNDS } from '../../src/abi/info.js';
import * as twinSimplex from '../../src/twin/l1-simplex.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';
import {
  type FaceCase, expectCertified, expectWasmTwinIdentical, faceCase, fitCase,
} from '../helpers/l1-face-cases.js';

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
});
