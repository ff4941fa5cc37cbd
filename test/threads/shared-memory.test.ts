// Memory accounting with a shared memory (init({ threads })): its maximum is fixed when it is created,
// so the arena must refuse with OUT_OF_MEMORY (byte counts) before asking it to grow past it.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../src/backend/arena.js';
import { instantiateWasm, sharedMemory } from '../../src/backend/wasm.js';
import { WASM_THREADS_BASE64 } from '../../src/backend/wasm.generated.js';
import type { Backend } from '../../src/abi/kernels.js';
import { RobustRegError } from '../../src/errors.js';

describe('shared memory accounting', () => {
  it('OUT_OF_MEMORY before growing past a backend\'s maxBytes; nothing grows', () => {
    let grown = 0;
    let size = 1 << 20;
    const fake: Backend = {
      name: 'wasm',
      kernels: { heap_base: () => 1024 } as unknown as Backend['kernels'],
      maxBytes: 8 << 20,
      byteLength: () => size,
      grow(b: number) {
        grown++;
        size = b;
      },
      f64: () => new Float64Array(0),
      i32: () => new Int32Array(0),
    };
    const a = new Arena(fake);
    a.allocMany([4 << 20], 'first', true);
    expect(grown).toBe(1);
    let err: unknown = null;
    try {
      a.allocMany([6 << 20], 'ols (n = 1, p = 1)');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RobustRegError);
    expect((err as RobustRegError).code).toBe('OUT_OF_MEMORY');
    expect((err as RobustRegError).message).toMatch(/shared memory maximum/);
    expect((err as RobustRegError).details.bytesAvailable).toBe((8 << 20) - 1024);
    expect(grown).toBe(1);
    // what fits still fits, and the arena is unchanged by the refusal
    a.allocMany([3 << 20], 'fits');
    expect(grown).toBe(2);
  });

  it('the threaded build instantiates on a shared memory whose maximum the backend reports', async () => {
    const bin = atob(WASM_THREADS_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const memory = sharedMemory();
    const b = await instantiateWasm(bytes, { memory });
    expect(b.par).not.toBeNull();
    expect(b.maxBytes).toBeGreaterThan(0);
    expect(b.maxBytes).toBeLessThanOrEqual(4 * 2 ** 30);
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    // without a memory of its own it gets a fresh shared one (scratch and fitAsync instances)
    const c = await instantiateWasm(b.module);
    expect(c.byteLength()).toBeGreaterThan(0);
  });
});
