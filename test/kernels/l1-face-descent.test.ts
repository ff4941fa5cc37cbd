// Face descent of the L1 simplex start (issue 18; assembly/l1-simplex.ts faceDescent): when the
// coordinate-descent point is a degenerate vertex — at least q zero residuals, on at least
// FACE_MIN_ROWS rows — coordinate descent goes on on the perturbed responses before the crash, so the
// simplex does not walk the perturbed vertices of the tied face one pivot at a time. These cases
// (designs on {-1, 0, 1} with integer y and small noise: most rows tie at the CD point) run that path
// — the twin's faceSweeps counter says so — with an intercept, without one, with weights (zeros
// included), with lasso-style pseudo-rows, and globbed: certified optimum on every backend, the
// reported objective equal to the recomputed one, WASM and twin bit-identical.
import { beforeAll, describe, expect, it } from 'vitest';
import { INFO_DUAL_INFEAS, INFO_GAP, INFO_GLOB_ROUNDS, INFO_LEN, INFO_PRIMAL } from '../../src/abi/info.js';
import { STATUS_OK } from '../../src/abi/status.js';
import * as twinSimplex from '../../src/twin/l1-simplex.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { expectRel, rng } from '../helpers/close.js';

const TOL = 1e-10;
/** FEAS_TOL of assembly/l1-state.ts. */
const FEAS_TOL = 1.5e-8;
const NO_GLOB = 1 << 30;

interface Case {
  label: string;
  n: number;        // rows, pseudo-rows included
  nd: number;       // data rows
  p: number;
  X: Float64Array;  // column-major n x p
  y: Float64Array;
  w: Float64Array | null;
  intercept: 0 | 1;
  tau: number;
  glob: boolean;
}

interface Run { status: number; coef: Float64Array; info: Float64Array }

function fit(tb: TestBackend, c: Case): Run {
  const { arena, backend } = tb;
  const k = backend.kernels;
  const old = c.glob ? k.l1_glob(0, 0) : k.l1_glob(NO_GLOB, 0);
  const { n, p } = c;
  const mark = arena.mark();
  try {
    const [pX, pY, pW, pC, pI, pF, pWk] = arena.allocMany([8 * n * p, 8 * n, 8 * n, 8 * (p + 1), 8 * INFO_LEN, 4 * p, k.l1_work_bytes(n, p)]);
    let f = backend.f64();
    f.set(c.X, pX >>> 3);
    f.set(c.y, pY >>> 3);
    if (c.w) f.set(c.w, pW >>> 3);
    const status = k.l1_fit(n, c.nd, p, pX, pY, c.w ? pW : 0, c.intercept, c.tau, 100_000, TOL, 0, pC, pI, pF, pWk);
    f = backend.f64();
    return { status, coef: f.slice(pC >>> 3, (pC >>> 3) + p + 1), info: f.slice(pI >>> 3, (pI >>> 3) + INFO_LEN) };
  } finally {
    arena.release(mark);
    k.l1_glob(old, 0);
  }
}

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
  opts: { intercept?: 0 | 1; weights?: boolean; pseudo?: number; glob?: boolean } = {}): Case {
  const { X: Xd, y: yd } = tied(seed, nd, p);
  const pseudo = opts.pseudo ?? 0;
  const n = nd + (pseudo > 0 ? p : 0);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    X.set(Xd.subarray(j * nd, (j + 1) * nd), j * n);
    if (pseudo > 0) X[j * n + nd + j] = pseudo; // lasso pseudo-row lambda e_j with response 0
  }
  y.set(yd);
  let w: Float64Array | null = null;
  if (opts.weights) {
    const u = rng(seed + 1000);
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = i >= nd ? 1 : Math.floor(u() * 4); // 0, 1, 2, 3
  }
  return { label, n, nd, p, X, y, w, intercept: opts.intercept ?? 1, tau, glob: opts.glob ?? false };
}

function objective(c: Case, b: ArrayLike<number>): number {
  let f = 0;
  for (let i = 0; i < c.n; i++) {
    let s = c.intercept && i < c.nd ? b[0] : 0;
    for (let j = 0; j < c.p; j++) s += c.X[j * c.n + i] * b[j + 1];
    const r = c.y[i] - s;
    f += (c.w ? c.w[i] : 1) * (r < 0 ? (c.tau - 1) * r : c.tau * r);
  }
  return f;
}

const CASES: Case[] = [
  makeCase('intercept, tau 0.5', 1, 8000, 5, 0.5),
  makeCase('intercept, tau 0.9', 2, 8000, 5, 0.9),
  makeCase('no intercept, tau 0.3', 3, 8000, 5, 0.3, { intercept: 0 }),
  makeCase('weights with zeros, tau 0.5', 4, 8000, 5, 0.5, { weights: true }),
  makeCase('pseudo-rows, tau 0.5', 5, 8000, 5, 0.5, { pseudo: 40 }),
  makeCase('globbed 30,000 x 10, tau 0.5', 6, 30000, 10, 0.5, { glob: true }),
];

let backends: TestBackend[];
beforeAll(async () => { backends = await allBackends(); });

function expectCertified(c: Case, run: Run, what: string): void {
  expect(run.status, what).toBe(STATUS_OK);
  expect(run.info[INFO_GAP], what).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(run.info[INFO_PRIMAL])));
  expect(run.info[INFO_DUAL_INFEAS], what).toBeLessThanOrEqual(FEAS_TOL);
  expectRel(objective(c, run.coef), run.info[INFO_PRIMAL], 1e-12, `${what}: reported primal vs recomputed`);
}

function expectIdentical(a: Run, b: Run, what: string): number {
  let compared = 0;
  expect(b.status, what).toBe(a.status);
  for (let j = 0; j < a.coef.length; j++) { expect(Object.is(a.coef[j], b.coef[j]), `${what} coef[${j}]`).toBe(true); compared++; }
  for (let k = 0; k < INFO_LEN; k++) { expect(Object.is(a.info[k], b.info[k]), `${what} info[${k}]`).toBe(true); compared++; }
  return compared;
}

describe('L1 simplex face descent from a degenerate coordinate-descent point (issue 18)', () => {
  it('runs on every case (twin counter), certified on every backend', () => {
    const js = backends.find((b) => b.label === 'js')!;
    let checked = 0;
    for (const c of CASES) {
      fit(js, c);
      expect(twinSimplex.faceSweeps, `${c.label}: face descent sweeps`).toBeGreaterThan(0);
      for (const tb of backends) {
        const run = fit(tb, c);
        const what = `${tb.label} ${c.label}`;
        expectCertified(c, run, what);
        if (c.glob) expect(run.info[INFO_GLOB_ROUNDS], what).toBeGreaterThan(0);
        else expect(run.info[INFO_GLOB_ROUNDS], what).toBe(0);
        checked++;
      }
    }
    expect(checked).toBe(3 * CASES.length);
  });

  it('is bit-identical between the WASM kernel and the TS twin', () => {
    const rel = backends.find((b) => b.label === 'wasm-release')!;
    const js = backends.find((b) => b.label === 'js')!;
    let compared = 0;
    for (const c of CASES) compared += expectIdentical(fit(rel, c), fit(js, c), c.label);
    expect(compared).toBe(CASES.reduce((t, c) => t + c.p + 1 + INFO_LEN, 0));
  });
});
