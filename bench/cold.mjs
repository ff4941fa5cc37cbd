// Cold start, three entry points (the third, --tiers, is described at its function below: which
// WebAssembly functions V8 still compiles during the first fit).
//
// 1. One cold-start measurement in a fresh process (spawned by run.mjs; not meant to be run by hand, but
//    it works: node bench/cold.mjs --lib ../dist/index.js --suite l1 --n 1000 --p 5 --who wasm).
//    The data is generated first (untimed); then import of the package, init(), the first fit and a
//    second fit are timed separately and printed as one JSON line on stdout.
//
// 2. The first-call series of issue 23 (init() warm-up, persistent fitAsync worker):
//      node bench/cold.mjs --startup [--reps 5] [--quick] [--lib dist/index.js] [--out file.json]
//    For each case a FRESH PROCESS per repetition and warm-up mode (init() default = background worker,
//    init({ warmup: 'wait' }) = on this thread, init({ warmup: false }); the order rotates, so load
//    drifts hit every mode alike): generate the data (untimed), import, init() (wall and process CPU time), build a
//    Dataset (untimed), the first fit, then --fits more fits (their median is the "warm median"),
//    at 1e4 and 1e6 rows for L2 (p = 20), L1 (p = 10) and Huber (p = 10). Then fitAsync at 1e5 × 10:
//    the first and second call (persistent worker) against an in-thread fit of the same arrays plus
//    one copy of X and y (what fitAsync adds: the copy handed to the worker). Prints a table and
//    writes every raw sample to bench/results/cold-start-<date>.json. CPU time is process-wide
//    (process.cpuUsage: all threads, so V8's background compiles and the worker count too).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { asMatrixLike, buildLpCsc, highsModel, makeData, solveHighsModel } from './lib.mjs';

const { values: a } = parseArgs({
  options: {
    lib: { type: 'string' }, suite: { type: 'string' }, n: { type: 'string' }, p: { type: 'string' },
    tau: { type: 'string' }, who: { type: 'string' }, 'highs-options': { type: 'string' },
    startup: { type: 'boolean' }, child: { type: 'string' }, warmup: { type: 'string' }, fits: { type: 'string' },
    reps: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' }, modes: { type: 'string' },
    tiers: { type: 'boolean' }, marks: { type: 'boolean' },
  },
});
if (a.tiers) {
  await tiers();
  process.exit(0);
}
if (a.startup) {
  await startupSeries();
  process.exit(0);
}
if (a.child) {
  await startupChild();
  process.exit(0);
}
const n = +a.n, p = +a.p, tau = a.tau === undefined ? 0.5 : +a.tau, who = a.who;
const d = makeData({ n, p });
const out = { suite: a.suite, n, p, tau: a.suite === 'quantile' ? tau : undefined, who, uptimeAtStartMs: performance.now() };

if (who === 'highs') {
  const t0 = performance.now();
  const { default: loadHighs } = await import('highs');
  const t1 = performance.now();
  const highs = await loadHighs();
  const t2 = performance.now();
  const lad = a.suite === 'l1';
  const opts = { output_flag: false, ...JSON.parse(a['highs-options'] ?? '{}') };
  const m = highsModel(highs, buildLpCsc(d, tau, lad), opts);
  const r = solveHighsModel(highs, m, p);
  m.dispose();
  const t3 = performance.now();
  const m2 = highsModel(highs, buildLpCsc(d, tau, lad), opts);
  solveHighsModel(highs, m2, p);
  m2.dispose();
  const t4 = performance.now();
  Object.assign(out, { importMs: t1 - t0, initMs: t2 - t1, firstFitMs: t3 - t2, secondFitMs: t4 - t3, objective: r.objective });
} else {
  const lib = pathToFileURL(path.resolve(a.lib)).href;
  const X = asMatrixLike(d);
  const t0 = performance.now();
  const m = await import(lib);
  const t1 = performance.now();
  // The twin needs no init(); a 'js' user would not call it, so it is not timed for 'js'.
  if (who === 'wasm') await m.init();
  const t2 = performance.now();
  const call = () => {
    const o = { backend: who };
    switch (a.suite) {
      case 'l2': return m.ols(X, d.y, o);
      case 'l1': return m.lad(X, d.y, o);
      case 'quantile': return m.quantile(X, d.y, { ...o, tau });
      case 'huber': return m.huber(X, d.y, o);
      default: throw new Error(`cold.mjs: unknown suite ${a.suite}`);
    }
  };
  const r = call();
  const t3 = performance.now();
  call();
  const t4 = performance.now();
  Object.assign(out, { importMs: t1 - t0, initMs: who === 'wasm' ? t2 - t1 : null, firstFitMs: t3 - t2, secondFitMs: t4 - t3, objective: r.objective });
}
process.stdout.write(JSON.stringify(out) + '\n');

// ---------------------------------------------------------------------------------------------
// Issue 23: the first-call series.

function sysMs() {
  return process.cpuUsage().system / 1000;
}

// CPU time of this (main) thread alone, from Linux's per-thread scheduler statistics (ns; current to the
// last scheduler tick, ~1-4 ms): the process-wide figure also counts the warm-up worker and V8's
// background compiles, which on a machine with a free core do not delay the fit. null elsewhere.
function threadMs() {
  if (threadMs.read === undefined) {
    threadMs.read = null;
    try {
      const f = `/proc/${process.pid}/task/${process.pid}/schedstat`;
      readFileSync(f, 'utf8');
      threadMs.read = () => +readFileSync(f, 'utf8').split(' ')[0] / 1e6;
    } catch {
      // not Linux: no per-thread figure
    }
  }
  return threadMs.read ? threadMs.read() : NaN;
}

function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function med(xs) {
  const s = xs.filter(Number.isFinite).sort((x, y) => x - y);
  if (!s.length) return NaN;
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
}

async function startupChild() {
  const lib = pathToFileURL(path.resolve(a.lib ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'index.js'))).href;
  const n = +a.n, p = +a.p;
  const d = makeData({ n, p });
  const t0 = performance.now(), c0 = cpuMs();
  const m = await import(lib);
  const t1 = performance.now(), c1 = cpuMs();
  const info = await m.init(a.warmup === '0' ? { warmup: false } : a.warmup === 'wait' ? { warmup: 'wait' } : undefined);
  const t2 = performance.now(), c2 = cpuMs();
  if (info.backend !== 'wasm') throw new Error(`cold.mjs: WebAssembly unavailable (${info.reason})`);
  const out = { child: a.child, suite: a.suite, n, p, warmup: a.warmup === '0' ? 'off' : a.warmup === 'wait' ? 'wait' : 'background', importMs: t1 - t0, importCpuMs: c1 - c0, initMs: t2 - t1, initCpuMs: c2 - c1, warmupMs: info.warmupMs ?? null };
  if (a.child === 'fit') {
    const s0 = performance.now();
    const ds = m.Dataset.from({ data: d.X, rows: n, cols: p, layout: 'row-major' }, d.y);
    // time from init() resolving to the first fit (the Dataset's creation): the background warm-up runs meanwhile
    out.datasetMs = performance.now() - s0;
    // the worker's 'warmed' message is delivered only when this thread's event loop turns: one turn
    // (as any caller that awaits something between init() and its first fit), then look
    await new Promise((r) => setImmediate(r));
    out.warmedBeforeFirstFit = m.workerStats().warmed > 0;
    const call = () => (a.suite === 'l2' ? m.ols(ds) : a.suite === 'l1' ? m.lad(ds) : m.huber(ds));
    const wall = [], cpu = [], sys = [], obj = [], thread = [];
    for (let k = 0; k <= +(a.fits ?? 5); k++) {
      if (a.marks && k < 2) process.stdout.write(`=== fit ${k} start\n`);
      const s0 = performance.now(), u0 = cpuMs(), y0 = sysMs(), h0 = threadMs();
      const r = call();
      if (a.marks && k < 2) process.stdout.write(`=== fit ${k} end\n`);
      wall.push(performance.now() - s0);
      cpu.push(cpuMs() - u0);
      thread.push(threadMs() - h0);
      sys.push(sysMs() - y0); // kernel time: first touch of newly grown linear memory (page faults)
      obj.push(r.objective);
    }
    if (!obj.every((o) => Object.is(o, obj[0]))) throw new Error(`cold.mjs: the fits of one process disagree: ${obj.join(', ')}`);
    Object.assign(out, { firstMs: wall[0], firstCpuMs: cpu[0], firstSysMs: sys[0], firstThreadMs: thread[0], warmMs: wall.slice(1), warmCpuMs: cpu.slice(1), warmSysMs: sys.slice(1), warmThreadMs: thread.slice(1), objective: obj[0] });
  } else {
    // fitAsync on plain arrays (row-major { data, rows, cols }) vs fit() in this thread plus a copy of X, y
    const X = { data: d.X, rows: n, cols: p, layout: 'row-major' };
    const loss = a.suite;
    const asyncWall = [], asyncCpu = [], asyncThread = [];
    let objA;
    for (let k = 0; k < 3; k++) {
      const s0 = performance.now(), u0 = cpuMs(), h0 = threadMs();
      const r = await m.fitAsync(X, d.y, { loss });
      asyncWall.push(performance.now() - s0);
      asyncCpu.push(cpuMs() - u0);
      asyncThread.push(threadMs() - h0);
      objA = r.objective;
    }
    const started = m.workerStats().started;
    const syncWall = [], syncCpu = [];
    let objS;
    for (let k = 0; k < 5; k++) {
      const s0 = performance.now(), u0 = cpuMs();
      const xc = new Float64Array(d.X), yc = new Float64Array(d.y); // the copy fitAsync hands to its worker
      const r = m.fit(X, d.y, { loss });
      syncWall.push(performance.now() - s0);
      syncCpu.push(cpuMs() - u0);
      objS = r.objective + 0 * (xc[0] + yc[0]);
    }
    if (!Object.is(objA, objS)) throw new Error(`cold.mjs: fitAsync and fit disagree: ${objA} vs ${objS}`);
    m.terminateWorkers();
    Object.assign(out, { asyncMs: asyncWall, asyncCpuMs: asyncCpu, asyncThreadMs: asyncThread, syncMs: syncWall, syncCpuMs: syncCpu, workersStarted: started, objective: objA });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

async function startupSeries() {
  const { spawnSync } = await import('node:child_process');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { machineInfo } = await import('./lib.mjs');
  const here = path.dirname(new URL(import.meta.url).pathname);
  const libPath = path.resolve(a.lib ?? path.join(here, '..', 'dist', 'index.js'));
  const reps = +(a.reps ?? (a.quick ? 2 : 5));
  const big = a.quick ? 1e5 : 1e6;
  let cases = [];
  for (const n of [1e4, big]) {
    cases.push({ child: 'fit', suite: 'l2', n, p: 20, fits: n > 1e5 ? 4 : 8 });
    cases.push({ child: 'fit', suite: 'l1', n, p: 10, fits: n > 1e5 ? 4 : 8 });
    cases.push({ child: 'fit', suite: 'huber', n, p: 10, fits: n > 1e5 ? 3 : 8 });
  }
  cases.push({ child: 'async', suite: 'l1', n: 1e5, p: 10 });
  cases.push({ child: 'async', suite: 'l2', n: 1e5, p: 10 });
  if (a.suite) cases = cases.filter((c) => a.suite.split(',').includes(`${c.child === 'async' ? 'async-' : ''}${c.suite}`));
  const t0 = Date.now();
  const load0 = (await import('node:os')).loadavg();
  const rows = [];
  for (const c of cases) {
    const samples = { on: [], wait: [], off: [] };
    for (let k = 0; k < reps; k++) {
      const modes = (a.modes ?? 'on,wait,off').split(',');
      for (let r = 0; r < k % 3; r++) modes.push(modes.shift()); // rotate the order per repetition: load drifts hit every mode alike
      for (const mode of c.child === 'fit' ? modes : ['on']) {
        const args = [fileURLToPathSafe(import.meta.url), '--child', c.child, '--lib', libPath, '--suite', c.suite, '--n', String(c.n), '--p', String(c.p), '--warmup', mode === 'on' ? '1' : mode === 'wait' ? 'wait' : '0', '--fits', String(c.fits ?? 0)];
        const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 1 << 24 });
        if (r.status !== 0) throw new Error(`cold.mjs child failed (${c.suite} n=${c.n}): ${r.stderr}`);
        samples[mode].push(JSON.parse(r.stdout.trim().split('\n').pop()));
      }
    }
    if (c.child === 'fit') {
      const objs = [...samples.on, ...samples.wait, ...samples.off].map((s) => s.objective);
      if (!objs.every((o) => Object.is(o, objs[0]))) throw new Error(`cold.mjs: warm-up on/off gave different objectives (${c.suite} n=${c.n}): ${objs.join(', ')}`);
    }
    rows.push({ ...c, samples });
    process.stderr.write(`  ${c.child} ${c.suite} n=${c.n} p=${c.p}: ${reps} processes${c.child === 'fit' ? ` × ${(a.modes ?? 'on,wait,off').split(',').length} modes` : ''} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  const load1 = (await import('node:os')).loadavg();
  const f = (x) => (!Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const span = (xs) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
  const lines = [];
  lines.push(`Cold start (issue 23): ${reps} fresh processes per case and mode, medians (min–max over processes); load average ${load0.map((x) => x.toFixed(1)).join(' ')} at start, ${load1.map((x) => x.toFixed(1)).join(' ')} at end`);
  lines.push('');
  lines.push('warm-up: on = init() default (background worker), wait = init({ warmup: \'wait\' }) (on this thread), off = init({ warmup: false })');
  lines.push('');
  lines.push('| fit | n × p | warm-up | init() wall ms | init() CPU ms | 1st fit ms | warm median ms | 1st / warm (wall) | 1st / warm (CPU) | 1st / warm (main-thread CPU) | 1st fit sys CPU ms | warmed before 1st fit |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const summary = [];
  for (const r of rows.filter((x) => x.child === 'fit')) {
    for (const mode of ['on', 'wait', 'off']) {
      const S = r.samples[mode];
      if (!S.length) continue;
      const ratioW = S.map((s) => s.firstMs / med(s.warmMs));
      const ratioC = S.map((s) => s.firstCpuMs / med(s.warmCpuMs));
      const ratioT = S.map((s) => s.firstThreadMs / med(s.warmThreadMs));
      const rec = { suite: r.suite, n: r.n, p: r.p, warmup: mode, initMs: med(S.map((s) => s.initMs)), initCpuMs: med(S.map((s) => s.initCpuMs)), firstMs: med(S.map((s) => s.firstMs)), warmMs: med(S.map((s) => med(s.warmMs))), ratioWall: med(ratioW), ratioCpu: med(ratioC), ratioThread: med(ratioT) };
      summary.push(rec);
      lines.push(`| ${r.suite} | ${r.n.toExponential(0).replace('+', '')} × ${r.p} | ${mode} | ${f(rec.initMs)} (${span(S.map((s) => s.initMs))}) | ${f(rec.initCpuMs)} | ${f(rec.firstMs)} (${span(S.map((s) => s.firstMs))}) | ${f(rec.warmMs)} (${span(S.map((s) => med(s.warmMs)))}) | ${rec.ratioWall.toFixed(2)} (${span(ratioW)}) | ${rec.ratioCpu.toFixed(2)} (${span(ratioC)}) | ${rec.ratioThread.toFixed(2)} (${span(ratioT)}) | ${f(med(S.map((s) => s.firstSysMs)))} (warm ${f(med(S.map((s) => med(s.warmSysMs))))}) | ${mode === 'on' ? `${S.filter((s) => s.warmedBeforeFirstFit).length}/${S.length}` : '—'} |`);
    }
  }
  lines.push('');
  lines.push('| fitAsync | n × p | 1st call ms | 2nd call ms | 3rd call ms | in-thread fit + copy ms | 2nd / (fit + copy) wall | 2nd / (fit + copy) CPU | workers started |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows.filter((x) => x.child === 'async')) {
    const S = r.samples.on;
    const ratio = S.map((s) => s.asyncMs[1] / med(s.syncMs));
    const ratioC = S.map((s) => s.asyncCpuMs[1] / med(s.syncCpuMs));
    const rec = { suite: r.suite, n: r.n, p: r.p, async: true, firstMs: med(S.map((s) => s.asyncMs[0])), secondMs: med(S.map((s) => s.asyncMs[1])), thirdMs: med(S.map((s) => s.asyncMs[2])), syncMs: med(S.map((s) => med(s.syncMs))), ratioWall: med(ratio), ratioCpu: med(ratioC) };
    summary.push(rec);
    lines.push(`| ${r.suite} | ${r.n.toExponential(0).replace('+', '')} × ${r.p} | ${f(rec.firstMs)} (${span(S.map((s) => s.asyncMs[0]))}) | ${f(rec.secondMs)} (${span(S.map((s) => s.asyncMs[1]))}) | ${f(rec.thirdMs)} | ${f(rec.syncMs)} (${span(S.map((s) => med(s.syncMs)))}) | ${rec.ratioWall.toFixed(2)} (${span(ratio)}) | ${rec.ratioCpu.toFixed(2)} (${span(ratioC)}) | ${[...new Set(S.map((s) => s.workersStarted))].join(', ')} |`);
  }
  const text = lines.join('\n');
  console.log(text);
  const date = new Date().toISOString().slice(0, 10);
  const outFile = a.out ?? path.join(here, 'results', `cold-start-${date}${a.quick ? '-quick' : ''}.json`);
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify({ meta: { date: new Date().toISOString(), machine: machineInfo?.() ?? null, node: process.version, reps, loadavgStart: load0, loadavgEnd: load1, note: 'machine shared with 7 other engineers (2 cores): loaded' }, summary, table: text, rows }, null, 1));
  console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
}

// 3. Which WebAssembly functions V8 compiles DURING the first fit (node --trace-wasm-compilation-times):
//      node bench/cold.mjs --tiers [--suite l1] [--n 1000000] [--p 10] [--warmup wait]
//    A "TurboFan" line there is a function the warm-up did not tier up (it starts the fit in baseline
//    code), a "Liftoff" line one the warm-up never ran. Names come from build/release.wat (npm run
//    build:wasm), so that build must match dist/. Keep the list short when adding kernels: give them a
//    WARMUP_CALLS entry (src/backend/warmup.ts).
async function tiers() {
  const { spawnSync } = await import('node:child_process');
  const here = path.dirname(new URL(import.meta.url).pathname);
  const wat = readFileSync(path.join(here, '..', 'build', 'release.wat'), 'utf8').split('\n');
  const names = wat.filter((l) => /^ \((func|import) /.test(l)).map((l) => (l.match(/\$([^\s)]+)/) ?? [])[1] ?? '?');
  const suite = a.suite ?? 'l1', n = a.n ?? '1000000', p = a.p ?? (suite === 'l2' ? '20' : '10');
  const args = ['--trace-wasm-compilation-times', fileURLToPathSafe(import.meta.url), '--child', 'fit', '--marks', '--lib', path.resolve(a.lib ?? path.join(here, '..', 'dist', 'index.js')),
    '--suite', suite, '--n', n, '--p', p, '--warmup', a.warmup ?? 'wait', '--fits', '1'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`cold.mjs --tiers: child failed: ${r.stderr}`);
  const lines = r.stdout.split('\n');
  const from = lines.indexOf('=== fit 0 start'), to = lines.indexOf('=== fit 0 end');
  const during = lines.slice(from + 1, to).map((l) => l.match(/#(\d+) using (\w+), took (\d+) ms/)).filter(Boolean);
  console.log(`${suite} ${n} x ${p}, warm-up ${a.warmup ?? 'wait'}: ${during.length} WebAssembly compile(s) during the first fit`);
  for (const m of during) console.log(`  ${m[2].padEnd(8)} ${names[+m[1]] ?? `#${m[1]}`} (${m[3]} ms)`);
}

function fileURLToPathSafe(u) {
  return decodeURIComponent(new URL(u).pathname);
}
