#!/usr/bin/env node
// npm run bench:degenerate [-- --families a,b --taus 0.1,0.5,0.9 --sizes 1e5x10,... --reps K --r-reps K
//                             --no-fn | --fn-sizes 1e5x10,1e5x50,1e6x10 --summary --json PATH --md PATH]
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
// Writes bench/results/degenerate-<date>.json and a markdown table (--md).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
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

const R_SCRIPT = `
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; n <- as.integer(args[2]); p <- as.integer(args[3]); taus <- as.numeric(strsplit(args[4], ",")[[1]])
reps <- as.integer(args[5]); methods <- strsplit(args[6], ",")[[1]]
suppressMessages(library(quantreg))
y <- readBin(file.path(dir, "y.bin"), "double", n)
X <- cbind(1, matrix(readBin(file.path(dir, "X.bin"), "double", n * p), n, p))
num <- function(v) paste(sprintf("%.17g", v), collapse = ",")
for (tau in taus) for (m in methods) {
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

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

function cpuTime(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = fn();
  const wall = performance.now() - t0;
  const u = process.cpuUsage(c0);
  return { res, cpu: (u.user + u.system) / 1000, wall };
}

function runR(d, taus, reps, methods) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'robustreg-deg-'));
  try {
    const Xc = new Float64Array(d.n * d.p);
    for (let i = 0; i < d.n; i++) for (let j = 0; j < d.p; j++) Xc[j * d.n + i] = d.X[i * d.p + j];
    writeFileSync(path.join(dir, 'X.bin'), Buffer.from(Xc.buffer));
    writeFileSync(path.join(dir, 'y.bin'), Buffer.from(d.y.buffer, d.y.byteOffset, d.y.byteLength));
    writeFileSync(path.join(dir, 'rq.R'), R_SCRIPT);
    const r = spawnSync('Rscript', [path.join(dir, 'rq.R'), dir, String(d.n), String(d.p), taus.join(','), String(reps), methods.join(',')],
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

async function main() {
  const { values: A } = parseArgs({
    options: {
      families: { type: 'string', default: FAMILIES.join(',') },
      taus: { type: 'string', default: '0.1,0.5,0.9' },
      sizes: { type: 'string', default: '1e5x10,1e5x50,1e6x10,1e6x50' },
      reps: { type: 'string', default: '3' },
      'r-reps': { type: 'string' },
      'fn-sizes': { type: 'string' },
      'no-fn': { type: 'boolean', default: false },
      'no-r': { type: 'boolean', default: false },
      summary: { type: 'boolean', default: false },
      json: { type: 'string' },
      md: { type: 'string' },
    },
  });
  const families = A.families.split(',');
  for (const f of families) if (!FAMILIES.includes(f)) throw new Error(`--families: unknown '${f}' (${FAMILIES.join(', ')})`);
  const taus = A.taus.split(',').map(Number);
  const sizes = A.sizes.split(',').map((s) => {
    const [n, p] = s.toLowerCase().split('x').map(Number);
    if (!(Number.isInteger(n) && n > 0 && Number.isInteger(p) && p > 1)) throw new Error(`--sizes: '${s}' is not NxP (p ≥ 2)`);
    return { n, p, key: s.toLowerCase() };
  });
  const fnSizes = A['fn-sizes'] ? A['fn-sizes'].toLowerCase().split(',') : null;
  const reps = Number(A.reps);

  const R = await import(pathToFileURL(path.join(L.ROOT, 'dist', 'index.js')).href);
  await R.init();
  const probe = A['no-r'] ? { status: 1, stderr: '--no-r' }
    : spawnSync('Rscript', ['-e', 'suppressMessages(library(quantreg)); cat(as.character(getRversion()), as.character(packageVersion("quantreg")))'], { encoding: 'utf8' });
  const haveR = !probe.error && probe.status === 0;
  const [rVersion, qrVersion] = haveR ? probe.stdout.trim().split(/\s+/) : [null, null];
  if (!haveR) console.error(`R quantreg unavailable: ${probe.error?.message ?? probe.stderr.trim()}`);
  const loadStart = os.loadavg().map((x) => +x.toFixed(2));

  const results = [];
  const rows = [];
  const flush = (final) => {
  const info = L.machineInfo();
  const header = ['family', 'n×p', 'tau', 'ours (WASM)', 'R pfn', 'R fn', 'pfn/ours', 'fn/ours', 'nid/fit', 'sweeps+pivots', 'glob rounds/fixups', 'rows solved'];
  const ratios = results.filter((c) => c.R.pfn?.ms && !c.ours.error).map((c) => ({ c, r: c.R.pfn.ms / c.ours.ms }));
  ratios.sort((a, b) => a.r - b.r);
  const worst = ratios[0], best = ratios.at(-1);
  const fnLoss = results.filter((c) => c.R.fn?.ms && c.R.fn.ms < c.ours.ms);
  const describeCell = (x) => x ? `${x.c.family} ${L.fmtN(x.c.n)}×${x.c.p} tau=${x.c.tau}: ${L.fmtRatio(x.r)}` : '—';
  const title = `robustreg vs R quantreg ${qrVersion ?? '(unavailable)'} (R ${rVersion ?? '-'}) — exact quantile regression, ${info.cpu} (${info.cores} cores), Node ${info.node}, load average ${loadStart.join(' ')} at start, ${info.loadAverage.join(' ')} at end; CPU time (user + system), medians of ${reps} (R: ${A['r-reps'] ?? `${reps} at n < 1e6, 1 at 1e6`})`;
  const failed = results.filter((c) => c.ours.error).length;
  const verdict = `pfn/ours: worst ${describeCell(worst)}; best ${describeCell(best)}; cells below 2×: ${ratios.filter((x) => x.r < 2).length} of ${ratios.length}; cells where fn was faster: ${fnLoss.length}; cells not certified: ${failed}`;
  if (final) {
    console.log(title);
    console.log(L.renderTable(header, rows));
    console.log(verdict);
  }
  const stamp = info.date.slice(0, 10);
  const out = A.json ?? path.join(L.BENCH_DIR, 'results', `degenerate-${stamp}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ machine: info, loadStart, R: rVersion, quantreg: qrVersion, reps, taus, results }, null, 1));
  const md = A.md ?? out.replace(/\.json$/, '.md');
  const mdRow = (r) => `| ${r.join(' | ')} |`;
  writeFileSync(md, [`# ${title}${final ? '' : ' (partial: the run is still going)'}`, '', `Command: \`node bench/degenerate.mjs ${process.argv.slice(2).join(' ')}\``, '', verdict, '',
    mdRow(header), mdRow(header.map(() => '---')), ...rows.map(mdRow), ''].join('\n'));
  if (final) console.log(`results: ${path.relative(L.ROOT, out)}, ${path.relative(L.ROOT, md)}`);
  };
  for (const { n, p, key } of sizes) {
    for (const family of families) {
      const d = makeFamily(family, n, p);
      const data = L.dataHash(d);
      const rReps = Number(A['r-reps'] ?? (n >= 1e6 ? 1 : reps));
      const ds = R.Dataset.from(L.asMatrixLike(d), d.y, { backend: 'wasm' });
      const ours = {};
      for (const tau of taus) {
        const runs = [];
        let fit;
        for (let k = 0; k <= reps; k++) { // run 0: validation and warm-up
          const t = cpuTime(() => R.quantile(ds, { tau }));
          fit = t.res;
          if (k > 0) runs.push(t);
        }
        const rel = fit.certificate.gap / Math.max(1, Math.abs(fit.certificate.primal));
        if (!fit.converged || !(rel <= 1e-10)) {
          // an uncertified fit is a failed cell, reported as such; the grid goes on
          ours[tau] = { error: `not certified: status ${fit.status}, relative gap ${rel}`, iterations: fit.iterations, edgeSteps: fit.edgeSteps,
            globRounds: fit.globRounds, globFixups: fit.globFixups, cpuSamples: runs.map((r) => r.cpu) };
          console.error(`[${family} ${key} tau=${tau}] ${ours[tau].error}`);
          continue;
        }
        const obj = L.checkObjective(d, fit.intercept, fit.coef, tau);
        const cell = {
          ms: median(runs.map((r) => r.cpu)), samples: runs.map((r) => r.cpu), wallSamples: runs.map((r) => r.wall),
          objective: obj, reported: fit.objective, gapRel: rel, iterations: fit.iterations, edgeSteps: fit.edgeSteps,
          globRounds: fit.globRounds, globFixups: fit.globFixups, nonUnique: fit.nonUnique, collapsed: fit.collapsedRows,
        };
        if (A.summary) {
          const sr = [];
          for (let k = 0; k < Math.max(1, Math.min(reps, 2)); k++) sr.push(cpuTime(() => R.summary(fit, ds, { se: 'nid' })));
          cell.summaryMs = median(sr.map((r) => r.cpu));
          cell.summarySamples = sr.map((r) => r.cpu);
        }
        ours[tau] = cell;
      }
      ds.dispose?.();
      let rr = {};
      if (haveR) {
        const methods = A['no-fn'] || (fnSizes && !fnSizes.includes(key)) ? ['pfn'] : ['pfn', 'fn'];
        rr = runR(d, taus, rReps, methods);
      }
      for (const tau of taus) {
        const o = ours[tau];
        const cell = { family, n, p, tau, data, ours: o, R: {}, loadAverage: os.loadavg().map((x) => +x.toFixed(2)) };
        if (o.error) {
          results.push(cell);
          rows.push([family, `${L.fmtN(n)}×${p}`, String(tau), 'not certified', '—', '—', '—', '—', '—',
            `${o.iterations - o.edgeSteps}+${o.edgeSteps}`, `${o.globRounds}/${o.globFixups}`, '—']);
          continue;
        }
        for (const m of ['pfn', 'fn']) {
          const j = rr[`${tau}/${m}`];
          if (rr.error) { cell.R[m] = { error: rr.error }; continue; }
          if (!j) continue;
          if (j.error) { cell.R[m] = { error: j.error }; continue; }
          const obj = L.checkObjective(d, j.coef[0], j.coef.slice(1), tau);
          const excess = (obj - o.objective) / Math.abs(o.objective);
          if (excess < -1e-9) throw new L.BenchValidationError(`[${family} ${key} tau=${tau}] R ${m} objective ${obj} is below ours ${o.objective} (rel ${excess.toExponential(2)}): ours is not optimal`, {});
          cell.R[m] = { ms: median(j.cpuMs), samples: j.cpuMs, wallSamples: j.elapsedMs, objective: obj, excessRel: excess };
        }
        results.push(cell);
        const pfn = cell.R.pfn?.ms, fn = cell.R.fn?.ms;
        rows.push([family, `${L.fmtN(n)}×${p}`, String(tau), L.fmtMs(o.ms), L.fmtMs(pfn), L.fmtMs(fn),
          L.fmtRatio(pfn / o.ms), L.fmtRatio(fn / o.ms), A.summary ? L.fmtRatio(o.summaryMs / o.ms) : '—',
          `${o.iterations - o.edgeSteps}+${o.edgeSteps}`, `${o.globRounds}/${o.globFixups}`, o.collapsed ?? '—']);
        console.error(`${family} ${key} tau=${tau}: ours ${L.fmtMs(o.ms)} pfn ${L.fmtMs(pfn)} fn ${L.fmtMs(fn)} → pfn/ours ${L.fmtRatio(pfn / o.ms)}${A.summary ? `, summary/fit ${L.fmtRatio(o.summaryMs / o.ms)}` : ''}`);
      }
      flush(false);
    }
  }
  flush(true);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
