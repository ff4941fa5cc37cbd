// init({ threads }): block passes split across a pool of workers on one shared memory. Results must
// be bit-identical for every thread count and equal to the TypeScript twin (fixed row chunks, fixed
// reduction order); errors in a worker fail the fit with a typed error and leave the pool usable;
// memory stays bounded across fits. (Skipped in the 'debug' project: there init() loaded the debug
// build first, and init() is once per process.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, RobustRegError, fitAsync, huber, init, memoryStats, ols, type InitResult } from '../../src/index.js';
import { killThreadForTest, runTestPass, threadStats } from '../../src/backend/runtime.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function problem(n: number, p: number, seed: number): { X: { data: Float64Array; rows: number; cols: number; layout: 'column-major' }; y: Float64Array; w: Float64Array } {
  const r = rng(seed);
  const data = new Float64Array(n * p);
  for (let i = 0; i < n * p; i++) data[i] = r() * 10 - 5 + (i % 7) * 1e3;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 3;
    for (let j = 0; j < p; j++) s += (j + 1) * data[j * n + i];
    y[i] = s + (r() - 0.5) * 4;
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = i % 11 === 0 ? 0 : 0.5 + r();
  return { X: { data, rows: n, cols: p, layout: 'column-major' }, y, w };
}

function bits(r: { coef: ArrayLike<number>; intercept: number; objective: number }): string {
  const f = new Float64Array([r.intercept, r.objective, ...Array.from(r.coef)]);
  return Buffer.from(f.buffer).toString('hex');
}

describe.skipIf(debug)('threads', () => {
  let res: InitResult;
  beforeAll(async () => {
    res = await init({ threads: 3, warmup: false });
  });

  it('init({ threads: 3 }) starts a pool of 3 participants', () => {
    expect(res.backend).toBe('wasm');
    expect(res.threads).toBe(3);
    expect(res.threadsReason).toBeUndefined();
    expect(threadStats().threads).toBe(3);
  });

  it('rejects bad thread counts (init and fit)', async () => {
    await expect(init({ threads: 0 })).rejects.toThrow(/threads/);
    await expect(init({ threads: 1.5 })).rejects.toThrow(/threads/);
    const { X, y } = problem(50, 2, 1);
    expect(() => ols(X, y, { threads: 0 })).toThrow(RobustRegError);
    expect(() => ols(X, y, { threads: 'auto' as unknown as number })).toThrow(/threads/);
  });

  // n around the chunk size (4,096 rows at p <= 20: 8 blocks of 512), several chunks, odd n.
  const shapes: Array<[number, number]> = [[1000, 3], [4096, 2], [4097, 5], [20_001, 1], [50_000, 20], [123_457, 7]];
  for (const [n, p] of shapes) {
    it(`ols and ridge n=${n} p=${p}: 1, 2, 3 threads and the twin are bit-identical`, () => {
      const { X, y, w } = problem(n, p, n + p);
      let compared = 0;
      for (const opts of [{}, { weights: w }, { ridge: 0.3 }, { intercept: false }, { weights: w, ridge: 2 }]) {
        const ref = bits(ols(X, y, { ...opts, backend: 'js' }));
        const jobs = threadStats().jobs;
        for (const threads of [1, 2, 3]) {
          expect(bits(ols(X, y, { ...opts, threads })), `threads ${threads} ${JSON.stringify(Object.keys(opts))}`).toBe(ref);
          compared++;
        }
        // several chunks: the 2- and 3-thread fits ran their passes on the pool
        if (n > 4096 * 2) expect(threadStats().jobs).toBeGreaterThan(jobs);
      }
      expect(compared).toBe(15);
    });
  }

  it('a Dataset (f64 and f32) gives the same bits on 1, 2, 3 threads', () => {
    const { X, y } = problem(60_000, 6, 9);
    let compared = 0;
    for (const precision of ['f64', 'f32'] as const) {
      const ds = Dataset.from(X, y, { precision });
      try {
        const ref = bits(ols(ds, { threads: 1 }));
        for (const threads of [2, 3]) {
          expect(bits(ols(ds, { threads }))).toBe(ref);
          compared++;
        }
      } finally {
        ds.dispose();
      }
    }
    expect(compared).toBe(4);
  });

  it('an error in a worker fails the pass with a typed error; the pool stays usable', () => {
    const { X, y } = problem(30_000, 4, 3);
    const before = bits(ols(X, y));
    let err: unknown = null;
    try {
      runTestPass(5_000_000); // enough items that a worker wakes before this thread has taken them all
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RobustRegError);
    expect((err as RobustRegError).code).toBe('INTERNAL');
    expect((err as RobustRegError).message).toMatch(/thread [12] of the pool failed/);
    expect(bits(ols(X, y))).toBe(before);
  });

  it('a cancelled fit leaves the pool usable', () => {
    const { X, y } = problem(30_000, 4, 4);
    const ac = new AbortController();
    ac.abort();
    expect(() => huber(X, y, { signal: ac.signal })).toThrow(/cancel/);
    const ref = bits(ols(X, y, { backend: 'js' }));
    expect(bits(ols(X, y))).toBe(ref);
  });

  it('repeated fits reuse the pool and the memory', () => {
    const { X, y } = problem(40_000, 8, 5);
    ols(X, y);
    const mem = memoryStats().wasm;
    const jobs = threadStats().jobs;
    const ref = bits(ols(X, y));
    for (let k = 0; k < 15; k++) expect(bits(ols(X, y, { threads: 1 + (k % 3) }))).toBe(ref);
    expect(memoryStats().wasm).toBe(mem);
    expect(memoryStats().wasmInUse).toBe(0);
    expect(threadStats().jobs).toBeGreaterThan(jobs + 15);
  });

  it('huber (l2 solves inside IRLS) gives the same bits on 1 and 3 threads', () => {
    const { X, y } = problem(30_000, 5, 6);
    const a = huber(X, y, { threads: 1 });
    const b = huber(X, y, { threads: 3 });
    expect(bits(b)).toBe(bits(a));
  });

  it('fitAsync keeps working (its worker runs the threaded module on one thread)', async () => {
    const { X, y } = problem(20_000, 3, 7);
    const r = await fitAsync(X, y, { loss: 'l2' });
    expect(bits(r)).toBe(bits(ols(X, y)));
  });

  // (test/threads/pool-faults.test.ts: workers failing and dying in the middle of fits)
  it('a worker that dies: the pool runs on the live threads at once, same bits, and replaces it', async () => {
    const { X, y } = problem(50_000, 6, 8);
    const ref = bits(ols(X, y, { backend: 'js' }));
    expect(threadStats()).toMatchObject({ usable: true, live: 3 });
    killThreadForTest(2);
    expect(threadStats().live).toBe(2);
    const jobs = threadStats().jobs;
    expect(bits(ols(X, y))).toBe(ref);
    expect(threadStats().jobs).toBeGreaterThan(jobs);
    for (let k = 0; k < 1000 && threadStats().live < 3; k++) await new Promise((r) => setTimeout(r, 20));
    expect(threadStats()).toMatchObject({ usable: true, live: 3, replaced: 1 });
    expect(bits(ols(X, y))).toBe(ref);
  });
});
