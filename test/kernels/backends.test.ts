// One backend interface, implemented twice: both backends export the same kernel set, and the
// constants mirrored between assembly/ and src/ agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as info from '../../src/abi/info.js';
import * as status from '../../src/abi/status.js';
import { twinKernels } from '../../src/backend/twin.js';
import { allBackends } from '../helpers/backends.js';

function asConstants(file: string): Record<string, number> {
  const src = readFileSync(new URL(`../../assembly/${file}`, import.meta.url), 'utf8');
  const out: Record<string, number> = {};
  for (const m of src.matchAll(/export const (\w+): i32 = (-?\d+);/g)) out[m[1]] = Number(m[2]);
  return out;
}

describe('backends', () => {
  it('the WASM module exports exactly the twin kernel set (plus memory)', async () => {
    const bytes = readFileSync(new URL('../../build/release.wasm', import.meta.url));
    const mod = await WebAssembly.compile(bytes);
    // besides the kernels: the block-pass entry points of the thread pool (assembly/par.ts), which the
    // twin (single-threaded) does not need
    const PAR = ['par_item', 'par_set_slots'];
    const names = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name).filter((n) => n !== 'memory').sort();
    const wasmExports = names(mod);
    expect(wasmExports).toEqual([...Object.keys(twinKernels), ...PAR].sort());
    const debug = await WebAssembly.compile(readFileSync(new URL('../../build/debug.wasm', import.meta.url)));
    expect(names(debug)).toEqual(wasmExports);
    const threads = await WebAssembly.compile(readFileSync(new URL('../../build/threads.wasm', import.meta.url)));
    expect(names(threads)).toEqual(wasmExports);
  });

  it('status codes agree between assembly/status.ts and src/abi/status.ts', () => {
    const a = asConstants('status.ts');
    expect(Object.keys(a).length).toBeGreaterThan(3);
    expect(a).toEqual({ ...status });
  });

  it('info slots agree between assembly/info.ts and src/abi/info.ts', () => {
    const a = asConstants('info.ts');
    expect(a).toEqual({ ...info });
  });

  it('the only import of the WASM module is the progress/abort hook set', async () => {
    const mod = await WebAssembly.compile(readFileSync(new URL('../../build/release.wasm', import.meta.url)));
    const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`).sort();
    for (const i of imports) expect(['env.abort', 'env.progress']).toContain(i);
  });

  it('every backend grows memory on demand and reports the same heap semantics', async () => {
    let compared = 0;
    for (const tb of await allBackends()) {
      const before = tb.backend.byteLength();
      const mark = tb.arena.mark();
      const [p] = tb.arena.allocMany([before + 100_000]);
      expect(p % 16).toBe(0);
      expect(tb.backend.byteLength()).toBeGreaterThanOrEqual(p + before + 100_000);
      tb.backend.f64()[(p >>> 3) + 10] = 42; // the fresh view is usable after growth
      expect(tb.backend.f64()[(p >>> 3) + 10]).toBe(42);
      tb.arena.release(mark);
      expect(tb.arena.mark()).toBe(mark);
      compared++;
    }
    expect(compared).toBe(3); // wasm-release, wasm-debug, js
  });

  it('a request past the wasm32 limit is OUT_OF_MEMORY naming the bytes, before anything grows', async () => {
    let compared = 0;
    for (const tb of await allBackends()) {
      const before = tb.backend.byteLength();
      expect(() => tb.arena.allocMany([3 * 2 ** 30, 2 * 2 ** 30], 'test')).toThrow(/OUT_OF_MEMORY|needs .*GiB/);
      let e: unknown;
      try {
        tb.arena.allocMany([5 * 2 ** 30]);
      } catch (caught) {
        e = caught;
      }
      expect(e, `${tb.label}: a 5 GiB request must throw`).toBeDefined();
      expect((e as { code: string }).code).toBe('OUT_OF_MEMORY');
      expect((e as { details: { bytesNeeded: number } }).details.bytesNeeded).toBeGreaterThan(4 * 2 ** 30);
      expect(tb.backend.byteLength()).toBe(before);
      compared++;
    }
    expect(compared).toBe(3); // wasm-release, wasm-debug, js
  });
});
