#!/usr/bin/env node
// npm run bench:degenerate [-- --families a,b --taus 0.1,0.5,0.9 --sizes 1e5x10,... --reps K --reps-1e6 K
//      --r-reps K --no-fn | --fn-sizes 1e5x10,1e5x50,1e6x10 --summary --json PATH --md PATH
//      --r-cache PATH --ours-only | --r-only | --r-remeasure --resume | --r-cache-merge A.json,B.json]
//
// Exact quantile regression on every kind of data (issue 18): nine data families × tau × n × p, each
// cell against R quantreg's rq.fit(method = "pfn") and "fn" on identical data in the same run.
//
// Families (design X, n × p predictors; every model fits an intercept; lin = 1 + X·beta, beta =
// (-0.5, -0.25, 0, 0.25, 0.5) repeating):
//   gaussian  X ~ N(0,1), y = lin + N(0,1)
//   t2        X ~ N(0,1), y = lin + t_2
//   cauchy    X ~ N(0,1), y = lin + Cauchy
//   uniform   X ~ N(0,1), y = lin + U(-1, 1)           (bounded noise)
//   hetero    X ~ N(0,1), y = lin + (0.5 + |x_1|)·N(0,1)
//   inty      X ~ N(0,1), y = round(lin + 2·N(0,1))   (integer-valued y: ties)
//   intx      X uniform on {-2,…,2}, y = round(lin + 2·N(0,1))  (integer design and y)
//   dup       1,000 distinct rows (X ~ N(0,1), y = lin + t_2) repeated in a cycle: row i = row i mod 1000
//   dummy     two factors with p/2 + 1 and p − p/2 + 1 levels, treatment-coded (0/1 columns),
//             y = lin + t_3
//
// Ours: quantile() on a Dataset (data already in WASM memory, as R's matrix is in R's). R: the same
// float64 data passed as raw files (reading not timed), rq.fit(cbind(1, X), y, tau, method) called
// directly, timed by system.time (user + system). Every answer is checked before its time counts:
// ours must be certified with a relative gap ≤ 1e-10 and an objective (recomputed here with a
// compensated sum) not above R's by more than 1e-9 relative (R's must not be below ours by more
// than that either: that would mean ours is not optimal). Times are CPU time (this process's
// user + system; R's user + system), medians of the repetitions.
// --summary also times summary(fit, dataset) (se 'nid': two refits at tau ± h) for every cell.
// Writes bench/results/degenerate-<date>.json and the grid page (--md; bench/degenerate-table.mjs),
// both rewritten after every cell (--resume continues a stopped run of the same commit).
// R's times come from the R-time cache (--r-cache, default bench/results/degenerate-r-cache.json)
// when it holds the cell — same family, n, p, tau, data hash, quantreg version, R repetitions and
// method — and are measured (and added to it) otherwise; --r-remeasure measures them anew,
// --ours-only never starts R (cells the cache lacks get no R time; its files go to the temp folder
// unless --json says where), --r-only fills the cache and
// times nothing of ours. Several --r-only processes in parallel: one --r-cache file each, then
// --r-cache-merge them into the committed cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renderMarkdown, verdict } from './degenerate-table.mjs';
import * as L from './lib.mjs';

export const FAMILIES = ['gaussian', 't2', 'cauchy', 'uniform', 'hetero', 'inty', 'intx', 'dup', 'dummy'];

/** The data of one cell: X row-major n × p, y. Deterministic in (family, n, p). */
export function makeFamily(family, n, p) {
  const seed = L.seedFor(n, p, 20261206 ^ (FAMILIES.indexOf(family) * 7919));
  const gx = L.makeRng(seed), ge = L.makeRng(seed ^ 0xa5a5a5a5);
  const beta = L.trueBeta(p);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const lin = (i) => {
    let s = beta[0];
    for (let j = 0; j < p; j++) s += X[i * p + j] * beta[j + 1];
    return s;
  };
  const t = (df) => {
    const z = ge.normal();
    let chi = 0;
    for (let m = 0; m < df; m++) { const g = ge.normal(); chi += g * g; }
    return z / Math.sqrt(chi / df);
  };
  if (family === 'dup') {
    const D = Math.min(1000, n);
    for (let k = 0; k < D * p; k++) X[k] = gx.normal();
    for (let i = 0; i < D; i++) y[i] = lin(i) + t(2);
    for (let i = D; i < n; i++) {
      X.copyWithin(i * p, (i % D) * p, (i % D) * p + p);
      y[i] = y[i % D];
    }
    return { n, p, X, y, seed };
  }
  if (family === 'intx') {
    for (let k = 0; k < n * p; k++) X[k] = (gx.u32() % 5) - 2;
  } else if (family === 'dummy') {
    const pa = p >> 1, pb = p - pa;
    for (let i = 0; i < n; i++) {
      const a = gx.u32() % (pa + 1), b = gx.u32() % (pb + 1);
      if (a > 0) X[i * p + a - 1] = 1;
      if (b > 0) X[i * p + pa + b - 1] = 1;
    }
  } else {
    for (let k = 0; k < n * p; k++) X[k] = gx.normal();
  }
  for (let i = 0; i < n; i++) {
    const m = lin(i);
    let v;
    switch (family) {
      case 'gaussian': v = m + ge.normal(); break;
      case 't2': v = m + t(2); break;
      case 'cauchy': v = m + ge.normal() / ge.normal(); break;
      case 'uniform': v = m + 2 * ge.uniform() - 1; break;
      case 'hetero': v = m + (0.5 + Math.abs(X[i * p])) * ge.normal(); break;
      case 'inty': case 'intx': v = Math.round(m + 2 * ge.normal()); break;
      case 'dummy': v = m + t(3); break;
      default: throw new Error(`unknown family '${family}'`);
    }
    y[i] = v;
  }
  return { n, p, X, y, seed };
}

// R's side: one Rscript per data set, timing the (tau, method) pairs asked for. Its answers go to the
// R-time cache (bench/results/degenerate-r-cache.json) keyed by everything that decides them.
const R_SCRIPT = `
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; n <- as.integer(args[2]); p <- as.integer(args[3]); pairs <- strsplit(args[4], ",")[[1]]
reps <- as.integer(args[5])
suppressMessages(library(quantreg))
y <- readBin(file.path(dir, "y.bin"), "double", n)
X <- cbind(1, matrix(readBin(file.path(dir, "X.bin"), "double", n * p), n, p))
num <- function(v) paste(sprintf("%.17g", v), collapse = ",")
for (pair in pairs) {
  tau <- as.numeric(sub(":.*", "", pair)); m <- sub(".*:", "", pair)
  res <- tryCatch(suppressWarnings({
    el <- numeric(reps); cpu <- numeric(reps); b <- NULL
    for (i in seq_len(reps)) {
      st <- system.time(fit <- rq.fit(X, y, tau = tau, method = m))
      if (is.null(b)) b <- coef(fit)
      el[i] <- st[["elapsed"]]; cpu[i] <- st[["user.self"]] + st[["sys.self"]]
    }
    sprintf('{"tau":%.17g,"method":"%s","elapsedMs":[%s],"cpuMs":[%s],"coef":[%s]}\\n', tau, m, num(el * 1000), num(cpu * 1000), num(b))
  }), error = function(e) sprintf('{"tau":%.17g,"method":"%s","error":"%s"}\\n', tau, m, gsub('"', "'", conditionMessage(e))))
  cat(res)
}
`;

export const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

const load = () => os.loadavg().map((x) => +x.toFixed(2));

function cpuTime(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = fn();
  const wall = performance.now() - t0;
  const u = process.cpuUsage(c0);
  return { res, cpu: (u.user + u.system) / 1000, wall };
}

/** Write a file whole or not at all (a crash mid-write must not eat the finished cells). */
function writeAtomic(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function runR(d, pairs, reps) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'robustreg-deg-'));
  try {
    const Xc = new Float64Array(d.n * d.p);
    for (let i = 0; i < d.n; i++) for (let j = 0; j < d.p; j++) Xc[j * d.n + i] = d.X[i * d.p + j];
    writeFileSync(path.join(dir, 'X.bin'), Buffer.from(Xc.buffer));
    writeFileSync(path.join(dir, 'y.bin'), Buffer.from(d.y.buffer, d.y.byteOffset, d.y.byteLength));
    writeFileSync(path.join(dir, 'rq.R'), R_SCRIPT);
    const r = spawnSync('Rscript', [path.join(dir, 'rq.R'), dir, String(d.n), String(d.p), pairs.map(([t, m]) => `${t}:${m}`).join(','), String(reps)],
      { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) return { error: (r.stderr || r.error?.message || '').trim().split('\n').slice(-2).join(' | ') };
    const out = {};
    for (const line of r.stdout.trim().split('\n')) {
      if (!line.startsWith('{')) continue;
      const j = JSON.parse(line);
      out[`${j.tau}/${j.method}`] = j;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The R-time cache. R's pfn/fn do not change when our solver does, so their CPU times and answers
// are kept per (family, n, p, tau, data hash, quantreg version, R repetitions, method), with when and
// under what load they were measured. Entries are merged into the file on every write (several
// processes may fill it at once); --r-remeasure replaces them.

export const R_CACHE_DEFAULT = path.join(L.BENCH_DIR, 'results', 'degenerate-r-cache.json');

export function rCacheKey({ family, n, p, tau, data, quantreg, rReps, method }) {
  return `${family}|${n}x${p}|tau=${tau}|${data}|quantreg ${quantreg}|reps ${rReps}|${method}`;
}

export function readRCache(file) {
  if (!existsSync(file)) return { about: '', entries: {} };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  if (!j || typeof j.entries !== 'object') throw new Error(`${file}: not an R-time cache (no "entries")`);
  return j;
}

function writeRCache(file, add) {
  const cur = readRCache(file);
  Object.assign(cur.entries, add);
  cur.about = 'R quantreg rq.fit CPU times (user + system, system.time) and coefficients for bench/degenerate.mjs, '
    + 'keyed by family|n x p|tau|data hash|quantreg version|R repetitions|method; objective = sum of rho_tau of the '
    + 'residuals of coef, compensated sum in bench/lib.mjs; load = 1/5/15-minute load averages before and after the Rscript process.';
  const sorted = Object.fromEntries(Object.entries(cur.entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeAtomic(file, JSON.stringify({ about: cur.about, entries: sorted }, null, 1) + '\n');
}

/** The cached entry for a cell and method; without a known quantreg version, the newest of any. */
function lookupR(cache, k) {
  if (k.quantreg) return cache.entries[rCacheKey(k)];
  const prefix = rCacheKey({ ...k, quantreg: '\u0000' }).split('\u0000');
  let best;
  for (const [key, e] of Object.entries(cache.entries)) {
    if (key.startsWith(prefix[0]) && key.endsWith(prefix[1]) && (!best || e.measuredAt > best.measuredAt)) best = e;
  }
  return best;
}

function gitCommit() {
  const r = spawnSync('git', ['-C', L.ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (r.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['-C', L.ROOT, 'status', '--porcelain', '--untracked-files=no', '--', 'src', 'assembly', 'build'], { encoding: 'utf8' });
  return r.stdout.trim() + (dirty.stdout.trim() ? '+dirty' : '');
}

const cellKey = (c) => `${c.family}|${c.n}x${c.p}|${c.tau}`;

async function main() {
  const { values: A } = parseArgs({
    options: {
      families: { type: 'string', default: FAMILIES.join(',') },
      taus: { type: 'string', default: '0.1,0.5,0.9' },
      sizes: { type: 'string', default: '1e5x10,1e5x50,1e6x10,1e6x50' },
      reps: { type: 'string', default: '3' },
      'reps-1e6': { type: 'string', default: '1' },
      'r-reps': { type: 'string' },
      'fn-sizes': { type: 'string' },
      'no-fn': { type: 'boolean', default: false },
      'no-r': { type: 'boolean', default: false },
      'r-cache': { type: 'string', default: R_CACHE_DEFAULT },
      'r-remeasure': { type: 'boolean', default: false },
      'ours-only': { type: 'boolean', default: false },
      'r-only': { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      'r-cache-merge': { type: 'string' },
      summary: { type: 'boolean', default: false },
      json: { type: 'string' },
      md: { type: 'string' },
    },
  });
  if (A['r-cache-merge']) {
    // parallel fills write one cache file each (--r-cache part.json); this folds them into --r-cache
    for (const f of A['r-cache-merge'].split(',')) writeRCache(path.resolve(A['r-cache']), readRCache(f).entries);
    console.log(`${path.relative(L.ROOT, path.resolve(A['r-cache']))}: ${Object.keys(readRCache(path.resolve(A['r-cache'])).entries).length} entries`);
    return;
  }
  const families = A.families.split(',');
  for (const f of families) if (!FAMILIES.includes(f)) throw new Error(`--families: unknown '${f}' (${FAMILIES.join(', ')})`);
  const taus = A.taus.split(',').map(Number);
  const sizes = A.sizes.split(',').map((s) => {
    const [n, p] = s.toLowerCase().split('x').map(Number);
    if (!(Number.isInteger(n) && n > 0 && Number.isInteger(p) && p > 1)) throw new Error(`--sizes: '${s}' is not NxP (p ≥ 2)`);
    return { n, p, key: s.toLowerCase() };
  });
  if (A['ours-only'] && A['r-only']) throw new Error('--ours-only and --r-only exclude each other');
  if (A['ours-only'] && A['r-remeasure']) throw new Error('--ours-only never runs R: drop --r-remeasure');
  const fnSizes = A['fn-sizes'] ? A['fn-sizes'].toLowerCase().split(',') : null;
  const repsFor = (n) => Number(n >= 1e6 ? A['reps-1e6'] : A.reps);
  const rRepsFor = (n) => Number(A['r-reps'] ?? (n >= 1e6 ? 1 : 3));
  const cacheFile = path.resolve(A['r-cache']);
  const useR = !A['no-r'];

  // R is started only when something is to be measured; --ours-only never starts it.
  let rVersion = null, qrVersion = null, haveR = false;
  if (useR && !A['ours-only']) {
    const probe = spawnSync('Rscript', ['-e', 'suppressMessages(library(quantreg)); cat(as.character(getRversion()), as.character(packageVersion("quantreg")))'], { encoding: 'utf8' });
    haveR = !probe.error && probe.status === 0;
    if (haveR) [rVersion, qrVersion] = probe.stdout.trim().split(/\s+/);
    else console.error(`R quantreg unavailable (${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}): R times only from the cache`);
  }
  const lib = A['r-only'] ? null : await import(pathToFileURL(path.join(L.ROOT, 'dist', 'index.js')).href);
  if (lib) await lib.init();

  const info = L.machineInfo();
  // An --ours-only run (an A/B of a change, against the R cache) is no grid result: without --json it
  // writes to the temp folder, not over the day's committed bench/results/degenerate-<date>.* files.
  const outDir = A['ours-only'] && !A.json ? os.tmpdir() : path.join(L.BENCH_DIR, 'results');
  const out = path.resolve(A.json ?? path.join(outDir, `degenerate-${info.date.slice(0, 10)}.json`));
  const md = A.md ? path.resolve(A.md) : out.replace(/\.json$/, '.md');
  const commit = gitCommit();
  const run = { command: `node bench/degenerate.mjs ${process.argv.slice(2).join(' ')}`, commit, machine: info, loadStart: load(),
    reps: Number(A.reps), reps1e6: Number(A['reps-1e6']), rReps: A['r-reps'] ?? '3 at n < 1e6, 1 at 1e6', rCache: path.relative(L.ROOT, cacheFile) };
  let results = [];
  let runs = [run];
  if (A.resume && !A['r-only'] && existsSync(out)) {
    const prev = JSON.parse(readFileSync(out, 'utf8'));
    const prevCommit = prev.runs?.at(-1)?.commit;
    if (prevCommit !== commit) throw new Error(`--resume: ${out} was written at commit ${prevCommit}, this is ${commit}: a different solver; start a new file`);
    results = prev.results ?? [];
    runs = [...(prev.runs ?? []), run];
    console.error(`--resume: ${results.length} cells kept from ${path.relative(L.ROOT, out)}`);
  }
  const done = new Set(results.map(cellKey));
  const save = (final) => {
    if (A['r-only']) return;
    run.loadEnd = load();
    run.date = new Date().toISOString();
    const doc = { runs, results };
    writeAtomic(out, JSON.stringify(doc, null, 1) + '\n');
    writeAtomic(md, renderMarkdown(doc, { partial: !final, jsonName: path.basename(out) }));
  };

  let failures = 0;
  for (const { n, p, key } of sizes) {
    for (const family of families) {
      const todo = taus.filter((tau) => !done.has(cellKey({ family, n, p, tau })));
      if (!todo.length) continue;
      const d = makeFamily(family, n, p);
      const data = L.dataHash(d);
      const rReps = rRepsFor(n);
      const methods = A['no-fn'] || (fnSizes && !fnSizes.includes(key)) ? ['pfn'] : ['pfn', 'fn'];
      const rk = (tau, method) => ({ family, n, p, tau, data, quantreg: qrVersion, rReps, method });

      // R first (cache or measured now), so a cell is written whole as soon as ours is done.
      const rOf = {};
      if (useR) {
        const cache = readRCache(cacheFile);
        const missing = [];
        for (const tau of todo) {
          for (const m of methods) {
            const e = !A['r-remeasure'] && lookupR(cache, rk(tau, m));
            if (e) rOf[`${tau}/${m}`] = { ...e, source: 'cache' };
            else if (haveR) missing.push([tau, m]);
          }
        }
        if (missing.length) {
          const before = load(), t0 = new Date().toISOString();
          const rr = runR(d, missing, rReps);
          const after = load();
          const add = {};
          for (const [tau, m] of missing) {
            const j = rr.error ? { error: rr.error } : rr[`${tau}/${m}`] ?? { error: 'no answer from Rscript' };
            if (j.error) { rOf[`${tau}/${m}`] = { error: j.error, source: 'measured' }; console.error(`[${family} ${key} tau=${tau}] R ${m}: ${j.error}`); continue; }
            const e = { family, n, p, tau, data, method: m, R: rVersion, quantreg: qrVersion, rReps, ms: median(j.cpuMs), cpuMs: j.cpuMs, wallMs: j.elapsedMs,
              coef: j.coef, objective: L.checkObjective(d, j.coef[0], j.coef.slice(1), tau), measuredAt: t0, loadBefore: before, loadAfter: after,
              machine: `${info.cpu} (${info.cores} cores)`, commandRun: `Rscript (bench/degenerate.mjs R_SCRIPT) pairs ${missing.map(([t, mm]) => `${t}:${mm}`).join(',')}` };
            add[rCacheKey(rk(tau, m))] = e;
            rOf[`${tau}/${m}`] = { ...e, source: 'measured' };
            console.error(`R ${family} ${key} tau=${tau} ${m}: ${L.fmtMs(e.ms)} CPU (load ${before[0]}→${after[0]})`);
          }
          if (Object.keys(add).length) writeRCache(cacheFile, add);
        }
      }
      if (A['r-only']) continue;

      const ds = lib.Dataset.from(L.asMatrixLike(d), d.y, { backend: 'wasm' });
      try {
        for (const tau of todo) {
          const cell = { family, n, p, tau, data, ours: runOurs(lib, ds, d, tau, repsFor(n), A.summary), R: {}, loadAverage: load(), at: new Date().toISOString() };
          const o = cell.ours;
          if (o.error) {
            failures++;
            console.error(`[${family} ${key} tau=${tau}] ${o.error}`);
          }
          for (const m of methods) {
            const e = rOf[`${tau}/${m}`];
            if (!e) continue;
            if (e.error) { cell.R[m] = { error: e.error }; continue; }
            const rc = { ms: e.ms, samples: e.cpuMs, wallSamples: e.wallMs, objective: e.objective, source: e.source, measuredAt: e.measuredAt,
              loadBefore: e.loadBefore, loadAfter: e.loadAfter, quantreg: e.quantreg };
            if (!o.error) {
              // ours certified; its objective must not be above R's (cached or not) by more than 1e-9 relative
              rc.excessRel = (e.objective - o.objective) / Math.abs(o.objective);
              if (rc.excessRel < -1e-9) {
                o.error = `not optimal: R ${m} objective ${e.objective} is below ours ${o.objective} (rel ${rc.excessRel.toExponential(2)})`;
                failures++;
                console.error(`[${family} ${key} tau=${tau}] ${o.error}`);
              }
            }
            cell.R[m] = rc;
          }
          results.push(cell);
          done.add(cellKey(cell));
          const pfn = cell.R.pfn?.ms, fn = cell.R.fn?.ms;
          if (!o.error) console.error(`${family} ${key} tau=${tau}: ours ${L.fmtMs(o.ms)} pfn ${L.fmtMs(pfn)} fn ${L.fmtMs(fn)}${cell.R.pfn?.source === 'cache' ? ' (R cached)' : ''} → pfn/ours ${L.fmtRatio(pfn / o.ms)}${A.summary ? `, summary/fit ${L.fmtRatio(o.summaryMs / o.ms)}` : ''}`);
          save(false);
        }
      } finally {
        ds.dispose?.();
      }
    }
  }
  save(true);
  if (!A['r-only']) {
    const v = verdict(results);
    console.log(v.text);
    console.log(`results: ${path.relative(L.ROOT, out)}, ${path.relative(L.ROOT, md)}`);
  }
  if (failures) process.exitCode = 1;
}

/** Our fit of one cell: run 0 validates and warms up, then `reps` timed runs (CPU of this process). */
function runOurs(lib, ds, d, tau, reps, summary) {
  const runs = [];
  let fit;
  for (let k = 0; k <= reps; k++) {
    const t = cpuTime(() => lib.quantile(ds, { tau }));
    fit = t.res;
    if (k > 0) runs.push(t);
  }
  const rel = fit.certificate.gap / Math.max(1, Math.abs(fit.certificate.primal));
  const stats = { iterations: fit.iterations, edgeSteps: fit.edgeSteps, globRounds: fit.globRounds, globFixups: fit.globFixups };
  if (!fit.converged || !(rel <= 1e-10)) {
    // an uncertified fit is a failed cell, reported as such; the grid goes on
    return { error: `not certified: status ${fit.status}, relative gap ${rel}`, ...stats, cpuSamples: runs.map((r) => r.cpu) };
  }
  const cell = {
    ms: median(runs.map((r) => r.cpu)), samples: runs.map((r) => r.cpu), wallSamples: runs.map((r) => r.wall),
    objective: L.checkObjective(d, fit.intercept, fit.coef, tau), reported: fit.objective, gapRel: rel, ...stats,
    nonUnique: fit.nonUnique, collapsed: fit.collapsedRows,
  };
  if (summary) {
    const sr = [];
    for (let k = 0; k < Math.max(1, Math.min(reps, 2)); k++) sr.push(cpuTime(() => lib.summary(fit, ds, { se: 'nid' })));
    cell.summaryMs = median(sr.map((r) => r.cpu));
    cell.summarySamples = sr.map((r) => r.cpu);
  }
  return cell;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
