// Dataset handle (copy once, fit many times), builder from chunks, dispose, fitAsync in a worker
// (progress, cancel, typed errors across the boundary).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset, RobustRegError, fit, fitAsync, init, lad, memoryStats, ols, quantile, terminateWorkers } from '../../src/index.js';
import { expectRel, expectVecRel, rng } from '../helpers/close.js';

function synth(n: number, p: number, seed: number): { X: number[][]; y: number[] } {
  const r = rng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, () => r() * 4 - 2);
    X.push(row);
    const noise = (r() - 0.5) * (r() < 0.1 ? 50 : 1);
    y.push(1 + row.reduce((s, v, j) => s + v * (j + 1), 0) + noise);
  }
  return { X, y };
}

beforeAll(async () => {
  await init();
});
afterAll(() => terminateWorkers());

describe('Dataset', () => {
  it('fits several losses and taus without copying again, equal to the array API', () => {
    const { X, y } = synth(500, 4, 1);
    const w = Array.from({ length: 500 }, (_, i) => 1 + (i % 3));
    let compared = 0;
    for (const backend of ['wasm', 'js'] as const) {
      const ds = Dataset.from(X, y, { weights: w, backend });
      const before = memoryStats();
      for (const loss of ['l2', 'l1'] as const) {
        const a = fit(ds, { loss });
        const b = fit(X, y, { loss, weights: w, backend });
        expect(a.objective).toBe(b.objective);
        expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
        compared++;
      }
      for (const tau of [0.1, 0.9]) {
        expectRel(quantile(ds, { tau }).objective, quantile(X, y, { tau, weights: w, backend }).objective, 1e-12, `tau ${tau}`);
        compared++;
      }
      // penalised fits append pseudo-rows to a scoped copy; the dataset itself is untouched
      const pen = lad(ds, { lambda: 3 });
      expectRel(pen.objective, lad(X, y, { lambda: 3, weights: w, backend }).objective, 1e-12, 'lasso');
      expect(memoryStats()).toEqual(before); // fits reuse memory: nothing grew, nothing leaked
      ds.dispose();
      ds.dispose(); // idempotent
      expect(ds.disposed).toBe(true);
      expect(() => ols(ds)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/disposed/) }));
    }
    expect(compared).toBe(2 * (2 + 2)); // backends x (l2, l1 + two taus)
  });

  it('Symbol.dispose frees it (using-declarations)', () => {
    const { X, y } = synth(50, 2, 2);
    const ds = Dataset.from(X, y);
    const inUse = memoryStats().wasmInUse;
    expect(inUse).toBeGreaterThan(0);
    ds[Symbol.dispose]();
    expect(memoryStats().wasmInUse).toBe(inUse - (50 * 3 * 8));
  });

  it('builder from row chunks equals Dataset.from, with and without capacity', () => {
    const { X, y } = synth(1000, 3, 3);
    const ref = ols(X, y);
    let compared = 0;
    for (const capacity of [undefined, 7, 5000]) {
      const b = Dataset.builder(3, capacity === undefined ? {} : { capacity });
      for (let i = 0; i < 1000; i += 137) b.append(X.slice(i, i + 137), y.slice(i, i + 137));
      const ds = b.finish();
      expect(ds.rows).toBe(1000);
      const r = ols(ds);
      expect(Array.from(r.coef)).toEqual(Array.from(ref.coef));
      expect(r.intercept).toBe(ref.intercept);
      compared++;
      ds.dispose();
    }
    expect(compared).toBe(3);
  });

  it('a bad chunk is rejected and leaves the builder intact', () => {
    const b = Dataset.builder(2);
    b.append([[1, 2], [2, 3], [3, 5]], [1, 2, 3]);
    expect(() => b.append([[1, NaN]], [1])).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => b.append([[1, 2, 3]], [1])).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    b.append([[4, 4]], [5]);
    const ds = b.finish();
    expect(ds.rows).toBe(4);
    expect(ds.toArrays().y).toEqual(Float64Array.of(1, 2, 3, 5));
    expect(() => b.append([[1, 1]], [1])).toThrow(/finished/);
    ds.dispose();
  });

  it('mismatched use is a clear error', () => {
    const { X, y } = synth(20, 2, 4);
    const ds = Dataset.from(X, y, { backend: 'js' });
    expect(() => ols(ds, { backend: 'wasm' })).toThrow(/js backend's memory/);
    expect(() => ols(ds, { weights: new Array(20).fill(1) })).toThrow(/cannot be combined with a Dataset/);
    expect(() => ols(ds, y as never)).toThrow(/already holds y/);
    expect(ols(ds).backend).toBe('js');
    ds.dispose();
  });
});

describe('fitAsync', () => {
  it('gives the same result as fit, with predict, for every loss', async () => {
    const { X, y } = synth(300, 3, 5);
    let compared = 0;
    for (const loss of ['l2', 'l1', 'quantile'] as const) {
      const a = await fitAsync(X, y, { loss, ...(loss === 'quantile' ? { tau: 0.8 } : {}) });
      const b = fit(X, y, { loss, ...(loss === 'quantile' ? { tau: 0.8 } : {}) });
      expect(a.objective).toBe(b.objective);
      expectVecRel(a.coef, b.coef, 0);
      expect(Array.from(a.predict([[1, 2, 3]]))).toEqual(Array.from(b.predict([[1, 2, 3]])));
      compared++;
    }
    expect(compared).toBe(3);
  });

  it('typed errors cross the worker boundary', async () => {
    const { X, y } = synth(30, 2, 6);
    await expect(fitAsync(X, y, { loss: 'quantile', tau: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT', name: 'RobustRegError' });
    await expect(fitAsync([[1, 2], [2, 4], [3, 6]], [1, 2, 3], { loss: 'l2' })).rejects.toBeInstanceOf(RobustRegError);
    await expect(fitAsync([[1, NaN]], [1], { loss: 'l2' })).rejects.toMatchObject({ code: 'NON_FINITE' });
  });

  it('a Dataset can be fitted asynchronously', async () => {
    const { X, y } = synth(200, 2, 7);
    const ds = Dataset.from(X, y);
    const a = await fitAsync(ds, { loss: 'l1' });
    expect(a.objective).toBe(lad(X, y).objective);
    ds.dispose();
  });

  it('reports progress on a long fit and cancels promptly; the next fit works', async () => {
    const { X, y } = synth(200_000, 10, 8);
    const events: number[] = [];
    const ac = new AbortController();
    const t0 = performance.now();
    const p = fitAsync(X, y, {
      loss: 'l1',
      backend: 'js',
      onProgress: (e) => {
        events.push(e.iteration);
        if (events.length === 2) ac.abort();
      },
      signal: ac.signal,
    });
    let abortedAt = 0;
    ac.signal.addEventListener('abort', () => (abortedAt = performance.now()));
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    const rejectedAt = performance.now();
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(rejectedAt - abortedAt).toBeLessThan(1000); // prompt (worker terminated); generous bound for shared CI
    expect(rejectedAt - t0).toBeGreaterThan(0);
    const small = synth(100, 2, 9);
    const r = await fitAsync(small.X, small.y, { loss: 'l1' });
    expect(r.objective).toBe(lad(small.X, small.y).objective);
  });

  it('concurrent fits do not interfere', async () => {
    const sets = [10, 11, 12, 13].map((s) => synth(400, 3, s));
    const results = await Promise.all(sets.map((d, i) => fitAsync(d.X, d.y, { loss: i % 2 ? 'l1' : 'l2' })));
    let compared = 0;
    results.forEach((r, i) => { expect(r.objective).toBe(fit(sets[i].X, sets[i].y, { loss: i % 2 ? 'l1' : 'l2' }).objective); compared++; });
    expect(compared).toBe(sets.length);
  });
});
