// Shared by the integer-design tests of the L1 simplex (test/kernels/l1-intx-face.test.ts: face
// restriction; test/kernels/l1-face-descent.test.ts: face descent): a case (data rows, optional
// lasso-style pseudo-rows, weights), one l1_fit call with globbing on or off, the objective recomputed,
// and the certified / bit-identical checks.
import { expect } from 'vitest';
import { INFO_DUAL_INFEAS, INFO_GAP, INFO_LEN, INFO_PRIMAL } from '../../src/abi/info.js';
import { STATUS_OK } from '../../src/abi/status.js';
import type { TestBackend } from './backends.js';
import { expectRel, rng } from './close.js';

/** Relative gap tolerance of the fits. */
export const TOL = 1e-10;
/** FEAS_TOL of assembly/l1-state.ts. */
export const FEAS_TOL = 1.5e-8;
const NO_GLOB = 1 << 30;

export interface FaceCase {
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

export interface FaceRun { status: number; coef: Float64Array; info: Float64Array }

/** One l1_fit call (globbing at the default thresholds when c.glob, else off). */
export function fitCase(tb: TestBackend, c: FaceCase): FaceRun {
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

/** A case from data rows (column-major nd x p): optional pseudo-rows pseudo e_j with response 0, and
 *  weights 0..3 drawn from rng(seed + 1000) (pseudo-rows weigh 1). */
export function faceCase(label: string, seed: number, data: { X: Float64Array; y: Float64Array }, nd: number, p: number,
  tau: number, opts: { intercept?: 0 | 1; weights?: boolean; pseudo?: number; glob?: boolean } = {}): FaceCase {
  const pseudo = opts.pseudo ?? 0;
  const n = nd + (pseudo > 0 ? p : 0);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    X.set(data.X.subarray(j * nd, (j + 1) * nd), j * n);
    if (pseudo > 0) X[j * n + nd + j] = pseudo; // lasso pseudo-row lambda e_j with response 0
  }
  y.set(data.y);
  let w: Float64Array | null = null;
  if (opts.weights) {
    const u = rng(seed + 1000);
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = i >= nd ? 1 : Math.floor(u() * 4); // 0, 1, 2, 3
  }
  return { label, n, nd, p, X, y, w, intercept: opts.intercept ?? 1, tau, glob: opts.glob ?? false };
}

export function caseObjective(c: FaceCase, b: ArrayLike<number>): number {
  let f = 0;
  for (let i = 0; i < c.n; i++) {
    let s = c.intercept && i < c.nd ? b[0] : 0;
    for (let j = 0; j < c.p; j++) s += c.X[j * c.n + i] * b[j + 1];
    const r = c.y[i] - s;
    f += (c.w ? c.w[i] : 1) * (r < 0 ? (c.tau - 1) * r : c.tau * r);
  }
  return f;
}

export function expectCertified(c: FaceCase, run: FaceRun, what: string): void {
  expect(run.status, what).toBe(STATUS_OK);
  expect(run.info[INFO_GAP], what).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(run.info[INFO_PRIMAL])));
  expect(run.info[INFO_DUAL_INFEAS], what).toBeLessThanOrEqual(FEAS_TOL);
  expectRel(caseObjective(c, run.coef), run.info[INFO_PRIMAL], 1e-12, `${what}: reported primal vs recomputed`);
}

/** Asserts a and b equal bit for bit; returns the number of values compared. */
export function expectIdentical(a: FaceRun, b: FaceRun, what: string): number {
  let compared = 0;
  expect(b.status, what).toBe(a.status);
  for (let j = 0; j < a.coef.length; j++) { expect(Object.is(a.coef[j], b.coef[j]), `${what} coef[${j}]`).toBe(true); compared++; }
  for (let k = 0; k < INFO_LEN; k++) { expect(Object.is(a.info[k], b.info[k]), `${what} info[${k}]`).toBe(true); compared++; }
  return compared;
}

/** Every case fitted by the release WASM kernel and the TS twin: bit-identical. */
export function expectWasmTwinIdentical(backends: TestBackend[], cases: FaceCase[]): void {
  const rel = backends.find((b) => b.label === 'wasm-release')!;
  const js = backends.find((b) => b.label === 'js')!;
  let compared = 0;
  for (const c of cases) compared += expectIdentical(fitCase(rel, c), fitCase(js, c), c.label);
  expect(compared).toBe(cases.reduce((t, c) => t + c.p + 1 + INFO_LEN, 0));
}
