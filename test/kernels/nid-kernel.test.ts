// nid's linear pass (assembly/nid.ts, twin src/twin/nid.ts): out_i = (y_i − c) + Σ_j x_ij a_j summed
// left to right (no y: −c + …), the fit's residuals and the refits' fitted differences in
// summary(result, dataset, { se: 'nid' }). Every backend (WASM release, debug, TypeScript twin)
// returns, bit for bit, what the row-by-row JavaScript loop it replaced returned — on f64 and f32
// storage, with and without y, for row counts around the kernel's block and its row pairs — and
// leaves its inputs untouched. Columns with a_j = 0 are skipped (as the L1 kernel's residual pass
// skips b_j = 0); with pMax the same pass returns max |y_i| and max |x_ij| per column.
import { beforeAll, describe, expect, it } from 'vitest';
import { STATUS_OK } from '../../src/abi/status.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';

let backends: TestBackend[] = [];
beforeAll(async () => {
  backends = await allBackends();
});

/** The loop the kernel replaced (src/inference/quantile-dataset.ts before): row by row, in a register. */
function reference(X: Float64Array | Float32Array, n: number, p: number, y: Float64Array | null, c: number, a: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y !== null ? y[i] - c : -c;
    for (let j = 0, o = i; j < p; j++, o += n) s += X[o] * a[j];
    out[i] = s;
  }
  return out;
}

function run(tb: TestBackend, n: number, p: number, X: Float64Array, f32: boolean, y: Float64Array | null, c: number, a: Float64Array,
  maxima = false) {
  const kern = tb.backend.kernels;
  const mark = tb.arena.mark();
  try {
    const [pX, pY, pA, pOut, pMax] = tb.arena.allocMany([(f32 ? 4 : 8) * n * p, 8 * n, 8 * Math.max(p, 1), 8 * n, 8 * (p + 1)]);
    if (f32) new Float32Array(tb.backend.f64().buffer).set(Float32Array.from(X), pX >>> 2);
    else tb.backend.f64().set(X, pX >>> 3);
    const f = tb.backend.f64();
    if (y) f.set(y, pY >>> 3);
    f.set(a, pA >>> 3);
    f.fill(NaN, pOut >>> 3, (pOut >>> 3) + n); // every output row must be written
    f.fill(NaN, pMax >>> 3, (pMax >>> 3) + p + 1); // every maximum too
    const before = f.slice(pX >>> 3, pOut >>> 3);
    const status = kern.nid_rows(n, p, pX, y ? pY : 0, c, pA, pOut, f32 ? 1 : 0, maxima ? pMax : 0);
    const g = tb.backend.f64();
    const after = g.slice(pX >>> 3, pOut >>> 3);
    if (!after.every((v, i) => Object.is(v, before[i]))) throw new Error(`${tb.label}: nid_rows modified its inputs`);
    return { status, out: g.slice(pOut >>> 3, (pOut >>> 3) + n), max: g.slice(pMax >>> 3, (pMax >>> 3) + p + 1) };
  } finally {
    tb.arena.release(mark);
  }
}

describe('nid_rows', () => {
  it('every backend returns the bits of the row-by-row loop (f64 and f32 X, with and without y)', () => {
    expect(backends.map((b) => b.label)).toEqual(['wasm-release', 'wasm-debug', 'js']);
    let compared = 0;
    let seed = 1;
    for (const n of [0, 1, 2, 3, 1023, 1024, 1025, 2049, 5001]) {
      for (const p of [0, 1, 4, 10]) {
        for (const f32 of [false, true]) {
          for (const withY of [true, false]) {
            const r = rng(seed++);
            const X = new Float64Array(n * p), y = new Float64Array(n), a = new Float64Array(p);
            // mixed magnitudes (and integers, as in integer designs): the order of the sums shows in the bits
            for (let t = 0; t < n * p; t++) X[t] = t % 3 === 0 ? Math.floor(r() * 5) - 2 : (r() - 0.5) * 10 ** Math.floor(r() * 6);
            for (let i = 0; i < n; i++) y[i] = (r() - 0.5) * 1e3;
            for (let j = 0; j < p; j++) a[j] = (r() - 0.5) * 10 ** (j % 4 - 2);
            const c = (r() - 0.5) * 7;
            const Xs = f32 ? Float32Array.from(X) : X;
            const ref = reference(Xs, n, p, withY ? y : null, c, a);
            for (const tb of backends) {
              const { status, out } = run(tb, n, p, X, f32, withY ? y : null, c, a);
              expect(status).toBe(STATUS_OK);
              for (let i = 0; i < n; i++) {
                if (!Object.is(out[i], ref[i])) throw new Error(`${tb.label} n ${n} p ${p} f32 ${f32} y ${withY}: row ${i}: ${out[i]} vs ${ref[i]}`);
              }
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(9 * 4 * 2 * 2 * 3);
  });
});

describe('nid_rows: zero coefficients and the maxima (l1_fit\'s pStartR)', () => {
  it('skips the columns with a_j = 0 and returns max |y_i|, max |x_ij| — the L1 kernel\'s residual pass and maxima', () => {
    let compared = 0;
    let seed = 1000;
    for (const n of [1, 2, 5, 1023, 1025, 3001]) {
      for (const p of [1, 3, 6]) {
        for (const f32 of [false, true]) {
          const r = rng(seed++);
          const X = new Float64Array(n * p), y = new Float64Array(n), b = new Float64Array(p);
          for (let t = 0; t < n * p; t++) X[t] = (r() - 0.5) * 10 ** Math.floor(r() * 4);
          for (let i = 0; i < n; i++) y[i] = (r() - 0.5) * 1e3;
          for (let j = 0; j < p; j++) b[j] = j % 2 === 0 ? 0 : (r() - 0.5) * 3;
          const b0 = (r() - 0.5) * 5;
          const Xs = f32 ? Float32Array.from(X) : X;
          // the L1 kernel's residual pass (assembly/l1-glob.ts residualRows): (y − b0) − b_j x_ij over b_j ≠ 0
          const ref = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            let s = y[i] - b0;
            for (let j = 0; j < p; j++) if (b[j] !== 0) s = s - b[j] * Xs[j * n + i];
            ref[i] = s;
          }
          const maxRef = new Float64Array(p + 1);
          for (let i = 0; i < n; i++) maxRef[0] = Math.max(maxRef[0], Math.abs(y[i]));
          for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) maxRef[1 + j] = Math.max(maxRef[1 + j], Math.abs(Xs[j * n + i]));
          const a = b.map((v) => -v);
          for (const tb of backends) {
            for (const maxima of [true, false]) {
              const { status, out, max } = run(tb, n, p, X, f32, y, b0, a, maxima);
              expect(status).toBe(STATUS_OK);
              for (let i = 0; i < n; i++) {
                if (!Object.is(out[i], ref[i])) throw new Error(`${tb.label} n ${n} p ${p} f32 ${f32}: row ${i}: ${out[i]} vs ${ref[i]}`);
              }
              // with pMax the maxima, without it the region untouched (NaN)
              for (let j = 0; j <= p; j++) expect(maxima ? max[j] : NaN, `${tb.label} n ${n} p ${p} max ${j}`).toBe(maxima ? maxRef[j] : max[j]);
            }
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(6 * 3 * 2 * 3);
  });
});
