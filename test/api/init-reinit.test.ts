// init({ wasm }) a second time in one process (docs/api.md "init"): a call naming ANOTHER module than
// the current one re-initialises with it (before: it silently returned the first call's promise, so an
// in-process A/B of two builds compared a build with itself); the same module (the same
// WebAssembly.Module, or equal bytes) or `wasm` omitted returns the current promise. The replaced
// module's thread pool is closed, its Datasets refuse further use, fitAsync's workers holding it are
// not reused. Each test loads a fresh copy of the package (vi.resetModules): init() state is per copy.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { embeddedBytes } from '../../src/backend/wasm.js';

const debugBytes = () => readFileSync(fileURLToPath(new URL('../../build/debug.wasm', import.meta.url)));
const BAD = new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]);
const X = [[1], [2], [3], [4], [5]], y = [1, 2, 3, 4, 100];

async function fresh() {
  vi.resetModules();
  const lib = await import('../../src/index.js');
  const runtime = await import('../../src/backend/runtime.js');
  return { lib, runtime };
}

describe('init({ wasm }) called again', () => {
  it('another compiled module replaces the current one (fits then run on it)', async () => {
    const { lib, runtime } = await fresh();
    const A = await WebAssembly.compile(embeddedBytes());
    const B = await WebAssembly.compile(debugBytes());
    await lib.init({ wasm: A, warmup: false });
    expect(runtime.compiledModule()).toBe(A);
    const ra = lib.lad(X, y);
    const r = await lib.init({ wasm: B, warmup: false });
    expect(r.backend).toBe('wasm');
    expect(runtime.compiledModule()).toBe(B);
    const rb = lib.lad(X, y);
    expect(rb.backend).toBe('wasm');
    expect(Array.from(rb.coef)).toEqual(Array.from(ra.coef)); // release and debug builds: same bits
    // and back: A again
    await lib.init({ wasm: A, warmup: false });
    expect(runtime.compiledModule()).toBe(A);
  });

  it('the same module (same object, or equal bytes in another buffer) and `wasm` omitted return the current promise', async () => {
    const { lib } = await fresh();
    const bytes = debugBytes();
    const first = lib.init({ wasm: bytes, warmup: false });
    expect(lib.init({ wasm: Uint8Array.from(bytes), warmup: false })).toBe(first);
    expect(lib.init({ wasm: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) })).toBe(first);
    expect(lib.init()).toBe(first);
    await first;
    expect(lib.init({ warmup: false })).toBe(first);
  });

  it('bytes that do not compile, after a working init: the twin with a reason (was: silently the first module); then a working module again', async () => {
    const { lib, runtime } = await fresh();
    await lib.init({ warmup: false });
    expect(lib.lad(X, y).backend).toBe('wasm');
    const r = await lib.init({ wasm: BAD });
    expect(r.backend).toBe('js');
    expect(r.reason).toMatch(/given in options\.wasm failed to load/);
    expect(lib.lad(X, y).backend).toBe('js');
    expect(() => lib.lad(X, y, { backend: 'wasm' })).toThrow(expect.objectContaining({ code: 'WASM_UNAVAILABLE' }));
    expect(runtime.compiledModule()).toBe(null);
    const r2 = await lib.init({ wasm: debugBytes(), warmup: false });
    expect(r2.backend).toBe('wasm');
    expect(lib.lad(X, y).backend).toBe('wasm');
  });

  it('calls in flight: each resolves with its own module, the last one is installed', async () => {
    const { lib, runtime } = await fresh();
    const A = await WebAssembly.compile(embeddedBytes());
    const B = await WebAssembly.compile(debugBytes());
    const pa = lib.init({ wasm: A, warmup: false });
    const pb = lib.init({ wasm: B, warmup: false });
    expect(pb).not.toBe(pa);
    expect(lib.init({ wasm: B })).toBe(pb);
    const [ra, rb] = await Promise.all([pa, pb]);
    expect([ra.backend, rb.backend]).toEqual(['wasm', 'wasm']);
    expect(runtime.compiledModule()).toBe(B);
  });

  it('a Dataset of the replaced module refuses further use (INVALID_INPUT, named); new Datasets work; memory is released', async () => {
    const { lib } = await fresh();
    await lib.init({ warmup: false });
    const old = lib.Dataset.from(X, y);
    expect(lib.memoryStats().wasmInUse).toBeGreaterThan(0);
    await lib.init({ wasm: debugBytes(), warmup: false });
    expect(lib.memoryStats().wasmInUse).toBe(0);
    expect(() => lib.lad(old)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/^lad: this Dataset was built on the WebAssembly module that a later init\(\{ wasm \}\) replaced/) }));
    old.dispose();
    const ds = lib.Dataset.from(X, y);
    try {
      expect(lib.lad(ds).backend).toBe('wasm');
    } finally {
      ds.dispose();
    }
  });

  it('the replaced module\'s thread pool is closed', async () => {
    if (process.env.ROBUSTREG_WASM === 'debug') return; // threads: the embedded build only; same code path
    const { lib, runtime } = await fresh();
    const r = await lib.init({ threads: 2, warmup: false });
    expect(r.threads).toBe(2);
    expect(runtime.threadStats()).toMatchObject({ threads: 2, usable: true });
    // bytes never name the embedded build (here its threaded one): they re-initialise
    const r2 = await lib.init({ wasm: embeddedBytes(), warmup: false });
    expect(r2.backend).toBe('wasm');
    expect(runtime.threadStats()).toMatchObject({ threads: 1, usable: false });
    expect(lib.lad(X, y).backend).toBe('wasm');
  });

  it('fitAsync: a worker that instantiated the replaced module is not reused', async () => {
    const { lib } = await fresh();
    try {
      const A = await WebAssembly.compile(embeddedBytes());
      await lib.init({ wasm: A, warmup: false });
      const r1 = await lib.fitAsync(X, y, { loss: 'l1' });
      const s1 = lib.workerStats();
      expect(s1.idle).toBe(1);
      // the same module: the idle worker is reused
      await lib.fitAsync(X, y, { loss: 'l1' });
      expect(lib.workerStats().started).toBe(s1.started);
      await lib.init({ wasm: debugBytes(), warmup: false });
      expect(lib.workerStats().idle, 'idle workers holding the replaced module are terminated').toBe(0);
      const r2 = await lib.fitAsync(X, y, { loss: 'l1' });
      expect(lib.workerStats().started).toBe(s1.started + 1);
      expect(Array.from(r2.coef)).toEqual(Array.from(r1.coef));
    } finally {
      lib.terminateWorkers();
    }
  });
});
