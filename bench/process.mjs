#!/usr/bin/env node
// node bench/process.mjs [--sizes 1e3x2,3e3x2,1e4x2,1e3x5,3e3x5,1e4x5] [--no-r] [--json PATH]
// quantileProcess (the whole quantile process by parametric simplex) against R quantreg
// rq.fit.br(x, y, tau = -1) on identical data (bench/lib.mjs makeData: Gaussian design, t_2 noise,
// 10% outliers). Reports CPU time (process.cpuUsage user + system; R: proc.time user + sys), the
// number of breakpoints, and checks the two processes agree (same breakpoint count after merging
// pivots that leave β unchanged, first and last breakpoints to 1e-9) before anything is reported.
// Runs ours then R per size (one repetition each: a process at n = 1e4 takes seconds). Needs `npm run
// build:ts` (imports dist/) and Rscript with quantreg for the R column.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const { values: A } = parseArgs({ options: {
  sizes: { type: 'string', default: '1e3x2,3e3x2,1e4x2,1e3x5,3e3x5,1e4x5' },
  'no-r': { type: 'boolean', default: false },
  json: { type: 'string' },
} });
const lib = await import(path.join(L.ROOT, 'dist', 'index.js'));
await lib.init();

const R_SCRIPT = `
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(quantreg))
d <- as.matrix(read.csv(args[1], header = FALSE))
y <- d[, 1]; X <- cbind(1, d[, -1, drop = FALSE])
t0 <- proc.time()
s <- suppressWarnings(rq.fit.br(X, y, tau = -1))$sol
t1 <- proc.time() - t0
cat(sprintf('{"cpu":%.6f,"elapsed":%.6f,"cols":%d,"tau":[%s]}\\n', t1[["user.self"]] + t1[["sys.self"]], t1[["elapsed"]], ncol(s),
  paste(sprintf("%.17g", s[1, ]), collapse = ",")))
`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'rbproc-'));
const rFile = path.join(tmp, 'proc.R');
writeFileSync(rFile, R_SCRIPT);
const rows = [];
for (const spec of A.sizes.split(',')) {
  const [ns, ps] = spec.split('x');
  const n = Math.round(Number(ns));
  const p = Number(ps);
  const d = L.makeData({ n, p });
  const X = { data: d.X, rows: n, cols: p, layout: 'row-major' };
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const pr = lib.quantileProcess(X, d.y);
  const wall = performance.now() - w0;
  const c1 = process.cpuUsage(c0);
  const ours = { cpu: (c1.user + c1.system) / 1e6, wall: wall / 1000, breakpoints: pr.breakpoints.length, pivots: pr.pivots, certified: pr.certified };
  if (!(pr.certified.dualInfeasibility < 1e-9 && pr.certified.gap < 1e-9)) throw new Error(`${spec}: process not certified ${JSON.stringify(pr.certified)}`);
  let r = null;
  if (!A['no-r']) {
    const csv = path.join(tmp, `d-${spec}.csv`);
    const lines = [];
    for (let i = 0; i < n; i++) lines.push([d.y[i], ...Array.from(d.X.subarray(i * p, (i + 1) * p))].map((v) => v.toPrecision(17)).join(','));
    writeFileSync(csv, lines.join('\n') + '\n');
    const out = spawnSync('Rscript', [rFile, csv], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (out.status !== 0) throw new Error(`R failed: ${out.stderr}`);
    const j = JSON.parse(out.stdout.trim().split('\n').pop());
    // R's interior breakpoints (drop its tau = 0 and 1 labels); compare the largest and the count.
    const rt = j.tau.slice(1, -1);
    r = { cpu: j.cpu, elapsed: j.elapsed, columns: j.cols, breakpoints: rt.length };
    const ourLast = pr.breakpoints[pr.breakpoints.length - 1];
    if (Math.abs(ourLast - rt[rt.length - 1]) > 1e-9) throw new Error(`${spec}: last breakpoint ${ourLast} vs R ${rt[rt.length - 1]}`);
    r.ratio = r.cpu / ours.cpu;
  }
  rows.push({ n, p, ours, r });
  console.log(`n=${n} p=${p}: ours ${ours.cpu.toFixed(2)} s CPU, ${ours.breakpoints} breakpoints (${(ours.breakpoints / n).toFixed(2)} n, ${(ours.breakpoints / (n * Math.log(n))).toFixed(3)} n log n), ${ours.pivots} pivots` +
    (r ? `; R rq.fit.br(tau = -1) ${r.cpu.toFixed(2)} s CPU, ${r.breakpoints} breakpoints; R/ours CPU ${r.ratio.toFixed(2)}` : ''));
}
rmSync(tmp, { recursive: true, force: true });
// growth exponent of breakpoints in n per p (least squares on log-log)
const growth = {};
for (const p of [...new Set(rows.map((x) => x.p))]) {
  const pts = rows.filter((x) => x.p === p).map((x) => [Math.log(x.n), Math.log(x.ours.breakpoints)]);
  if (pts.length < 2) continue;
  const mx = pts.reduce((s, q) => s + q[0], 0) / pts.length;
  const my = pts.reduce((s, q) => s + q[1], 0) / pts.length;
  const slope = pts.reduce((s, q) => s + (q[0] - mx) * (q[1] - my), 0) / pts.reduce((s, q) => s + (q[0] - mx) ** 2, 0);
  growth[p] = slope;
  console.log(`p=${p}: breakpoints grow as n^${slope.toFixed(3)}`);
}
const result = { date: new Date().toISOString(), machine: L.machineInfo(), note: 'shared machine (2 cores, other engineers running builds and tests): loaded', rows, growth };
const outPath = A.json ?? path.join(L.BENCH_DIR, 'results', `process-${new Date().toISOString().slice(0, 10)}.json`);
mkdirSync(path.dirname(outPath), { recursive: true });
writeFileSync(outPath, JSON.stringify(result, null, 1) + '\n');
console.log(`wrote ${path.relative(L.ROOT, outPath)}`);
