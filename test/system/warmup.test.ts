// init()'s warm-up (issue 23): it must leave nothing behind — results bit-identical to a fresh module
// instance whose init() skipped the warm-up, the same linear-memory size, no arena block, the same
// kernel globals — and every entry of the warm-up table must really run its kernels (a failing entry is
// swallowed by init(), so this is where a broken entry shows up).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { Kernels } from '../../src/abi/kernels.js';
import { INFO_GLOB_ROUNDS, INFO_LEN, INFO_METHOD } from '../../src/abi/info.js';
import { instantiateWasm } from '../../src/backend/wasm.js';
import { WARMUP_CALLS, WARMUP_ROWS, warmUp, type ScratchMemory } from '../../src/backend/warmup.js';
import { rng } from '../helpers/close.js';

type Lib = typeof import('../../src/index.js');
type Runtime = typeof import('../../src/backend/runtime.js');

const debugBytes = () => readFileSync(fileURLToPath(new URL('../../build/debug.wasm', import.meta.url)));
const wasmOption = () => (process.env.ROBUSTREG_WASM === 'debug' ? { wasm: debugBytes() } : {});

/** A fresh copy of the library (own runtime state, own WASM instance). */
async function freshLib(): Promise<{ lib: Lib; rt: Runtime }> {
  vi.resetModules();
  const lib = (await import('../../src/index.js')) as Lib;
  const rt = (await import('../../src/backend/runtime.js')) as Runtime;
  return { lib, rt };
}

function data(n: number, p: number, seed: number): { X: number[][]; y: number[]; w: number[] } {
  const r = rng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, () => r() * 4 - 2);
    X.push(row);
    const e = (r() - 0.5) / (r() + 0.05);
    y.push(1 + row.reduce((s, v, j) => s + (j + 1) * v, 0) + e + (r() < 0.1 ? 25 : 0));
    w.push(0.25 + r());
  }
  return { X, y, w };
}

/** Every number of every fit in a battery that touches each kernel family and its main paths. */
function battery(lib: Lib): number[] {
  const out: number[] = [];
  const take = (v: unknown): void => {
    if (typeof v === 'number') out.push(v);
    else if (ArrayBuffer.isView(v)) out.push(...Array.from(v as unknown as ArrayLike<number>));
    else if (Array.isArray(v)) v.forEach(take);
    else if (v && typeof v === 'object') for (const k of Object.keys(v).sort()) take((v as Record<string, unknown>)[k]);
  };
  const a = data(400, 4, 1);
  const big = data(25_000, 3, 2); // the globbing path of the L1 kernel (from 20,000 rows)
  take(lib.ols(a.X, a.y));
  take(lib.ols(a.X, a.y, { weights: a.w, ridge: 0.5 }));
  take(lib.lad(a.X, a.y));
  take(lib.lad(a.X, a.y, { lambda: 2 }));
  take(lib.quantile(a.X, a.y, { tau: 0.3, weights: a.w }));
  take(lib.lad(big.X, big.y));
  take(lib.quantile(big.X, big.y, { tau: 0.9 }));
  take(lib.huber(a.X, a.y));
  take(lib.smoothL1(a.X, a.y));
  const ds = lib.Dataset.from(a.X, a.y, { precision: 'f32' });
  try {
    take(lib.ols(ds));
    take(lib.lad(ds));
  } finally {
    ds.dispose();
  }
  const acc = new lib.GramAccumulator(4).add(a.X, a.y, a.w);
  take(acc.solve());
  return out;
}

describe('init() warm-up', () => {
  it('leaves results bit-identical, and the memory, arena and kernel globals as an unwarmed instance has them', async () => {
    const cold = await freshLib();
    const coldInfo = await cold.lib.init({ ...wasmOption(), warmup: false });
    const coldMem = cold.lib.memoryStats();
    const coldGlob = cold.rt.acquire('wasm', 'test').backend.kernels.l1_glob(0, 0);

    const warm = await freshLib();
    const warmInfo = await warm.lib.init({ ...wasmOption(), warmup: 'wait' });
    const warmMem = warm.lib.memoryStats();
    const warmGlob = warm.rt.acquire('wasm', 'test').backend.kernels.l1_glob(0, 0);

    expect(coldInfo).toEqual({ backend: 'wasm' }); // no warmupMs when skipped
    expect(warmInfo.backend).toBe('wasm');
    expect(warmInfo.warmup).toBe('in-thread');
    expect(warmInfo.warmupMs).toBeGreaterThanOrEqual(0);
    expect(warm.rt.warmedUp()).toBe(true);
    expect(cold.rt.warmedUp()).toBe(false);
    // the warm-up ran on a scratch instance: this instance's memory never grew, nothing is allocated
    expect(warmMem).toEqual(coldMem);
    expect(warmMem.wasmInUse).toBe(0);
    // the globbing threshold the warm-up changes (on its scratch instance) is the default here
    expect(warmGlob).toBe(20_000);
    expect(coldGlob).toBe(20_000);

    const a = battery(cold.lib);
    const b = battery(warm.lib);
    expect(b.length).toBe(a.length);
    expect(a.length).toBeGreaterThan(100);
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect(`value ${i}: ${b[i]}`).toBe(`value ${i}: ${a[i]}`);
    expect(warm.lib.memoryStats()).toEqual(cold.lib.memoryStats());
  });

  it('init() by default warms in the background (a pool worker, kept for fitAsync): it resolves at once, leaves this instance untouched and results bit-identical', async () => {
    const cold = await freshLib();
    await cold.lib.init({ ...wasmOption(), warmup: false });
    const bg = await freshLib();
    const info = await bg.lib.init(wasmOption());
    expect(info).toEqual({ backend: 'wasm', warmup: 'background' }); // no warmupMs: nothing spent on this thread
    expect(bg.rt.warmedUp()).toBe(true);
    expect(bg.lib.workerStats()).toMatchObject({ started: 1, warmups: 1, idle: 1, busy: 0 });
    const t0 = Date.now();
    while (bg.lib.workerStats().warmed < 1) {
      if (Date.now() - t0 > 60_000) throw new Error('the background warm-up did not finish');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(bg.lib.memoryStats()).toEqual(cold.lib.memoryStats());
    const a = battery(cold.lib);
    const b = battery(bg.lib);
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect(`value ${i}: ${b[i]}`).toBe(`value ${i}: ${a[i]}`);
    // the warmed worker serves fitAsync (no second worker) with the same numbers
    const d = data(300, 3, 9);
    const r = await bg.lib.fitAsync(d.X, d.y, { loss: 'l1' });
    expect(r.objective).toBe(cold.lib.lad(d.X, d.y).objective);
    expect(bg.lib.workerStats()).toMatchObject({ started: 1, idle: 1 });
    bg.lib.terminateWorkers();
  });

  it('init() warmupKernels: only the named families are warmed (in-thread report lists them)', async () => {
    const { lib } = await freshLib();
    const info = await lib.init({ ...wasmOption(), warmup: 'wait', warmupKernels: ['l1'] });
    expect(info.warmup).toBe('in-thread');
    expect(info.warmupMs).toBeGreaterThanOrEqual(0);
  });

  it('init() rejects a warmup option that is not a boolean or \'wait\' (INVALID_INPUT, named)', async () => {
    const { lib } = await freshLib();
    await expect(lib.init({ warmup: 'yes' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/option warmup must be a boolean or 'wait', received "yes"/) });
    await expect(lib.init({ warmups: true } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/valid options are wasm, warmup/) });
    expect(lib.isInitialized()).toBe(false);
  });

  for (const build of ['release', 'debug'] as const) {
    it(`every warm-up entry runs its kernels to a solved status (${build} build, assertions ${build === 'debug' ? 'on' : 'off'})`, async () => {
      const inst = await instantiateWasm(build === 'debug' ? debugBytes() : undefined, { progress: () => 0 });
      const calls: Array<{ entry: string; kernel: string; status: number; globRounds?: number; method?: number }> = [];
      let entry = '';
      let top = 0;
      const kernels = new Proxy(inst.kernels, {
        get(target, key: string) {
          const fn = (target as unknown as Record<string, (...a: number[]) => number>)[key];
          if (!/_fit$|^moments$/.test(key)) return fn;
          return (...args: number[]) => {
            const status = fn(...args);
            const rec: (typeof calls)[number] = { entry, kernel: key, status };
            if (key === 'l1_fit') rec.globRounds = inst.f64()[(args[12] >>> 3) + INFO_GLOB_ROUNDS];
            if (key === 'l2_fit') rec.method = inst.f64()[(args[8] >>> 3) + INFO_METHOD];
            calls.push(rec);
            return status;
          };
        },
      }) as Kernels;
      const mem: ScratchMemory = {
        kernels,
        alloc(bytes) {
          if (top === 0) top = (inst.kernels.heap_base() + 15) & ~15;
          const at = top;
          top += (Math.max(bytes, 16) + 15) & ~15;
          inst.grow(top);
          return at;
        },
        f64: () => inst.f64(),
        put(values) {
          const at = this.alloc(values.byteLength);
          new Uint8Array(inst.f64().buffer, at, values.byteLength).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
          return at;
        },
      };
      for (const c of WARMUP_CALLS) {
        entry = c.name;
        top = 0;
        c.run(mem, WARMUP_ROWS); // must not throw (init() would swallow it)
      }
      expect(WARMUP_CALLS.map((c) => c.name)).toEqual(expect.arrayContaining(['l2', 'l1', 'irls', 'moments', 'mm', 'lts']));
      for (const c of calls) expect(c.status, `${c.entry}: ${c.kernel}`).toBe(0);
      for (const k of ['l2_fit', 'l1_fit', 'irls_fit', 'moments', 'mm_fit', 'lts_fit']) expect(calls.some((c) => c.kernel === k), k).toBe(true);
      // the globbing path really ran (selection and the reduced problems are warmed with it)
      expect(calls.some((c) => c.kernel === 'l1_fit' && (c.globRounds ?? 0) > 0)).toBe(true);
      expect(INFO_LEN).toBeGreaterThan(INFO_GLOB_ROUNDS);
      // and the L2 kernel's Householder QR path besides its Cholesky path
      expect(calls.filter((c) => c.kernel === 'l2_fit').map((c) => c.method)).toEqual(expect.arrayContaining([0, 1]));
    });
  }

  it('warmUp() never throws: a failing entry is skipped and reported with its time', async () => {
    const inst = await instantiateWasm();
    const r = await warmUp(inst.module, {
      calls: [{ name: 'broken', run: () => { throw new Error('boom'); } }, WARMUP_CALLS[0]],
      deadline: 0,
    });
    expect(r.entries.map((e) => e.name)).toEqual(['broken', WARMUP_CALLS[0].name]);
    expect(r.callsMs).toBeGreaterThanOrEqual(0);
    expect(r.waitMs).toBeGreaterThanOrEqual(0);
  });
});
