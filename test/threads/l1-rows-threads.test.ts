// The L1 solver's own passes over the rows on the thread pool (assembly/l1-rows.ts, PASS_L1_ROWS:
// residuals and the refresh's labels, the gradient's per-block partials, column scales, the edge
// image) and the globbing driver's membership, verification and reduced-problem listing passes
// (assembly/l1-glob.ts, PASS_L1_GLOB): split into fixed 16384-row items whatever the thread count, so
// lad / quantile are bit-identical for 1, 2 and 3 threads and to the single-threaded twin — on an
// integer design (ties: zeroed residuals, verification's tied rows), weights with zeros, an f32
// Dataset, and the plain simplex on all rows (globbing forced off its levels, so every pivot's edge
// image is a split pass). A fit cancelled in the middle of its passes leaves the pool usable.
// (Skipped in the 'debug' project: there init() loaded the debug build first, and init() is once
// per process.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, lad, quantile, type QuantileOptions } from '../../src/index.js';
import { passTiming, threadStats } from '../../src/backend/runtime.js';
import { rng } from '../helpers/close.js';
import { l1Bits as bits, threadsProblem, type L1ThreadFit as Fit } from '../helpers/l1-problem.js';
import { same } from '../helpers/robust-chunks.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';
const PASS_L1_GLOB = 11;
const PASS_L1_ROWS = 40;

/** n x p design: integer entries and responses (`integer`), else continuous; Cauchy noise. */
const data = (n: number, p: number, seed: number, integer: boolean) => threadsProblem(rng(seed), n, p, integer);


/** Runs `fit` with the pass timer on (the pool still runs the items on 2+ threads) and returns the
 *  result and the calls of each pass id. */
function counted<T>(fit: () => T): [T, Record<number, { calls: number; items: number }>] {
  passTiming(true);
  try {
    const r = fit();
    return [r, passTiming(false)];
  } finally {
    passTiming(false);
  }
}

describe.skipIf(debug)('L1 row passes on the thread pool: 1, 2, 3 threads = twin, bit for bit', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  for (const [what, n, p, integer] of [['integer design', 60001, 4, true], ['continuous', 50000, 7, false]] as const) {
    it(`${what} n = ${n}, p = ${p} (globbing): lad, weights with zeros, tau 0.2`, () => {
      const d = data(n, p, n + p, integer);
      const variants: Array<[string, QuantileOptions]> = [
        ['tau 0.5', { tau: 0.5 }], ['weights', { tau: 0.5, weights: d.weights }], ['tau 0.2', { tau: 0.2 }],
      ];
      for (const [v, o] of variants) {
        const ref = bits(quantile(d.X, d.y, { ...o, backend: 'js' }) as unknown as Fit);
        expect(ref[ref.length - 1], `${v}: the fit globbed`).toBeGreaterThan(0);
        for (const t of [1, 2, 3]) {
          const [r, passes] = counted(() => quantile(d.X, d.y, { ...o, backend: 'wasm', threads: t }) as unknown as Fit);
          same(bits(r), ref, `${what} ${v} threads ${t}`);
          // the full-data refresh, certificate residuals and column scales are split (n > 16384 rows)
          expect(passes[PASS_L1_ROWS]?.calls ?? 0, `${v}: row passes ran as items`).toBeGreaterThan(0);
          expect(passes[PASS_L1_ROWS].items, `${v}: several items each`).toBeGreaterThanOrEqual(2 * passes[PASS_L1_ROWS].calls);
          expect(passes[PASS_L1_GLOB]?.calls ?? 0).toBeGreaterThan(0);
        }
      }
      const l = lad(d.X, d.y, { threads: 2 });
      expect(l.certificate.gap).toBeLessThanOrEqual(1e-9 * Math.max(1, l.objective));
    });
  }

  it('f32 Dataset, weighted, globbing: 1, 2, 3 threads = twin on the same f32 data', () => {
    const d = data(45000, 5, 7, false);
    const X32 = { ...d.X, data: d.X.data.map(Math.fround) }; // what the f32 Dataset holds
    const ref = bits(quantile(X32, d.y, { tau: 0.35, weights: d.weights, backend: 'js' }) as unknown as Fit);
    const ds = Dataset.from(d.X, d.y, { precision: 'f32', weights: d.weights });
    try {
      for (const t of [1, 2, 3]) same(bits(quantile(ds, { tau: 0.35, threads: t }) as unknown as Fit), ref, `f32 threads ${t}`);
    } finally {
      ds.dispose();
    }
  });

  it('the plain simplex on all rows (no globbing levels): every pivot\'s passes split, same bits', () => {
    const n = 40000, p = 5;
    const d = data(n, p, 3, true);
    const out: Record<string, number[][]> = {};
    for (const backend of ['js', 'wasm'] as const) {
      const ds = Dataset.from(d.X, d.y, { backend });
      const k = ds.slot.backend.kernels;
      // smallest level = all rows: no level below to glob around, so the solve runs plainly on the
      // full problem (which still has the globbing area, and with it the passes' argument region)
      const old = k.l1_glob(0, n);
      try {
        out[backend] = [];
        for (const t of backend === 'js' ? [1] : [1, 2, 3]) {
          const [r, passes] = counted(() => lad(ds, backend === 'wasm' ? { threads: t } : {}) as unknown as Fit);
          expect(r.globRounds, 'no reduced problem was solved').toBe(0);
          expect(r.edgeSteps, 'pivots ran on the full data').toBeGreaterThan(5);
          if (backend === 'wasm') {
            // refresh (residuals + gradient), column scales, certificate and one edge image per pivot
            // on all rows — except the pivots the face restriction (assembly/l1-simplex.ts pivotLoop)
            // runs on the rows near zero, whose edge images are split only when those are many
            expect(passes[PASS_L1_ROWS]?.calls ?? 0).toBeGreaterThan(0);
          }
          out[backend].push(bits(r));
        }
      } finally {
        k.l1_glob(old, 0);
        ds.dispose();
      }
    }
    for (let t = 0; t < 3; t++) same(out.wasm[t], out.js[0], `plain simplex threads ${t + 1}`);
  });

  it('n = 18000 (two chunks, below the globbing threshold: no argument region, the passes run as loops): twin bits', () => {
    const d = data(18000, 3, 5, true);
    for (const o of [{ tau: 0.5 }, { tau: 0.8, weights: d.weights }] as QuantileOptions[]) {
      const ref = bits(quantile(d.X, d.y, { ...o, backend: 'js' }) as unknown as Fit);
      expect(ref[ref.length - 1], 'no globbing').toBe(0);
      for (const t of [1, 3]) same(bits(quantile(d.X, d.y, { ...o, threads: t }) as unknown as Fit), ref, `n 18000 threads ${t}`);
    }
  });

  it('a fit cancelled between its passes leaves the pool usable (same bits afterwards)', () => {
    const d = data(60000, 6, 11, false);
    const ref = bits(lad(d.X, d.y, { backend: 'js' }) as unknown as Fit);
    for (const t of [2, 3]) {
      const ac = new AbortController();
      expect(() => lad(d.X, d.y, { threads: t, signal: ac.signal, onProgress: () => ac.abort() })).toThrow(/cancel/);
      expect(threadStats().usable).toBe(true);
      same(bits(lad(d.X, d.y, { threads: t }) as unknown as Fit), ref, `after a cancelled fit, threads ${t}`);
    }
  });
});
