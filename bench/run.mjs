#!/usr/bin/env node
// npm run bench [-- flags]   — benchmarks of the BUILT package (dist/index.js) against its peers.
// Every answer is checked before anything is timed (bench/lib.mjs: validate*). See docs/bench.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync, mkdtempSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import * as L from './lib.mjs';

const HELP = `npm run bench -- [flags]
  --quick              smoke run (< 1 minute): n <= 1e4, small p, short time budget, no yalps
  --suite LIST         l2,l1,quantile,huber,certified (default: all)
  --n LIST             e.g. 1e3,1e4 (default 1e3,1e4,1e5,1e6; --quick 1e3,1e4)
  --p LIST             e.g. 5,20 (default 5,20,100 and 10 for l1; --quick 5,20 and 5,10 for l1)
  --budget MS          time budget per solver per cell (default 2000; --quick 250)
  --max-seconds S      skip a solver where one fit would take longer (default 60)
  --no-cold            skip the cold-start series (fresh child processes)
  --cold-reps K        cold-start repetitions per case (default 3; --quick 1)
  --highs-options JSON HiGHS options (default {"solver":"ipm"}; '{}' = HiGHS defaults)
  --highs-lp           give highs the model as CPLEX LP text instead of CSC arrays
  --rscript            add R quantreg rq(method="fn"/"pfn") columns when Rscript + quantreg work
  --profile            profile one case (first --suite/--n/--p, --backend wasm|js) with node:inspector
  --backend B          backend for --profile (default wasm)
  --json PATH          results file (default bench/results/<date>-<host>[-quick].json)
  --lib PATH           the build to benchmark (default dist/index.js)
  --help`;

const { values: A } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    suite: { type: 'string' },
    n: { type: 'string' },
    p: { type: 'string' },
    budget: { type: 'string' },
    'max-seconds': { type: 'string', default: '60' },
    'no-cold': { type: 'boolean', default: false },
    'cold-reps': { type: 'string' },
    'highs-options': { type: 'string', default: '{"solver":"ipm"}' },
    'highs-lp': { type: 'boolean', default: false },
    rscript: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
    json: { type: 'string' },
    lib: { type: 'string', default: path.join(L.ROOT, 'dist', 'index.js') },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log(HELP);
  process.exit(0);
}

const QUICK = A.quick;
const RUN_DATE = new Date().toISOString().slice(0, 10);
const MAX_MS = +A['max-seconds'] * 1000;
const BUDGET = A.budget ? +A.budget : QUICK ? 250 : 2000;
const COLD_REPS = A['cold-reps'] ? +A['cold-reps'] : QUICK ? 1 : 3;
const SLOW_MS = QUICK ? 1000 : 10_000; // one fit slower than this: the validation run is the one sample
const HIGHS_OPTS = { ...L.HIGHS_OPTIONS, ...JSON.parse(A['highs-options']), time_limit: MAX_MS / 1000 };
const ALL_SUITES = ['l2', 'l1', 'quantile', 'huber', 'certified'];
const suites = A.suite ? A.suite.split(',').map((s) => s.trim()) : ALL_SUITES;
for (const s of suites) if (!ALL_SUITES.includes(s)) fail(`--suite: unknown suite '${s}' (known: ${ALL_SUITES.join(', ')})`);
const NS = A.n ? L.parseList(A.n, 'n') : QUICK ? [1e3, 1e4] : [1e3, 1e4, 1e5, 1e6];
const PS = A.p ? L.parseList(A.p, 'p') : QUICK ? [5, 20] : [5, 20, 100];
const L1_PS = A.p ? PS : QUICK ? [5, 10] : [...new Set([...PS, 10])].sort((a, b) => a - b);
const TAUS = [0.25, 0.9];
const CERTIFIED = ['synth_n10000_p10', 'synth_n100000_p10', 'synth_n1000000_p10'];

// Skip reasons: a short label for the tables, the detail for the footnotes and the JSON.
const SKIP = {
  tooLong: (detail) => ({ skipped: `skipped: > ${MAX_MS / 1000} s`, detail }),
  heap: { skipped: 'skipped: n·p too large', detail: 'n·(p+1) > 2.5e7: number[][] input plus ml-matrix copies would not fit the default V8 heap' },
  lp: { skipped: 'skipped: n·p too large for the LP', detail: 'n·(p+3) > 5e7 LP nonzeros: beyond what HiGHS can hold in its wasm32 (4 GiB) heap' },
  dense: { skipped: 'skipped: n·p too large for dense LP', detail: 'yalps keeps a dense (n+1) × (2n+2p+2) tableau: n ≤ 1e3 only' },
  inexact: { skipped: 'skipped: yalps inexact at this p', detail: 'at n = 1e3, p = 100 yalps (default precision 1e-8) missed the optimum by 1.0e-9 relative (> the 1e-9 check) in ~47 s; tighter precision → infeasible / cycled' },
  quick: (detail) => ({ skipped: 'skipped in --quick', detail }),
};
const ML_MAX_NP = 2.5e7; // n·(p+1) doubles as number[][] plus ml-matrix's copies
const HIGHS_MAX_NP = 5e7; // CSC nonzeros n·(p+3), and HiGHS keeps several copies in its 4 GiB heap
const YALPS_MAX_N = 1000; // dense tableau (n+1) × (2n + 2p + 2)
// yalps at p = 100 (n = 1e3, τ = 0.25) returned an objective 1.005e-9 above the certified optimum with
// its default precision 1e-8 (47 s per solve); precision 1e-10 made it report 'infeasible', 1e-12
// 'cycled'. So yalps runs at p ≤ 20 only, where its answers pass the 1e-9 check.
const YALPS_MAX_P = 20;

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}
const log = (...a) => console.error(...a);

// ---------------------------------------------------------------------------------------------
// Load the package under test and the peers.

if (!existsSync(A.lib)) fail(`${A.lib} does not exist — run \`npm run build\` first (the benchmark imports the built package, like a user)`);
const lib = await import(pathToFileURL(path.resolve(A.lib)).href);
await lib.init();
const mlm = await import('ml-matrix');
const { default: MLR } = await import('ml-regression-multivariate-linear');
const { default: loadHighs } = await import('highs');
const { solve: yalpsSolve } = await import('yalps');
const t0Highs = performance.now();
let highs = await loadHighs();
const highsLoadMs = performance.now() - t0Highs;
// HiGHS's first solves in a process run several times slower (wasm tier-up): warm it up once, on a
// problem that is not part of the grid, before anything is measured.
function warmHighs() {
  const w = L.makeData({ n: 2000, p: 5, seed: 1 });
  for (const [tau, lad] of [[0.5, true], [0.25, false]]) {
    const m = L.highsModel(highs, L.buildLpCsc(w, tau, lad), { ...L.HIGHS_OPTIONS, ...JSON.parse(A['highs-options']) });
    m.run();
    m.dispose();
  }
}
const t0Warm = performance.now();
warmHighs();
const highsWarmupMs = performance.now() - t0Warm;

const meta = {
  ...L.machineInfo(),
  lib: path.relative(L.ROOT, path.resolve(A.lib)),
  argv: process.argv.slice(2),
  quick: QUICK,
  budgetMs: BUDGET,
  maxSeconds: MAX_MS / 1000,
  highsOptions: HIGHS_OPTS,
  highsInput: A['highs-lp'] ? 'lp-text' : 'csc',
  highsLoadMs,
  highsWarmupMs,
  tolerances: L.TOL,
  nodeOptions: process.env.NODE_OPTIONS ?? null,
};

// ---------------------------------------------------------------------------------------------
// Profile mode: one case under node:inspector, then exit.

if (A.profile) {
  await profileOne();
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Timing helpers.

/** One untimed-by-tinybench run, timed with performance.now (the validation run, also a warm-up). */
function once(fn) {
  const t = performance.now();
  const r = fn();
  return { r, ms: performance.now() - t };
}

/**
 * Time `fn` with tinybench: warm-up, then samples until both the budget and the minimum count are
 * met. `t1` (the validation run) sizes the plan. A fit slower than SLOW_MS is not repeated: the
 * validation run is reported as the single sample (flagged `single`).
 */
async function measure(name, fn, t1, hooks = {}) {
  if (t1 >= SLOW_MS) {
    // The validation run may have paid one-off costs (JIT/wasm tier-up, memory growth): repeat once.
    hooks.beforeEach?.();
    const t = performance.now();
    fn();
    const t2 = performance.now() - t;
    hooks.afterEach?.();
    if (t2 >= SLOW_MS) return { single: true, samples: [t2], median: t2, min: t2, max: t2, n: 1, validationRunMs: t1 };
    t1 = t2;
  }
  const minIter = QUICK ? (t1 > 100 ? 2 : 5) : t1 > 3000 ? 3 : t1 > 500 ? 5 : 10;
  const iterations = Math.max(minIter, Math.min(500, Math.round(BUDGET / Math.max(t1, 1e-3))));
  const warmupIterations = Math.max(1, Math.min(16, Math.round(BUDGET / 4 / Math.max(t1, 1e-3))));
  const bench = new Bench({
    name, time: BUDGET, iterations, warmup: t1 < 1000, warmupTime: BUDGET / 4, warmupIterations,
    retainSamples: true, throws: true,
  });
  bench.add(name, fn, hooks);
  await bench.run();
  const res = bench.tasks[0].result;
  if (res.state !== 'completed') throw new Error(`tinybench: ${name} ended in state ${res.state}${res.error ? `: ${res.error.message}` : ''}`);
  const lat = res.latency;
  return { median: lat.p50, min: lat.min, max: lat.max, mean: lat.mean, n: lat.samplesCount ?? lat.samples?.length, rme: lat.rme, samples: lat.samples ? Array.from(lat.samples) : undefined };
}

// Extrapolated skips: the last measured single-fit time per (suite, solver, p, tau) and n, scaled at
// least linearly in n (peers: by the observed exponent when steeper, up to n²; robustreg: linearly,
// a lower bound, so our own columns are measured unless they certainly exceed the limit).
const history = new Map();
function tooSlow(key, n, maxExpo = 2, onlyMeasured = false) {
  const h = history.get(key);
  if (!h || h.length === 0) return null;
  const last = h[h.length - 1];
  if (n <= last.n) return null;
  let expo = 1;
  if (h.length >= 2) {
    const prev = h[h.length - 2];
    const e = Math.log(last.ms / prev.ms) / Math.log(last.n / prev.n);
    if (Number.isFinite(e)) expo = Math.max(1, Math.min(maxExpo, e));
  }
  const pred = last.ms * (n / last.n) ** expo;
  if (last.timedOut || (!onlyMeasured && pred > MAX_MS)) {
    return SKIP.tooLong(last.timedOut ? `time limit reached at n = ${L.fmtN(last.n)}, so larger n was not tried` : `extrapolated: ${L.fmtMs(last.ms)} at n = ${L.fmtN(last.n)} → ≈ ${L.fmtMs(pred)}`);
  }
  return null;
}
function remember(key, n, ms, timedOut = false) {
  if (!history.has(key)) history.set(key, []);
  history.get(key).push({ n, ms, timedOut });
}

// ---------------------------------------------------------------------------------------------
// Per-suite cell runners. Each returns a cell record: { n, p, tau?, solvers: {name: timing|{skipped}} }.

const results = { meta, suites: {}, cold: [], notes: [], errors: [], peerErrors: [] };
for (const s of suites) results.suites[s] = [];

function ours(kind, backend, X, y, tau) {
  const o = { backend };
  switch (kind) {
    case 'l2': return lib.ols(X, y, o);
    case 'l1': return lib.lad(X, y, o);
    case 'quantile': return lib.quantile(X, y, { ...o, tau });
    case 'huber': return lib.huber(X, y, o);
    default: throw new Error(kind);
  }
}

const summary = (r) => ({
  objective: r.objective, intercept: r.intercept, iterations: r.iterations, edgeSteps: r.edgeSteps,
  status: r.status, converged: r.converged, certificate: r.certificate, nonUnique: r.nonUnique, rcond: r.rcond, method: r.method,
});

/**
 * Run and validate ours (wasm, then js) for one cell. Returns { wasm, js } answers + the plan, or a
 * record of why not. Throws BenchValidationError on a twin mismatch or an uncertified L1 answer.
 */
function runOurs(suite, kind, cell, X, y, tau) {
  const out = {};
  for (const backend of ['wasm', 'js']) {
    const key = `${suite}|${backend}|p${cell.p}|${tau ?? ''}`;
    const skip = tooSlow(key, cell.n, 1);
    if (skip) {
      out[backend] = skip;
      continue;
    }
    let run;
    try {
      run = once(() => ours(kind, backend, X, y, tau));
    } catch (e) {
      const msg = `[${suite} ${cellLabel(cell)}] robustreg ${kind} (${backend}) threw ${e?.code ?? e?.name}: ${e?.message}`;
      log(`  ERROR ${msg}`);
      results.errors.push(msg);
      out[backend] = { error: `${e?.code ?? e?.name}: ${e?.message}` };
      continue;
    }
    remember(key, cell.n, run.ms);
    out[backend] = { answer: run.r, t1: run.ms };
    if ((kind === 'l1' || kind === 'quantile') && run.r.status !== 'optimal') {
      throw new L.BenchValidationError(`[${suite} ${cellLabel(cell)}] robustreg ${kind} (${backend}) returned status '${run.r.status}' (converged ${run.r.converged}, certificate gap ${run.r.certificate?.gap}): not a certified optimum. Nothing was timed.`, {});
    }
  }
  if (out.wasm.answer && out.js.answer) {
    out.twinRel = L.validateObjective({ suite, cell, who: 'robustreg (js twin)', got: out.js.answer.objective, ref: out.wasm.answer.objective, rtol: L.TOL.twin });
  }
  return out;
}

const cellLabel = (c) => `n=${L.fmtN(c.n)}, p=${c.p}${c.tau !== undefined ? `, tau=${c.tau}` : ''}${c.problem ? ` (${c.problem})` : ''}`;

async function timeOurs(suite, kind, cell, X, y, tau, o, rec) {
  for (const backend of ['wasm', 'js']) {
    const v = o[backend];
    if (!v.answer) {
      rec.solvers[backend] = v.skipped ? v : { error: v.error };
      continue;
    }
    const t = await measure(`${suite} ${backend}`, () => ours(kind, backend, X, y, tau), v.t1);
    rec.solvers[backend] = { ...t, result: summary(v.answer) };
  }
  if (o.twinRel !== undefined) rec.validation.twinVsWasm = o.twinRel;
}

/**
 * Run one peer's block (validation run, or its timing). A peer that throws or aborts (e.g. HiGHS
 * running out of its wasm32 heap: an Emscripten abort kills that module instance) is recorded in the
 * cell and in results.peerErrors, and the run goes on; a HiGHS instance is reloaded and warmed up.
 * Answer-check failures (BenchValidationError) still abort the whole run.
 */
async function guardPeer(rec, suite, cell, name, fn) {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof L.BenchValidationError) throw e;
    const msg = `${e?.name ?? 'Error'}: ${String(e?.message ?? e).split('\n')[0].slice(0, 300)}`;
    rec.solvers[name] = { skipped: `failed: ${name} threw`, detail: msg };
    results.peerErrors.push(`[${suite} ${cellLabel(cell)}] ${name}: ${msg}`);
    log(`  PEER FAILURE ${name}: ${msg}`);
    if (name === 'highs') {
      highs = await loadHighs();
      warmHighs();
    }
    return undefined;
  }
}

// --- L2 ---
async function cellL2(d, cell) {
  const suite = 'l2';
  const X = L.asMatrixLike(d);
  const rec = { ...cell, dataHash: L.dataHash(d), solvers: {}, validation: {} };
  const o = runOurs(suite, 'l2', cell, X, d.y);
  if (!o.wasm.answer) {
    rec.solvers.wasm = o.wasm.skipped ? o.wasm : { error: o.wasm.error };
    return rec;
  }
  const ref = [o.wasm.answer.intercept, ...o.wasm.answer.coef];
  const peers = [];
  const np = d.n * (d.p + 1);
  // ml-matrix: inputs (Matrix with the ones column, y as a column) built untimed.
  {
    const key = `l2|ml-matrix|p${d.p}`;
    const skip = np > ML_MAX_NP ? SKIP.heap : tooSlow(key, d.n);
    if (skip) rec.solvers['ml-matrix'] = skip;
    else await guardPeer(rec, suite, cell, 'ml-matrix', () => {
      const { Xm, ym } = L.mlMatrixInputs(mlm, d);
      const r = once(() => L.l2MlMatrix(mlm, Xm, ym));
      remember(key, d.n, r.ms);
      rec.validation['ml-matrix'] = L.validateCoef({ suite, cell, who: 'ml-matrix (Cholesky of XᵀX)', got: r.r, ref });
      peers.push(['ml-matrix', () => L.l2MlMatrix(mlm, Xm, ym), r.ms]);
    });
  }
  {
    const key = `l2|mlr|p${d.p}`;
    const skip = np > ML_MAX_NP ? SKIP.heap : tooSlow(key, d.n);
    if (skip) rec.solvers['ml-regression'] = skip;
    else await guardPeer(rec, suite, cell, 'ml-regression', () => {
      const rows = L.toRows(d);
      const yRows = Array.from(d.y, (v) => [v]);
      const r = once(() => L.l2Mlr(MLR, rows, yRows, d.p));
      remember(key, d.n, r.ms);
      rec.validation['ml-regression'] = L.validateCoef({ suite, cell, who: 'ml-regression-multivariate-linear', got: r.r, ref });
      peers.push(['ml-regression', () => L.l2Mlr(MLR, rows, yRows, d.p), r.ms]);
    });
  }
  await timeOurs(suite, 'l2', cell, X, d.y, undefined, o, rec);
  for (const [name, fn, t1] of peers) await guardPeer(rec, suite, cell, name, async () => { rec.solvers[name] = await measure(`l2 ${name}`, fn, t1); });
  return rec;
}

// --- L1 / quantile (LP peers) ---
function buildHighs(d, tau, lad) {
  const lp = A['highs-lp'] ? L.buildLpText(d, tau, lad) : L.buildLpCsc(d, tau, lad);
  return L.highsModel(highs, lp, HIGHS_OPTS);
}

async function cellLP(suite, kind, d, cell, tau, expected) {
  const lad = kind === 'l1';
  const X = L.asMatrixLike(d);
  const rec = { ...cell, dataHash: L.dataHash(d), solvers: {}, validation: {} };
  const o = runOurs(suite, kind, cell, X, d.y, tau);
  if (expected !== undefined && o.wasm.answer) {
    rec.validation.fixture = L.validateObjective({ suite, cell, who: 'robustreg (wasm)', against: `certified fixture (manifest.json: ${expected.source})`, got: o.wasm.answer.objective, ref: expected.value, rtol: L.TOL.fixture });
    rec.expectedObjective = expected.value;
  }
  if (!o.wasm.answer) {
    rec.solvers.wasm = o.wasm.skipped ? o.wasm : { error: o.wasm.error };
    if (o.js.answer) await timeOurs(suite, kind, cell, X, d.y, tau, { js: o.js, wasm: o.wasm }, rec);
    return rec;
  }
  const refObj = o.wasm.answer.objective;
  const refWho = 'robustreg (wasm, certified)';
  const peers = [];
  // highs: build (arrays + createModel) and solve (run) timed apart.
  {
    const key = `${suite}|highs|p${d.p}|${tau}`;
    // The target cells (L1 at p = 10 and the certified problems, n ≤ 1e5) are measured up to HiGHS's
    // time limit, never skipped by extrapolation. (n = 1e6 is extrapolated: a forced attempt at
    // n = 1e6, p = 10 ended in an Emscripten abort inside HiGHS, most likely its wasm32 heap.)
    const target = ((suite === 'l1' && d.p === 10) || suite === 'certified') && d.n <= 1e5;
    const skip = d.n * (d.p + 3) > HIGHS_MAX_NP ? SKIP.lp : QUICK && d.n > 1e3 ? SKIP.quick('highs: one solve takes ≈ 1–10 s at n = 1e4') : tooSlow(key, d.n, 2, target);
    if (skip) rec.solvers.highs = skip;
    else await guardPeer(rec, suite, cell, 'highs', () => {
      const b = once(() => buildHighs(d, tau, lad));
      const s = once(() => L.solveHighsModel(highs, b.r, d.p));
      b.r.dispose();
      const r = s.r;
      if (r.statusName === 'timeLimit') {
        remember(key, d.n, s.ms, true);
        rec.solvers.highs = { ...SKIP.tooLong(`HiGHS stopped at its time_limit after ${L.fmtMs(s.ms)} (measured)`), lowerBoundMs: s.ms, buildMs: b.ms };
      } else {
        if (!r.ok) throw new L.BenchValidationError(`[${suite} ${cellLabel(cell)}] highs ended with model status '${r.statusName}'. Nothing was timed.`, {});
        remember(key, d.n, b.ms + s.ms);
        const recomputed = L.checkObjective(d, r.b[0], r.b.slice(1), tau, lad);
        rec.validation.highs = L.validateObjective({ suite, cell, who: 'highs (reported objective)', against: refWho, got: r.objective, ref: refObj, rtol: L.TOL.lpObjective });
        rec.validation.highsRecomputed = L.validateObjective({ suite, cell, who: 'highs (objective recomputed from its coefficients)', against: refWho, got: recomputed, ref: refObj, rtol: L.TOL.lpObjective });
        peers.push(['highs', b.ms, s.ms]);
      }
    });
  }
  // yalps: dense simplex, small n only; model building included (it is cheap next to the solve).
  {
    const skip = suite === 'certified' ? { skipped: 'n/a' } : d.n > YALPS_MAX_N ? SKIP.dense : d.p > YALPS_MAX_P ? SKIP.inexact : QUICK ? SKIP.quick('yalps: one solve takes ≈ 5–15 s at n = 1e3') : tooSlow(`${suite}|yalps|p${d.p}|${tau}`, d.n);
    if (skip) rec.solvers.yalps = skip;
    else await guardPeer(rec, suite, cell, 'yalps', () => {
      const fn = () => yalpsSolve(L.buildYalpsModel(d, tau, lad), { timeout: MAX_MS });
      const r = once(fn);
      if (r.r.status === 'timedout') rec.solvers.yalps = { ...SKIP.tooLong(`yalps stopped at its timeout after ${L.fmtMs(r.ms)} (measured)`), lowerBoundMs: r.ms };
      else {
        if (r.r.status !== 'optimal') throw new L.BenchValidationError(`[${suite} ${cellLabel(cell)}] yalps ended with status '${r.r.status}'. Nothing was timed.`, {});
        const bY = L.yalpsCoef(r.r, d.p);
        // yalps rounds its reported result to its precision (1e-8): validate the objective of its coefficients.
        rec.validation.yalps = L.validateObjective({ suite, cell, who: 'yalps (objective recomputed from its coefficients)', against: refWho, got: L.checkObjective(d, bY[0], bY.slice(1), tau, lad), ref: refObj, rtol: L.TOL.lpObjective });
        peers.push(['yalps', fn, r.ms]);
      }
    });
  }
  // R quantreg (optional): validated against ours at the interior-point tolerance.
  if (A.rscript && R.available && d.n * d.p <= 2e7) rec.solvers.R = runR(suite, d, cell, tau, lad, refObj);

  await timeOurs(suite, kind, cell, X, d.y, tau, o, rec);
  for (const peer of peers) {
    await guardPeer(rec, suite, cell, peer[0], async () => {
      if (peer[0] === 'highs') {
        const [, bMs, sMs] = peer;
        let model = null;
        const build = await measure(`${suite} highs build`, () => { model = buildHighs(d, tau, lad); }, bMs, { afterEach: () => { model.dispose(); model = null; } });
        const solve = await measure(`${suite} highs solve`, () => { model.run(); }, sMs, {
          beforeEach: () => { model = buildHighs(d, tau, lad); },
          afterEach: () => { model.dispose(); model = null; },
        });
        rec.solvers.highs = { build, solve, median: build.median + solve.median, min: build.min + solve.min, max: build.max + solve.max, note: 'median = build median + solve median' };
      } else {
        const [name, fn, t1] = peer;
        rec.solvers[name] = await measure(`${suite} ${name}`, fn, t1);
      }
    });
  }
  return rec;
}

// --- Huber (no peer; twin vs WASM) ---
async function cellHuber(d, cell) {
  const X = L.asMatrixLike(d);
  const rec = { ...cell, dataHash: L.dataHash(d), solvers: {}, validation: {} };
  const o = runOurs('huber', 'huber', cell, X, d.y);
  await timeOurs('huber', 'huber', cell, X, d.y, undefined, o, rec);
  return rec;
}

// ---------------------------------------------------------------------------------------------
// R quantreg (optional).

const R = { available: false, reason: 'not requested (--rscript)' };
if (A.rscript) {
  const probe = spawnSync('Rscript', ['-e', 'suppressMessages(library(quantreg)); cat(as.character(getRversion()), as.character(packageVersion("quantreg")))'], { encoding: 'utf8' });
  if (probe.error) Object.assign(R, { reason: `Rscript not runnable: ${probe.error.message}` });
  else if (probe.status !== 0) Object.assign(R, { reason: `Rscript with quantreg failed: ${(probe.stderr || probe.stdout).trim().split('\n').slice(-2).join(' | ')}` });
  else {
    const [rv, qv] = probe.stdout.trim().split(/\s+/);
    Object.assign(R, { available: true, reason: null, R: rv, quantreg: qv });
  }
  meta.R = { ...R };
  if (!R.available) log(`R column: unavailable — ${R.reason}`);
}

function runR(suite, d, cell, tau, lad, refObj) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'robustreg-bench-'));
  try {
    const file = path.join(dir, 'data.csv');
    const lines = new Array(d.n);
    for (let i = 0; i < d.n; i++) {
      const row = [String(d.y[i])];
      for (let j = 0; j < d.p; j++) row.push(String(d.X[i * d.p + j]));
      lines[i] = row.join(',');
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const reps = QUICK ? 1 : 5;
    const r = spawnSync('Rscript', [path.join(L.BENCH_DIR, 'rq.R'), file, String(tau), String(reps), lad ? '1' : '0'], { encoding: 'utf8', timeout: MAX_MS * (reps + 1) * 2 });
    if (r.status !== 0) return { skipped: 'R failed', detail: `${(r.stderr || '').trim().split('\n').slice(-1)[0] ?? r.error?.message}` };
    const out = {};
    for (const line of r.stdout.trim().split('\n')) {
      const j = JSON.parse(line);
      if (!j.method) continue;
      if (j.error) { out[j.method] = { skipped: 'R error', detail: j.error }; continue; }
      // fn / pfn are interior-point methods (duality-gap tolerance ~1e-6): checked at that tolerance.
      const rel = L.validateObjective({ suite, cell, who: `R quantreg rq(method="${j.method}")`, against: 'robustreg (wasm, certified)', got: j.objective, ref: refObj, rtol: L.TOL.interiorPoint });
      const s = [...j.elapsedMs].sort((a, b) => a - b);
      out[j.method] = { median: s[(s.length - 1) >> 1] / 2 + s[s.length >> 1] / 2, min: s[0], max: s[s.length - 1], samples: j.elapsedMs, n: s.length, objectiveRel: rel, timer: 'R system.time elapsed, CSV read excluded' };
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Certified fixtures (issue 3): the test suite's copy, test/fixtures/lad/{gen.mjs, problems.json, manifest.json}.

async function certifiedData(name) {
  const problems = JSON.parse(readFileSync(path.join(L.BENCH_DIR, '..', 'test', 'fixtures', 'lad', 'problems.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(path.join(L.BENCH_DIR, '..', 'test', 'fixtures', 'lad', 'manifest.json'), 'utf8'));
  const spec = problems.find((s) => s.name === name);
  if (!spec) fail(`fixture ${name} is not in test/fixtures/lad/problems.json`);
  const { generate } = await import('../test/fixtures/lad/gen.mjs');
  const g = generate(spec);
  if (L.sha256(g.X) !== spec.sha256_X || L.sha256(g.y) !== spec.sha256_y) {
    throw new L.BenchValidationError(`[certified ${name}] test/fixtures/lad/gen.mjs did not reproduce the fixture (sha256 mismatch)`, {});
  }
  // gen.mjs: row-major n × p with column 0 = 1 (the intercept). The library adds the intercept itself.
  const { n, p } = g;
  const q = p - 1;
  const X = new Float64Array(n * q);
  for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) X[i * q + j] = g.X[i * p + j + 1];
  const c = manifest.cases.find((k) => k.problem === name && k.tau === 0.5);
  if (!c || c.optimal_lad_objective == null) fail(`manifest.json has no tau = 0.5 entry for ${name}`);
  return {
    d: { n, p: q, X, y: g.y },
    expected: { value: c.optimal_lad_objective, source: `${name} tau=0.5 optimal_lad_objective by ${c.reference_solver}, exact solvers agree to ${c.exact_solvers_max_rel_diff}` },
  };
}

// ---------------------------------------------------------------------------------------------
// Cold series: fresh child processes (import + init + first fit + second fit).

function coldRun(suite, cell, who, tau) {
  const args = [path.join(L.BENCH_DIR, 'cold.mjs'), '--lib', path.resolve(A.lib), '--suite', suite, '--n', String(cell.n), '--p', String(cell.p), '--who', who, '--highs-options', JSON.stringify(HIGHS_OPTS)];
  if (tau !== undefined) args.push('--tau', String(tau));
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 10 * MAX_MS });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ') };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const median = (a) => {
  const s = a.filter(Number.isFinite).sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

function runCold() {
  const plan = [];
  for (const suite of suites) {
    if (suite === 'certified') continue;
    if (suite === 'huber' && typeof lib.huber !== 'function') continue;
    const ns = QUICK ? [Math.min(...NS)] : NS.filter((n) => n <= 1e4);
    const ps = QUICK ? [Math.min(...(suite === 'l1' ? L1_PS : PS))] : suite === 'l1' ? L1_PS : PS;
    const taus = suite === 'quantile' ? (QUICK ? [TAUS[0]] : TAUS) : [undefined];
    for (const n of ns) for (const p of ps) for (const tau of taus) {
      const whos = ['wasm', 'js'];
      if ((suite === 'l1' || suite === 'quantile') && n <= 1e3 && !QUICK) whos.push('highs');
      for (const who of whos) plan.push({ suite, cell: { n, p, tau }, who });
    }
  }
  log(`\ncold series: ${plan.length} cases × ${COLD_REPS} fresh processes`);
  for (const c of plan) {
    const reps = [];
    for (let k = 0; k < COLD_REPS; k++) reps.push(coldRun(c.suite, c.cell, c.who, c.cell.tau));
    const ok = reps.filter((r) => !r.error);
    const rec = {
      suite: c.suite, n: c.cell.n, p: c.cell.p, tau: c.cell.tau, who: c.who, reps: reps.length,
      importMs: median(ok.map((r) => r.importMs)), initMs: median(ok.map((r) => r.initMs ?? NaN)),
      firstFitMs: median(ok.map((r) => r.firstFitMs)), secondFitMs: median(ok.map((r) => r.secondFitMs)),
      raw: reps,
    };
    if (ok.length < reps.length) rec.error = reps.find((r) => r.error).error;
    results.cold.push(rec);
  }
}

// ---------------------------------------------------------------------------------------------
// Profile.

async function profileOne() {
  const { Session } = await import('node:inspector/promises');
  const suite = suites.find((s) => s !== 'certified') ?? 'l1';
  const n = NS[0], p = (suite === 'l1' ? L1_PS : PS)[0];
  const tau = suite === 'quantile' ? TAUS[0] : undefined;
  const backend = A.backend;
  if (suite === 'huber' && typeof lib.huber !== 'function') fail('huber is not exported by this build');
  const d = L.makeData({ n, p });
  const X = L.asMatrixLike(d);
  const first = once(() => ours(suite, backend, X, d.y, tau));
  const second = once(() => ours(suite, backend, X, d.y, tau)); // size the run on a warm fit
  const reps = Math.max(3, Math.min(5000, Math.round(3000 / Math.max(second.ms, 0.01))));
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let k = 0; k < reps; k++) ours(suite, backend, X, d.y, tau);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(path.join(L.BENCH_DIR, 'results'), { recursive: true });
  const file = path.join(L.BENCH_DIR, 'results', `profile-${suite}-${backend}-n${n}-p${p}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  // Self time per function from the sample counts.
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map();
  const dt = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  for (const id of profile.samples) {
    const nd = byId.get(id);
    const cf = nd.callFrame;
    const k = `${cf.functionName || '(anonymous)'}  ${cf.url ? path.basename(cf.url) : ''}${cf.lineNumber >= 0 ? `:${cf.lineNumber + 1}` : ''}`;
    self.set(k, (self.get(k) ?? 0) + dt);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(`profile: ${suite} ${backend} n=${L.fmtN(n)} p=${p}${tau ? ` tau=${tau}` : ''}, ${reps} fits (first fit ${L.fmtMs(first.ms)}, then ${L.fmtMs(second.ms)}; ${L.fmtMs(total)} sampled)`);
  console.log(L.renderTable(['function (self time)', '', 'ms', 'share'], top.map(([k, v]) => [k, '', v.toFixed(1), `${((100 * v) / total).toFixed(1)}%`])));
  console.log(`\nwrote ${path.relative(process.cwd(), file)} — open it in Chrome DevTools (Performance → Load profile) or VS Code.`);
  console.log(`WASM functions appear as wasm-function[N] (or by name when the .wasm has a name section).`);
  console.log(`Whole-run alternative with default flags for the code under test:\n  node --cpu-prof --cpu-prof-dir=bench/results bench/run.mjs --suite ${suite} --n ${n} --p ${p} --no-cold`);
}

// ---------------------------------------------------------------------------------------------
// Main loop: cells outermost (n ascending so slow peers are skipped by extrapolation), suites inside,
// so each data set is generated once and dropped before the next.

const tStart = performance.now();
log(`robustreg bench — ${meta.cpu}, ${meta.cores} cores, Node ${meta.node}${QUICK ? ' (--quick)' : ''}`);
if (process.execArgv.length || process.env.NODE_OPTIONS) log(`WARNING: non-default runtime flags: ${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);
if (suites.includes('huber') && typeof lib.huber !== 'function') {
  const note = 'huber: skipped — this build does not export huber() yet';
  results.notes.push(note);
  log(note);
}

try {
  const cells = [];
  for (const n of NS) for (const p of [...new Set([...PS, ...L1_PS])].sort((a, b) => a - b)) cells.push({ n, p });
  for (const { n, p } of cells) {
    const want = suites.filter((s) => {
      if (s === 'certified') return false;
      if (s === 'huber' && typeof lib.huber !== 'function') return false;
      return (s === 'l1' ? L1_PS : PS).includes(p);
    });
    if (want.length === 0) continue;
    const tg = performance.now();
    const d = L.makeData({ n, p });
    log(`\ncell n=${L.fmtN(n)} p=${p} (data ${L.fmtMs(performance.now() - tg)}): ${want.join(', ')}`);
    const cell = { n, p };
    for (const s of want) {
      const t = performance.now();
      if (s === 'l2') results.suites.l2.push(await cellL2(d, cell));
      else if (s === 'l1') results.suites.l1.push(await cellLP('l1', 'l1', d, cell, 0.5));
      else if (s === 'quantile') for (const tau of TAUS) results.suites.quantile.push(await cellLP('quantile', 'quantile', d, { ...cell, tau }, tau));
      else if (s === 'huber') results.suites.huber.push(await cellHuber(d, cell));
      log(`  ${s.padEnd(9)} ${L.fmtMs(performance.now() - t)}`);
      writeResults({ partial: true }); // a crash later still leaves every finished cell on disk
    }
  }
  if (suites.includes('certified')) {
    const names = CERTIFIED.filter((nm) => NS.includes(+nm.match(/_n(\d+)_/)[1]) || (!A.n && !QUICK) || (QUICK && nm === CERTIFIED[0]));
    for (const nm of names) {
      const tg = performance.now();
      const { d, expected } = await certifiedData(nm);
      log(`\ncertified ${nm} (generated + sha256-checked in ${L.fmtMs(performance.now() - tg)})`);
      results.suites.certified.push(await cellLP('certified', 'l1', d, { n: d.n, p: d.p + 1, problem: nm }, 0.5, expected));
      writeResults({ partial: true });
    }
  }
  if (!A['no-cold']) runCold();
} catch (e) {
  if (e instanceof L.BenchValidationError) {
    console.error(`\nBENCHMARK ABORTED — answer validation failed:\n  ${e.message}`);
    results.abortReason = e.message;
    writeResults({ aborted: true });
    process.exit(1);
  }
  results.abortReason = `${e?.name}: ${e?.message}`;
  writeResults({ aborted: true });
  console.error('\nBENCHMARK CRASHED — the cells finished so far are in the results file');
  throw e;
}
meta.totalSeconds = +((performance.now() - tStart) / 1000).toFixed(1);
meta.loadAverageAtEnd = os.loadavg().map((x) => +x.toFixed(2));

// ---------------------------------------------------------------------------------------------
// Output.

function cellTime(s) {
  if (!s) return '—';
  if (s.skipped) return s.skipped;
  if (s.error) return `error`;
  const single = s.single || s.solve?.single ? '¹' : '';
  return `${L.fmtMs(s.median)}${single}`;
}
function cellRange(s) {
  if (!s || s.skipped || s.error || s.median === undefined) return cellTime(s);
  if (s.n === 1 || s.single) return cellTime(s);
  return `${L.fmtMs(s.median)} (${L.fmtMs(s.min)}–${L.fmtMs(s.max)})`;
}
function ratio(peer, base) {
  if (!peer || !base || base.median === undefined) return '—';
  if (peer.skipped && peer.lowerBoundMs) return `> ${L.fmtRatio(peer.lowerBoundMs / base.median)}`;
  if (peer.median === undefined) return '—';
  return L.fmtRatio(peer.median / base.median);
}

/** Footnotes: why each skipped entry of a table was skipped (deduplicated by solver + detail). */
function printSkips(rows) {
  const seen = new Map();
  const visit = (name, v, c) => {
    if (!v || typeof v !== 'object') return;
    if (v.skipped) {
      if (!v.detail) return;
      const k = `${name}: ${v.skipped} — ${v.detail}`;
      if (!seen.has(k)) seen.set(k, []);
      seen.get(k).push(cellLabel(c));
    } else if (name === 'R') for (const m of ['fn', 'pfn']) visit(`R ${m}`, v[m], c);
  };
  for (const c of rows) for (const [name, v] of Object.entries(c.solvers)) visit(name === 'js' ? 'twin' : name, v, c);
  for (const [k, cells] of seen) console.log(`  ${k}  [${cells.length > 3 ? `${cells.length} cells` : cells.join('; ')}]`);
}

function printHeader() {
  const m = meta;
  console.log(`\nrobustreg ${m.versions.robustreg} benchmark — ${m.date}`);
  console.log(`machine: ${m.cpu}, ${m.cores} cores, ${m.totalMemoryGiB} GiB, ${m.platform} (${m.host}); load average (1/5/15 min) ${m.loadAverage.join(' / ')} at start, ${m.loadAverageAtEnd?.join(' / ') ?? '?'} at end${m.loadAverage[0] > m.cores * 0.75 ? ' — BUSY MACHINE: timings are noisy' : ''}`);
  console.log(`runtime: Node ${m.node}, V8 ${m.v8}, flags: ${m.execArgv.length ? m.execArgv.join(' ') : 'default'}`);
  console.log(`peers: ${L.PEERS.map((k) => `${k} ${m.versions[k] ?? '(missing)'}`).join(', ')}${m.R ? `, R: ${m.R.available ? `R ${m.R.R} quantreg ${m.R.quantreg}` : 'unavailable'}` : ''}`);
  console.log(`highs: ${m.highsInput} input, options ${JSON.stringify(m.highsOptions)}; wasm load ${L.fmtMs(m.highsLoadMs)}, warm-up solves ${L.fmtMs(m.highsWarmupMs)}`);
  console.log(`timing: tinybench ${m.versions.tinybench}, warm-up then ≥ ${m.budgetMs} ms per solver per cell; medians (min–max); ¹ = one sample (a fit still slower than ${SLOW_MS / 1000} s on its second run is not repeated further)`);
  console.log(`input: X as { data: Float64Array, layout: 'row-major' } for robustreg (copy + validation included); peers get their own format prebuilt`);
  console.log(`checked before timing: L2 coef rel ${L.TOL.l2Coef} (to ||coef||₂), LP objective rel ${L.TOL.lpObjective}, twin vs WASM objective rel ${L.TOL.twin}, fixtures rel ${L.TOL.fixture}`);
}

function printTables() {
  printHeader();
  const base = ['n', 'p'];
  if (results.suites.l2?.length) {
    console.log('\n## L2 — ols (peers: ml-matrix Cholesky of XᵀX; ml-regression-multivariate-linear)');
    console.log(L.renderTable([...base, 'WASM median (min–max)', 'twin', 'twin/WASM', 'ml-matrix', '×WASM', 'ml-regression', '×WASM'],
      results.suites.l2.map((c) => [L.fmtN(c.n), c.p, cellRange(c.solvers.wasm), cellTime(c.solvers.js), ratio(c.solvers.js, c.solvers.wasm),
        cellTime(c.solvers['ml-matrix']), ratio(c.solvers['ml-matrix'], c.solvers.wasm), cellTime(c.solvers['ml-regression']), ratio(c.solvers['ml-regression'], c.solvers.wasm)])));
    printSkips(results.suites.l2);
  }
  const lpTable = (title, rows, withTau, certified = false) => {
    console.log(`\n## ${title}`);
    const rcols = A.rscript && R.available ? ['R fn', '×WASM', 'R pfn', '×WASM'] : [];
    const head = [...(withTau ? ['τ'] : []), ...(certified ? ['problem'] : []), ...base, 'WASM median (min–max)', 'twin', 'twin/WASM', 'sweeps', 'pivots',
      ...(certified ? ['objective Δrel'] : []), 'highs build', 'highs solve', 'highs/WASM', ...(certified ? [] : ['yalps', '×WASM']), ...rcols];
    console.log(L.renderTable(head, rows.map((c) => {
      const w = c.solvers.wasm, res = w?.result ?? c.solvers.js?.result;
      const h = c.solvers.highs;
      const r = c.solvers.R;
      return [...(withTau ? [c.tau] : []), ...(certified ? [c.problem] : []), L.fmtN(c.n), c.p, cellRange(w), cellTime(c.solvers.js), ratio(c.solvers.js, w),
        res ? res.iterations - (res.edgeSteps ?? 0) : '—', res?.edgeSteps ?? '—',
        ...(certified ? [c.validation.fixture !== undefined ? c.validation.fixture.toExponential(1) : '—'] : []),
        h?.build ? L.fmtMs(h.build.median) : h?.buildMs ? L.fmtMs(h.buildMs) : '—', h?.solve ? cellTime(h.solve) : cellTime(h), ratio(h, w),
        ...(certified ? [] : [cellTime(c.solvers.yalps), ratio(c.solvers.yalps, w)]),
        ...(rcols.length ? [cellTime(r?.fn ?? r), ratio(r?.fn, w), cellTime(r?.pfn ?? r), ratio(r?.pfn, w)] : [])];
    })));
    printSkips(rows);
  };
  if (results.suites.l1?.length) lpTable('L1 — lad (peers: highs LP, yalps at n ≤ 1e3); sweeps = iterations − edgeSteps, pivots = edgeSteps; highs/WASM uses build + solve', results.suites.l1, false);
  if (results.suites.quantile?.length) lpTable('Quantile — quantile(X, y, {tau}) (same peers)', results.suites.quantile, true);
  if (results.suites.huber?.length) {
    console.log('\n## Huber — huber (no peer; twin vs WASM)');
    console.log(L.renderTable([...base, 'WASM median (min–max)', 'twin', 'twin/WASM', 'iterations'],
      results.suites.huber.map((c) => [L.fmtN(c.n), c.p, cellRange(c.solvers.wasm), cellTime(c.solvers.js), ratio(c.solvers.js, c.solvers.wasm), c.solvers.wasm?.result?.iterations ?? '—'])));
    printSkips(results.suites.huber);
  }
  if (results.suites.certified?.length) lpTable('Certified — L1 on the reference problems (issue 3; p counts the intercept; objective checked against manifest.json before timing)', results.suites.certified, false, true);
  if (results.cold.length) {
    console.log(`\n## Cold start — fresh process per run (median of ${COLD_REPS}); import = dynamic import of the package, init = await init() (WASM compile; not needed for the twin), then the first and second fit`);
    console.log(L.renderTable(['suite', 'n', 'p', 'τ', 'who', 'import', 'init', '1st fit', '2nd fit', 'warm median'],
      results.cold.map((c) => {
        const warm = results.suites[c.suite]?.find((x) => x.n === c.n && x.p === c.p && x.tau === c.tau)?.solvers[c.who];
        const whoName = c.who === 'js' ? 'twin' : c.who;
        return [c.suite, L.fmtN(c.n), c.p, c.tau ?? '', whoName, c.error ? 'error' : L.fmtMs(c.importMs), c.initMs === c.initMs ? L.fmtMs(c.initMs) : '—', L.fmtMs(c.firstFitMs), L.fmtMs(c.secondFitMs), warm?.median !== undefined ? L.fmtMs(warm.median) : '—'];
      })));
  }
  printTargets();
  for (const n of results.notes) console.log(`note: ${n}`);
  if (results.peerErrors.length) {
    console.log(`\n${results.peerErrors.length} peer failure(s) (recorded, run continued):`);
    for (const e of results.peerErrors) console.log(`  ${e}`);
  }
  if (results.errors.length) {
    console.log(`\n${results.errors.length} error(s):`);
    for (const e of results.errors) console.log(`  ${e}`);
  }
}

function printTargets() {
  const lines = [];
  const l2 = results.suites.l2?.find((c) => c.n === 1e5 && c.p === 20);
  if (l2?.solvers.wasm?.median && l2.solvers.js?.median) {
    const r = l2.solvers.js.median / l2.solvers.wasm.median;
    lines.push(`L2 WASM ≥ 5× twin at n=1e5, p=20: measured ${L.fmtRatio(r)} → ${r >= 5 ? 'MET' : 'NOT MET'}`);
  }
  for (const n of [1e4, 1e5]) {
    const c = results.suites.l1?.find((x) => x.n === n && x.p === 10);
    if (!c?.solvers.wasm?.median) continue;
    const h = c.solvers.highs;
    if (h?.median) {
      const r = h.median / c.solvers.wasm.median;
      lines.push(`L1 ≥ 10× faster than highs at n=${L.fmtN(n)}, p=10: measured ${L.fmtRatio(r)} → ${r >= 10 ? 'MET' : 'NOT MET'}`);
    } else if (h?.lowerBoundMs) {
      const r = h.lowerBoundMs / c.solvers.wasm.median;
      lines.push(`L1 ≥ 10× faster than highs at n=${L.fmtN(n)}, p=10: highs did not finish in ${L.fmtMs(h.lowerBoundMs)} → ratio > ${L.fmtRatio(r)} → ${r >= 10 ? 'MET' : 'undetermined'}`);
    } else if (h?.skipped) lines.push(`L1 vs highs at n=${L.fmtN(n)}, p=10: highs ${h.skipped}`);
  }
  if (lines.length) {
    console.log('\n## Targets');
    for (const l of lines) console.log(`  ${l}`);
  }
}

/** Write the results JSON. Partial writes (after every cell) go to the same file, marked `partial`. */
function writeResults({ aborted = false, partial = false } = {}) {
  const file = A.json ?? path.join(L.BENCH_DIR, 'results', `${RUN_DATE}-${os.hostname()}${QUICK ? '-quick' : ''}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...results, partial, aborted }, (k, v) => (v instanceof Float64Array ? Array.from(v) : v), 1) + '\n');
  renameSync(tmp, file); // atomic: a reader never sees half a file
  if (!partial) console.log(`\nresults: ${path.relative(process.cwd(), file)}${aborted ? ' (ABORTED run: partial)' : ''}`);
  return file;
}

printTables();
writeResults();
process.exit(results.errors.length ? 1 : 0);
