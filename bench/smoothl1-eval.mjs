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

// (4) Quasi-Newton: L-BFGS (memory 10, Armijo backtracking) on S_e from the least-squares start, until
//     the coefficients are within 1e-9 (max |b - b*| / max(1, max |b*|), b* the kernel's optimum) or 300
//     iterations; each iteration is one
//     gradient (two passes over X: residuals and X' psi) plus one pass per trial point.
// (5) Newton with a truncated Hessian: the Gram matrix of the rows with |r| <= K e only (K = 30: the
//     rows beyond carry ~1/K^2 of the Hessian's weight), exact gradient, halving line search, from the
//     kernel's pilot start (the same problem on the evenly spaced 1000-row subsample) — steps to the
//     same optimum, and the share of rows in each step's Gram matrix. (5) is what the kernel now runs
//     (assembly/irls.ts smoothNewton, with a band chosen from the omitted Hessian weight and chord steps);
//     this prototype stays as the measured evidence for that choice.
{
  const ols0 = R.ols(ds);
  const Sval = (bb) => { let f = 0; for (let i = 0; i < n; i++) { let z = y[i] - bb[0]; for (let j = 0; j < p; j++) z -= X[i * p + j] * bb[j + 1]; const t = Math.abs(z) / e; f += t <= 1e8 ? e * t * t / (Math.sqrt(t * t + 1) + 1) : Math.abs(z) - e; } return f; };
  const grad = (bb, g) => { g.fill(0); for (let i = 0; i < n; i++) { let z = y[i] - bb[0]; for (let j = 0; j < p; j++) z -= X[i * p + j] * bb[j + 1]; const ps = -z / Math.sqrt(z * z + e * e); g[0] += ps; for (let j = 0; j < p; j++) g[j + 1] += ps * X[i * p + j]; } };
  const Sstar = s.objective;
  const bStar = [s.intercept, ...s.coef];
  const cd = (v) => { let m = 0, sc = 1; for (let j = 0; j < q1; j++) { m = Math.max(m, Math.abs(v[j] - bStar[j])); sc = Math.max(sc, Math.abs(bStar[j])); } return m / sc; };
  const lbTrace = [];
  // (4) L-BFGS
  let bb = Float64Array.from([ols0.intercept, ...ols0.coef]);
  const M = 10, S = [], Y = [];
  let g = new Float64Array(q1), gNew = new Float64Array(q1), f = Sval(bb), passes = 1;
  grad(bb, g); passes += 2;
  let lbIt = 0;
  for (; lbIt < 300 && cd(bb) > 1e-9; lbIt++) {
    if (lbIt === 10 || lbIt === 30 || lbIt === 100) lbTrace.push({ it: lbIt, coefDist: cd(bb), gapRel: (f - Sstar) / Sstar });
    const dq = g.slice(), al = [];
    for (let k = S.length - 1; k >= 0; k--) { const rho = 1 / Y[k].reduce((a, v, j) => a + v * S[k][j], 0); const a = rho * S[k].reduce((t, v, j) => t + v * dq[j], 0); al[k] = [a, rho]; for (let j = 0; j < q1; j++) dq[j] -= a * Y[k][j]; }
    if (S.length) { const k = S.length - 1; const gam = S[k].reduce((a, v, j) => a + v * Y[k][j], 0) / Y[k].reduce((a, v) => a + v * v, 0); for (let j = 0; j < q1; j++) dq[j] *= gam; } else { const gn = Math.hypot(...g); for (let j = 0; j < q1; j++) dq[j] *= 1e-3 / gn; }
    for (let k = 0; k < S.length; k++) { const [a, rho] = al[k]; const bt = rho * Y[k].reduce((t, v, j) => t + v * dq[j], 0); for (let j = 0; j < q1; j++) dq[j] += S[k][j] * (a - bt); }
    const gd = g.reduce((a, v, j) => a - v * dq[j], 0);
    let t = 1, bn, fn;
    for (let h = 0; h < 60; h++) { bn = bb.map((v, j) => v - t * dq[j]); fn = Sval(bn); passes++; if (fn <= f + 1e-4 * t * gd) break; t *= 0.5; }
    grad(bn, gNew); passes += 2;
    const sv = bn.map((v, j) => v - bb[j]), yv = gNew.map((v, j) => v - g[j]);
    if (sv.reduce((a, v, j) => a + v * yv[j], 0) > 0) { S.push(sv); Y.push(yv); if (S.length > M) { S.shift(); Y.shift(); } }
    bb = bn; f = fn; g = gNew.slice();
  }
  // (5) truncated-Hessian Newton from the pilot start
  const m = Math.max(1000, 40 * (p + 1)), rowsP = [];
  for (let t = 0; t < m; t++) rowsP.push(Math.floor((t + 0.5) * n / m));
  const Xp = new Float64Array(m * p), yp = new Float64Array(m);
  rowsP.forEach((i, t) => { yp[t] = y[i]; for (let j = 0; j < p; j++) Xp[t * p + j] = X[i * p + j]; });
  const pil = R.smoothL1({ data: Xp, rows: m, cols: p, layout: 'row-major' }, yp, { epsilon: e });
  let b5 = Float64Array.from([pil.intercept, ...pil.coef]);
  let f5 = Sval(b5);
  const K = 30, shares = [];
  let nt = 0;
  const ntTrace = [];
  for (; nt < 100 && cd(b5) > 1e-9; nt++) {
    ntTrace.push(cd(b5).toExponential(1));
    const H = new Float64Array(q1 * q1), g5 = new Float64Array(q1);
    let rows = 0;
    for (let i = 0; i < n; i++) {
      let z = y[i] - b5[0]; for (let j = 0; j < p; j++) z -= X[i * p + j] * b5[j + 1];
      const Q = Math.sqrt(z * z + e * e), ps = z / Q;
      g5[0] += ps; for (let j = 0; j < p; j++) g5[j + 1] += ps * X[i * p + j];
      if (Math.abs(z) <= K * e) {
        rows++;
        const h = e * e / (Q * Q * Q), xi = [1, ...X.subarray(i * p, i * p + p)];
        for (let a = 0; a < q1; a++) for (let c = a; c < q1; c++) H[a * q1 + c] += h * xi[a] * xi[c];
      }
    }
    shares.push(+(rows / n).toFixed(4));
    for (let a = 0; a < q1; a++) for (let c = 0; c < a; c++) H[a * q1 + c] = H[c * q1 + a];
    // Cholesky solve H d = g5
    const Lc = H.slice(), d5 = g5.slice();
    for (let a = 0; a < q1; a++) { for (let k = 0; k < a; k++) Lc[a * q1 + a] -= Lc[a * q1 + k] ** 2; Lc[a * q1 + a] = Math.sqrt(Lc[a * q1 + a]); for (let c = a + 1; c < q1; c++) { for (let k = 0; k < a; k++) Lc[c * q1 + a] -= Lc[c * q1 + k] * Lc[a * q1 + k]; Lc[c * q1 + a] /= Lc[a * q1 + a]; } }
    for (let a = 0; a < q1; a++) { for (let k = 0; k < a; k++) d5[a] -= Lc[a * q1 + k] * d5[k]; d5[a] /= Lc[a * q1 + a]; }
    for (let a = q1 - 1; a >= 0; a--) { for (let k = a + 1; k < q1; k++) d5[a] -= Lc[k * q1 + a] * d5[k]; d5[a] /= Lc[a * q1 + a]; }
    let t = 1, bn = b5, fn = f5;
    for (let h = 0; h < 40; h++) { bn = b5.map((v, j) => v + t * d5[j]); fn = Sval(bn); if (fn <= f5) break; t *= 0.5; }
    b5 = bn; f5 = fn;
  }
  console.log(JSON.stringify({ lbfgs: { iterations: lbIt, xPasses: passes, coefDist: cd(bb), gapRel: (f - Sstar) / Sstar, trace: lbTrace }, truncatedNewton: { K, steps: nt, gramRowShare: shares, coefDistPerStep: ntTrace, coefDist: cd(b5), gapRel: (f5 - Sstar) / Sstar } }));
}
