#!/usr/bin/env node
// node bench/summary.mjs [results.json]
// A compact Markdown table of a `npm run bench` results file (the compact table in docs/performance.md):
// one row per suite × n × p cell, robustreg WASM median, the twin and each peer as a ratio to it
// (×WASM > 1: slower than WASM). Skipped cells say why in one word. Reads only the JSON; measures
// nothing. Default: the newest non-quick bench/results/<date>-<host>.json.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
function newest() {
  const files = readdirSync(dir).filter((f) => /^\d{4}-\d\d-\d\d-[^.]*\.json$/.test(f) && !f.includes('quick') && !f.startsWith('large') && !f.includes('tmp'));
  if (!files.length) throw new Error(`no full bench results in ${dir}`);
  return path.join(dir, files.sort((a, b) => statSync(path.join(dir, b)).mtimeMs - statSync(path.join(dir, a)).mtimeMs)[0]);
}
const file = process.argv[2] ?? newest();
const res = JSON.parse(readFileSync(file, 'utf8'));

const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toPrecision(3)} s` : ms >= 1 ? `${ms.toPrecision(3)} ms` : `${(ms * 1000).toPrecision(3)} µs`);
const fmtN = (n) => `1e${Math.round(Math.log10(n))}`;
function ratio(peer, w) {
  if (!peer || !w?.median) return '—';
  if (peer.skipped) {
    if (peer.lowerBoundMs) return `> ${(peer.lowerBoundMs / w.median).toFixed(0)}× (time limit)`;
    return 'skipped';
  }
  if (peer.median === undefined) return '—';
  const r = peer.median / w.median;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
}
const PEERS = {
  l2: [['ml-matrix', 'ml-matrix'], ['ml-regression', 'ml-regression-m.-l.']],
  l1: [['highs', 'highs'], ['yalps', 'yalps']],
  quantile: [['highs', 'highs'], ['yalps', 'yalps']],
  huber: [],
};
const NAMES = { l2: 'L2 `ols`', l1: 'L1 `lad`', quantile: 'quantile', huber: 'Huber' };

const lines = [];
lines.push(`| suite | n × p | WASM (median) | twin ×WASM | peers ×WASM |`);
lines.push('|---|---|---|---|---|');
for (const suite of ['l2', 'l1', 'quantile', 'huber']) {
  for (const c of res.suites[suite] ?? []) {
    const w = c.solvers.wasm;
    if (!w || w.median === undefined) continue;
    const peers = PEERS[suite].map(([k, label]) => [label, ratio(c.solvers[k], w)]).filter(([, r]) => r !== '—' && r !== 'skipped').map(([l, r]) => `${l} ${r}`);
    const label = suite === 'quantile' ? `quantile τ = ${c.tau}` : NAMES[suite];
    lines.push(`| ${label} | ${fmtN(c.n)} × ${c.p} | ${fmtMs(w.median)} | ${ratio(c.solvers.js, w)} | ${peers.join('; ') || '—'} |`);
  }
}
console.log(lines.join('\n'));
console.log(`\n(${path.basename(file)}; ${res.meta.date}; ${res.meta.cpu}, ${res.meta.cores} cores; Node ${res.meta.node}; load average at start ${res.meta.loadAverage.join(', ')}${res.partial ? '; PARTIAL RUN' : ''})`);
