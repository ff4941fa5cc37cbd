// init({ threads }) called again with another thread count (docs/api.md "Changing the thread count").
// Before session 9 a later call was silently ignored: `await init(); await init({ threads: 4 })` kept
// one thread. Now it resizes the pool between fits — the threaded build's module and shared memory
// stay, the old workers are stopped and terminated — or, from the single-threaded build (a first
// init() without threads), moves to the threaded build with every Dataset's bytes copied to the same
// addresses. Datasets stay valid, results are the same bits on every count, the result reports the
// count obtained and why fewer; a call from inside a fit is a typed error. Linux: the process's OS
// thread count comes back (no worker leak) and a child process exits by itself.
// Each test loads a fresh copy of the package (vi.resetModules): init() state is per copy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { importsMemory } from '../../src/backend/wasm.js';
import { rng } from '../helpers/close.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';
const linux = process.platform === 'linux';

async function fresh() {
  vi.resetModules();
  const lib = await import('../../src/index.js');
  const runtime = await import('../../src/backend/runtime.js');
  return { lib, runtime };
}
type Lib = Awaited<ReturnType<typeof fresh>>['lib'];
type Ds = InstanceType<Lib['Dataset']>;

/** n × p, column-major; 40,000 rows: three 16,384-row chunks, so the block passes split. */
function problem(n: number, p: number, seed: number) {
  const r = rng(seed);
  const data = new Float64Array(n * p);
  for (let i = 0; i < n * p; i++) data[i] = r() * 10 - 5;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1;
    for (let j = 0; j < p; j++) s += (j + 1) * data[j * n + i];
    y[i] = s + (r() - 0.5) * 4 + (i % 97 === 0 ? 50 : 0);
  }
  return { X: { data, rows: n, cols: p, layout: 'column-major' as const }, y };
}

function hex(r: { coef: ArrayLike<number>; intercept: number; objective: number }): string {
  return Buffer.from(new Float64Array([r.intercept, r.objective, ...Array.from(r.coef)]).buffer).toString('hex');
}

/** The bits of ols, lad, quantile 0.9 and huber on a Dataset. */
function fits(lib: Lib, ds: Ds): string[] {
  return [lib.ols(ds), lib.lad(ds), lib.quantile(ds, { tau: 0.9 }), lib.huber(ds)].map((r) => {
    expect(r.backend).toBe('wasm');
    return hex(r);
  });
}

/** OS threads of this process (Linux /proc). */
function osThreads(): number {
  return readdirSync('/proc/self/task').length;
}

/** Wait (≤ 10 s) until the OS thread count is at most `n`; returns the last count. */
async function settle(n: number): Promise<number> {
  const end = Date.now() + 10_000;
  let c = osThreads();
  while (c > n && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    c = osThreads();
  }
  return c;
}

describe.skipIf(debug)('init({ threads }) after the first init', () => {
  it('init() then threads 2 -> 1 -> auto: the count changes, Datasets survive, the same bits everywhere', async () => {
    const { lib, runtime } = await fresh();
    await lib.init({ warmup: false });
    expect(importsMemory(runtime.compiledModule()!)).toBe(false); // the single-threaded build
    const a = problem(40_000, 4, 1), b = problem(40_000, 3, 2);
    const ds = lib.Dataset.from(a.X, a.y);
    const ref = fits(lib, ds);
    const inUse = lib.memoryStats().wasmInUse;

    const r2 = await lib.init({ threads: 2, warmup: false });
    expect(r2).toMatchObject({ backend: 'wasm', threads: 2 });
    expect(r2.threadsReason).toBeUndefined();
    expect(runtime.threadStats()).toMatchObject({ threads: 2, usable: true, live: 2 });
    const threaded = runtime.compiledModule()!;
    expect(importsMemory(threaded)).toBe(true); // moved to the threaded build
    expect(lib.memoryStats().wasmInUse).toBe(inUse); // the Dataset moved with its bytes
    const jobs = runtime.threadStats().jobs;
    expect(fits(lib, ds)).toEqual(ref);
    expect(runtime.threadStats().jobs, 'the passes ran on the pool').toBeGreaterThan(jobs);
    const ds2 = lib.Dataset.from(b.X, b.y);
    const ref2 = fits(lib, ds2);

    const r1 = await lib.init({ threads: 1 });
    expect(r1).toMatchObject({ backend: 'wasm', threads: 1 });
    expect(r1.threadsReason).toBeUndefined();
    expect(runtime.threadStats()).toMatchObject({ threads: 1, usable: false });
    expect(runtime.compiledModule()).toBe(threaded); // the threaded build stays, on this thread
    expect(fits(lib, ds)).toEqual(ref);
    expect(fits(lib, ds2)).toEqual(ref2);

    const ra = await lib.init({ threads: 'auto', warmup: false });
    const cores = availableParallelism();
    expect(ra).toMatchObject({ backend: 'wasm', threads: cores });
    expect(runtime.threadStats().threads).toBe(cores);
    expect(fits(lib, ds)).toEqual(ref);
    expect(fits(lib, ds2)).toEqual(ref2);
    // init() without threads: the current promise, whose result reports the count
    const again = lib.init();
    expect(lib.init()).toBe(again);
    expect((await again).threads).toBe(cores);

    ds.dispose();
    ds2.dispose();
    expect(lib.memoryStats().wasmInUse).toBe(0);
    await lib.init({ threads: 1 });
  });

  it('threaded build: 2 -> 3 -> 1 -> 2 keeps the module and its shared memory; a Dataset from each count fits the same', async () => {
    const { lib, runtime } = await fresh();
    expect((await lib.init({ threads: 2, warmup: false })).threads).toBe(2);
    const mod = runtime.compiledModule();
    const a = problem(40_000, 4, 3);
    const ds = lib.Dataset.from(a.X, a.y);
    const ref = fits(lib, ds);
    const seen: Ds[] = [];
    let bytes = 0;
    for (const t of [3, 1, 2, 3, 1, 2]) {
      if (seen.length === 3) bytes = lib.memoryStats().wasm;
      const r = await lib.init({ threads: t });
      expect(r.threads).toBe(t);
      expect(runtime.threadStats().threads).toBe(t);
      expect(runtime.compiledModule()).toBe(mod);
      expect(fits(lib, ds)).toEqual(ref);
      for (const d of seen) expect(fits(lib, d)).toEqual(ref);
      if (seen.length < 3) seen.push(lib.Dataset.from(a.X, a.y));
    }
    // the same memory: the second round needs no more of it (the first grew it to the fits' peak)
    expect(lib.memoryStats().wasm).toBe(bytes);
    for (const d of [ds, ...seen]) d.dispose();
    await lib.init({ threads: 1 });
  });

  it('from inside a fit (onProgress) it rejects INVALID_INPUT and changes nothing', async () => {
    const { lib, runtime } = await fresh();
    await lib.init({ threads: 2, warmup: false });
    const a = problem(40_000, 4, 4);
    let inside: Promise<unknown> | null = null;
    const r = lib.lad(a.X, a.y, {
      onProgress: () => {
        inside ??= lib.init({ threads: 3 });
      },
    });
    expect(r.status).toBe('optimal');
    expect(inside).not.toBeNull();
    await expect(inside).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^init: option threads cannot change the thread pool while a fit is running/) });
    expect(runtime.threadStats().threads).toBe(2);
    // init() without threads from inside a fit is still the current promise
    let plain: Promise<unknown> | null = null;
    const cur = lib.init();
    lib.lad(a.X, a.y, { onProgress: () => void (plain ??= lib.init()) });
    expect(plain).toBe(cur);
    await lib.init({ threads: 1 });
  });

  it('a module given in options.wasm stays on one thread, and the result says why', async () => {
    const { lib, runtime } = await fresh();
    const bytes = readFileSync(fileURLToPath(new URL('../../build/debug.wasm', import.meta.url)));
    await lib.init({ wasm: bytes, warmup: false });
    const r = await lib.init({ threads: 2 });
    expect(r).toMatchObject({ backend: 'wasm', threads: 1, threadsReason: expect.stringMatching(/given in options\.wasm.*; running 1 thread$/) });
    expect(runtime.threadStats().threads).toBe(1);
    expect(lib.lad([[1], [2], [3]], [1, 2, 4]).backend).toBe('wasm');
  });

  it.skipIf(!linux)('resizing 1 <-> 3 eight times leaks no worker thread and no memory', async () => {
    const { lib, runtime } = await fresh();
    await lib.init({ warmup: false });
    const a = problem(40_000, 4, 5);
    const ds = lib.Dataset.from(a.X, a.y);
    const ref = fits(lib, ds);
    const base = await settle(Infinity);
    await lib.init({ threads: 2, warmup: false }); // moves to the threaded build (its memory is new)
    await lib.init({ threads: 1 });
    const one = await settle(base);
    let wasmBytes = 0, rss0 = 0;
    for (let k = 0; k < 8; k++) {
      if (k === 1) {
        // from the second cycle on: the memory has grown to the fits' peak on 3 slots
        wasmBytes = lib.memoryStats().wasm;
        global.gc?.();
        rss0 = process.memoryUsage().rss;
      }
      expect((await lib.init({ threads: 3 })).threads).toBe(3);
      expect(await settle(one + 2 + 4), 'two workers more (plus V8 helper threads)').toBeGreaterThan(one);
      expect(fits(lib, ds)).toEqual(ref);
      expect((await lib.init({ threads: 1 })).threads).toBe(1);
      expect(await settle(one), `cycle ${k}: the pool's workers are gone`).toBeLessThanOrEqual(one);
    }
    expect(lib.memoryStats().wasm).toBe(wasmBytes);
    global.gc?.();
    const grown = process.memoryUsage().rss - rss0;
    expect(grown, `RSS grew ${(grown / 2 ** 20).toFixed(1)} MiB over 8 cycles`).toBeLessThan(64 * 2 ** 20);
    expect(runtime.threadStats().threads).toBe(1);
    ds.dispose();
  });

  it('a process that changed the count 1 -> 2 -> 1 -> auto exits by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'robustreg-threads-exit-'));
    try {
      const libPath = join(dir, 'lib.mjs');
      await build({
        entryPoints: [fileURLToPath(new URL('../../src/index.ts', import.meta.url))],
        bundle: true, format: 'esm', platform: 'neutral', outfile: libPath, logLevel: 'warning',
      });
      const script = join(dir, 'main.mjs');
      writeFileSync(script, `
        import { init, lad, Dataset } from './lib.mjs';
        await init();
        const X = [], y = [];
        for (let i = 0; i < 40000; i++) { X.push([i % 13, (i * 7) % 11]); y.push((i % 13) + 2 * ((i * 7) % 11) + (i % 5)); }
        const ds = Dataset.from(X, y);
        const out = [];
        for (const threads of [undefined, 2, 1, 'auto']) {
          const r = threads === undefined ? {} : await init({ threads });
          out.push([r.threads ?? 1, Array.from(lad(ds).coef).join(',')]);
        }
        console.log(JSON.stringify(out));
      `);
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 90_000 });
      expect(r.error, r.stderr).toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim()) as [number, string][];
      expect(out.map((o) => o[0])).toEqual([1, 2, 1, availableParallelism()]);
      expect(new Set(out.map((o) => o[1])).size).toBe(1);
      expect(Date.now() - t0).toBeLessThan(90_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
