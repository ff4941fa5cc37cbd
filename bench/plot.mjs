#!/usr/bin/env node
// node bench/plot.mjs [results.json] [out.svg]
// Log-log time vs n from a bench results file: one panel per (suite, τ) × p, one line per
// solver/backend (median, with a min–max whisker); a lower bound (a peer stopped at its time limit)
// is an open triangle. Pure string SVG, no dependencies. Defaults: the newest bench/results/*.json,
// written to bench/results/latest.svg.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(here, 'results');

function newestResults() {
  const files = readdirSync(resultsDir).filter((f) => f.endsWith('.json') && !f.includes('.tmp'));
  if (files.length === 0) throw new Error(`no results in ${resultsDir}: run \`npm run bench\` first`);
  return path.join(resultsDir, files.map((f) => [f, statSync(path.join(resultsDir, f)).mtimeMs]).sort((a, b) => b[1] - a[1])[0][0]);
}

const input = process.argv[2] ?? newestResults();
const output = process.argv[3] ?? path.join(resultsDir, 'latest.svg');
const res = JSON.parse(readFileSync(input, 'utf8'));

const SERIES = [
  ['wasm', 'robustreg WASM', '#1f77b4', (s) => s],
  ['js', 'robustreg twin (TS)', '#6baed6', (s) => s],
  ['ml-matrix', 'ml-matrix', '#2ca02c', (s) => s],
  ['ml-regression', 'ml-regression-multivariate-linear', '#98df8a', (s) => s],
  ['highs', 'highs (build + solve)', '#d62728', (s) => s],
  ['yalps', 'yalps', '#ff7f0e', (s) => s],
  ['R.fn', 'R quantreg fn', '#9467bd', (s) => s?.fn],
  ['R.pfn', 'R quantreg pfn', '#c5b0d5', (s) => s?.pfn],
];
const pick = (cell, key) => {
  const [a] = key.split('.');
  const def = SERIES.find((s) => s[0] === key);
  return def[3](cell.solvers[a]);
};

// Panels.
const panels = [];
const titles = { l2: 'L2 (ols)', l1: 'L1 (lad)', quantile: 'quantile', huber: 'Huber', certified: 'L1 certified fixtures' };
for (const [suite, cells] of Object.entries(res.suites ?? {})) {
  if (!cells?.length) continue;
  const groups = new Map();
  for (const c of cells) {
    const k = `${c.tau ?? ''}|${c.p}`;
    if (!groups.has(k)) groups.set(k, { suite, tau: c.tau, p: c.p, cells: [] });
    groups.get(k).cells.push(c);
  }
  for (const g of [...groups.values()].sort((a, b) => (a.tau ?? 0) - (b.tau ?? 0) || a.p - b.p)) panels.push(g);
}
if (panels.length === 0) throw new Error(`${input}: no suites with cells`);

const allN = panels.flatMap((g) => g.cells.map((c) => c.n));
const xMin = 10 ** Math.floor(Math.log10(Math.min(...allN))), xMax = 10 ** Math.ceil(Math.log10(Math.max(...allN)) + (Math.min(...allN) === Math.max(...allN) ? 1 : 0));

const W = 330, H = 250, M = { l: 58, r: 12, t: 28, b: 40 }, COLS = 3;
const legendH = 24 + 18 * Math.ceil(SERIES.length / 4); // (space for all; only the series present are drawn)
const headerH = 46;
const rows = Math.ceil(panels.length / COLS);
const totalW = COLS * W, totalH = headerH + legendH + rows * H;
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmtT = (ms) => (ms >= 1000 ? `${+(ms / 1000).toPrecision(2)} s` : ms >= 1 ? `${+ms.toPrecision(2)} ms` : `${+(ms * 1000).toPrecision(2)} µs`);
const out = [];
out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${totalW}" height="${totalH}" viewBox="0 0 ${totalW} ${totalH}" font-family="system-ui, sans-serif" font-size="11">`);
out.push(`<rect width="100%" height="100%" fill="white"/>`);
const m = res.meta ?? {};
out.push(`<text x="10" y="18" font-size="14" font-weight="bold">robustreg ${esc(m.versions?.robustreg ?? '')} — median time vs n (log-log)${res.meta?.quick ? ' — quick run' : ''}</text>`);
out.push(`<text x="10" y="36" fill="#555">${esc(`${m.cpu ?? ''}, ${m.cores ?? '?'} cores, Node ${m.node ?? ''}, ${m.date ?? ''}; whiskers = min–max; ▽ = lower bound (time limit); ${path.basename(input)}`)}</text>`);
const present = SERIES.filter(([key]) => panels.some((g) => g.cells.some((c) => { const v = pick(c, key); return v && (Number.isFinite(v.median) || Number.isFinite(v.lowerBoundMs)); })));
present.forEach(([, label, color], i) => {
  const x = 10 + (i % 4) * 240, y = headerH + 8 + 18 * Math.floor(i / 4);
  out.push(`<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${color}" stroke-width="2"/><circle cx="${x + 11}" cy="${y}" r="3" fill="${color}"/><text x="${x + 28}" y="${y + 4}">${esc(label)}</text>`);
});

panels.forEach((g, idx) => {
  const ox = (idx % COLS) * W, oy = headerH + legendH + Math.floor(idx / COLS) * H;
  const pw = W - M.l - M.r, ph = H - M.t - M.b;
  // y range from the data of this panel
  const vals = [];
  for (const c of g.cells) for (const [key] of SERIES) {
    const s = pick(c, key);
    if (!s) continue;
    if (Number.isFinite(s.median)) vals.push(s.min ?? s.median, s.max ?? s.median);
    else if (Number.isFinite(s.lowerBoundMs)) vals.push(s.lowerBoundMs);
  }
  const yMin = vals.length ? 10 ** Math.floor(Math.log10(Math.min(...vals))) : 0.1;
  const yMax = vals.length ? 10 ** Math.ceil(Math.log10(Math.max(...vals)) + 1e-9) : 10;
  const X = (n) => ox + M.l + (pw * Math.log10(n / xMin)) / Math.log10(xMax / xMin);
  const Y = (ms) => oy + M.t + ph - (ph * Math.log10(ms / yMin)) / Math.log10(yMax / yMin);
  const title = `${titles[g.suite] ?? g.suite}${g.tau !== undefined ? `, τ = ${g.tau}` : ''}, p = ${g.p}`;
  out.push(`<g>`);
  out.push(`<text x="${ox + M.l}" y="${oy + 18}" font-weight="bold">${esc(title)}</text>`);
  out.push(`<rect x="${ox + M.l}" y="${oy + M.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  for (let e = Math.log10(xMin); e <= Math.log10(xMax) + 1e-9; e++) {
    const x = X(10 ** e);
    out.push(`<line x1="${x}" y1="${oy + M.t}" x2="${x}" y2="${oy + M.t + ph}" stroke="#eee"/><text x="${x}" y="${oy + M.t + ph + 14}" text-anchor="middle">1e${e}</text>`);
  }
  for (let e = Math.log10(yMin); e <= Math.log10(yMax) + 1e-9; e++) {
    const y = Y(10 ** e);
    out.push(`<line x1="${ox + M.l}" y1="${y}" x2="${ox + M.l + pw}" y2="${y}" stroke="#eee"/><text x="${ox + M.l - 4}" y="${y + 4}" text-anchor="end">${fmtT(10 ** e)}</text>`);
  }
  out.push(`<text x="${ox + M.l + pw / 2}" y="${oy + H - 8}" text-anchor="middle" fill="#555">n</text>`);
  for (const [key, , color] of SERIES) {
    const pts = [];
    for (const c of [...g.cells].sort((a, b) => a.n - b.n)) {
      const s = pick(c, key);
      if (!s) continue;
      if (Number.isFinite(s.median)) {
        pts.push([X(c.n), Y(s.median)]);
        if (Number.isFinite(s.min) && Number.isFinite(s.max) && s.max > s.min) out.push(`<line x1="${X(c.n)}" y1="${Y(s.min)}" x2="${X(c.n)}" y2="${Y(s.max)}" stroke="${color}" stroke-width="1"/>`);
      } else if (Number.isFinite(s.lowerBoundMs)) {
        const x = X(c.n), y = Y(s.lowerBoundMs);
        out.push(`<path d="M${x - 4},${y - 4} L${x + 4},${y - 4} L${x},${y + 3} Z" fill="white" stroke="${color}"><title>${esc(`${key}: did not finish in ${fmtT(s.lowerBoundMs)}`)}</title></path>`);
      }
    }
    if (pts.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${pts.map((q) => q.map((v) => v.toFixed(1)).join(',')).join(' ')}"/>`);
    for (const [x, y] of pts) out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2.6" fill="${color}"/>`);
  }
  out.push(`</g>`);
});
out.push('</svg>');
writeFileSync(output, out.join('\n') + '\n');
console.log(`wrote ${path.relative(process.cwd(), output)} (${panels.length} panels from ${path.relative(process.cwd(), input)})`);
