// nid_face (assembly/nid.ts, twin src/twin/nid.ts): summary's nid on tied data gathers the rows at zero
// residual (|r| ≤ tol, weight > 0) and sums the two sides of the others (W±, R± = Σ w r, S± = Σ w x,
// min |r| and max |x_j| over them) in one read of X (src/inference/quantile-dataset.ts faceRefits).
// Every backend (WASM release, debug, TypeScript twin) returns the same bits, equal to a plain
// row-by-row reference of the definition (same sums in row order) — f64 and f32 X, weights (some 0)
// and multiplicities, row counts around the 1024-row blocks, a cap below the count (only cap rows
// written, the count still returned), no row at zero (min |r| = +inf only when the other side is empty).
import { beforeAll, describe, expect, it } from 'vitest';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';

let backends: TestBackend[] = [];
beforeAll(async () => {
  backends = await allBackends();
});

interface Case { n: number; p: number; X: Float64Array; f32: boolean; y: Float64Array; r: Float64Array; w: Float64Array | null; m: Float64Array | null; tol: number; cap: number }

function face(tb: TestBackend, cs: Case) {
  const { n, p, cap } = cs;
  const k = tb.backend.kernels;
  const mark = tb.arena.mark();
  const mm = cap + 2, outLen = 5 + 3 * p;
  try {
    const [pX, pY, pR, pW, pM, pZ, pXz, pYz, pWz, pO] = tb.arena.allocMany([(cs.f32 ? 4 : 8) * n * p, 8 * n, 8 * n, 8 * n, 8 * n,
      4 * Math.max(cap, 1), 8 * mm * p, 8 * mm, 8 * mm, 8 * outLen]);
    const f = tb.backend.f64();
    if (cs.f32) new Float32Array(f.buffer).set(Float32Array.from(cs.X), pX >>> 2);
    else f.set(cs.X, pX >>> 3);
    f.set(cs.y, pY >>> 3);
    f.set(cs.r, pR >>> 3);
    if (cs.w) f.set(cs.w, pW >>> 3);
    if (cs.m) f.set(cs.m, pM >>> 3);
    f.fill(NaN, pXz >>> 3, (pXz >>> 3) + mm * p);
    const z = k.nid_face(n, p, pX, pY, pR, cs.w ? pW : 0, cs.m ? pM : 0, cs.tol, cap, mm, pZ, pXz, pYz, pWz, pO, cs.f32 ? 1 : 0);
    const g = tb.backend.f64();
    const w = Math.min(z, cap);
    const xz: number[] = [];
    for (let j = 0; j < p; j++) for (let t = 0; t < w; t++) xz.push(g[(pXz >>> 3) + j * mm + t]);
    return {
      z, idx: Array.from(new Int32Array(g.buffer, pZ, w)), xz, yz: Array.from(g.subarray(pYz >>> 3, (pYz >>> 3) + w)),
      wz: Array.from(g.subarray(pWz >>> 3, (pWz >>> 3) + w)), out: Array.from(g.subarray(pO >>> 3, (pO >>> 3) + outLen)),
    };
  } finally {
    tb.arena.release(mark);
  }
}

/** The definition, row by row (every sum in row order, the same products). */
function reference(cs: Case) {
  const { n, p, cap } = cs;
  const X = cs.f32 ? Float64Array.from(Float32Array.from(cs.X)) : cs.X;
  const out = new Array<number>(5 + 3 * p).fill(0);
  out[4] = Infinity;
  const idx: number[] = [], yz: number[] = [], wz: number[] = [];
  let z = 0;
  for (let i = 0; i < n; i++) {
    const wi = (cs.w ? cs.w[i] : 1) * (cs.m ? cs.m[i] : 1);
    if (!(wi > 0)) continue;
    const r = cs.r[i];
    if (Math.abs(r) <= cs.tol) {
      if (z < cap) { idx.push(i); yz.push(cs.y[i]); wz.push(wi); }
      z++;
      continue;
    }
    const s = r > 0 ? 0 : 1;
    out[s] += wi;
    out[2 + s] += wi * r;
    out[4] = Math.min(out[4], Math.abs(r));
  }
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      const wi = (cs.w ? cs.w[i] : 1) * (cs.m ? cs.m[i] : 1);
      const r = cs.r[i];
      if (!(wi > 0) || Math.abs(r) <= cs.tol) continue;
      const v = X[j * n + i];
      out[5 + (r > 0 ? 0 : p) + j] += wi * v;
      out[5 + 2 * p + j] = Math.max(out[5 + 2 * p + j], Math.abs(v));
    }
  }
  const xz: number[] = [];
  for (let j = 0; j < p; j++) for (const i of idx) xz.push(X[j * n + i]);
  return { z, idx, xz, yz, wz, out };
}

function makeCase(n: number, p: number, seed: number, o: { f32?: boolean; weights?: boolean; mult?: boolean; zeros?: number; cap?: number } = {}): Case {
  const r = rng(seed);
  const X = new Float64Array(n * p);
  for (let i = 0; i < n * p; i++) X[i] = Math.round(r() * 8 - 4) + (o.f32 ? 0.1 : r() * 1e-3);
  const y = new Float64Array(n), res = new Float64Array(n);
  const zeros = o.zeros ?? 0.3;
  for (let i = 0; i < n; i++) {
    y[i] = Math.round(r() * 20 - 10);
    const u = r();
    res[i] = u < zeros ? (u < zeros / 3 ? 0 : (r() - 0.5) * 1e-12) : (r() - 0.5) * 6;
  }
  const w = o.weights ? Float64Array.from({ length: n }, (_, i) => (i % 13 === 0 ? 0 : 0.25 + r())) : null;
  const m = o.mult ? Float64Array.from({ length: n }, () => 1 + Math.floor(r() * 4)) : null;
  const tol = 1e-9 * 10;
  let count = 0;
  for (let i = 0; i < n; i++) if (Math.abs(res[i]) <= tol && (w ? w[i] : 1) * (m ? m[i] : 1) > 0) count++;
  return { n, p, X, f32: o.f32 ?? false, y, r: res, w, m, tol, cap: o.cap ?? count };
}

describe('nid_face: the face and the sides, every backend the same bits as the definition', () => {
  const cases: [string, Case][] = [
    ['f64, 2500 rows (3 blocks), p 3', makeCase(2500, 3, 1)],
    ['f32 X, weights with zeros, 1024 rows', makeCase(1024, 4, 2, { f32: true, weights: true })],
    ['multiplicities and weights, 1025 rows', makeCase(1025, 2, 3, { weights: true, mult: true })],
    ['cap below the count: 5 rows written', makeCase(3000, 2, 4, { cap: 5 })],
    ['no row at zero', makeCase(700, 3, 5, { zeros: 0 })],
    ['every row at zero: the sides empty, min |r| +inf', makeCase(600, 2, 6, { zeros: 1.01 })],
  ];
  for (const [name, cs] of cases) {
    it(name, () => {
      const ref = reference(cs);
      if (name.startsWith('cap')) expect(ref.z).toBeGreaterThan(5);
      if (name.startsWith('no row')) expect(ref.z).toBe(0);
      if (name.startsWith('every')) expect(ref.out[4]).toBe(Infinity);
      for (const tb of backends) {
        const got = face(tb, cs);
        expect(got, tb.label).toEqual(ref);
        for (const [a, b] of [[got.out, ref.out], [got.xz, ref.xz]] as const) {
          expect(a.every((v, i) => Object.is(v, b[i])), `${tb.label}: same bits`).toBe(true);
        }
      }
    });
  }
});
