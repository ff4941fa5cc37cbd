#!/usr/bin/env node
// npm run bench:cli [-- flags]
// The command line on a large CSV: `robustreg fit big.csv --y y --loss l2 --json` on the BUILT
// package (dist/), each run in a fresh child process so that its peak RSS is its own, interleaved
// with a baseline that only reads the file's bytes the same way (4 MiB reads into one buffer). Reported per run: wall time, CPU time (user + system of the child), peak RSS, and from the
// command's JSON the time spent reading the data into a Dataset (wall and CPU), the fit and the
// standard errors. The answer is checked before anything is reported: the coefficients must recover
// the generating ones within 10 standard errors.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HELP = `node bench/cli.mjs [flags]
  --rows N        rows of the generated file (default 1000000: y + 9 predictors, ~102 MB)
  --reps R        interleaved repetitions (default 3)
  --se METHOD     --se of the fit (default classical; none skips the standard errors)
  --f32           pass --f32 (X stored as float32)
  --big           also fit a 1e7-row file (~1 GB, generated once) one time, for its peak RSS
  --json PATH     results file (default bench/results/cli-<date>.json)
  --help`;

const { values: A } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    reps: { type: 'string', default: '3' },
    se: { type: 'string', default: 'classical' },
    f32: { type: 'boolean', default: false },
    big: { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log(HELP);
  process.exit(0);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist/cli/main.js');
if (!existsSync(cli)) {
  console.error('bench/cli.mjs: dist/cli/main.js is missing; run npm run build first');
  process.exit(1);
}
const P = 9;
const BETA = [1, ...Array.from({ length: P }, (_, j) => 0.1 * (j + 1))];

/** y = 1 + Σ 0.1 (j+1) x_j + uniform(−2, 2) noise, x_j uniform(−50, 50); xorshift32, seed 12345. */
async function generate(file, n) {
  let s = 12345 >>> 0;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const out = createWriteStream(file);
  out.write('y,' + Array.from({ length: P }, (_, j) => `x${j + 1}`).join(',') + '\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: P }, () => rnd() * 100 - 50);
    let y = BETA[0];
    for (let j = 0; j < P; j++) y += BETA[j + 1] * x[j];
    y += (rnd() - 0.5) * 4;
    buf += y.toFixed(5) + ',' + x.map((v) => v.toFixed(6)).join(',') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  await new Promise((r) => out.end(buf, r));
}

async function dataFile(n) {
  const dir = path.join(os.tmpdir(), 'robustreg-bench-cli');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `y-x${P}-${n}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} ...\n`);
    await generate(file + '.tmp', n);
    const { renameSync } = await import('node:fs');
    renameSync(file + '.tmp', file);
  }
  return file;
}

/**
 * Run `node <args>` under a tiny preamble that reports, at exit, the child's CPU time, peak RSS and
 * wall time since the preamble ran (on fd 2, one JSON line after a marker).
 */
function measured(args) {
  const pre = `const t0=performance.now();process.on('exit',()=>{const c=process.cpuUsage();` +
    `process.stderr.write('\\n@@BENCH '+JSON.stringify({wallMs:performance.now()-t0,cpuMs:(c.user+c.system)/1000,maxRssMB:process.resourceUsage().maxRSS/1024})+'\\n')});`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(pre)}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /@@BENCH (.*)\n/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`child failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { ...JSON.parse(m[1]), stdout: r.stdout };
}

function baseline(file) {
  // the same reads as the command: 4 MiB at a time into one reused buffer
  const code = `const fh=await (await import('node:fs/promises')).open(${JSON.stringify(file)});const buf=new Uint8Array(1<<22);let b=0;for(;;){const {bytesRead}=await fh.read(buf,0,buf.length,null);if(!bytesRead)break;b+=bytesRead}await fh.close();console.log(b)`;
  return measured(['--input-type=module', '-e', code]);
}

function fitRun(file) {
  const r = measured([cli, 'fit', file, '--y', 'y', '--loss', 'l2', '--se', A.se, '--json', ...(A.f32 ? ['--f32'] : [])]);
  const j = JSON.parse(r.stdout);
  // recover the generating coefficients
  const est = [j.intercept, ...j.coef];
  const se = j.inference ? j.inference.coefficients.map((c) => c.stdError) : est.map(() => 0.01);
  est.forEach((b, k) => {
    if (!(Math.abs(b - BETA[k]) < 10 * se[k] + 1e-9)) throw new Error(`coefficient ${k}: ${b} vs ${BETA[k]} (se ${se[k]})`);
  });
  return { ...r, readMs: j.readMs, readCpuMs: j.readCpuMs, fitMs: j.timeMs, seMs: j.inference ? j.inference.timeMs : 0, fitCpuMs: j.cpuMs.fit, seCpuMs: j.cpuMs.se, n: j.n, bytes: j.bytes, stdout: undefined };
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const n = Number(A.rows);
const file = await dataFile(n);
const bytes = statSync(file).size;
const reps = Number(A.reps);
const base = [];
const fits = [];
for (let r = 0; r < reps; r++) {
  base.push(baseline(file));
  fits.push(fitRun(file));
  process.stderr.write(`rep ${r + 1}/${reps}: read bytes ${base[r].wallMs.toFixed(0)} ms wall; fit ${fits[r].wallMs.toFixed(0)} ms wall, ${fits[r].cpuMs.toFixed(0)} ms CPU, ${fits[r].maxRssMB.toFixed(0)} MB RSS\n`);
}
const mb = bytes / 1e6;
const f64MB = (n * (P + 1) * 8) / 1e6; // X and y as float64
const summary = {
  date: new Date().toISOString(),
  host: os.hostname(),
  cpus: os.cpus().length,
  loadavg: os.loadavg(),
  node: process.version,
  file: { rows: n, cols: P + 1, bytes, f64MB },
  options: { se: A.se, f32: A.f32 },
  baselineReadBytes: { wallMs: median(base.map((b) => b.wallMs)), cpuMs: median(base.map((b) => b.cpuMs)), maxRssMB: median(base.map((b) => b.maxRssMB)) },
  fit: {
    wallMs: median(fits.map((f) => f.wallMs)),
    cpuMs: median(fits.map((f) => f.cpuMs)),
    maxRssMB: median(fits.map((f) => f.maxRssMB)),
    readMs: median(fits.map((f) => f.readMs)),
    readCpuMs: median(fits.map((f) => f.readCpuMs)),
    fitMs: median(fits.map((f) => f.fitMs)),
    seMs: median(fits.map((f) => f.seMs)),
    fitCpuMs: median(fits.map((f) => f.fitCpuMs)),
    seCpuMs: median(fits.map((f) => f.seCpuMs)),
  },
  runs: { baseline: base.map(({ stdout: _s, ...b }) => b), fit: fits },
};
summary.derived = {
  parseMBperSecWall: mb / (summary.fit.readMs / 1000),
  parseMBperSecCpu: mb / (summary.fit.readCpuMs / 1000),
  readBytesMBperSecWall: mb / (summary.baselineReadBytes.wallMs / 1000),
  rssOverF64: summary.fit.maxRssMB / f64MB,
  seOverFit: summary.fit.seMs / summary.fit.fitMs,
  seOverFitCpu: summary.fit.seCpuMs / summary.fit.fitCpuMs,
};
if (A.big) {
  const bigN = 10_000_000;
  const bigFile = await dataFile(bigN);
  const r = fitRun(bigFile);
  summary.big = { rows: bigN, bytes: statSync(bigFile).size, ...r, f64MB: (bigN * (P + 1) * 8) / 1e6 };
  process.stderr.write(`1e7 rows: ${r.wallMs.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU, ${r.maxRssMB.toFixed(0)} MB RSS\n`);
}

const d = summary.derived;
console.log(`robustreg fit ${path.basename(file)} --y y --loss l2 --se ${A.se}${A.f32 ? ' --f32' : ''}: ${n} rows × ${P + 1} columns, ${mb.toFixed(1)} MB (medians of ${reps}, interleaved; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)})`);
console.log(`  read the bytes only (baseline): ${summary.baselineReadBytes.wallMs.toFixed(0)} ms wall, ${summary.baselineReadBytes.cpuMs.toFixed(0)} ms CPU (${d.readBytesMBperSecWall.toFixed(0)} MB/s)`);
console.log(`  CSV → Dataset:  ${summary.fit.readMs.toFixed(0)} ms wall, ${summary.fit.readCpuMs.toFixed(0)} ms CPU  → ${d.parseMBperSecWall.toFixed(0)} MB/s wall, ${d.parseMBperSecCpu.toFixed(0)} MB/s CPU`);
console.log(`  fit: ${summary.fit.fitMs.toFixed(0)} ms wall, ${summary.fit.fitCpuMs.toFixed(0)} ms CPU; standard errors: ${summary.fit.seMs.toFixed(0)} ms wall, ${summary.fit.seCpuMs.toFixed(0)} ms CPU (${d.seOverFit.toFixed(2)}× the fit wall, ${d.seOverFitCpu.toFixed(2)}× CPU)`);
console.log(`  whole command: ${summary.fit.wallMs.toFixed(0)} ms wall, ${summary.fit.cpuMs.toFixed(0)} ms CPU; peak RSS ${summary.fit.maxRssMB.toFixed(0)} MB = ${d.rssOverF64.toFixed(2)}× the float64 size of the data (${f64MB.toFixed(0)} MB)`);
// the issue-19 bars, each with the measure it is judged on (wall-clock bars need a quiet machine:
// compare the wall and CPU columns — under load the wall time is mostly waiting for a core)
const quiet = os.loadavg()[0] < 0.5 * os.cpus().length;
const bar = (ok) => (ok ? 'met' : 'NOT met');
console.log(`  bars (issue 19${n === 1_000_000 ? '' : ', set for the default 1e6-row file'})${quiet ? '' : ` — machine under load (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs): wall-clock verdicts are not meaningful, rerun on a quiet machine`}:`);
console.log(`    parse ≥ 100 MB/s:                ${d.parseMBperSecCpu.toFixed(0)} MB/s CPU, ${d.parseMBperSecWall.toFixed(0)} MB/s wall → ${bar(d.parseMBperSecCpu >= 100)} (CPU)${quiet ? `, ${bar(d.parseMBperSecWall >= 100)} (wall)` : ''}`);
if (A.se !== 'none') console.log(`    standard errors ≤ 0.5× the fit:  ${d.seOverFitCpu.toFixed(2)}× CPU, ${d.seOverFit.toFixed(2)}× wall → ${bar(d.seOverFitCpu <= 0.5)} (CPU)${quiet ? `, ${bar(d.seOverFit <= 0.5)} (wall)` : ''}`);
console.log(`    whole command ≤ 3 s wall:        ${(summary.fit.wallMs / 1000).toFixed(2)} s wall (${(summary.fit.cpuMs / 1000).toFixed(2)} s CPU) → ${quiet ? bar(summary.fit.wallMs <= 3000) : `not judged under load (CPU alone: ${bar(summary.fit.cpuMs <= 3000)})`}`);
console.log(`    peak RSS ≤ 3× the f64 data:      ${d.rssOverF64.toFixed(2)}× → ${bar(d.rssOverF64 <= 3)}`);
if (summary.big) console.log(`  1e7 rows (${(summary.big.bytes / 1e6).toFixed(0)} MB): ${summary.big.wallMs.toFixed(0)} ms wall, ${summary.big.cpuMs.toFixed(0)} ms CPU, peak RSS ${summary.big.maxRssMB.toFixed(0)} MB (${(summary.big.maxRssMB / summary.big.f64MB).toFixed(2)}× ${summary.big.f64MB.toFixed(0)} MB)`);
const out = A.json ?? path.join(root, 'bench/results', `cli-${summary.date.slice(0, 10)}${A.f32 ? '-f32' : ''}.json`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
console.log(`wrote ${path.relative(root, out)}`);
