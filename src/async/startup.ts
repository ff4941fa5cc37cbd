// The public init() (the only one; src/backend/runtime.ts's initRuntime() is internal): compile the
// WebAssembly module, then warm the kernels — by default in the BACKGROUND, in the first worker of
// fitAsync's pool (prewarmWorker), so that init() itself costs only the compile. The optimized code V8
// produces there belongs to the compiled module and serves this thread's fits as well. With
// warmup: 'wait' the warm-up runs here before init() resolves (kernels on a scratch instance, then the
// host code: src/fit/startup.ts), as init() did before; where no worker can be started, the same.
import { initRuntime, type InitOptions, type InitResult } from '../backend/runtime.js';
import { hostWarmup } from '../fit/startup.js';
import { prewarmWorker } from './fit-async.js';

/**
 * Compile and instantiate the WebAssembly module once (asynchronously) and start the kernel warm-up
 * (unless `options.warmup` is false). Safe to call many times: later calls return the first call's
 * promise. Never rejects because WebAssembly is unavailable: `auto` then falls back to the TypeScript
 * twin and the result says why.
 */
export function init(options?: InitOptions): Promise<InitResult> {
  return initRuntime(options, { host: hostWarmup, background: prewarmWorker });
}
