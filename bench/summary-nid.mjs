#!/usr/bin/env node
// node bench/summary-nid.mjs [--families gaussian,t2,... --n 1000000 --p 10 --taus 0.5 --reps 3 --json PATH]
// Issue 18's bar: summary(fit, dataset, { se: 'nid' }) at 1e6 × 10 within twice the fit's own time.
// Per data family (bench/degenerate.mjs's generators) and tau: quantile() on a Dataset (the data in
// WASM memory), then summary(fit, dataset, { se: 'nid' }) — its two refits at tau ± h and the
// covariance passes — both timed in CPU time of this process (user + system), medians of the
// repetitions, the ratio nid/fit reported per cell. Uses the BUILT package (dist/: npm run build).
// The JSON is rewritten after every cell (with the load average then), so a run stopped from outside
// (e.g. `timeout`) keeps its finished cells; --append adds to an existing JSON instead of replacing it.
// A cell whose summary throws (e.g. RANK_DEFICIENT where the fits at tau ± h coincide and every
// density estimate is 0 — integer designs at tau 0.5; quantreg's summary.rq stops there too) is
// reported with the CPU time to the error and its ratio to the fit's (bar: a typed error, never a hang).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeFamily } from './degenerate.mjs';
import * as L from './lib.mjs';

const { values: A } = parseArgs({
  options: {
    families: { type: 'string', default: 'gaussian,t2,cauchy,uniform,hetero,inty,intx,dup,dummy' },
    n: { type: 'string', default: '1000000' },
    p: { type: 'string', default: '10' },
    taus: { type: 'string', default: '0.5' },
    reps: { type: 'string', default: '3' },
    json: { type: 'string' },
    append: { type: 'boolean', default: false },
  },
});
const R = await import(path.join(L.ROOT, 'dist/index.js'));
await R.init();
const n = Number(A.n), p = Number(A.p), reps = Number(A.reps);
const cpu = (f) => { const c = process.cpuUsage(); const r = f(); const d = process.cpuUsage(c); return [(d.user + d.system) / 1000, r]; };
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const out = A.json ?? path.join(L.ROOT, 'bench/results', `summary-nid-${new Date().toISOString().slice(0, 10)}.json`);
const prev = A.append && existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : null;
const runs = [...(prev?.runs ?? []), { date: new Date().toISOString(), command: `node bench/summary-nid.mjs ${process.argv.slice(2).join(' ')}`, node: process.version, cpus: os.cpus().length, loadStart: os.loadavg() }];
const rows = prev?.rows ?? [];
const save = () => {
  runs.at(-1).loadEnd = os.loadavg();
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, JSON.stringify({ runs, rows }, null, 2) + '\n');
  renameSync(`${out}.tmp`, out);
};
for (const family of A.families.split(',')) {
  const d = makeFamily(family, n, p);
  const ds = R.Dataset.from({ data: d.X, rows: n, cols: p }, d.y);
  for (const tau of A.taus.split(',').map(Number)) {
    const tf = [], ts = [];
    let nidOut;
    let failed;
    for (let r = 0; r < reps && !failed; r++) {
      const [a, fit] = cpu(() => R.quantile(ds, { tau }));
      let s;
      const [b] = cpu(() => { try { s = R.summary(fit, ds, { se: 'nid' }); } catch (e) { failed = `${e.code ?? ''} ${e.message}`; } });
      if (!failed && (s.method !== 'nid' || !s.coefficients.every((c) => c.stdError > 0 && Number.isFinite(c.stdError)))) failed = 'nid summary not computed';
      if (!fit.converged) failed = `fit not certified (${fit.status})`;
      tf.push(a); ts.push(b); nidOut = s;
    }
    if (failed) {
      const ratio = median(ts) / median(tf);
      rows.push({ family, n, p, tau, failed, fitCpuMs: median(tf), errorCpuMs: median(ts), errorRatio: ratio, fitRuns: tf, nidRuns: ts, loadavg: os.loadavg() });
      console.log(`${family.padEnd(9)} tau ${tau}: no nid summary after ${median(ts).toFixed(0)} ms CPU (${ratio.toFixed(2)}× the fit's ${median(tf).toFixed(0)} ms): ${failed.slice(0, 160)}`);
      save();
      continue;
    }
    const row = { family, n, p, tau, fitCpuMs: median(tf), nidCpuMs: median(ts), ratio: median(ts) / median(tf), fitRuns: tf, nidRuns: ts, se0: nidOut.coefficients[1].stdError, loadavg: os.loadavg() };
    rows.push(row);
    save();
    console.log(`${family.padEnd(9)} tau ${tau}: fit ${row.fitCpuMs.toFixed(0)} ms CPU, nid summary ${row.nidCpuMs.toFixed(0)} ms CPU → ${row.ratio.toFixed(2)}× the fit (runs fit ${tf.map((x) => x.toFixed(0)).join('/')}, nid ${ts.map((x) => x.toFixed(0)).join('/')})`);
  }
  ds.dispose?.();
}
const good = rows.filter((r) => !r.failed);
const worst = good.length ? good.reduce((a, b) => (b.ratio > a.ratio ? b : a)) : null;
const over = good.filter((r) => r.ratio > 2);
console.log(worst
  ? `worst: ${worst.family} tau ${worst.tau}: ${worst.ratio.toFixed(2)}× (bar: ≤ 2×); ${over.length} of ${good.length} summarised cells over 2×; ${rows.length - good.length} cells without a summary; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`
  : `no cell gave a nid summary (${rows.length} failed); ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
save();
console.log(`wrote ${path.relative(L.ROOT, out)}`);
if (!worst || over.length || good.length < rows.length) process.exitCode = 1;
