// nid_gram (assembly/nid.ts, twin src/twin/nid.ts): summary's nid covariance pass after the refits —
// the fitted differences, the densities, the weights ω_m = μw², ω_b = fμw² and the Gram matrices of the
// shifted design with both weights, in one read of X. It replaced a nid_rows pass, a JavaScript
// density loop and two hc_pass calls; every backend (WASM release, debug, TypeScript twin) returns,
// bit for bit, what that sequence returned — f64 and f32 X, with observation weights (some 0), with
// multiplicities, crossing and coinciding fits (zero densities), row counts around the blocks — and a
// sum that overflows is STATUS_NUMERICAL.
import { beforeAll, describe, expect, it } from 'vitest';
import { STATUS_NUMERICAL, STATUS_OK } from '../../src/abi/status.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';

let backends: TestBackend[] = [];
beforeAll(async () => {
  backends = await allBackends();
});

const EPS = Math.sqrt(Number.EPSILON);

interface Case { n: number; p: number; X: Float64Array; f32: boolean; w: Float64Array | null; m: Float64Array | null; c: number; a: Float64Array; h: number }

/** nid_gram on backend tb: its status, output (G_m, G_b, shifts, counts) and ω_m, ω_b. */
function gram(tb: TestBackend, cs: Case) {
  const { n, p } = cs;
  const k = tb.backend.kernels;
  const mark = tb.arena.mark();
  try {
    const outLen = 2 * (p + 1) ** 2 + p + 5;
    const [pX, pW, pM, pA, pOm, pOb, pOut, pWk] = tb.arena.allocMany([(cs.f32 ? 4 : 8) * n * p, 8 * n, 8 * n, 8 * p, 8 * n, 8 * n,
      8 * outLen, k.nid_gram_work_bytes(n, p)]);
    const f = tb.backend.f64();
    if (cs.f32) new Float32Array(f.buffer).set(Float32Array.from(cs.X), pX >>> 2);
    else f.set(cs.X, pX >>> 3);
    if (cs.w) f.set(cs.w, pW >>> 3);
    if (cs.m) f.set(cs.m, pM >>> 3);
    f.set(cs.a, pA >>> 3);
    f.fill(NaN, pOm >>> 3, (pOb >>> 3) + n); // every weight must be written
    const status = k.nid_gram(n, p, pX, cs.w ? pW : 0, cs.m ? pM : 0, cs.c, pA, cs.h, pOm, pOb, pOut, pWk, cs.f32 ? 1 : 0);
    const g = tb.backend.f64();
    return {
      status, out: g.slice(pOut >>> 3, (pOut >>> 3) + outLen),
      om: g.slice(pOm >>> 3, (pOm >>> 3) + n), ob: g.slice(pOb >>> 3, (pOb >>> 3) + n),
    };
  } finally {
    tb.arena.release(mark);
  }
}

/** The sequence nid_gram replaced, on backend tb: nid_rows (dy), the density loop, hc_pass with ω_m, with ω_b. */
function before(tb: TestBackend, cs: Case) {
  const { n, p } = cs;
  const kk = p + 1;
  const k = tb.backend.kernels;
  const mark = tb.arena.mark();
  try {
    const hcLen = 2 * kk * kk + kk + 4 + p + 1;
    const [pX, pY, pA, pDy, pOm, pOb, pB, pOut, pWk] = tb.arena.allocMany([(cs.f32 ? 4 : 8) * n * p, 8 * n, 8 * p, 8 * n, 8 * n, 8 * n,
      8 * kk, 8 * hcLen, k.hc_work_bytes(n, p)]);
    let f = tb.backend.f64();
    if (cs.f32) new Float32Array(f.buffer).set(Float32Array.from(cs.X), pX >>> 2);
    else f.set(cs.X, pX >>> 3);
    f.set(cs.a, pA >>> 3);
    f.fill(0, pY >>> 3, (pY >>> 3) + n); // hc_pass's y: its r and rss are not used
    k.nid_rows(n, p, pX, 0, cs.c, pA, pDy, cs.f32 ? 1 : 0);
    f = tb.backend.f64();
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const wi = cs.w ? cs.w[i] : 1, m = cs.m ? cs.m[i] : 1;
      if (!(wi > 0)) { f[(pOm >>> 3) + i] = 0; f[(pOb >>> 3) + i] = 0; continue; }
      const dyhat = wi * f[(pDy >>> 3) + i];
      if (dyhat <= 0) counts[0] += m;
      if (dyhat <= EPS) counts[1] += m;
      const fi = dyhat <= EPS ? 0 : (2 * cs.h) / (dyhat - EPS);
      const w2 = m * wi * wi;
      f[(pOm >>> 3) + i] = w2;
      f[(pOb >>> 3) + i] = fi * w2;
      counts[2]++;
      if (fi * w2 > 0) { counts[3]++; counts[4] += m; }
    }
    f.fill(0, pB >>> 3, (pB >>> 3) + kk);
    const G: Float64Array[] = [];
    let shift = new Float64Array(p);
    for (const pw of [pOm, pOb]) {
      expect(k.hc_pass(n, p, pX, pY, pw, 1, pB, 0, pOut, pWk, cs.f32 ? 1 : 0)).toBe(STATUS_OK);
      const o = tb.backend.f64().slice(pOut >>> 3, (pOut >>> 3) + hcLen);
      G.push(o.slice(0, kk * kk));
      shift = o.slice(2 * kk * kk + kk + 4, 2 * kk * kk + kk + 4 + p);
    }
    const g = tb.backend.f64();
    return {
      out: Float64Array.from([...G[0], ...G[1], ...shift, ...counts]),
      om: g.slice(pOm >>> 3, (pOm >>> 3) + n), ob: g.slice(pOb >>> 3, (pOb >>> 3) + n),
    };
  } finally {
    tb.arena.release(mark);
  }
}

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`${what}: entry ${i}: ${a[i]} vs ${b[i]}`);
}

describe('nid_gram', () => {
  it('returns bit for bit what nid_rows, the density loop and two hc_pass calls returned, on every backend', () => {
    expect(backends.map((b) => b.label)).toEqual(['wasm-release', 'wasm-debug', 'js']);
    let compared = 0, seed = 7;
    for (const n of [1, 2, 3, 5, 511, 512, 513, 1030, 2001]) {
      for (const p of [1, 3, 8]) {
        for (const kind of ['plain', 'weights', 'multiplicities', 'f32'] as const) {
          const r = rng(seed++);
          const X = new Float64Array(n * p);
          for (let t = 0; t < n * p; t++) X[t] = t % 4 === 0 ? Math.floor(r() * 5) - 2 : 3 + (r() - 0.5) * 10 ** Math.floor(r() * 3);
          const a = Float64Array.from({ length: p }, (_, j) => (j === 1 ? 0 : (r() - 0.3) * 0.02));
          const w = kind === 'weights' ? Float64Array.from({ length: n }, () => (r() < 0.15 ? 0 : 0.2 + 2 * r())) : null;
          const m = kind === 'multiplicities' ? Float64Array.from({ length: n }, () => 1 + Math.floor(r() * 4)) : null;
          // c = −(intercept difference): positive differences mostly, some crossing (dy ≤ 0) and some ~0
          const cs: Case = { n, p, X, f32: kind === 'f32', w, m, c: -0.05 * (r() + 0.2), a, h: 0.01 + 0.05 * r() };
          const outs: Float64Array[] = [];
          for (const tb of backends) {
            const got = gram(tb, cs), ref = before(tb, cs);
            const what = `${tb.label} n ${n} p ${p} ${kind}`;
            expect(got.status, what).toBe(STATUS_OK);
            sameBits(got.out, ref.out, `${what}: output`);
            sameBits(got.om, ref.om, `${what}: ω_m`);
            sameBits(got.ob, ref.ob, `${what}: ω_b`);
            outs.push(got.out);
            compared++;
          }
          sameBits(outs[1], outs[0], `n ${n} p ${p} ${kind}: debug vs release`);
          sameBits(outs[2], outs[0], `n ${n} p ${p} ${kind}: twin vs release`);
        }
      }
    }
    expect(compared).toBe(9 * 3 * 4 * 3);
  });

  it('counts crossing and coinciding fits, and returns STATUS_NUMERICAL when a sum overflows', () => {
    const n = 6, p = 1;
    // dy = x: −1 and 0 (crossing), 1e-9 (coinciding to √ε), positive otherwise
    const X = Float64Array.from([-1, 0, 1e-9, 0.5, 1, 2]);
    const base: Case = { n, p, X, f32: false, w: null, m: Float64Array.from([2, 1, 3, 1, 1, 1]), c: 0, a: Float64Array.from([1]), h: 0.1 };
    for (const tb of backends) {
      const got = gram(tb, base);
      expect(got.status).toBe(STATUS_OK);
      expect(Array.from(got.out.subarray(2 * 4 + 1))).toEqual([3, 6, 6, 3, 3]);
      expect(Array.from(got.ob.subarray(0, 3))).toEqual([0, 0, 0]);
      expect(got.ob[3]).toBe((2 * 0.1) / (0.5 - EPS));
      const big = gram(tb, { ...base, X: Float64Array.from([1e300, -1e300, 1e300, 1, 2, 3]), m: null });
      expect(big.status, tb.label).toBe(STATUS_NUMERICAL);
    }
  });
});
