// Low-level test harness: every backend (WASM release, WASM debug with assertions, pure-TS twin)
// with its own arena, for kernel-level tests. Public-API tests use src/index.ts instead.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../../src/abi/kernels.js';
import { Arena } from '../../src/backend/arena.js';
import { instantiateWasm } from '../../src/backend/wasm.js';
import { jsBackend } from '../../src/backend/twin.js';

export interface TestBackend {
  label: 'wasm-release' | 'wasm-debug' | 'js';
  backend: Backend;
  arena: Arena;
}

let cached: Promise<TestBackend[]> | null = null;

export function allBackends(): Promise<TestBackend[]> {
  cached ??= (async () => {
    const debugBytes = readFileSync(fileURLToPath(new URL('../../build/debug.wasm', import.meta.url)));
    const rel = await instantiateWasm();
    const dbg = await instantiateWasm(debugBytes);
    return [
      { label: 'wasm-release', backend: rel, arena: new Arena(rel) },
      { label: 'wasm-debug', backend: dbg, arena: new Arena(dbg) },
      { label: 'js', backend: jsBackend, arena: new Arena(jsBackend) },
    ] as TestBackend[];
  })();
  return cached;
}

/** Copy a row-major or row-array matrix into backend memory as column-major; returns the pointer. */
export function putColMajor(tb: TestBackend, rows: ArrayLike<number>[], ptr: number): void {
  const f = tb.backend.f64();
  const n = rows.length;
  const p = n ? rows[0].length : 0;
  const base = ptr >>> 3;
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) f[base + j * n + i] = rows[i][j];
}

export function putVec(tb: TestBackend, v: ArrayLike<number>, ptr: number): void {
  tb.backend.f64().set(v as ArrayLike<number>, ptr >>> 3);
}

export function getVec(tb: TestBackend, ptr: number, len: number): Float64Array {
  return tb.backend.f64().slice(ptr >>> 3, (ptr >>> 3) + len);
}
