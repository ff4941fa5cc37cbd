// Face restriction of the L1 simplex (issue 18; assembly/l1-simplex.ts pivotLoop "Face restriction"):
// on integer designs with integer y a quarter to 40% of the rows lie exactly on the optimal hyperplane,
// and the simplex ends in a long walk over the perturbed vertices of that degenerate face — pivots that
// move b by ~1e-9 and can only cross those tied rows. After a full refresh whose b moved little per
// pivot, the pivots run on the rows near zero (C, copied row-major) with the others frozen; a pivot
// whose step a frozen row could reach falls back to the full rows. These cases run that path (plain
// solves of 8,000 rows: above RS_MIN_ROWS; checked with an instrumented twin: most of their pivots run
// restricted) with an intercept, without one, with weights (zeros included) and with lasso-style
// pseudo-rows, one whose restricted pivot falls back to all rows (gaussian 3,000 x 20), and a globbed
// fit: certified optimum on every backend, the reported objective equal to the recomputed one, WASM
// and twin bit-identical.
import { beforeAll, describe, expect, it } from 'vitest';
import { INFO_GLOB_ROUNDS, INFO_LEN } from '../../src/abi/info.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';
import {
  type FaceCase, expectCertified, expectIdentical, expectWasmTwinIdentical, faceCase, fitCase,
} from '../helpers/l1-face-cases.js';
// @ts-expect-error: plain ESM benchmark module without type declarations
import { makeFamily } from '../../bench/degenerate.mjs';

/** X uniform on {-2, ..., 2}, y = round(1 + X beta + noise N(0, 1)) (bench/degenerate.mjs 'intx'). */
function intx(seed: number, nd: number, p: number, noise: number): { X: Float64Array; y: Float64Array } {
  const u = rng(seed);
  const X = new Float64Array(nd * p);
  const y = new Float64Array(nd);
  for (let i = 0; i < nd; i++) for (let j = 0; j < p; j++) X[j * nd + i] = Math.floor(u() * 5) - 2;
  for (let i = 0; i < nd; i++) {
    let lin = 1;
    for (let j = 0; j < p; j++) lin += X[j * nd + i] * (((j % 5) - 2) * 0.25);
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    y[i] = Math.round(lin + noise * z);
  }
  return { X, y };
}

function makeCase(label: string, seed: number, nd: number, p: number, tau: number,
  opts: { intercept?: 0 | 1; weights?: boolean; pseudo?: number; glob?: boolean } = {}): FaceCase {
  return faceCase(label, seed, intx(seed, nd, p, 1), nd, p, tau, opts);
}

/** A bench family (row-major X) as a case: gaussian 3,000 x 20 at tau 0.75 has a restricted pivot whose
 *  step a frozen row could reach, redone on all rows (the fallback). */
function family(label: string, name: string, nd: number, p: number, tau: number): FaceCase {
  const d = makeFamily(name, nd, p) as { X: Float64Array; y: Float64Array };
  const X = new Float64Array(nd * p);
  for (let i = 0; i < nd; i++) for (let j = 0; j < p; j++) X[j * nd + i] = d.X[i * p + j];
  return { label, n: nd, nd, p, X, y: Float64Array.from(d.y), w: null, intercept: 1, tau, glob: false };
}

const CASES: FaceCase[] = [
  family('gaussian 3,000 x 20, tau 0.75 (fallback)', 'gaussian', 3000, 20, 0.75),
  makeCase('intercept, tau 0.5', 1, 8000, 10, 0.5),
  makeCase('intercept, tau 0.9', 2, 8000, 10, 0.9),
  makeCase('no intercept, tau 0.3', 3, 8000, 10, 0.3, { intercept: 0 }),
  makeCase('weights with zeros, tau 0.5', 4, 8000, 10, 0.5, { weights: true }),
  makeCase('pseudo-rows, tau 0.5', 5, 8000, 10, 0.5, { pseudo: 40 }),
];
/** Globbed (n >= the default threshold): the restriction runs on the reduced problems and the full one. */
const GLOBBED = makeCase('globbed 30,000 x 10, tau 0.5', 6, 30000, 10, 0.5, { glob: true });

let backends: TestBackend[];
beforeAll(async () => { backends = await allBackends(); });

describe('L1 simplex face restriction on integer designs (issue 18)', () => {
  it('certifies every case on every backend', () => {
    let checked = 0;
    for (const tb of backends) {
      for (const c of CASES) {
        const run = fitCase(tb, c);
        const what = `${tb.label} ${c.label}`;
        expectCertified(c, run, what);
        expect(run.info[INFO_GLOB_ROUNDS], what).toBe(0);
        checked++;
      }
    }
    expect(checked).toBe(3 * CASES.length);
  });

  it('is bit-identical between the WASM kernel and the TS twin', () => expectWasmTwinIdentical(backends, CASES));

  it('globbed fit: certified on all rows, WASM and twin identical', () => {
    const rel = backends.find((b) => b.label === 'wasm-release')!;
    const js = backends.find((b) => b.label === 'js')!;
    const a = fitCase(rel, GLOBBED), b = fitCase(js, GLOBBED);
    expectCertified(GLOBBED, a, GLOBBED.label);
    expect(a.info[INFO_GLOB_ROUNDS]).toBeGreaterThan(0);
    expect(expectIdentical(a, b, GLOBBED.label)).toBe(GLOBBED.p + 1 + INFO_LEN);
  });
});
