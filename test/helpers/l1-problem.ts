// Shapes shared by the L1 kernel tests (test/kernels/l1-kernel.test.ts, test/kernels/l1-glob.test.ts),
// one l1_fit call with a globbing threshold, the objective recomputed, and the tied-plane data of the
// globbing tie tests (test/kernels/l1-glob*.test.ts, test/threads/l1-glob-ties-threads.test.ts).
import { INFO_LEN } from '../../src/abi/info.js';
import type { TestBackend } from './backends.js';

/** One problem for l1_fit: X column-major n × p. */
export interface L1Problem {
  n: number;
  p: number;
  X: Float64Array;
  y: Float64Array;
  w?: Float64Array;
  intercept?: boolean;
  /** rows nData..n-1 are penalty pseudo-rows (implicit intercept entry 0) */
  nData?: number;
}

/** What one l1_fit call left behind: status, coefficients (intercept first), info slots. */
export interface L1Run {
  status: number;
  coef: Float64Array;
  info: Float64Array;
  /** globFit with `work`: a copy of the work region after the fit (zeroed before it) */
  work?: Uint8Array;
}

/** The thread tests' L1 problem (test/threads/l1-*-threads.test.ts): n × p row-major design, entries
 *  uniform (integers in -3..3 with `integer`, integer responses too), Cauchy noise, and weights with
 *  ~5% zeros. */
export function threadsProblem(rand: () => number, n: number, p: number, integer = false) {
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 1;
    for (let j = 0; j < p; j++) {
      const v = integer ? Math.floor(rand() * 7) - 3 : rand() * 4 - 2 + j;
      X[i * p + j] = v;
      f += v * (j % 3 - 1);
    }
    const e = Math.tan(Math.PI * (rand() - 0.5)); // Cauchy noise
    y[i] = integer ? Math.round(f + 2 * Math.max(-5, Math.min(5, e))) : f + e;
  }
  const weights = Float64Array.from({ length: n }, () => (rand() < 0.05 ? 0 : 0.5 + rand()));
  return { X: { data: X, rows: n, cols: p }, y, weights };
}

/** One l1_fit call on backend tb with the globbing threshold and smallest level [minRows, baseRows]
 *  (l1_glob; restored after), an optional warm start (intercept first), relative gap tolerance tol;
 *  checks that the kernel left X and y unmodified. With `work`, the work region (16-aligned) is zeroed
 *  before the call and copied into the result after it. */
export function globFit(tb: TestBackend, pr: L1Problem, tau: number, glob: [number, number], start?: ArrayLike<number>,
  maxIter = 100_000, tol = 1e-10, work = false): L1Run {
  const { arena, backend } = tb;
  const k = backend.kernels;
  const old = k.l1_glob(glob[0], glob[1]);
  const { n, p } = pr;
  const mark = arena.mark();
  try {
    const [pX, pY, pW, pS, pC, pI, pF, pWk] = arena.allocMany([
      8 * n * p, 8 * n, pr.w ? 8 * n : 0, start ? 8 * (p + 1) : 0, 8 * (p + 1), 8 * INFO_LEN,
      4 * Math.max(p, 1), k.l1_work_bytes(n, p),
    ]);
    let f = backend.f64();
    f.set(pr.X, pX >>> 3);
    f.set(pr.y, pY >>> 3);
    if (pr.w) f.set(pr.w, pW >>> 3);
    if (start) f.set(start, pS >>> 3);
    const wb = k.l1_work_bytes(n, p);
    if (work) {
      if (pWk % 16 !== 0) throw new Error('work region not 16-aligned');
      new Uint8Array(f.buffer, pWk, wb).fill(0);
    }
    const status = k.l1_fit(n, pr.nData ?? n, p, pX, pY, pr.w ? pW : 0, pr.intercept === false ? 0 : 1, tau,
      maxIter, tol, start ? pS : 0, pC, pI, pF, pWk);
    f = backend.f64();
    for (let i = 0; i < n * p; i++) if (!Object.is(f[(pX >>> 3) + i], pr.X[i])) throw new Error(`X[${i}] modified`);
    for (let i = 0; i < n; i++) if (!Object.is(f[(pY >>> 3) + i], pr.y[i])) throw new Error(`y[${i}] modified`);
    const run: L1Run = { status, coef: f.slice(pC >>> 3, (pC >>> 3) + p + 1), info: f.slice(pI >>> 3, (pI >>> 3) + INFO_LEN) };
    if (work) run.work = new Uint8Array(f.buffer, pWk, wb).slice();
    return run;
  } finally {
    arena.release(mark);
    k.l1_glob(old, 0);
  }
}

/** F(b) = sum_i w_i rho_tau(y_i - a_i b) recomputed independently of the kernel (b: intercept slot
 *  first, 0 without an intercept; pseudo-rows nData.. take no intercept). */
export function l1Objective(pr: L1Problem, b: ArrayLike<number>, tau: number): number {
  const ic = pr.intercept === false ? 0 : 1;
  const nd = pr.nData ?? pr.n;
  let f = 0;
  for (let i = 0; i < pr.n; i++) {
    let s = ic && i < nd ? b[0] : 0;
    for (let j = 0; j < pr.p; j++) s += pr.X[j * pr.n + i] * b[j + 1];
    const r = pr.y[i] - s;
    f += (pr.w ? pr.w[i] : 1) * (r < 0 ? (tau - 1) * r : tau * r);
  }
  return f;
}

/** The globbing tie tests' data (issue 18), n x p row-major: X uniform on the integers -20..20 (few
 *  duplicated rows), y = 1 + X c + round(noise z), c integer (1, -1, 2, 0 repeating), z ~ N(0, 1):
 *  P(round(noise z) = 0) of the rows lie on the plane (52% at noise 0.7, 20% at noise 2). */
export function tiedPlaneRows(rand: () => number, n: number, p: number, noise: number) {
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let lin = 1;
    for (let j = 0; j < p; j++) {
      const v = Math.floor(rand() * 41) - 20;
      X[i * p + j] = v;
      lin += v * [1, -1, 2, 0][j % 4];
    }
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    y[i] = lin + Math.round(noise * z);
  }
  return { X: { data: X, rows: n, cols: p }, y };
}

/** The fields of an L1 / quantile result the thread tests compare bit for bit (test/threads/l1-rows*). */
export type L1ThreadFit = { coef: Float64Array; intercept: number; objective: number; iterations: number; edgeSteps: number;
  globRounds: number; certificate: { gap: number; dual: number } };
export const l1Bits = (r: L1ThreadFit): number[] =>
  [r.intercept, ...r.coef, r.objective, r.certificate.dual, r.iterations, r.edgeSteps, r.globRounds];
