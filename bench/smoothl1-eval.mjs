#!/usr/bin/env node
// node bench/smoothl1-eval.mjs [n] [p]   (default 1e5 × 20; the data of bench/huber.mjs: Gaussian X,
// Cauchy noise). Evidence for the smooth-L1 decision in docs/losses.md (issue 24): what would a Newton
// step with a cheaper Hessian cost, and what does a better start buy?
//  (1) At the smooth-L1 solution (default epsilon): Jacobi-preconditioned CG iterations to solve the
//      Newton system H d = g (random g) to 1e-8 relative residual, H = X1' diag(h) X1, h_i = 1/(e Q_i^3)
//      — each CG iteration is two passes over X (a Hessian-vector product);
//  (2) the share of rows carrying 99.9% / 99.99% of trace(H) (a truncated Hessian = the Gram matrix of
//      those rows);
//  (3) smoothL1 from its default start (least squares) against smoothL1 started from huber(delta 0.1),
//      CPU time, same optimum.
// Prints one JSON line. Uses the built package (dist/).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as L from './lib.mjs';
const R = await import(pathToFileURL(path.join(L.ROOT, 'dist', 'index.js')).href);
await R.init();
const n = Number(process.argv[2] ?? 1e5), p = Number(process.argv[3] ?? 20);
const seed = L.seedFor(n, p, 20261206);
const gx = L.makeRng(seed), ge = L.makeRng(seed ^ 0x5bd1e995);
const X = new Float64Array(n * p), y = new Float64Array(n);
const b = L.trueBeta(p);
for (let k = 0; k < n * p; k++) X[k] = gx.normal();
for (let i = 0; i < n; i++) { let f = b[0]; for (let j = 0; j < p; j++) f += X[i * p + j] * b[j + 1]; y[i] = f + Math.tan(Math.PI * (ge.uniform() - 0.5)); }
const ds = R.Dataset.from({ data: X, rows: n, cols: p, layout: 'row-major' }, y);
const cpu = (f) => { const t = process.cpuUsage(); const r = f(); const u = process.cpuUsage(t); return [(u.user + u.system) / 1000, r]; };
const [tS, s] = cpu(() => R.smoothL1(ds));
const [tO] = cpu(() => R.ols(ds));
const [tH, hub] = cpu(() => R.huber(ds));
const e = s.epsilon;
const h = new Float64Array(n);
const r = new Float64Array(n);
for (let i = 0; i < n; i++) { let f = s.intercept; for (let j = 0; j < p; j++) f += X[i * p + j] * s.coef[j]; r[i] = y[i] - f; const u = r[i] / e; const q = Math.sqrt(u * u + 1); h[i] = 1 / (e * q * q * q); }
const q1 = p + 1;
const mv = (v, out) => { out.fill(0); for (let i = 0; i < n; i++) { let z = v[0]; for (let j = 0; j < p; j++) z += X[i * p + j] * v[j + 1]; z *= h[i]; out[0] += z; for (let j = 0; j < p; j++) out[j + 1] += X[i * p + j] * z; } };
const diag = new Float64Array(q1);
for (let i = 0; i < n; i++) { diag[0] += h[i]; for (let j = 0; j < p; j++) diag[j + 1] += h[i] * X[i * p + j] ** 2; }
const g = new Float64Array(q1).map(() => Math.random() - 0.5);
let x = new Float64Array(q1), res = g.slice(), z = res.map((v, j) => v / diag[j]), d = z.slice(), Ad = new Float64Array(q1);
let rz = res.reduce((a, v, j) => a + v * z[j], 0); const g0 = Math.hypot(...g); let it = 0;
for (; it < 5000; it++) { mv(d, Ad); const al = rz / d.reduce((a, v, j) => a + v * Ad[j], 0); for (let j = 0; j < q1; j++) { x[j] += al * d[j]; res[j] -= al * Ad[j]; } if (Math.hypot(...res) <= 1e-8 * g0) break; z = res.map((v, j) => v / diag[j]); const rz2 = res.reduce((a, v, j) => a + v * z[j], 0); const be = rz2 / rz; rz = rz2; for (let j = 0; j < q1; j++) d[j] = z[j] + be * d[j]; }
const hs = Float64Array.from(h).sort().reverse(); const tot = hs.reduce((a, v) => a + v, 0);
let acc = 0, k999 = -1, k9999 = -1; for (let i = 0; i < n; i++) { acc += hs[i]; if (k999 < 0 && acc >= 0.999 * tot) k999 = i + 1; if (k9999 < 0 && acc >= 0.9999 * tot) { k9999 = i + 1; break; } }
const [tH2, h2] = cpu(() => R.huber(ds, { delta: 0.1 }));
const [tS2, s2] = cpu(() => R.smoothL1(ds, { start: h2 }));
let dmax = 0;
[s2.intercept, ...s2.coef].forEach((v, j) => { dmax = Math.max(dmax, Math.abs(v - [s.intercept, ...s.coef][j])); });
console.log(JSON.stringify({ n, p, epsilon: e, fromHuberStart: { huberCpuMs: tH2, smoothL1CpuMs: tS2, iterations: s2.iterations, maxCoefDiff: dmax }, smoothL1: { cpuMs: tS, iterations: s.iterations }, olsCpuMs: tO, huber: { cpuMs: tH, iterations: hub.iterations }, pcgIterations: it + 1, pcgXPassesPerNewtonStep: 2 * (it + 1), rowsFor999: k999 / n, rowsFor9999: k9999 / n, hRange: hs[0] / hs[n - 1] }));
