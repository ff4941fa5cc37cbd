// Public API contract: init, backend selection, typed errors for bad input (table-driven), inputs
// never mutated, arrays in results are copies.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { RobustRegError, fit, init, lad, ols, quantile } from '../src/index.js';
import { deepFreeze } from './helpers/close.js';

const X3 = [[1, 2], [2, 1], [3, 5], [4, 3], [5, 8]];
const y3 = [1, 2, 3, 4, 6];

beforeAll(async () => {
  await init();
});

type Case = [label: string, call: () => unknown, code: string, mention: RegExp];

const cases: Case[] = [
  ['X not an array', () => ols(42 as never, [1]), 'INVALID_INPUT', /X.*42/],
  ['X is a string', () => ols('abc' as never, [1]), 'INVALID_INPUT', /X/],
  ['X null', () => ols(null as never, [1]), 'INVALID_INPUT', /X.*null/],
  ['n = 0', () => ols([], []), 'INVALID_INPUT', /X has no rows/],
  ['ragged rows', () => ols([[1, 2], [3]], [1, 2]), 'DIMENSION_MISMATCH', /X\[1\] has 1 values but X\[0\] has 2/],
  ['row not an array', () => ols([[1, 2], 5 as never], [1, 2]), 'INVALID_INPUT', /X\[1\]/],
  ['NaN in X', () => ols([[1, 2], [3, NaN], [1, 1]], [1, 2, 3]), 'NON_FINITE', /X\[1\]\[1\] is NaN/],
  ['+Inf in X', () => ols([[1, Infinity], [3, 4], [1, 1]], [1, 2, 3]), 'NON_FINITE', /X\[0\]\[1\] is Infinity/],
  ['-Inf in y', () => ols(X3, [1, 2, -Infinity, 4, 5]), 'NON_FINITE', /y\[2\] is -Infinity/],
  ['string in X', () => ols([[1, '2' as never], [3, 4], [5, 6]], [1, 2, 3]), 'INVALID_INPUT', /X\[0\]\[1\] must be a number, received "2"/],
  ['y length mismatch', () => ols(X3, [1, 2, 3]), 'DIMENSION_MISMATCH', /y has length 3 but X has 5 rows/],
  ['y not array', () => ols(X3, 7 as never), 'INVALID_INPUT', /y must be an array/],
  ['weights length', () => ols(X3, y3, { weights: [1, 1] }), 'DIMENSION_MISMATCH', /weights has length 2/],
  ['negative weight', () => ols(X3, y3, { weights: [1, 1, -1, 1, 1] }), 'INVALID_INPUT', /weights\[2\] is -1/],
  ['NaN weight', () => ols(X3, y3, { weights: [1, NaN, 1, 1, 1] }), 'NON_FINITE', /weights\[1\] is NaN/],
  ['all-zero weights', () => ols(X3, y3, { weights: [0, 0, 0, 0, 0] }), 'INVALID_INPUT', /weights are all zero/],
  ['n < p without ridge', () => ols([[1, 2, 3], [4, 5, 7]], [1, 2]), 'RANK_DEFICIENT', /observations? with positive weight for 4 coefficients|ridge/],
  ['ridge < 0', () => ols(X3, y3, { ridge: -1 }), 'INVALID_INPUT', /ridge.*-1/],
  ['ridge NaN', () => ols(X3, y3, { ridge: NaN }), 'INVALID_INPUT', /ridge.*NaN/],
  ['intercept not boolean', () => ols(X3, y3, { intercept: 1 as never }), 'INVALID_INPUT', /intercept.*1/],
  ['unknown option', () => ols(X3, y3, { intercpt: false } as never), 'INVALID_INPUT', /unknown option "intercpt"/],
  ['bad backend', () => ols(X3, y3, { backend: 'gpu' as never }), 'INVALID_INPUT', /backend.*"gpu"/],
  ['options not object', () => ols(X3, y3, 5 as never), 'INVALID_INPUT', /options must be an object/],
  ['p = 0 without intercept', () => ols([[], [], []], [1, 2, 3], { intercept: false }), 'INVALID_INPUT', /intercept/],
  ['matrix data length', () => ols({ data: new Float64Array(5), rows: 2, cols: 3 }, [1, 2]), 'DIMENSION_MISMATCH', /X.data has length 5/],
  ['matrix bad layout', () => ols({ data: new Float64Array(6), rows: 2, cols: 3, layout: 'diagonal' as never }, [1, 2]), 'INVALID_INPUT', /layout.*"diagonal"/],
  ['matrix negative rows', () => ols({ data: new Float64Array(6), rows: -2, cols: 3 }, [1, 2]), 'INVALID_INPUT', /X.rows.*-2/],
  ['matrix NaN', () => ols({ data: Float64Array.of(1, 2, NaN, 4, 1, 3), rows: 3, cols: 2 }, [1, 2, 3]), 'NON_FINITE', /X.data\[2\] \(row 1, column 0\) is NaN/],
  ['fit without loss', () => fit(X3, y3, {} as never), 'INVALID_INPUT', /loss must be one of/],
  ['fit unknown loss', () => fit(X3, y3, { loss: 'l3' as never }), 'INVALID_INPUT', /"l3"/],
  ['fit options missing', () => fit(X3, y3, undefined as never), 'INVALID_INPUT', /options must be an object/],
  ['tau = 0', () => quantile(X3, y3, { tau: 0 }), 'INVALID_INPUT', /tau.*strictly between 0 and 1.*received 0/],
  ['tau = 1', () => quantile(X3, y3, { tau: 1 }), 'INVALID_INPUT', /tau.*received 1/],
  ['tau NaN', () => quantile(X3, y3, { tau: NaN }), 'INVALID_INPUT', /tau.*NaN/],
  ['tau string', () => fit(X3, y3, { loss: 'quantile', tau: '0.5' as never }), 'INVALID_INPUT', /tau.*"0.5"/],
  ['lambda negative', () => lad(X3, y3, { lambda: -0.1 }), 'INVALID_INPUT', /lambda.*-0.1/],
  ['maxIter zero', () => lad(X3, y3, { maxIter: 0 }), 'INVALID_INPUT', /maxIter.*0/],
  ['maxIter fractional', () => lad(X3, y3, { maxIter: 2.5 }), 'INVALID_INPUT', /maxIter.*2.5/],
  ['tol negative', () => lad(X3, y3, { tol: -1 }), 'INVALID_INPUT', /tol.*-1/],
  ['start wrong length', () => lad(X3, y3, { start: { coef: [1] } }), 'DIMENSION_MISMATCH', /start.coef has length 1/],
  ['start NaN', () => lad(X3, y3, { start: { coef: [1, NaN] } }), 'NON_FINITE', /start.coef\[1\] is NaN/],
  ['onProgress not function', () => lad(X3, y3, { onProgress: 3 as never }), 'INVALID_INPUT', /onProgress.*3/],
  ['lad rank deficient', () => lad([[1, 2], [2, 4], [3, 6], [4, 8]], [1, 2, 3, 5]), 'RANK_DEFICIENT', /column 1/],
  ['ols duplicate column', () => ols([[1, 1], [2, 2], [3, 3], [4, 4]], [1, 2, 3, 5]), 'RANK_DEFICIENT', /column 1/],
  ['ols constant column', () => ols([[1, 7], [2, 7], [3, 7], [4, 7]], [1, 2, 3, 5]), 'RANK_DEFICIENT', /column 1/],
  ['pre-aborted signal', () => lad(X3, y3, { signal: AbortSignal.abort() }), 'CANCELLED', /cancelled/],
];

describe('bad input gets a typed error naming the argument and value', () => {
  it(`catalogue has ≥ 40 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
  for (const backend of ['wasm', 'js'] as const) {
    for (const [label, call, code, mention] of cases) {
      it(`${backend}: ${label} → ${code}`, () => {
        let err: unknown;
        try {
          // run the same call on this backend by patching the options argument when possible
          withBackend(backend, call);
        } catch (e) {
          err = e;
        }
        expect(err, 'should throw').toBeInstanceOf(RobustRegError);
        const e = err as RobustRegError;
        expect(e.code, e.message).toBe(code);
        expect(e.message).toMatch(mention);
      });
    }
  }
});

let forced: 'wasm' | 'js' | null = null;
function withBackend(b: 'wasm' | 'js', call: () => unknown): unknown {
  forced = b;
  try {
    return call();
  } finally {
    forced = null;
  }
}
// The catalogue calls use the default backend ('auto' → wasm); for the js pass, route through a spy.
vi.mock('../src/runtime.js', async (orig) => {
  const mod = await orig<typeof import('../src/runtime.js')>();
  return {
    ...mod,
    acquire: (choice: 'auto' | 'wasm' | 'js', fn: string) => mod.acquire(forced === 'js' && choice === 'auto' ? 'js' : choice, fn),
  };
});

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
    vi.doUnmock('../src/runtime.js');
    const fresh = await import('../src/index.js');
    expect(() => fresh.ols(X3, y3)).toThrow(expect.objectContaining({ code: 'NOT_INITIALIZED' }));
    expect(fresh.ols(X3, y3, { backend: 'js' }).backend).toBe('js');
  });
  it('falls back to the TS twin when WebAssembly is missing', async () => {
    vi.resetModules();
    vi.doUnmock('../src/runtime.js');
    const saved = globalThis.WebAssembly;
    // @ts-expect-error simulate an environment without WebAssembly
    delete globalThis.WebAssembly;
    try {
      const fresh = await import('../src/index.js');
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
