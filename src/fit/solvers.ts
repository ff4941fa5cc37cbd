// Solver front-ends: validate, marshal into the chosen backend's memory, make ONE kernel call, and
// build the result. They never branch on which backend they hold.
import { RobustRegError, describe } from '../errors.js';
import { withProgress, type KernelProgress } from '../abi/progress.js';
import {
  INFO_DUAL, INFO_EDGE_STEPS, INFO_GLOB_FIXUPS, INFO_GLOB_ROUNDS, INFO_GAP, INFO_ITERATIONS, INFO_LEN, INFO_METHOD, INFO_NONUNIQUE,
  INFO_OBJECTIVE, INFO_PRIMAL, INFO_RCOND, INFO_REFINE,
} from '../abi/info.js';
import { checkVectorShape, readXyw, shapeOf, type Shape } from '../data/input.js';
import {
  COMMON_OPTIONS, fail, optBackend, optBool, optFunction, optSignal, type Progress,
} from '../data/options.js';
import { opt } from './option-table.js';
import { makePredict, type FitResult, type L1Result, type L2Result } from './result.js';
import { Dataset, f32View } from '../data/dataset.js';
import { acquire, withSlot, type Slot } from '../backend/runtime.js';
import { cancelled, kernelOutcome, rankDeficient } from './status.js';
import { collapseRows } from './collapse.js';


interface Common {
  intercept: boolean;
  weights: ArrayLike<number> | undefined;
  slot: Slot;
  hook: KernelProgress | null;
  signal: AbortSignal | undefined;
}

export function readCommon(o: Record<string, unknown>, fn: string, X: unknown): Common {
  const intercept = optBool(o, 'intercept', true);
  const w = o.weights;
  const choice = optBackend(o);
  const slot = X instanceof Dataset && choice === 'auto' ? acquire(X.slot.backend.name, fn, o.threads) : acquire(choice, fn, o.threads);
  const onProgress = optFunction<(p: Progress) => void>(o, 'onProgress');
  const signal = optSignal(o);
  if (signal?.aborted) throw cancelled(fn);
  let hook: KernelProgress | null = null;
  if (onProgress || signal) {
    let last = -Infinity;
    hook = (_kind, iteration, objective, gap) => {
      if (onProgress) {
        const now = performance.now();
        if (now - last >= 50) {
          last = now;
          onProgress({ iteration, objective, gap });
        }
      }
      return signal?.aborted === true;
    };
  }
  return { intercept, weights: w === undefined ? undefined : (w as ArrayLike<number>), slot, hook, signal };
}

interface Marshaled extends Shape {
  /** Rows in memory (data rows + pseudo-rows). */
  rows: number;
  pX: number;
  pY: number;
  /** 0 = unit weights. */
  pW: number;
  /** Number of rows with positive weight. */
  nPos: number;
  /** 1 when X is stored as float32 (a Dataset with precision 'f32'): the kernels' last argument. */
  xf32: number;
}

/**
 * Validate X, y, weights and copy them into the slot's memory (column-major, `extraRows` zeroed rows
 * appended for pseudo-observations), allocating `more` further regions in the same step. A Dataset
 * is used in place (no copy) unless pseudo-rows must be appended.
 */
export function marshal(fn: string, slot: Slot, X: unknown, y: unknown, weights: ArrayLike<number> | undefined,
  extraRows: number, more: number[], forceWeights = false): { m: Marshaled; ptrs: number[] } {
  if (X instanceof Dataset) return marshalDataset(fn, slot, X, weights, extraRows, more, forceWeights);
  let rows = 0, withW = false, ptrs: number[] = [];
  const r = readXyw(fn, X, y, weights, ({ n, p }, weighted) => {
    rows = n + extraRows;
    withW = weighted || forceWeights;
    ptrs = slot.arena.allocMany([8 * rows * p, 8 * rows, withW ? 8 * rows : 0, ...more], `${fn} (n = ${n}, p = ${p})`);
    const f64 = slot.backend.f64();
    return { x: f64, pX: ptrs[0], rows, f64, pY: ptrs[1], pW: ptrs[2] };
  });
  const { n, p, nPos } = r;
  const f64 = slot.backend.f64();
  if (withW && !r.weighted) f64.fill(1, ptrs[2] >>> 3, (ptrs[2] >>> 3) + n);
  zeroPseudoRows(f64, ptrs[0], ptrs[1], withW ? ptrs[2] : 0, n, rows, p);
  return { m: { n, p, rows, pX: ptrs[0], pY: ptrs[1], pW: withW ? ptrs[2] : 0, nPos, xf32: 0 }, ptrs: ptrs.slice(3) };
}

function zeroPseudoRows(f64: Float64Array, pX: number, pY: number, pW: number, n: number, rows: number, p: number,
  xv: Float64Array | Float32Array = f64): void {
  if (rows === n) return;
  const xb = pX / xv.BYTES_PER_ELEMENT;
  for (let j = 0; j < p; j++) xv.fill(0, xb + j * rows + n, xb + (j + 1) * rows);
  f64.fill(0, (pY >>> 3) + n, (pY >>> 3) + rows);
  if (pW) f64.fill(0, (pW >>> 3) + n, (pW >>> 3) + rows);
}

function marshalDataset(fn: string, slot: Slot, ds: Dataset, weights: ArrayLike<number> | undefined,
  extraRows: number, more: number[], forceWeights: boolean): { m: Marshaled; ptrs: number[] } {
  ds.check(fn, true);
  if (ds.slot !== slot) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: this Dataset lives in the ${ds.slot.backend.name} backend's memory but backend '${slot.backend.name}' was requested; omit the backend option or create the Dataset with that backend`, { argument: 'backend' });
  }
  if (weights !== undefined) {
    throw new RobustRegError('INVALID_INPUT', `${fn}: option weights cannot be combined with a Dataset; pass them to Dataset.from(X, y, { weights })`, { argument: 'weights' });
  }
  const { rows: n, cols: p } = ds;
  const base = { n, p, nPos: ds.nPos, xf32: ds.xf32 };
  if (extraRows === 0 && !(forceWeights && !ds.pW)) {
    const ptrs = slot.arena.allocMany(more, `${fn} (n = ${n}, p = ${p})`);
    return { m: { ...base, rows: n, pX: ds.pX, pY: ds.pY, pW: ds.pW }, ptrs };
  }
  // pseudo-rows (penalties) need a copy with room for them (in X's storage precision)
  const rows = n + extraRows;
  const xe = ds.precision === 'f32' ? 4 : 8;
  const ptrs = slot.arena.allocMany([xe * rows * p, 8 * rows, 8 * rows, ...more], `${fn} (n = ${n}, p = ${p})`);
  const f64 = slot.backend.f64();
  const xv = ds.xView();
  const dx = ptrs[0] / xe, sx = ds.pX / xe;
  for (let j = 0; j < p; j++) xv.copyWithin(dx + j * rows, sx + j * n, sx + (j + 1) * n);
  f64.copyWithin(ptrs[1] >>> 3, ds.pY >>> 3, (ds.pY >>> 3) + n);
  if (ds.pW) f64.copyWithin(ptrs[2] >>> 3, ds.pW >>> 3, (ds.pW >>> 3) + n);
  else f64.fill(1, ptrs[2] >>> 3, (ptrs[2] >>> 3) + n);
  zeroPseudoRows(f64, ptrs[0], ptrs[1], ptrs[2], n, rows, p, xv);
  return { m: { ...base, rows, pX: ptrs[0], pY: ptrs[1], pW: ptrs[2] }, ptrs: ptrs.slice(3) };
}

/** Shape of X or of a Dataset (for sizing work regions before marshaling). */
export function shapeOfInput(X: unknown): Shape {
  if (X instanceof Dataset) return { n: X.rows, p: X.cols };
  return shapeOf(X);
}

export function finish<R extends FitResult = FitResult>(base: Omit<R, 'predict'>): R {
  const r = base as R;
  // -0 (e.g. a lasso slope driven to zero from below) is reported as 0.
  for (let j = 0; j < r.coef.length; j++) if (r.coef[j] === 0) r.coef[j] = 0;
  if (r.intercept === 0) r.intercept = 0;
  Object.defineProperty(r, 'predict', { value: makePredict(base.coef, base.intercept), enumerable: false });
  return r;
}

// ---------------------------------------------------------------------------------------------- L2

export interface L2Options {
  intercept?: boolean;
  weights?: ArrayLike<number>;
  backend?: 'auto' | 'wasm' | 'js';
  /** Ridge penalty ridge·||coef||² (intercept excluded), ≥ 0. Default 0. */
  ridge?: number;
  maxIter?: number;
  tol?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Threads for this fit's block passes: at most init({ threads })'s (default: all of them). Results do not depend on it. */
  threads?: number;
  /** The Gram matrix's precision: 'auto' (default: float32 products for large unweighted well-conditioned
   *  problems, method 'cholesky-f32', refined in float64 to the same answer to a few ulps) or 'f64'
   *  (always float64: the bits of earlier versions). docs/design.md §5. */
  gram?: 'auto' | 'f64';
}

export const L2_OPTIONS = [...COMMON_OPTIONS, 'ridge', 'gram'] as const;

export function solveL2(fn: string, X: unknown, y: unknown, o: Record<string, unknown>): L2Result {
  const c = readCommon(o, fn, X);
  const ridge = opt(o, 'ridge');
  const gram = o.gram === undefined ? 'auto' : o.gram;
  if (gram !== 'auto' && gram !== 'f64') fail('gram', "'auto' or 'f64'", gram);
  opt(o, 'l2MaxIter'); // accepted for a uniform API; the direct solve needs no iterations
  opt(o, 'l2Tol');
  return withSlot(c.slot, () => {
    const { backend } = c.slot;
    const k = backend.kernels;
    const shape = shapeOfInput(X);
    const work = k.l2_work_bytes(shape.n, shape.p);
    const { m, ptrs } = marshal(fn, c.slot, X, y, c.weights, 0, [8 * (shape.p + 1), 8 * INFO_LEN, 4 * Math.max(shape.p, 1), work]);
    const [pCoef, pInfo, pFlags, pWork] = ptrs;
    const params = m.p + (c.intercept ? 1 : 0);
    if (params === 0) fail('intercept', 'true when X has no columns (there is nothing to fit)', false);
    const status = withProgress(c.hook, () =>
      k.l2_fit(m.n, m.p, m.pX, m.pY, m.pW, c.intercept ? 1 : 0, ridge, pCoef, pInfo, pFlags, pWork, m.xf32, gram === 'f64' ? 1 : 0));
    const fitStatus = kernelOutcome('l2', fn, status, () =>
      rankDeficient(fn, backend.i32().slice(pFlags >>> 2, (pFlags >>> 2) + m.p), m.p, c.intercept, m.nPos, true));
    const f64 = backend.f64();
    const coefAll = f64.slice(pCoef >>> 3, (pCoef >>> 3) + m.p + 1);
    const info = f64.slice(pInfo >>> 3, (pInfo >>> 3) + INFO_LEN);
    return finish<L2Result>({
      loss: 'l2',
      coef: coefAll.slice(1),
      intercept: c.intercept ? coefAll[0] : 0,
      objective: info[INFO_OBJECTIVE],
      iterations: info[INFO_ITERATIONS],
      converged: true,
      status: fitStatus,
      backend: backend.name,
      n: m.n,
      p: m.p,
      ...l2Fields(info),
    });
  });
}

/** The L2 result's solve fields from l2_fit's info region: the condition estimate, which path ran
 *  (INFO_METHOD: 0 Cholesky + double-double refinement, 1 QR + double-double, 2 Cholesky + float64
 *  refinement — assembly/l2.ts step 6 —, 3 Cholesky of the f32 Gram matrix + float64 refinement, the
 *  f32 Gram route of assembly/l2.ts Q32_MIN) and the refinement's last correction (INFO_REFINE: max_j
 *  |d_j| / |beta_j| in scaled coordinates, each |beta_j| floored at eps max|beta|). */
export function l2Fields(info: Float64Array): Pick<L2Result, 'rcond' | 'method' | 'lastCorrection'> {
  const m = info[INFO_METHOD];
  return {
    rcond: info[INFO_RCOND],
    method: m === 1 ? 'qr' : m === 2 ? 'cholesky-f64' : m === 3 ? 'cholesky-f32' : 'cholesky',
    lastCorrection: info[INFO_REFINE],
  };
}

// ------------------------------------------------------------------------------------ L1 / quantile

export interface L1Options {
  intercept?: boolean;
  weights?: ArrayLike<number>;
  backend?: 'auto' | 'wasm' | 'js';
  /** Lasso penalty lambda·||coef||₁ (intercept excluded), ≥ 0. Default 0. */
  lambda?: number;
  /** Iteration cap: CD sweeps + simplex pivots (default 10000). */
  maxIter?: number;
  /** Relative duality-gap tolerance: converged when gap ≤ tol·max(1, |primal|) (default 1e-10). */
  tol?: number;
  /** Warm start: a previous result, or { coef, intercept }. */
  start?: { coef: ArrayLike<number>; intercept?: number };
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Threads for this fit's block passes: at most init({ threads })'s (default: all of them). Results do not depend on it. */
  threads?: number;
}

export const L1_OPTIONS = [...COMMON_OPTIONS, 'lambda', 'start'] as const;

export { L1_DEFAULT_MAXITER, L1_DEFAULT_TOL } from './option-table.js';

export function checkTau(tau: unknown, name = 'tau'): number {
  if (typeof tau !== 'number' || !(tau > 0 && tau < 1)) fail(name, 'a number strictly between 0 and 1', tau);
  return tau;
}

/**
 * Datasets whose design an unpenalised fit has found full rank (value: with the intercept column —
 * which implies without). A Dataset's data never change, so the verdict holds for its life; nid's
 * refits (src/inference/quantile-dataset.ts) then skip the kernel's rank check.
 */
const fullRankDatasets = new WeakMap<Dataset, boolean>();

/** Whether a fit on `ds` (intercept as given) has already passed the kernel's rank check. */
export function knownFullRank(ds: Dataset, intercept: boolean): boolean {
  const v = fullRankDatasets.get(ds);
  return v === true || (v === false && !intercept);
}

/** Internal options of solveL1 for callers that refit one Dataset from one start (summary's nid). */
export interface L1Refit {
  /** The rows are known to be distinct (or are the distinct rows already): no duplicate-row check. */
  distinct?: boolean;
  /** Byte pointer to the start's residuals on the rows and the data's maxima (l1_fit's pStartR,
   *  src/abi/kernels.ts), or 0; used with a start, no penalty and the rows not collapsed here. */
  startResiduals?: number;
}

/**
 * `fullRank`: the caller knows the design is of full rank (knownFullRank); with a start, the kernel
 * then skips its rank check and least-squares warm start. `refit`: see L1Refit.
 */
export function solveL1(fn: string, X: unknown, y: unknown, o: Record<string, unknown>, tau: number, loss: 'l1' | 'quantile',
  fullRank = false, refit: L1Refit = {}): L1Result {
  const c = readCommon(o, fn, X);
  const lambda = opt(o, 'lambda');
  const maxIter = opt(o, 'l1MaxIter');
  const tol = opt(o, 'l1Tol');
  const start = o.start as { coef: ArrayLike<number>; intercept?: number } | undefined;
  return withSlot(c.slot, () => {
    const { backend } = c.slot;
    const k = backend.kernels;
    const shape = shapeOfInput(X);
    const { n, p } = shape;
    const intercept = c.intercept ? 1 : 0;
    if (p + intercept === 0) fail('intercept', 'true when X has no columns (there is nothing to fit)', false);
    const extra = lambda > 0 ? 2 * p : 0;
    const rows = n + extra;
    const { m, ptrs } = marshal(fn, c.slot, X, y, c.weights, extra,
      [8 * (p + 1), 8 * (p + 1), 8 * INFO_LEN, 4 * Math.max(p, 1), k.l1_work_bytes(rows, p)],
      lambda > 0);
    const [pStart, pCoef, pInfo, pFlags, pWork] = ptrs;
    // Exactly duplicated rows solved once, with their summed weight (src/fit/collapse.ts); the work
    // region sized for all rows (allocated with the data, so a workspace beyond the memory limit fails
    // before anything else is allocated) serves the smaller collapsed problem too — and, before the
    // solve, the duplicate-row check's grouping work.
    const col = lambda > 0 || refit.distinct === true ? null
      : collapseRows(c.slot, fn, n, p, m.pX, m.pY, m.pW, m.xf32, false, { ptr: pWork, bytes: k.l1_work_bytes(rows, p) });
    let f64 = backend.f64();
    const haveStart = start !== undefined;
    if (haveStart) writeStart(fn, start, p, c.intercept, f64, pStart);
    const skipRank = fullRank && haveStart && lambda === 0 ? 1 : 0;
    const pStartR = haveStart && lambda === 0 && col === null ? refit.startResiduals ?? 0 : 0; // the rows as given
    if (lambda > 0) {
      // Wu & Lange (2008): the penalty lambda·|b_j| as two pseudo-observations per coefficient,
      // (a = +e_j, y = 0, w = lambda) and (a = −e_j, y = 0, w = lambda): rho(−b) + rho(b) = |b|.
      const xv = m.xf32 ? f32View(backend) : f64; // ±1 are exact in float32
      const xb = m.pX / xv.BYTES_PER_ELEMENT, yb = m.pY >>> 3, wb = m.pW >>> 3;
      for (let j = 0; j < p; j++) {
        xv[xb + j * rows + n + 2 * j] = 1;
        xv[xb + j * rows + n + 2 * j + 1] = -1;
        f64[wb + n + 2 * j] = lambda;
        f64[wb + n + 2 * j + 1] = lambda;
        f64[yb + n + 2 * j] = 0;
        f64[yb + n + 2 * j + 1] = 0;
      }
    }
    // One kernel call: unpenalised fits first check the rank (RANK_DEFICIENT names the columns) and
    // warm-start from weighted least squares inside the kernel.
    const status = withProgress(c.hook, () =>
      col ? k.l1_fit(col.m, col.m, p, col.pX, col.pY, col.pW, intercept, tau, maxIter, tol, haveStart ? pStart : 0, pCoef, pInfo, pFlags, pWork, 0, skipRank)
        : k.l1_fit(rows, n, p, m.pX, m.pY, m.pW, intercept, tau, maxIter, tol, haveStart ? pStart : 0, pCoef, pInfo, pFlags, pWork, m.xf32, skipRank, pStartR));
    const fitStatus = kernelOutcome('l1', fn, status, () =>
      rankDeficient(fn, backend.i32().slice(pFlags >>> 2, (pFlags >>> 2) + p), p, c.intercept, m.nPos, false));
    // past kernelOutcome the rank check (unpenalised, not skipped) has passed
    if (X instanceof Dataset && lambda === 0 && !skipRank && fullRankDatasets.get(X) !== true) fullRankDatasets.set(X, c.intercept);
    f64 = backend.f64();
    const coefAll = f64.slice(pCoef >>> 3, (pCoef >>> 3) + p + 1);
    const info = f64.slice(pInfo >>> 3, (pInfo >>> 3) + INFO_LEN);
    const converged = fitStatus === 'optimal';
    return finish<L1Result>({
      loss,
      coef: coefAll.slice(1),
      intercept: c.intercept ? coefAll[0] : 0,
      objective: info[INFO_OBJECTIVE],
      iterations: info[INFO_ITERATIONS] + info[INFO_EDGE_STEPS],
      converged,
      status: fitStatus,
      backend: backend.name,
      n, p,
      certificate: { primal: info[INFO_PRIMAL], dual: info[INFO_DUAL], gap: info[INFO_GAP] },
      nonUnique: info[INFO_NONUNIQUE] !== 0,
      edgeSteps: info[INFO_EDGE_STEPS],
      globRounds: info[INFO_GLOB_ROUNDS],
      globFixups: info[INFO_GLOB_FIXUPS],
      collapsedRows: col ? col.m : 0,
      tau,
    });
  });
}

export function writeStart(fn: string, start: unknown, p: number, intercept: boolean, f64: Float64Array, ptr: number): void {
  if (typeof start !== 'object' || start === null) fail('start', 'an object { coef, intercept } (e.g. a previous result)', start);
  const s = start as { coef?: unknown; intercept?: unknown };
  const coef = checkVectorShape(s.coef, p, 'start.coef');
  const b0 = s.intercept === undefined ? 0 : s.intercept;
  if (typeof b0 !== 'number' || !Number.isFinite(b0)) fail('start.intercept', 'a finite number', b0);
  const base = ptr >>> 3;
  f64[base] = intercept ? b0 : 0;
  for (let j = 0; j < p; j++) {
    const v = coef[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RobustRegError('NON_FINITE', `${fn}: start.coef[${j}] is ${describe(v)}; it must be finite`, { argument: `start.coef[${j}]`, value: v });
    }
    f64[base + 1 + j] = v;
  }
}

/** (X, y, options) or (dataset, options). */
export function splitArgs<O>(X: unknown, a: unknown, b: unknown): [ArrayLike<number>, O] {
  if (X instanceof Dataset) {
    if (b !== undefined || (a !== undefined && (Array.isArray(a) || ArrayBuffer.isView(a)))) {
      throw new RobustRegError('INVALID_INPUT', 'a Dataset already holds y: call fit(dataset, options), not fit(dataset, y, options)', { argument: 'y' });
    }
    return [undefined as unknown as ArrayLike<number>, a as O];
  }
  return [a as ArrayLike<number>, b as O];
}

/** Σ w|r| = 2 Σ w ρ_½(r): a τ = ½ result restated in least-absolute-deviation units (lad(), lambda paths). */
export function toLadUnits(r: L1Result): L1Result {
  r.objective *= 2;
  if (r.certificate) {
    r.certificate.primal *= 2;
    r.certificate.dual *= 2;
    r.certificate.gap *= 2;
  }
  delete r.tau;
  return r;
}
