// The hc kernel (assembly/hc.ts, twin src/twin/hc.ts): one pass giving the Gram matrix of the
// shifted design, the HC meat, the normal equations, RSS and the sums of y for summary() on a
// Dataset. Every backend (WASM release, debug, TypeScript twin) returns the same bits, on f64 and
// f32 storage, with and without weights, intercept and meat, for row counts around the block and
// the four-row steps; the sums equal a plain JS reference to rounding; the inputs are untouched.
import { beforeAll, describe, expect, it } from 'vitest';
import { STATUS_OK } from '../../src/abi/status.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';

let backends: TestBackend[] = [];
beforeAll(async () => {
  backends = await allBackends();
});

interface Case { n: number; p: number; weights: boolean; intercept: boolean; meat: boolean; f32: boolean; seed: number }

function run(tb: TestBackend, c: Case, X: Float64Array, y: Float64Array, w: Float64Array, b: Float64Array): { status: number; out: Float64Array } {
  const { n, p } = c;
  const k = p + (c.intercept ? 1 : 0);
  const outLen = 2 * k * k + k + 4 + p + 1;
  const kern = tb.backend.kernels;
  const mark = tb.arena.mark();
  try {
    const [pX, pY, pW, pB, pOut, pWork] = tb.arena.allocMany([(c.f32 ? 4 : 8) * n * p, 8 * n, 8 * n, 8 * (p + 1), 8 * outLen, kern.hc_work_bytes(n, p)]);
    if (c.f32) new Float32Array(tb.backend.f64().buffer).set(Float32Array.from(X), pX >>> 2);
    else tb.backend.f64().set(X, pX >>> 3);
    const f = tb.backend.f64();
    f.set(y, pY >>> 3);
    f.set(w, pW >>> 3);
    f.set(b, pB >>> 3);
    f.fill(NaN, pOut >>> 3, (pOut >>> 3) + outLen); // every output slot must be written
    const before = f.slice(pY >>> 3, (pB >>> 3) + p + 1);
    const status = kern.hc_pass(n, p, pX, pY, c.weights ? pW : 0, c.intercept ? 1 : 0, pB, c.meat ? 1 : 0, pOut, pWork, c.f32 ? 1 : 0);
    const g = tb.backend.f64();
    const after = g.slice(pY >>> 3, (pB >>> 3) + p + 1);
    if (!after.every((v, i) => Object.is(v, before[i]))) throw new Error(`${tb.label}: hc_pass modified its inputs`);
    return { status, out: g.slice(pOut >>> 3, (pOut >>> 3) + outLen) };
  } finally {
    tb.arena.release(mark);
  }
}

function data(c: Case) {
  const r = rng(c.seed);
  const X = new Float64Array(c.n * c.p), y = new Float64Array(c.n), w = new Float64Array(c.n), b = new Float64Array(c.p + 1);
  for (let j = 0; j < c.p; j++) for (let i = 0; i < c.n; i++) X[j * c.n + i] = 50 + (r() - 0.5) * (j + 1) * 10;
  for (let i = 0; i < c.n; i++) {
    y[i] = 3 + (r() - 0.5) * 20;
    for (let j = 0; j < c.p; j++) y[i] += (j % 3 - 1) * X[j * c.n + i];
    w[i] = i % 9 === 0 ? 0 : 0.25 + r();
  }
  for (let j = 0; j <= c.p; j++) b[j] = (r() - 0.5) * 2;
  return { X, y, w, b };
}

/** The same sums by their definitions, in plain JS (the shifts are read from the kernel's output). */
function reference(c: Case, X: Float64Array, y: Float64Array, w: Float64Array, b: Float64Array, out: Float64Array) {
  const { n, p } = c;
  const c0 = c.intercept ? 1 : 0;
  const k = p + c0;
  const oShift = 2 * k * k + k + 4;
  const xs = (j: number, i: number) => (c.f32 ? Math.fround(X[j * n + i]) : X[j * n + i]);
  const G = new Float64Array(k * k), M = new Float64Array(k * k), g = new Float64Array(k);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const wi = c.weights ? w[i] : 1;
    let r = y[i] - (c.intercept ? b[0] : 0);
    for (let j = 0; j < p; j++) r -= xs(j, i) * b[j + 1];
    const a = Array.from({ length: k }, (_, t) => (t < c0 ? 1 : xs(t - c0, i) - (c.intercept ? out[oShift + t - c0] : 0)));
    for (let d = 0; d < k; d++) {
      for (let e = 0; e <= d; e++) {
        G[d * k + e] += wi * a[e] * a[d];
        M[d * k + e] += (wi * r) ** 2 * a[e] * a[d];
      }
      g[d] += wi * r * a[d];
    }
    rss += wi * r * r;
  }
  return { G, M, g, rss };
}

describe('hc kernel', () => {
  const cases: Case[] = [];
  let seed = 1;
  for (const n of [1, 3, 4, 7, 511, 512, 513, 1030]) {
    for (const [weights, intercept, meat, f32] of [[false, true, true, false], [true, true, true, false], [true, false, true, false], [false, true, false, true], [true, true, false, false], [false, false, true, true]] as const) {
      cases.push({ n, p: n < 5 ? 1 : 6, weights, intercept, meat, f32, seed: seed++ });
    }
  }
  it('every backend returns the same bits; the sums are those of the definitions', () => {
    let compared = 0;
    let entries = 0;
    for (const c of cases) {
      const { X, y, w, b } = data(c);
      const res = backends.map((tb) => run(tb, c, X, y, w, b));
      const label = JSON.stringify(c);
      for (const r of res) {
        expect(r.status, label).toBe(STATUS_OK);
        expect(Array.from(r.out).every((v, i) => Object.is(v, res[0].out[i])), `${label}: backends differ`).toBe(true);
        expect(r.out.every((v) => !Number.isNaN(v)), label).toBe(true);
        compared++;
      }
      const k = c.p + (c.intercept ? 1 : 0);
      const out = res[0].out;
      const ref = reference(c, X, y, w, b, out);
      const scale = (a: Float64Array) => Math.max(1, ...Array.from(a, Math.abs));
      const sG = scale(ref.G), sM = scale(ref.M);
      for (let d = 0; d < k; d++) {
        for (let e = 0; e <= d; e++) {
          expect(Math.abs(out[d * k + e] - ref.G[d * k + e]), label).toBeLessThanOrEqual(1e-12 * sG * c.n);
          if (c.meat) expect(Math.abs(out[k * k + d * k + e] - ref.M[d * k + e]), label).toBeLessThanOrEqual(1e-12 * sM * c.n);
          else expect(out[k * k + d * k + e]).toBe(0);
          entries++;
        }
      }
      expect(Math.abs(out[2 * k * k + k] - ref.rss)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref.rss) * c.n);
    }
    // every case on every backend (wasm-release, wasm-debug, js), and the lower triangle of each Gram
    expect(compared).toBe(cases.length * 3);
    expect(entries).toBe(cases.reduce((t, c) => { const k = c.p + (c.intercept ? 1 : 0); return t + (k * (k + 1)) / 2; }, 0));
  });
});
