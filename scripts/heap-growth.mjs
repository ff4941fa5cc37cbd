#!/usr/bin/env node
// node --expose-gc scripts/heap-growth.mjs — the JS heap (after forced GCs) over 40,000 mixed fits, the
// workload of test/memory.test.ts; the numbers quoted in README.md (Reliability). Needs `npm run build`.
import { init, fit } from '../dist/index.js';
await init();
let s = 1; const r = () => ((s = (s * 16807) % 2147483647) / 2147483647);
const data = (n, p) => { const X = Array.from({ length: n }, () => Array.from({ length: p }, () => r() * 2 - 1)); return { X, y: X.map((row) => row.reduce((a, v, j) => a + v * (j - 1), 0.5) + (r() < 0.1 ? 20 : r() - 0.5)) }; };
const sets = [data(10, 1), data(60, 3), data(300, 8), data(25, 2)];
const losses = ['l2', 'l1', 'quantile'];
const run = (k) => { const d = sets[k % 4]; const loss = losses[k % 3]; fit(d.X, d.y, { loss, backend: k % 7 === 0 ? 'js' : 'wasm', ...(loss === 'quantile' ? { tau: 0.1 + (k % 9) / 10 } : {}) }); };
const h = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
for (let k = 0; k < 500; k++) run(k);
let k = 0; const h0 = h(); const out = [];
for (const step of [10000, 10000, 10000, 10000]) { for (let e = k + step; k < e; k++) run(k); out.push(((h() - h0) / 1024).toFixed(0) + ' KiB'); }
console.log('growth after 10k,20k,30k,40k fits:', out.join(', '));
