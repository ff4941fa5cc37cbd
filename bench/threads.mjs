#!/usr/bin/env node
// node bench/threads.mjs [flags]
// Threads (issue 21) on the BUILT package (dist/): wall-clock and CPU time of the same fit on a
// Dataset with 1 and 2 (or --threads) threads of ONE init({ threads }) pool, in the same process,
// repetitions interleaved (1, 2, 1, 2, …) so that load drifts hit both alike; medians and fastest.
// Before anything is reported the results must be bit-identical across thread counts (coefficients,
// intercept and objective compared as float64 bits).
//
// Per pass: the block passes (assembly/par.ts) are timed by pass id (an internal hook,
// dist/backend/runtime.js passTiming; with 1 thread the items then run from the host, in order) —
// each pass's 1- vs 2-thread time, and the rest of the fit (serial: standardisation, factorisation,
// reductions). Amdahl's serial fraction from the fit's times, f = (N T_N / T_1 - 1) / (N - 1)
// (N = the larger thread count), and the predicted speed-up 1 / (f + (1 - f) / P) at 8, 16 and 64
// cores. Cases whose passes are not split yet (lad and huber until their passes land) report f ≈ 1.
//
// --kinds: after the main loop, the same fit on the largest thread count, interleaved with a run in
// which every block pass's items run on the calling thread alone (the pool not woken): each pass
// call timed by (pass id, item kind — the first argument slot of the L1 passes —, items, and for the
// solver's row passes the rows of the problem they run on: reduced problems or all rows), so the
// per-call cost of a wake-up shows where a pass of few or small items does not pay. A pass run in the
// background (ThreadPool.start, joined later) counts its start plus the calling thread's time in its
// join — what it costs the critical path —, alone: its items at its start.
//
// Wall-clock speed-up needs a quiet machine with at least 2 free cores: on a loaded machine (load
// average above the core count) the script still checks bit-identity and reports, but says that
// the wall-clock numbers are not meaningful.
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const HELP = `node bench/threads.mjs [flags]
  --cases LIST     ols-1e6x20,lad-1e6x10,huber-1e6x20 (default: these three); also lts-1e6x10, mm-1e5x10
                   (any kind-1eKxP of ols, lad, huber, lts, mm)
  --threads LIST   thread counts compared, same pool (default 1,2)
  --reps N         interleaved repetitions per thread count (default 7)
  --quick          n = 1e5 instead of 1e6 (smoke run)
  --kinds          also time each pass call by (pass, kind, items): pool vs the calling thread alone
  --lib PATH       the build (default dist/index.js)
  --json PATH      also write the results as JSON
  --help`;

const { values: A } = parseArgs({
  options: {
    cases: { type: 'string', default: 'ols-1e6x20,lad-1e6x10,huber-1e6x20' },
    threads: { type: 'string', default: '1,2' },
    reps: { type: 'string', default: '7' },
    quick: { type: 'boolean', default: false },
    lib: { type: 'string', default: path.join(L.ROOT, 'dist', 'index.js') },
    json: { type: 'string' },
    kinds: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log(HELP);
  process.exit(0);
}

const lib = await import(pathToFileURL(path.resolve(A.lib)).href);
const runtime = await import(pathToFileURL(path.join(path.dirname(path.resolve(A.lib)), 'backend', 'runtime.js')).href);
const { ThreadPool } = await import(pathToFileURL(path.join(path.dirname(path.resolve(A.lib)), 'threads', 'pool.js')).href);
const threadList = A.threads.split(',').map(Number);
if (!threadList.every((t) => Number.isInteger(t) && t >= 1) || threadList.length < 2) throw new Error('--threads: at least two positive integers');
const reps = Number(A.reps);
const maxT = Math.max(...threadList);
const init = await lib.init({ threads: maxT, warmup: 'wait' });
if (init.threads !== maxT) throw new Error(`init({ threads: ${maxT} }) started ${init.threads} (${init.threadsReason ?? ''})`);

const PASS_NAMES = { 1: 'l2 Gram', 2: 'l2 refinement', 3: 'l2 standardisation', 10: 'irls row chunks', 11: 'l1 globbing', 12: 'collapse pre-check', 40: 'l1 simplex rows', 60: 'lts row chunks', 61: 'mm row chunks' };
const FITS = {
  ols: (ds, threads) => lib.ols(ds, { threads }),
  lad: (ds, threads) => lib.lad(ds, { threads }),
  huber: (ds, threads) => lib.huber(ds, { threads }),
  lts: (ds, threads) => lib.lts(ds, { threads }),
  mm: (ds, threads) => lib.mm(ds, { threads }),
};

function bitsOf(r) {
  const f = new Float64Array([r.intercept, r.objective, ...r.coef]);
  return Buffer.from(f.buffer).toString('hex');
}
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const load = os.loadavg()[0];
const cores = os.availableParallelism?.() ?? os.cpus().length;
const quiet = load < cores - maxT + 0.5;
console.log(`robustreg threads bench — ${os.cpus()[0]?.model ?? 'cpu'}, ${cores} cores, load ${load.toFixed(1)}, node ${process.version}; pool of ${init.threads}; ${reps} interleaved reps`);
if (!quiet) console.log(`NOTE: load average ${load.toFixed(1)} on ${cores} cores — wall-clock speed-ups below are NOT meaningful (bit-identity still is). Run on a quiet machine.`);

/**
 * --kinds: per (pass, kind, items) wall time of the pass calls of `fit` on maxT threads, interleaved
 * with runs whose items all run on the calling thread (ThreadPool.run wrapped: same items, same
 * order of reduction, so the same bits — checked). Returns { key: { calls, serialMs, poolMs } } per fit.
 */
const signedMs = (ms) => (ms < 0 ? '-' + L.fmtMs(-ms) : L.fmtMs(ms));
function passKinds(fit, ds, ref) {
  const proto = ThreadPool.prototype;
  const { run, start, join } = proto;
  let alone = false;
  let rec = null;
  let inRun = false;
  // a pass in the background (ThreadPool.start ... join): one call, timed as its start plus this
  // thread's time in its join (the serial work between them is not the pass's); alone: at its start
  let bg = null;
  const keyOf = (pool, pass, pArgs, items) => {
    const head = pass === 11 || pass === 40 ? new Float64Array(pool.memory.buffer, pArgs, 2) : null;
    const kind = head ? head[0] : -1;
    // the solver's row passes run on problems of several sizes (reduced problems, then all rows): their rows too
    const rowsKey = pass === 40 ? `:${head[1]}` : '';
    return `${pass}:${kind}:${items}${rowsKey}`;
  };
  proto.run = function (item, pass, pArgs, items, parts) {
    const t0 = performance.now();
    if (alone) for (let i = 0; i < items; i++) item(pass, pArgs, i, 0);
    else {
      inRun = true;
      try {
        run.call(this, item, pass, pArgs, items, parts);
      } finally {
        inRun = false;
      }
    }
    rec?.push([keyOf(this, pass, pArgs, items), performance.now() - t0]);
  };
  proto.start = function (item, pass, pArgs, items, parts) {
    if (inRun) return start.call(this, item, pass, pArgs, items, parts);
    const key = keyOf(this, pass, pArgs, items) + ':bg';
    const t0 = performance.now();
    if (alone) {
      for (let i = 0; i < items; i++) item(pass, pArgs, i, 0);
      rec?.push([key, performance.now() - t0]);
      return;
    }
    start.call(this, item, pass, pArgs, items, parts);
    bg = { key, ms: performance.now() - t0 };
  };
  proto.join = function () {
    if (inRun || bg === null) return join.call(this);
    const t0 = performance.now();
    try {
      join.call(this);
    } finally {
      rec?.push([bg.key, bg.ms + performance.now() - t0]);
      bg = null;
    }
  };
  const sums = { serialMs: {}, poolMs: {}, calls: {} };
  try {
    for (let r = 0; r < reps; r++) {
      for (const a of r % 2 ? [true, false] : [false, true]) {
        alone = a;
        rec = [];
        if (bitsOf(fit(ds, maxT)) !== ref) throw new Error('--kinds: not bit-identical');
        const into = a ? sums.serialMs : sums.poolMs;
        for (const [k, ms] of rec) {
          into[k] = (into[k] ?? 0) + ms / reps;
          if (a) sums.calls[k] = (sums.calls[k] ?? 0) + 1 / reps;
        }
        rec = null;
      }
    }
  } finally {
    Object.assign(proto, { run, start, join });
  }
  const out = {};
  const rows = [];
  for (const k of Object.keys(sums.calls).sort()) {
    const [pass, kind, items, nRows, back] = k.split(':');
    const s = sums.serialMs[k], pl = sums.poolMs[k] ?? 0;
    out[k] = { calls: sums.calls[k], serialMs: s, poolMs: pl };
    rows.push([(PASS_NAMES[pass] ?? `pass ${pass}`) + (back || nRows === 'bg' ? ' (background)' : ''), kind, items, nRows === 'bg' ? '' : nRows ?? '', sums.calls[k].toFixed(1), L.fmtMs(s), L.fmtMs(pl), (s / pl).toFixed(2) + '×',
      signedMs((pl - s / maxT) / sums.calls[k])]);
  }
  console.log(`per pass call (--kinds; ${reps} fits each way, per fit):`);
  console.log(L.renderTable(['pass', 'kind', 'items', 'rows', 'calls', 'calling thread alone', `pool (${maxT})`, 'speed-up', 'loss per call vs ideal'], rows));
  return out;
}

const results = [];
for (const id of A.cases.split(',')) {
  const m = /^(ols|lad|huber|lts|mm)-1e(\d)x(\d+)$/.exec(id);
  if (!m) throw new Error(`unknown case ${id}`);
  const [, kind, e, pStr] = m;
  const n = A.quick ? 100_000 : 10 ** Number(e);
  const p = Number(pStr);
  const d = L.makeData({ n, p });
  const ds = lib.Dataset.from(L.asMatrixLike(d), d.y);
  try {
    const fit = FITS[kind];
    // warm: one fit per thread count (also the bit-identity reference)
    const bits = new Map();
    for (const t of threadList) bits.set(t, bitsOf(fit(ds, t)));
    const ref = bits.get(threadList[0]);
    for (const [t, b] of bits) if (b !== ref) throw new Error(`${id}: ${t} threads differ from ${threadList[0]} (not bit-identical)`);
    const wall = new Map(threadList.map((t) => [t, []]));
    const cpu = new Map(threadList.map((t) => [t, []]));
    const passes = new Map(threadList.map((t) => [t, []]));
    for (let r = 0; r < reps; r++) {
      for (const t of r % 2 ? [...threadList].reverse() : threadList) {
        runtime.passTiming(true);
        const c0 = cpuMs();
        const t0 = performance.now();
        const res = fit(ds, t);
        const w = performance.now() - t0;
        const c = cpuMs() - c0;
        const pt = runtime.passTiming(false);
        if (bitsOf(res) !== ref) throw new Error(`${id}: rep ${r} on ${t} threads is not bit-identical`);
        wall.get(t).push(w);
        cpu.get(t).push(c);
        passes.get(t).push(pt);
      }
    }
    const t1 = threadList[0], tN = maxT;
    const w1 = median(wall.get(t1)), wN = median(wall.get(tN));
    const N = tN / t1;
    const f = Math.min(1, Math.max(0, (N * wN / w1 - 1) / (N - 1)));
    const amdahl = (P) => 1 / (f + (1 - f) / P);
    console.log(`\n${id} (n = ${n}, p = ${p}): bit-identical on ${threadList.join(', ')} threads`);
    const rows = threadList.map((t) => [`${t} thread${t > 1 ? 's' : ''}`, L.fmtMs(median(wall.get(t))), L.fmtMs(Math.min(...wall.get(t))), L.fmtMs(median(cpu.get(t))),
      (w1 / median(wall.get(t))).toFixed(2) + '×']);
    console.log(L.renderTable(['threads', 'wall median', 'wall fastest', 'CPU median (all threads)', 'speed-up (median wall)'], rows));
    // per pass: median over reps of each pass's time
    const ids = new Set();
    for (const t of threadList) for (const pt of passes.get(t)) for (const k of Object.keys(pt)) ids.add(k);
    const passRows = [];
    // first thread count vs the last
    const speedUps = (ms) => [(ms[0] / ms[ms.length - 1]).toFixed(2) + '×'];
    const perPass = {};
    for (const k of [...ids].sort()) {
      const ms = threadList.map((t) => median(passes.get(t).map((pt) => pt[k]?.ms ?? 0)));
      const calls = passes.get(t1)[0][k]?.calls ?? 0;
      const items = passes.get(t1)[0][k]?.items ?? 0;
      perPass[PASS_NAMES[k] ?? `pass ${k}`] = { calls, items, ms: Object.fromEntries(threadList.map((t, i) => [t, ms[i]])) };
      passRows.push([PASS_NAMES[k] ?? `pass ${k}`, String(calls), String(items), ...ms.map(L.fmtMs), ...speedUps(ms)]);
    }
    const serial = threadList.map((t) => median(wall.get(t)) - Object.values(perPass).reduce((s, v) => s + v.ms[t], 0));
    passRows.push(['rest of the fit (serial)', '', '', ...serial.map(L.fmtMs), ...speedUps(serial)]);
    console.log(L.renderTable(['pass', 'calls', 'items', ...threadList.map((t) => `${t} thr`), 'speed-up'], passRows));
    console.log(`Amdahl serial fraction f = ${f.toFixed(3)} (from ${t1} vs ${tN} threads, median wall); predicted speed-up: 8 cores ${amdahl(8).toFixed(2)}×, 16 cores ${amdahl(16).toFixed(2)}×, 64 cores ${amdahl(64).toFixed(2)}×` +
      (quiet ? '' : ' — from wall times on a loaded machine: not meaningful'));
    // Structural estimate from CPU time on ONE thread (other load inflates wall time, not CPU time):
    // the share of the 1-thread fit's CPU spent outside the split passes — Amdahl's f if the passes
    // scaled perfectly (memory bandwidth and item counts limit them further).
    const cpuFit1 = median(cpu.get(t1));
    const cpuPass1 = median(passes.get(t1).map((pt) => Object.values(pt).reduce((s, v) => s + v.cpuMs, 0)));
    const fs = Math.min(1, Math.max(0, (cpuFit1 - cpuPass1) / cpuFit1));
    const am2 = (P) => 1 / (fs + (1 - fs) / P);
    const cpuRows = [...ids].sort().map((k) => [PASS_NAMES[k] ?? `pass ${k}`, L.fmtMs(median(passes.get(t1).map((pt) => pt[k]?.cpuMs ?? 0)))]);
    cpuRows.push(['rest of the fit (serial)', L.fmtMs(cpuFit1 - cpuPass1)], ['whole fit', L.fmtMs(cpuFit1)]);
    console.log(L.renderTable(['1 thread, CPU (median)', 'ms'], cpuRows));
    console.log(`CPU structure on 1 thread: f = ${fs.toFixed(3)} outside split passes; ideal speed-up 2 cores ${am2(2).toFixed(2)}×, 8 ${am2(8).toFixed(2)}×, 16 ${am2(16).toFixed(2)}×, 64 ${am2(64).toFixed(2)}×`);
    const kinds = A.kinds ? passKinds(fit, ds, ref) : undefined;
    results.push({ id, n, p, threads: threadList, wallMs: Object.fromEntries(wall), cpuMs: Object.fromEntries(cpu), passes: perPass, serialFraction: f, structuralSerialFraction: fs,
      predicted: { 8: amdahl(8), 16: amdahl(16), 64: amdahl(64) }, bitIdentical: true, ...(kinds ? { kinds } : {}) });
  } finally {
    ds.dispose();
  }
}
if (A.json) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(A.json, JSON.stringify({ machine: L.machineInfo(), load, quiet, results }, null, 2));
}
process.exit(0);
