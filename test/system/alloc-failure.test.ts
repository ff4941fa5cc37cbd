// An allocation failure in the middle of a fit leaves the module usable (issue #9): the failing call
// throws OUT_OF_MEMORY, no block stays allocated, and the next fit succeeds with results bit-identical
// to the same fit before the failure. Two honest ways to make an allocation fail:
//  1. a fit whose workspace alone exceeds the wasm32 limit of 4 GiB (checked by the arena before
//     memory grows: a real OUT_OF_MEMORY, on both backends, no mocking);
//  2. the engine refusing to grow WebAssembly memory (what happens when the host cannot commit more
//     memory): WebAssembly.Memory.prototype.grow throws the RangeError V8 throws, for one call or for
//     the n-th call, while a Dataset and earlier fits' freed blocks are live in the arena.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Dataset, RobustRegError, fit, init, memoryStats, ols, type FitResult, type Loss } from '../../src/index.js';
import { rng } from '../helpers/close.js';

function data(n: number, p: number, seed: number): { X: number[][]; y: number[] } {
  const r = rng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: p }, () => r() * 2 - 1));
  const y = X.map((row) => row.reduce((s, v, j) => s + v * (j + 1), 0.5) + (r() < 0.1 ? 15 : r() - 0.5));
  return { X, y };
}

/** Every number of a result that must not change, as bit patterns. */
function bits(r: FitResult): string[] {
  const nums = [r.intercept, r.objective, r.iterations, ...Array.from(r.coef)];
  if (r.certificate) nums.push(r.certificate.primal, r.certificate.dual, r.certificate.gap);
  return nums.map((v) => Buffer.from(Float64Array.of(v).buffer).toString('hex'));
}

const LOSSES: Array<{ loss: Loss; tau?: number }> = [{ loss: 'l2' }, { loss: 'l1' }, { loss: 'quantile', tau: 0.3 }, { loss: 'huber' }, { loss: 'smooth-l1' }];

function catchErr(f: () => unknown): RobustRegError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RobustRegError);
    return e as RobustRegError;
  }
  throw new Error('expected a RobustRegError');
}

const V8_GROW_ERROR = 'WebAssembly.Memory.grow(): Maximum memory size exceeded';

beforeAll(async () => {
  await init();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('allocation failure in the middle of a fit', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`${backend}: a workspace beyond the wasm32 limit is OUT_OF_MEMORY; memory does not grow and the next fits are bit-identical`, () => {
      const small = data(80, 3, 1);
      const before = LOSSES.map((o) => bits(fit(small.X, small.y, { ...o, backend })));
      const ds = Dataset.from(small.X, small.y, { backend });
      const m0 = memoryStats();
      // p = 16,500 columns and 2 rows: X is tiny, but the kernels' (p+1)² workspaces exceed 4 GiB.
      const p = 16_500;
      const wide = [Array.from({ length: p }, (_, j) => j % 7), Array.from({ length: p }, (_, j) => (j * 3) % 11)];
      for (const loss of ['l2', 'l1'] as const) {
        const e = catchErr(() => fit(wide, [1, 2], { loss, backend }));
        expect(e.code, e.message).toBe('OUT_OF_MEMORY');
        expect(e.message).toMatch(/GiB .* more than the wasm32 limit/);
        expect(e.details.bytesInUse).toBe(m0[backend === 'wasm' ? 'wasmInUse' : 'jsInUse']);
      }
      const m1 = memoryStats();
      expect(m1).toEqual(m0); // nothing grew, nothing leaked
      expect(LOSSES.map((o) => bits(fit(small.X, small.y, { ...o, backend })))).toEqual(before);
      expect(LOSSES.map((o) => bits(fit(ds, { ...o })))).toEqual(before);
      ds.dispose();
      expect(memoryStats()[backend === 'wasm' ? 'wasmInUse' : 'jsInUse']).toBe(0);
    });
  }

  it('wasm: the n-th grow failing while a DatasetBuilder grows leaves the builder intact and usable', () => {
    const all = data(40_000, 3, 4);
    const real = WebAssembly.Memory.prototype.grow;
    let calls = 0;
    const failAt = 2;
    const grow = vi.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(function (this: WebAssembly.Memory, pages: number) {
      calls++;
      if (calls === failAt) throw new RangeError(V8_GROW_ERROR);
      return real.call(this, pages);
    });
    const m0 = memoryStats();
    expect(8 * 5 * all.X.length, 'the builder must outgrow the memory held').toBeGreaterThan(m0.wasm);
    const b = Dataset.builder(3, { capacity: 64 });
    let appended = 0;
    let failure: RobustRegError | null = null;
    const chunk = 2_000;
    for (let i = 0; i < all.X.length; i += chunk) {
      try {
        b.append(all.X.slice(i, i + chunk), all.y.slice(i, i + chunk));
        appended += Math.min(chunk, all.X.length - i);
      } catch (e) {
        failure = e as RobustRegError;
        break;
      }
    }
    grow.mockRestore();
    expect(failure, 'a grow failed during append').toBeInstanceOf(RobustRegError);
    expect(failure!.code).toBe('OUT_OF_MEMORY');
    expect(calls).toBe(failAt);
    expect(appended).toBeGreaterThan(0);
    expect(b.rows).toBe(appended);
    // the rows appended before the failure are all there; appending resumes where it failed
    for (let i = appended; i < all.X.length; i += chunk) b.append(all.X.slice(i, i + chunk), all.y.slice(i, i + chunk));
    const ds = b.finish();
    expect(ds.rows).toBe(all.X.length);
    const { X: colMajor, y } = ds.toArrays();
    expect(Array.from(y)).toEqual(all.y);
    expect(colMajor.data[all.X.length - 1]).toBe(all.X[all.X.length - 1][0]);
    expect(bits(ols(ds))).toEqual(bits(ols(all.X, all.y)));
    ds.dispose();
    expect(memoryStats().wasmInUse).toBe(m0.wasmInUse);
  });

  it('wasm: the engine refusing to grow memory mid-session → OUT_OF_MEMORY; a live Dataset, later fits and memoryStats are intact', () => {
    const small = data(120, 4, 2);
    const big = data(60_000, 8, 3);
    const ds = Dataset.from(small.X, small.y, { weights: small.y.map((_, i) => 1 + (i % 3)) });
    const refArrays = LOSSES.map((o) => bits(fit(small.X, small.y, o)));
    const refDs = LOSSES.map((o) => bits(fit(ds, o)));
    const m0 = memoryStats();
    expect(m0.wasmInUse).toBeGreaterThan(0); // the Dataset's block
    const grow = vi.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(() => {
      throw new RangeError(V8_GROW_ERROR);
    });
    for (const o of LOSSES) {
      const e = catchErr(() => fit(big.X, big.y, o));
      expect(e.code, e.message).toBe('OUT_OF_MEMORY');
      expect(e.message).toMatch(/WebAssembly memory could not grow from .* to .*Maximum memory size exceeded/);
    }
    expect(grow).toHaveBeenCalledTimes(LOSSES.length);
    // while memory cannot grow, fits that fit in the memory already held still work
    expect(LOSSES.map((o) => bits(fit(small.X, small.y, o)))).toEqual(refArrays);
    grow.mockRestore();
    const m1 = memoryStats();
    expect(m1).toEqual(m0);
    expect(LOSSES.map((o) => bits(fit(ds, o)))).toEqual(refDs);
    expect(LOSSES.map((o) => bits(fit(small.X, small.y, o)))).toEqual(refArrays);
    // and once memory can grow again the large fit succeeds, equal to the TypeScript twin
    const rb = ols(big.X, big.y);
    expect(bits(rb)).toEqual(bits(ols(big.X, big.y, { backend: 'js' })));
    expect(memoryStats().wasm).toBeGreaterThan(m0.wasm);
    expect(memoryStats().wasmInUse).toBe(m0.wasmInUse);
    ds.dispose();
    expect(memoryStats().wasmInUse).toBe(0);
  });
});
