// Bad-input catalogue (issue #9): one table per public function. Every row is an invalid call; the
// runner asserts that it ends in a RobustRegError with the expected `code`, that the message names the
// argument and the bad value, that no input was modified (arrays and plain objects are deep-frozen
// before the call; typed arrays, which cannot be frozen, are compared with a copy taken before), and
// that no block of linear memory is left allocated. Synchronous tables run on both backends (WASM, and
// the TypeScript twin by routing backend 'auto' to 'js').
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Dataset, GramAccumulator, RobustRegError, configureWorkers, fCdf, fSf, fit, fitAsync, formatSummary, huber, init, lad, lambdaMax, lts,
  median, memoryStats, modelFrame, normalCdf, normalQuantile, ols, processAt, quantile, quantileProcess, quantileTest, smoothL1,
  solvePath, studentTCdf, studentTQuantile, summary, terminateWorkers, weightedMedian, weightedQuantile, mm, type ErrorCode,
} from '../../src/index.js';
import { dataset } from '../fixtures/huber/load.js';
import { sql, type SqlDatabase } from '../../src/index.js';
import { openDuck, type Duck } from './sql-duckdb.js';

// ------------------------------------------------------------------------------------------ fixtures

const X3 = [[1, 2], [2, 1], [3, 5], [4, 3], [5, 8]];
const y3 = [1, 2, 3, 4, 6];
const w3 = [1, 2, 1, 1, 3];
const XT = () => ({ data: Float64Array.of(1, 2, 2, 1, 3, 5, 4, 3, 5, 8), rows: 5, cols: 2 });
const yT = () => Float64Array.of(1, 2, 3, 4, 6);
/** stackloss and starsCYG (the rows moved here from huber/smoothl1/lasso.test.ts use them). */
const d = () => dataset('stackloss');
const stars = () => dataset('starsCYG');

type Args = unknown[] | (() => unknown[]);
interface Row {
  label: string;
  code: ErrorCode;
  mention: RegExp;
  fn: (...a: never[]) => unknown;
  args: Args;
}

function row(label: string, code: ErrorCode, mention: RegExp, fn: (...a: never[]) => unknown, args: Args = []): Row {
  return { label, code, mention, fn, args };
}

/** Freeze arrays and plain objects recursively (typed arrays and class instances are left alone). */
function freeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || Object.isFrozen(v)) return;
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return;
  Object.freeze(v);
  for (const x of Object.values(v as object)) freeze(x);
}

/** Every typed array reachable through arrays and plain objects, with a copy of its contents. */
function typedSnapshots(v: unknown, out: Array<[ArrayLike<number>, number[]]> = [], seen = new Set<unknown>()): Array<[ArrayLike<number>, number[]]> {
  if (v === null || typeof v !== 'object' || seen.has(v)) return out;
  seen.add(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    out.push([v as unknown as ArrayLike<number>, Array.from(v as unknown as ArrayLike<number>)]);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return out;
  for (const x of Object.values(v as object)) typedSnapshots(x, out, seen);
  return out;
}

function checkError(err: unknown, r: Row, cls: typeof RobustRegError = RobustRegError): void {
  expect(err, `${r.label}: should throw`).toBeInstanceOf(cls);
  const e = err as RobustRegError;
  expect(e.code, e.message).toBe(r.code);
  expect(e.message).toMatch(r.mention);
}

function prepare(r: Row): { args: unknown[]; snaps: Array<[ArrayLike<number>, number[]]> } {
  const args = typeof r.args === 'function' ? r.args() : r.args;
  freeze(args);
  return { args, snaps: typedSnapshots(args) };
}

function checkUnmodified(snaps: Array<[ArrayLike<number>, number[]]>): void {
  for (const [a, before] of snaps) expect(Array.from(a), 'typed-array input modified').toEqual(before);
}

let forced: 'wasm' | 'js' | null = null;
// The rows use backend 'auto'; the js pass routes it to the TypeScript twin.
vi.mock('../../src/backend/runtime.js', async (orig) => {
  const mod = await orig<typeof import('../../src/backend/runtime.js')>();
  return {
    ...mod,
    acquire: (choice: 'auto' | 'wasm' | 'js', fn: string) => mod.acquire(forced === 'js' && choice === 'auto' ? 'js' : choice, fn),
  };
});

const tables: Record<string, Row[]> = {};
const asyncTables: Record<string, Row[]> = {};

/** One table-driven test per function: every row on both backends, sync. */
function table(name: string, rows: Row[], minRows = 10): void {
  tables[name] = rows;
  describe(`${name}: bad input → typed error naming the argument and value`, () => {
    it(`has ≥ ${minRows} rows (${rows.length})`, () => {
      expect(rows.length).toBeGreaterThanOrEqual(minRows);
    });
    for (const backend of ['wasm', 'js'] as const) {
      it.each(rows.map((r) => [r.label, r] as const))(`${backend}: %s`, (_label, r) => {
        const { args, snaps } = prepare(r);
        const before = memoryStats();
        let err: unknown;
        forced = backend;
        try {
          (r.fn as (...a: unknown[]) => unknown)(...args);
        } catch (e) {
          err = e;
        } finally {
          forced = null;
        }
        checkError(err, r);
        checkUnmodified(snaps);
        const after = memoryStats();
        expect([after.wasmInUse, after.jsInUse], 'no block left allocated').toEqual([before.wasmInUse, before.jsInUse]);
      });
    }
  });
}

/** Same for functions returning a promise: must not throw synchronously, must reject typed. */
function asyncTable(name: string, rows: Row[], minRows = 10): void {
  asyncTables[name] = rows;
  describe(`${name}: bad input → typed rejection naming the argument and value`, () => {
    it(`has ≥ ${minRows} rows (${rows.length})`, () => {
      expect(rows.length).toBeGreaterThanOrEqual(minRows);
    });
    it.each(rows.map((r) => [r.label, r] as const))('%s', async (_label, r) => {
      const { args, snaps } = prepare(r);
      let p: unknown;
      expect(() => { p = (r.fn as (...a: unknown[]) => unknown)(...args); }, 'must not throw synchronously').not.toThrow();
      expect(p).toBeInstanceOf(Promise);
      let err: unknown;
      try {
        await p;
      } catch (e) {
        err = e;
      }
      checkError(err, r);
      checkUnmodified(snaps);
    });
  });
}

beforeAll(async () => {
  await init();
});

afterAll(() => {
  terminateWorkers();
});

// A disposed Dataset (created under the current pass's backend).
function disposed(opts: { weights?: number[] } = {}): Dataset {
  const ds = Dataset.from(X3, y3, opts);
  ds.dispose();
  return ds;
}
/** Run `body` on a live Dataset and free it afterwards. */
function withDataset(body: (ds: Dataset) => unknown, backend?: 'wasm' | 'js'): () => unknown {
  return () => {
    const ds = Dataset.from(X3, y3, backend ? { backend } : {});
    try {
      return body(ds);
    } finally {
      ds.dispose();
    }
  };
}

// ----------------------------------------------------------------------------------------------- fit

table('fit', [
  row('options missing', 'INVALID_INPUT', /fit: options must be an object.*received undefined/, fit, [X3, y3, undefined]),
  row('options null', 'INVALID_INPUT', /options must be an object.*received null/, fit, [X3, y3, null]),
  row('options a string', 'INVALID_INPUT', /options must be an object.*received "l1"/, fit, [X3, y3, 'l1']),
  row('no loss', 'INVALID_INPUT', /loss must be one of 'l2', 'l1', 'quantile', 'huber', 'smooth-l1', .*received undefined/, fit, [X3, y3, {}]),
  row('unknown loss', 'INVALID_INPUT', /loss must be one of.*received "l3"/, fit, [X3, y3, { loss: 'l3' }]),
  row('loss in the wrong case', 'INVALID_INPUT', /loss must be one of.*received "L1"/, fit, [X3, y3, { loss: 'L1' }]),
  row('loss a number', 'INVALID_INPUT', /loss must be one of.*received 2/, fit, [X3, y3, { loss: 2 }]),
  row('tau with loss l2', 'INVALID_INPUT', /unknown option "tau"/, fit, [X3, y3, { loss: 'l2', tau: 0.5 }]),
  row('delta with loss l1', 'INVALID_INPUT', /unknown option "delta"/, fit, [X3, y3, { loss: 'l1', delta: 1 }]),
  row('epsilon with loss huber', 'INVALID_INPUT', /unknown option "epsilon"/, fit, [X3, y3, { loss: 'huber', epsilon: 1 }]),
  row('quantile tau a string', 'INVALID_INPUT', /tau.*"0.5"/, fit, [X3, y3, { loss: 'quantile', tau: '0.5' }]),
  row('huber delta NaN', 'INVALID_INPUT', /delta.*NaN/, fit, [X3, y3, { loss: 'huber', delta: NaN }]),
  row('smooth-l1 epsilon negative', 'INVALID_INPUT', /epsilon.*-1/, fit, [X3, y3, { loss: 'smooth-l1', epsilon: -1 }]),
  row('NaN in y (l1)', 'NON_FINITE', /y\[2\] is NaN/, fit, [X3, [1, 2, NaN, 4, 6], { loss: 'l1' }]),
  row('weights length (huber)', 'DIMENSION_MISMATCH', /weights has length 4 but X has 5 rows/, fit, [X3, y3, { loss: 'huber', weights: [1, 1, 1, 1] }]),
  row('Dataset with a y', 'INVALID_INPUT', /Dataset already holds y/, withDataset((ds) => (fit as (...a: unknown[]) => unknown)(ds, y3, { loss: 'l2' }))),
]);

// ----------------------------------------------------------------------------------------------- ols

table('ols', [
  row('X not an array', 'INVALID_INPUT', /X.*42/, ols, [42, [1]]),
  row('X is a string', 'INVALID_INPUT', /X must be an array of rows.*"abc"/, ols, ['abc', [1]]),
  row('X null', 'INVALID_INPUT', /X.*null/, ols, [null, [1]]),
  row('n = 0', 'INVALID_INPUT', /X has no rows/, ols, [[], []]),
  row('ragged rows', 'DIMENSION_MISMATCH', /X\[1\] has 1 values but X\[0\] has 2/, ols, [[[1, 2], [3]], [1, 2]]),
  row('row not an array', 'INVALID_INPUT', /X\[1\] must be an array.*received 5/, ols, [[[1, 2], 5], [1, 2]]),
  row('NaN in X', 'NON_FINITE', /X\[1\]\[1\] is NaN/, ols, [[[1, 2], [3, NaN], [1, 1]], [1, 2, 3]]),
  row('+Inf in X', 'NON_FINITE', /X\[0\]\[1\] is Infinity/, ols, [[[1, Infinity], [3, 4], [1, 1]], [1, 2, 3]]),
  row('-Inf in y', 'NON_FINITE', /y\[2\] is -Infinity/, ols, [X3, [1, 2, -Infinity, 4, 5]]),
  row('string in X', 'INVALID_INPUT', /X\[0\]\[1\] must be a number, received "2"/, ols, [[[1, '2'], [3, 4], [5, 6]], [1, 2, 3]]),
  row('y length mismatch', 'DIMENSION_MISMATCH', /y has length 3 but X has 5 rows/, ols, [X3, [1, 2, 3]]),
  row('y not array', 'INVALID_INPUT', /y must be an array.*received 7/, ols, [X3, 7]),
  row('y missing', 'INVALID_INPUT', /y must be an array.*received undefined/, ols, [X3]),
  row('weights length', 'DIMENSION_MISMATCH', /weights has length 2/, ols, [X3, y3, { weights: [1, 1] }]),
  row('weights not an array', 'INVALID_INPUT', /weights must be an array.*received 5/, ols, [X3, y3, { weights: 5 }]),
  row('negative weight', 'INVALID_INPUT', /weights\[2\] is -1/, ols, [X3, y3, { weights: [1, 1, -1, 1, 1] }]),
  row('NaN weight', 'NON_FINITE', /weights\[1\] is NaN/, ols, [X3, y3, { weights: [1, NaN, 1, 1, 1] }]),
  row('all-zero weights', 'INVALID_INPUT', /weights are all zero/, ols, [X3, y3, { weights: [0, 0, 0, 0, 0] }]),
  row('weights overflow', 'NON_FINITE', /sum of the weights overflows/, ols, [X3, y3, { weights: [1e308, 1e308, 1, 1, 1] }]),
  row('n < p without ridge', 'RANK_DEFICIENT', /observations? with positive weight for 4 coefficients|ridge/, ols, [[[1, 2, 3], [4, 5, 7]], [1, 2]]),
  row('ridge < 0', 'INVALID_INPUT', /option ridge must be a number in \[0, Infinity\), received -1/, ols, [X3, y3, { ridge: -1 }]),
  row('ridge NaN', 'INVALID_INPUT', /ridge.*NaN/, ols, [X3, y3, { ridge: NaN }]),
  row('ridge Infinity', 'INVALID_INPUT', /ridge must be a number in \[0, Infinity\), received Infinity/, ols, [X3, y3, { ridge: Infinity }]),
  row('intercept not boolean', 'INVALID_INPUT', /option intercept must be true or false, received 1/, ols, [X3, y3, { intercept: 1 }]),
  row('unknown option', 'INVALID_INPUT', /unknown option "intercpt"/, ols, [X3, y3, { intercpt: false }]),
  row('bad backend', 'INVALID_INPUT', /backend.*"gpu"/, ols, [X3, y3, { backend: 'gpu' }]),
  row('options not object', 'INVALID_INPUT', /options must be an object.*received 5/, ols, [X3, y3, 5]),
  row('signal not an AbortSignal', 'INVALID_INPUT', /signal must be an AbortSignal, received "stop"/, ols, [X3, y3, { signal: 'stop' }]),
  row('p = 0 without intercept', 'INVALID_INPUT', /option intercept must be true when X has no columns \(there is nothing to fit\), received false/, ols, [[[], [], []], [1, 2, 3], { intercept: false }]),
  row('matrix data length', 'DIMENSION_MISMATCH', /X.data has length 5/, ols, () => [{ data: new Float64Array(5), rows: 2, cols: 3 }, [1, 2]]),
  row('matrix bad layout', 'INVALID_INPUT', /layout.*"diagonal"/, ols, () => [{ data: new Float64Array(6), rows: 2, cols: 3, layout: 'diagonal' }, [1, 2]]),
  row('matrix negative rows', 'INVALID_INPUT', /X.rows.*-2/, ols, () => [{ data: new Float64Array(6), rows: -2, cols: 3 }, [1, 2]]),
  row('matrix fractional cols', 'INVALID_INPUT', /X.cols must be a non-negative integer, received 1.5/, ols, () => [{ data: new Float64Array(3), rows: 2, cols: 1.5 }, [1, 2]]),
  row('matrix data not numbers', 'INVALID_INPUT', /X.data must be a Float64Array.*"abc"/, ols, [{ data: 'abc', rows: 1, cols: 3 }, [1]]),
  row('matrix NaN', 'NON_FINITE', /X.data\[2\] \(row 1, column 0\) is NaN/, ols, () => [{ data: Float64Array.of(1, 2, NaN, 4, 1, 3), rows: 3, cols: 2 }, [1, 2, 3]]),
  row('typed y with NaN', 'NON_FINITE', /y\[4\] is NaN/, ols, () => [XT(), Float64Array.of(1, 2, 3, 4, NaN)]),
  row('duplicate column', 'RANK_DEFICIENT', /column 1/, ols, [[[1, 1], [2, 2], [3, 3], [4, 4]], [1, 2, 3, 5]]),
  row('constant column', 'RANK_DEFICIENT', /column 1/, ols, [[[1, 7], [2, 7], [3, 7], [4, 7]], [1, 2, 3, 5]]),
]);

// ----------------------------------------------------------------------------------------------- lad

table('lad', [
  row('lambda negative', 'INVALID_INPUT', /lambda.*-0.1/, lad, [X3, y3, { lambda: -0.1 }]),
  row('lambda NaN', 'INVALID_INPUT', /lambda.*NaN/, lad, [X3, y3, { lambda: NaN }]),
  row('lambda Infinity', 'INVALID_INPUT', /lambda must be a number in \[0, Infinity\), received Infinity/, lad, [X3, y3, { lambda: Infinity }]),
  row('lambda a string', 'INVALID_INPUT', /lambda.*"1"/, lad, [X3, y3, { lambda: '1' }]),
  row('maxIter zero', 'INVALID_INPUT', /option maxIter must be an integer in \[1, 2147483647\], received 0/, lad, [X3, y3, { maxIter: 0 }]),
  row('maxIter fractional', 'INVALID_INPUT', /maxIter.*2.5/, lad, [X3, y3, { maxIter: 2.5 }]),
  row('maxIter beyond int32', 'INVALID_INPUT', /maxIter.*2147483648/, lad, [X3, y3, { maxIter: 2 ** 31 }]),
  row('tol negative', 'INVALID_INPUT', /option tol must be a number in \(0, 1\), received -1/, lad, [X3, y3, { tol: -1 }]),
  row('tol 0', 'INVALID_INPUT', /tol must be a number in \(0, 1\), received 0/, lad, [X3, y3, { tol: 0 }]),
  row('tol NaN', 'INVALID_INPUT', /tol.*NaN/, lad, [X3, y3, { tol: NaN }]),
  row('start wrong length', 'DIMENSION_MISMATCH', /start.coef has length 1/, lad, [X3, y3, { start: { coef: [1] } }]),
  row('start NaN', 'NON_FINITE', /start.coef\[1\] is NaN/, lad, [X3, y3, { start: { coef: [1, NaN] } }]),
  row('start not an object', 'INVALID_INPUT', /start must be an object.*received 5/, lad, [X3, y3, { start: 5 }]),
  row('start.intercept NaN', 'INVALID_INPUT', /start.intercept must be a finite number, received NaN/, lad, [X3, y3, { start: { coef: [0, 0], intercept: NaN } }]),
  row('onProgress not a function', 'INVALID_INPUT', /onProgress.*3/, lad, [X3, y3, { onProgress: 3 }]),
  row('tau is not a lad option', 'INVALID_INPUT', /unknown option "tau"/, lad, [X3, y3, { tau: 0.3 }]),
  row('negative weight', 'INVALID_INPUT', /weights\[0\] is -2/, lad, [X3, y3, { weights: [-2, 1, 1, 1, 1] }]),
  row('NaN in y', 'NON_FINITE', /y\[0\] is NaN/, lad, [X3, [NaN, 2, 3, 4, 6]]),
  row('rank deficient', 'RANK_DEFICIENT', /column 1/, lad, [[[1, 2], [2, 4], [3, 6], [4, 8]], [1, 2, 3, 5]]),
  row('pre-aborted signal', 'CANCELLED', /cancelled/, lad, () => [X3, y3, { signal: AbortSignal.abort() }]),
]);

// ------------------------------------------------------------------------------------------ quantile

table('quantile', [
  row('tau = 0', 'INVALID_INPUT', /tau.*strictly between 0 and 1.*received 0/, quantile, [X3, y3, { tau: 0 }]),
  row('tau = 1', 'INVALID_INPUT', /tau.*received 1/, quantile, [X3, y3, { tau: 1 }]),
  row('tau NaN', 'INVALID_INPUT', /tau.*NaN/, quantile, [X3, y3, { tau: NaN }]),
  row('tau negative', 'INVALID_INPUT', /tau.*-0.5/, quantile, [X3, y3, { tau: -0.5 }]),
  row('tau a string', 'INVALID_INPUT', /tau.*"0.3"/, quantile, [X3, y3, { tau: '0.3' }]),
  row('taus empty', 'INVALID_INPUT', /taus must be a non-empty array.*received an array of length 0/, quantile, [X3, y3, { taus: [] }]),
  row('taus not an array', 'INVALID_INPUT', /taus must be a non-empty array.*received 0.5/, quantile, [X3, y3, { taus: 0.5 }]),
  row('taus with 1', 'INVALID_INPUT', /taus\[1\] must be a number strictly between 0 and 1, received 1/, quantile, [X3, y3, { taus: [0.5, 1] }]),
  row('taus with NaN', 'INVALID_INPUT', /taus\[0\].*NaN/, quantile, [X3, y3, { taus: [NaN, 0.5] }]),
  row('tau and taus', 'INVALID_INPUT', /either tau or taus/, quantile, [X3, y3, { tau: 0.5, taus: [0.5] }]),
  row('start with taus', 'INVALID_INPUT', /start cannot be combined with taus/, quantile, [X3, y3, { taus: [0.5], start: { coef: [0, 0] } }]),
  row('taus unknown option', 'INVALID_INPUT', /unknown option "delta"/, quantile, [X3, y3, { taus: [0.5], delta: 1 }]),
  row('taus with NaN in X', 'NON_FINITE', /X\[2\]\[0\] is NaN/, quantile, [[[1, 2], [2, 1], [NaN, 5], [4, 3], [5, 8]], y3, { taus: [0.2, 0.8] }]),
  row('unknown option', 'INVALID_INPUT', /unknown option "tua"/, quantile, [X3, y3, { tua: 0.5 }]),
  row('weights length', 'DIMENSION_MISMATCH', /weights has length 6 but X has 5 rows/, quantile, [X3, y3, { tau: 0.2, weights: [1, 1, 1, 1, 1, 1] }]),
  row('lambda negative', 'INVALID_INPUT', /lambda.*-1/, quantile, [X3, y3, { tau: 0.2, lambda: -1 }]),
]);

// --------------------------------------------------------------------------------------------- huber
// (rows moved from test/estimators/huber.test.ts, plus more)

table('huber', [
  row('delta 0', 'INVALID_INPUT', /delta must be a number in \(0, Infinity\), received 0/, huber, () => [d().X, d().y, { delta: 0 }]),
  row('delta negative', 'INVALID_INPUT', /delta.*-1/, huber, () => [d().X, d().y, { delta: -1 }]),
  row('delta NaN', 'INVALID_INPUT', /delta.*NaN/, huber, () => [d().X, d().y, { delta: NaN }]),
  row('delta Infinity', 'INVALID_INPUT', /option delta must be a number in \(0, Infinity\), received Infinity/, huber, () => [d().X, d().y, { delta: Infinity }]),
  row('scale 0', 'INVALID_INPUT', /scale must be a number in \(0, Infinity\), received 0/, huber, () => [d().X, d().y, { scale: 0 }]),
  row('scale string', 'INVALID_INPUT', /scale.*"1"/, huber, () => [d().X, d().y, { scale: '1' }]),
  row('ridge negative', 'INVALID_INPUT', /option ridge must be a number in \[0, Infinity\), received -1/, huber, () => [d().X, d().y, { ridge: -1 }]),
  row('maxIter 0', 'INVALID_INPUT', /option maxIter must be an integer in \[1, 2147483647\], received 0/, huber, () => [d().X, d().y, { maxIter: 0 }]),
  row('tol 1', 'INVALID_INPUT', /option tol must be a number in \[0, 1\), received 1/, huber, () => [d().X, d().y, { tol: 1 }]),
  row('unknown option', 'INVALID_INPUT', /unknown option "epsilon"/, huber, () => [d().X, d().y, { epsilon: 1 }]),
  row('start length', 'DIMENSION_MISMATCH', /start.coef has length 1/, huber, () => [d().X, d().y, { start: { coef: [1] } }]),
  row('NaN in y', 'NON_FINITE', /y\[1\] is NaN/, huber, [[[1], [2], [3]], [1, NaN, 3]]),
  row('duplicate column', 'RANK_DEFICIENT', /column 1/, huber, [[[1, 1], [2, 2], [3, 3], [4, 4]], [1, 2, 3, 5]]),
  row('duplicate column with start', 'RANK_DEFICIENT', /column 1/, huber, [[[1, 1], [2, 2], [3, 3], [4, 4]], [1, 2, 3, 5], { start: { coef: [0, 0] } }]),
  row('p = 0 without intercept', 'INVALID_INPUT', /option intercept must be true when X has no columns .*received false/, huber, [[[], []], [1, 2], { intercept: false }]),
  row('weights negative', 'INVALID_INPUT', /weights\[3\] is -1/, huber, [X3, y3, { weights: [1, 1, 1, -1, 1] }]),
  row('X ragged', 'DIMENSION_MISMATCH', /X\[2\] has 3 values but X\[0\] has 2/, huber, [[[1, 2], [2, 1], [3, 5, 1]], [1, 2, 3]]),
  row('options not an object', 'INVALID_INPUT', /huber: options must be an object, received "fast"/, huber, [X3, y3, 'fast']),
]);

// ----------------------------------------------------------------------------------------------- lts
const XL = [[1, 2], [2, 1], [3, 5], [4, 3], [5, 8], [6, 2], [7, 7], [8, 1]];
const yL = [1, 2, 3, 4, 6, 5, 8, 7];
/** A Dataset with weights, freed afterwards. */
function withWeightedDataset(body: (ds: Dataset) => unknown): () => unknown {
  return () => {
    const ds = Dataset.from(XL, yL, { weights: [1, 1, 1, 1, 1, 1, 1, 2] });
    try {
      return body(ds);
    } finally {
      ds.dispose();
    }
  };
}
table('lts', [
  row('n too small (n = 2q)', 'INVALID_INPUT', /more than twice as many observations as coefficients: n = 6, .*3 coefficients need n > 6/, lts, [XL.slice(0, 6), yL.slice(0, 6)]),
  row('n too small, no intercept', 'INVALID_INPUT', /n = 4, .*2 coefficients need n > 4/, lts, [XL.slice(0, 4), yL.slice(0, 4), { intercept: false }]),
  row('alpha below 0.5', 'INVALID_INPUT', /option alpha must be a number in \[0.5, 1\), received 0.4/, lts, [XL, yL, { alpha: 0.4 }]),
  row('alpha 1', 'INVALID_INPUT', /option alpha must be a number in \[0.5, 1\), received 1/, lts, [XL, yL, { alpha: 1 }]),
  row('alpha NaN', 'INVALID_INPUT', /alpha.*NaN/, lts, [XL, yL, { alpha: NaN }]),
  row('weights (unsupported)', 'INVALID_INPUT', /weights is not supported by LTS/, lts, [XL, yL, { weights: [1, 1, 1, 1, 1, 1, 1, 1] }]),
  row('Dataset with weights (unsupported)', 'INVALID_INPUT', /Dataset carries weights, which LTS does not support/, withWeightedDataset((ds) => lts(ds))),
  row('rank-deficient (duplicate column)', 'RANK_DEFICIENT', /column 1/, lts, [XL.map((r) => [r[0], 2 * r[0]]), yL]),
  row('constant y', 'INVALID_INPUT', /y is constant \(every value is 3\)/, lts, [XL, yL.map(() => 3)]),
  row('all rows identical', 'RANK_DEFICIENT', /columns 0, 1 of X are constant/, lts, [XL.map(() => [1, 2]), yL]),
  row('subsamples 0', 'INVALID_INPUT', /option subsamples must be an integer in \[1, 10000000\], received 0/, lts, [XL, yL, { subsamples: 0 }]),
  row('seed negative', 'INVALID_INPUT', /option seed must be an integer in \[0, 4294967295\], received -1/, lts, [XL, yL, { seed: -1 }]),
  row('seed fractional', 'INVALID_INPUT', /option seed .*received 1.5/, lts, [XL, yL, { seed: 1.5 }]),
  row('unknown option', 'INVALID_INPUT', /unknown option "delta"/, lts, [XL, yL, { delta: 1 }]),
  row('NaN in y', 'NON_FINITE', /y\[1\] is NaN/, lts, [XL, [1, NaN, 3, 4, 6, 5, 8, 7]]),
  row('p = 0 without intercept', 'INVALID_INPUT', /option intercept must be true when X has no columns .*received false/, lts, [[[], [], [], [], []], [1, 2, 3, 4, 5], { intercept: false }]),
  row('fit loss lts alpha 0.3', 'INVALID_INPUT', /option alpha must be a number in \[0.5, 1\), received 0.3/, fit, [XL, yL, { loss: 'lts', alpha: 0.3 }]),
  row('fit loss lts with weights', 'INVALID_INPUT', /weights is not supported by LTS/, fit, [XL, yL, { loss: 'lts', weights: [1, 1, 1, 1, 1, 1, 1, 1] }]),
]);

// ------------------------------------------------------------------------------------------ smoothL1
// (rows moved from test/estimators/smoothl1.test.ts, plus more)

// ------------------------------------------------------------------------------------------------ mm
// Constant y is not an error for mm: it is an exact fit (scale 0, status 'exact-fit'; test/estimators/mm-properties.test.ts).

/** A Dataset carrying weights, created and freed around the call (mm does not support weights). */
function weightedDatasetMM(): unknown {
  const ds = Dataset.from(d().X, d().y, { weights: d().y.map(() => 1) });
  try {
    return mm(ds);
  } finally {
    ds.dispose();
  }
}

table('mm', [
  row('n <= 2(p + 1) at 50% breakdown', 'INVALID_INPUT', /n = 5 rows are too few for 3 coefficients at breakdown 0.5: need n > 3\/0.5 = 6/, mm, [X3, y3]),
  row('n too small for breakdown 0.15', 'INVALID_INPUT', /n = 21 rows are too few for 4 coefficients at breakdown 0.15/, mm, () => [d().X, d().y, { breakdown: 0.15 }]),
  row('breakdown 0', 'INVALID_INPUT', /option breakdown must be a number in \(0, 0.5\], received 0/, mm, () => [d().X, d().y, { breakdown: 0 }]),
  row('breakdown 0.6', 'INVALID_INPUT', /option breakdown must be a number in \(0, 0.5\], received 0.6/, mm, () => [d().X, d().y, { breakdown: 0.6 }]),
  row('breakdown NaN', 'INVALID_INPUT', /breakdown.*NaN/, mm, () => [d().X, d().y, { breakdown: NaN }]),
  row('efficiency 0.3', 'INVALID_INPUT', /option efficiency must be a number in \[0.5, 0.99\], received 0.3/, mm, () => [d().X, d().y, { efficiency: 0.3 }]),
  row('efficiency 1', 'INVALID_INPUT', /option efficiency must be a number in \[0.5, 0.99\], received 1/, mm, () => [d().X, d().y, { efficiency: 1 }]),
  row('weights (unsupported)', 'INVALID_INPUT', /weights are not supported by the MM-estimator/, mm, () => [d().X, d().y, { weights: d().y.map(() => 1) }]),
  row('Dataset with weights (unsupported)', 'INVALID_INPUT', /weights are not supported by the MM-estimator/, weightedDatasetMM, []),
  row('duplicate column (rank deficient)', 'RANK_DEFICIENT', /column 1/, mm, () => [d().X.map((r) => [r[0], r[0]]), d().y]),
  row('all rows identical', 'RANK_DEFICIENT', /column.* 0, 1/, mm, [Array.from({ length: 12 }, () => [1, 2]), Array.from({ length: 12 }, (_, i) => i)]),
  row('subsamples 0', 'INVALID_INPUT', /option subsamples must be an integer in \[1, 10000000\], received 0/, mm, () => [d().X, d().y, { subsamples: 0 }]),
  row('seed negative', 'INVALID_INPUT', /option seed must be an integer in \[0, 4294967295\], received -1/, mm, () => [d().X, d().y, { seed: -1 }]),
  row('seed 2^32', 'INVALID_INPUT', /option seed must be an integer.*received 4294967296/, mm, () => [d().X, d().y, { seed: 2 ** 32 }]),
  row('start.coef length', 'DIMENSION_MISMATCH', /start.coef has 1 values but X has 3 columns/, mm, () => [d().X, d().y, { start: { coef: [1], scale: 1 } }]),
  row('start.scale missing', 'INVALID_INPUT', /option start.scale must be a finite number >= 0, received undefined/, mm, () => [d().X, d().y, { start: { coef: [1, 1, 1] } }]),
  row('start.scale negative', 'INVALID_INPUT', /start.scale.*-1/, mm, () => [d().X, d().y, { start: { coef: [1, 1, 1], scale: -1 } }]),
  row('maxIter 0', 'INVALID_INPUT', /option maxIter must be an integer in \[1, 10000000\], received 0/, mm, () => [d().X, d().y, { maxIter: 0 }]),
  row('tol 1', 'INVALID_INPUT', /option tol must be a number in \[0, 1\), received 1/, mm, () => [d().X, d().y, { tol: 1 }]),
  row('unknown option', 'INVALID_INPUT', /unknown option "delta"/, mm, () => [d().X, d().y, { delta: 1 }]),
  row('NaN in X', 'NON_FINITE', /X\[1\]\[0\] is NaN/, mm, () => [d().X.map((r, i) => (i === 1 ? [NaN, r[1], r[2]] : r)), d().y]),
  row('p = 0 without intercept', 'INVALID_INPUT', /option intercept must be true when X has no columns/, mm, [[[], [], []], [1, 2, 3], { intercept: false }]),
  row('via fit: efficiency out of range', 'INVALID_INPUT', /option efficiency must be a number in \[0.5, 0.99\], received 0.2/, fit, () => [d().X, d().y, { loss: 'mm', efficiency: 0.2 }]),
]);

table('smoothL1', [
  row('epsilon 0', 'INVALID_INPUT', /epsilon must be a number in \(0, Infinity\), received 0/, smoothL1, () => [stars().X, stars().y, { epsilon: 0 }]),
  row('epsilon negative', 'INVALID_INPUT', /epsilon.*-1/, smoothL1, () => [stars().X, stars().y, { epsilon: -1 }]),
  row('epsilon NaN', 'INVALID_INPUT', /epsilon.*NaN/, smoothL1, () => [stars().X, stars().y, { epsilon: NaN }]),
  row('epsilon Infinity', 'INVALID_INPUT', /epsilon.*Infinity/, smoothL1, [X3, y3, { epsilon: Infinity }]),
  row('epsilon a string', 'INVALID_INPUT', /epsilon.*"0.1"/, smoothL1, [X3, y3, { epsilon: '0.1' }]),
  row('delta is not a smooth-L1 option', 'INVALID_INPUT', /unknown option "delta"/, smoothL1, () => [stars().X, stars().y, { delta: 1 }]),
  row('scale is not a smooth-L1 option', 'INVALID_INPUT', /unknown option "scale"/, smoothL1, () => [stars().X, stars().y, { scale: 1 }]),
  row('rank deficient', 'RANK_DEFICIENT', /column 1/, smoothL1, [[[1, 2], [2, 4], [3, 6], [4, 8]], [1, 2, 3, 5]]),
  row('ridge NaN', 'INVALID_INPUT', /ridge.*NaN/, smoothL1, [X3, y3, { ridge: NaN }]),
  row('maxIter negative', 'INVALID_INPUT', /maxIter.*-1/, smoothL1, [X3, y3, { maxIter: -1 }]),
  row('tol NaN', 'INVALID_INPUT', /tol.*NaN/, smoothL1, [X3, y3, { tol: NaN }]),
  row('start.coef a string', 'INVALID_INPUT', /start.coef must be an array.*"ab"/, smoothL1, [X3, y3, { start: { coef: 'ab' } }]),
  row('weights length', 'DIMENSION_MISMATCH', /weights has length 3/, smoothL1, [X3, y3, { weights: [1, 1, 1] }]),
  row('+Inf in X', 'NON_FINITE', /X\[4\]\[0\] is Infinity/, smoothL1, [[[1, 2], [2, 1], [3, 5], [4, 3], [Infinity, 8]], y3]),
]);

// ----------------------------------------------------------------------------------------- solvePath
// (rows moved from test/estimators/lasso.test.ts, plus more)

table('solvePath', [
  row('bad kind', 'INVALID_INPUT', /kind must be 'lambda' or 'tau'.*"mu"/, solvePath, () => ['mu', [1], d().X, d().y]),
  row('empty values', 'INVALID_INPUT', /values must be a non-empty array/, solvePath, () => ['lambda', [], d().X, d().y]),
  row('values not an array', 'INVALID_INPUT', /values must be a non-empty array of numbers, received 1/, solvePath, () => ['lambda', 1, d().X, d().y]),
  row('negative lambda', 'INVALID_INPUT', /values\[1\] \(lambda\) must be a number in \[0, Infinity\), received -2/, solvePath, () => ['lambda', [1, -2], d().X, d().y]),
  row('NaN lambda', 'INVALID_INPUT', /values\[0\] \(lambda\).*NaN/, solvePath, ['lambda', [NaN], X3, y3]),
  row('Infinity lambda', 'INVALID_INPUT', /values\[0\] \(lambda\).*Infinity/, solvePath, ['lambda', [Infinity], X3, y3]),
  row('tau out of range', 'INVALID_INPUT', /values\[1\] \(tau\).*strictly between 0 and 1/, solvePath, () => ['tau', [0.5, 1], d().X, d().y]),
  row('tau a string', 'INVALID_INPUT', /values\[0\] \(tau\).*"0.5"/, solvePath, ['tau', ['0.5'], X3, y3]),
  row('lambda option with lambda kind', 'INVALID_INPUT', /lambda must be undefined/, solvePath, () => ['lambda', [1], d().X, d().y, { lambda: 1 }]),
  row('tau option with tau kind', 'INVALID_INPUT', /tau must be undefined/, solvePath, () => ['tau', [0.5], d().X, d().y, { tau: 0.5 }]),
  row('tau option out of range (lambda kind)', 'INVALID_INPUT', /tau.*received 2/, solvePath, ['lambda', [1], X3, y3, { tau: 2 }]),
  row('lambda option negative (tau kind)', 'INVALID_INPUT', /lambda.*-1/, solvePath, ['tau', [0.5], X3, y3, { lambda: -1 }]),
  row('unknown option', 'INVALID_INPUT', /unknown option "delta"/, solvePath, () => ['lambda', [1], d().X, d().y, { delta: 1 }]),
  row('options not an object', 'INVALID_INPUT', /options must be an object, received 3/, solvePath, ['lambda', [1], X3, y3, 3]),
  row('NaN in X', 'NON_FINITE', /X\[0\]\[1\] is NaN/, solvePath, ['lambda', [1, 0], [[1, NaN], [2, 1], [3, 5], [4, 3], [5, 8]], y3]),
  row('y length', 'DIMENSION_MISMATCH', /y has length 2 but X has 5 rows/, solvePath, ['tau', [0.5], X3, [1, 2]]),
  row('negative weight', 'INVALID_INPUT', /weights\[1\] is -1/, solvePath, ['lambda', [1], X3, y3, { weights: [1, -1, 1, 1, 1] }]),
  row('Dataset with weights', 'INVALID_INPUT', /weights cannot be combined with a Dataset/, withDataset((ds) => solvePath('lambda', [1], ds, undefined, { weights: w3 }))),
  row('Dataset with a second y', 'INVALID_INPUT', /path: a Dataset already holds y.*received an array of length 5/, withDataset((ds) => solvePath('lambda', [1], ds, [9, 9, 9, 9, 9]))),
]);

// ----------------------------------------------------------------------------------------- lambdaMax

table('lambdaMax', [
  row('bad tau', 'INVALID_INPUT', /tau.*strictly between 0 and 1.*received 0/, lambdaMax, () => [d().X, d().y, { tau: 0 }]),
  row('tau NaN', 'INVALID_INPUT', /tau.*NaN/, lambdaMax, [X3, y3, { tau: NaN }]),
  row('y length', 'DIMENSION_MISMATCH', /y has length 2/, lambdaMax, () => [d().X, [1, 2]]),
  row('y NaN', 'NON_FINITE', /y\[3\] is NaN/, lambdaMax, [X3, [1, 2, 3, NaN, 6]]),
  row('X null', 'INVALID_INPUT', /X must be an array.*null/, lambdaMax, [null, y3]),
  row('X empty', 'INVALID_INPUT', /lambdaMax: X has no rows/, lambdaMax, [[], []]),
  row('weights length', 'DIMENSION_MISMATCH', /weights has length 2/, lambdaMax, [X3, y3, { weights: [1, 1] }]),
  row('weights all zero', 'INVALID_INPUT', /weights are all zero/, lambdaMax, [X3, y3, { weights: [0, 0, 0, 0, 0] }]),
  row('weights NaN', 'NON_FINITE', /weights\[4\] is NaN/, lambdaMax, [X3, y3, { weights: [1, 1, 1, 1, NaN] }]),
  row('unknown option lambda', 'INVALID_INPUT', /unknown option "lambda"/, lambdaMax, [X3, y3, { lambda: 1 }]),
  row('intercept not boolean', 'INVALID_INPUT', /intercept.*"yes"/, lambdaMax, [X3, y3, { intercept: 'yes' }]),
  row('options not an object', 'INVALID_INPUT', /options must be an object, received true/, lambdaMax, [X3, y3, true]),
  row('Dataset with weights', 'INVALID_INPUT', /weights cannot be combined with a Dataset/, withDataset((ds) => lambdaMax(ds, undefined, { weights: w3 }))),
  row('Dataset with a second y', 'INVALID_INPUT', /lambdaMax: a Dataset already holds y.*received an array of length 5/, withDataset((ds) => lambdaMax(ds, [9, 9, 9, 9, 9]))),
]);

// ------------------------------------------------------------------------------------- Dataset.from

table('Dataset.from', [
  row('X not an array', 'INVALID_INPUT', /X must be an array.*received 3/, Dataset.from, [3, y3]),
  row('X empty', 'INVALID_INPUT', /X has no rows/, Dataset.from, [[], []]),
  row('X ragged', 'DIMENSION_MISMATCH', /X\[1\] has 1 values but X\[0\] has 2/, Dataset.from, [[[1, 2], [3]], [1, 2]]),
  row('NaN in X', 'NON_FINITE', /X\[4\]\[1\] is NaN/, Dataset.from, [[[1, 2], [2, 1], [3, 5], [4, 3], [5, NaN]], y3]),
  row('Infinity in y', 'NON_FINITE', /y\[0\] is Infinity/, Dataset.from, [X3, [Infinity, 2, 3, 4, 6]]),
  row('string in y', 'INVALID_INPUT', /y\[1\] must be a number, received "2"/, Dataset.from, [X3, [1, '2', 3, 4, 6]]),
  row('y length', 'DIMENSION_MISMATCH', /y has length 4 but X has 5 rows/, Dataset.from, [X3, [1, 2, 3, 4]]),
  row('weights length', 'DIMENSION_MISMATCH', /weights has length 1/, Dataset.from, [X3, y3, { weights: [1] }]),
  row('weights negative', 'INVALID_INPUT', /weights\[4\] is -3/, Dataset.from, [X3, y3, { weights: [1, 1, 1, 1, -3] }]),
  row('weights all zero', 'INVALID_INPUT', /weights are all zero/, Dataset.from, [X3, y3, { weights: [0, 0, 0, 0, 0] }]),
  row('unknown option', 'INVALID_INPUT', /Dataset.from: unknown option "intercept"/, Dataset.from, [X3, y3, { intercept: false }]),
  row('bad backend', 'INVALID_INPUT', /backend.*"cpu"/, Dataset.from, [X3, y3, { backend: 'cpu' }]),
  row('options not an object', 'INVALID_INPUT', /options must be an object, received "js"/, Dataset.from, [X3, y3, 'js']),
  row('matrix data length', 'DIMENSION_MISMATCH', /X.data has length 9 but X.rows × X.cols = 5 × 2 = 10/, Dataset.from, () => [{ data: new Float64Array(9), rows: 5, cols: 2 }, yT()]),
]);

// ------------------------------------------------------------------ modelFrame / Dataset.fromColumns

const cols = () => ({ y: [1, 2, 3, 4, 5], x: [1, 3, 2, 5, 4], g: ['a', 'b', 'a', 'b', 'c'], ok: [true, false, true, true, false] });
const frameRows = (fn: (...a: never[]) => unknown, name: string) => [
  row('table not an object', 'INVALID_INPUT', new RegExp(`${name}: table must be an object.*received 3`), fn, [3, { y: 'y' }]),
  row('options missing', 'INVALID_INPUT', /options must be an object.*received undefined|option y \(the response column\) is required/, fn, () => [cols()]),
  row('y missing', 'INVALID_INPUT', /option y \(the response column\) is required/, fn, () => [cols(), {}]),
  row('unknown y', 'INVALID_INPUT', /column "z" \(y\) is not in the table/, fn, () => [cols(), { y: 'z' }]),
  row('text y', 'INVALID_INPUT', /response column "g" is text \(values such as "a", "b"\)/, fn, () => [cols(), { y: 'g' }]),
  row('x repeats', 'INVALID_INPUT', /option x names column "x" twice/, fn, () => [cols(), { y: 'y', x: ['x', 'x'] }]),
  row('factor not in x', 'INVALID_INPUT', /option factors names "g", which is not a predictor/, fn, () => [cols(), { y: 'y', x: ['x'], factors: ['g'] }]),
  row('too many levels', 'INVALID_INPUT', /column "g" has 3 distinct values: as a factor that is more than 2 levels/, fn, () => [cols(), { y: 'y', maxLevels: 2 }]),
  row('ragged columns', 'DIMENSION_MISMATCH', /column "x" has 2 rows but column "y" has 5/, fn, () => [{ y: [1, 2, 3, 4, 5], x: [1, 2] }, { y: 'y' }]),
  row('Infinity', 'NON_FINITE', /column "x" \(x\), row 1: Infinity is not finite/, fn, () => [{ y: [1, 2, 3], x: [1, Infinity, 2] }, { y: 'y' }]),
  row('mixed column', 'INVALID_INPUT', /column "x" mixes numbers and strings \(row 1: "b"\)/, fn, () => [{ y: [1, 2, 3], x: [1, 'b', 2] }, { y: 'y' }]),
  row('na fail', 'INVALID_INPUT', /1 row has a missing value in a used column \(rows 2, 0-based\)/, fn, () => [{ y: [1, 2, null, 4], x: [1, 2, 3, 4] }, { y: 'y', na: 'fail' }]),
  row('bad na', 'INVALID_INPUT', /option na must be 'omit' or 'fail', received "drop"/, fn, () => [cols(), { y: 'y', na: 'drop' }]),
  row('negative weight', 'INVALID_INPUT', /column "x" \(weights\), row 0: -1 is negative/, fn, () => [{ y: [1, 2, 3], x: [-1, 2, 3] }, { y: 'y', weights: 'x' }]),
  row('bad code', 'INVALID_INPUT', /column "g", row 1: code 7 is not an index into its 2 levels/, fn, () => [{ y: [1, 2, 3], g: { codes: [0, 7, 1], levels: ['a', 'b'] } }, { y: 'y' }]),
];
table('modelFrame', frameRows(modelFrame as never, 'modelFrame'));
table('Dataset.fromColumns', [
  ...frameRows(Dataset.fromColumns as never, 'Dataset.fromColumns'),
  row('f32 overflow (after the memory is allocated)', 'NON_FINITE', /column "x", row 2: 1e\+39 is beyond the float32 range/, Dataset.fromColumns as never, () => [{ y: [1, 2, 3, 4], x: [1, 2, 1e39, 4] }, { y: 'y', precision: 'f32' }]),
  row('weights all zero', 'INVALID_INPUT', /weights of the rows used are all zero/, Dataset.fromColumns as never, () => [{ y: [1, 2, 3], w: [0, 0, 0] }, { y: 'y', weights: 'w' }]),
  row('bad precision', 'INVALID_INPUT', /option precision must be 'f64' or 'f32', received "f16"/, Dataset.fromColumns as never, () => [cols(), { y: 'y', precision: 'f16' }]),
]);

function writerCall(body: (w: ReturnType<typeof Dataset.columnWriter>) => unknown): () => unknown {
  return () => {
    const w = Dataset.columnWriter(1, { capacity: 4 });
    try {
      return body(w);
    } finally {
      w.dispose();
    }
  };
}
table('Dataset.columnWriter / finish', [
  row('cols not an integer', 'INVALID_INPUT', /Dataset.columnWriter: cols must be a non-negative integer, received 1.5/, Dataset.columnWriter as never, [1.5]),
  row('capacity 0', 'INVALID_INPUT', /option capacity must be an integer in \[1, 2147483647\], received 0/, Dataset.columnWriter as never, [1, { capacity: 0 }]),
  row('bad precision', 'INVALID_INPUT', /option precision must be 'f64' or 'f32', received "f16"/, Dataset.columnWriter as never, [1, { precision: 'f16' }]),
  row('unknown option', 'INVALID_INPUT', /Dataset.columnWriter: unknown option "rows"/, Dataset.columnWriter as never, [1, { rows: 3 }]),
  row('finish: rows beyond capacity', 'INVALID_INPUT', /ColumnWriter.finish: rows must be an integer in \[0, 4\], received 9/, writerCall((w) => w.finish(9, { y: 'y', x: ['x'] })) as never),
  row('finish: names do not match', 'DIMENSION_MISMATCH', /ColumnWriter.finish: names must give 1 x columns/, writerCall((w) => w.finish(2, { y: 'y', x: ['a', 'b'] })) as never),
  row('finish: Infinity written', 'NON_FINITE', /column "x" \(x\), row 1: Infinity is not finite/, writerCall((w) => { const v = w.views(); v.x[0].set([1, Infinity]); v.y.set([1, 2]); return w.finish(2, { y: 'y', x: ['x'] }); }) as never),
], 7);

// ---------------------------------------------------------------------- Dataset.builder / append / finish

function builderCall(body: (b: ReturnType<typeof Dataset.builder>) => unknown, opts?: Parameters<typeof Dataset.builder>[1]): () => unknown {
  return () => {
    const b = Dataset.builder(2, opts);
    try {
      return body(b);
    } finally {
      b.dispose();
    }
  };
}

table('Dataset.builder', [
  row('cols negative', 'INVALID_INPUT', /cols must be a non-negative integer, received -1/, Dataset.builder, [-1]),
  row('cols fractional', 'INVALID_INPUT', /cols must be a non-negative integer, received 1.5/, Dataset.builder, [1.5]),
  row('cols a string', 'INVALID_INPUT', /cols must be a non-negative integer, received "2"/, Dataset.builder, ['2']),
  row('capacity 0', 'INVALID_INPUT', /capacity must be an integer in \[1, 2147483647\], received 0/, Dataset.builder, [2, { capacity: 0 }]),
  row('capacity fractional', 'INVALID_INPUT', /capacity.*2.5/, Dataset.builder, [2, { capacity: 2.5 }]),
  row('weights not boolean', 'INVALID_INPUT', /weights must be true or false, received an array of length 5/, Dataset.builder, [2, { weights: w3 }]),
  row('unknown option', 'INVALID_INPUT', /Dataset.builder: unknown option "rows"/, Dataset.builder, [2, { rows: 5 }]),
  row('bad backend', 'INVALID_INPUT', /backend.*"gpu"/, Dataset.builder, [2, { backend: 'gpu' }]),
  row('append: column mismatch', 'DIMENSION_MISMATCH', /X has 3 columns but the builder has 2/, builderCall((b) => b.append([[1, 2, 3]], [1]))),
  row('append: y length', 'DIMENSION_MISMATCH', /y has length 2 but X has 1 rows/, builderCall((b) => b.append([[1, 2]], [1, 2]))),
  row('append: NaN in X', 'NON_FINITE', /X\[0\]\[1\] is NaN/, builderCall((b) => b.append([[1, NaN]], [1]))),
  row('append: y not an array', 'INVALID_INPUT', /y must be an array.*received null/, builderCall((b) => b.append([[1, 2]], null as never))),
  row('append: weights missing', 'INVALID_INPUT', /weights are required/, builderCall((b) => b.append([[1, 2]], [1]), { weights: true })),
  row('append: weights not enabled', 'INVALID_INPUT', /weights were given but the builder was created without weights: true/, builderCall((b) => b.append([[1, 2]], [1], [1]))),
  row('append: negative weight', 'INVALID_INPUT', /weights\[0\] is -1/, builderCall((b) => b.append([[1, 2]], [1], [-1]), { weights: true })),
  row('append after finish', 'INVALID_INPUT', /append: the builder is finished or disposed/, () => {
    const b = Dataset.builder(2);
    const ds = b.append(X3, y3).finish();
    try {
      b.append(X3, y3);
    } finally {
      ds.dispose();
    }
  }),
  row('append after dispose', 'INVALID_INPUT', /append: the builder is finished or disposed/, builderCall((b) => { b.dispose(); b.append(X3, y3); })),
  row('finish with no rows', 'INVALID_INPUT', /finish: no rows were appended/, builderCall((b) => b.finish())),
  row('finish with all-zero weights', 'INVALID_INPUT', /weights are all zero/, builderCall((b) => b.append(X3, y3, [0, 0, 0, 0, 0]).finish(), { weights: true })),
  row('finish twice', 'INVALID_INPUT', /finish: the builder is finished or disposed/, () => {
    const b = Dataset.builder(2);
    const ds = b.append(X3, y3).finish();
    try {
      b.finish();
    } finally {
      ds.dispose();
    }
  }),
]);

// ------------------------------------------------------------------------- a disposed Dataset, anywhere

table('disposed Dataset', [
  row('fit', 'INVALID_INPUT', /ols: this Dataset has been disposed/, () => fit(disposed(), { loss: 'l2' })),
  row('ols', 'INVALID_INPUT', /ols: this Dataset has been disposed/, () => ols(disposed())),
  row('lad', 'INVALID_INPUT', /lad: this Dataset has been disposed/, () => lad(disposed())),
  row('quantile', 'INVALID_INPUT', /quantile: this Dataset has been disposed/, () => quantile(disposed(), { tau: 0.3 })),
  row('quantile with taus', 'INVALID_INPUT', /this Dataset has been disposed/, () => quantile(disposed(), { taus: [0.3, 0.6] })),
  row('huber', 'INVALID_INPUT', /huber: this Dataset has been disposed/, () => huber(disposed())),
  row('smoothL1', 'INVALID_INPUT', /smoothL1: this Dataset has been disposed/, () => smoothL1(disposed())),
  row('solvePath lambda', 'INVALID_INPUT', /path: this Dataset has been disposed/, () => solvePath('lambda', [1, 0.5], disposed(), undefined)),
  row('solvePath tau', 'INVALID_INPUT', /path: this Dataset has been disposed/, () => solvePath('tau', [0.2, 0.5], disposed(), undefined)),
  row('lambdaMax', 'INVALID_INPUT', /lambdaMax: this Dataset has been disposed/, () => lambdaMax(disposed(), undefined)),
  row('toArrays', 'INVALID_INPUT', /Dataset.toArrays: this Dataset has been disposed/, () => disposed().toArrays()),
  row('GramAccumulator.add', 'INVALID_INPUT', /GramAccumulator.add: this Dataset has been disposed/, () => new GramAccumulator(2).add(disposed())),
  row('weighted, fit huber', 'INVALID_INPUT', /huber: this Dataset has been disposed/, () => fit(disposed({ weights: w3 }), { loss: 'huber' })),
  row('backend mismatch (live Dataset)', 'INVALID_INPUT', /lives in the wasm backend's memory but backend 'js' was requested/, withDataset((ds) => ols(ds, { backend: 'js' }), 'wasm')),
]);

// ---------------------------------------------------------------------------------- GramAccumulator

const accWith = (body: (a: GramAccumulator) => unknown) => () => body(new GramAccumulator(2).add(X3, y3));
const goodJSON = () => new GramAccumulator(2, { backend: 'js' }).add(X3, y3).toJSON();

table('GramAccumulator (constructor, add)', [
  row('p negative', 'INVALID_INPUT', /p \(the number of columns of X\) must be an integer in \[0, 4096\], received -1/, (p: number) => new GramAccumulator(p), [-1]),
  row('p fractional', 'INVALID_INPUT', /p .*received 2.5/, (p: number) => new GramAccumulator(p), [2.5]),
  row('p too large', 'INVALID_INPUT', /p .*received 5000/, (p: number) => new GramAccumulator(p), [5000]),
  row('p a string', 'INVALID_INPUT', /p .*received "2"/, (p: number) => new GramAccumulator(p), ['2']),
  row('bad backend', 'INVALID_INPUT', /backend.*"gpu"/, (o: never) => new GramAccumulator(2, o), [{ backend: 'gpu' }]),
  row('unknown option', 'INVALID_INPUT', /GramAccumulator: unknown option "ridge"/, (o: never) => new GramAccumulator(2, o), [{ ridge: 1 }]),
  row('add: column mismatch', 'DIMENSION_MISMATCH', /X has 1 columns but the accumulator has 2/, (X: number[][], y: number[]) => new GramAccumulator(2).add(X, y), [[[1], [2]], [1, 2]]),
  row('add: y length', 'DIMENSION_MISMATCH', /y has length 4 but X has 5 rows/, (X: number[][], y: number[]) => new GramAccumulator(2).add(X, y), [X3, [1, 2, 3, 4]]),
  row('add: y missing', 'INVALID_INPUT', /y must be an array.*received undefined/, (X: number[][]) => new GramAccumulator(2).add(X), [X3]),
  row('add: NaN in X', 'NON_FINITE', /X\[0\]\[2\] is NaN/, (X: number[][], y: number[]) => new GramAccumulator(3).add(X, y), [[[1, 2, NaN]], [1]]),
  row('add: Infinity in y', 'NON_FINITE', /y\[0\] is Infinity/, (X: number[][], y: number[]) => new GramAccumulator(3).add(X, y), [[[1, 2, 3]], [Infinity]]),
  row('add: negative weight', 'INVALID_INPUT', /weights\[0\] is -1/, (X: number[][], y: number[], w: number[]) => new GramAccumulator(3).add(X, y, w), [[[1, 2, 3]], [1], [-1]]),
  row('add: weights overflow', 'NON_FINITE', /sum of the weights overflows/, (X: number[][], y: number[], w: number[]) => new GramAccumulator(2).add(X, y, w), [X3, y3, [1e308, 1e308, 1, 1, 1]]),
  row('add: X a string', 'INVALID_INPUT', /X must be an array.*"rows"/, (X: never, y: number[]) => new GramAccumulator(2).add(X, y), ['rows', [1]]),
  row('add: Dataset with y', 'INVALID_INPUT', /a Dataset carries its own y and weights/, withDataset((ds) => new GramAccumulator(2).add(ds, y3))),
  row('add: Dataset columns', 'DIMENSION_MISMATCH', /the Dataset has 2 columns but the accumulator has 3/, withDataset((ds) => new GramAccumulator(3).add(ds))),
]);

table('GramAccumulator.merge', [
  row('not an accumulator', 'INVALID_INPUT', /merge: expected a GramAccumulator.*received an object \(Object\)/, accWith((a) => a.merge({} as never))),
  row('null', 'INVALID_INPUT', /merge: expected a GramAccumulator.*received null/, accWith((a) => a.merge(null as never))),
  row('its JSON', 'INVALID_INPUT', /use GramAccumulator.fromJSON/, accWith((a) => a.merge(a.toJSON() as never))),
  row('column mismatch', 'DIMENSION_MISMATCH', /the other accumulator has 4 columns but this one has 2/, accWith((a) => a.merge(new GramAccumulator(4)))),
], 4);

table('GramAccumulator.fromJSON', [
  row('null', 'INVALID_INPUT', /json must be an object produced by GramAccumulator.toJSON\(\), received null/, GramAccumulator.fromJSON, [null]),
  row('bad JSON text', 'INVALID_INPUT', /json must be valid JSON text/, GramAccumulator.fromJSON, ['{not json']),
  row('wrong format', 'INVALID_INPUT', /format must be "robustreg.GramAccumulator", received "other"/, GramAccumulator.fromJSON, () => [{ ...goodJSON(), format: 'other' }]),
  row('version 2', 'INVALID_INPUT', /version must be 1, received 2/, GramAccumulator.fromJSON, () => [{ ...goodJSON(), version: 2 }]),
  row('p fractional', 'INVALID_INPUT', /p must be an integer in \[0, 4096\], received 1.5/, GramAccumulator.fromJSON, () => [{ ...goodJSON(), p: 1.5 }]),
  row('rows negative', 'INVALID_INPUT', /rows must be a non-negative integer, received -3/, GramAccumulator.fromJSON, () => [{ ...goodJSON(), rows: -3 }]),
  row('positiveRows > rows', 'INVALID_INPUT', /positiveRows must be at most rows \(5\), received 6/, GramAccumulator.fromJSON, () => [{ ...goodJSON(), positiveRows: 6 }]),
  row('weightSum NaN', 'INVALID_INPUT', /weightSum must be a finite number ≥ 0, received NaN/, GramAccumulator.fromJSON, () => [{ ...goodJSON(), weightSum: NaN }]),
  row('mean too short', 'INVALID_INPUT', /mean must be an array of 3 numbers, received an array of length 2/, GramAccumulator.fromJSON, () => { const g = goodJSON(); return [{ ...g, mean: g.mean.slice(1) }]; }),
  row('R entry null', 'INVALID_INPUT', /R\[2\] must be a finite number, received null/, GramAccumulator.fromJSON, () => { const g = goodJSON(); return [{ ...g, R: g.R.map((v, i) => (i === 2 ? null : v)) }]; }),
  row('R negative diagonal', 'INVALID_INPUT', /R must be a factor with a non-negative diagonal, received -1/, GramAccumulator.fromJSON, () => { const g = goodJSON(); return [{ ...g, R: [-1, ...g.R.slice(1)] }]; }),
  row('meanLo Infinity', 'INVALID_INPUT', /meanLo\[0\] must be a finite number, received Infinity/, GramAccumulator.fromJSON, () => { const g = goodJSON(); return [{ ...g, meanLo: g.meanLo.map(() => Infinity) }]; }),
  row('unknown option', 'INVALID_INPUT', /GramAccumulator: unknown option "p"/, GramAccumulator.fromJSON, () => [goodJSON(), { p: 2 }]),
]);

table('GramAccumulator.solve / comoments', [
  row('ridge negative', 'INVALID_INPUT', /ridge.*-1/, accWith((a) => a.solve({ ridge: -1 }))),
  row('ridge NaN', 'INVALID_INPUT', /ridge.*NaN/, accWith((a) => a.solve({ ridge: NaN }))),
  row('intercept a number', 'INVALID_INPUT', /intercept must be true or false, received 1/, accWith((a) => a.solve({ intercept: 1 as never }))),
  row('unknown option', 'INVALID_INPUT', /unknown option "tau"/, accWith((a) => a.solve({ tau: 0.5 } as never))),
  row('bad backend', 'INVALID_INPUT', /backend.*"gpu"/, accWith((a) => a.solve({ backend: 'gpu' as never }))),
  row('options not an object', 'INVALID_INPUT', /options must be an object, received 7/, accWith((a) => a.solve(7 as never))),
  row('no rows', 'INVALID_INPUT', /no rows have been added/, () => new GramAccumulator(2).solve()),
  row('zero weights', 'INVALID_INPUT', /weights are all zero \(5 rows added\)/, () => new GramAccumulator(2).add(X3, y3, [0, 0, 0, 0, 0]).solve()),
  row('p = 0 without intercept', 'INVALID_INPUT', /option intercept must be true when X has no columns.*received false/, () => new GramAccumulator(0).add([[], []], [1, 2]).solve({ intercept: false })),
  row('rank deficient', 'RANK_DEFICIENT', /column 1/, () => new GramAccumulator(2).add([[1, 2], [2, 4], [3, 6], [4, 8]], [1, 2, 3, 5]).solve()),
  row('restored means that overflow the intercept', 'NON_FINITE', /solve: the intercept .* overflows double precision/, () => { const g = goodJSON(); return GramAccumulator.fromJSON({ ...g, mean: g.mean.map((m) => m * 1e300) }).solve(); }),
  row('comoments() that overflow', 'NON_FINITE', /comoments: entry \(0, 0\) of the co-moment matrix overflows/, () => { const g = goodJSON(); return GramAccumulator.fromJSON({ ...g, R: g.R.map((r) => r * 1e300) }).comoments(); }),
]);

// ------------------------------------------------------------------------------------------- summary

const l2res = () => ols(X3, y3);
const l1res = () => lad(X3, y3);
table('summary', [
  row('result a string', 'INVALID_INPUT', /result must be the object returned by a fit, received "l2"/, summary, () => ['l2', X3, y3]),
  row('result.loss missing', 'INVALID_INPUT', /no inference for result.loss undefined/, summary, () => [{ coef: [1, 1], intercept: 0, objective: 0 }, X3, y3]),
  row('result.coef not an array', 'INVALID_INPUT', /result.coef must be the Float64Array of a fit, received 3/, summary, () => [{ ...l2res(), coef: 3 }, X3, y3]),
  row('result.coef NaN', 'NON_FINITE', /result.coef\[1\] is NaN/, summary, () => [{ ...l2res(), coef: [1, NaN] }, X3, y3]),
  row('result.intercept NaN', 'INVALID_INPUT', /result.intercept must be a finite number, received NaN/, summary, () => [{ ...l2res(), intercept: NaN }, X3, y3]),
  row('quantile result without tau', 'INVALID_INPUT', /result.tau in \(0, 1\), received undefined/, summary, () => [{ ...l1res(), loss: 'quantile' }, X3, y3]),
  row('options not an object', 'INVALID_INPUT', /options must be an object, received 1/, summary, () => [l2res(), X3, y3, 1]),
  row('level NaN', 'INVALID_INPUT', /level must be a number strictly between 0 and 1, received NaN/, summary, () => [l2res(), X3, y3, { level: NaN }]),
  row('weights length', 'DIMENSION_MISMATCH', /weights has length 2/, summary, () => [l2res(), X3, y3, { weights: [1, 1] }]),
  row('weights negative', 'INVALID_INPUT', /weights\[0\] is -1/, summary, () => [l2res(), X3, y3, { weights: [-1, 1, 1, 1, 1] }]),
  row('names not strings', 'INVALID_INPUT', /names must be an array of 2 strings.*received an array of length 2/, summary, () => [l2res(), X3, y3, { names: ['a', 1] }]),
  row('X not an array', 'INVALID_INPUT', /X must be an array.*received 5/, summary, () => [l2res(), 5, y3]),
  row('y NaN', 'NON_FINITE', /y\[1\] is NaN/, summary, () => [l2res(), X3, [1, NaN, 3, 4, 6]]),
  row('B too large', 'INVALID_INPUT', /B must be an integer in \[2, 1000000\], received 2000000/, summary, () => [l1res(), X3, y3, { se: 'boot', B: 2e6 }]),
  row('seed fractional', 'INVALID_INPUT', /seed must be an integer in \[0, 4294967295\], received 0.5/, summary, () => [l1res(), X3, y3, { se: 'boot', seed: 0.5 }]),
  row('ci unknown', 'INVALID_INPUT', /ci must be one of 'wald', 'percentile'.*received "bca"/, summary, () => [l1res(), X3, y3, { se: 'boot', ci: 'bca' }]),
  row('bandwidth unknown', 'INVALID_INPUT', /bandwidth must be one of 'hall-sheather', 'bofinger'.*received "silverman"/, summary, () => [l1res(), X3, y3, { se: 'ker', bandwidth: 'silverman' }]),
  row('backend bad (l1)', 'INVALID_INPUT', /backend.*"gpu"/, summary, () => [l1res(), X3, y3, { backend: 'gpu' }]),
  row('nid on an exact fit', 'RANK_DEFICIENT', /se = 'nid'.*density estimate is positive at only 0 of 6 observations.*se: 'boot'/, summary,
    () => [lad([[1], [2], [3], [4], [5], [6]], [3, 5, 7, 9, 11, 13]), [[1], [2], [3], [4], [5], [6]], [3, 5, 7, 9, 11, 13], { se: 'nid' }]),
  // se: 'rank' (the default for l1/quantile below 1001 rows)
  row('rank with one coefficient', 'INVALID_INPUT', /rank-inversion intervals need at least 2 coefficients.*se: 'nid'/, summary,
    () => [lad([[1], [2], [3], [4], [5]], [1, 2, 3, 5, 4], { intercept: false }), [[1], [2], [3], [4], [5]], [1, 2, 3, 5, 4], { intercept: false }]),
  row('iid not boolean', 'INVALID_INPUT', /option iid must be true or false, received "no"/, summary, () => [l1res(), X3, y3, { se: 'rank', iid: 'no' }]),
  row('iid with nid', 'INVALID_INPUT', /option iid applies only to se: 'rank', not to se: 'nid'/, summary, () => [l1res(), X3, y3, { se: 'nid', iid: false }]),
  row('B with rank', 'INVALID_INPUT', /option B applies only to se: 'boot', not to se: 'rank'/, summary, () => [l1res(), X3, y3, { B: 50 }]),
  row('bad backend with rank', 'INVALID_INPUT', /backend/, summary, () => [l1res(), X3, y3, { backend: 'gpu' }]),
  row('rank non-iid, tau ± h outside (0, 1)', 'INVALID_INPUT', /iid: false: tau ± h = 0.02 ± .* leaves \(0, 1\).*iid: true/, summary,
    () => [quantile(X3, y3, { tau: 0.02 }), X3, y3, { iid: false }]),
]);

// ------------------------------------------------------- quantileProcess / processAt / quantileTest

const slX = () => d().X;
const slY = () => d().y;
table('quantileProcess', [
  row('taus below 0', 'INVALID_INPUT', /option taus must be a range \[lo, hi\] inside \[0, 1\] with lo < hi, received an array of length 2/, quantileProcess, () => [X3, y3, { taus: [-0.1, 0.5] }]),
  row('taus above 1', 'INVALID_INPUT', /option taus must be a range \[lo, hi\] inside \[0, 1\]/, quantileProcess, () => [X3, y3, { taus: [0.5, 1.2] }]),
  row('taus reversed', 'INVALID_INPUT', /option taus must be a range \[lo, hi\] inside \[0, 1\] with lo < hi/, quantileProcess, () => [X3, y3, { taus: [0.6, 0.4] }]),
  row('taus empty range', 'INVALID_INPUT', /with lo < hi/, quantileProcess, () => [X3, y3, { taus: [0.4, 0.4] }]),
  row('taus one number', 'INVALID_INPUT', /option taus must be a range \[lo, hi\] of two numbers/, quantileProcess, () => [X3, y3, { taus: 0.5 }]),
  row('taus NaN', 'INVALID_INPUT', /option taus must be a range \[lo, hi\] of two numbers/, quantileProcess, () => [X3, y3, { taus: [NaN, 0.5] }]),
  row('rank-deficient design', 'RANK_DEFICIENT', /quantileProcess: the design \(with its intercept column\) does not have full column rank 3/, quantileProcess, () => [[[1, 2], [2, 4], [3, 6], [4, 8], [5, 10]], y3]),
  row('constant column with intercept', 'RANK_DEFICIENT', /does not have full column rank 2/, quantileProcess, () => [[[1], [1], [1], [1], [1]], y3]),
  row('y length', 'DIMENSION_MISMATCH', /y/, quantileProcess, () => [X3, [1, 2, 3]]),
  row('y NaN', 'NON_FINITE', /y\[1\] is NaN/, quantileProcess, () => [X3, [1, NaN, 3, 4, 6]]),
  row('negative weight', 'INVALID_INPUT', /weights/, quantileProcess, () => [X3, y3, { weights: [1, 1, -1, 1, 1] }]),
  row('unknown option', 'INVALID_INPUT', /unknown option "tau"/, quantileProcess, () => [X3, y3, { tau: 0.5 }]),
  row('bad backend', 'INVALID_INPUT', /backend.*"gpu"/, quantileProcess, () => [X3, y3, { backend: 'gpu' }]),
]);

table('processAt', [
  row('tau outside the traced range', 'INVALID_INPUT', /processAt: tau must be a number in the traced range \[0.2, 0.4\], received 0.5/, processAt, () => [quantileProcess(X3, y3, { taus: [0.2, 0.4] }), 0.5]),
  row('tau NaN', 'INVALID_INPUT', /tau must be a number in the traced range \[0, 1\], received NaN/, processAt, () => [quantileProcess(X3, y3), NaN]),
  row('tau string', 'INVALID_INPUT', /received "0.5"/, processAt, () => [quantileProcess(X3, y3), '0.5']),
], 3);

const qfits = () => [0.25, 0.5, 0.75].map((tau) => quantile(slX(), slY(), { tau }));
table('quantileTest', [
  row('one fit', 'INVALID_INPUT', /fits must be an array of at least 2 quantile fits/, quantileTest, () => [[quantile(slX(), slY(), { tau: 0.5 })], slX(), slY()]),
  row('not an array', 'INVALID_INPUT', /fits must be an array/, quantileTest, () => [quantile(slX(), slY(), { tau: 0.5 }), slX(), slY()]),
  row('an l2 fit', 'INVALID_INPUT', /fits\[1\] must be a quantile \(or l1\) fit with tau in \(0, 1\), received loss "l2"/, quantileTest, () => [[quantile(slX(), slY(), { tau: 0.25 }), ols(slX(), slY())], slX(), slY()]),
  row('same tau twice', 'INVALID_INPUT', /taus must be distinct \(tau 0.5 appears twice\)/, quantileTest, () => [[quantile(slX(), slY(), { tau: 0.5 }), lad(slX(), slY())], slX(), slY()]),
  row('fits of a different design (fewer columns)', 'DIMENSION_MISMATCH', /fits\[1\] has 2 coefficients but X has 3 columns; every fit must be of the same design/, quantileTest,
    () => [[quantile(slX(), slY(), { tau: 0.25 }), quantile(slX().map((r) => r.slice(0, 2)), slY(), { tau: 0.75 })], slX(), slY()]),
  row('fits of other data', 'INVALID_INPUT', /fits\[0\] is not a quantile-0.25 fit with an intercept of this X and y/, quantileTest,
    () => [[quantile(slX(), slY().map((v) => v * 2 + 5), { tau: 0.25 }), quantile(slX(), slY(), { tau: 0.75 })], slX(), slY()]),
  row('fits without intercept', 'INVALID_INPUT', /not a quantile-0.25 fit with an intercept.*without an intercept cannot be tested/, quantileTest,
    () => [[quantile(slX(), slY(), { tau: 0.25, intercept: false }), quantile(slX(), slY(), { tau: 0.75, intercept: false })], slX(), slY()]),
  row('fit to more rows', 'DIMENSION_MISMATCH', /fits\[0\] was fitted to 21 rows but X has 20/, quantileTest, () => [qfits(), slX().slice(0, 20), slY().slice(0, 20)]),
  row('joint not boolean', 'INVALID_INPUT', /option joint must be true or false, received "yes"/, quantileTest, () => [qfits(), slX(), slY(), { joint: 'yes' }]),
  row('bandwidth unknown', 'INVALID_INPUT', /option bandwidth must be one of 'hall-sheather', 'bofinger', received "silverman"/, quantileTest, () => [qfits(), slX(), slY(), { bandwidth: 'silverman' }]),
  row('names wrong length', 'INVALID_INPUT', /option names must be an array of 3 strings/, quantileTest, () => [qfits(), slX(), slY(), { names: ['a'] }]),
  row('no columns', 'INVALID_INPUT', /X has no columns: there are no slopes to compare/, quantileTest, () => [[{ loss: 'quantile', tau: 0.2, coef: [], intercept: 1, objective: 1 }, { loss: 'quantile', tau: 0.8, coef: [], intercept: 2, objective: 1 }], [[], [], []], [1, 2, 3]]),
]);

// ------------------------------------------------------------------------------------- formatSummary

const goodSummary = () => summary(ols(X3, y3), X3, y3);
table('formatSummary', [
  row('summary null', 'INVALID_INPUT', /formatSummary: s must be the object returned by summary\(\), received null/, formatSummary, [null]),
  row('summary a number', 'INVALID_INPUT', /s must be the object returned by summary\(\), received 3/, formatSummary, [3]),
  row('a fit result instead', 'INVALID_INPUT', /s.coefficients must be an array.*received undefined/, formatSummary, () => [{ ...ols(X3, y3) }]),
  row('coefficients not rows', 'INVALID_INPUT', /s.coefficients\[0\] must be a coefficient row/, formatSummary, () => [{ ...goodSummary(), coefficients: [1] }]),
  row('level out of range', 'INVALID_INPUT', /s.level must be a number strictly between 0 and 1, received 2/, formatSummary, () => [{ ...goodSummary(), level: 2 }]),
  row('warnings not an array', 'INVALID_INPUT', /s.warnings must be an array of strings, received "none"/, formatSummary, () => [{ ...goodSummary(), warnings: 'none' }]),
  row('digits 0', 'INVALID_INPUT', /digits must be an integer in \[1, 17\], received 0/, formatSummary, () => [goodSummary(), { digits: 0 }]),
  row('digits 200', 'INVALID_INPUT', /digits must be an integer in \[1, 17\], received 200/, formatSummary, () => [goodSummary(), { digits: 200 }]),
  row('digits fractional', 'INVALID_INPUT', /digits.*2.5/, formatSummary, () => [goodSummary(), { digits: 2.5 }]),
  row('digits a string', 'INVALID_INPUT', /digits.*"4"/, formatSummary, () => [goodSummary(), { digits: '4' }]),
  row('unknown option', 'INVALID_INPUT', /formatSummary: unknown option "precision"/, formatSummary, () => [goodSummary(), { precision: 3 }]),
  row('options not an object', 'INVALID_INPUT', /formatSummary: options must be an object, received 4/, formatSummary, () => [goodSummary(), 4]),
]);

// ------------------------------------------------------------------------------------ predict (results)

const predictOf = () => ols(X3, y3).predict;
table('result.predict', [
  row('wrong column count', 'DIMENSION_MISMATCH', /predict: X has 3 columns but the model has 2/, (X: number[][]) => predictOf()(X), [[[1, 2, 3]]]),
  row('NaN', 'NON_FINITE', /X\[0\]\[1\] is NaN/, (X: number[][]) => predictOf()(X), [[[1, NaN]]]),
  row('null', 'INVALID_INPUT', /X must be an array.*null/, (X: never) => predictOf()(X), [null]),
  row('string cell', 'INVALID_INPUT', /X\[1\]\[0\] must be a number, received "1"/, (X: never) => predictOf()(X), [[[1, 2], ['1', 2]]]),
  row('matrix data length', 'DIMENSION_MISMATCH', /X.data has length 3/, (X: never) => predictOf()(X), () => [{ data: new Float64Array(3), rows: 2, cols: 2 }]),
], 5);

// ----------------------------------------------------------------------------- location statistics

table('median / weightedMedian / weightedQuantile', [
  row('median of nothing', 'INVALID_INPUT', /values is empty/, median, [[]]),
  row('median of a string', 'INVALID_INPUT', /values must be an array of numbers, received "123"/, median, ['123']),
  row('median NaN', 'NON_FINITE', /values\[1\] is NaN/, median, [[1, NaN]]),
  row('median string value', 'INVALID_INPUT', /values\[1\] must be a number, received "2"/, median, [[1, '2']]),
  row('weightedMedian length', 'DIMENSION_MISMATCH', /weights has length 1 but values has 2/, weightedMedian, [[1, 2], [1]]),
  row('weightedMedian negative weight', 'INVALID_INPUT', /weights\[0\] is -1/, weightedMedian, [[1, 2], [-1, 1]]),
  row('weightedMedian zero weights', 'INVALID_INPUT', /weights are all zero/, weightedMedian, [[1, 2], [0, 0]]),
  row('weightedMedian weights missing', 'INVALID_INPUT', /weights must be an array of numbers, received undefined/, weightedMedian, [[1, 2]]),
  row('weightedQuantile tau 0', 'INVALID_INPUT', /tau must be a number strictly between 0 and 1, received 0/, weightedQuantile, [[1, 2], [1, 1], 0]),
  row('weightedQuantile tau NaN', 'INVALID_INPUT', /tau.*NaN/, weightedQuantile, [[1, 2], [1, 1], NaN]),
  row('weightedQuantile weight Infinity', 'NON_FINITE', /weights\[1\] is Infinity/, weightedQuantile, [[1, 2], [1, Infinity], 0.5]),
]);

// ------------------------------------------------------------------------------------ distributions
// (more rows, for the other exported parameters, in test/estimators/distributions.test.ts)

table('distributions', [
  row('normalCdf NaN', 'INVALID_INPUT', /normalCdf: x must be a number, received NaN/, normalCdf, [NaN]),
  row('normalCdf string', 'INVALID_INPUT', /normalCdf: x must be a number, received "1"/, normalCdf, ['1']),
  row('normalQuantile 1.5', 'INVALID_INPUT', /normalQuantile: p must be a probability in \[0, 1\], received 1.5/, normalQuantile, [1.5]),
  row('normalQuantile NaN', 'INVALID_INPUT', /normalQuantile: p.*NaN/, normalQuantile, [NaN]),
  row('studentTCdf df NaN', 'INVALID_INPUT', /studentTCdf: df must be a number in \(0, Infinity\], received NaN/, studentTCdf, [0, NaN]),
  row('studentTCdf df -1', 'INVALID_INPUT', /studentTCdf: df.*-1/, studentTCdf, [0, -1]),
  row('studentTQuantile df 0', 'INVALID_INPUT', /studentTQuantile: df.*received 0/, studentTQuantile, [0.5, 0]),
  row('studentTQuantile p string', 'INVALID_INPUT', /studentTQuantile: p.*"0.5"/, studentTQuantile, ['0.5', 3]),
  row('fCdf f NaN', 'INVALID_INPUT', /fCdf: f must be a number, received NaN/, fCdf, [NaN, 1, 1]),
  row('fCdf d1 0', 'INVALID_INPUT', /fCdf: d1.*received 0/, fCdf, [1, 0, 1]),
  row('fSf d2 NaN', 'INVALID_INPUT', /fSf: d2.*NaN/, fSf, [1, 1, NaN]),
  row('fSf f null', 'INVALID_INPUT', /fSf: f must be a number, received null/, fSf, [null, 1, 1]),
]);

// ------------------------------------------------------------------------------------------ fitAsync

asyncTable('fitAsync', [
  row('options missing', 'INVALID_INPUT', /fitAsync: options must be an object.*received undefined/, fitAsync, [X3, y3]),
  row('no loss (worker)', 'INVALID_INPUT', /loss must be one of.*received undefined/, fitAsync, [X3, y3, {}]),
  row('X not an array', 'INVALID_INPUT', /X must be an array.*received 3/, fitAsync, [3, y3, { loss: 'l2' }]),
  row('NaN in X', 'NON_FINITE', /X\[0\]\[1\] is NaN/, fitAsync, [[[1, NaN]], [1], { loss: 'l2' }]),
  row('y not an array', 'INVALID_INPUT', /y must be an array.*received "y"/, fitAsync, [X3, 'y', { loss: 'l2' }]),
  row('string in y', 'INVALID_INPUT', /y\[1\] must be a number, received "2"/, fitAsync, [X3, [1, '2', 3, 4, 6], { loss: 'l1' }]),
  row('y length', 'DIMENSION_MISMATCH', /y has length 2 but X has 5 rows/, fitAsync, [X3, [1, 2], { loss: 'l1' }]),
  row('weights with a string', 'INVALID_INPUT', /weights\[0\] must be a number, received "1"/, fitAsync, [X3, y3, { loss: 'l2', weights: ['1', 1, 1, 1, 1] }]),
  row('weights length', 'DIMENSION_MISMATCH', /weights has length 1 but X has 5 rows/, fitAsync, [X3, y3, { loss: 'l2', weights: [1] }]),
  row('weights negative (js backend)', 'INVALID_INPUT', /weights\[1\] is -1/, fitAsync, [X3, y3, { loss: 'l2', backend: 'js', weights: [1, -1, 1, 1, 1] }]),
  row('tau = 1 (worker)', 'INVALID_INPUT', /tau.*received 1/, fitAsync, [X3, y3, { loss: 'quantile', tau: 1 }]),
  row('unknown option (worker)', 'INVALID_INPUT', /unknown option "lamda"/, fitAsync, [X3, y3, { loss: 'l1', lamda: 1 }]),
  row('option value a function', 'INVALID_INPUT', /option start cannot be sent to a worker/, fitAsync, [X3, y3, { loss: 'l1', start: () => 0 }]),
  row('onProgress not a function', 'INVALID_INPUT', /onProgress must be a function, received 3/, fitAsync, [X3, y3, { loss: 'l1', onProgress: 3 }]),
  row('signal not an AbortSignal', 'INVALID_INPUT', /signal must be an AbortSignal, received 5/, fitAsync, [X3, y3, { loss: 'l1', signal: 5 }]),
  row('pre-aborted signal', 'CANCELLED', /cancelled/, fitAsync, () => [X3, y3, { loss: 'l1', signal: AbortSignal.abort() }]),
  row('rank deficient (worker)', 'RANK_DEFICIENT', /column 1/, fitAsync, [[[1, 2], [2, 4], [3, 6], [4, 8]], [1, 2, 3, 5], { loss: 'l2' }]),
  row('disposed Dataset', 'INVALID_INPUT', /this Dataset has been disposed/, () => fitAsync(disposed(), { loss: 'l2' })),
  row('Dataset with y', 'INVALID_INPUT', /Dataset already holds y/, () => { const ds = Dataset.from(X3, y3); try { return fitAsync(ds, y3 as never, { loss: 'l2' }); } finally { ds.dispose(); } }),
  row('Dataset with weights', 'INVALID_INPUT', /weights cannot be combined with a Dataset/, () => { const ds = Dataset.from(X3, y3); try { return fitAsync(ds, { loss: 'l2', weights: w3 }); } finally { ds.dispose(); } }),
]);

// ------------------------------------------------------------------------------- configureWorkers

table('configureWorkers', [
  row('options missing', 'INVALID_INPUT', /configureWorkers: options must be an object, received undefined/, configureWorkers, []),
  row('options an array', 'INVALID_INPUT', /configureWorkers: options must be an object, received an array of length 0/, configureWorkers, [[]]),
  row('unknown option', 'INVALID_INPUT', /configureWorkers: unknown option "idleMs"; valid options are idleTimeoutMs/, configureWorkers, [{ idleMs: 5 }]),
  row('idleTimeoutMs negative', 'INVALID_INPUT', /option idleTimeoutMs must be an integer in \[0, 2147483647\] or Infinity, received -1/, configureWorkers, [{ idleTimeoutMs: -1 }]),
  row('idleTimeoutMs fractional', 'INVALID_INPUT', /idleTimeoutMs .*received 0.5/, configureWorkers, [{ idleTimeoutMs: 0.5 }]),
  row('idleTimeoutMs NaN', 'INVALID_INPUT', /idleTimeoutMs .*received NaN/, configureWorkers, [{ idleTimeoutMs: NaN }]),
  row('idleTimeoutMs a string', 'INVALID_INPUT', /idleTimeoutMs .*received "10"/, configureWorkers, [{ idleTimeoutMs: '10' }]),
  row('idleTimeoutMs too large', 'INVALID_INPUT', /idleTimeoutMs .*received 2147483648/, configureWorkers, [{ idleTimeoutMs: 2 ** 31 }]),
], 8);

// ------------------------------------------------------------------------------------------- init

describe('init: bad options', () => {
  const rows: Row[] = [
    row('options a number', 'INVALID_INPUT', /init: options must be an object, received 5/, init, [5]),
    row('options a string', 'INVALID_INPUT', /init: options must be an object, received "debug"/, init, ['debug']),
    row('unknown option', 'INVALID_INPUT', /init: unknown option "wsm"/, init, [{ wsm: new Uint8Array(8) }]),
    row('wasm a string', 'INVALID_INPUT', /init: option wasm must be .*received "build\/debug.wasm"/, init, [{ wasm: 'build/debug.wasm' }]),
    row('wasm a number', 'INVALID_INPUT', /init: option wasm must be .*received 42/, init, [{ wasm: 42 }]),
    row('warmup a string', 'INVALID_INPUT', /init: option warmup must be a boolean or 'wait', received "no"/, init, [{ warmup: 'no' }]),
    row('warmup a number', 'INVALID_INPUT', /init: option warmup must be a boolean or 'wait', received 0/, init, [{ warmup: 0 }]),
    row('warmupKernels unknown family', 'INVALID_INPUT', /init: option warmupKernels must be an array of kernel family names \(l2, l1, irls, moments, mm, lts, hc\), received an array of length 1/, init, [{ warmupKernels: ['gpu'] }]),
  ];
  asyncTables.init = rows;
  it.each(rows.map((r) => [r.label, r] as const))('%s (after init too)', async (_l, r) => {
    const { args } = prepare(r);
    let err: unknown;
    try {
      await (r.fn as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (e) {
      err = e;
    }
    checkError(err, r);
  });
});

// Calls that need init() (WASM memory) made on a fresh module instance before it: NOT_INITIALIZED,
// naming the function and what to do; afterwards init() works and so does the fit.
describe('calls before init(): NOT_INITIALIZED on a fresh module instance', () => {
  let fresh: typeof import('../../src/index.js');
  let l1r: ReturnType<typeof lad>;
  let q25r: ReturnType<typeof lad>;
  let accJSON: ReturnType<GramAccumulator['toJSON']>;
  beforeAll(async () => {
    l1r = lad(X3, y3);
    q25r = quantile(X3, y3, { tau: 0.25 });
    accJSON = goodJSON();
    vi.resetModules();
    vi.doUnmock('../../src/backend/runtime.js');
    fresh = await import('../../src/index.js');
    expect(fresh.isInitialized()).toBe(false);
  });
  const before = (label: string, fnName: string, call: () => unknown): Row =>
    row(label, 'NOT_INITIALIZED', new RegExp(`${fnName.replace(/[.()]/g, '\\$&')}: call \`await init\\(\\)\` before fitting with backend '(auto|wasm)' \\(or pass backend: 'js'\\)`), call);
  const rows = (): Row[] => [
    before('fit', 'ols', () => fresh.fit(X3, y3, { loss: 'l2' })),
    before('ols', 'ols', () => fresh.ols(X3, y3)),
    before('lad', 'lad', () => fresh.lad(X3, y3)),
    before('quantile', 'quantile', () => fresh.quantile(X3, y3, { tau: 0.2 })),
    before('quantile taus', 'path', () => fresh.quantile(X3, y3, { taus: [0.2, 0.7] })),
    before('huber', 'huber', () => fresh.huber(X3, y3)),
    before('smoothL1', 'smoothL1', () => fresh.smoothL1(X3, y3)),
    before('solvePath', 'path', () => fresh.solvePath('lambda', [1, 0], X3, y3)),
    before('Dataset.from', 'Dataset.from', () => fresh.Dataset.from(X3, y3)),
    before('Dataset.builder', 'Dataset.builder', () => fresh.Dataset.builder(2)),
    before('GramAccumulator.add', 'GramAccumulator.add', () => new fresh.GramAccumulator(2).add(X3, y3)),
    before('GramAccumulator.solve', 'GramAccumulator.solve', () => fresh.GramAccumulator.fromJSON(accJSON).solve()),
    before('summary (refits)', 'quantile', () => fresh.summary(l1r, X3, y3, { se: 'nid' })),
    before('fitAsync', 'fitAsync', () => fresh.fitAsync(X3, y3, { loss: 'l1' })),
    before('quantileProcess', 'quantile', () => fresh.quantileProcess(X3, y3)),
    before('quantileTest (refits)', 'quantile', () => fresh.quantileTest([l1r, q25r], X3, y3)),
  ];
  it('every call that needs WASM throws NOT_INITIALIZED (14 rows), then init() and the same calls work', async () => {
    const list = rows();
    asyncTables['before init'] = list;
    for (const r of list) {
      let err: unknown;
      try {
        await r.fn();
      } catch (e) {
        err = e;
      }
      checkError(err, r, fresh.RobustRegError); // the fresh instance's class
    }
    expect(list.length).toBeGreaterThanOrEqual(14);
    // backend 'js' needs no init; nothing was left allocated
    expect(fresh.lad(X3, y3, { backend: 'js' }).objective).toBe(lad(X3, y3, { backend: 'js' }).objective);
    expect(fresh.memoryStats()).toMatchObject({ wasm: 0, wasmInUse: 0, jsInUse: 0 });
    const info = await fresh.init();
    expect(info.backend).toBe('wasm');
    expect(fresh.lad(X3, y3).objective).toBe(lad(X3, y3, { backend: 'wasm' }).objective);
    expect((await fresh.fitAsync(X3, y3, { loss: 'l1' })).objective).toBe(lad(X3, y3, { backend: 'wasm' }).objective);
    fresh.terminateWorkers();
  });
});

// ------------------------------------------------------------------------------------------- sql

// A DuckDB table for the sql.* rows (opened once; the rows' arguments are built lazily, after it).
let duck: Duck;
const sqlDb = (): SqlDatabase => duck.db;
beforeAll(async () => {
  duck = await openDuck();
  await duck.conn.run(`CREATE TABLE cat AS SELECT * FROM (VALUES
    (1.0, 2.0, 1.5, 'a', 1.0, 0.0, 1.0, 1.0), (2.0, 4.0, 2.5, 'b', -1.0, 0.0, 2.0, 2.0), (3.0, 6.0, 2.0, 'c', 1.0, 0.0, 3.0, NULL),
    (4.0, 8.0, 5.0, 'd', 1.0, 0.0, 'NaN'::DOUBLE, 4.0), (5.0, 10.0, 4.5, 'e', 1.0, 0.0, 5.0, 5.0)) AS v(x, x2, y, label, wneg, wzero, ynan, ynull)`);
});
afterAll(() => duck?.close());
const throwing = { query: async (): Promise<never> => { throw new Error('connection refused'); } };
/** An adapter over `cat` that inserts a row after its second statement. */
const mover = (): SqlDatabase => {
  let k = 0;
  return {
    query: async (text) => {
      if (++k === 1) await duck.conn.run('CREATE OR REPLACE TABLE moving AS SELECT * FROM cat');
      const rows = await duck.db.query(text);
      if (k === 2) await duck.conn.run("INSERT INTO moving VALUES (6.0, 12.0, 6.5, 'f', 1.0, 0.0, 6.0, 6.0)");
      return rows;
    },
  };
};

/** An adapter whose moments statement reports one row more in its second pass than in its first. */
const skewed = (): SqlDatabase => ({
  query: async (text) => {
    const rows = await duck.db.query(text);
    return text.startsWith('WITH') ? rows.map((r) => ({ ...r, a5: Number(r.a5) + 1 })) : rows;
  },
});

function sqlRows(fn: (...a: never[]) => unknown, name: 'leastSquares' | 'quantile'): Row[] {
  const o = { y: 'y', x: ['x'] };
  return [
    row('db without query', 'INVALID_INPUT', /db must be an object with a query\(text\) method.*received an object/, fn, [{}, 'cat', o]),
    row('db a string', 'INVALID_INPUT', /db must be an object with a query.*received "duckdb"/, fn, ['duckdb', 'cat', o]),
    row('source a number', 'INVALID_INPUT', /source must be a table name or a parenthesised subquery.*received 3/, fn, () => [sqlDb(), 3, o]),
    row('source with ;', 'INVALID_INPUT', /source must be one table name or subquery, without ';'/, fn, () => [sqlDb(), 'cat; DROP TABLE cat', o]),
    row('options missing', 'INVALID_INPUT', /options must be an object naming the columns.*received undefined/, fn, () => [sqlDb(), 'cat']),
    row('x a string', 'INVALID_INPUT', /option x must be an array of column names, received "x"/, fn, () => [sqlDb(), 'cat', { y: 'y', x: 'x' }]),
    row('y empty', 'INVALID_INPUT', /option y must be a column name \(a non-empty string\), received ""/, fn, () => [sqlDb(), 'cat', { y: '', x: ['x'] }]),
    row('x twice', 'INVALID_INPUT', /option x names column "X" twice/, fn, () => [sqlDb(), 'cat', { y: 'y', x: ['x', 'X'] }]),
    row('unknown option', 'INVALID_INPUT', /unknown option "lamda"/, fn, () => [sqlDb(), 'cat', { ...o, lamda: 1 }]),
    row('bad dialect', 'INVALID_INPUT', /option dialect must be one of 'duckdb', 'postgres', 'spark', 'bigquery', received "mysql"/, fn, () => [sqlDb(), 'cat', { ...o, dialect: 'mysql' }]),
    row('bad na', 'INVALID_INPUT', /option na must be 'omit' or 'fail', received "drop"/, fn, () => [sqlDb(), 'cat', { ...o, na: 'drop' }]),
    row('no columns, no intercept', 'INVALID_INPUT', /option intercept must be true when x names no columns/, fn, () => [sqlDb(), 'cat', { y: 'y', x: [], intercept: false }]),
    row('onProgress a number', 'INVALID_INPUT', /option onProgress must be a function, received 3/, fn, () => [sqlDb(), 'cat', { ...o, onProgress: 3 }]),
    row('signal not a signal', 'INVALID_INPUT', /option signal must be an AbortSignal, received 5/, fn, () => [sqlDb(), 'cat', { ...o, signal: 5 }]),
    row('pre-aborted signal', 'CANCELLED', /cancelled through options.signal \(after 0 statements\)/, fn, () => [sqlDb(), 'cat', { ...o, signal: AbortSignal.abort() }]),
    row('unknown column', 'INVALID_INPUT', /option x\[0\] names column "z", which cat does not have; its columns are "x", "x2"/, fn, () => [sqlDb(), 'cat', { y: 'y', x: ['z'] }]),
    row('non-numeric column', 'INVALID_INPUT', /column "label" \(option x\[0\]\) is not numeric: the database returned "a"/, fn, () => [sqlDb(), 'cat', { y: 'y', x: ['label'] }]),
    row('NULL with na fail', 'INVALID_INPUT', /1 row has a NULL in a used column; pass na: 'omit'/, fn, () => [sqlDb(), 'cat', { y: 'ynull', x: ['x'], na: 'fail' }]),
    row('NaN in y', 'NON_FINITE', /column "ynan" holds NaN or ±Infinity/, fn, () => [sqlDb(), 'cat', { y: 'ynan', x: ['x'] }]),
    row('negative weights', 'INVALID_INPUT', /weights column "wneg" has negative values \(minimum -1\)/, fn, () => [sqlDb(), 'cat', { ...o, weights: 'wneg' }]),
    row('zero weights', 'INVALID_INPUT', /weights column "wzero" is 0 in every row/, fn, () => [sqlDb(), 'cat', { ...o, weights: 'wzero' }]),
    row('empty source', 'INVALID_INPUT', /source \(SELECT \* FROM cat WHERE x > 99\) has no rows/, fn, () => [sqlDb(), '(SELECT * FROM cat WHERE x > 99)', o]),
    row('collinear columns', 'RANK_DEFICIENT', /x2|column 1/, fn, () => [sqlDb(), 'cat', { y: 'y', x: ['x', 'x2'] }]),
    row('adapter throws', 'QUERY_FAILED', new RegExp(`sql.${name}: the database failed on statement 1 \\(probe\\): connection refused`), fn, () => [throwing, 'cat', o]),
    row('adapter returns no array', 'QUERY_FAILED', /db.query must resolve to an array of row objects, received "ok"/, fn, () => [{ query: async () => 'ok' }, 'cat', o]),
    row('engine error (bad SQL in source)', 'QUERY_FAILED', /statement 1 \(probe\): Parser Error/, fn, () => [sqlDb(), '(SELEC 1)', o]),
    name === 'quantile'
      ? row('table changed between statements', 'DATA_CHANGED', /the source changed between statements: the number of complete rows was 5, now 6/, fn, () => [mover(), 'moving', o])
      // leastSquares reads both passes in one statement (a snapshot in DuckDB, PostgreSQL): an engine
      // without one, whose second pass saw a row more, is simulated by the adapter
      : row('passes saw different rows', 'DATA_CHANGED', /the source changed between passes: the number of complete rows was 5, now 6/, fn, () => [skewed(), 'cat', o]),
  ];
}

asyncTable('sql.leastSquares', sqlRows(sql.leastSquares as never, 'leastSquares'));
asyncTable('sql.quantile', [
  ...sqlRows(sql.quantile as never, 'quantile'),
  row('tau = 1', 'INVALID_INPUT', /option tau must be a number strictly between 0 and 1, received 1/, sql.quantile as never, () => [sqlDb(), 'cat', { y: 'y', x: ['x'], tau: 1 }]),
  row('tol = 0', 'INVALID_INPUT', /option tol must be a number in \(0, 1\), received 0/, sql.quantile as never, () => [sqlDb(), 'cat', { y: 'y', x: ['x'], tol: 0 }]),
  row('seed fractional', 'INVALID_INPUT', /option seed must be an integer in \[0, 2147483647\], received 1.5/, sql.quantile as never, () => [sqlDb(), 'cat', { y: 'y', x: ['x'], seed: 1.5 }]),
  row('backend bad', 'INVALID_INPUT', /option backend must be 'auto', 'wasm' or 'js', received "gpu"/, sql.quantile as never, () => [sqlDb(), 'cat', { y: 'y', x: ['x'], backend: 'gpu' }]),
]);

table('sql.momentsQuery', [
  row('source empty', 'INVALID_INPUT', /sql.momentsQuery: source must be a table name.*received ""/, sql.momentsQuery as never, ['', { y: 'y', x: ['x'] }]),
  row('options a string', 'INVALID_INPUT', /sql.momentsQuery: options must be an object naming the columns/, sql.momentsQuery as never, ['t', 'y ~ x']),
  row('x missing', 'INVALID_INPUT', /option x must be an array of column names, received undefined/, sql.momentsQuery as never, ['t', { y: 'y' }]),
  row('weights a number', 'INVALID_INPUT', /option weights must be a column name.*received 1/, sql.momentsQuery as never, ['t', { y: 'y', x: ['x'], weights: 1 }]),
  row('intercept is a fit option', 'INVALID_INPUT', /unknown option "tau"/, sql.momentsQuery as never, ['t', { y: 'y', x: ['x'], tau: 0.5 }]),
  row('bad dialect', 'INVALID_INPUT', /option dialect must be one of/, sql.momentsQuery as never, ['t', { y: 'y', x: ['x'], dialect: 'oracle' }]),
  row('moments(row): row missing a column', 'INVALID_INPUT', /row.a0 must be a number .*received nothing/, (() => sql.momentsQuery('t', { y: 'y', x: ['x'] }).moments({})) as never),
  row('moments(row): NULL rows with na fail', 'INVALID_INPUT', /2 rows have a NULL/, (() => sql.momentsQuery('t', { y: 'y', x: ['x'], na: 'fail' }).moments(Object.fromEntries(Array.from({ length: 13 }, (_, k) => [`a${k}`, k === 0 ? 5 : k < 4 ? 3 : k === 5 ? 3 : 1])))) as never),
  row('moments(row): passes disagree', 'DATA_CHANGED', /the number of complete rows was 3, now 4/, (() => sql.momentsQuery('t', { y: 'y', x: ['x'] }).moments(Object.fromEntries(Array.from({ length: 13 }, (_, k) => [`a${k}`, k === 5 ? 4 : k < 4 ? 3 : 1])))) as never),
  row('moments(row): a NaN mean', 'NON_FINITE', /column "x" holds NaN/, (() => sql.momentsQuery('t', { y: 'y', x: ['x'] }).moments(Object.fromEntries(Array.from({ length: 13 }, (_, k) => [`a${k}`, k === 6 ? NaN : k <= 5 ? 3 : 1])))) as never),
], 10);

table('GramAccumulator.fromMoments', [
  row('moments missing', 'INVALID_INPUT', /fromMoments: moments must be an object/, GramAccumulator.fromMoments as never, []),
  row('unknown field', 'INVALID_INPUT', /fromMoments: unknown field "means"/, GramAccumulator.fromMoments as never, [{ rows: 3, weightSum: 3, means: [1, 2], comoments: [1, 0, 0, 1] }]),
  row('rows 0', 'INVALID_INPUT', /rows must be a positive integer, received 0/, GramAccumulator.fromMoments as never, [{ rows: 0, weightSum: 3, mean: [1, 2], comoments: [1, 0, 0, 1] }]),
  row('positiveRows > rows', 'INVALID_INPUT', /positiveRows must be an integer in \[1, rows = 3\], received 4/, GramAccumulator.fromMoments as never, [{ rows: 3, positiveRows: 4, weightSum: 3, mean: [1, 2], comoments: [1, 0, 0, 1] }]),
  row('weightSum 0', 'INVALID_INPUT', /weightSum must be a finite number > 0, received 0/, GramAccumulator.fromMoments as never, [{ rows: 3, weightSum: 0, mean: [1, 2], comoments: [1, 0, 0, 1] }]),
  row('mean a string', 'INVALID_INPUT', /mean must be an array of numbers, received "1,2"/, GramAccumulator.fromMoments as never, [{ rows: 3, weightSum: 3, mean: '1,2', comoments: [1, 0, 0, 1] }]),
  row('NaN in mean', 'NON_FINITE', /mean\[1\] must be a finite number, received NaN/, GramAccumulator.fromMoments as never, [{ rows: 3, weightSum: 3, mean: [1, NaN], comoments: [1, 0, 0, 1] }]),
  row('comoments wrong size', 'INVALID_INPUT', /comoments must be an array of 4 numbers/, GramAccumulator.fromMoments as never, [{ rows: 3, weightSum: 3, mean: [1, 2], comoments: [1, 0, 1] }]),
  row('negative diagonal', 'INVALID_INPUT', /comoments\[3\] must be a diagonal entry ≥ 0.*received -1/, GramAccumulator.fromMoments as never, [{ rows: 3, weightSum: 3, mean: [1, 2], comoments: [1, 0, 0, -1] }]),
  row('not symmetric', 'INVALID_INPUT', /comoments\[2\] must be equal to comoments\[1\] \(0\.5; the matrix is symmetric\), received 0/, GramAccumulator.fromMoments as never, [{ rows: 3, weightSum: 3, mean: [1, 2], comoments: [1, 0.5, 0, 1] }]),
  row('meanLo wrong length', 'INVALID_INPUT', /meanLo must be an array of 2 numbers/, GramAccumulator.fromMoments as never, [{ rows: 3, weightSum: 3, mean: [1, 2], meanLo: [0], comoments: [1, 0, 0, 1] }]),
], 10);

// ---------------------------------------------------------------------------------------- the count

describe('catalogue size', () => {
  it('≥ 40 rows in total, one table per public function', () => {
    const counts = Object.fromEntries([...Object.entries(tables), ...Object.entries(asyncTables)].map(([k, v]) => [k, v.length]));
    const total = Object.values(counts).reduce((s, c) => s + c, 0);
    console.log(`bad-input catalogue: ${total} rows in ${Object.keys(counts).length} tables: ${JSON.stringify(counts)}`);
    expect(total).toBeGreaterThanOrEqual(40);
  });
});
