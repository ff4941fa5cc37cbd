// The public init() (the only one; src/backend/runtime.ts's initRuntime() is internal): compile the
// WebAssembly module, then warm the kernels — by default in the BACKGROUND, in the first worker of
// fitAsync's pool (prewarmWorker), so that init() itself costs only the compile. The optimized code V8
// produces there belongs to the compiled module and serves this thread's fits as well (the threaded
// build too: the worker instantiates it on a shared memory of its own). With warmup: 'wait' the
// warm-up runs here before init() resolves (kernels on a scratch instance, then the host code:
// src/fit/startup.ts), as init() did before; where no worker can be started, the same.
//
// A large first fit does not wait for the background warm-up (issue 23 had it block until the warm-up
// landed): measured on 2026-12-07 (session 7, load 10, 2 vCPUs, init({ threads: 2 }), fresh
// processes) the warm-up had landed before the first kernel call of every large first fit — ols
// 1e6 × 20, lad 1e6 × 10, huber 1e6 × 10, from a Dataset or from arrays (building either takes longer
// than the warm-up) — so the wait never engaged, and first-fit CPU with and without it differed only
// by noise (medians 148 / 144, 562 / 588, 341 / 327 ms); session 6's README "Cold start" found the same.
import { initRuntime, type InitOptions, type InitResult } from '../backend/runtime.js';
import { hostWarmup } from '../fit/startup.js';
import { prewarmWorker, terminateWorkers } from './fit-async.js';

/**
 * Compile and instantiate the WebAssembly module (asynchronously) and start the kernel warm-up (unless
 * `options.warmup` is false). Safe to call many times: a later call returns the current promise unless
 * its `wasm` names another module than the one in use (another WebAssembly.Module, or other bytes):
 * then it replaces the module (docs/api.md "Replacing the module"). Never rejects because WebAssembly
 * is unavailable: `auto` then falls back to the TypeScript twin and the result says why.
 */
export function init(options?: InitOptions): Promise<InitResult> {
  return initRuntime(options, {
    host: hostWarmup,
    background: (module, kernels) => prewarmWorker(module, kernels),
    // idle workers hold the replaced module (busy ones are not reused afterwards: fit-async.ts takeFor)
    replaced: terminateWorkers,
  });
}
