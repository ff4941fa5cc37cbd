#!/usr/bin/env node
// Map / merge least squares with worker_threads — the pattern a cluster uses.
//
//   map:    every worker reduces its partition of the rows, chunk by chunk, to a GramAccumulator
//           (O(p²) numbers, whatever the number of rows) and sends back acc.toJSON();
//   reduce: the main thread restores each with GramAccumulator.fromJSON, merges them, and solves.
//
// The statistics are plain JSON numbers (exact round trip), so the same code works across processes
// or machines (Spark / Dask / a queue of serverless jobs): only the transport changes. The data here
// are generated inside the workers (row i depends only on i), so no row ever crosses a thread.
//
//   node examples/cluster.mjs [--rows 1000000] [--cols 10] [--workers 4] [--chunk 100000] [--no-check]
//
// With --check (default when rows <= 2e6) the main thread also builds the whole matrix once and
// compares the merged fit with ols() on it.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { GramAccumulator, init, ols } from 'robustreg';

/** Row i of the synthetic problem: x_ij uniform in (-2, 2) from a hash of (i, j); y = 1 + Σ b_j x_ij + noise. */
function hash01(i, j) {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(j + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}
const beta = (j) => ((j % 5) - 2) * 0.25;

/** Rows [lo, hi) as a row-major Float64Array, with y. */
function rows(lo, hi, p) {
  const n = hi - lo;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 1;
    for (let j = 0; j < p; j++) {
      const v = 4 * hash01(lo + i, j) - 2;
      X[i * p + j] = v;
      f += beta(j) * v;
    }
    y[i] = f + (hash01(lo + i, p) - 0.5);
  }
  return { X: { data: X, rows: n, cols: p }, y };
}

if (!isMainThread) {
  // ---- map: one partition -> one accumulator
  const { lo, hi, p, chunk } = workerData;
  await init();
  const acc = new GramAccumulator(p);
  for (let a = lo; a < hi; a += chunk) {
    const b = Math.min(hi, a + chunk);
    const { X, y } = rows(a, b, p);
    acc.add(X, y); // optional third argument: weights
  }
  parentPort.postMessage(acc.toJSON());
} else {
  const { values: A } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      cols: { type: 'string', default: '10' },
      workers: { type: 'string', default: String(Math.max(2, Math.min(4, os.availableParallelism?.() ?? 2))) },
      chunk: { type: 'string', default: '100000' },
      check: { type: 'boolean' },
      'no-check': { type: 'boolean', default: false },
    },
  });
  const n = Number(A.rows);
  const p = Number(A.cols);
  const k = Number(A.workers);
  const chunk = Number(A.chunk);
  const check = A['no-check'] ? false : A.check ?? n <= 2e6;
  await init();

  // ---- map over partitions, in parallel
  const t0 = performance.now();
  const parts = Array.from({ length: k }, (_, w) => [Math.floor((w * n) / k), Math.floor(((w + 1) * n) / k)]);
  const stats = await Promise.all(parts.map(([lo, hi]) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { lo, hi, p, chunk } });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));

  // ---- reduce: merge (any order, any tree shape) and solve
  const acc = stats.map((s) => GramAccumulator.fromJSON(s)).reduce((a, b) => a.merge(b));
  const fit = acc.solve();
  const ms = performance.now() - t0;
  console.log(`${n} rows × ${p} columns in ${k} workers (chunks of ${chunk} rows): ${ms.toFixed(0)} ms, ` +
    `${JSON.stringify(stats[0]).length} bytes of statistics per worker`);
  console.log(`intercept ${fit.intercept.toFixed(6)}, coef [${Array.from(fit.coef, (c) => c.toFixed(6)).join(', ')}]`);
  console.log(`residual sum of squares ${fit.objective.toPrecision(8)}, rcond ${fit.rcond.toPrecision(3)} (${fit.method})`);

  if (check) {
    const { X, y } = rows(0, n, p);
    const ref = ols(X, y);
    let err = Math.abs(fit.intercept - ref.intercept) / Math.abs(ref.intercept);
    let scale = 0;
    for (let j = 0; j < p; j++) scale = Math.max(scale, Math.abs(ref.coef[j]));
    for (let j = 0; j < p; j++) err = Math.max(err, Math.abs(fit.coef[j] - ref.coef[j]) / scale);
    if (!(err <= 1e-10)) {
      console.log(`MISMATCH: the merged fit differs from the in-memory ols() by ${err.toExponential(2)} (relative)`);
      process.exitCode = 1;
    } else {
      console.log(`agrees with the in-memory ols() on all ${n} rows: max relative difference ${err.toExponential(2)}`);
    }
  }
}
