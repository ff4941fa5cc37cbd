// Issue 21: a job started the moment ThreadPool.start() resolves. A worker posts 'ready' and then
// enters its job loop; it used to read the job generation only there, so a job the caller began as
// soon as the 'ready' had arrived (a fit right after init()) could bump the generation first — the
// worker then waited for the next generation, never acknowledged this one, and the caller waited for
// it forever (reproduced on this machine: a 3-thread pool's first job hung every time). Workers now
// read the generation before posting 'ready'. The probe (ThreadPool.ackProbe) starts a job of no
// items and waits for the acknowledgments with a bound, so a regression fails here instead of hanging.
// (Skipped in the 'debug' project, as the other pool tests.)
import { describe, expect, it } from 'vitest';
import { ThreadPool, threadsUnavailable } from '../../src/threads/pool.js';
import { sharedMemory } from '../../src/backend/wasm.js';
import { WASM_THREADS_BASE64 } from '../../src/backend/wasm.generated.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

describe.skipIf(debug || threadsUnavailable() !== null)('thread pool start', () => {
  it('every worker acknowledges a job started at once after start() (fresh pools of 2 and 3 threads)', async () => {
    const module = await WebAssembly.compile(Uint8Array.from(atob(WASM_THREADS_BASE64), (ch) => ch.charCodeAt(0)));
    for (const size of [3, 2, 3, 2, 3]) {
      const pool = await ThreadPool.start(module, sharedMemory(), size);
      try {
        expect(pool.ackProbe(10_000), `pool of ${size}: acknowledgments of its first job`).toBe(size - 1);
        // and the pool goes on: a second job is acknowledged too
        expect(pool.ackProbe(10_000), `pool of ${size}: second job`).toBe(size - 1);
      } finally {
        pool.close();
      }
    }
  });
});
