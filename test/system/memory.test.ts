// Memory is managed: repeated fits do not grow WASM memory or the JS heap, views stay valid across
// growth (small → large → small), and a failure in the middle of a fit leaves the module usable.
import { beforeAll, describe, expect, it } from 'vitest';
import { fit, init, lad, memoryStats, ols, quantile } from '../../src/index.js';
import { rng } from '../helpers/close.js';

function data(n: number, p: number, seed: number): { X: number[][]; y: number[] } {
  const r = rng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: p }, () => r() * 2 - 1));
  const y = X.map((row) => row.reduce((s, v, j) => s + v * (j - 1), 0.5) + (r() < 0.1 ? 20 : r() - 0.5));
  return { X, y };
}

beforeAll(async () => {
  await init();
});

describe('memory', () => {
  it('1,000 consecutive fits leave WASM memory flat after the first growth', () => {
    const d = data(200, 5, 1);
    ols(d.X, d.y);
    lad(d.X, d.y);
    const after1 = memoryStats();
    for (let k = 0; k < 1000; k++) fit(d.X, d.y, { loss: k % 2 ? 'l1' : 'l2' });
    const after = memoryStats();
    expect(after.wasm).toBe(after1.wasm);
    expect(after.wasmInUse).toBe(0);
  });

  it('10,000 mixed fits (losses, sizes, backends) leave WASM memory and the JS heap flat after warm-up', () => {
    const sets = [data(10, 1, 2), data(60, 3, 3), data(300, 8, 4), data(25, 2, 5)];
    const losses = ['l2', 'l1', 'quantile'] as const;
    const run = (k: number) => {
      const d = sets[k % sets.length];
      const loss = losses[k % 3];
      fit(d.X, d.y, { loss, backend: k % 7 === 0 ? 'js' : 'wasm', ...(loss === 'quantile' ? { tau: 0.1 + (k % 9) / 10 } : {}) });
    };
    for (let k = 0; k < 500; k++) run(k);
    (globalThis as { gc?: () => void }).gc?.();
    const m0 = memoryStats();
    const h0 = process.memoryUsage().heapUsed;
    for (let k = 0; k < 10_000; k++) run(k);
    (globalThis as { gc?: () => void }).gc?.();
    const m1 = memoryStats();
    const h1 = process.memoryUsage().heapUsed;
    console.log(`memory after warm-up: wasm ${m0.wasm} B, js twin ${m0.js} B, heap ${(h0 / 2 ** 20).toFixed(1)} MiB; after 10,000 fits: wasm ${m1.wasm} B, js twin ${m1.js} B, heap ${(h1 / 2 ** 20).toFixed(1)} MiB`);
    expect(m1.wasm).toBe(m0.wasm);
    expect(m1.js).toBe(m0.js);
    expect(m1.wasmInUse + m1.jsInUse).toBe(0);
    expect(h1 - h0).toBeLessThan(32 * 2 ** 20); // garbage may be pending without --expose-gc; a leak of 10,000 results would exceed this
  });

  it('small → large → small fits are all correct (no stale views after memory.grow)', () => {
    const small = data(30, 2, 6);
    const ref = lad(small.X, small.y).objective;
    const refL2 = ols(small.X, small.y).coef.slice();
    const big = data(200_000, 6, 7);
    const before = memoryStats().wasm;
    const rb = ols(big.X, big.y);
    expect(memoryStats().wasm).toBeGreaterThan(before);
    expect(rb.coef.every(Number.isFinite)).toBe(true);
    expect(lad(small.X, small.y).objective).toBe(ref);
    expect(Array.from(ols(small.X, small.y).coef)).toEqual(Array.from(refL2));
    expect(quantile(big.X.slice(0, 5000), big.y.slice(0, 5000), { tau: 0.3 }).converged).toBe(true);
  });

  it('a failure in the middle of a fit (bad value found while copying) frees everything and the next fit works', () => {
    const d = data(1000, 4, 8);
    const bad = d.X.map((r) => [...r]);
    bad[999][3] = NaN; // found at the very end of the copy, after the regions were allocated
    ols(d.X, d.y);
    const m0 = memoryStats();
    for (let k = 0; k < 50; k++) expect(() => lad(bad, d.y)).toThrow(/X\[999\]\[3\] is NaN/);
    expect(memoryStats()).toEqual(m0);
    expect(lad(d.X, d.y).converged).toBe(true);
  });

  it('cancellation from onProgress mid-fit leaves the module consistent', () => {
    const d = data(20_000, 8, 9);
    const ac = new AbortController();
    const m0 = memoryStats();
    let calls = 0;
    expect(() => lad(d.X, d.y, { signal: ac.signal, onProgress: () => { calls++; ac.abort(); } })).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
    expect(calls).toBeGreaterThan(0);
    expect(memoryStats().wasmInUse).toBe(m0.wasmInUse);
    expect(lad(d.X, d.y).converged).toBe(true);
  });
});
