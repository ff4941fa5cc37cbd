#!/usr/bin/env node
// node bench/summary-nid-ab.mjs <dist-A/index.js> <dist-B/index.js> [families] [taus] [n] [rounds]
// A/B of summary(fit, dataset, { se: 'nid' }) between two builds in ONE process, interleaved (A, B, A,
// B, ...) so that the load of a shared machine hits both alike: per family (bench/degenerate.mjs's
// generators, n × 10) and tau, the CPU time (user + system) of each build's summary, medians and
// minima over the rounds, B/A, the fit's own CPU time (build B) and nid/fit for both, and whether the
// standard errors are bit-identical. Run it in both orders (A, B and B, A): the first-named build
// tends to gain a few percent. A summary that throws (RANK_DEFICIENT where the fits at tau ± h
// coincide: intx tau 0.5 at 1e6) is timed to the error, and both builds must throw the same code.
// Defaults: intx,gaussian 0.1,0.9 1000000 5.
import { pathToFileURL } from 'node:url';
import { makeFamily } from './degenerate.mjs';

const [a, b, fams = 'intx,gaussian', tausS = '0.1,0.9', nS = '1000000', roundsS = '5'] = process.argv.slice(2);
if (!a || !b) throw new Error('usage: node bench/summary-nid-ab.mjs <dist-A/index.js> <dist-B/index.js> [families] [taus] [n] [rounds]');
const A = await import(pathToFileURL(a).href), B = await import(pathToFileURL(b).href);
await A.init({ warmup: 'wait' });
await B.init({ warmup: 'wait' });
const n = Number(nS), p = 10, rounds = Number(roundsS);
const cpu = (f) => { const c = process.cpuUsage(); const r = f(); const e = process.cpuUsage(c); return [(e.user + e.system) / 1000, r]; };
const med = (x) => [...x].sort((u, v) => u - v)[x.length >> 1];
/** summary(fit, ds, nid), or the error code it throws. */
const nid = (M, fit, ds) => { try { return M.summary(fit, ds, { se: 'nid' }); } catch (e) { return { error: e.code ?? String(e) }; } };
for (const fam of fams.split(',')) {
  const d = makeFamily(fam, n, p);
  const dA = A.Dataset.from({ data: d.X, rows: n, cols: p }, d.y), dB = B.Dataset.from({ data: d.X, rows: n, cols: p }, d.y);
  for (const tau of tausS.split(',').map(Number)) {
    const fA = A.quantile(dA, { tau }), fB = B.quantile(dB, { tau });
    const tA = [], tB = [], tF = [];
    let sA, sB;
    for (let r = 0; r < rounds; r++) {
      tF.push(cpu(() => B.quantile(dB, { tau }))[0]);
      let x;
      [x, sA] = cpu(() => nid(A, fA, dA));
      tA.push(x);
      [x, sB] = cpu(() => nid(B, fB, dB));
      tB.push(x);
    }
    const same = sA.error || sB.error ? (sA.error === sB.error ? `both throw ${sA.error}` : `NO: ${sA.error ?? 'ok'} vs ${sB.error ?? 'ok'}`)
      : sA.coefficients.every((c, j) => c.stdError === sB.coefficients[j].stdError);
    console.log(`${fam} tau ${tau}: fit ${med(tF).toFixed(0)} ms (min ${Math.min(...tF).toFixed(0)}) | nid A ${med(tA).toFixed(0)} (min ${Math.min(...tA).toFixed(0)}) B ${med(tB).toFixed(0)} (min ${Math.min(...tB).toFixed(0)}) B/A ${(med(tB) / med(tA)).toFixed(3)} | nid/fit A ${(med(tA) / med(tF)).toFixed(2)} B ${(med(tB) / med(tF)).toFixed(2)} | SEs bit-identical ${same}`);
  }
  dA.dispose();
  dB.dispose();
}
