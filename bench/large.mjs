#!/usr/bin/env node
// node bench/large.mjs [-- flags]   (suggested script: "bench:large": "node bench/large.mjs")
// Large data on the BUILT package (dist/): least squares in memory (ols) and streamed through a
// GramAccumulator in chunks, and LAD in memory — with time, peak RSS and WebAssembly memory side by
// side. Every case runs in a fresh child process, so the peak RSS (process.resourceUsage().maxRSS)
// belongs to that case alone. Streamed data are generated chunk by chunk into one reused chunk
// buffer: the whole matrix never exists. Answers are checked before anything is reported: a streamed
// fit must equal the in-memory fit of the same rows (relative 1e-10) and every L2 fit must recover the
// true coefficients to within its sampling error; the LAD fit must be certified optimal.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const HELP = `node bench/large.mjs [flags]
  --quick            smoke run (< 1 minute): n <= 1e5 in memory, 1e6 × 10 streamed
  --only LIST        run only these case ids (e.g. l2-stream-1e7x20,l1-memory-1e6x10)
  --chunk ROWS       rows per streamed chunk (default 100000)
  --json PATH        results file (default bench/results/large-<date>-<host>[-quick].json)
  --lib PATH         the build to benchmark (default dist/index.js)
  --help
  (internal) --case JSON   run one case in this process and print its result as JSON`;

const { values: A } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    chunk: { type: 'string', default: '100000' },
    json: { type: 'string' },
    lib: { type: 'string', default: path.join(L.ROOT, 'dist', 'index.js') },
    case: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log(HELP);
  process.exit(0);
}

const MiB = 2 ** 20;
const SEED = 20250501;

/** True coefficients: intercept 1, then (-0.5, -0.25, 0, 0.25, 0.5) repeating (bench/lib.mjs trueBeta). */
const beta = (p) => L.trueBeta(p);

/**
 * The L2 data stream: x_ij uniform on (-sqrt 3, sqrt 3) (unit variance), y = beta . [1, x] + N(0, 1)
 * noise, drawn row by row from one sfc32 stream, so a chunked pass and an in-memory copy of the same
 * n rows are identical. Fills `X` (row-major, rows × p) and `y` in place.
 */
function makeStream(p, seed) {
  const g = L.makeRng(seed);
  const b = beta(p);
  const s = Math.sqrt(3) / 2147483648;
  return (X, y, rows) => {
    for (let i = 0; i < rows; i++) {
      let f = b[0];
      const o = i * p;
      for (let j = 0; j < p; j++) {
        const v = ((g.u32() | 0) + 0.5) * s;
        X[o + j] = v;
        f += b[j + 1] * v;
      }
      y[i] = f + g.normal();
    }
  };
}

async function loadLib(libPath) {
  const url = pathToFileURL(path.resolve(libPath)).href;
  const lib = await import(url);
  let GramAccumulator = lib.GramAccumulator;
  if (!GramAccumulator) {
    // until the package index exports it, take it from the build's own module
    const acc = path.join(path.dirname(path.resolve(libPath)), 'accumulator.js');
    if (existsSync(acc)) GramAccumulator = (await import(pathToFileURL(acc).href)).GramAccumulator;
  }
  return { ...lib, GramAccumulator };
}

function usage(lib) {
  const m = lib.memoryStats();
  return {
    peakRssMiB: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
    wasmMiB: +(m.wasm / MiB).toFixed(1),
    wasmInUseMiB: +(m.wasmInUse / MiB).toFixed(1),
    heapUsedMiB: +(process.memoryUsage().heapUsed / MiB).toFixed(1),
  };
}

/** One case, in this (fresh) process. */
async function runCase(c) {
  const lib = await loadLib(A.lib);
  await lib.init();
  const out = { ...c };
  const reps = c.n <= 1e5 ? 5 : c.n <= 1e6 ? 2 : 1;
  if (c.kind === 'l2-memory') {
    const t0 = performance.now();
    const X = new Float64Array(c.n * c.p);
    const y = new Float64Array(c.n);
    makeStream(c.p, SEED + c.p)(X, y, c.n);
    out.genMs = performance.now() - t0;
    const Xm = { data: X, rows: c.n, cols: c.p };
    const times = [];
    let r;
    for (let k = 0; k < reps; k++) {
      const t = performance.now();
      r = lib.ols(Xm, y);
      times.push(performance.now() - t);
    }
    Object.assign(out, result(r), { fitMs: Math.min(...times), firstMs: times[0], reps });
  } else if (c.kind === 'l2-stream') {
    if (!lib.GramAccumulator) throw new Error(`${A.lib} has no GramAccumulator (build with npm run build)`);
    const chunk = Math.min(c.chunk, c.n);
    const X = new Float64Array(chunk * c.p);
    const y = new Float64Array(chunk);
    const times = [];
    let genMs = 0;
    let r;
    let acc;
    for (let k = 0; k < reps; k++) {
      const next = makeStream(c.p, SEED + c.p);
      acc = new lib.GramAccumulator(c.p);
      let fit = 0;
      for (let i = 0; i < c.n; i += chunk) {
        const m = Math.min(chunk, c.n - i);
        const t0 = performance.now();
        next(X, y, m);
        const t1 = performance.now();
        acc.add({ data: m === chunk ? X : X.subarray(0, m * c.p), rows: m, cols: c.p }, m === chunk ? y : y.subarray(0, m));
        fit += performance.now() - t1;
        genMs += t1 - t0;
      }
      const t = performance.now();
      r = acc.solve();
      fit += performance.now() - t;
      times.push(fit);
    }
    Object.assign(out, result(r), { fitMs: Math.min(...times), firstMs: times[0], reps, genMs: genMs / reps,
      statsBytes: JSON.stringify(acc).length });
  } else if (c.kind === 'l1-memory') {
    const t0 = performance.now();
    const d = L.makeData({ n: c.n, p: c.p });
    out.genMs = performance.now() - t0;
    out.dataHash = L.dataHash(d);
    const t = performance.now();
    const r = lib.lad(L.asMatrixLike(d), d.y);
    out.fitMs = performance.now() - t;
    out.firstMs = out.fitMs;
    out.reps = 1;
    Object.assign(out, result(r), { converged: r.converged, gap: r.certificate.gap, iterations: r.iterations });
  } else {
    throw new Error(`unknown case kind ${c.kind}`);
  }
  Object.assign(out, usage(lib));
  return out;
}

function result(r) {
  return { coef: Array.from(r.coef), intercept: r.intercept, objective: r.objective, rcond: r.rcond, method: r.method, backend: r.backend };
}

// ---------------------------------------------------------------------------------------------
// Parent: the grid, one child per case, checks, table, JSON.

function grid(quick, chunk) {
  const cases = [];
  const add = (kind, n, p) => cases.push({ id: `${kind}-${L.fmtN(n)}x${p}`, kind, n, p, ...(kind === 'l2-stream' ? { chunk } : {}) });
  if (quick) {
    for (const p of [10, 50]) add('l2-memory', 1e5, p);
    for (const p of [10, 50]) add('l2-stream', 1e5, p);
    add('l2-stream', 1e6, 10);
    add('l1-memory', 1e5, 10);
    return cases;
  }
  for (const n of [1e5, 1e6]) for (const p of [10, 50]) add('l2-memory', n, p);
  add('l2-memory', 1e7, 20); // the largest in-memory fit that still fits wasm32 comfortably: the cross-check
  for (const n of [1e5, 1e6, 1e7]) for (const p of [10, 50]) add('l2-stream', n, p);
  add('l2-stream', 1e7, 20);
  add('l1-memory', 1e6, 10);
  return cases;
}

function check(results) {
  const failures = [];
  for (const r of results) {
    if (r.error) continue;
    if (r.kind === 'l1-memory') {
      if (!r.converged) failures.push(`${r.id}: LAD not certified (gap ${r.gap})`);
      continue;
    }
    // Recovery of the true coefficients: the standard error of each slope is ~1 / sqrt(n) here.
    const b = beta(r.p);
    const se = 1 / Math.sqrt(r.n);
    let worst = Math.abs(r.intercept - b[0]);
    for (let j = 0; j < r.p; j++) worst = Math.max(worst, Math.abs(r.coef[j] - b[j + 1]));
    r.maxErrVsTruthInSE = +(worst / se).toFixed(2);
    if (!(worst < 6 * se)) failures.push(`${r.id}: coefficients ${worst / se} standard errors from the truth`);
    if (r.kind === 'l2-stream') {
      const mem = results.find((m) => m.kind === 'l2-memory' && m.n === r.n && m.p === r.p && !m.error);
      if (mem) {
        const ref = [mem.intercept, ...mem.coef];
        const got = [r.intercept, ...r.coef];
        let scale = 0;
        for (const v of ref) scale = Math.max(scale, Math.abs(v));
        let d = 0;
        for (let j = 0; j < ref.length; j++) d = Math.max(d, Math.abs(got[j] - ref[j]) / scale);
        r.relDiffVsMemory = d;
        if (!(d <= 1e-10)) failures.push(`${r.id}: streamed coefficients differ from the in-memory fit by ${d} (> 1e-10)`);
      }
    }
  }
  return failures;
}

async function main() {
  if (A.case) {
    const res = await runCase(JSON.parse(A.case));
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  if (!existsSync(A.lib)) {
    console.error(`bench/large: ${A.lib} not found — run \`npm run build\` first`);
    process.exit(2);
  }
  const chunk = Number(A.chunk);
  let cases = grid(A.quick, chunk);
  if (A.only) {
    const want = new Set(A.only.split(',').map((s) => s.trim()));
    cases = cases.filter((c) => want.has(c.id));
  }
  const info = L.machineInfo();
  console.log(`robustreg large-data benchmark — ${info.cpu} × ${info.cores}, ${info.totalMemoryGiB} GiB, Node ${info.node}, load ${info.loadAverage.join(' ')}`);
  const results = [];
  for (const c of cases) {
    process.stdout.write(`  ${c.id} … `);
    const t = performance.now();
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--case', JSON.stringify(c), '--lib', A.lib],
      { encoding: 'utf8', maxBuffer: 64 * MiB });
    const wall = performance.now() - t;
    if (child.status !== 0) {
      const err = (child.stderr || child.stdout || `exit ${child.status}`).trim().split('\n').slice(-3).join(' ');
      results.push({ ...c, error: err });
      console.log(`FAILED: ${err}`);
      continue;
    }
    const r = JSON.parse(child.stdout.trim().split('\n').pop());
    r.processMs = wall;
    results.push(r);
    console.log(`${L.fmtMs(r.fitMs)} (peak RSS ${r.peakRssMiB} MiB)`);
  }
  const failures = check(results);
  const rows = results.map((r) => [
    r.id, r.kind,
    r.error ? 'error' : L.fmtMs(r.fitMs),
    r.error ? '' : `${(r.n / (r.fitMs / 1000) / 1e6).toFixed(2)} M`,
    r.error ? '' : L.fmtMs(r.genMs),
    r.error ? '' : r.peakRssMiB,
    r.error ? '' : r.wasmMiB,
    r.error ? '' : r.heapUsedMiB,
    r.relDiffVsMemory === undefined ? '' : r.relDiffVsMemory.toExponential(1),
    r.maxErrVsTruthInSE ?? (r.kind === 'l1-memory' && !r.error ? `gap ${r.gap.toExponential(1)}` : ''),
  ]);
  console.log('\n' + L.renderTable(
    ['case', 'kind', 'fit time', 'rows/s', 'data gen', 'peak RSS MiB', 'WASM MiB', 'JS heap MiB', 'vs memory', 'vs truth (SE)'], rows));
  console.log(`\nfit time: library calls only (ols / lad; for streams every add() + solve()), best of ${A.quick ? 'up to 5' : '5 (1e5), 2 (1e6), 1 (1e7)'} runs; ` +
    `data gen: making the rows (not part of the fit). Streams use chunks of ${chunk} rows.`);
  const file = A.json ?? path.join(L.BENCH_DIR, 'results', `large-${info.date.slice(0, 10)}-${info.host}${A.quick ? '-quick' : ''}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ machine: info, lib: path.relative(L.ROOT, path.resolve(A.lib)), chunk, results, failures }, null, 2) + '\n');
  console.log(`results: ${path.relative(process.cwd(), file)}`);
  if (failures.length) {
    console.error('\nCHECKS FAILED:\n  ' + failures.join('\n  '));
    process.exit(1);
  }
  if (results.some((r) => r.error)) process.exit(1);
}

await main();
