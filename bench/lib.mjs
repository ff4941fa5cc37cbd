// Shared pieces of the benchmark (plain ESM, no TypeScript runtime): the seeded data generator, the
// answer checks that run before anything is timed, the peer adapters (ml-matrix,
// ml-regression-multivariate-linear, highs, yalps), objectives, machine info and formatting.
// Nothing here times anything; run.mjs does.
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');

// ---------------------------------------------------------------------------------------------
// Seeded PRNG: sfc32 (Chris Doty-Humphrey's Small Fast Counter, 128-bit state; passes PractRand),
// state seeded from one 32-bit integer through splitmix32. Every draw is defined by the seed alone.

function splitmix32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A deterministic generator: `u32()`, `uniform()` in (0, 1) with 53 random bits, `normal()`. */
export function makeRng(seed) {
  const sm = splitmix32(seed);
  let a = sm(), b = sm(), c = sm(), d = sm();
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32(); // discard the first outputs (state mixing)
  // (hi·2^21 + lo + 0.5) / 2^53: never exactly 0 or 1, so log() below is always finite.
  const uniform = () => ((u32() >>> 0) * 2097152 + (u32() >>> 11) + 0.5) / 9007199254740992;
  let spare = NaN;
  // Box–Muller; the second variate of each pair is kept for the next call.
  const normal = () => {
    if (spare === spare) {
      const s = spare;
      spare = NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
  return { u32, uniform, normal };
}

/** The per-cell seed: fixed base, mixed with n and p so every grid cell has its own data. */
export function seedFor(n, p, base = 20240601) {
  return (Math.imul(base ^ n, 0x9e3779b1) + Math.imul(p, 0x85ebca6b)) >>> 0;
}

/** True coefficients: intercept 1, then (-0.5, -0.25, 0, 0.25, 0.5) repeating. */
export function trueBeta(p) {
  const b = new Float64Array(p + 1);
  b[0] = 1;
  for (let j = 1; j <= p; j++) b[j] = ((j % 5) - 2) * 0.25;
  return b;
}

/**
 * Benchmark data: Gaussian design (n × p, predictors only — every model fits an intercept), fixed
 * coefficients, Student-t noise with `df` degrees of freedom plus `outlierFrac` gross outliers
 * (+20 + 10|z|, one-sided). X is stored row-major (`X[i*p + j]`) — the library's default layout.
 * Three independent streams (design, noise, outliers) so the design does not depend on the noise.
 */
export function makeData({ n, p, seed = seedFor(n, p), df = 2, outlierFrac = 0.1 }) {
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(p) && p > 0)) throw new Error(`makeData: n and p must be positive integers, got n=${n}, p=${p}`);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const beta = trueBeta(p);
  const gx = makeRng(seed), ge = makeRng(seed ^ 0xa5a5a5a5), go = makeRng(seed ^ 0x3c3c3c3c);
  for (let k = 0; k < n * p; k++) X[k] = gx.normal();
  for (let i = 0; i < n; i++) {
    let lin = beta[0];
    const o = i * p;
    for (let j = 0; j < p; j++) lin += X[o + j] * beta[j + 1];
    // t(df) = z / sqrt(chi2_df / df); chi2 as a sum of squared normals (df = 2: -2 log U would do,
    // the sum keeps any df valid).
    const z = ge.normal();
    let chi = 0;
    for (let m = 0; m < df; m++) {
      const g = ge.normal();
      chi += g * g;
    }
    let e = z / Math.sqrt(chi / df);
    if (go.uniform() < outlierFrac) e += 20 + 10 * Math.abs(go.normal());
    y[i] = lin + e;
  }
  return { n, p, seed, df, outlierFrac, X, y, beta };
}

export function sha256(a) {
  return createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

/** Fingerprint of a data set (recorded in the results JSON so runs on identical data can be compared). */
export function dataHash(d) {
  return sha256(d.X).slice(0, 16) + ':' + sha256(d.y).slice(0, 16);
}

/** The library's input: `{ data, rows, cols, layout: 'row-major' }` over the same buffer (no copy). */
export function asMatrixLike(d) {
  return { data: d.X, rows: d.n, cols: d.p, layout: 'row-major' };
}

/** `number[][]` rows (what the ml-* peers take). */
export function toRows(d, withOnes = false) {
  const { n, p, X } = d;
  const rows = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = new Array(p + (withOnes ? 1 : 0));
    let k = 0;
    if (withOnes) r[k++] = 1;
    for (let j = 0; j < p; j++) r[k++] = X[i * p + j];
    rows[i] = r;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Objectives, computed with Neumaier-compensated sums (independent of the library).

function residual(d, intercept, coef, i) {
  const { p, X, y } = d;
  let f = intercept;
  const o = i * p;
  for (let j = 0; j < p; j++) f += X[o + j] * coef[j];
  return y[i] - f;
}

/** Σ ρ_τ(r_i), ρ_τ(r) = r (τ − [r < 0]); τ = 0.5 with `lad` gives Σ |r_i| instead. */
export function checkObjective(d, intercept, coef, tau, lad = false) {
  let s = 0, c = 0;
  for (let i = 0; i < d.n; i++) {
    const r = residual(d, intercept, coef, i);
    const v = lad ? Math.abs(r) : r * (r < 0 ? tau - 1 : tau);
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return s + c;
}

export function sumSquares(d, intercept, coef) {
  let s = 0, c = 0;
  for (let i = 0; i < d.n; i++) {
    const r = residual(d, intercept, coef, i);
    const v = r * r;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return s + c;
}

// ---------------------------------------------------------------------------------------------
// Answer checks. They throw BenchValidationError naming the suite, the cell, who disagreed and the
// numbers; run.mjs calls them on every competitor's answer before anything in that cell is timed.

export class BenchValidationError extends Error {
  constructor(message, details) {
    super(message);
    this.name = 'BenchValidationError';
    this.details = details;
  }
}

export const TOL = Object.freeze({ l2Coef: 1e-8, lpObjective: 1e-9, twin: 1e-12, fixture: 1e-9, interiorPoint: 1e-6 });

export function relDiff(a, b) {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

const cellName = (cell) => (typeof cell === 'string' ? cell : `n=${cell.n}, p=${cell.p}${cell.tau !== undefined ? `, tau=${cell.tau}` : ''}`);

/**
 * L2: the full coefficient vector [intercept, coef...] of `who` against ours, max |Δ| relative to
 * ||ours||₂ (so a near-zero coefficient is not judged on its own scale). Returns the relative error.
 */
export function validateCoef({ suite, cell, who, against = 'robustreg (wasm)', got, ref, rtol = TOL.l2Coef }) {
  if (got.length !== ref.length) {
    throw new BenchValidationError(`[${suite} ${cellName(cell)}] ${who}: ${got.length} coefficients, ${against} has ${ref.length}`, { suite, cell, who });
  }
  let scale = 0, worst = 0, at = -1;
  for (let k = 0; k < ref.length; k++) scale += ref[k] * ref[k];
  scale = Math.sqrt(scale) || 1;
  for (let k = 0; k < ref.length; k++) {
    const e = Math.abs(got[k] - ref[k]);
    if (!(e <= worst)) { worst = e; at = k; }
  }
  const rel = worst / scale;
  if (!(rel <= rtol)) {
    throw new BenchValidationError(
      `[${suite} ${cellName(cell)}] ${who} disagrees with ${against}: coefficient ${at === 0 ? 'intercept' : `coef[${at - 1}]`} = ${got[at]} vs ${ref[at]}, ` +
      `max |Δ| = ${worst.toExponential(3)}, relative to ||coef||₂ = ${scale.toPrecision(6)}: ${rel.toExponential(3)} > tol ${rtol}. Nothing was timed.`,
      { suite, cell, who, rel, rtol, index: at, got: got[at], ref: ref[at] });
  }
  return rel;
}

/** An objective against a reference objective, relative. Says which side is lower. Returns the relative difference. */
export function validateObjective({ suite, cell, who, against = 'robustreg (wasm)', got, ref, rtol }) {
  const ok = Number.isFinite(got) && Number.isFinite(ref);
  const rel = ok ? relDiff(got, ref) : Infinity;
  if (!(rel <= rtol)) {
    const lower = !ok ? 'non-finite value' : got < ref ? `${who} is lower (${against} is not optimal or ${who} is infeasible)` : `${against} is lower (${who} did not reach the optimum)`;
    throw new BenchValidationError(
      `[${suite} ${cellName(cell)}] objective mismatch: ${who} = ${got} vs ${against} = ${ref}, |Δ| = ${Math.abs(got - ref).toExponential(3)}, relative ${rel.toExponential(3)} > tol ${rtol}; ${lower}. Nothing was timed.`,
      { suite, cell, who, against, got, ref, rel, rtol });
  }
  return rel;
}

// ---------------------------------------------------------------------------------------------
// Peers.

/** ml-matrix, as a user would write it: XᵀX and Xᵀy with an intercept column, Cholesky solve. */
export function l2MlMatrix(mlm, Xm, ym) {
  const Xt = Xm.transpose();
  const XtX = Xt.mmul(Xm);
  const Xty = Xt.mmul(ym);
  const chol = new mlm.CholeskyDecomposition(XtX);
  if (!chol.isPositiveDefinite()) throw new Error('ml-matrix: XᵀX is not positive definite');
  const b = chol.solve(Xty).getColumn(0); // [intercept, coef...]: the ones column is first in Xm
  return b;
}

/** ml-matrix inputs: Matrix n × (p+1) with the ones column first, and y as an n × 1 Matrix. */
export function mlMatrixInputs(mlm, d) {
  const Xm = new mlm.Matrix(toRows(d, true));
  const ym = mlm.Matrix.columnVector(Array.from(d.y));
  return { Xm, ym };
}

/** ml-regression-multivariate-linear: weights are p rows then the intercept row. Returns [intercept, coef...]. */
export function l2Mlr(MLR, rows, yRows, p) {
  const m = new MLR(rows, yRows, { intercept: true, statistics: false });
  const b = new Array(p + 1);
  b[0] = m.weights[p][0];
  for (let j = 0; j < p; j++) b[j + 1] = m.weights[j][0];
  return b;
}

/**
 * The LAD / quantile LP: variables b (p+1, free; b0 is the intercept), u ≥ 0, v ≥ 0 (n each);
 * rows [1 X] b + u − v = y; minimise τ·1ᵀu + (1−τ)·1ᵀv (LAD: costs 1 and 1, so the objective is
 * Σ|r|). Built as CSC arrays for highs.createModel — one pass over X, typed arrays, no strings.
 */
export function buildLpCsc(d, tau, lad = false) {
  const { n, p, X, y } = d;
  const nb = p + 1;
  const numCols = nb + 2 * n;
  const nnz = nb * n + 2 * n;
  const starts = new Int32Array(numCols + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  // intercept column
  starts[0] = 0;
  for (let i = 0; i < n; i++) { indices[k] = i; values[k] = 1; k++; }
  for (let j = 0; j < p; j++) {
    starts[j + 1] = k;
    for (let i = 0; i < n; i++) { indices[k] = i; values[k] = X[i * p + j]; k++; }
  }
  for (let i = 0; i < n; i++) { starts[nb + i] = k; indices[k] = i; values[k] = 1; k++; }
  for (let i = 0; i < n; i++) { starts[nb + n + i] = k; indices[k] = i; values[k] = -1; k++; }
  starts[numCols] = k;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(Infinity);
  const cu = lad ? 1 : tau, cv = lad ? 1 : 1 - tau;
  for (let j = 0; j < nb; j++) colLower[j] = -Infinity;
  colCost.fill(cu, nb, nb + n);
  colCost.fill(cv, nb + n, numCols);
  const rowBound = Float64Array.from(y);
  return {
    numCols, numRows: n, colCost, colLower, colUpper, rowLower: rowBound, rowUpper: rowBound,
    matrix: { format: 'csc', numRows: n, numCols, starts, indices, values },
  };
}

/**
 * The same LP as CPLEX LP text (for `--highs-lp`): built as an array of lines and joined once.
 * Variables b0..bp, u0.., v0..; 17 significant digits round-trip every double.
 */
export function buildLpText(d, tau, lad = false) {
  const { n, p, X, y } = d;
  const cu = lad ? 1 : tau, cv = lad ? 1 : 1 - tau;
  const num = (x) => (x < 0 ? ` - ${String(-x)}` : ` + ${String(x)}`);
  const out = [];
  const terms = [];
  for (let i = 0; i < n; i++) terms.push(`${num(cu)} u${i}`, `${num(cv)} v${i}`);
  out.push('Minimize', ` obj:${terms.join('')}`, 'Subject To');
  for (let i = 0; i < n; i++) {
    const t = [` r${i}: b0`];
    for (let j = 0; j < p; j++) {
      const x = X[i * p + j];
      if (x !== 0) t.push(`${num(x)} b${j + 1}`);
    }
    t.push(` + u${i} - v${i} = ${String(y[i])}`);
    out.push(t.join(''));
  }
  out.push('Bounds');
  for (let j = 0; j <= p; j++) out.push(` b${j} free`);
  out.push('End');
  return out.join('\n');
}

/** Solve a built highs model; returns { status, objective, b: [intercept, coef...] }. */
export function solveHighsModel(highs, model, p) {
  model.run();
  const status = model.getModelStatus();
  const ok = status === highs.constants.modelStatus.optimal;
  const sol = ok ? model.getSolution() : null;
  const b = sol ? Array.from(sol.colValue.subarray(0, p + 1)) : null;
  return { ok, status, statusName: modelStatusName(highs, status), objective: ok ? model.getObjectiveValue() : NaN, b };
}

export function modelStatusName(highs, s) {
  for (const [k, v] of Object.entries(highs.constants.modelStatus)) if (v === s) return k;
  return String(s);
}

export const HIGHS_OPTIONS = Object.freeze({ output_flag: false });

/** Create a highs model from CSC data (or LP text) and set options. Caller disposes. */
export function highsModel(highs, lp, options) {
  const model = typeof lp === 'string' ? highs.createModel({ format: 'lp', data: lp }) : highs.createModel(lp);
  model.options.set(options);
  return model;
}

/** yalps (dense simplex, small problems only): b = b⁺ − b⁻ (yalps has no free variables). */
export function buildYalpsModel(d, tau, lad = false) {
  const { n, p, X, y } = d;
  const cu = lad ? 1 : tau, cv = lad ? 1 : 1 - tau;
  const constraints = new Map();
  for (let i = 0; i < n; i++) constraints.set(`r${i}`, { equal: y[i] });
  const variables = new Map();
  for (let j = 0; j <= p; j++) {
    const plus = [], minus = [];
    for (let i = 0; i < n; i++) {
      const x = j === 0 ? 1 : X[i * p + j - 1];
      if (x !== 0) { plus.push([`r${i}`, x]); minus.push([`r${i}`, -x]); }
    }
    variables.set(`bp${j}`, plus);
    variables.set(`bm${j}`, minus);
  }
  for (let i = 0; i < n; i++) {
    variables.set(`u${i}`, [[`r${i}`, 1], ['obj', cu]]);
    variables.set(`v${i}`, [[`r${i}`, -1], ['obj', cv]]);
  }
  return { direction: 'minimize', objective: 'obj', constraints, variables };
}

export function yalpsCoef(solution, p) {
  const b = new Array(p + 1).fill(0);
  for (const [name, v] of solution.variables) {
    if (name.startsWith('bp')) b[+name.slice(2)] += v;
    else if (name.startsWith('bm')) b[+name.slice(2)] -= v;
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Environment.

export function readPackageVersion(name) {
  const file = path.join(ROOT, 'node_modules', ...name.split('/'), 'package.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version ?? null;
  } catch {
    return null;
  }
}

export const PEERS = ['ml-matrix', 'ml-regression-multivariate-linear', 'highs', 'yalps', 'tinybench'];

export function machineInfo() {
  const cpus = os.cpus();
  const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const versions = { robustreg: own.version };
  for (const name of PEERS) versions[name] = readPackageVersion(name);
  return {
    date: new Date().toISOString(),
    host: os.hostname(),
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    execArgv: process.execArgv,
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    versions,
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting.

/** A shape "1eKxP" (n = 10^K rows, p columns) of the benches' --shapes lists. */
export function parseShape(shape) {
  const m = /^1e(\d)x(\d+)$/.exec(shape);
  if (!m) throw new Error(`shape ${shape}: expected 1eKxP, e.g. 1e6x20`);
  return { n: 10 ** Number(m[1]), p: Number(m[2]) };
}

export function fmtMs(ms) {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  return `${(ms * 1000).toPrecision(3)} µs`;
}

export function fmtRatio(r) {
  if (!Number.isFinite(r)) return '—';
  return r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

export function fmtN(n) {
  const e = Math.log10(n);
  return Number.isInteger(e) && e >= 3 ? `1e${e}` : String(n);
}

/** A plain-text table with aligned columns (first column left-aligned, the rest right-aligned). */
export function renderTable(header, rows) {
  const w = header.map((h, c) => Math.max(String(h).length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (r) => r.map((v, c) => (c < 2 ? String(v ?? '').padEnd(w[c]) : String(v ?? '').padStart(w[c]))).join('  ');
  return [line(header), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

/** Parse "1e3,1e4" / "5,20" into integers. */
export function parseList(s, what) {
  return String(s).split(',').filter(Boolean).map((t) => {
    const v = Number(t.trim());
    if (!Number.isFinite(v) || v <= 0 || !Number.isInteger(v)) throw new Error(`--${what}: '${t}' is not a positive integer`);
    return v;
  });
}
