// MM and LTS on the thread pool (issue 21): their full-data passes run over fixed row chunks
// (assembly/lts.ts R_ROWS, assembly/mm.ts M_ROWS: 16384 rows; PASS_LTS / PASS_MM), so init({ threads: 3 })
// gives the same bits on 1, 2 and 3 threads, and the same bits as the twin — at n above the chunk size
// (several chunks, an odd last chunk), with the options the API offers (no intercept, alpha, seed,
// subsamples; MM's breakdown / efficiency and a given start), on f64 and f32 Datasets. A fit cancelled
// in the middle of a threaded pass sequence leaves the pool usable. (test/threads/robust-chunks.test.ts
// checks the single-threaded WASM build against the twin on the same chunked problems.)
// (Skipped in the 'debug' project: there init() loaded the debug build first, and init() is once per
// process.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, lts, mm, type LtsOptions, type MMOptions } from '../../src/index.js';
import { threadStats } from '../../src/backend/runtime.js';
import { robustData, ltsBits, mmBits, same } from '../helpers/robust-chunks.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

describe.skipIf(debug)('MM and LTS row chunks: twin = WASM on 1, 2, 3 threads, bit for bit', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  const cases: [number, number][] = [[16385, 2], [40001, 3]];
  for (const [n, p] of cases) {
    it(`lts n = ${n}, p = ${p}: default, no intercept, alpha 0.75, other seed and subsamples`, () => {
      const d = robustData(n, p, n + p);
      const variants: LtsOptions[] = [{}, { intercept: false }, { alpha: 0.75 }, { seed: 7, subsamples: 100 }];
      for (const [v, o] of variants.entries()) {
        const ref = ltsBits(lts(d.X, d.y, { ...o, backend: 'js' }));
        const jobs = threadStats().jobs;
        for (const t of [1, 2, 3]) same(ltsBits(lts(d.X, d.y, { ...o, backend: 'wasm', threads: t })), ref, `lts n ${n} p ${p} variant ${v} threads ${t}`);
        expect(threadStats().jobs, 'the 2- and 3-thread fits used the pool').toBeGreaterThan(jobs);
      }
    });
    it(`mm n = ${n}, p = ${p}: default, no intercept, breakdown / efficiency, a start`, () => {
      const d = robustData(n, p, 2 * n + p);
      const start = { coef: new Float64Array(p).fill(0.5), intercept: 1, scale: 2 };
      const variants: MMOptions[] = [{}, { intercept: false }, { breakdown: 0.3, efficiency: 0.9, seed: 11 }, { start }];
      for (const [v, o] of variants.entries()) {
        const ref = mmBits(mm(d.X, d.y, { ...o, backend: 'js' }));
        const jobs = threadStats().jobs;
        for (const t of [1, 2, 3]) same(mmBits(mm(d.X, d.y, { ...o, backend: 'wasm', threads: t })), ref, `mm n ${n} p ${p} variant ${v} threads ${t}`);
        expect(threadStats().jobs, 'the 2- and 3-thread fits used the pool').toBeGreaterThan(jobs);
      }
    });
  }

  it('f32 Datasets: lts and mm on 1 and 3 threads = the twin on the same data', () => {
    const d = robustData(33000, 3, 5);
    const on = <T>(backend: 'wasm' | 'js', f: (ds: Dataset) => T): T => {
      const ds = Dataset.from(d.X, d.y, { precision: 'f32', backend });
      try {
        return f(ds);
      } finally {
        ds.dispose();
      }
    };
    const refLts = on('js', (ds) => ltsBits(lts(ds)));
    const refMm = on('js', (ds) => mmBits(mm(ds)));
    for (const t of [1, 3]) {
      same(on('wasm', (ds) => ltsBits(lts(ds, { threads: t }))), refLts, `f32 lts threads ${t}`);
      same(on('wasm', (ds) => mmBits(mm(ds, { threads: t }))), refMm, `f32 mm threads ${t}`);
    }
  });

  it('a cancelled fit leaves the pool usable (same bits afterwards)', () => {
    // onProgress aborts at its first call: for lts that is after the threaded passes of its rank check
    // (l2 on all rows) and before the search's chunk passes — a fit stopped between threaded passes;
    // for mm it is in the S stage's subsample search (before its full-data passes).
    const d = robustData(40001, 3, 9);
    for (const fit of [lts, mm] as const) {
      const run = (o: LtsOptions & MMOptions = {}) => (fit === lts ? ltsBits(lts(d.X, d.y, { threads: 3, ...o })) : mmBits(mm(d.X, d.y, { threads: 3, ...o })));
      const ref = run();
      const ac = new AbortController();
      const jobs0 = threadStats().jobs;
      let jobsAtAbort = -1;
      expect(() => run({
        signal: ac.signal,
        onProgress: () => {
          if (jobsAtAbort < 0) jobsAtAbort = threadStats().jobs;
          ac.abort();
        },
      })).toThrow(/cancel/);
      if (fit === lts) expect(jobsAtAbort, 'lts: threaded passes ran before the abort').toBeGreaterThan(jobs0);
      expect(jobsAtAbort).toBeGreaterThanOrEqual(jobs0);
      expect(threadStats().usable).toBe(true);
      same(run(), ref, `${fit.name} after a cancelled fit`);
      expect(threadStats().jobs).toBeGreaterThan(jobsAtAbort);
    }
  });
});
