#!/usr/bin/env node
// node bench/quantreg.mjs [--sizes 1e5x10,1e5x50,1e6x10,1e6x50] [--reps K] [--fn-reps K] [--no-fn] [--no-js] [--json PATH]
// Our exact L1 (lad, tau = 0.5) against R quantreg's rq.fit(method = "pfn") and "fn" on identical data
// (bench/lib.mjs makeData: Gaussian design, t_2 noise, 10% outliers), one run, medians, ratios.
//
// Ours: WASM and the TS twin, each timed in this process on a Dataset (data already in kernel memory,
// as R's matrix is in R's); "WASM (matrix in)" also times lad() on the row-major matrix (marshaling
// included). R: the same data passed as raw float64 files (reading not timed), rq.fit(cbind(1, X), y,
// tau = 0.5, method) called directly (no formula/model-frame overhead: the strongest R baseline),
// timed by system.time (user + system CPU; elapsed recorded too). Every answer is validated before it is timed: ours must be certified
// (converged) with the WASM and twin objectives equal to 1e-12; R's objective (recomputed from its
// coefficients) must not be below ours by more than 1e-9 relative (that would mean ours is not
// optimal), and is reported as a relative excess (fn/pfn are interior-point: ~1e-7 above is normal).
// Writes bench/results/quantreg-<date>.json. Needs Rscript with quantreg (Debian: r-cran-quantreg).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const { values: A } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1e5x10,1e5x50,1e6x10,1e6x50' },
    reps: { type: 'string', default: '5' },
    'fn-reps': { type: 'string', default: '3' },
    'no-fn': { type: 'boolean', default: false },
    'no-js': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const reps = Number(A.reps);
const fnReps = Number(A['fn-reps']);
const sizes = A.sizes.split(',').map((s) => {
  const [n, p] = s.toLowerCase().split('x').map(Number);
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(p) && p > 0)) throw new Error(`--sizes: '${s}' is not NxP`);
  return { n, p };
});
const tau = 0.5;

const R = await import(pathToFileURL(path.join(L.ROOT, 'dist', 'index.js')).href);
await R.init();

const probe = spawnSync('Rscript', ['-e', 'suppressMessages(library(quantreg)); cat(as.character(getRversion()), as.character(packageVersion("quantreg")))'], { encoding: 'utf8' });
const haveR = !probe.error && probe.status === 0;
const [rVersion, qrVersion] = haveR ? probe.stdout.trim().split(/\s+/) : [null, null];
if (!haveR) console.error(`R quantreg unavailable: ${probe.error?.message ?? probe.stderr.trim()}`);

const R_SCRIPT = `
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; n <- as.integer(args[2]); p <- as.integer(args[3]); tau <- as.numeric(args[4])
reps <- as.integer(args[5]); fnReps <- as.integer(args[6]); methods <- strsplit(args[7], ",")[[1]]
suppressMessages(library(quantreg))
y <- readBin(file.path(dir, "y.bin"), "double", n)
X <- cbind(1, matrix(readBin(file.path(dir, "X.bin"), "double", n * p), n, p))
num <- function(v) paste(sprintf("%.17g", v), collapse = ",")
for (m in methods) {
  k <- if (m == "fn") fnReps else reps
  res <- tryCatch(suppressWarnings({
    fit <- rq.fit(X, y, tau = tau, method = m)
    b <- coef(fit)
    el <- numeric(k)
    cpu <- numeric(k)
    for (i in seq_len(k)) {
      st <- system.time(rq.fit(X, y, tau = tau, method = m))
      el[i] <- st[["elapsed"]]
      cpu[i] <- st[["user.self"]] + st[["sys.self"]]
    }
    sprintf('{"method":"%s","elapsedMs":[%s],"cpuMs":[%s],"coef":[%s]}\\n', m, num(el * 1000), num(cpu * 1000), num(b))
  }), error = function(e) sprintf('{"method":"%s","error":"%s"}\\n', m, gsub('"', "'", conditionMessage(e))))
  cat(res)
}
`;

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
}

/** Wall and CPU (user + system of this process) milliseconds; the table uses CPU time, which the
 *  other processes on a shared machine disturb far less than wall time (the figures are CPU
 *  seconds too). */
function timeIt(fn, k) {
  const res = fn(); // validation run, also the warm-up
  const t = [], c = [];
  for (let r = 0; r < k; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
    const u = process.cpuUsage(c0);
    c.push((u.user + u.system) / 1000);
  }
  return { res, ms: median(c), wallMs: median(t), samples: c, wallSamples: t };
}

function runR(d) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'robustreg-qr-'));
  try {
    // X column-major for R's matrix(); y as is
    const Xc = new Float64Array(d.n * d.p);
    for (let i = 0; i < d.n; i++) for (let j = 0; j < d.p; j++) Xc[j * d.n + i] = d.X[i * d.p + j];
    writeFileSync(path.join(dir, 'X.bin'), Buffer.from(Xc.buffer));
    writeFileSync(path.join(dir, 'y.bin'), Buffer.from(d.y.buffer, d.y.byteOffset, d.y.byteLength));
    writeFileSync(path.join(dir, 'rq.R'), R_SCRIPT);
    const methods = A['no-fn'] ? 'pfn' : 'pfn,fn';
    const r = spawnSync('Rscript', [path.join(dir, 'rq.R'), dir, String(d.n), String(d.p), String(tau), String(reps), String(fnReps), methods],
      { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) return { error: (r.stderr || r.error?.message || '').trim().split('\n').slice(-2).join(' | ') };
    const out = {};
    for (const line of r.stdout.trim().split('\n')) {
      const j = JSON.parse(line);
      out[j.method] = j;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
const results = [];
for (const { n, p } of sizes) {
  const d = L.makeData({ n, p });
  const cell = { n, p, tau, data: L.dataHash(d) };
  const ours = {};
  for (const backend of A['no-js'] ? ['wasm'] : ['wasm', 'js']) {
    const ds = R.Dataset.from(L.asMatrixLike(d), d.y, { backend });
    const t = timeIt(() => R.lad(ds, {}), reps);
    ds.dispose?.();
    const f = t.res;
    if (!f.converged) throw new L.BenchValidationError(`[${L.fmtN(n)}x${p}] ${backend}: not certified (status ${f.status})`, {});
    const obj = L.checkObjective(d, f.intercept, f.coef, tau, true);
    ours[backend] = { ms: t.ms, samples: t.samples, wallMs: t.wallMs, wallSamples: t.wallSamples, objective: f.objective, objectiveCheck: obj, gap: f.certificate.gap, iterations: f.iterations, edgeSteps: f.edgeSteps };
  }
  if (ours.js) L.validateObjective({ suite: 'quantreg', cell, who: 'robustreg (js twin)', got: ours.js.objective, ref: ours.wasm.objective, rtol: L.TOL.twin });
  {
    const t = timeIt(() => R.lad(L.asMatrixLike(d), d.y, {}), reps);
    ours.wasmMatrixIn = { ms: t.ms, samples: t.samples, wallMs: t.wallMs, wallSamples: t.wallSamples };
  }
  cell.ours = ours;
  const ref = ours.wasm.objectiveCheck;
  if (haveR) {
    const rr = runR(d);
    cell.R = {};
    for (const m of ['pfn', 'fn']) {
      const j = rr[m];
      if (!j) continue;
      if (j.error || rr.error) { cell.R[m] = { error: j?.error ?? rr.error }; continue; }
      const obj = L.checkObjective(d, j.coef[0], j.coef.slice(1), tau, true);
      const excess = (obj - ref) / ref;
      if (excess < -1e-9) throw new L.BenchValidationError(`[${L.fmtN(n)}x${p}] R ${m} objective ${obj} is below ours ${ref} (rel ${excess.toExponential(2)}): ours is not optimal`, {});
      cell.R[m] = { ms: median(j.cpuMs), samples: j.cpuMs, wallMs: median(j.elapsedMs), wallSamples: j.elapsedMs, objective: obj, excessRel: excess };
    }
  }
  results.push(cell);
  const pfn = cell.R?.pfn?.ms, fn = cell.R?.fn?.ms;
  rows.push([`${L.fmtN(n)} × ${p}`, L.fmtMs(ours.wasm.ms), L.fmtMs(ours.wasmMatrixIn.ms), L.fmtMs(ours.js?.ms), L.fmtMs(pfn), L.fmtMs(fn),
    L.fmtRatio(pfn / ours.wasm.ms), L.fmtRatio(fn / ours.wasm.ms), L.fmtRatio(pfn / ours.js?.ms),
    `${ours.wasm.iterations - ours.wasm.edgeSteps}+${ours.wasm.edgeSteps}`,
    cell.R?.pfn?.excessRel !== undefined ? cell.R.pfn.excessRel.toExponential(1) : '—']);
  console.error(`done ${L.fmtN(n)} x ${p}`);
}

const info = L.machineInfo();
console.log(`robustreg vs R quantreg ${qrVersion ?? '(unavailable)'} (R ${rVersion ?? '-'}) — LAD tau = 0.5, ${info.cpu} (${info.cores} cores), Node ${info.node}, load ${info.loadAverage.join(' ')}, CPU time (user + system), medians of ${reps} (fn: ${fnReps}); wall times in the JSON`);
console.log(L.renderTable(['n × p', 'WASM', 'WASM (matrix in)', 'TS twin', 'R pfn', 'R fn', 'pfn/WASM', 'fn/WASM', 'pfn/twin', 'sweeps+pivots', 'pfn obj excess'], rows));
const out = A.json ?? path.join(L.BENCH_DIR, 'results', `quantreg-${info.date.slice(0, 10)}.json`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ machine: info, R: rVersion, quantreg: qrVersion, reps, fnReps, tau, results }, null, 1));
console.log(`results: ${path.relative(L.ROOT, out)}`);
