// lts_resid (assembly/lts.ts and its twin src/twin/lts.ts): the residuals y - b0 - X b that lts()'s
// reweighting rule needs (the raw fit's, then the reweighted fit's), computed by the kernel over the
// row chunks of the search's full-data passes instead of in JavaScript. Kernel level: every backend
// (WASM release, WASM debug, twin) gives, bit for bit, the residuals of the column-by-column
// JavaScript loop src/fit/lts.ts used before ((y - b0) - x_1 b_1 - x_2 b_2 ..., no FMA), on f64 and
// f32 X, across chunk boundaries (16384 rows), and writes nothing outside pR. API level: on init({
// threads: 3 }) the whole weights vector of lts() is the same on the twin and on 1, 2, 3 threads.
import { beforeAll, describe, expect, it } from 'vitest';
import { init, lts } from '../../src/index.js';
import { threadStats } from '../../src/backend/runtime.js';
import { allBackends } from '../helpers/backends.js';
import { robustData } from '../helpers/robust-chunks.js';
import { rng } from '../helpers/close.js';

/** The former src/fit/lts.ts residualsOf: column by column, in row order. */
function reference(cols: Float64Array[], y: Float64Array, c: Float64Array): Float64Array {
  const n = y.length;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = y[i] - c[0];
  cols.forEach((x, j) => {
    for (let i = 0; i < n; i++) r[i] = r[i] - x[i] * c[j + 1];
  });
  return r;
}

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect.fail(`${what}: row ${i}: ${a[i]} vs ${b[i]}`);
  }
}

describe('lts_resid: residuals of the kernel = the former JavaScript loop, bit for bit', () => {
  for (const [n, p] of [[7, 1], [16384, 2], [16385, 3], [40003, 5]] as const) {
    for (const f32 of [false, true]) {
      it(`n = ${n}, p = ${p}, X ${f32 ? 'f32' : 'f64'}, every backend`, async () => {
        const rand = rng(n * 31 + p + (f32 ? 1 : 0));
        const cols = Array.from({ length: p }, () => {
          const x = Float64Array.from({ length: n }, () => (rand() - 0.5) * 1e3 * rand());
          return f32 ? Float64Array.from(Float32Array.from(x)) : x;
        });
        const y = Float64Array.from({ length: n }, () => rand() * 77 - 3);
        const c = Float64Array.from({ length: p + 1 }, () => (rand() - 0.5) * 3);
        const want = reference(cols, y, c);
        for (const tb of await allBackends()) {
          const k = tb.backend.kernels;
          const mark = tb.arena.mark();
          try {
            const xb = f32 ? 4 : 8;
            const [pX, pY, pC, pR, guard, pWork] = tb.arena.allocMany([xb * n * p, 8 * n, 8 * (p + 1), 8 * n, 16, k.lts_work_bytes(n, p)]);
            const buf = tb.backend.f64().buffer;
            const xv = f32 ? new Float32Array(buf, pX, n * p) : new Float64Array(buf, pX, n * p);
            cols.forEach((x, j) => xv.set(x, j * n));
            const f = tb.backend.f64();
            f.set(y, pY >>> 3);
            f.set(c, pC >>> 3);
            f.fill(-0.5, guard >>> 3, (guard >>> 3) + 2);
            k.lts_resid(n, p, pX, pY, pC, pR, pWork, f32 ? 1 : 0);
            const g = tb.backend.f64();
            sameBits(g.slice(pR >>> 3, (pR >>> 3) + n), want, `${tb.label}`);
            expect(Array.from(g.slice(guard >>> 3, (guard >>> 3) + 2)), `${tb.label}: past pR`).toEqual([-0.5, -0.5]);
            sameBits(g.slice(pY >>> 3, (pY >>> 3) + n), y, `${tb.label}: y untouched`);
          } finally {
            tb.arena.release(mark);
          }
        }
      });
    }
  }
});

const debug = process.env.ROBUSTREG_WASM === 'debug';

describe.skipIf(debug)('lts weights and outliers: twin = WASM on 1, 2, 3 threads, every row', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  it('n = 40001, p = 3 (3 chunks): default and no intercept', () => {
    const d = robustData(40001, 3, 9);
    for (const o of [{}, { intercept: false }]) {
      const ref = lts(d.X, d.y, { ...o, backend: 'js' });
      const jobs = threadStats().jobs;
      for (const t of [1, 2, 3]) {
        const r = lts(d.X, d.y, { ...o, backend: 'wasm', threads: t });
        sameBits(r.weights, ref.weights, `weights ${JSON.stringify(o)} threads ${t}`);
        expect(Array.from(r.outliers).join(''), `outliers threads ${t}`).toBe(Array.from(ref.outliers).join(''));
        expect([r.scale, r.raw.scale, r.objective, r.intercept]).toEqual([ref.scale, ref.raw.scale, ref.objective, ref.intercept]);
      }
      expect(threadStats().jobs, 'the 2- and 3-thread fits used the pool').toBeGreaterThan(jobs);
    }
  });
});
