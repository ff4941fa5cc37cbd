#!/usr/bin/env node
// A/B CPU time of two builds of the package, interleaved (A, B, A, B, ...) in one process so that the
// load of a shared machine hits both alike: node scripts/ab-cpu.mjs <dist-A/index.js> <dist-B/index.js> [rounds]
// Reports, per case, the median CPU time (process.cpuUsage user+sys) per fit of each build and B/A.
// AB_ONLY=<case> runs one case (also lts or mm at 1e6 x 10, which the default list leaves out).
import { pathToFileURL } from 'node:url';

const [a, b, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 15);
const A = await import(pathToFileURL(a).href);
const B = await import(pathToFileURL(b).href);
await A.init();
await B.init();

function data(n, p, seed) {
  let s = seed >>> 0;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const X = new Float64Array(n * p), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 1;
    for (let j = 0; j < p; j++) { const v = rnd() * 2 - 1; X[i * p + j] = v; t += (j + 1) * v; }
    y[i] = t + (rnd() < 0.1 ? 20 * rnd() : rnd() - 0.5);
  }
  return { X: { data: X, rows: n, cols: p }, y };
}

const ONLY = process.env.AB_ONLY;
const cases0 = [
  ['ols', 1e4, 20, (L, d) => L.ols(d.X, d.y)],
  ['lad', 1e4, 10, (L, d) => L.lad(d.X, d.y)],
  ['quantile .9', 1e3, 20, (L, d) => L.quantile(d.X, d.y, { tau: 0.9 })],
  ['huber', 1e4, 20, (L, d) => L.huber(d.X, d.y)],
  ['ols js', 1e4, 20, (L, d) => L.ols(d.X, d.y, { backend: 'js' })],
];
// the robust estimators at 1e6 rows: only when named (AB_ONLY=lts or AB_ONLY=mm; a few seconds per fit)
const named = [
  ['lts', 1e6, 10, (L, d) => L.lts(d.X, d.y)],
  ['mm', 1e6, 10, (L, d) => L.mm(d.X, d.y)],
];
const cases = ONLY ? [...cases0, ...named].filter(([name]) => name === ONLY) : cases0;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (v) => { const s = [...v].sort((x, y) => x - y); return s[s.length >> 1]; };
console.log(`A = ${a}\nB = ${b}\n${rounds} interleaved rounds; CPU ms per fit (median over rounds)`);
for (const [name, n, p, f] of cases) {
  const d = data(n, p, 42);
  const ra = f(A, d), rb = f(B, d);
  const same = ra.coef.every((v, j) => Object.is(v, rb.coef[j])) && Object.is(ra.intercept, rb.intercept);
  const reps = Math.max(1, Math.round(2e5 / (n * p)));
  const ta = [], tb = [];
  for (let r = 0; r < rounds; r++) {
    for (const [L, out] of (r % 2 ? [[B, tb], [A, ta]] : [[A, ta], [B, tb]])) {
      const t0 = cpu();
      for (let k = 0; k < reps; k++) f(L, d);
      out.push((cpu() - t0) / reps);
    }
  }
  const ma = median(ta), mb = median(tb);
  console.log(`${name.padEnd(12)} n=${n} p=${p}  A ${ma.toFixed(3)} ms  B ${mb.toFixed(3)} ms  B/A ${(mb / ma).toFixed(3)}  results bit-identical: ${same}`);
}
