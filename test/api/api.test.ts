// Public API contract: init, backend selection, inputs never mutated, arrays in results are copies.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fit, init, ols } from '../../src/index.js';
import { deepFreeze } from '../helpers/close.js';

const X3 = [[1, 2], [2, 1], [3, 5], [4, 3], [5, 8]];
const y3 = [1, 2, 3, 4, 6];

beforeAll(async () => {
  await init();
});

// The bad-input catalogue (typed errors for invalid calls of every public function) is in
// test/api/catalogue.test.ts.

describe('inputs are never mutated; results are copies', () => {
  it('frozen row arrays and typed arrays are left intact', () => {
    const X = deepFreeze(X3.map((r) => [...r]));
    const y = Float64Array.from(y3);
    const w = Float64Array.of(1, 2, 0, 1, 3);
    const ySnap = y.slice();
    const wSnap = w.slice();
    for (const loss of ['l2', 'l1', 'quantile'] as const) {
      const r = fit(X, y, { loss, weights: w, ...(loss === 'quantile' ? { tau: 0.3 } : {}) });
      expect(Array.from(y)).toEqual(Array.from(ySnap));
      expect(Array.from(w)).toEqual(Array.from(wSnap));
      expect(r.coef).toBeInstanceOf(Float64Array);
      expect(r.coef.buffer.byteLength).toBe(r.coef.length * 8); // its own buffer, not a view of WASM memory
    }
  });
  it('the options object is not written to', () => {
    const opts = Object.freeze({ loss: 'l1' as const, intercept: true });
    expect(() => fit(X3, y3, opts)).not.toThrow();
  });
});

describe('init and backend selection', () => {
  it('init is idempotent and reports the backend', async () => {
    const a = await init();
    const b = await init();
    expect(a).toBe(b);
    expect(a.backend).toBe('wasm');
  });
  it('backend: js works and reports itself; wasm reports wasm', () => {
    expect(ols(X3, y3, { backend: 'js' }).backend).toBe('js');
    expect(ols(X3, y3, { backend: 'wasm' }).backend).toBe('wasm');
    expect(ols(X3, y3).backend).toBe('wasm');
  });
  it('fitting before init() is a NOT_INITIALIZED error (the TS backend needs no init)', async () => {
    vi.resetModules();
    vi.doUnmock('../../src/backend/runtime.js');
    const fresh = await import('../../src/index.js');
    expect(() => fresh.ols(X3, y3)).toThrow(expect.objectContaining({ code: 'NOT_INITIALIZED' }));
    expect(fresh.ols(X3, y3, { backend: 'js' }).backend).toBe('js');
  });
  it('falls back to the TS twin when WebAssembly is missing', async () => {
    vi.resetModules();
    vi.doUnmock('../../src/backend/runtime.js');
    const saved = globalThis.WebAssembly;
    // @ts-expect-error simulate an environment without WebAssembly
    delete globalThis.WebAssembly;
    try {
      const fresh = await import('../../src/index.js');
      const info = await fresh.init();
      expect(info.backend).toBe('js');
      expect(info.reason).toMatch(/WebAssembly/);
      expect(fresh.ols(X3, y3).backend).toBe('js');
      expect(() => fresh.ols(X3, y3, { backend: 'wasm' })).toThrow(expect.objectContaining({ code: 'WASM_UNAVAILABLE' }));
    } finally {
      globalThis.WebAssembly = saved;
    }
  });
});
