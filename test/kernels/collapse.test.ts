// Exact collapsing of duplicated rows (assembly/collapse.ts, twin src/twin/collapse.ts, host
// src/fit/collapse.ts): the kernels find the same groups and build the same collapsed problem on
// every backend (bit for bit, f64 and f32 storage, -0 = 0, weights summed in row order), refuse when
// there are too many groups, and quantile()/lad() on duplicated data give the optimum of the full
// problem (checked against the plain kernel solve on all rows) with a certificate.
import { beforeAll, describe, expect, it } from 'vitest';
import { INFO_LEN, INFO_OBJECTIVE } from '../../src/abi/info.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';
import * as R from '../../src/index.js';

let backends: TestBackend[];
beforeAll(async () => {
  backends = await allBackends();
  await R.init();
});

interface Data { n: number; p: number; X: Float64Array; y: Float64Array; w?: Float64Array }

/** n rows cycling through d distinct rows (X column-major); optionally weights. */
function dupData(n: number, p: number, d: number, seed: number, weighted = false): Data {
  const r = rng(seed);
  // distinct rows: entries on a 1e-3 grid of [-500, 500] (a repeat among d rows is vanishingly unlikely)
  const base = Array.from({ length: d }, () => Array.from({ length: p + 1 }, () => Math.round(r() * 1e6 - 5e5) / 1e3));
  const X = new Float64Array(n * p), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = base[(i * 7) % d];
    for (let j = 0; j < p; j++) X[j * n + i] = b[j];
    y[i] = b[p] + b[0] * 0.5;
  }
  const w = weighted ? Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 3)) : undefined;
  return { n, p, X, y, w };
}

function groups(tb: TestBackend, d: Data, maxGroups: number, f32 = false) {
  const { arena, backend } = tb;
  const k = backend.kernels;
  const { n, p } = d;
  const mark = arena.mark();
  try {
    const [pX, pY, pW, pWork] = arena.allocMany([(f32 ? 4 : 8) * n * p, 8 * n, d.w ? 8 * n : 0, k.collapse_work_bytes(n, maxGroups)]);
    const f = backend.f64();
    if (f32) new Float32Array(f.buffer, pX, n * p).set(d.X);
    else f.set(d.X, pX >>> 3);
    f.set(d.y, pY >>> 3);
    if (d.w) f.set(d.w, pW >>> 3);
    const m = k.collapse_groups(n, p, pX, pY, maxGroups, pWork, f32 ? 1 : 0);
    if (m < 0) return { m };
    const [pXc, pYc, pWc] = arena.allocMany([8 * m * p, 8 * m, 8 * m]);
    k.collapse_build(n, p, pX, pY, d.w ? pW : 0, maxGroups, m, pXc, pYc, pWc, pWork, f32 ? 1 : 0);
    const g = backend.f64();
    return { m, X: g.slice(pXc >>> 3, (pXc >>> 3) + m * p), y: g.slice(pYc >>> 3, (pYc >>> 3) + m), w: g.slice(pWc >>> 3, (pWc >>> 3) + m) };
  } finally {
    arena.release(mark);
  }
}

describe('collapse kernels', () => {
  it('find the distinct rows in first-appearance order with summed weights, identically on every backend', () => {
    let compared = 0;
    for (const weighted of [false, true]) {
      for (const f32 of [false, true]) {
        const d = dupData(997, 3, 31, 5, weighted);
        const out = backends.map((tb) => groups(tb, d, 500, f32));
        for (const o of out) { expect(o).toEqual(out[0]); compared++; }
        const o = out[0];
        expect(o.m).toBe(31);
        // first appearance: distinct row g is row i_g of the data, rows before it are earlier groups
        const seen: string[] = [];
        for (let i = 0; i < d.n && seen.length < 31; i++) {
          const key = [...Array(d.p).keys()].map((j) => (f32 ? Math.fround(d.X[j * d.n + i]) : d.X[j * d.n + i])).join(',') + '|' + d.y[i];
          if (!seen.some((s) => s === key)) seen.push(key);
        }
        let groupsCompared = 0;
        for (let g = 0; g < 31; g++) {
          const key = [...Array(d.p).keys()].map((j) => o.X![j * 31 + g]).join(',') + '|' + o.y![g];
          expect(key).toBe(seen[g]);
          groupsCompared++;
        }
        expect(groupsCompared).toBe(seen.length);
        let total = 0;
        for (let i = 0; i < d.n; i++) total += d.w ? d.w[i] : 1;
        expect(o.w!.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 9);
      }
    }
    expect(compared).toBe(2 * 2 * 3); // weighted x f32 x (wasm-release, wasm-debug, js)
  });

  it('treat -0 and 0 as the same value, and other values as different', () => {
    const n = 64, p = 2;
    const X = new Float64Array(n * p), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      X[i] = i % 2 ? -0 : 0; // column 0: ±0 → one value
      X[n + i] = i % 4 < 2 ? 1 : 1 + 2 ** -52; // column 1: two values one ulp apart
      y[i] = i % 8 < 4 ? -0 : 0;
    }
    let compared = 0;
    for (const tb of backends) { expect(groups(tb, { n, p, X, y }, 32).m).toBe(2); compared++; }
    expect(compared).toBe(3);
  });

  it('pre-check a sample from 32,768 rows on: heavy duplication is collapsed, distinct rows are refused (same on every backend)', () => {
    const heavy = dupData(40000, 2, 2000, 13);
    const distinct = dupData(40000, 2, 40000, 13);
    let compared = 0;
    for (const f32 of [false, true]) {
      const a = backends.map((tb) => groups(tb, heavy, 20000, f32));
      for (const o of a) { expect(o).toEqual(a[0]); compared++; }
      expect(a[0].m).toBe(2000);
      for (const tb of backends) { expect(groups(tb, distinct, 20000, f32).m).toBe(-1); compared++; }
    }
    expect(compared).toBe(2 * 2 * 3);
  });

  it('return -1 when more rows than maxGroups are distinct', () => {
    const d = dupData(500, 2, 100, 7);
    let compared = 0;
    for (const tb of backends) {
      expect(groups(tb, d, 99).m).toBe(-1);
      expect(groups(tb, d, 100).m).toBe(100);
      compared++;
    }
    expect(compared).toBe(3);
  });
});

/** The plain kernel solve on all rows (no collapsing), for reference. */
function plainObjective(tb: TestBackend, d: Data, tau: number): number {
  const { arena, backend } = tb;
  const k = backend.kernels;
  const { n, p } = d;
  const mark = arena.mark();
  try {
    const [pX, pY, pW, pC, pI, pF, pWk] = arena.allocMany([8 * n * p, 8 * n, d.w ? 8 * n : 0, 8 * (p + 1), 8 * INFO_LEN, 4 * p, k.l1_work_bytes(n, p)]);
    const f = backend.f64();
    f.set(d.X, pX >>> 3);
    f.set(d.y, pY >>> 3);
    if (d.w) f.set(d.w, pW >>> 3);
    expect(k.l1_fit(n, n, p, pX, pY, d.w ? pW : 0, 1, tau, 100000, 1e-10, 0, pC, pI, pF, pWk)).toBe(0);
    return backend.f64()[(pI >>> 3) + INFO_OBJECTIVE];
  } finally {
    arena.release(mark);
  }
}

describe('quantile() on duplicated rows', () => {
  const colMajor = (d: Data) => ({ data: d.X, rows: d.n, cols: d.p, layout: 'column-major' as const });

  it('solves the distinct rows only and reaches the optimum of all rows, with a certificate, bit-identical across backends', () => {
    for (const [weighted, tau] of [[false, 0.5], [true, 0.2], [false, 0.9]] as const) {
      const d = dupData(24000, 3, 120, 11, weighted);
      const wasm = R.quantile(colMajor(d), d.y, { tau, weights: d.w, backend: 'wasm' });
      const js = R.quantile(colMajor(d), d.y, { tau, weights: d.w, backend: 'js' });
      expect(wasm.collapsedRows).toBe(120);
      expect(js.collapsedRows).toBe(120);
      expect(wasm.converged).toBe(true);
      expect(Array.from(js.coef)).toEqual(Array.from(wasm.coef));
      expect(js.intercept).toBe(wasm.intercept);
      expect(js.objective).toBe(wasm.objective);
      expect(js.certificate).toEqual(wasm.certificate);
      expect(wasm.certificate.gap).toBeLessThanOrEqual(1e-10 * Math.max(1, wasm.certificate.primal));
      const ref = plainObjective(backends[0], d, tau);
      expect(Math.abs(wasm.objective - ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref));
      // the objective of the returned coefficients over ALL rows
      let obj = 0;
      for (let i = 0; i < d.n; i++) {
        let f = wasm.intercept;
        for (let j = 0; j < d.p; j++) f += d.X[j * d.n + i] * wasm.coef[j];
        const r = d.y[i] - f;
        obj += (d.w ? d.w[i] : 1) * (r < 0 ? (tau - 1) * r : tau * r);
      }
      expect(Math.abs(obj - ref)).toBeLessThanOrEqual(1e-10 * Math.max(1, ref));
      expect(wasm.n).toBe(24000);
    }
  });

  it('collapses a float32 Dataset the same way as its float64 rounding', () => {
    const d = dupData(20000, 2, 50, 3);
    for (let i = 0; i < d.X.length; i++) d.X[i] = Math.fround(d.X[i] + 0.1);
    const ds = R.Dataset.from(colMajor(d), d.y, { precision: 'f32', backend: 'wasm' });
    const a = R.lad(ds);
    const b = R.lad(colMajor(d), d.y, { backend: 'wasm' });
    ds.dispose();
    expect(a.collapsedRows).toBe(50);
    expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
    expect(a.objective).toBe(b.objective);
  });

  it('leaves data with mostly distinct rows, small data and penalised fits alone', () => {
    const many = dupData(20000, 3, 15000, 2);
    expect(R.lad(colMajor(many), many.y).collapsedRows).toBe(0);
    const small = dupData(5000, 3, 10, 2);
    expect(R.lad(colMajor(small), small.y).collapsedRows).toBe(0);
    const big = dupData(20000, 3, 10, 2);
    expect(R.lad(colMajor(big), big.y).collapsedRows).toBe(10);
    expect(R.lad(colMajor(big), big.y, { lambda: 1 }).collapsedRows).toBe(0);
  });

  it('does not modify the caller\'s data', () => {
    const d = dupData(20000, 2, 40, 9, true);
    const X0 = d.X.slice(), y0 = d.y.slice(), w0 = d.w!.slice();
    const ds = R.Dataset.from(colMajor(d), d.y, { weights: d.w });
    R.quantile(ds, { tau: 0.3 });
    const t = ds.toArrays();
    ds.dispose();
    expect(Array.from(t.X.data)).toEqual(Array.from(X0));
    expect(Array.from(t.y)).toEqual(Array.from(y0));
    expect(Array.from(t.weights!)).toEqual(Array.from(w0));
  });
});
