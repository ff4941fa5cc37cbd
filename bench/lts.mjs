#!/usr/bin/env node
// node bench/lts.mjs [--sizes 1e4x5,1e4x10,1e5x5,1e5x10] [--reps K] [--no-js] [--json PATH]
// lts() against R robustbase's ltsReg(mcd = FALSE) (defaults: alpha 0.5, nsamp 500) on identical data:
// Gaussian design, y = 1 + Σ j·x_j + N(0, 1), and 10% bad leverage points (x_j = 10 + N(0, 1),
// y = −20 + N(0, 1)). CPU time (process.cpuUsage for ours; R's proc.time user + system), medians of
// K repetitions, ours timed before and after R's batch (interleaved). Every answer is validated before
// it is timed: the objective (sum of the h smallest squared residuals of the raw fit, recomputed in
// data units from each program's raw coefficients) of ours must be <= R's x (1 + 1e-6), and all bad
// rows must be flagged. Ours: WASM (and the TS twin, --no-js to skip) on the row-major matrix,
// marshaling included. R: the data as raw float64 files (reading not timed), ltsReg(X, y, mcd = FALSE)
// called directly, seed set.seed(1). Writes bench/results/lts-<date>.json (or --json PATH).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: A } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1e4x5,1e4x10,1e5x5,1e5x10' },
    reps: { type: 'string', default: '3' },
    'no-js': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const reps = Number(A.reps);
const sizes = A.sizes.split(',').map((s) => {
  const [n, p] = s.toLowerCase().split('x').map(Number);
  return { n, p };
});
const lib = await import(pathToFileURL(path.join(ROOT, 'dist', 'index.js')).href);
await lib.init();

function makeData(n, p, seed) {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const z = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const X = new Float64Array(n * p); // row-major
  const y = new Float64Array(n);
  const nb = Math.floor(0.1 * n);
  for (let i = 0; i < n; i++) {
    let yi = 1;
    for (let j = 0; j < p; j++) {
      const v = i < nb ? 10 + z() : z();
      X[i * p + j] = v;
      yi += (j + 1) * v;
    }
    y[i] = i < nb ? -20 + z() : yi + z();
  }
  return { X, y, nb };
}

function hObjective(X, y, n, p, b0, b, h) {
  const r2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = b0;
    for (let j = 0; j < p; j++) f += X[i * p + j] * b[j];
    r2[i] = (y[i] - f) ** 2;
  }
  r2.sort();
  let s = 0;
  for (let i = 0; i < h; i++) s += r2[i];
  return s;
}

const cpuMs = (f) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const c = process.cpuUsage(c0);
  return { r, cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
};
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

const R_SCRIPT = `
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; n <- as.integer(args[2]); p <- as.integer(args[3]); reps <- as.integer(args[4])
suppressMessages(library(robustbase))
y <- readBin(file.path(dir, "y.bin"), "double", n)
X <- matrix(readBin(file.path(dir, "X.bin"), "double", n * p), n, p, byrow = TRUE)
num <- function(v) paste(sprintf("%.17g", v), collapse = ",")
set.seed(1)
fit <- ltsReg(X, y, mcd = FALSE)
cpu <- numeric(reps); el <- numeric(reps)
for (i in seq_len(reps)) {
  set.seed(1)
  t0 <- proc.time()
  ltsReg(X, y, mcd = FALSE)
  st <- proc.time() - t0
  cpu[i] <- st[["user.self"]] + st[["sys.self"]]; el[i] <- st[["elapsed"]]
}
cat(sprintf('{"R":"%s","robustbase":"%s","h":%d,"raw":[%s],"flagged":%d,"cpuMs":[%s],"elapsedMs":[%s]}\\n',
  as.character(getRversion()), as.character(packageVersion("robustbase")), fit$quan,
  num(fit$raw.coefficients), sum(fit$lts.wt[1:floor(0.1 * n)] == 0), num(cpu * 1000), num(el * 1000)))
`;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lts-bench-'));
const rows = [];
try {
  const rFile = path.join(tmp, 'lts.R');
  writeFileSync(rFile, R_SCRIPT);
  for (const { n, p } of sizes) {
    const d = makeData(n, p, 1000 * n + p);
    writeFileSync(path.join(tmp, 'X.bin'), Buffer.from(d.X.buffer));
    writeFileSync(path.join(tmp, 'y.bin'), Buffer.from(d.y.buffer));
    const Xm = { data: d.X, rows: n, cols: p };
    // validate ours
    const w = lib.lts(Xm, d.y, { backend: 'wasm' });
    const oursObj = hObjective(d.X, d.y, n, p, w.raw.intercept, w.raw.coef, w.h);
    let flagged = 0;
    for (let i = 0; i < d.nb; i++) flagged += w.outliers[i];
    const wasmCpu = [];
    for (let k = 0; k < reps; k++) wasmCpu.push(cpuMs(() => lib.lts(Xm, d.y, { backend: 'wasm' })).cpu);
    // R batch
    const out = spawnSync('Rscript', [rFile, tmp, String(n), String(p), String(reps)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (out.status !== 0) throw new Error(`Rscript failed: ${out.stderr}`);
    const rr = JSON.parse(out.stdout.trim().split('\n').pop());
    const rObj = hObjective(d.X, d.y, n, p, rr.raw[0], rr.raw.slice(1), rr.h);
    for (let k = 0; k < reps; k++) wasmCpu.push(cpuMs(() => lib.lts(Xm, d.y, { backend: 'wasm' })).cpu);
    let jsCpu = null, jsSame = null;
    if (!A['no-js']) {
      const t = cpuMs(() => lib.lts(Xm, d.y, { backend: 'js' }));
      jsCpu = t.cpu;
      jsSame = t.r.objective === w.objective && t.r.coef.every((v, j) => v === w.coef[j]);
    }
    const row = {
      n, p, h: w.h, rH: rr.h,
      objective: { ours: oursObj, ltsReg: rObj, relExcess: oursObj / rObj - 1, ok: oursObj <= rObj * (1 + 1e-6) },
      flaggedBad: { of: d.nb, ours: flagged, ltsReg: rr.flagged },
      cpuMs: { wasm: median(wasmCpu), wasmAll: wasmCpu, ltsReg: median(rr.cpuMs), ltsRegAll: rr.cpuMs, js: jsCpu },
      jsBitIdentical: jsSame,
      speedup: median(rr.cpuMs) / median(wasmCpu),
      versions: { R: rr.R, robustbase: rr.robustbase },
    };
    rows.push(row);
    console.log(`${n} x ${p}: ours ${row.cpuMs.wasm.toFixed(1)} ms CPU (WASM)${jsCpu !== null ? `, twin ${jsCpu.toFixed(0)} ms` : ''}; ltsReg ${row.cpuMs.ltsReg.toFixed(0)} ms; ` +
      `ratio ${row.speedup.toFixed(1)}x; objective ours/ltsReg - 1 = ${row.objective.relExcess.toExponential(2)} ${row.objective.ok ? 'ok' : 'WORSE'}; bad rows flagged ${flagged}/${d.nb} (ltsReg ${rr.flagged})`);
    if (!row.objective.ok) console.error('  ours is above ltsReg: NOT a valid timing row');
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const date = new Date().toISOString().slice(0, 10);
const file = A.json ?? path.join(ROOT, 'bench', 'results', `lts-${date}.json`);
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify({
  date: new Date().toISOString(), machine: `${os.cpus()[0]?.model} x ${os.cpus().length}, ${os.platform()} ${os.release()}, node ${process.version}`,
  note: 'machine shared with other engineers during the run (loaded); CPU times; medians of reps (ours: 2 batches around R)',
  reps, rows,
}, null, 2) + '\n');
console.log(`wrote ${path.relative(ROOT, file)}`);
